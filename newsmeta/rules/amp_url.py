"""``cdnAmpWebUrl`` is not the Google AMP cache form of ``ampWebUrl``.

The cache URL is derived from the AMP URL: in the host, ``-`` is doubled and ``.`` becomes
``-``; then comes ``.cdn.ampproject.org/c/``, ``s/`` for https, and the URL without its
scheme.  When that label would be longer than 63 characters, the cache uses the base32 SHA-256
of the host instead.  A ``cdnAmpWebUrl`` without an ``ampWebUrl`` is an error too (not
fixable: which AMP page is meant?).  ``--fix`` writes the derived URL.

Failing::

    ampWebUrl: "https://example.com/x"
    cdnAmpWebUrl: "https://wrong-host.cdn.ampproject.org/c/s/example.com/x"

Passing::

    ampWebUrl: "https://example.com/x"
    cdnAmpWebUrl: "https://example-com.cdn.ampproject.org/c/s/example.com/x"
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator

from newsmeta.fix import Replace, format_path
from newsmeta.report import Severity
from newsmeta.rules.base import Context, Finding
from newsmeta.rules.values import url_problem

ID = "amp-url"
SEVERITY = Severity.ERROR
FIXABLE = True

_CACHE_DOMAIN = "cdn.ampproject.org"
_MAX_LABEL = 63


def cache_url(amp_url: str) -> str:
    """The AMP cache URL of ``amp_url``: the readable form, or the hashed one when too long."""
    scheme, rest = amp_url.split("://", 1)
    host = rest.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    hostname = host.rsplit("@", 1)[-1].split(":", 1)[0].lower()
    secure = "s/" if scheme.lower() == "https" else ""
    readable = hostname.replace("-", "--").replace(".", "-")
    digest = hashlib.sha256(hostname.encode("utf-8")).digest()
    hashed = base64.b32encode(digest).decode("ascii").rstrip("=").lower()
    label = readable if len(readable) <= _MAX_LABEL else hashed
    return f"https://{label}.{_CACHE_DOMAIN}/c/{secure}{rest}"


def check(ctx: Context) -> Iterator[Finding]:
    for mapping in ctx.mappings:
        cdn, amp = mapping.child("cdnAmpWebUrl"), mapping.child("ampWebUrl")
        if not isinstance(cdn, str) or mapping.field.child("cdnAmpWebUrl") is None:
            continue
        node = ctx.node((*mapping.path, "cdnAmpWebUrl"))
        if amp is None:
            where = format_path((*mapping.path, "ampWebUrl"))
            yield node.finding(f"{node.name} is set but {where} is missing")
            continue
        if not isinstance(amp, str) or url_problem(amp) is not None:
            continue  # wrong-type or invalid-url reports it
        expected = cache_url(amp)
        if cdn != expected:
            yield node.finding(
                f"{node.name} is not the AMP cache URL of the AMP URL; expected {expected!r}",
                (Replace(node.path, expected),),
            )
