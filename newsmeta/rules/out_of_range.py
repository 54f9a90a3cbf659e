"""A number is outside its range.

``quality`` is 0 to 100, ``heat`` is -1 (unknown) or more, image ``width`` and ``height``
are positive.

Failing::

    quality: 127

Passing::

    quality: 27
"""

from __future__ import annotations

from collections.abc import Iterator

from newsmeta.report import Severity
from newsmeta.rules.base import Context, Finding

ID = "out-of-range"
SEVERITY = Severity.ERROR


def _range(low: int | None, high: int | None) -> str:
    if low is not None and high is not None:
        return f"between {low} and {high}"
    return f"at least {low}" if low is not None else f"at most {high}"


def check(ctx: Context) -> Iterator[Finding]:
    for node in ctx.nodes:
        field, value = node.field, node.value
        if field is None or field.type != "integer" or isinstance(value, bool):
            continue
        if not isinstance(value, int):
            continue
        low, high = field.minimum, field.maximum
        if (low is not None and value < low) or (high is not None and value > high):
            yield node.finding(f"{node.name} is {value}; it must be {_range(low, high)}")
