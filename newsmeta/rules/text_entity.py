"""A title or excerpt contains an HTML character reference such as ``&amp;`` or ``&#8217;``.

Front matter holds plain text; the entity would show as-is on most sites and in feeds.

Failing::

    title: "Johnson &amp; Johnson halts sales of talc powder"

Passing::

    title: "Johnson & Johnson halts sales of talc powder"
"""

from __future__ import annotations

from collections.abc import Iterator

from newsmeta.report import Severity
from newsmeta.rules.base import Context, Finding
from newsmeta.rules.text_whitespace import is_text
from newsmeta.rules.values import describe_entities, entities_in

ID = "text-entity"
SEVERITY = Severity.WARNING


def check(ctx: Context) -> Iterator[Finding]:
    for node in ctx.values(is_text):
        found = entities_in(node.value)
        if found:
            yield node.finding(f"{node.name} contains {describe_entities(found)}")
