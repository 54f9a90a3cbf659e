"""``newsmeta search`` through the real CLI, checked against answers computed here.

Every query runs on a generated corpus (../shared/bench/gen_corpus.py, 2000 articles, seed 3);
the expected paths come from the files read with PyYAML and a predicate written by hand.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from .conftest import Result, assert_no_traceback, minimal_article, run_cli
from .test_cli import run_on_terminal
from .test_list import ANSI, WORKERS, Corpus, instant, make_corpus

Doc = dict[str, Any]
UTC = dt.timezone.utc


def text_has(doc: Doc, words: str) -> bool:
    """A bare word or phrase: in title or excerpt, any case."""
    wanted = words.casefold()
    return any(wanted in str(doc.get(field, "")).casefold() for field in ("title", "excerpt"))


def has(doc: Doc, field: str) -> bool:
    return doc.get(field) not in (None, "", [], {})


def topics_contain(doc: Doc, word: str) -> bool:
    return any(word.casefold() in topic.casefold() for topic in doc["topics"])


def related(doc: Doc) -> list[Doc]:
    return doc.get("related") or []


@dataclass(frozen=True)
class Pivot:
    """An article's instant, written in another offset than the article's own."""

    when: dt.datetime  # as the article has it (+09:00)
    text: str  # the same instant in -05:00

    @classmethod
    def of(cls, corpus: Corpus) -> Pivot:
        nine = dt.timedelta(hours=9)
        when = next(
            instant(doc["publishedDateTime"])
            for doc in corpus.docs.values()
            if doc["publishedDateTime"].utcoffset() == nine
        )
        text = when.astimezone(dt.timezone(dt.timedelta(hours=-5))).isoformat()
        assert text[:16] != when.isoformat()[:16]  # the wall clocks differ
        return cls(when, text)


def published(doc: Doc) -> dt.datetime:
    return instant(doc["publishedDateTime"])


Case = tuple[str, Callable[[Doc, Pivot], bool]]
CASES: dict[str, Case] = {
    # words and phrases
    "bare word": ("MicroSoft", lambda d, p: text_has(d, "microsoft")),
    "phrase": ('"facial recognition"', lambda d, p: text_has(d, "facial recognition")),
    # nested and list fields
    "nested field": (
        "related.provider.name:reuters",
        lambda d, p: any("reuters" in r["provider"]["name"].casefold() for r in related(d)),
    ),
    "list field": ("topics:AI", lambda d, p: topics_contain(d, "ai")),
    # numbers
    "quality >": ("quality>50", lambda d, p: d["quality"] > 50),
    "quality >=": ("quality>=50", lambda d, p: d["quality"] >= 50),
    "quality <": ("quality<50", lambda d, p: d["quality"] < 50),
    "quality <=": ("quality<=50", lambda d, p: d["quality"] <= 50),
    "quality =": ("quality=50", lambda d, p: d["quality"] == 50),
    "heat >": ("heat>0", lambda d, p: d["heat"] > 0),
    "heat >=": ("heat>=0", lambda d, p: d["heat"] >= 0),
    "heat <": ("heat<0", lambda d, p: d["heat"] < 0),
    "heat <=": ("heat<=0", lambda d, p: d["heat"] <= 0),
    "heat = -1": ("heat=-1", lambda d, p: d["heat"] == -1),
    # dates: instants, whatever offset the article or the query is written in
    "date >": ("publishedDateTime>{pivot}", lambda d, p: published(d) > p.when),
    "date >=": ("publishedDateTime>={pivot}", lambda d, p: published(d) >= p.when),
    "date <": ("publishedDateTime<{pivot}", lambda d, p: published(d) < p.when),
    "date <=": ("publishedDateTime<={pivot}", lambda d, p: published(d) <= p.when),
    "date =": ("publishedDateTime={pivot}", lambda d, p: published(d) == p.when),
    "date range, quoted": (
        'publishedDateTime>="2021-03-01 08:00 +09:00" publishedDateTime<2021-09-01T00:00-07:00',
        lambda d, p: (
            dt.datetime(2021, 2, 28, 23, tzinfo=UTC)
            <= published(d)
            < dt.datetime(2021, 9, 1, 7, tzinfo=UTC)
        ),
    ),
    # regular expressions
    "regex, any case": (
        r"title~/^(police|court)\b/i",
        lambda d, p: re.search(r"^(police|court)\b", d["title"], re.IGNORECASE) is not None,
    ),
    # OR, NOT, parentheses
    "OR with NOT and parentheses": (
        "provider.name:reuters OR NOT (topics:AI OR topics:Cloud)",
        lambda d, p: (
            "reuters" in d["provider"]["name"].casefold()
            or not (topics_contain(d, "ai") or topics_contain(d, "cloud"))
        ),
    ),
    "minus OR": (
        "-has:ampWebUrl OR quality>=90",
        lambda d, p: not has(d, "ampWebUrl") or d["quality"] >= 90,
    ),
    # has and missing
    "has": ("has:ampWebUrl", lambda d, p: has(d, "ampWebUrl")),
    "missing": ("missing:ampWebUrl", lambda d, p: not has(d, "ampWebUrl")),
}


@dataclass(frozen=True)
class Answers:
    corpus: Corpus
    pivot: Pivot
    results: dict[str, Result]


@pytest.fixture(scope="module")
def answers(tmp_path_factory: pytest.TempPathFactory) -> Answers:
    corpus = make_corpus(tmp_path_factory)
    pivot = Pivot.of(corpus)
    folder = str(corpus.folder)

    def search(query: str) -> Result:
        # "--": a query may start with "-" (NOT), which would read as an option
        return run_cli("search", "-f", "paths", "--", query.format(pivot=pivot.text), folder)

    with ThreadPoolExecutor(WORKERS) as pool:
        results = pool.map(search, [query for query, _test in CASES.values()])
        return Answers(corpus, pivot, dict(zip(CASES, results, strict=True)))


@pytest.mark.parametrize("name", list(CASES))
def test_search_agrees_with_an_independent_answer(answers: Answers, name: str) -> None:
    _query, test = CASES[name]
    expected = answers.corpus.where(lambda doc: test(doc, answers.pivot))
    assert 0 < len(expected) < len(answers.corpus.docs)  # the case tells something
    result = answers.results[name]
    assert (result.code, result.stderr) == (0, "")
    found = result.stdout.splitlines()
    assert len(found) == len(set(found))
    assert set(found) == expected


def test_the_date_pivot_separates_the_comparisons(answers: Answers) -> None:
    """The article the pivot names (written in +09:00, asked in -05:00) is = but not > or <."""
    ones = {name: set(answers.results[name].stdout.splitlines()) for name in CASES}
    article = ones["date ="]
    assert len(article) == 1
    assert article <= ones["date >="] and article <= ones["date <="]
    assert not article & (ones["date >"] | ones["date <"])
    assert len(ones["date >"]) + len(ones["date <"]) + 1 == len(answers.corpus.docs)


def test_list_where_answers_like_search(answers: Answers) -> None:
    query, _test = CASES["OR with NOT and parentheses"]
    listed = run_cli("list", str(answers.corpus.folder), "--where", query, "-f", "paths")
    assert listed.code == 0
    assert listed.stdout == answers.results["OR with NOT and parentheses"].stdout


# -- exit codes and messages -----------------------------------------------------------------


def _folder(tmp_path: Path, *, broken: bool = False) -> Path:
    for name, title in (("a", "Facial recognition at the border"), ("b", "Nothing FACIAL here")):
        text = minimal_article(name).decode().replace('"A headline"', f'"{title}"')
        (tmp_path / f"{name}.md").write_text(text, encoding="utf-8")
    if broken:
        (tmp_path / "c.md").write_bytes(b"---\ntitle: 'open border\n---\n")
    return tmp_path


def test_exit_0_when_something_matched(tmp_path: Path) -> None:
    result = run_cli("search", "border", "-f", "paths", cwd=_folder(tmp_path))
    assert (result.code, result.stdout, result.stderr) == (0, "a.md\n", "")


def test_exit_1_when_nothing_matched(tmp_path: Path) -> None:
    result = run_cli("search", "nowhere", "-f", "paths", cwd=_folder(tmp_path))
    assert (result.code, result.stdout, result.stderr) == (1, "", "")
    tsv = run_cli("search", "nowhere", cwd=tmp_path)
    assert tsv.code == 1


@pytest.mark.parametrize("query", ["border", "provider.name:nowhere"])
def test_exit_2_when_a_file_cannot_be_read(tmp_path: Path, query: str) -> None:
    result = run_cli("search", query, "-f", "paths", cwd=_folder(tmp_path, broken=True))
    assert_no_traceback(result)
    assert result.code == 2
    assert result.stderr.startswith("c.md:")
    assert result.stdout == ("a.md\n" if query == "border" else "")


@pytest.mark.parametrize("warm", [False, True])
def test_a_broken_file_without_the_words_is_not_read(tmp_path: Path, warm: bool) -> None:
    # Bare words are looked for in the raw text first (as rg would): a file without them
    # cannot match and is not parsed, so its broken YAML is not search's business (validate
    # reports it), and a cached verdict changes nothing.
    folder = _folder(tmp_path, broken=True)
    if warm:
        old = time.time() - 60
        for path in folder.iterdir():
            os.utime(path, (old, old))
        assert run_cli("list", "-f", "paths", cwd=folder).code == 2  # caches c.md's error
    result = run_cli("search", "nowhere", "-f", "paths", cwd=folder)
    assert (result.code, result.stdout, result.stderr) == (1, "", "")


def test_exit_2_for_a_missing_path(tmp_path: Path) -> None:
    result = run_cli("search", "border", "nowhere/", cwd=_folder(tmp_path))
    assert result.code == 2
    assert "nowhere" in result.stderr


@pytest.mark.parametrize(
    ("query", "at"),
    [
        ("title:(", 6),
        ('"facial recognition', 0),
        ("(facial OR border", 0),
        ("facial)", 6),
        ("facial OR", 9),
        ("quality>", 8),
        ("has:", 4),
        ("title~/[a/", 7),
        ("title~/a/x", 9),
        ("title~face", 6),
        ('fa"cial', 2),
        ("", 0),
    ],
)
def test_a_malformed_query_exits_2_pointing_at_the_character(
    tmp_path: Path, query: str, at: int
) -> None:
    result = run_cli("search", query, cwd=_folder(tmp_path))
    assert_no_traceback(result)
    assert (result.code, result.stdout) == (2, "")
    message, shown, pointer = result.stderr.splitlines()
    assert message.startswith(f"newsmeta: bad query at character {at + 1}: ")
    assert shown == f"  {query}"
    assert pointer == "  " + " " * at + "^"


# -- on a terminal ---------------------------------------------------------------------------

# An SGR sequence that turns on reverse video (7) or bold (1), the word, then a reset.
HIGHLIGHTED = r"\x1b\[(?:[0-9;]*;)?[17](?:;[0-9;]*)?m{word}\x1b\[0m"


def test_matched_words_are_highlighted_on_a_terminal(tmp_path: Path) -> None:
    _folder(tmp_path)
    screen = run_on_terminal("search", "facial", "-c", "path,title", cwd=tmp_path)
    plain = ANSI.sub("", screen)
    assert "Facial recognition at the border" in plain and "Nothing FACIAL here" in plain
    for word in ("Facial", "FACIAL"):  # any case, shown as written
        assert re.search(HIGHLIGHTED.format(word=word), screen), screen
    for word in ("recognition", "Nothing", "border"):  # not what was asked
        assert not re.search(HIGHLIGHTED.format(word=word), screen)


def test_field_terms_and_phrases_are_highlighted_too(tmp_path: Path) -> None:
    _folder(tmp_path)
    screen = run_on_terminal(
        "search", 'title:BORDER OR "nothing facial"', "-c", "title", cwd=tmp_path
    )
    assert re.search(HIGHLIGHTED.format(word="border"), screen), screen
    assert re.search(HIGHLIGHTED.format(word="Nothing FACIAL"), screen), screen


def test_no_highlight_when_piped(tmp_path: Path) -> None:
    result = run_cli("search", "facial", "-c", "title", cwd=_folder(tmp_path))
    assert result.stdout == "title\nFacial recognition at the border\nNothing FACIAL here\n"
