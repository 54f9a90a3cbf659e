"""A topic is listed twice.

``--fix`` removes the later copies.

Failing::

    topics:
      - AI
      - Computer Vision
      - AI

Passing::

    topics:
      - AI
      - Computer Vision
"""

from __future__ import annotations

from collections.abc import Iterator

from newsmeta.fix import Delete
from newsmeta.report import Severity
from newsmeta.rules.base import Context, Finding

ID = "duplicate-topic"
SEVERITY = Severity.WARNING
FIXABLE = True


def check(ctx: Context) -> Iterator[Finding]:
    first: dict[str, int] = {}
    for node in ctx.items_of("topics"):
        if not isinstance(node.value, str) or not node.value.strip():
            continue
        if node.value in first:
            message = f"topic {node.value!r} is listed twice (first on line {first[node.value]})"
            yield node.finding(message, (Delete(node.path),))
        else:
            first[node.value] = node.line
