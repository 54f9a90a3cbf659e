"""``cdnAmpWebUrl`` is not the Google AMP cache form of ``ampWebUrl``.

The cache URL is derived from the AMP URL: in the host, ``-`` is doubled and ``.`` becomes
``-``; then comes ``.cdn.ampproject.org/c/``, ``s/`` for https, and the URL without its
scheme.  A label with ``--`` in its third and fourth places is wrapped as ``0-...-0``,
punycode hosts are converted as Unicode and written back as punycode, and when the label would
be longer than 63 characters the cache uses the base32 SHA-256 of the host instead.

A ``cdnAmpWebUrl`` without an ``ampWebUrl`` is an error too (not fixable: which AMP page is
meant?).  ``--fix`` writes the derived URL.

Failing::

    ampWebUrl: "https://example.com/x"
    cdnAmpWebUrl: "https://wrong-host.cdn.ampproject.org/c/s/example.com/x"

Passing::

    ampWebUrl: "https://example.com/x"
    cdnAmpWebUrl: "https://example-com.cdn.ampproject.org/c/s/example.com/x"
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

from newsmeta.fix import Replace, format_path
from newsmeta.report import Severity
from newsmeta.rules.base import Context, Finding
from newsmeta.rules.values import url_problem

ID = "amp-url"
SEVERITY = Severity.ERROR
FIXABLE = True

_CACHE_DOMAIN = "cdn.ampproject.org"
_MAX_LABEL = 63


def cache_label(hostname: str) -> str:
    """The AMP cache's subdomain for ``hostname`` (amp.dev's "AMP cache URL format")."""
    try:
        readable = _readable_label(hostname)
    except UnicodeError:
        readable = None
    if readable is not None and len(readable) <= _MAX_LABEL:
        return readable
    import base64
    import hashlib

    digest = hashlib.sha256(hostname.encode("utf-8")).digest()
    return base64.b32encode(digest).decode("ascii").rstrip("=").lower()


def _readable_label(hostname: str) -> str:
    # Punycode labels are read as Unicode, "-" doubled and "." made "-"; a "--" in the third
    # and fourth places (which would look like punycode) gets "0-" before and "-0" after; a
    # label with non-ASCII characters is written back as punycode.
    text = ".".join(
        label[4:].encode("ascii").decode("punycode") if label.startswith("xn--") else label
        for label in hostname.split(".")
    )
    label = text.replace("-", "--").replace(".", "-")
    if label[2:4] == "--":
        label = f"0-{label}-0"
    if not label.isascii():
        label = "xn--" + label.encode("punycode").decode("ascii")
    return label


def cache_url(amp_url: str) -> str:
    """The AMP cache URL of ``amp_url``."""
    scheme, rest = amp_url.split("://", 1)
    hostname = (urlsplit(amp_url).hostname or "").lower()
    secure = "s/" if scheme.lower() == "https" else ""
    return f"https://{cache_label(hostname)}.{_CACHE_DOMAIN}/c/{secure}{rest}"


def check(ctx: Context) -> Iterator[Finding]:
    for mapping in ctx.mappings:
        cdn, amp = mapping.child("cdnAmpWebUrl"), mapping.child("ampWebUrl")
        if not isinstance(cdn, str) or mapping.field.child("cdnAmpWebUrl") is None:
            continue
        node = ctx.node((*mapping.path, "cdnAmpWebUrl"))
        if "ampWebUrl" not in mapping.value:
            where = format_path((*mapping.path, "ampWebUrl"))
            yield node.finding(f"{node.name} is set but {where} is missing")
            continue
        if not isinstance(amp, str) or url_problem(amp) is not None:
            continue  # wrong-type or invalid-url reports it
        if ":" in (urlsplit(amp).hostname or ""):
            continue  # an IPv6 address: the AMP cache serves host names only
        expected = cache_url(amp)
        if cdn != expected:
            yield node.finding(
                f"{node.name} is not the AMP cache URL of the AMP URL; expected {expected!r}",
                (Replace(node.path, expected),),
            )
