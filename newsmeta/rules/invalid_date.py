"""A date field cannot be read as a date.

``publishedDateTime`` and ``updatedDateTime`` take a YAML timestamp or any full date that
python-dateutil reads (ISO 8601 preferred); a partial date such as ``June 2020`` is refused.

Failing::

    publishedDateTime: sometime last tuesday

Passing::

    publishedDateTime: 2020-06-11T16:42:00Z
"""

from __future__ import annotations

from collections.abc import Iterator

from newsmeta.report import Severity
from newsmeta.rules.base import Context, Finding
from newsmeta.rules.values import read_when

ID = "invalid-date"
SEVERITY = Severity.ERROR


def check(ctx: Context) -> Iterator[Finding]:
    for node in ctx.nodes:
        if node.text_of("datetime") is None:
            continue
        when = read_when(node.value)
        if when.value is None:
            yield node.finding(f"{node.name} is not a date and time: {node.value!r}")
        elif not when.complete:
            yield node.finding(
                f"{node.name} is not a full date (year, month and day): {node.value!r}"
            )
