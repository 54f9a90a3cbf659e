"""``provider.domain`` does not match the host of ``webUrl``.

The host must be the domain or one of its subdomains (``www.washingtonpost.com`` matches
``washingtonpost.com``).  Checked for the article and for each related item.

Failing::

    webUrl: "https://www.reuters.com/technology/x/"
    provider:
      name: Washington Post
      domain: washingtonpost.com

Passing::

    webUrl: "https://www.washingtonpost.com/technology/x/"
    provider:
      name: Washington Post
      domain: washingtonpost.com
"""

from __future__ import annotations

from collections.abc import Iterator

from newsmeta.report import Severity
from newsmeta.rules.base import Context, Finding
from newsmeta.rules.values import host_of

ID = "provider-domain"
SEVERITY = Severity.WARNING


def _ascii(domain: str) -> str:
    """``bücher.ch`` as the host of a URL spells it: ``xn--bcher-kva.ch``."""
    try:
        return domain.encode("idna").decode("ascii")
    except UnicodeError:
        return domain


def check(ctx: Context) -> Iterator[Finding]:
    for mapping in ctx.mappings:
        provider = mapping.child("provider") if isinstance(mapping.value, dict) else None
        if mapping.field.child("webUrl") is None or not isinstance(provider, dict):
            continue
        domain, host = provider.get("domain"), host_of(mapping.child("webUrl"))
        if not isinstance(domain, str) or not domain or host is None:
            continue
        wanted = _ascii(domain.strip().lower().rstrip("."))
        if host == wanted or host.endswith("." + wanted):
            continue
        path = (*mapping.path, "provider", "domain")
        node = ctx.node(path)
        yield node.finding(f"{node.name} {domain!r} does not match the host of webUrl {host!r}")
