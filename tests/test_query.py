"""The query language of ``search`` and ``list --where``: reading, errors, and answering."""

from __future__ import annotations

import copy
import datetime as dt
import os
import random
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsmeta.article import load_document
from newsmeta.errors import UsageError
from newsmeta.query import (
    And,
    Compare,
    Has,
    Matcher,
    Node,
    Not,
    Or,
    QueryError,
    Text,
    as_instant,
    compile_query,
    field_values,
    highlight_terms,
    parse,
    read_instant,
)

from .conftest import REFERENCE, Result

# NEWSMETA_EXAMPLES=5000 runs a longer search than the suite's default.
EXAMPLES = int(os.environ.get("NEWSMETA_EXAMPLES", "150"))
SETTINGS = settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)

UTC = dt.timezone.utc
NOW = dt.datetime(2020, 6, 15, 12, 0, tzinfo=UTC)
REFERENCE_DATA = load_document(REFERENCE).plain()


def tz(hours: int, minutes: int = 0) -> dt.timezone:
    sign = -1 if hours < 0 else 1
    return dt.timezone(dt.timedelta(hours=hours, minutes=sign * minutes))


def article(**changes: Any) -> dict[str, Any]:
    """A fresh copy of the reference article's plain data, with some keys changed or removed."""
    data = copy.deepcopy(REFERENCE_DATA)
    for key, value in changes.items():
        if value is REMOVE:
            data.pop(key, None)
        else:
            data[key] = value
    return data


REMOVE = object()


def matches(query: str, data: Any = None, now: dt.datetime = NOW) -> bool:
    return compile_query(query, now=now)(article() if data is None else data)


def fails(query: str) -> QueryError:
    with pytest.raises(QueryError) as caught:
        parse(query)
    return caught.value


def assert_points_at(error: QueryError, query: str, position: int) -> None:
    """The error names the 0-based ``position`` and draws a caret under that character."""
    assert error.query == query
    assert error.position == position
    lines = str(error).split("\n")
    assert lines[0] == f"bad query at character {position + 1}: {error.reason}"
    assert lines[1] == f"  {query}"
    assert lines[2] == "  " + " " * position + "^"
    assert len(lines) == 3


# -- the reference article ------------------------------------------------------------------


def test_reference_article_has_the_shapes_the_tests_rely_on() -> None:
    data = article()
    assert data["publishedDateTime"] == dt.datetime(2020, 6, 11, 16, 42, tzinfo=UTC)
    assert data["publishedDateTime"].utcoffset() == dt.timedelta(0)
    assert data["quality"] == 27
    assert data["heat"] == -1
    assert data["published"] is False
    assert data["topics"] == ["Computer Vision", "AI"]
    assert [r["provider"]["name"] for r in data["related"]] == ["VentureBeat", "SC Media"]


# -- reading: the tree for each construct ---------------------------------------------------


@pytest.mark.parametrize(
    ("query", "tree"),
    [
        ("microsoft", Text("microsoft")),
        ('"facial recognition"', Text("facial recognition")),
        ('""', Text("")),
        ("co-op", Text("co-op")),
        ("10:30", Text("10:30")),
        ("or", Text("or")),
        ("title:police", Compare("title", ":", "police")),
        ('title:"won\'t sell"', Compare("title", ":", "won't sell")),
        ("type=article", Compare("type", "=", "article")),
        ("quality>20", Compare("quality", ">", "20")),
        ("quality>=20", Compare("quality", ">=", "20")),
        ("quality<20", Compare("quality", "<", "20")),
        ("quality<=20", Compare("quality", "<=", "20")),
        ("title~/^micro/", Compare("title", "~", "^micro")),
        ("title~/^micro/i", Compare("title", "~", "^micro", "i")),
        ("title~/a b/", Compare("title", "~", "a b")),
        ("has:ampWebUrl", Has("ampWebUrl", present=True)),
        ("missing:ampWebUrl", Has("ampWebUrl", present=False)),
        ("has:images[0].url", Has("images[0].url", present=True)),
        ("related.provider.name:reuters", Compare("related.provider.name", ":", "reuters")),
        ("images[0].url:washingtonpost", Compare("images[0].url", ":", "washingtonpost")),
        ("related[1].images[0].width>=1000", Compare("related[1].images[0].width", ">=", "1000")),
        ("x-y_z:1", Compare("x-y_z", ":", "1")),
        ("title:a:b", Compare("title", ":", "a:b")),
        ("title:=x", Compare("title", ":", "=x")),
        ('publishedDateTime>"June 11 2020"', Compare("publishedDateTime", ">", "June 11 2020")),
        (
            "publishedDateTime>=2020-06-11T16:42Z",
            Compare("publishedDateTime", ">=", "2020-06-11T16:42Z"),
        ),
        ("a>=0", Compare("a", ">=", "0")),
        ('a>"=0"', Compare("a", ">", "=0")),
        ("has=x", Compare("has", "=", "x")),
        ("has:has", Has("has", present=True)),
        ("  spaced  ", Text("spaced")),
    ],
)
def test_terms(query: str, tree: Node) -> None:
    assert parse(query) == tree


def test_negation_forms() -> None:
    assert parse("NOT amazon") == Not(Text("amazon"))
    assert parse("-amazon") == Not(Text("amazon"))
    assert parse('-"facial recognition"') == Not(Text("facial recognition"))
    assert parse("-has:ampWebUrl") == Not(Has("ampWebUrl", present=True))
    assert parse("-(a b)") == Not(And((Text("a"), Text("b"))))
    assert parse("--a") == Not(Not(Text("a")))
    assert parse("NOT -a") == Not(Not(Text("a")))
    assert parse("NOT NOT a") == Not(Not(Text("a")))


@pytest.mark.parametrize(
    ("query", "tree"),
    [
        ("heat:-1", Compare("heat", ":", "-1")),
        ("heat=-1", Compare("heat", "=", "-1")),
        ("heat>-2", Compare("heat", ">", "-2")),
        ("-heat:-1", Not(Compare("heat", ":", "-1"))),
        ("a-b", Text("a-b")),
        ("title:foo-bar", Compare("title", ":", "foo-bar")),
        ('title:"-x"', Compare("title", ":", "-x")),
        ("a -b", And((Text("a"), Not(Text("b"))))),
    ],
)
def test_a_dash_inside_a_term_is_not_negation(query: str, tree: Node) -> None:
    assert parse(query) == tree


def test_a_lone_dash_is_a_word() -> None:
    # "-" only negates the term glued to it; alone it is an ordinary word.
    assert parse("a - b") == And((Text("a"), Text("-"), Text("b")))


@pytest.mark.parametrize(
    ("query", "tree"),
    [
        ("a b", And((Text("a"), Text("b")))),
        ("a AND b", And((Text("a"), Text("b")))),
        ("a b c", And((Text("a"), Text("b"), Text("c")))),
        ("a AND b c", And((Text("a"), Text("b"), Text("c")))),
        ("a OR b", Or((Text("a"), Text("b")))),
        ("a OR b OR c", Or((Text("a"), Text("b"), Text("c")))),
        # AND binds tighter than OR, implicit or explicit.
        ("a b OR c", Or((And((Text("a"), Text("b"))), Text("c")))),
        ("a OR b c", Or((Text("a"), And((Text("b"), Text("c")))))),
        ("a AND b OR c AND d", Or((And((Text("a"), Text("b"))), And((Text("c"), Text("d")))))),
        # NOT binds tighter than AND.
        ("NOT a b", And((Not(Text("a")), Text("b")))),
        ("-a b", And((Not(Text("a")), Text("b")))),
        ("a OR NOT b", Or((Text("a"), Not(Text("b"))))),
        ("NOT a OR b", Or((Not(Text("a")), Text("b")))),
        # Parentheses group and leave no node of their own.
        ("(a)", Text("a")),
        ("((a))", Text("a")),
        ("(a OR b) c", And((Or((Text("a"), Text("b"))), Text("c")))),
        ("a (b OR c)", And((Text("a"), Or((Text("b"), Text("c")))))),
        ("NOT (a OR b)", Not(Or((Text("a"), Text("b"))))),
        ("a (b c)", And((Text("a"), And((Text("b"), Text("c")))))),
        ("(a)(b)", And((Text("a"), Text("b")))),
        ("title:x(y)", And((Compare("title", ":", "x"), Text("y")))),
        ("a\tOR\nb", Or((Text("a"), Text("b")))),
    ],
)
def test_precedence_and_grouping(query: str, tree: Node) -> None:
    assert parse(query) == tree


def test_keywords_are_upper_case_only() -> None:
    assert parse("a or b") == And((Text("a"), Text("or"), Text("b")))
    assert parse("a and b") == And((Text("a"), Text("and"), Text("b")))
    assert parse("not a") == And((Text("not"), Text("a")))
    assert parse('"OR"') == Text("OR")
    assert parse("ORacle") == Text("ORacle")


@pytest.mark.parametrize(
    ("query", "tree"),
    [
        (r'title:"say \"hi\""', Compare("title", ":", 'say "hi"')),
        (r'title="\"hi\" (x)"', Compare("title", "=", '"hi" (x)')),
        (r'"say \"hi\""', Text('say "hi"')),
        (r'"a\\b"', Text("a\\b")),
        (r'"a\\"', Text("a\\")),
        (r'"\""', Text('"')),
        (r'"\x"', Text("x")),
        ('"a (b) OR c"', Text("a (b) OR c")),
        ('"has:x"', Text("has:x")),
        ('"-x"', Text("-x")),
        ('title:""', Compare("title", ":", "")),
    ],
)
def test_quoted_values_and_escapes(query: str, tree: Node) -> None:
    assert parse(query) == tree


@pytest.mark.parametrize(
    ("query", "pattern", "flags"),
    [
        ("webUrl~/technology\\/2020/", "technology\\/2020", ""),
        ("webUrl~/a\\/b/i", "a\\/b", "i"),
        ("title~/(face|facial)\\s+rec/i", "(face|facial)\\s+rec", "i"),
        ("title~/x/ii", "x", "ii"),
        ("title~//", "", ""),
        ("title~/\\d+/", "\\d+", ""),
        ('title~/a"b/', 'a"b', ""),
    ],
)
def test_regex_values(query: str, pattern: str, flags: str) -> None:
    field = query.split("~")[0]
    assert parse(query) == Compare(field, "~", pattern, flags)


def test_regex_ends_at_its_flags() -> None:
    assert parse("(title~/a/i)") == Compare("title", "~", "a", "i")
    assert parse("title~/a/ b") == And((Compare("title", "~", "a"), Text("b")))


# -- errors ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "position", "reason"),
    [
        # quotes
        ('"facial recognition', 0, "this quote is never closed"),
        ('a "b', 2, "this quote is never closed"),
        ('title:"police', 6, "this quote is never closed"),
        ('"a\\"', 0, "this quote is never closed"),
        ('foo"bar"', 3, "a quote inside a word; put the whole phrase in quotes"),
        ('title:a"b', 7, "a quote inside a word; put the whole phrase in quotes"),
        # parentheses
        ("(a", 0, "this ( is never closed"),
        ("x (a OR (b c)", 2, "this ( is never closed"),
        ("(", 1, "the query ends where a term was expected"),
        ("a)", 1, "this ) has no ( before it"),
        ("(a))", 3, "this ) has no ( before it"),
        ("a ) b", 2, "this ) has no ( before it"),
        (")", 0, "expected a term, not )"),
        ("()", 1, "expected a term, not )"),
        ("(a -)", 4, "expected a term, not )"),
        # empty query and dangling keywords
        ("", 0, "the query is empty"),
        ("   ", 3, "the query is empty"),
        ("a OR", 4, "the query ends where a term was expected"),
        ("a AND", 5, "the query ends where a term was expected"),
        ("NOT", 3, "the query ends where a term was expected"),
        ("a NOT ", 6, "the query ends where a term was expected"),
        ("OR a", 0, "expected a term, not OR"),
        ("AND a", 0, "expected a term, not AND"),
        ("a OR OR b", 5, "expected a term, not OR"),
        ("a AND OR b", 6, "expected a term, not OR"),
        # a value missing after an operator
        ("title:", 6, "title: needs a value"),
        ("title: police", 6, "title: needs a value"),
        ("title:)", 6, "title: needs a value"),
        ("type=", 5, "type= needs a value"),
        ("quality>", 8, "quality> needs a value"),
        ("quality>=", 9, "quality>= needs a value"),
        ("quality< 3", 8, "quality< needs a value"),
        ("quality<=(3)", 9, "quality<= needs a value"),
        ('quality>""', 10, "quality> needs a value"),
        ("title~", 6, "title~ needs a value"),
        # regular expressions
        ("title~police", 6, "a regular expression is written /like this/ (flags: i)"),
        ('title~"police"', 6, "a regular expression is written /like this/ (flags: i)"),
        ("title~/police", 6, "this regular expression is never closed with /"),
        ("a title~/x\\/", 8, "this regular expression is never closed with /"),
        ("title~/a/g", 9, "unknown regular expression flag in 'g' (only i)"),
        ("title~/a/ig", 9, "unknown regular expression flag in 'ig' (only i)"),
        ("title~/a/I", 9, "unknown regular expression flag in 'I' (only i)"),
        ('title~/a/i"', 9, "unknown regular expression flag in 'i\"' (only i)"),
        # has: and missing:
        ("has:", 4, "has: needs a field name, such as has:ampWebUrl"),
        ("has: ampWebUrl", 4, "has: needs a field name, such as has:ampWebUrl"),
        ("x has:)", 6, "has: needs a field name, such as has:ampWebUrl"),
        ('has:"ampWebUrl"', 4, "has: needs a field name, such as has:ampWebUrl"),
        ("has:1x", 4, "has: needs a field name, such as has:ampWebUrl"),
        ("missing:", 8, "missing: needs a field name, such as missing:ampWebUrl"),
    ],
)
def test_error_position_and_message(query: str, position: int, reason: str) -> None:
    error = fails(query)
    assert error.reason == reason
    assert_points_at(error, query, position)


@pytest.mark.parametrize(
    ("query", "position", "detail"),
    [
        ("title~/(/", 7, "missing ), unterminated subpattern"),
        ("title~/[a/", 7, "unterminated character set"),
        ("x~/a)/", 4, "unbalanced parenthesis"),
        ("title~/ab**/", 10, "multiple repeat"),
        ("title~/a{3,1}/", 9, "min repeat greater than max repeat"),
        ("title~/(?L)x/i", 10, "bad inline flags"),
    ],
)
def test_bad_regular_expression_points_into_the_pattern(
    query: str, position: int, detail: str
) -> None:
    error = fails(query)
    assert error.reason.startswith("bad regular expression: ")
    assert detail in error.reason
    assert_points_at(error, query, position)


def test_bad_regex_position_counts_escaped_slashes() -> None:
    query = "webUrl~/a\\/b)/"
    error = fails(query)
    assert_points_at(error, query, query.index(")"))


def test_query_error_is_a_usage_error() -> None:
    error = fails("title:")
    assert isinstance(error, UsageError)


def test_caret_after_the_end_of_the_query() -> None:
    error = fails("a OR")
    assert str(error).endswith("\n  a OR\n      ^")


def test_malformed_query_exits_2_with_a_caret(cli: Any) -> None:
    result: Result = cli("search", "title:(police", str(REFERENCE))
    assert result.code == 2
    assert result.stdout == ""
    assert "bad query at character 7: title: needs a value" in result.stderr
    assert "\n  title:(police\n        ^" in result.stderr
    assert "Traceback" not in result.stderr
    listed: Result = cli("list", "--where", '"open', str(REFERENCE))
    assert listed.code == 2
    assert 'this quote is never closed\n  "open\n  ^' in listed.stderr


# -- field_values ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "values"),
    [
        ("quality", [27]),
        ("provider.name", ["Washington Post"]),
        ("topics", ["Computer Vision", "AI"]),
        ("related.provider.name", ["VentureBeat", "SC Media"]),
        ("related.images.width", [1000, 960]),
        ("related.quality", [81, 41]),
        ("images[0].width", [1440]),
        ("images[1].width", []),
        ("related[1].provider.domain", ["scmagazine.com"]),
        ("related.images[0].height", [600, 1200]),
        ("nothing", []),
        ("provider.nothing", []),
        ("quality.deeper", []),
        ("topics[1]", ["AI"]),
        ("title[0]", []),
    ],
)
def test_field_values(field: str, values: list[Any]) -> None:
    assert field_values(article(), field) == values


def test_field_values_keeps_nulls_and_empties_for_has() -> None:
    data = {"a": None, "b": "", "c": [], "d": [None, "x"], "e": {"f": [[1, 2], [3]]}}
    assert field_values(data, "a") == [None]
    assert field_values(data, "b") == [""]
    assert field_values(data, "c") == []
    assert field_values(data, "d") == [None, "x"]
    assert field_values(data, "e.f") == [1, 2, 3]  # lists of lists flatten all the way


# -- answering: text ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("microsoft", True),
        ("MICROSOFT", True),
        ("regulatory", True),  # only in the excerpt
        ("IBM", True),  # only in the title
        ('"facial-recognition technology"', True),
        ('"Facial-Recognition TECHNOLOGY"', True),
        ('"technology recognition"', False),
        ("won’t", True),
        ("microsoft amazon", True),
        ("microsoft reuters", False),
        ("venturebeat", False),  # in related items, not the article's title or excerpt
        ("washingtonpost", False),  # in webUrl only
        ('""', True),
    ],
)
def test_bare_words_and_phrases(query: str, expected: bool) -> None:
    assert matches(query) is expected


def test_text_needs_a_string_title_or_excerpt() -> None:
    assert not matches("2020", {"title": 2020, "excerpt": None})
    assert matches("2020", {"title": "2020 in review"})
    assert not matches("x", {})
    assert not compile_query("x", now=NOW)(["x"])
    assert matches("straße", {"title": "STRASSE news"})  # casefold, not lower


# -- answering: strings, numbers, booleans --------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # strings: ':' is a case-insensitive substring, '=' is exact
        ("title:police", True),
        ("title:POLICE", True),
        ("title:reuters", False),
        ("type:art", True),
        ("type=article", True),
        ("type=Article", False),
        ("type=artic", False),
        ('provider.name="Washington Post"', True),
        ('provider.name:"washington post"', True),
        ('provider.name="washington post"', False),
        ("provider:washington", False),  # a mapping is not text
        ("title~/^Microsoft/", True),
        ("title~/^microsoft/", False),
        ("title~/^microsoft/i", True),
        ("webUrl~/technology\\/2020\\/06/", True),
        ("title~/ibm$/i", True),
        ("excerpt~/\\bpolice\\b/", True),
        # numbers: equality for ':' and '=', order for the rest
        ("quality:27", True),
        ("quality:27.0", True),
        ("quality:2", False),
        ("quality=27", True),
        ("quality=28", False),
        ("quality:high", False),
        ("quality>26", True),
        ("quality>27", False),
        ("quality>=27", True),
        ("quality<28", True),
        ("quality<27", False),
        ("quality<=27", True),
        ("quality>26.5", True),
        ("quality>abc", False),
        ("quality<7d", False),
        ("quality~/^2\\d$/", True),
        ("heat:-1", True),
        ("heat=-1", True),
        ("heat<0", True),
        ("heat>-1", False),
        ("heat>=-1", True),
        ("-heat:-1", False),
        # booleans
        ("published:false", True),
        ("published:FALSE", True),
        ("published:no", True),
        ("published=false", True),
        ("published:true", False),
        ("published:yes", False),
        ("published:0", False),
        ("published:f", False),
        ("published~/^false$/", True),
        ("published>0", False),
        ("images[0].isCached:true", True),
        ("images[0].isCached=yes", True),
    ],
)
def test_scalar_operators(query: str, expected: bool) -> None:
    assert matches(query) is expected


def test_booleans_are_not_numbers() -> None:
    assert not matches("flag:1", {"flag": True})
    assert matches("flag:true", {"flag": True})
    assert not matches("count:true", {"count": 1})
    assert matches("count:1", {"count": 1})
    assert not matches("flag>0", {"flag": True})


def test_floats() -> None:
    assert matches("score:0.5", {"score": 0.5})
    assert matches("score=.5", {"score": 0.5})
    assert matches("score<1", {"score": 0.5})
    assert matches("score~/^0\\.5$/", {"score": 0.5})


# -- answering: lists and nested lists ------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("topics:ai", True),
        ("topics:vision", True),
        ("topics:robotics", False),
        ("topics=AI", True),
        ("topics=ai", False),
        ('topics="Computer Vision"', True),
        ("topics~/^comp/i", True),
        ("-topics:robotics", True),
        ("related.provider.name:reuters", False),
        ("related.provider.name:venture", True),
        ("related.provider.name:'SC", False),  # a single quote is only a character
        ('related.provider.name="SC Media"', True),
        ("related.provider.domain~/\\.com$/", True),
        ("related.quality>80", True),
        ("related.quality>81", False),
        ("related.quality<50", True),
        ("related.quality=41", True),
        ("related.images.width>999", True),
        ("related.images.width>1000", False),
        ("related.images.width=960", True),
        ("related.images.width:600", False),
        ("related.images.height:600", True),
        ("related.images.isCached:true", True),
        ("related.publishedDateTime<2020-06-10", True),
        ("related.publishedDateTime>2020-06-11T17:00Z", True),
        ("related.publishedDateTime>2020-06-12", False),
        ("images[0].url:washingtonpost", True),
        ("images[0].url:venturebeat", False),
        ("images[1].url:washingtonpost", False),
        ("images[0].width=1440", True),
        ("related[0].provider.name:venture", True),
        ("related[1].provider.name:venture", False),
        ("related.images[0].width=960", True),
    ],
)
def test_lists_fan_out(query: str, expected: bool) -> None:
    assert matches(query) is expected


# -- answering: dates -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("publishedDateTime>=2020-06-01", True),
        ("publishedDateTime<2020-06-01", False),
        ("publishedDateTime>2020-06-11", True),
        ("publishedDateTime<2020-06-12", True),
        ('publishedDateTime>"June 11 2020"', True),
        ('publishedDateTime<"June 11 2020"', False),
        ('publishedDateTime<"12 June 2020"', True),
        ("publishedDateTime>=2020-06-11T16:42Z", True),
        ("publishedDateTime>2020-06-11T16:42Z", False),
        ("publishedDateTime<=2020-06-11T16:42:00Z", True),
        ("publishedDateTime<2020-06-11T16:42:00Z", False),
        ("publishedDateTime=2020-06-11T16:42Z", True),
        ("publishedDateTime=2020-06-11T16:42:00+00:00", True),
        ("publishedDateTime=2020-06-11T12:42:00-04:00", True),
        ("publishedDateTime=2020-06-11T16:42:00-04:00", False),
        ("publishedDateTime>2020-06-11T12:43:00-04:00", False),
        ("publishedDateTime<2020-06-11T18:43+02:00", True),
        ("publishedDateTime>2020", True),
        ("publishedDateTime<2021", True),
        ("publishedDateTime:2020-06-11", True),
        ("publishedDateTime:2020-06", True),
        ("publishedDateTime:16:42", True),
        ("publishedDateTime:2020-06-12", False),
        ("publishedDateTime~/^2020-06-11T16/", True),
        ("publishedDateTime>nonsense", False),
        ("publishedDateTime>42x", False),
    ],
)
def test_dates_as_yaml_timestamps(query: str, expected: bool) -> None:
    assert matches(query) is expected


@pytest.mark.parametrize(
    "value",
    [
        dt.datetime(2020, 6, 11, 23, 30, tzinfo=tz(-5)),
        "2020-06-11T23:30:00-05:00",
        "2020-06-12T04:30:00Z",
        "2020-06-12T10:00:00+05:30",
        "Fri, 12 Jun 2020 04:30:00 +0000",
    ],
)
def test_instants_across_offsets(value: Any) -> None:
    # 23:30 at -05:00 is 04:30 UTC on the next day.
    data = {"publishedDateTime": value}
    assert matches("publishedDateTime>2020-06-12T00:00:00Z", data)
    assert matches("publishedDateTime>2020-06-12", data)
    assert not matches("publishedDateTime<2020-06-12T04:00Z", data)
    assert matches("publishedDateTime>=2020-06-12T04:30Z", data)
    assert matches("publishedDateTime<=2020-06-12T04:30Z", data)
    assert matches("publishedDateTime<2020-06-12T00:00:00-05:00", data)
    assert not matches("publishedDateTime>=2020-06-12T04:30:01Z", data)


def test_yaml_timestamp_with_offset_from_a_file(tmp_path: Any) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(b"---\ntitle: x\npublishedDateTime: 2020-06-11T23:30:00-05:00\n---\n")
    data = load_document(path).plain()
    assert matches("publishedDateTime>2020-06-12T00:00:00Z", data)
    assert matches("publishedDateTime=2020-06-12T04:30Z", data)


def test_dates_as_strings() -> None:
    data = {"publishedDateTime": "2020-06-11T16:42:00Z", "day": "June 11 2020"}
    assert matches("publishedDateTime>=2020-06-01", data)
    assert matches("publishedDateTime<2020-06-11T16:43Z", data)
    assert matches("publishedDateTime:16:42:00Z", data)  # ':' on a string is a substring
    assert matches('publishedDateTime="2020-06-11T16:42:00Z"', data)
    assert matches("publishedDateTime=2020-06-11T16:42Z", data)  # a quoted date is a date to =
    assert matches("day>2020-06-10", data)
    assert matches("day<2020-06-12", data)


def test_naive_query_dates_are_utc() -> None:
    india = {"publishedDateTime": dt.datetime(2020, 6, 11, 16, 42, tzinfo=tz(5, 30))}  # 11:12Z
    assert matches("publishedDateTime<2020-06-11T11:13", india)
    assert matches("publishedDateTime>2020-06-11T11:11", india)
    assert matches("publishedDateTime=2020-06-11T11:12", india)
    assert not matches("publishedDateTime<2020-06-11T11:12", india)
    assert matches("publishedDateTime>2020-06-11T16:41")
    assert matches("publishedDateTime=2020-06-11T16:42")
    assert matches('publishedDateTime="2020-06-11 16:42"')


def test_naive_values_are_utc() -> None:
    naive = {"publishedDateTime": dt.datetime(2020, 6, 11, 16, 42)}
    assert matches("publishedDateTime=2020-06-11T16:42Z", naive)
    assert matches("publishedDateTime<2020-06-11T17:42+00:30", naive)
    assert not matches("publishedDateTime<2020-06-11T17:42+01:30", naive)
    text = {"publishedDateTime": "2020-06-11 16:42"}
    assert matches("publishedDateTime>=2020-06-11T16:42Z", text)
    assert matches("publishedDateTime<=2020-06-11T16:42Z", text)
    assert not matches("publishedDateTime<2020-06-11T17:42+01:30", text)


def test_date_only_values() -> None:
    data = {"day": dt.date(2020, 6, 11)}
    assert matches("day=2020-06-11", data)
    assert matches("day>=2020-06-11", data)
    assert matches("day<2020-06-11T00:01Z", data)
    assert matches("day>2020-06-10T23:59Z", data)
    assert matches("day:2020-06", data)
    assert matches("day~/^2020-06-11$/", data)
    assert matches("day<7d", data, now=dt.datetime(2020, 6, 30, tzinfo=UTC))
    assert not matches("day>7d", data, now=dt.datetime(2020, 6, 30, tzinfo=UTC))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # NOW is 2020-06-15T12:00Z; the article is 2020-06-11T16:42Z.
        ("publishedDateTime>7d", True),
        ("publishedDateTime>3d", False),
        ("publishedDateTime<3d", True),
        ("publishedDateTime>=4d", True),  # 2020-06-11T12:00Z
        ("publishedDateTime>=3D", False),
        ("publishedDateTime>1w", True),  # 2020-06-08T12:00Z
        ("publishedDateTime>2w", True),
        ("publishedDateTime>1m", True),
        ("publishedDateTime>3m", True),
        ("publishedDateTime>1y", True),
        ("publishedDateTime>today", False),
        ("publishedDateTime<today", True),
        ("publishedDateTime>yesterday", False),
        ("publishedDateTime<yesterday", True),
        ("publishedDateTime<now", True),
        ("publishedDateTime>TODAY", False),
        ('publishedDateTime>"4 d"', True),
        ("quality>7d", False),
        ("publishedDateTime=today", False),
    ],
)
def test_relative_dates(query: str, expected: bool) -> None:
    assert matches(query) is expected


@pytest.mark.parametrize(
    ("text", "instant"),
    [
        ("now", NOW),
        ("today", dt.datetime(2020, 6, 15, tzinfo=UTC)),
        ("yesterday", dt.datetime(2020, 6, 14, tzinfo=UTC)),
        ("0d", NOW),
        ("7d", dt.datetime(2020, 6, 8, 12, tzinfo=UTC)),
        ("2w", dt.datetime(2020, 6, 1, 12, tzinfo=UTC)),
        ("3m", dt.datetime(2020, 3, 15, 12, tzinfo=UTC)),
        ("1y", dt.datetime(2019, 6, 15, 12, tzinfo=UTC)),
        ("2020-06-01", dt.datetime(2020, 6, 1, tzinfo=UTC)),
        ("June 11 2020", dt.datetime(2020, 6, 11, tzinfo=UTC)),
        ("2020-06-11T16:42Z", dt.datetime(2020, 6, 11, 16, 42, tzinfo=UTC)),
        ("2020-06-11T16:42", dt.datetime(2020, 6, 11, 16, 42, tzinfo=UTC)),
        ("2020-06-11T16:42-05:00", dt.datetime(2020, 6, 11, 21, 42, tzinfo=UTC)),
    ],
)
def test_read_instant(text: str, instant: dt.datetime) -> None:
    read = read_instant(text, NOW)
    assert read == instant
    assert read is not None and read.utcoffset() is not None


def test_today_is_midnight_where_now_is() -> None:
    tokyo_now = dt.datetime(2020, 6, 15, 2, 0, tzinfo=tz(9))
    assert read_instant("today", tokyo_now) == dt.datetime(2020, 6, 14, 15, tzinfo=UTC)
    assert read_instant("1m", dt.datetime(2020, 3, 31, tzinfo=UTC)) == dt.datetime(
        2020, 2, 29, tzinfo=UTC
    )


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        "   ",
        "article",
        "Top ten",
        27,
        True,
        [],
        {},
        "2020-13-45",
        "99:99",
        "2020-06-11T10:00+25:00",
    ],
)
def test_as_instant_refuses_what_is_not_a_date(value: Any) -> None:
    assert as_instant(value) is None


def test_as_instant() -> None:
    assert as_instant(dt.date(2020, 6, 11)) == dt.datetime(2020, 6, 11, tzinfo=UTC)
    assert as_instant(dt.datetime(2020, 6, 11, 1)) == dt.datetime(2020, 6, 11, 1, tzinfo=UTC)
    aware = dt.datetime(2020, 6, 11, 1, tzinfo=tz(-5))
    assert as_instant(aware) is aware
    assert as_instant("2020-06-11 16:42 GMT") == dt.datetime(2020, 6, 11, 16, 42, tzinfo=UTC)
    assert as_instant("Thu, 11 Jun 2020 12:42:00 -0400") == dt.datetime(
        2020, 6, 11, 16, 42, tzinfo=UTC
    )


# -- answering: has and missing -------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field", "present"),
    [
        ({}, "ampWebUrl", True),
        ({"ampWebUrl": REMOVE}, "ampWebUrl", False),
        ({"ampWebUrl": ""}, "ampWebUrl", False),
        ({"ampWebUrl": None}, "ampWebUrl", False),
        ({"ampWebUrl": " "}, "ampWebUrl", True),
        ({}, "topics", True),
        ({"topics": []}, "topics", False),
        ({"topics": [None, ""]}, "topics", False),
        ({"topics": [None, "AI"]}, "topics", True),
        ({"provider": {}}, "provider", False),
        ({}, "provider.domain", True),
        ({"provider": {"name": "X"}}, "provider.domain", False),
        ({}, "published", True),  # false is a value
        ({"heat": 0}, "heat", True),  # so is zero
        ({}, "images[0].url", True),
        ({}, "images[1].url", False),
        ({}, "related.images.width", True),
        ({}, "related.ampWebUrl", True),  # the first related item has one
        ({}, "related.nothing", False),
        ({}, "nothing", False),
    ],
)
def test_has_and_missing(changes: dict[str, Any], field: str, present: bool) -> None:
    data = article(**changes)
    assert matches(f"has:{field}", data) is present
    assert matches(f"missing:{field}", data) is not present
    assert matches(f"-has:{field}", data) is not present


# -- answering: combinations ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("microsoft quality>20", True),
        ("microsoft AND quality>30", False),
        ("reuters OR quality>20", True),
        ("reuters OR quality>30", False),
        ("reuters OR NOT quality>30", True),
        ("NOT reuters OR quality>30", True),
        ("NOT (reuters OR quality>20)", False),
        ("-reuters -topics:robotics", True),
        ("-(microsoft amazon)", False),
        ("(amazon OR reuters) (topics:ai OR topics:robotics)", True),
        ("amazon OR reuters topics:robotics", True),  # AND first: amazon OR (reuters ...)
        ("(amazon OR reuters) topics:robotics", False),
        ("missing:ampWebUrl OR NOT has:cdnAmpWebUrl", False),
        ("NOT NOT microsoft", True),
        ('-"facial-recognition" OR published:false', True),
    ],
)
def test_combinations(query: str, expected: bool) -> None:
    assert matches(query) is expected


def test_matcher_takes_non_mappings_as_empty() -> None:
    matcher = compile_query("missing:title", now=NOW)
    assert matcher(None)
    assert matcher(["title"])
    assert Matcher(parse("x"), NOW)({"title": "x"})


def test_default_now_is_aware_and_current() -> None:
    before = dt.datetime.now(UTC)
    matcher = compile_query("publishedDateTime>1d")
    assert matcher.now.utcoffset() == dt.timedelta(0)
    assert before <= matcher.now <= dt.datetime.now(UTC)
    assert matcher({"publishedDateTime": dt.datetime.now(UTC)})
    assert not matcher(article())


# -- highlight_terms ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "terms"),
    [
        ("microsoft", ["microsoft"]),
        ('microsoft "police use"', ["microsoft", "police use"]),
        ("title:IBM topics=AI", ["IBM", "AI"]),
        ("a OR (b c)", ["a", "b", "c"]),
        ("-amazon microsoft", ["microsoft"]),
        ("NOT (a OR b)", []),
        ("quality>3 has:x missing:y title~/ibm/i", []),
        ("has:x OR x", ["x"]),
    ],
)
def test_highlight_terms(query: str, terms: list[str]) -> None:
    assert highlight_terms(parse(query)) == terms


# -- once bugs ------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["title~/a{99999999999}/", "title~/a{4294967295}/"])
def test_huge_regex_repeat_is_a_query_error(query: str) -> None:
    error = fails(query)
    assert 0 <= error.position <= len(query)


@pytest.mark.parametrize("query", ["(" * 1000 + "a" + ")" * 1000, "-" * 3000 + "a"])
def test_deep_nesting_is_read_or_refused(query: str) -> None:
    try:
        parse(query)
    except QueryError as error:
        assert 0 <= error.position <= len(query)
    else:
        assert compile_query(query, now=NOW)({"title": "a"}) in (True, False)


@pytest.mark.parametrize("relative", ["5000y", "99999m", "1000000w", "99999999999d"])
def test_relative_date_out_of_range_does_not_crash(relative: str) -> None:
    try:
        matcher = compile_query(f"publishedDateTime>{relative}", now=NOW)
    except QueryError:
        return
    assert matcher(article()) in (True, False)


# -- properties -----------------------------------------------------------------------------

# Pieces of the query alphabet ("{" too: a huge repeat count must be a QueryError).
PIECES = [
    "title", "quality", "topics", "a", "b", "has", "missing", "x.y", "[0]",
    ":", "=", "~", ">", ">=", "<", "<=", "/", "\\", '"', "(", ")", "-", " ", "  ", "\t",
    "OR", "AND", "NOT", "7d", "2020-06-11", "i", "g", "*", "?", "[", "]", "|", "'", "é",
    "{", "}", "99999999999", ",",
]  # fmt: skip


@SETTINGS
@given(st.lists(st.sampled_from(PIECES), max_size=30).map("".join))
def test_parse_returns_a_tree_or_a_query_error(query: str) -> None:
    try:
        tree = parse(query)
    except QueryError as error:
        assert 0 <= error.position <= len(query)
        assert_points_at(error, query, error.position)
    else:
        assert isinstance(tree, (Text, Has, Compare, Not, And, Or))
        # A tree that was read can be answered, and NOT answers the opposite.
        data = article()
        assert Matcher(Not(tree), NOW)(data) is (not Matcher(tree, NOW)(data))


@SETTINGS
@given(st.text(max_size=40))
def test_parse_any_text(query: str) -> None:
    try:
        parse(query)
    except QueryError as error:
        assert 0 <= error.position <= len(query)


# Random trees, and a renderer that writes them back as query text in one of many spellings.

FIELD = st.from_regex(
    r"[a-z][a-zA-Z0-9_-]{0,6}(\[[0-9]\])?(\.[a-zA-Z_][a-zA-Z0-9]{0,4}(\[[0-9]{1,2}\])?){0,2}",
    fullmatch=True,
).filter(lambda name: name not in ("has", "missing"))
PHRASE = st.text(
    st.characters(blacklist_categories=("Cs",)) | st.sampled_from('"\\()- :'), max_size=12
)
BARE_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'.,!?+*#&é-]*")
BARE_VALUE = re.compile(r'[^\s()"]+')
REGEX_ATOMS = ["a", "B", ".", "\\d", "\\/", "x*", "(a|b)", " ", "\\\\", "[0-9]", "\\.", "é"]


def _text_node() -> st.SearchStrategy[Node]:
    words = st.from_regex(BARE_WORD, fullmatch=True).filter(lambda w: w not in ("OR", "AND", "NOT"))
    return st.one_of(words, PHRASE).map(Text)


def _compare_node() -> st.SearchStrategy[Node]:
    value = st.one_of(PHRASE, st.from_regex(BARE_VALUE, fullmatch=True))
    plain = st.builds(Compare, FIELD, st.sampled_from([":", "="]), value)
    ordered = st.builds(Compare, FIELD, st.sampled_from([">", ">=", "<", "<="]), value.filter(bool))
    pattern = st.lists(st.sampled_from(REGEX_ATOMS), max_size=5).map("".join)
    regex = st.builds(Compare, FIELD, st.just("~"), pattern, st.sampled_from(["", "i"]))
    return st.one_of(plain, ordered, regex)


LEAF = st.one_of(_text_node(), _compare_node(), st.builds(Has, FIELD, st.booleans()))
TREE = st.recursive(
    LEAF,
    lambda children: st.one_of(
        children.map(Not),
        st.lists(children, min_size=2, max_size=4).map(lambda xs: And(tuple(xs))),
        st.lists(children, min_size=2, max_size=4).map(lambda xs: Or(tuple(xs))),
    ),
    max_leaves=12,
)


def quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render(node: Node, rnd: random.Random) -> str:
    """Query text that reads back as ``node``; ``rnd`` picks among equivalent spellings."""
    if isinstance(node, Text):
        bare = BARE_WORD.fullmatch(node.text) and node.text not in ("OR", "AND", "NOT")
        return node.text if bare and rnd.random() < 0.7 else quote(node.text)
    if isinstance(node, Has):
        return f"{'has' if node.present else 'missing'}:{node.field}"
    if isinstance(node, Compare):
        if node.op == "~":
            return f"{node.field}~/{node.value}/{node.flags}"
        bare = BARE_VALUE.fullmatch(node.value) and rnd.random() < 0.7
        if node.op in (">", "<") and node.value.startswith("="):
            bare = False  # a>=0 is a>= 0, not a> =0
        return f"{node.field}{node.op}{node.value if bare else quote(node.value)}"
    if isinstance(node, Not):
        inner = render(node.operand, rnd)
        if isinstance(node.operand, (And, Or)):
            inner = f"({inner})"
        return ("NOT " if rnd.random() < 0.5 else "-") + inner
    parts = []
    for operand in node.operands:
        text = render(operand, rnd)
        if isinstance(operand, (And, Or)) or rnd.random() < 0.1:
            text = f"({text})"
        parts.append(text)
    if isinstance(node, Or):
        return " OR ".join(parts)
    out = parts[0]
    for part in parts[1:]:
        out += rnd.choice([" ", "  ", " AND ", "\t"]) + part
    return out


@SETTINGS
@given(TREE, st.randoms(use_true_random=False))
def test_rendered_trees_read_back(tree: Node, rnd: random.Random) -> None:
    text = render(tree, rnd)
    assert parse(text) == tree, text
    assert parse(f" ( {text} ) ") == tree


# Instants: ordering a timestamp against a query date in any offset is ordering the instants.

OFFSETS = st.builds(tz, st.integers(-12, 14), st.sampled_from([0, 30, 45]))
INSTANT = st.datetimes(
    min_value=dt.datetime(1900, 1, 2), max_value=dt.datetime(2100, 1, 1), timezones=OFFSETS
)


@SETTINGS
@given(INSTANT, INSTANT, st.booleans())
def test_comparisons_are_on_instants(value: dt.datetime, wanted: dt.datetime, text: bool) -> None:
    data = {"publishedDateTime": value.isoformat() if text else value}
    query = wanted.isoformat()
    assert matches(f"publishedDateTime>{query}", data) is (value > wanted)
    assert matches(f"publishedDateTime>={query}", data) is (value >= wanted)
    assert matches(f"publishedDateTime<{query}", data) is (value < wanted)
    assert matches(f"publishedDateTime<={query}", data) is (value <= wanted)
    if not text:
        assert matches(f"publishedDateTime={query}", data) is (value == wanted)
