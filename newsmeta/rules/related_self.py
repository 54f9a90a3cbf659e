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
from urllib.parse import urlsplit

from newsmeta.report import Severity
from newsmeta.rules.base import Context, Finding
from newsmeta.rules.values import url_problem

ID = "related-self"
SEVERITY = Severity.ERROR


def same_page_key(url: str) -> str:
    """A form of ``url`` that is equal for the addresses of one page."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").removeprefix("www.")
    if parts.port is not None and parts.port != {"http": 80, "https": 443}.get(parts.scheme):
        host += f":{parts.port}"
    path = parts.path.rstrip("/") or "/"
    query = f"?{parts.query}" if parts.query else ""
    return f"{host}{path}{query}"


def check(ctx: Context) -> Iterator[Finding]:
    own = ctx.data.get("webUrl")
    if not isinstance(own, str) or url_problem(own) is not None:
        return
    key = same_page_key(own)
    for node in ctx.nodes:
        if len(node.path) == 3 and node.path[0] == "related" and node.path[2] == "webUrl":
            value = node.value
            if (
                isinstance(value, str)
                and url_problem(value) is None
                and same_page_key(value) == key
            ):
                yield node.finding(f"{node.name} points at the article itself")
