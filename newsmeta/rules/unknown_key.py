"""A key the article format does not declare (often a misspelling).

Keys are matched exactly, case included.  Declare your own keys with ``extra-keys`` in the
configuration.

Failing::

    publishedDatetime: 2020-06-11T16:42:00Z

Passing::

    publishedDateTime: 2020-06-11T16:42:00Z
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from newsmeta.report import Severity
from newsmeta.rules.base import Context, Finding

ID = "unknown-key"
SEVERITY = Severity.WARNING


def suggestion(key: str, known: list[str]) -> str | None:
    """The declared key ``key`` most likely meant, if one is close."""
    for name in known:
        if name.lower() == key.lower():
            return name
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.75)
    return close[0] if close else None


def check(ctx: Context) -> Iterator[Finding]:
    known = {
        mapping.path: [field.name for field in mapping.field.fields] for mapping in ctx.mappings
    }
    for node in ctx.nodes:
        if node.field is not None:
            continue
        key = node.path[-1]
        hint = suggestion(key, known.get(node.path[:-1], [])) if isinstance(key, str) else None
        did_you_mean = f" (did you mean {hint!r}?)" if hint else ""
        yield Finding(node.key_line, node.key_column, f"unknown key {node.name}{did_you_mean}")
