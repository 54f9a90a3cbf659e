"""Did-you-mean for key names: a column, sort key or query field the schema does not declare
and no article has is most likely a typo of a declared one."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from newsmeta.rules.unknown_key import suggestion
from newsmeta.schema import Schema

_INDEX = re.compile(r"\[-?\d+\]")


@dataclass
class FieldCheck:
    """The fields a run asks for that the schema does not declare, until an article has them.

    ``see`` is called with each article's data; :meth:`hints` then says, for each field no
    article had, what it is likely a typo of."""

    schema: Schema
    fields: Iterable[str]
    _pending: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        for dotted in dict.fromkeys(self.fields):
            names = tuple(_INDEX.sub("", dotted).split("."))
            if dotted != "path" and self.schema.field_at(names) is None:
                self._pending.append(dotted)

    @property
    def pending(self) -> bool:
        return bool(self._pending)

    def see(self, data: Mapping[str, object]) -> None:
        from newsmeta.query import field_values

        self._pending = [dotted for dotted in self._pending if not field_values(data, dotted)]

    def hints(self) -> list[str]:
        """One sentence for each asked-for field no article had."""
        return [self._hint(dotted) for dotted in self._pending]

    def _hint(self, dotted: str) -> str:
        parts = dotted.split(".")
        names = [_INDEX.sub("", part) for part in parts]
        for depth, name in enumerate(names):
            parent = self.schema.field_at(tuple(names[:depth]))
            children = [child.name for child in parent.fields] if parent is not None else []
            if name in children:
                continue
            close = suggestion(name, children)
            if close is not None:
                indexes = parts[depth][len(name) :]  # images[0]: keep the [0]
                meant = ".".join([*parts[:depth], close + indexes, *parts[depth + 1 :]])
                return f"no article has the key {dotted!r} (did you mean {meant!r}?)"
            break
        return f"no article has the key {dotted!r}"
