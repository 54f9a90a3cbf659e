"""The fast reader: libyaml (through PyYAML) reading YAML 1.2 the way ruamel.yaml does.

Read-only commands (list, search, validate of a file with no problem) do not need ruamel's
round-trip tree, only the data.  PyYAML's C parser builds the node graph about fifteen times
faster than the round-trip loader, but PyYAML resolves plain scalars by YAML 1.1 (``yes`` and
``on`` are booleans, ``010`` is octal, ``1:30`` is a number) and keeps the last of two
duplicate keys.  This module gives the parser ruamel's YAML 1.2 resolver table and builds the
data itself with ruamel's rules for numbers and dates.

It reads only what it is sure of.  Anything unusual (an alias or an anchor, an explicit tag, a
merge key, a duplicate, complex or float key, an impossible date, a tab, a ``%`` directive, the
line breaks NEL, LS and PS, an odd block scalar, a document that is not a mapping, nesting
deeper than :data:`MAX_DEPTH`, any parse error) raises :class:`Unsure`, and the caller reads
the front matter again with the round-trip loader, which gives the same data or the precise
error with its position.  ``tests/test_fastyaml.py`` proves the two readers agree over the seeds,
the real corpora and generated front matter.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Any

# An alias (``*name``) where YAML allows one; with none, nothing is shared and nothing can
# expand, so no alias bomb is possible.  A false alarm (``*bold*`` in text) only costs speed.
_ALIAS = re.compile(r"(?:^|[\s\[{,:])\*")
# Every level of nesting needs one of these characters (or a new line); with fewer of them than
# this, the C parser cannot recurse deeply enough to crash (some libyaml builds do not limit
# depth).
_NESTING_CHARS = "[{-?:\n"
# An anchor (``&name``) or a tag (``!``, ``!!str``): rare in front matter, and where libyaml
# and ruamel disagree on odd spellings; left to ruamel.
_ANCHOR = re.compile(r"(?:^|[\s\[{,])&[^\s,\[\]{}]")
_TAG = re.compile(r"(?:^|[\s\[{,])!")
_ADJACENT = re.compile(r"[\"'] *:(?=\S)")
# A block scalar whose header runs into a comment ("|#") or whose first line is blank.
_BLOCK_SCALAR = re.compile(
    r"(?:^[ ]*(?:[-?][ ]+)*|:[ ]+)[|>][-+0-9]*(?:#|[ ]*(?:#[^\n]*)?\n[ ]*(?:\n|$))", re.MULTILINE
)
# ruamel's composer gives up on deep nesting (about 250 levels, fewer from a deep stack).
MAX_DEPTH = 64
MAX_INDICATORS = 5000

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"

# ruamel.yaml's implicit resolvers for YAML 1.2 (resolver.py), in its order.
_RESOLVERS: tuple[tuple[str, str, str], ...] = (
    (_BOOL, r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    (
        _FLOAT,
        r"""^(?:
         [-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?
        |[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)
        |[-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?
        |[-+]?\.(?:inf|Inf|INF)
        |\.(?:nan|NaN|NAN))$""",
        "-+0123456789.",
    ),
    (
        _INT,
        r"""^(?:[-+]?0b[0-1_]+
        |[-+]?0o?[0-7_]+
        |[-+]?[0-9_]+
        |[-+]?0x[0-9a-fA-F_]+)$""",
        "-+0123456789",
    ),
    ("tag:yaml.org,2002:merge", r"^(?:<<)$", "<"),
    (_NULL, r"^(?: ~ |null|Null|NULL | )$", "~nN\0"),
    (
        _TIMESTAMP,
        r"""^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]
        |[0-9][0-9][0-9][0-9] -[0-9][0-9]? -[0-9][0-9]?
        (?:[Tt]|[ \t]+)[0-9][0-9]?
        :[0-9][0-9] :[0-9][0-9] (?:\.[0-9]*)?
        (?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$""",
        "0123456789",
    ),
    ("tag:yaml.org,2002:value", r"^(?:=)$", "="),
)

# ruamel.yaml's util.timestamp_regexp.
_TIMESTAMP_PARTS = re.compile(
    r"""^(?P<year>[0-9][0-9][0-9][0-9])
       -(?P<month>[0-9][0-9]?)
       -(?P<day>[0-9][0-9]?)
       (?:((?P<t>[Tt])|[ \t]+)
       (?P<hour>[0-9][0-9]?)
       :(?P<minute>[0-9][0-9])
       :(?P<second>[0-9][0-9])
       (?:\.(?P<fraction>[0-9]*))?
        (?:[ \t]*(?P<tz>Z|(?P<tz_sign>[-+])(?P<tz_hour>[0-9][0-9]?)
       (?::(?P<tz_minute>[0-9][0-9]))?))?)?$""",
    re.X,
)


class Unsure(Exception):
    """The fast reader will not say what this front matter holds: read it the careful way."""


# The resolvers by the first character of the text they may match ("" for the empty text).
_TABLE: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
for _tag, _pattern, _first in _RESOLVERS:
    for _char in _first:
        _TABLE.setdefault("" if _char == "\0" else _char, []).append(
            (_tag, re.compile(_pattern, re.X))
        )


def implicit_tag(text: str) -> str | None:
    """The tag YAML 1.2 (as ruamel reads it) gives ``text`` written plain, or None for a
    string."""
    for tag, regexp in _TABLE.get(text[:1], ()):
        if regexp.match(text):
            return tag
    return None


@functools.cache
def _loader_class() -> Any:
    from yaml.nodes import ScalarNode
    from yaml.resolver import BaseResolver

    try:
        from yaml._yaml import CParser
    except ImportError:
        return None

    scalar_node = ScalarNode

    class Loader(CParser, BaseResolver):  # type: ignore[misc]
        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            BaseResolver.__init__(self)

        def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
            # ruamel's YAML 1.2 table instead of PyYAML's 1.1 one, and no path resolvers
            # (none are used): called for every scalar, in a third of BaseResolver's time.
            if kind is scalar_node:
                return (implicit_tag(value) or _STR) if implicit[0] else _STR
            return _SEQ if kind.__name__ == "SequenceNode" else _MAP

    return Loader


def available() -> bool:
    """Whether PyYAML with libyaml is installed (without it, everything reads the careful way)."""
    try:
        return _loader_class() is not None
    except ImportError:
        return False


def deeper_than(text: str, limit: int) -> bool:
    """Whether collections nest more than ``limit`` levels deep in ``text``, told from libyaml's
    events in linear time (ruamel's scanner takes quadratic time on deep flow collections
    before it runs out of stack).  False when libyaml is missing or the text does not parse
    before that depth: the careful reader then reports what it finds."""
    from yaml.events import CollectionEndEvent, CollectionStartEvent

    loader_class = _loader_class()
    if loader_class is None:
        return False
    loader = loader_class(text)
    depth = 0
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, CollectionStartEvent):
                depth += 1
                if depth > limit:
                    return True
            elif isinstance(event, CollectionEndEvent):
                depth -= 1
    except Exception as error:  # a syntax error, or libyaml's own nesting limit (1,000)
        return "maximum nesting depth" in str(error)
    finally:
        loader.dispose()
    return False


def _may_hold(text: str, indicator: str) -> bool:
    """Whether ``indicator`` stands where YAML reads it as one (at the start, or after a space
    or a flow character): a few substring tests, cheaper than a regular expression."""
    return indicator in text and (
        text.startswith(indicator) or any(f"{before}{indicator}" in text for before in " \n\r[{,:")
    )


def load(text: str) -> Any:
    """The front matter's data (a dict, or None when empty), or :class:`Unsure`."""
    if (
        sum(map(text.count, _NESTING_CHARS)) > MAX_INDICATORS
        or (_may_hold(text, "*") and _ALIAS.search(text))
        or (_may_hold(text, "&") and _ANCHOR.search(text))  # libyaml and ruamel differ on "&a:b"
        or (_may_hold(text, "!") and _TAG.search(text))  # and on an empty "!" value
        or ((_may_hold(text, "|") or _may_hold(text, ">")) and _BLOCK_SCALAR.search(text))
        or (('":' in text or "':" in text or " :" in text) and _ADJACENT.search(text))
        or "\t" in text  # libyaml reads a tab after a plain value, ruamel refuses it
        or text.startswith("%")  # a directive (%YAML 1.1) changes how ruamel reads scalars
        or "\n%" in text
        or "\x85" in text  # line breaks of YAML 1.1 that YAML 1.2 readers disagree on
        or "\u2028" in text
        or "\u2029" in text
    ):
        raise Unsure
    loader_class = _loader_class()
    if loader_class is None:
        raise Unsure
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
    except Exception as error:  # a syntax error, or several documents
        raise Unsure from error
    finally:
        loader.dispose()
    if node is None:
        return None
    if node.tag != _MAP or node.__class__.__name__ != "MappingNode":
        raise Unsure
    try:
        return _mapping(node, 1)
    except (ValueError, TypeError, IndexError, KeyError, OverflowError, RecursionError) as error:
        raise Unsure from error


def _build(node: Any, depth: int) -> Any:
    tag = node.tag
    if tag == _STR:
        value = node.value
        if isinstance(value, str):
            return value
        raise Unsure
    if depth >= MAX_DEPTH:
        raise Unsure
    if tag == _MAP:
        if isinstance(node.value, list) and node.__class__.__name__ == "MappingNode":
            return _mapping(node, depth + 1)
        raise Unsure
    if tag == _SEQ:
        if node.__class__.__name__ == "SequenceNode":
            return [_build(item, depth + 1) for item in node.value]
        raise Unsure
    if node.__class__.__name__ != "ScalarNode":
        raise Unsure
    build = _SCALARS.get(tag)
    if build is None:
        raise Unsure
    return build(node.value)


def _mapping(node: Any, depth: int) -> dict[Any, Any]:
    data: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        if key_node.__class__.__name__ != "ScalarNode":
            raise Unsure  # a complex key
        key = _build(key_node, depth)
        if key in data or isinstance(key, float):
            # A duplicate: the careful reader names both lines (and a NaN is never "in").
            raise Unsure
        data[key] = _build(value_node, depth)
    return data


def _null(value: str) -> None:
    return None


# ruamel's SafeConstructor.bool_values: what an explicit ``!!bool`` accepts.
_BOOLS = {"yes": True, "no": False, "y": True, "n": False, "true": True, "false": False}
_BOOLS.update(on=True, off=False)


def _bool(value: str) -> bool:
    return _BOOLS[value.lower()]


def _int(text: str) -> int:
    value = text.replace("_", "")
    sign = 1
    if value[0] in "+-":
        sign = -1 if value[0] == "-" else 1
        value = value[1:]
    if value[:2] == "0b":
        return sign * int(value[2:], 2)
    if value[:2] == "0x":
        return sign * int(value[2:], 16)
    if value[:2] == "0o":
        return sign * int(value[2:], 8)
    if not value.isdigit() or not value.isascii():
        raise Unsure
    return sign * int(value)


_INF = float("inf")


def _float(text: str) -> float:
    value = text.replace("_", "").lower()
    sign = 1
    if value[0] in "+-":
        sign = -1 if value[0] == "-" else 1
        value = value[1:]
    if value == ".inf":
        return sign * _INF
    if value == ".nan":
        return float("nan")
    return sign * float(value)


def read_timestamp(text: str) -> dt.date:
    """A timestamp as ruamel reads it; ValueError or :class:`Unsure` when it is none."""
    match = _TIMESTAMP_PARTS.match(text)
    if match is None:
        raise Unsure
    parts = match.groupdict()
    day = dt.date(int(parts["year"]), int(parts["month"]), int(parts["day"]))
    if parts["hour"] is None:
        return day
    fraction = parts["fraction"] or ""
    micro = int(fraction[:6].ljust(6, "0")) if fraction else 0
    if len(fraction) > 6 and int(fraction[6]) > 4:
        raise Unsure  # ruamel rounds such a fraction its own way
    zone: dt.tzinfo | None = None
    if parts["tz_sign"]:
        offset = dt.timedelta(hours=int(parts["tz_hour"]), minutes=int(parts["tz_minute"] or 0))
        zone = dt.timezone(-offset if parts["tz_sign"] == "-" else offset, name=parts["tz"])
    elif parts["tz"] == "Z":
        zone = dt.timezone(dt.timedelta(0), name="Z")
    return dt.datetime(
        day.year,
        day.month,
        day.day,
        int(parts["hour"]),
        int(parts["minute"]),
        int(parts["second"]),
        micro,
        zone,
    )


_SCALARS: dict[str, Any] = {
    _NULL: _null,
    _BOOL: _bool,
    _INT: _int,
    _FLOAT: _float,
    _TIMESTAMP: read_timestamp,
}
