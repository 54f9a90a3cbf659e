"""The query language of ``search``, ``list --where`` and ``edit --where``: parse once, test many.

Grammar (docs/query.md has it with examples)::

    query    := or
    or       := and ("OR" and)*
    and      := unary ("AND"? unary)*
    unary    := ("NOT" | "-") unary | primary
    primary  := "(" or ")" | term
    term     := "has:" field | "missing:" field | field op value | word | "phrase"
    op       := ":" | "=" | "~" | ">" | ">=" | "<" | "<="
    value    := word | "quoted" | /regex/flags (after ~)

A bare word or phrase matches title or excerpt, case-insensitively.  ``field:value`` is a
case-insensitive substring for text, equality for numbers and booleans, and for lists any
element.  Comparisons read dates with dateutil or as relative forms (``today``, ``yesterday``,
``7d``, ``2w``, ``3m``, ``1y``: that long ago) and compare instants.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Union

from dateutil import parser as date_parser
from dateutil.relativedelta import relativedelta

from newsmeta.errors import UsageError

TEXT_FIELDS = ("title", "excerpt")


class QueryError(UsageError):
    """A malformed query; ``position`` is the 0-based character where reading failed."""

    def __init__(self, query: str, position: int, reason: str) -> None:
        self.query = query
        self.position = position
        self.reason = reason
        from newsmeta.output import printable

        # The query as the terminal shows it: escaped, the caret under the escaped text.
        pointer = " " * len(printable(query[:position])) + "^"
        self.lines = [
            f"bad query at character {position + 1}: {reason}",
            f"  {printable(query)}",
            f"  {pointer}",
        ]
        super().__init__("\n".join(self.lines))


# -- the tree -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    """A bare word or a quoted phrase: in title or excerpt, any case."""

    text: str


@dataclass(frozen=True)
class Has:
    field: str
    present: bool  # False for missing:field


@dataclass(frozen=True)
class Compare:
    field: str
    op: str  # one of : = ~ > >= < <=
    value: str
    flags: str = ""  # regex flags after /.../


@dataclass(frozen=True)
class Not:
    operand: Node


@dataclass(frozen=True)
class And:
    operands: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    operands: tuple[Node, ...]


Node = Union[Text, Has, Compare, Not, And, Or]  # noqa: UP007


# -- reading a query ------------------------------------------------------------------------

# A dotted key with indexes (negative from the end): provider.name, images[0].url, related[-1].
_FIELD = re.compile(r"[^\W\d][\w-]*(?:\[-?\d+\])*(?:\.[^\W\d][\w-]*(?:\[-?\d+\])*)*")
_OPERATORS = (">=", "<=", ":", "=", "~", ">", "<")
_STOP = set(" \t\n()")


@dataclass(frozen=True)
class _Token:
    kind: str  # "(" ")" "OR" "AND" "NOT" "TERM"
    start: int
    node: Node | None = None


class _Reader:
    def __init__(self, query: str) -> None:
        self.query = query
        self.at = 0

    def fail(self, reason: str, at: int | None = None) -> QueryError:
        return QueryError(self.query, self.at if at is None else at, reason)

    def tokens(self) -> Iterator[_Token]:
        text = self.query
        while True:
            while self.at < len(text) and text[self.at].isspace():
                self.at += 1
            if self.at >= len(text):
                return
            start, char = self.at, text[self.at]
            if char in "()":
                self.at += 1
                yield _Token(char, start)
            elif char == "-" and self.at + 1 < len(text) and not text[self.at + 1].isspace():
                self.at += 1
                yield _Token("NOT", start)
            else:
                yield self._term(start)

    def _term(self, start: int) -> _Token:
        text = self.query
        if text[start] == '"':
            return _Token("TERM", start, Text(self._quoted()))
        field = _FIELD.match(text, start)
        if field is not None:
            end = field.end()
            op = next((o for o in _OPERATORS if text.startswith(o, end)), None)
            if op is not None:
                self.at = end + len(op)
                return _Token("TERM", start, self._condition(field.group(), op, start))
        if text[start] in ":=~<>":
            raise self.fail("an operator needs a field name before it, such as quality>50")
        word = self._word()
        if word in ("OR", "AND", "NOT"):
            return _Token(word, start)
        return _Token("TERM", start, Text(word))

    def _word(self) -> str:
        text, start = self.query, self.at
        while self.at < len(text) and text[self.at] not in _STOP:
            if text[self.at] == '"':
                raise self.fail("a quote inside a word; put the whole phrase in quotes")
            self.at += 1
        return text[start : self.at]

    def _quoted(self) -> str:
        text, start = self.query, self.at
        self.at += 1
        out = []
        while self.at < len(text):
            char = text[self.at]
            if char == "\\" and self.at + 1 < len(text):
                out.append(text[self.at + 1])
                self.at += 2
                continue
            if char == '"':
                self.at += 1
                return "".join(out)
            out.append(char)
            self.at += 1
        raise self.fail("this quote is never closed", start)

    def _condition(self, field: str, op: str, start: int) -> Node:
        text = self.query
        if field in ("has", "missing") and op == ":":
            name = _FIELD.match(text, self.at)
            if name is None:
                raise self.fail(f"{field}: needs a field name, such as {field}:ampWebUrl")
            self.at = name.end()
            return Has(name.group(), present=field == "has")
        if self.at >= len(text) or text[self.at] in _STOP:
            raise self.fail(f"{field}{op} needs a value")
        if op == "~":
            if text[self.at] != "/":
                raise self.fail("a regular expression is written /like this/ (flags: i)")
            pattern, flags = self._regex()
            return Compare(field, op, pattern, flags)
        value = self._quoted() if text[self.at] == '"' else self._word()
        if op in (">", ">=", "<", "<=") and not value:
            raise self.fail(f"{field}{op} needs a value")
        return Compare(field, op, value)

    def _regex(self) -> tuple[str, str]:
        text, start = self.query, self.at
        self.at += 1
        out = []
        while self.at < len(text) and text[self.at] != "/":
            if text[self.at] == "\\" and self.at + 1 < len(text):
                out.append(text[self.at : self.at + 2])
                self.at += 2
                continue
            out.append(text[self.at])
            self.at += 1
        if self.at >= len(text):
            raise self.fail("this regular expression is never closed with /", start)
        self.at += 1
        flags_start = self.at
        while self.at < len(text) and text[self.at] not in _STOP:
            self.at += 1
        flags = text[flags_start : self.at]
        if set(flags) - set("i"):
            raise self.fail(f"unknown regular expression flag in {flags!r} (only i)", flags_start)
        pattern = "".join(out)
        try:
            re.compile(pattern)
        except re.error as error:
            raise self.fail(
                f"bad regular expression: {error}", start + 1 + (error.pos or 0)
            ) from error
        except (OverflowError, RecursionError) as error:
            raise self.fail("this regular expression is too large", start) from error
        return pattern, flags


MAX_DEPTH = 100  # parentheses and negations, one inside the other


class _Parser:
    def __init__(self, query: str) -> None:
        self.reader = _Reader(query)
        self.tokens = list(self.reader.tokens())
        self.index = 0
        self.depth = 0

    def peek(self) -> _Token | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def take(self) -> _Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def fail(self, reason: str, token: _Token | None) -> QueryError:
        at = token.start if token is not None else len(self.reader.query)
        return self.reader.fail(reason, at)

    def parse(self) -> Node:
        if not self.tokens:
            raise self.fail("the query is empty", None)
        node = self.parse_or()
        token = self.peek()
        if token is not None:
            raise self.fail("this ) has no ( before it", token)
        return node

    def parse_or(self) -> Node:
        operands = [self.parse_and()]
        while (token := self.peek()) is not None and token.kind == "OR":
            self.take()
            operands.append(self.parse_and())
        return operands[0] if len(operands) == 1 else Or(tuple(operands))

    def parse_and(self) -> Node:
        operands = [self.parse_unary()]
        while (token := self.peek()) is not None and token.kind not in ("OR", ")"):
            if token.kind == "AND":
                self.take()
            operands.append(self.parse_unary())
        return operands[0] if len(operands) == 1 else And(tuple(operands))

    def parse_unary(self) -> Node:
        token = self.peek()
        if token is None:
            raise self.fail("the query ends where a term was expected", None)
        if token.kind in ("NOT", "("):
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise self.fail(f"more than {MAX_DEPTH} levels of ( and NOT", token)
            try:
                return self._nested(token)
            finally:
                self.depth -= 1
        if token.kind == "TERM" and token.node is not None:
            self.take()
            return token.node
        raise self.fail(f"expected a term, not {token.kind}", token)

    def _nested(self, token: _Token) -> Node:
        self.take()
        if token.kind == "NOT":
            return Not(self.parse_unary())
        inner = self.parse_or()
        closing = self.peek()
        if closing is None or closing.kind != ")":
            raise self.fail("this ( is never closed", token)
        self.take()
        return inner


def parse(query: str) -> Node:
    """Read ``query`` into a tree, or raise :class:`QueryError` pointing at the bad character."""
    return _Parser(query).parse()


# -- answering a query ----------------------------------------------------------------------

_PATH_PART = re.compile(r"([^.\[\]]+)|\[(-?\d+)\]")


def field_values(data: Any, field: str) -> list[Any]:
    """Every value at dotted ``field`` in ``data``; lists on the way fan out, a final list too.

    ``related.provider.name`` gives each related item's provider name; ``images[0].url`` the
    first image's URL; ``topics`` each topic.
    """
    values = [data]
    for name, index in _PATH_PART.findall(field):
        step: list[Any] = []
        for value in values:
            if index:
                if isinstance(value, list) and -len(value) <= int(index) < len(value):
                    step.append(value[int(index)])
                continue
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, dict) and name in item:
                    step.append(item[name])
        values = step
    flat: list[Any] = []
    while values:  # lists of lists too: what a table shows, a query finds
        value = values.pop(0)
        if isinstance(value, list):
            values[:0] = value
        else:
            flat.append(value)
    return flat


def _present(value: Any) -> bool:
    return value is not None and value != "" and value != [] and value != {}


_RELATIVE = re.compile(r"^(\d+)\s*([dwmy])$")


def read_instant(text: str, now: dt.datetime) -> dt.datetime | None:
    """A query's date: relative (``today``, ``7d``, ``3m``) or anything dateutil reads.

    Without a zone, a date is read as UTC.
    """
    lowered = text.strip().lower()
    today = now.replace(hour=0, minute=0, second=0, microsecond=0)
    if lowered == "now":
        return now
    if lowered == "today":
        return today
    if lowered == "yesterday":
        return today - dt.timedelta(days=1)
    match = _RELATIVE.match(lowered)
    if match is not None:
        count, unit = int(match.group(1)), match.group(2)
        delta = {
            "d": relativedelta(days=count),
            "w": relativedelta(weeks=count),
            "m": relativedelta(months=count),
            "y": relativedelta(years=count),
        }[unit]
        try:
            return now - delta
        except (OverflowError, ValueError):  # before the year 1: as far back as dates go
            return dt.datetime.min.replace(tzinfo=dt.timezone.utc)
    return as_instant(text)


# Text is a date only with a four-digit year in it: "85" and "27" are numbers, not 1985.
_YEAR = re.compile(r"(?<!\d)\d{4}(?!\d)")
ISO_DATE = re.compile(r"^\s*\d{4}-\d{2}-\d{2}")


def as_instant(value: Any) -> dt.datetime | None:
    """A field or query value as an aware datetime (UTC when it has no zone), or None."""
    if isinstance(value, dt.datetime):
        instant = value
    elif isinstance(value, dt.date):
        instant = dt.datetime(value.year, value.month, value.day)
    elif isinstance(value, str) and _YEAR.search(value):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", date_parser.UnknownTimezoneWarning)
                instant = date_parser.parse(value, default=dt.datetime(2000, 1, 1))
        except (ValueError, OverflowError):
            return None
    else:
        return None
    try:
        if instant.utcoffset() is None:
            instant = instant.replace(tzinfo=dt.timezone.utc)
    except ValueError:
        return None
    return instant


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _truth(text: str) -> bool | None:
    return {"true": True, "yes": True, "false": False, "no": False}.get(text.lower())


def _contains(value: Any, wanted: str) -> bool:
    if isinstance(value, bool):
        return _truth(wanted) is value
    if isinstance(value, (int, float)):
        number = _number(wanted)
        return number is not None and value == number
    if isinstance(value, dt.date):
        text = value.isoformat().lower()
        return wanted.lower() in text or wanted.lower() in text.replace("+00:00", "z")
    return isinstance(value, str) and wanted.casefold() in value.casefold()


def _equals(value: Any, wanted: str) -> bool:
    if isinstance(value, bool):
        return _truth(wanted) is value
    if isinstance(value, (int, float)):
        number = _number(wanted)
        return number is not None and value == number
    if isinstance(value, dt.date) or (isinstance(value, str) and ISO_DATE.match(value)):
        # A date, or a date written as quoted text: the same instant, whatever the spelling.
        mine, theirs = as_instant(value), as_instant(wanted)
        if mine is not None and theirs is not None:
            return mine == theirs
    return isinstance(value, str) and value == wanted


_ORDER: dict[str, Callable[[Any, Any], bool]] = {
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
}


def _order(value: Any, op: str, wanted: str, now: dt.datetime) -> bool:
    compare = _ORDER[op]
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = _number(wanted)
        return number is not None and compare(value, number)
    mine, theirs = as_instant(value), read_instant(wanted, now)
    if mine is not None and theirs is not None:
        return bool(compare(mine, theirs))
    return False


@dataclass(frozen=True)
class Matcher:
    """A parsed query, ready to test articles' plain data."""

    tree: Node
    now: dt.datetime

    def __call__(self, data: Any) -> bool:
        return self._test(self.tree, data if isinstance(data, dict) else {})

    def _test(self, node: Node, data: dict[str, Any]) -> bool:
        if isinstance(node, And):
            return all(self._test(operand, data) for operand in node.operands)
        if isinstance(node, Or):
            return any(self._test(operand, data) for operand in node.operands)
        if isinstance(node, Not):
            return not self._test(node.operand, data)
        if isinstance(node, Text):
            wanted = node.text.casefold()
            return any(
                isinstance(v, str) and wanted in v.casefold()
                for field in TEXT_FIELDS
                for v in field_values(data, field)
            )
        if isinstance(node, Has):
            return any(_present(v) for v in field_values(data, node.field)) is node.present
        return any(self._compare(node, value) for value in field_values(data, node.field))

    def _compare(self, node: Compare, value: Any) -> bool:
        if node.op == ":":
            return _contains(value, node.value)
        if node.op == "=":
            return _equals(value, node.value)
        if node.op == "~":
            text = value.isoformat() if isinstance(value, dt.date) else value
            if isinstance(value, bool):
                text = str(value).lower()
            elif isinstance(value, (int, float)):
                text = str(value)
            flags = re.IGNORECASE if "i" in node.flags else 0
            return isinstance(text, str) and re.search(node.value, text, flags) is not None
        return _order(value, node.op, node.value, self.now)


def compile_query(query: str, now: dt.datetime | None = None) -> Matcher:
    """Parse ``query`` into a :class:`Matcher`; ``now`` anchors relative dates (default: now)."""
    now = now or dt.datetime.now(dt.timezone.utc)
    if now.utcoffset() is None:
        now = now.replace(tzinfo=dt.timezone.utc)
    return Matcher(parse(query), now)


def query_fields(node: Node) -> list[str]:
    """The fields a query looks at (bare words look at title and excerpt)."""
    if isinstance(node, Text):
        return list(TEXT_FIELDS)
    if isinstance(node, (Has, Compare)):
        return [node.field]
    if isinstance(node, Not):
        return query_fields(node.operand)
    return [field for operand in node.operands for field in query_fields(operand)]


def highlight_terms(node: Node) -> list[str]:
    """The words a person would like to see highlighted: bare words, phrases, ``field:text``."""
    if isinstance(node, Text):
        return [node.text]
    if isinstance(node, Compare) and node.op in (":", "="):
        return [node.value]
    if isinstance(node, (And, Or)):
        return [term for operand in node.operands for term in highlight_terms(operand)]
    return []
