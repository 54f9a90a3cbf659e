"""A title or excerpt contains mojibake: UTF-8 text that was once read as Windows-1252.

``â€™`` is what ``’`` becomes, ``Ã©`` what ``é`` becomes.

Failing::

    title: "Microsoft wonâ€™t sell police its technology"

Passing::

    title: "Microsoft won’t sell police its technology"
"""

from __future__ import annotations

from collections.abc import Iterator

from newsmeta.report import Severity
from newsmeta.rules.base import Context, Finding
from newsmeta.rules.text_whitespace import is_text
from newsmeta.rules.values import mojibake_in

ID = "text-mojibake"
SEVERITY = Severity.WARNING


def check(ctx: Context) -> Iterator[Finding]:
    for node in ctx.values(is_text):
        run = mojibake_in(node.value)
        if run is not None:
            meant = run.encode("cp1252").decode("utf-8")
            yield node.finding(f"{node.name} contains mojibake {run!r} (probably {meant!r})")
