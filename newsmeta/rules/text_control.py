"""A title or excerpt contains a control character (a line break, tab, escape, ...).

Such characters break feeds, cards and terminals; they usually come from copy and paste.

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
from newsmeta.rules.text_whitespace import is_text

ID = "text-control"
SEVERITY = Severity.ERROR

_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def check(ctx: Context) -> Iterator[Finding]:
    for node in ctx.values(is_text):
        # A trailing line break is text-whitespace's to report (and fix).
        match = _CONTROL.search(node.value.strip())
        if match is not None:
            code = f"U+{ord(match.group()):04X}"
            yield node.finding(f"{node.name} contains the control character {code}")
