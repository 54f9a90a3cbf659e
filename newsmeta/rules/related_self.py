"""A related item points at the article itself.

URLs are compared without their scheme, ``www.``, case of the host, the scheme's default
port, a trailing ``/`` or a ``#fragment``.

Failing::

    webUrl: "https://example.com/a/"
    related:
      - title: "Same story"
        webUrl: "https://example.com/a"
        provider: {name: Example, domain: example.com}

Passing::

    webUrl: "https://example.com/a/"
    related:
      - title: "Another story"
        webUrl: "https://example.com/b/"
        provider: {name: Example, domain: example.com}
"""

from __future__ import annotations

from collections.abc import Iterator

from newsmeta.report import Severity
from newsmeta.rules.base import Context, Finding
from newsmeta.rules.values import page_key, url_problem

ID = "related-self"
SEVERITY = Severity.ERROR


def check(ctx: Context) -> Iterator[Finding]:
    own = ctx.data.get("webUrl")
    if not isinstance(own, str) or url_problem(own) is not None:
        return
    key = page_key(own)
    for node in ctx.nodes:
        if len(node.path) == 3 and node.path[0] == "related" and node.path[2] == "webUrl":
            value = node.value
            if isinstance(value, str) and url_problem(value) is None and page_key(value) == key:
                yield node.finding(f"{node.name} points at the article itself")
