"""A title or excerpt contains a control character (a line break, tab, escape, bidi control).

Such characters break feeds, cards and terminals; they usually come from copy and paste, or
from a blank line inside a quoted string.  The line breaks of a ``|`` or ``>`` block are the
author's choice and allowed.

Failing::

    title: "Microsoft won’t sell police\\tits technology"

Passing::

    title: "Microsoft won’t sell police its technology"
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from newsmeta.report import Severity
from newsmeta.rules.base import Context, Finding
from newsmeta.rules.text_whitespace import is_block, is_text

ID = "text-control"
SEVERITY = Severity.ERROR

# C0 and C1 controls, DEL, the line and paragraph separators, the bidirectional controls
# (which can reorder what a reader sees) and lone surrogates (not text at all).
_CONTROL = re.compile(
    "[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
_NAMES = {
    "\n": "a line break",
    "\t": "a tab",
    "\r": "a carriage return",
    "\u2028": "a line separator (U+2028)",
    "\u2029": "a paragraph separator (U+2029)",
}


def check(ctx: Context) -> Iterator[Finding]:
    for node in ctx.values(is_text):
        # Stray white space at the ends is text-whitespace's to report (and fix); the line
        # breaks of a | or > block are the author's choice.
        text = node.value.strip()
        if is_block(node.value):
            text = text.replace("\n", " ")
        match = _CONTROL.search(text)
        if match is not None:
            char = match.group()
            name = _NAMES.get(char, f"the control character U+{ord(char):04X}")
            yield node.finding(f"{node.name} contains {name}")
