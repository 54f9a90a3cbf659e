"""A topic is an empty string.

Failing::

    topics:
      - AI
      - ""

Passing::

    topics:
      - AI
"""

from __future__ import annotations

from collections.abc import Iterator

from newsmeta.report import Severity
from newsmeta.rules.base import Context, Finding

ID = "empty-topic"
SEVERITY = Severity.ERROR


def check(ctx: Context) -> Iterator[Finding]:
    for node in ctx.items_of("topics"):
        if isinstance(node.value, str) and not node.value.strip():
            yield node.finding(f"{node.name} is empty")
