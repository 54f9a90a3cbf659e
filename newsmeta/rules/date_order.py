"""``updatedDateTime`` is before ``publishedDateTime``.

An article cannot be updated before it was published; usually the two were swapped.

Failing::

    publishedDateTime: 2020-06-11T16:42:00Z
    updatedDateTime: 2020-06-10T09:00:00Z

Passing::

    publishedDateTime: 2020-06-11T16:42:00Z
    updatedDateTime: 2020-06-12T09:00:00Z
"""

from __future__ import annotations

from collections.abc import Iterator

from newsmeta.fix import format_path
from newsmeta.report import Severity
from newsmeta.rules.base import Context, Finding
from newsmeta.rules.values import read_when

ID = "date-order"
SEVERITY = Severity.ERROR


def check(ctx: Context) -> Iterator[Finding]:
    for node in ctx.nodes:
        if node.path[-1] != "updatedDateTime" or node.field is None:
            continue
        published_path = (*node.path[:-1], "publishedDateTime")
        published = ctx.node_at(published_path)
        if published is None:
            continue
        updated, first = read_when(node.value), read_when(published.value)
        if not (updated.aware and first.aware) or updated.value is None or first.value is None:
            continue
        if updated.value < first.value:
            yield node.finding(
                f"{node.name} ({updated.value.isoformat()}) is before "
                f"{format_path(published_path)} ({first.value.isoformat()})"
            )
