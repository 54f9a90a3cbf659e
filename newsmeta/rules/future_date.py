"""A date lies in the future, beyond the tolerance (``future-tolerance``, default 1 day).

Usually a typo in the year or a time zone mistake; scheduled articles can raise the
tolerance in the configuration.

Failing::

    publishedDateTime: 2999-01-01T00:00:00Z

Passing::

    publishedDateTime: 2020-06-11T16:42:00Z
"""

from __future__ import annotations

from collections.abc import Iterator

from newsmeta.report import Severity
from newsmeta.rules.base import Context, Finding
from newsmeta.rules.values import read_when

ID = "future-date"
SEVERITY = Severity.WARNING


def check(ctx: Context) -> Iterator[Finding]:
    limit = ctx.options.current_time() + ctx.options.future_tolerance
    for node in ctx.nodes:
        if node.expected != "datetime":
            continue
        when = read_when(node.value)
        if when.value is not None and when.aware and when.value > limit:
            yield node.finding(f"{node.name} is in the future: {when.value.isoformat()}")
