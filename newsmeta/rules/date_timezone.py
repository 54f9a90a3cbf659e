"""A date has no time of day or no time zone.

Without a zone a time means different instants to different readers; write ``Z`` for UTC or
an offset such as ``+02:00``.

Failing::

    publishedDateTime: 2020-06-11T16:42:00

Passing::

    publishedDateTime: 2020-06-11T16:42:00+02:00
"""

from __future__ import annotations

from collections.abc import Iterator

from newsmeta.report import Severity
from newsmeta.rules.base import Context, Finding
from newsmeta.rules.values import read_when

ID = "date-timezone"
SEVERITY = Severity.ERROR


def check(ctx: Context) -> Iterator[Finding]:
    for node in ctx.nodes:
        if node.expected != "datetime":
            continue
        when = read_when(node.value)
        if when.value is None or not when.complete:
            continue  # invalid-date or wrong-type reports it
        if not when.has_time:
            yield node.finding(f"{node.name} has a date but no time and time zone")
        elif not when.aware:
            yield node.finding(
                f"{node.name} has no time zone; add Z for UTC or an offset such as +02:00"
            )
