"""A title or excerpt starts or ends with white space.

Checked for ``title`` and ``excerpt`` of the article and its related items, and image titles;
``--fix`` strips the white space.  A ``|`` or ``>`` block is left alone: its final line break
belongs to its chomping indicator.

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


def is_block(value: object) -> bool:
    """Whether ``value`` was written as a ``|`` or ``>`` block, whose lines break on purpose.

    Plain data (the fast reader's) never is; ruamel is only imported for its tree."""
    if type(value) is str:
        return False
    from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString

    return isinstance(value, (LiteralScalarString, FoldedScalarString))


def check(ctx: Context) -> Iterator[Finding]:
    for node in ctx.values(is_text):
        # A block scalar's final line break is its chomping indicator's business, not stray.
        text = node.value.rstrip("\n") if is_block(node.value) else node.value
        stripped = text.strip()
        if stripped == text or not stripped or is_block(node.value):
            continue
        starts, ends = text[0].isspace(), text[-1].isspace()
        where = "starts and ends" if starts and ends else ("starts" if starts else "ends")
        message = f"{node.name} {where} with white space"
        yield node.finding(message, (Replace(node.path, stripped),))
