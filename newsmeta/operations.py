"""What ``newsmeta edit`` is told to do, read from the command line into values.

Nothing here touches a file: an :class:`Operation` names a key path and carries its value
already read (``--set quality=50`` holds the integer 50), so every file gets the same change
and a bad value is a usage error before any file is opened.  :mod:`newsmeta.edit` applies them.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from dataclasses import dataclass
from typing import Any, Union

from newsmeta.errors import ArticleError, UsageError
from newsmeta.schema import Schema

Key = Union[str, int]  # noqa: UP007 - a runtime alias, kept valid on Python 3.10
KeyPath = tuple[Key, ...]

_NAME = re.compile(r"[^.\[\]]+")
_INDEX = re.compile(r"\[(-?\d+)\]")
# Declared types whose value is text: --set takes what was typed as that text.
_TEXT_TYPES = frozenset({"string", "url"})


class Kind(str, enum.Enum):
    """The operations, named as their options."""

    SET = "set"
    SET_STR = "set-str"
    UNSET = "unset"
    ADD = "add"
    REMOVE = "remove"
    RENAME = "rename"

    @property
    def option(self) -> str:
        return f"--{self.value}"


@dataclass(frozen=True)
class Operation:
    """One operation: ``value`` is the round-trip value to write (set, add, remove) or the
    new key name (rename); ``text`` is the argument as typed, for messages."""

    kind: Kind
    path: KeyPath
    value: Any = None
    text: str = ""

    def __str__(self) -> str:
        return f"{self.kind.option} {self.text}"


def format_path(path: KeyPath) -> str:
    """``images[0].width`` for ``("images", 0, "width")``."""
    text = ""
    for key in path:
        text += f"[{key}]" if isinstance(key, int) else (f".{key}" if text else key)
    return text


def parse_path(text: str) -> KeyPath:
    """Read a dotted key path with indexes: ``provider.name``, ``related[-1].title``."""
    parts: list[Key] = []
    position = 0
    while position < len(text):
        if text[position] == "[":
            match = _INDEX.match(text, position)
            if match is None:
                column = position + 1
                raise UsageError(f"expected an index such as [0] at column {column}")
            if not parts:
                raise UsageError("a key path starts with a key name")
            parts.append(int(match.group(1)))
        else:
            if parts:
                if text[position] != ".":
                    raise UsageError(f"expected '.' or '[' at column {position + 1}")
                position += 1
            match = _NAME.match(text, position)
            if match is None:
                raise UsageError(f"empty key name at column {position + 1}")
            if match.group() != match.group().strip():
                raise UsageError(f"key name {match.group()!r} has spaces around it")
            parts.append(match.group())
        position = match.end()
    if not parts:
        raise UsageError("empty key path")
    return tuple(parts)


def key_names(path: KeyPath) -> tuple[str, ...]:
    return tuple(key for key in path if isinstance(key, str))


def _split(kind: Kind, argument: str) -> tuple[str, str]:
    key, equals, value = argument.partition("=")
    if not equals or not key:
        raise UsageError(f"{kind.option} {argument!r}: expected KEY=VALUE")
    return key, value


def read_yaml(kind: Kind, text: str) -> Any:
    """The value ``text`` stands for, read as YAML (a usage error if it cannot be read)."""
    from newsmeta.article import load_value

    try:
        return load_value(text)
    except ArticleError as error:
        where = f" (column {error.column})" if error.column else ""
        raise UsageError(f"cannot read {text!r} as YAML{where}: {error}") from error


def format_instant(instant: dt.datetime) -> str:
    """ISO 8601 with its time zone, ``Z`` for UTC: ``2020-06-11T16:42:00Z``."""
    text = instant.isoformat()
    return text[: -len("+00:00")] + "Z" if text.endswith("+00:00") else text


_POSIX_ZONE = re.compile(r"(?:UTC|GMT)\s*[+-]\s*\d", re.IGNORECASE)
_FOUR_DIGITS = re.compile(r"(?<!\d)\d{4}(?!\d)")


def read_instant(text: str, now: dt.datetime) -> dt.datetime:
    """``now``, a date relative to it as in queries (``today``, ``yesterday``, ``7d``) or
    anything dateutil reads with a four-digit year, as an aware datetime (UTC when no zone is
    given; missing parts are those of 1 January, as in queries)."""
    import warnings

    from dateutil import parser

    from newsmeta import query

    if text.strip().lower() == "now":
        return now.astimezone(dt.timezone.utc).replace(microsecond=0)
    if _POSIX_ZONE.search(text):
        # dateutil reads UTC+2 the POSIX way, as two hours *behind* UTC: refused, not guessed.
        raise UsageError(f"{text!r}: write the offset alone, such as +02:00, not UTC+2")
    with warnings.catch_warnings():
        warnings.simplefilter("error", parser.UnknownTimezoneWarning)
        try:
            parser.parse(text, default=dt.datetime(2000, 1, 1))
        except parser.UnknownTimezoneWarning as warning:
            raise UsageError(
                f"{text!r}: unknown time zone name; give an offset such as +01:00 or Z"
            ) from warning
        except (ValueError, OverflowError):
            pass
    instant = query.read_instant(text, now)
    if instant is None:
        reason = "with a four-digit year" if not _FOUR_DIGITS.search(text) else "that exists"
        raise UsageError(
            f"{text!r} is not a date and time {reason} (try 2024-03-01T09:30:00Z, 'now' or 'today')"
        )
    return instant.replace(microsecond=0) if instant.microsecond and "." not in text else instant


def _declared(path: KeyPath, schema: Schema, *, item: bool) -> str | None:
    """The declared type of the value at ``path`` (of its items, with ``item``)."""
    field = schema.field_at(key_names(path))
    if field is None:
        return None
    return field.items if item or isinstance(path[-1], int) else field.type


def _typed_value(kind: Kind, declared: str | None, text: str, now: dt.datetime) -> Any:
    """What ``text`` stands for in a key of the ``declared`` type."""
    if declared == "datetime":
        return read_yaml(kind, format_instant(read_instant(text, now)))
    if declared in _TEXT_TYPES:
        # A text field takes what was typed, colons, # and all; only a quoted YAML string is
        # read as YAML (and unquoted), and a YAML list for --add and --remove (two items).
        stripped = text.strip()
        if stripped[:1] in ("'", '"') or (kind is not Kind.SET and stripped[:1] == "["):
            try:
                value = read_yaml(kind, text)
            except UsageError:
                return text
            if isinstance(value, str) or (kind is not Kind.SET and isinstance(value, list)):
                return value
        return text
    return read_yaml(kind, text)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _refuse_surrogates(kind: Kind, argument: str, value: Any) -> None:
    """UTF-8 cannot store a lone surrogate (from ``"\\ud800"`` in YAML, or from command-line
    bytes that are not UTF-8): refuse it before any file is read."""
    stack = [argument, value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str) and _SURROGATE.search(item):
            raise UsageError(
                f"{kind.option}: the value holds a lone surrogate or bytes that are not UTF-8, "
                "which a UTF-8 file cannot store"
            )


def parse_operation(
    kind: Kind, argument: str, schema: Schema | None = None, now: dt.datetime | None = None
) -> Operation:
    """Read one option's argument (``KEY=VALUE``, ``KEY``, ``OLD=NEW``) into an operation;
    raise :class:`UsageError`, naming the option, if it cannot be read."""
    try:
        return _parse_operation(kind, argument, schema, now)
    except UsageError as error:
        message = str(error)
        if message.startswith(kind.option):
            raise
        raise UsageError(f"{kind.option} {argument!r}: {message}") from error


def _parse_operation(
    kind: Kind, argument: str, schema: Schema | None, now: dt.datetime | None
) -> Operation:
    schema = schema or Schema()
    now = now or dt.datetime.now(dt.timezone.utc)
    _refuse_surrogates(kind, argument, None)
    if kind is Kind.UNSET:
        if "=" in argument:
            raise UsageError("--unset takes KEY alone, not KEY=VALUE")
        return Operation(kind, parse_path(argument), text=argument)
    key, text = _split(kind, argument)
    path = parse_path(key)
    if kind is Kind.RENAME:
        if isinstance(path[-1], int):
            raise UsageError(f"--rename {argument!r}: only a mapping key can be renamed")
        new = text.strip()
        if not new or new != text or any(char in new for char in ".[]"):
            raise UsageError(
                f"--rename {argument!r}: NEW is the key's new name in the same mapping "
                "(no dots, brackets or surrounding spaces)"
            )
        return Operation(kind, path, new, argument)
    if kind is Kind.SET_STR:
        value: Any = text
    else:
        declared = _declared(path, schema, item=kind is not Kind.SET)
        value = _typed_value(kind, declared, text, now)
    _refuse_surrogates(kind, "", value)
    return Operation(kind, path, value, argument)
