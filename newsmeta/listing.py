"""Rows of article metadata for ``list`` and ``search``: read, filter, sort, count (no printing)."""

from __future__ import annotations

import base64
import datetime as dt
import functools
import json
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsmeta.article import load_plain, read_article, split_article
from newsmeta.engine import Job, kind_of, run
from newsmeta.query import ISO_DATE, as_instant, field_values
from newsmeta.report import IO_RULES, Problem, Severity, problem_of

if TYPE_CHECKING:
    from newsmeta.engine import CacheOpener

DEFAULT_COLUMNS = ("path", "publishedDateTime", "provider.name", "title", "quality")
BUCKETS = ("year", "month", "week", "day")


@dataclass(frozen=True)
class Row:
    """One article: its path and its front matter as plain data."""

    path: str
    data: dict[str, Any]


@dataclass(frozen=True)
class ReadJob(Job["Row | Problem"]):
    """Reading a file's front matter as plain data, as the engine runs it.

    With ``words``, a file whose text does not contain every one of them (in any case) cannot
    match the query and is not parsed at all: its payload is its raw text (``"raw"``), and its
    result is left out of the listing.
    """

    words: tuple[str, ...] = ()
    needed: frozenset[str] | None = None  # the top-level keys the run looks at; None: all

    def compute(self, path: str) -> tuple[Any, bool]:
        try:
            article = read_article(path)
            text = article.front_matter_text
            if self.words and not _may_contain(text, self.words):
                # Not parsed; the text is kept, so a later search for other words can rule
                # the file out from the cache too (any other run reads it again).
                return ("raw", text), True
            return ("data", *_slim(load_plain(article) or {})), True
        except Exception as error:  # a bad file, or a bug of ours: the listing goes on
            problem = problem_of(path, error)
            fields = (problem.line, problem.column, problem.rule, problem.message)
            return ("problem", fields), problem.rule not in IO_RULES

    def usable(self, payload: Any) -> bool:
        # A cached error is read again when there are words: the file may not hold them,
        # and then it is not search's business, as on a run without the cache.  The raw text
        # of a file a search ruled out serves only to rule it out again (in ``skip``).
        return payload[0] != "raw" and (not self.words or payload[0] != "problem")

    def skip(self, blob: bytes) -> Row | Problem | None:
        """A cached file whose bytes lack one of the (ASCII) words cannot match: left out
        without being decoded (text is stored as UTF-8 in a payload, so the word would be
        there, in some case, if the title or excerpt had it)."""
        if not self._ascii_words or _PROBLEM_MARK in blob[:24]:
            return None  # a file that could not be read is reported, words or not
        lowered = blob.lower()
        return None if all(word in lowered for word in self._ascii_words) else _LEFT_OUT

    @functools.cached_property
    def _ascii_words(self) -> tuple[bytes, ...]:
        if not self.words or not all(word.isascii() for word in self.words):
            return ()
        return tuple(word.lower().encode("ascii") for word in self.words)

    def result(self, path: str, payload: Any) -> Row | Problem:
        kind, *value = payload
        if kind == "raw":  # ruled out by this run's words
            left_out: Row = _LEFT_OUT
            return left_out
        if kind == "data":
            head, heavy, rest = value
            if heavy and (self.needed is None or not self.needed.isdisjoint(heavy)):
                from newsmeta.cache import decode

                head = {**head, **decode(rest)}  # the keys' order is not the file's: no matter
            return Row(path, head)
        ((line, column, rule, message),) = value
        return Problem(path, line, column, Severity.ERROR, rule, message)


# How a pickled ("problem", ...) payload starts, after the protocol and frame header.
_PROBLEM_MARK = b"\x8c\x07problem"
# A file that cannot match the words: not read, not listed.
_LEFT_OUT: Any = Row("", {})


def _slim(data: dict[Any, Any]) -> tuple[dict[Any, Any], tuple[Any, ...], bytes]:
    """The data in two parts: the values most runs look at, and the nested collections (images,
    related), kept as bytes to be decoded only by a run that asks for them."""
    heavy = {
        key: value
        for key, value in data.items()
        if isinstance(value, (list, dict))
        and any(isinstance(item, (list, dict)) for item in _items(value))
    }
    if not heavy:
        return data, (), b""
    from newsmeta.cache import encode

    head = {key: value for key, value in data.items() if key not in heavy}
    return head, tuple(heavy), encode(heavy)


def _items(value: list[Any] | dict[Any, Any]) -> Iterable[Any]:
    return value.values() if isinstance(value, dict) else value


def top_keys(fields: Iterable[str]) -> frozenset[str]:
    """The top-level keys of dotted fields (``images[0].url`` -> ``images``)."""
    return frozenset(_FAN_OUT_ANY.sub("", field.split(".", 1)[0]) for field in fields)


_FAN_OUT_ANY = re.compile(r"\[-?\d+\]")


def _may_contain(text: str, words: tuple[str, ...]) -> bool:
    """Whether ``text`` may hold every word; True when escapes could hide one."""
    if "\\" in text:
        return True  # "\u00e9" and a line broken with "\" in double quotes: parse to know
    folded = text.casefold()
    return all(word in folded for word in words)


def required_words(node: Any) -> tuple[str, ...]:
    """The words every article a query matches has in its title or excerpt (for a
    pre-filter on the raw text): those of bare words and phrases joined by AND."""
    from newsmeta.query import And, Text

    if isinstance(node, Text):
        words = node.text.casefold().split()
        return tuple(word for word in words if "'" not in word)  # 'it''s' in single quotes
    if isinstance(node, And):
        return tuple(word for operand in node.operands for word in required_words(operand))
    return ()


def iter_rows(
    paths: Iterable[Path],
    *,
    words: tuple[str, ...] = (),
    needed: frozenset[str] | None = None,
    jobs: int | None = 1,
    cache: CacheOpener | None = None,
) -> Iterator[Row | Problem]:
    """Each file's row, or the problem that kept it from being read, in the order of ``paths``
    (files that cannot hold ``words`` are left out).  With ``needed``, a row's data may lack
    the nested collections of the top-level keys not in it."""
    for item in run(paths, ReadJob(words, needed), jobs=jobs, cache=cache):
        if item is not _LEFT_OUT:
            yield item


def cache_kind() -> str:
    # 3: the layout of the payloads: ("data", head, heavy, rest), ("problem", ...), ("raw", text)
    return kind_of("data", 3)


def read_bytes(raw: bytes, name: str = "-") -> Row | Problem:
    """The row of one article given as bytes (standard input), or why it cannot be read."""
    try:
        return Row(name, load_plain(split_article(raw, name)) or {})
    except Exception as error:  # a bad article, or a bug of ours: reported, not raised
        return problem_of(name, error)


_FAN_OUT = re.compile(r"\[\d+\]$")


def cell(row: Row, column: str) -> Any:
    """The value of ``column`` in ``row``: one value; a list for a list field or a path through
    a list (``related.provider.name``); None when the article does not have it."""
    if column == "path":
        return row.path
    direct = _last_value(row.data, column)
    if direct is not None and not isinstance(direct, list):
        return direct
    values = [value for value in field_values(row.data, column) if value is not None]
    return values if values or isinstance(direct, list) else None


def _last_value(data: Any, column: str) -> Any:
    """The value at ``column`` when the path goes through no list, else None."""
    value = data
    for name, indexes in _column_parts(column):
        if not isinstance(value, dict) or name not in value:
            return None
        value = value[name]
        for index in indexes:
            if not isinstance(value, list) or index >= len(value):
                return None
            value = value[index]
    return value


@functools.lru_cache(maxsize=256)
def _column_parts(column: str) -> tuple[tuple[str, tuple[int, ...]], ...]:
    """``images[0].url`` as ``(("images", (0,)), ("url", ()))``: read once a run."""
    return tuple(
        (_FAN_OUT.sub("", part), tuple(int(i) for i in re.findall(r"\[(\d+)\]", part)))
        for part in column.split(".")
    )


def display(value: Any) -> str:
    """A value as text in a table, TSV or CSV cell; a list joined with ``, ``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, list):
        return ", ".join(display(item) for item in value)
    if isinstance(value, dict):
        return json.dumps(as_json(value), ensure_ascii=False, separators=(",", ":"))
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")  # as !!binary writes it
    return str(value)


def as_json(value: Any) -> Any:
    """A value as JSON keeps it: typed, with dates as ISO 8601 strings."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(key): as_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_json(item) for item in value]
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return str(value)
    if isinstance(value, (bytes, set, frozenset, tuple)):
        return display(value) if isinstance(value, bytes) else [as_json(v) for v in value]
    return value


def _sort_key(value: Any) -> tuple[int, Any]:
    """Values of one column in one order: numbers, then dates (as instants), then text."""
    if isinstance(value, bool):
        return (0, float(value))
    if isinstance(value, float) and math.isnan(value):
        return (3, 0)  # not a number: after everything that is
    if isinstance(value, (int, float)):
        return (0, value)
    if isinstance(value, (dt.date, dt.datetime)) or (
        isinstance(value, str) and ISO_DATE.match(value)
    ):
        instant = as_instant(value)  # a date written as quoted text sorts as a date too
        if instant is not None:
            return (1, instant.timestamp())
    return (2, display(value).casefold())


def _missing(value: Any) -> bool:
    return value is None or value == "" or value == []


def sort_rows(rows: Sequence[Row], keys: Sequence[str], reverse: bool = False) -> list[Row]:
    """``rows`` sorted by ``keys`` (the first decides first); missing values always last."""
    ordered = list(rows)
    for key in reversed(keys):  # stable sorts, the last key first
        values = [(row, cell(row, key)) for row in ordered]
        present = [(row, value) for row, value in values if not _missing(value)]
        present.sort(key=lambda pair: _sort_key(pair[1]), reverse=reverse)
        ordered = [row for row, _ in present] + [row for row, v in values if _missing(v)]
    if reverse and not keys:
        ordered.reverse()
    return ordered


def select_rows(
    rows: Iterable[Row],
    matcher: Callable[[Any], bool] | None,
    sort: Sequence[str] = (),
    reverse: bool = False,
) -> list[Row]:
    """The rows ``matcher`` accepts (all without one), in the order ``sort`` asks for."""
    return sort_rows([row for row in rows if matcher is None or matcher(row.data)], sort, reverse)


def cells(rows: Iterable[Row], columns: Sequence[str]) -> Iterator[tuple[str, list[Any]]]:
    """Each row's path and its value in each column, for a reporter."""
    return ((row.path, [cell(row, column) for column in columns]) for row in rows)


def _bucket(value: Any, unit: str) -> str:
    instant = as_instant(value) if isinstance(value, (str, dt.date, dt.datetime)) else None
    if instant is None:
        return display(value)
    if unit == "year":
        return f"{instant.year:04d}"
    if unit == "month":
        return f"{instant.year:04d}-{instant.month:02d}"
    if unit == "week":
        year, week, _ = instant.isocalendar()
        return f"{year:04d}-W{week:02d}"
    return instant.date().isoformat()


def split_count_key(key: str) -> tuple[str, str | None]:
    """``publishedDateTime:month`` into the field and the date bucket; ValueError if unknown."""
    field, _, unit = key.partition(":")
    if unit and unit not in BUCKETS:
        raise ValueError(
            f"unknown date bucket {unit!r} in {key!r}; use one of {', '.join(BUCKETS)}"
        )
    return field, unit or None


class _MissingLabel(str):
    """The count of the articles without a value: shown as ``(missing)``, ``null`` in JSON."""


MISSING_LABEL = _MissingLabel("(missing)")


def _count_value(item: Any) -> Any:
    """A value to count by: itself when JSON can carry it as it is (27, true, "Reuters")."""
    return item if isinstance(item, (str, int, float, bool)) else display(item)


def count_by(rows: Iterable[Row], key: str, limit: int | None = None) -> list[tuple[Any, int]]:
    """How many rows have each value of ``key`` (each element of a list counts), most first.

    Values keep their type (numbers stay numbers); date buckets are text such as ``2020-06``.
    ``limit`` keeps the most frequent values; date buckets are then shown in time order.
    """
    field, unit = split_count_key(key)
    counts: Counter[Any] = Counter()
    label: Callable[[Any], Any] = (lambda v: _bucket(v, unit)) if unit else _count_value
    for row in rows:
        value = cell(row, field)
        items = value if isinstance(value, list) else [value]
        seen = {MISSING_LABEL if _missing(item) else label(item) for item in items}
        counts.update(seen or {MISSING_LABEL})
    ordered = sorted(counts.items(), key=lambda pair: (-pair[1], display(pair[0]).casefold()))
    ordered = ordered[:limit]
    if unit:  # dates read best in order
        ordered.sort(key=lambda pair: (pair[0] == MISSING_LABEL, pair[0]))
    return ordered
