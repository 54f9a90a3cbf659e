"""A field's value has the wrong type.

``quality`` and ``heat`` are integers, ``published`` is ``true`` or ``false`` (YAML 1.2:
``yes`` is a string), ``provider`` is a mapping, ``topics`` a list of strings, URLs and
titles are strings, dates are timestamps or date strings.

Failing::

    quality: high

Passing::

    quality: 27
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from collections.abc import Set as AbstractSet

from newsmeta.report import Severity
from newsmeta.rules.base import Context, Finding
from newsmeta.schema import TYPE_NAMES

ID = "wrong-type"
SEVERITY = Severity.ERROR


def _fits(expected: str, value: object) -> bool:
    if expected in ("string", "url"):
        return isinstance(value, str)
    if expected == "datetime":
        return isinstance(value, (str, dt.date))
    if expected == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if expected == "boolean":
        return isinstance(value, bool)
    if expected == "mapping":
        return isinstance(value, dict)
    if expected == "list":
        return isinstance(value, list)
    return True


def describe(value: object) -> str:
    """``the string 'high'``, ``null``, ``a list``: a value as a message names it."""
    if value is None:
        return "null (no value)"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"the string {shown!r}"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dt.date):
        return f"the date {value.isoformat()}"
    if isinstance(value, bytes):
        return "binary data (!!binary)"
    if isinstance(value, AbstractSet):
        return "a set (!!set)"
    tag = getattr(getattr(value, "tag", None), "value", None)
    return f"a value tagged {tag}" if tag else "a value of another kind"


def check(ctx: Context) -> Iterator[Finding]:
    for node in ctx.nodes:
        if node.field is None or _fits(node.expected, node.value):
            continue
        if node.value is None and node.field.required and not isinstance(node.path[-1], int):
            continue  # required-field reports it
        hint = ""
        if node.expected == "boolean" and isinstance(node.value, str):
            hint = " (write true or false, without quotes)"
        expected = TYPE_NAMES[node.expected]
        yield node.finding(f"{node.name} must be {expected}, not {describe(node.value)}{hint}")
