"""A URL field is not an absolute http(s) URL with a host and without spaces.

Applies to ``webUrl``, ``ampWebUrl``, ``cdnAmpWebUrl`` and image ``url`` values, in the
article and in its related items.

Failing::

    webUrl: "htp//broken url with spaces"

Passing::

    webUrl: "https://www.example.com/technology/2020/06/11/microsoft-facial-recognition/"
"""

from __future__ import annotations

from collections.abc import Iterator

from newsmeta.report import Severity
from newsmeta.rules.base import Context, Finding
from newsmeta.rules.values import url_problem

ID = "invalid-url"
SEVERITY = Severity.ERROR


def check(ctx: Context) -> Iterator[Finding]:
    for node in ctx.nodes:
        if node.text_of("url") is None:
            continue
        problem = url_problem(node.value)
        if problem is not None:
            yield node.finding(f"{node.name} {problem}: {node.value!r}")
