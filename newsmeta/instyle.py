"""Decide "already in the house style" without the round trip, for ``reformat --check``.

Reformatting reads the round-trip tree, restyles it and writes it whole: about 8 ms a file.
Most files of an archive are in style already, and for those the answer can come from the data
alone: write the house style of the fast reader's data directly, as text, and compare it with
the file.  If they are equal, the file is its own house style.

:func:`house_lines` only writes what it is sure the reformatter would write the same way:
strings that are plainly plain or simply double-quoted, integers, booleans, dates compared with
the file's own spelling, block mappings and lists.  For anything else (comments make the file
differ anyway; floats, nulls, empty collections, multi-line or escaped strings, odd keys) it
says None and the caller reformats the careful way.  ``tests/test_instyle.py`` checks, over
generated data, that whatever it writes, the reformatter leaves unchanged.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

from newsmeta import fastyaml
from newsmeta.apply import yaml_1_1_scalar
from newsmeta.reformat import ISO_8601, HouseStyle, house_key_order, wants_blank_line
from newsmeta.reformat import LAST as LAST  # the key the house style puts last

if TYPE_CHECKING:
    from newsmeta.article import Article

# Conservative: text YAML (1.2, and 1.1 readers too) can only take for this very string.
_PLAIN_START = re.compile(r"[A-Za-z0-9\u00c0-\uffef]")
_NOT_PLAIN = re.compile(r"[,\[\]{}#&*!|>'\"%@`\\]|: |:$")


class _Date:
    """A date in the expected text: the file's own ISO 8601 spelling of this instant passes."""

    __slots__ = ("prefix", "value")

    def __init__(self, prefix: str, value: dt.datetime) -> None:
        self.prefix = prefix
        self.value = value

    def matches(self, line: str) -> bool:
        if not line.startswith(self.prefix):
            return False
        text = line[len(self.prefix) :]
        if self.value.tzinfo is not None and not ISO_8601.match(text):
            return False  # the reformatter would rewrite it as ISO 8601
        try:
            read = fastyaml.read_timestamp(text)
        except (fastyaml.Unsure, ValueError, OverflowError):
            return False
        return (
            isinstance(read, dt.datetime)
            and read == self.value
            and read.utcoffset() == self.value.utcoffset()
        )


Line = str | _Date


class _Unsure(Exception):
    pass


def plain_safe(text: str) -> bool:
    """Whether ``text`` is surely written plain by the reformatter (a subset of what
    :func:`newsmeta.apply.plain_allowed` allows, decided without writing YAML)."""
    return (
        bool(text)
        and _PLAIN_START.match(text) is not None
        and text == text.strip()
        and text.isprintable()
        and _NOT_PLAIN.search(text) is None
        and " #" not in text
        and fastyaml.implicit_tag(text) is None
        and not yaml_1_1_scalar(text)
        and all(char < "\U00010000" for char in text)
    )


def _quoted(text: str) -> str:
    if not text.isprintable() or '"' in text or "\\" in text:
        raise _Unsure
    if any(char >= "\U00010000" for char in text):
        raise _Unsure
    return f'"{text}"'


def _scalar(value: Any, name: str, style: HouseStyle) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        if name in style.dates:
            raise _Unsure  # a date written as text may be rewritten as a date
        if name in style.quoted:
            return _quoted(value)
        if plain_safe(value):
            return value
        raise _Unsure  # quoted or plain: only the reformatter knows
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    raise _Unsure  # floats, nulls, bytes, sets: their spelling is not in the data


# ruamel writes a key of 128 characters or more (its "!!str" tag counted) as "? key".
_LONGEST_KEY = 100


def _key(key: Any) -> str:
    if isinstance(key, str) and len(key) <= _LONGEST_KEY and plain_safe(key):
        return key
    raise _Unsure


def _value(prefix: str, value: Any, name: str, indent: int, style: HouseStyle) -> list[Line]:
    """The lines of ``prefix`` (``key:`` or ``- ``) followed by ``value``."""
    if isinstance(value, dict):
        if not value:
            raise _Unsure
        return [prefix.rstrip(), *_mapping(value, name, indent + 2, style)]
    if isinstance(value, list):
        if not value:
            raise _Unsure
        return [prefix.rstrip(), *_sequence(value, name, indent + 2, style)]
    if isinstance(value, dt.datetime):
        return [_Date(prefix, value)]
    return [prefix + _scalar(value, name, style)]


def _mapping(data: dict[Any, Any], name: str, indent: int, style: HouseStyle) -> list[Line]:
    pad = " " * indent
    lines: list[Line] = []
    for key, value in data.items():
        child = f"{name}.{key}" if name else _key(key)
        lines.extend(_value(f"{pad}{_key(key)}: ", value, child, indent, style))
    return lines


def _sequence(items: list[Any], name: str, indent: int, style: HouseStyle) -> list[Line]:
    pad = " " * indent
    lines: list[Line] = []
    for item in items:
        if isinstance(item, dict):
            if not item:
                raise _Unsure
            inner = _mapping(item, name, indent + 2, style)
            first = inner[0]
            if not isinstance(first, str):  # a date as the first value: rare, not worth it
                raise _Unsure
            lines.append(f"{pad}- {first[indent + 2 :]}")
            lines.extend(inner[1:])
        elif isinstance(item, list):
            raise _Unsure
        elif isinstance(item, dt.datetime):
            lines.append(_Date(f"{pad}- ", item))
        else:
            lines.append(f"{pad}- {_scalar(item, name, style)}")
    return lines


def house_lines(data: dict[Any, Any], style: HouseStyle) -> list[Line] | None:
    """The front matter the reformatter would write for ``data`` (a file with these values and
    no comments), or None when it cannot tell without the round trip."""
    keys = list(data)
    if keys != house_key_order(keys, style.key_order):
        return None
    lines: list[Line] = []
    try:
        for key, value in data.items():
            name = _key(key)
            if lines and wants_blank_line(key, value):
                lines.append("")
            lines.extend(_value(f"{name}: ", value, name, 0, style))
    except _Unsure:
        return None
    return lines


def in_style(article: Article, style: HouseStyle) -> bool:
    """True when the article is surely in the house style already; False when it cannot tell
    this way (it may still be)."""
    newline = article.newline
    if article.opening != f"---{newline}".encode() or article.closing.rstrip(b"\r\n") != b"---":
        return False
    try:
        data = fastyaml.load(article.yaml_text)
    except fastyaml.Unsure:
        return False
    if not data:
        return False
    expected = house_lines(data, style)
    if expected is None or len(expected) != len(article.front_matter):
        return False
    for want, have in zip(expected, article.front_matter, strict=True):
        line = have[: -len(newline)] if have.endswith(newline) else have
        if line.endswith(("\r", "\n")):
            return False  # a line break of another kind than the file's
        if want.__class__ is str:
            if want != line:
                return False
        elif not want.matches(line):  # type: ignore[union-attr]
            return False
    return True
