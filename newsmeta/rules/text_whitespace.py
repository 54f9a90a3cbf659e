"""A title or excerpt starts or ends with white space.

Checked for ``title`` and ``excerpt`` of the article and its related items, and image titles;
``--fix`` strips the white space.

Failing::

    title: " Microsoft won’t sell police its facial-recognition technology "

Passing::

    title: "Microsoft won’t sell police its facial-recognition technology"
"""

from __future__ import annotations

from collections.abc import Iterator

from newsmeta.fix import Replace
from newsmeta.report import Severity
from newsmeta.rules.base import Context, Finding, Node

ID = "text-whitespace"
SEVERITY = Severity.WARNING
FIXABLE = True


def is_text(node: Node) -> bool:
    """Whether ``node`` is human-readable text (a title or excerpt) with a string value."""
    return (
        node.field is not None
        and node.field.text
        and not isinstance(node.path[-1], int)
        and isinstance(node.value, str)
    )


def check(ctx: Context) -> Iterator[Finding]:
    for node in ctx.values(is_text):
        stripped = node.value.strip()
        if stripped != node.value and stripped:
            where = "starts" if node.value[0].isspace() else "ends"
            if node.value[0].isspace() and node.value[-1].isspace():
                where = "starts and ends"
            message = f"{node.name} {where} with white space"
            yield node.finding(message, (Replace(node.path, stripped),))
