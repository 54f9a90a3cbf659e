"""Reading values the way the rules need them: dates, URLs, HTML entities, mojibake."""

from __future__ import annotations

import datetime as dt
import functools
import html
import re
import unicodedata
import warnings
from dataclasses import dataclass
from urllib.parse import urlsplit

# A named, decimal or hexadecimal character reference such as &amp; &#038; &#x26;
ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")

_DEFAULTS = (dt.datetime(1, 1, 1, 0, 0, 0), dt.datetime(2, 2, 2, 1, 1, 1))


@dataclass(frozen=True)
class When:
    """A date value read from the front matter."""

    value: dt.datetime | None  # None: not a date at all
    has_time: bool = False
    complete: bool = False  # year, month and day all given

    @property
    def aware(self) -> bool:
        return self.value is not None and self.value.utcoffset() is not None


def _offset_ok(value: dt.datetime) -> bool:
    try:
        value.utcoffset()  # a zone of 24 hours or more cannot be used at all
    except ValueError:
        return False
    return True


def read_when(value: object) -> When:
    """Read a YAML timestamp, a date, or a string that dateutil understands."""
    if isinstance(value, dt.datetime):
        if not _offset_ok(value):
            return When(None)
        return When(value, has_time=True, complete=True)
    if isinstance(value, dt.date):
        return When(dt.datetime(value.year, value.month, value.day), complete=True)
    if not isinstance(value, str) or not value.strip():
        return When(None)
    return _read_text(value)


@functools.lru_cache(maxsize=4096)
def _read_text(value: str) -> When:
    from dateutil import parser as date_parser  # only for dates written as text: rare

    try:
        # Parsed against two different defaults, a part the text lacks shows up as a difference.
        with warnings.catch_warnings():
            # An unknown zone name ("PDT") gives a date without a zone, which the rules
            # report; dateutil's own warning would only clutter the output.
            warnings.simplefilter("ignore", date_parser.UnknownTimezoneWarning)
            first, second = (date_parser.parse(value, default=d) for d in _DEFAULTS)
    except (ValueError, OverflowError):
        return When(None)
    if not _offset_ok(first):
        return When(None)
    complete = first.date() == second.date()
    # Seconds may be left out ("16:42Z"); hours and minutes make a time.
    has_time = (first.hour, first.minute) == (second.hour, second.minute)
    return When(first, has_time=has_time, complete=complete)


def unescape_entities(text: str) -> str:
    """``text`` with its HTML character references replaced by the characters they stand for."""
    return ENTITY.sub(lambda match: html.unescape(match.group()), text)


def entities_in(text: str) -> list[str]:
    """The character references in ``text`` that HTML would decode (``&#038;``, ``&amp;``)."""
    return [m.group() for m in ENTITY.finditer(text) if html.unescape(m.group()) != m.group()]


def describe_entities(found: list[str]) -> str:
    """``the HTML entity '&amp;'`` or ``the HTML entities '&lt;', '&gt;'``."""
    unique = list(dict.fromkeys(found))
    noun = "entity" if len(unique) == 1 else "entities"
    return f"the HTML {noun} " + ", ".join(repr(entity) for entity in unique)


# An address that is plainly well formed (most are): decided without parsing it.
_PLAIN_URL = re.compile(r"https?://(?:[A-Za-z0-9-]+\.)+[A-Za-z0-9-]+(?:[/?#][!-~]*)?")


def url_problem(url: str) -> str | None:
    """Why ``url`` is not an absolute http(s) URL with a host, or None when it is."""
    if _PLAIN_URL.fullmatch(url):
        return None
    if not url:
        return "is empty"
    # isprintable() rules out control, invisible and space characters (but the plain space)
    # at once: the character-by-character look is for the rare address that fails it.
    if not url.isprintable() or " " in url:
        if any(char.isspace() for char in url):
            return "contains white space"
        if any(unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Cn") for char in url):
            return "contains a control or invisible character"
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError as error:
        return f"cannot be read as a URL ({error})"
    if parts.scheme.lower() not in ("http", "https"):
        return "is not an absolute http(s) URL"
    if not host or ("." not in host.strip(".") and ":" not in host and host != "localhost"):
        return "has no valid host name"
    return None


def page_key(url: str) -> str:
    """A form of ``url`` that is equal for the addresses of one page.

    The scheme, ``www.``, the case of the host, the scheme's default port, a trailing ``/``
    and the ``#fragment`` do not count.
    """
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").removeprefix("www.")
    if parts.port is not None and parts.port != {"http": 80, "https": 443}.get(parts.scheme):
        host += f":{parts.port}"
    path = parts.path.rstrip("/") or "/"
    query = f"?{parts.query}" if parts.query else ""
    return f"{host}{path}{query}"


def host_of(url: object) -> str | None:
    """The lower-case host of an http(s) URL, or None."""
    if not isinstance(url, str) or url_problem(url) is not None:
        return None
    return urlsplit(url).hostname


# Runs of the characters Windows-1252 decodes bytes 0x80-0xFF to.
_CP1252_CHARS = (
    "\u0080-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013-\u203a\u20ac\u2122"
)
_CP1252_RUN = re.compile(f"[{_CP1252_CHARS}]{{2,}}")


def mojibake_in(text: str) -> str | None:
    """A run of characters that is UTF-8 read as Windows-1252 (``â€™`` for ``’``), if any."""
    for match in _CP1252_RUN.finditer(text):
        run = match.group()
        try:
            decoded = run.encode("cp1252").decode("utf-8")
        except UnicodeError:
            continue
        # UTF-8 misread as Windows-1252 is, in practice, Latin, Greek or Cyrillic text
        # (two bytes) or punctuation, symbols and CJK (three bytes); "Gruß“" is neither.
        if decoded != run and all(ord(c) < 0x0530 or ord(c) >= 0x0800 for c in decoded):
            return run
    return None
