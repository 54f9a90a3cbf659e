"""A required field is missing or empty.

Every article needs ``title``, ``publishedDateTime``, ``webUrl`` and ``provider`` with its
``name`` and ``domain``; each image needs a ``url``; each related article a ``title``,
``webUrl`` and ``provider``.  Configuration can require more (``required-fields``).

Failing::

    title: ~

Passing::

    title: "Microsoft won’t sell police its facial-recognition technology"
"""

from __future__ import annotations

from collections.abc import Iterator

from newsmeta.fix import format_path
from newsmeta.report import Severity
from newsmeta.rules.base import Context, Finding

ID = "required-field"
SEVERITY = Severity.ERROR


def _empty(value: object) -> bool:
    if isinstance(value, str):
        return not value.strip()
    return value is None or (isinstance(value, (list, dict)) and not value)


def check(ctx: Context) -> Iterator[Finding]:
    for mapping in ctx.mappings:
        if mapping.path and not mapping.value:
            continue  # an empty nested mapping is reported once, as empty, by its parent
        for field in mapping.field.fields:
            if not field.required:
                continue
            if field.name not in mapping.value:
                where = format_path((*mapping.path, field.name))
                yield mapping.finding(f"missing required field {where}")
            elif _empty(mapping.value[field.name]):
                where = format_path((*mapping.path, field.name))
                node = ctx.node((*mapping.path, field.name))
                yield Finding(node.key_line, node.key_column, f"required field {where} is empty")
