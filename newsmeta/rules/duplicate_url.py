"""Two articles have the same ``webUrl`` (checked across all the files of a run).

Usually a copy that should have been a move, or an article imported twice.  Each file is
reported with the other's path.  Addresses are compared as related-self compares them: the
scheme, ``www.``, the host's case, a default port, a trailing ``/`` and a ``#fragment`` do not
count.

Failing (two files)::

    # a.md
    webUrl: "https://example.com/story/"
    # b.md
    webUrl: "https://example.com/story/"

Passing::

    # a.md
    webUrl: "https://example.com/story/"
    # b.md
    webUrl: "https://example.com/another-story/"
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from newsmeta.report import Severity
from newsmeta.rules.base import Context
from newsmeta.rules.values import page_key, url_problem

ID = "duplicate-url"
SEVERITY = Severity.WARNING
CROSS_FILE = True


@dataclass(frozen=True)
class UrlUse:
    """Where one file declares its ``webUrl``."""

    path: str
    url: str
    line: int
    column: int
    key: str = ""  # page_key(url), worked out where the file is checked (a worker process)

    @property
    def page(self) -> str:
        return self.key or page_key(self.url)


def url_use(ctx: Context) -> UrlUse | None:
    """The article's own webUrl and its place, for the check across files."""
    url = ctx.data.get("webUrl")
    if not isinstance(url, str) or url_problem(url) is not None:
        return None  # required-field, wrong-type or invalid-url reports it
    if not ctx.located:  # located when another file turns out to share it
        return UrlUse(ctx.path, url, 0, 0, page_key(url))
    node = ctx.node(("webUrl",))
    return UrlUse(ctx.path, url, node.line, node.column, page_key(url))


def check_across(uses: Iterable[UrlUse]) -> Iterator[tuple[UrlUse, str]]:
    """Each use of a URL that another file uses too, with the message naming the others."""
    by_url: dict[str, list[UrlUse]] = {}
    for use in uses:
        by_url.setdefault(use.page, []).append(use)
    for group in by_url.values():
        if len(group) < 2:
            continue
        for use in group:
            others = [other.path for other in group if other is not use]
            more = f" and {len(others) - 1} more" if len(others) > 1 else ""
            yield use, f"webUrl {use.url!r} is also used by {others[0]}{more}"
