"""``newsmeta list`` through the real CLI, checked against answers computed here.

The big checks run on a generated corpus (../shared/bench/gen_corpus.py, 2000 articles, seed 3)
read independently with PyYAML; the small ones on a few files written by each test.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from .conftest import SHARED, Result, assert_no_traceback, minimal_article, run_cli
from .test_cli import run_on_terminal

GENERATOR = SHARED / "bench" / "gen_corpus.py"
COUNT = 2000
SEED = 3
WORKERS = max(2, os.cpu_count() or 2)
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # yaml.safe_load, in C when there
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
DEFAULT_HEADER = "path\tpublishedDateTime\tprovider.name\ttitle\tquality"


# -- an independent reading of the corpus ---------------------------------------------------


@dataclass(frozen=True)
class Corpus:
    folder: Path
    docs: dict[str, dict[str, Any]]  # path as newsmeta prints it -> front matter

    def where(self, test: Callable[[dict[str, Any]], bool]) -> set[str]:
        return {path for path, doc in self.docs.items() if test(doc)}


def front_matter(path: Path) -> dict[str, Any]:
    """The YAML between the ``---`` lines, read by PyYAML (not by newsmeta)."""
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines[0] == "---"
    end = lines.index("---", 1)
    data = yaml.load("\n".join(lines[1:end]), Loader=_LOADER)
    assert isinstance(data, dict)
    return data


def make_corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    if not GENERATOR.is_file():
        pytest.skip(f"{GENERATOR} is not here")
    folder = tmp_path_factory.mktemp("corpus")
    subprocess.run(
        [sys.executable, str(GENERATOR), str(folder), "--count", str(COUNT), "--seed", str(SEED)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    docs = {str(path): front_matter(path) for path in sorted(folder.glob("*.txt"))}
    assert len(docs) == COUNT
    return Corpus(folder, docs)


def instant(value: Any) -> dt.datetime:
    """A YAML timestamp as an aware datetime (PyYAML keeps the offset it was written with)."""
    assert isinstance(value, dt.datetime) and value.tzinfo is not None, value
    return value


def shown(value: Any) -> str:
    """How a value reads in a table, TSV or CSV cell (the issue: a list joined with ', ')."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, list):
        return ", ".join(shown(item) for item in value)
    return str(value)


def _related_names(doc: dict[str, Any]) -> list[str] | None:
    related = doc.get("related") or []
    return [item["provider"]["name"] for item in related] or None


def _first_image_url(doc: dict[str, Any]) -> str | None:
    images = doc.get("images") or []
    return images[0]["url"] if images else None


# Each column the tests ask for, looked up by hand.
VALUE: dict[str, Callable[[dict[str, Any]], Any]] = {
    "publishedDateTime": lambda doc: doc["publishedDateTime"],
    "provider.name": lambda doc: doc["provider"]["name"],
    "provider.domain": lambda doc: doc["provider"]["domain"],
    "title": lambda doc: doc["title"],
    "quality": lambda doc: doc["quality"],
    "heat": lambda doc: doc["heat"],
    "published": lambda doc: doc["published"],
    "topics": lambda doc: doc["topics"],
    "images[0].url": _first_image_url,
    "images[0].width": lambda doc: (doc.get("images") or [{}])[0].get("width"),
    "related.provider.name": _related_names,
}


def table_cells(screen: str, columns: list[str]) -> list[list[str]]:
    """The cells of a rich table as a terminal showed it (columns cut at the header names)."""
    lines = [ANSI.sub("", line).rstrip() for line in screen.splitlines()]
    lines = [line for line in lines if line.strip()]
    header, rule, *body, footer = lines
    assert set(rule) == {"─"}
    assert re.fullmatch(r"[\d,]+( of [\d,]+)? articles?", footer), footer
    starts, at = [], 0
    for column in columns:
        at = header.index(column, at)
        starts.append(at)
        at += len(column)
    ends = [*starts[1:], None]
    return [[line[a:b].strip() for a, b in zip(starts, ends, strict=True)] for line in body]


# -- the corpus and what the CLI says about it, run once, in parallel -----------------------

WIDE_COLUMNS = [
    "path",
    "publishedDateTime",
    "provider.name",
    "quality",
    "heat",
    "topics",
    "images[0].url",
]
JSON_COLUMNS = [
    "publishedDateTime",
    "provider.domain",
    "images[0].url",
    "topics",
    "quality",
    "published",
    "related.provider.name",
]
BY_PROVIDER_THEN_DATE = ["--sort", "provider.name", "--sort", "publishedDateTime"]

RUNS: dict[str, tuple[str, ...]] = {
    "default": (),
    "paths": ("-f", "paths"),
    "nul": ("-f", "paths", "-0"),
    "json": ("-c", ",".join(JSON_COLUMNS), "-f", "json"),
    "jsonl": ("-c", ",".join(JSON_COLUMNS), "-f", "jsonl"),
    "csv": ("-c", ",".join(WIDE_COLUMNS), *BY_PROVIDER_THEN_DATE, "-f", "csv"),
    "json sorted": ("-c", ",".join(WIDE_COLUMNS), *BY_PROVIDER_THEN_DATE, "-f", "json"),
    "by date": ("--sort", "publishedDateTime", "-f", "paths"),
    "by date reversed": ("--sort", "publishedDateTime", "--reverse", "-f", "paths"),
    "two keys": ("--sort", "provider.name", "--sort", "quality", "-f", "paths"),
    "two keys reversed": ("--sort", "provider.name", "--sort", "quality", "-r", "-f", "paths"),
    "limit": ("--sort", "quality", "--sort", "publishedDateTime", "--limit", "25", "-f", "paths"),
    "image width": ("--sort", "images[0].width", "-f", "paths"),
    "image width reversed": ("--sort", "images[0].width", "--reverse", "-f", "paths"),
    "count provider": ("--count-by", "provider.name", "-f", "json"),
    "count topics": ("--count-by", "topics", "-f", "json"),
    "count month": ("--count-by", "publishedDateTime:month"),
    "count year": ("--count-by", "publishedDateTime:year", "-f", "json"),
}
TERMINAL_RUNS: dict[str, tuple[tuple[str, ...], dict[str, str]]] = {
    "table": (("-c", ",".join(WIDE_COLUMNS), *BY_PROVIDER_THEN_DATE), {"COLUMNS": "400"}),
    "count table": (("--count-by", "provider.name"), {"COLUMNS": "120"}),
}


@dataclass(frozen=True)
class Outputs:
    corpus: Corpus
    piped: dict[str, Result]
    terminal: dict[str, str]


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Outputs:
    corpus = make_corpus(tmp_path_factory)
    folder = str(corpus.folder)

    def piped(args: tuple[str, ...]) -> Result:
        return run_cli("list", folder, *args)

    def terminal(job: tuple[tuple[str, ...], dict[str, str]]) -> str:
        args, env = job
        return run_on_terminal("list", folder, *args, cwd=corpus.folder, env=env)

    with ThreadPoolExecutor(WORKERS) as pool:
        shown_on_terminal = pool.map(terminal, TERMINAL_RUNS.values())
        results = pool.map(piped, RUNS.values())
        outputs = Outputs(
            corpus,
            dict(zip(RUNS, results, strict=True)),
            dict(zip(TERMINAL_RUNS, shown_on_terminal, strict=True)),
        )
    for name, result in outputs.piped.items():
        assert (result.code, result.stderr) == (0, ""), (name, result.stderr)
    return outputs


def paths_of(result: Result) -> list[str]:
    return result.stdout.splitlines()


# -- formats ---------------------------------------------------------------------------------


def test_default_is_tsv_with_the_default_columns_when_piped(out: Outputs) -> None:
    lines = out.piped["default"].stdout.splitlines()
    assert lines[0] == DEFAULT_HEADER
    rows = [line.split("\t") for line in lines[1:]]
    expected = [
        [path, *(shown(VALUE[c](doc)) for c in DEFAULT_HEADER.split("\t")[1:])]
        for path, doc in sorted(out.corpus.docs.items())
    ]
    assert rows == expected


def test_paths_one_a_line_and_nul_separated(out: Outputs) -> None:
    every = sorted(out.corpus.docs)
    assert paths_of(out.piped["paths"]) == every
    assert out.piped["nul"].stdout == "".join(path + "\0" for path in every)


def test_json_and_jsonl_carry_typed_values_and_the_path(out: Outputs) -> None:
    items = json.loads(out.piped["json"].stdout)
    lines = [json.loads(line) for line in out.piped["jsonl"].stdout.splitlines()]
    assert lines == items
    assert [item["path"] for item in items] == sorted(out.corpus.docs)
    for item in items:
        doc = out.corpus.docs[item["path"]]
        assert list(item) == ["path", *JSON_COLUMNS]
        written = doc["publishedDateTime"]
        read = dt.datetime.fromisoformat(item.pop("publishedDateTime"))
        assert (read, read.utcoffset()) == (written, written.utcoffset())  # same instant, zone
        assert item.pop("path")
        assert item == {column: VALUE[column](doc) for column in JSON_COLUMNS[1:]}
    assert any(item["images[0].url"] is None for item in items)  # missing -> null
    assert all(isinstance(item["topics"], list) for item in items)
    assert all(type(item["quality"]) is int and type(item["published"]) is bool for item in items)


def test_csv_json_and_the_table_hold_the_same_rows(out: Outputs) -> None:
    rows = list(csv.reader(io.StringIO(out.piped["csv"].stdout)))
    assert rows[0] == WIDE_COLUMNS
    table = table_cells(out.terminal["table"], WIDE_COLUMNS)
    assert "…" not in out.terminal["table"]  # nothing cut on a 400-column terminal
    when = WIDE_COLUMNS.index("publishedDateTime")
    readable = [
        [
            *row[:when],
            dt.datetime.fromisoformat(row[when]).strftime("%Y-%m-%d %H:%M"),
            *row[when + 1 :],
        ]
        for row in rows[1:]
    ]
    assert table == readable  # the table shows dates as people read them, to the minute
    items = json.loads(out.piped["json sorted"].stdout)
    as_text = [
        [shown(item[c]) if c != "path" else item["path"] for c in WIDE_COLUMNS] for item in items
    ]
    assert as_text == rows[1:]
    # ... and they are the right rows, in the right order (provider, then instant).
    order = sorted(
        out.corpus.docs.items(),
        key=lambda pair: (pair[1]["provider"]["name"].casefold(), pair[1]["publishedDateTime"]),
    )
    expected = [[path, *(shown(VALUE[c](doc)) for c in WIDE_COLUMNS[1:])] for path, doc in order]
    assert rows[1:] == expected
    assert any(", " in row[WIDE_COLUMNS.index("topics")] for row in rows[1:])


# -- sorting and limits ----------------------------------------------------------------------


def test_sort_by_date_compares_instants_across_offsets(out: Outputs) -> None:
    docs = out.corpus.docs
    by_instant = sorted(docs, key=lambda path: instant(docs[path]["publishedDateTime"]))
    by_text = sorted(docs, key=lambda path: docs[path]["publishedDateTime"].isoformat())
    assert by_instant != by_text  # the offsets matter in this corpus
    shown_order = paths_of(out.piped["by date"])
    assert sorted(shown_order) == sorted(docs)
    assert [docs[p]["publishedDateTime"] for p in shown_order] == [
        docs[p]["publishedDateTime"] for p in by_instant
    ]
    reversed_order = paths_of(out.piped["by date reversed"])
    assert [docs[p]["publishedDateTime"] for p in reversed_order] == [
        docs[p]["publishedDateTime"] for p in reversed(by_instant)
    ]


def test_several_sort_keys_the_first_decides_first(out: Outputs) -> None:
    docs = out.corpus.docs

    def key(path: str) -> tuple[str, int]:
        return (docs[path]["provider"]["name"].casefold(), docs[path]["quality"])

    # newsmeta walks a folder in sorted order and its sort is stable, like Python's.
    assert paths_of(out.piped["two keys"]) == sorted(sorted(docs), key=key)
    assert paths_of(out.piped["two keys reversed"]) == sorted(sorted(docs), key=key, reverse=True)


def test_limit_keeps_the_first_rows_of_the_order(out: Outputs) -> None:
    docs = out.corpus.docs
    order = sorted(docs, key=lambda p: (docs[p]["quality"], docs[p]["publishedDateTime"]))
    assert paths_of(out.piped["limit"]) == order[:25]


def test_missing_values_sort_last_both_ways(out: Outputs) -> None:
    docs = out.corpus.docs
    missing = out.corpus.where(lambda doc: not doc.get("images"))
    assert 0 < len(missing) < len(docs)
    for name, reverse in (("image width", False), ("image width reversed", True)):
        order = paths_of(out.piped[name])
        assert set(order[len(docs) - len(missing) :]) == missing, name
        widths = [docs[p]["images"][0]["width"] for p in order[: len(docs) - len(missing)]]
        assert widths == sorted(widths, reverse=reverse), name


def test_sort_missing_last_and_dates_as_instants_in_a_small_folder(tmp_path: Path) -> None:
    dates = {
        "a": "2020-06-11T16:42:00+02:00",  # 14:42Z
        "b": "2020-06-11T15:00:00Z",
        "c": "2020-06-11T09:30:00-05:00",  # 14:30Z
        "d": None,
        "e": "2020-06-11T23:30:00+09:00",  # 14:30Z too
    }
    for name, when in dates.items():
        text = minimal_article(name).decode()
        line = "publishedDateTime: 2020-06-11T16:42:00Z\n"
        text = text.replace(line, f"publishedDateTime: {when}\n" if when else "")
        (tmp_path / f"{name}.md").write_text(text, encoding="utf-8")
    forward = run_cli("list", ".", "--sort", "publishedDateTime", "-f", "paths", cwd=tmp_path)
    backward = run_cli(
        "list", ".", "--sort", "publishedDateTime", "-r", "-f", "paths", cwd=tmp_path
    )
    # c and e are the same instant: the stable sort keeps the folder's order.
    assert forward.stdout.split() == ["c.md", "e.md", "a.md", "b.md", "d.md"]
    assert backward.stdout.split() == ["b.md", "a.md", "c.md", "e.md", "d.md"]


def test_sort_compares_a_quoted_date_as_an_instant(tmp_path: Path) -> None:
    dates = {
        "a": "2020-06-11T15:00:00Z",
        "b": '"2020-06-11T14:50:00Z"',
        "c": "2020-06-11T16:00:00Z",
    }
    for name, when in dates.items():
        text = minimal_article(name).decode()
        text = text.replace("2020-06-11T16:42:00Z", when)
        (tmp_path / f"{name}.md").write_text(text, encoding="utf-8")
    assert run_cli("validate", ".", cwd=tmp_path).code == 0  # a valid date
    found = run_cli("search", "publishedDateTime<2020-06-11T14:55Z", "-f", "paths", cwd=tmp_path)
    assert found.stdout.split() == ["b.md"]  # search reads it as an instant
    result = run_cli("list", ".", "--sort", "publishedDateTime", "-f", "paths", cwd=tmp_path)
    assert result.stdout.split() == ["b.md", "a.md", "c.md"]


# -- counting --------------------------------------------------------------------------------


def most_first(counts: Counter[str]) -> list[dict[str, Any]]:
    pairs = sorted(counts.items(), key=lambda pair: (-pair[1], pair[0].casefold()))
    return [{"value": value, "count": count} for value, count in pairs]


def test_count_by_provider(out: Outputs) -> None:
    counts = Counter(doc["provider"]["name"] for doc in out.corpus.docs.values())
    assert json.loads(out.piped["count provider"].stdout) == most_first(counts)


def test_count_by_topics_counts_each_element(out: Outputs) -> None:
    counts: Counter[str] = Counter()
    for doc in out.corpus.docs.values():
        counts.update(set(doc["topics"]))
    assert sum(counts.values()) > COUNT  # articles have several topics
    assert json.loads(out.piped["count topics"].stdout) == most_first(counts)


def test_count_by_month_is_tsv_in_date_order(out: Outputs) -> None:
    # The month as written (the article's own calendar), like the date column shows it.
    counts = Counter(doc["publishedDateTime"].strftime("%Y-%m") for doc in out.corpus.docs.values())
    lines = out.piped["count month"].stdout.splitlines()
    assert lines[0] == "publishedDateTime:month\tcount"
    assert lines[1:] == [f"{month}\t{counts[month]}" for month in sorted(counts)]
    assert len(lines) > 80  # seven years of months


def test_count_by_year_as_json(out: Outputs) -> None:
    counts = Counter(str(doc["publishedDateTime"].year) for doc in out.corpus.docs.values())
    expected = [{"value": year, "count": counts[year]} for year in sorted(counts)]
    assert json.loads(out.piped["count year"].stdout) == expected


def test_count_by_on_a_terminal_is_a_table_with_a_bar_a_row(out: Outputs) -> None:
    screen = ANSI.sub("", out.terminal["count table"])
    lines = [line for line in screen.splitlines() if line.strip()]
    assert lines[0].split() == ["provider.name", "count"]
    counts = Counter(doc["provider"]["name"] for doc in out.corpus.docs.values())
    rows = lines[2:]
    assert len(rows) == len(counts) == 12
    for row, item in zip(rows, most_first(counts), strict=True):
        assert row.startswith(item["value"]) and f" {item['count']} " in row and "█" in row


# -- the table on a terminal (list --where is in test_search.py) -----------------------------


def _write_three(folder: Path) -> None:
    for name in ("one", "two", "three"):
        text = minimal_article(name).decode()
        title = f"{name.title()} " + "very long headline words " * 6
        text = text.replace('"A headline"', f'"{title.strip()}"')
        (folder / f"{name}.md").write_text(text, encoding="utf-8")


def test_table_on_a_terminal_cuts_long_values_to_fit(tmp_path: Path) -> None:
    _write_three(tmp_path)
    screen = run_on_terminal("list", ".", cwd=tmp_path, env={"COLUMNS": "80"})
    lines = [ANSI.sub("", line) for line in screen.splitlines() if line.strip()]
    # The date column's long name is cut before its values are.
    assert lines[0].split() == ["path", "published…", "provider.na…", "title", "quality"]
    assert set(lines[1]) == {"─"}
    assert len(lines) == 2 + 3 + 1
    assert lines[-1] == "3 articles"
    assert all(len(line.rstrip()) <= 80 for line in lines)
    assert all("…" in line for line in lines[2:-1])
    # The time goes first; the date stays.
    assert all(re.search(r"   2020-06-11   ", line) for line in lines[2:-1])


def test_wide_table_wraps_instead_of_cutting(tmp_path: Path) -> None:
    _write_three(tmp_path)
    screen = run_on_terminal(
        "list", ".", "-c", "title", "--wide", cwd=tmp_path, env={"COLUMNS": "40"}
    )
    lines = [ANSI.sub("", line).strip() for line in screen.splitlines() if line.strip()]
    assert "…" not in screen
    assert all(len(line) <= 40 for line in lines)
    titles = [front_matter(tmp_path / f"{n}.md")["title"] for n in ("one", "three", "two")]
    assert lines[-1] == "3 articles"
    assert " ".join(lines[2:-1]).split() == " ".join(titles).split()


# -- unreadable files; text that must not act on a terminal ---------------------------------


def test_unreadable_files_are_named_on_stderr_and_the_rest_listed(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_bytes(minimal_article("a"))
    (tmp_path / "b.md").write_bytes(b"---\ntitle: 'open\n---\n")
    (tmp_path / "c.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (tmp_path / "d.md").write_bytes(minimal_article("d"))
    result = run_cli("list", ".", cwd=tmp_path)
    assert_no_traceback(result)
    assert result.code == 2
    assert [line.split("\t")[0] for line in result.stdout.splitlines()] == ["path", "a.md", "d.md"]
    named = [line.split(":")[0] for line in result.stderr.splitlines()]
    assert named == ["b.md", "c.md"]
    as_json = run_cli("list", ".", "-f", "json", cwd=tmp_path)
    assert as_json.code == 2
    assert [item["path"] for item in json.loads(as_json.stdout)] == ["a.md", "d.md"]


MARKUP = "[bold]x[/bold]"
HOSTILE_TITLE = MARKUP + " then \x1b[31mred"


def _write_hostile(folder: Path) -> str:
    """An article whose title holds rich markup and an escape sequence (YAML's \\e)."""
    name = "[bold]x[red].md"  # a file name cannot hold the closing tag's /
    text = minimal_article("h").decode().replace('"A headline"', f'"{MARKUP} then \\e[31mred"')
    (folder / name).write_text(text, encoding="utf-8")
    assert front_matter(folder / name)["title"] == HOSTILE_TITLE
    return name


@pytest.mark.parametrize("fmt", ["table", "tsv", "csv", "json", "jsonl", "paths"])
def test_markup_and_escapes_print_literally_on_a_terminal(tmp_path: Path, fmt: str) -> None:
    name = _write_hostile(tmp_path)
    (tmp_path / "\x1b[31mname.md").write_bytes(minimal_article("escape in the name"))
    screen = run_on_terminal("list", ".", "-c", "path,title", "-f", fmt, cwd=tmp_path)
    assert "\x1b[31m" not in screen  # never the control sequence itself
    plain = ANSI.sub("", screen)
    assert name in plain  # the file name's markup, literally
    shown_escape = "\\u001b[31m" if fmt.startswith("json") else "\\x1b[31m"
    assert shown_escape + "name.md" in plain
    if fmt != "paths":
        assert MARKUP in plain
        assert shown_escape + "red" in plain


def test_markup_and_escapes_stay_data_in_json_when_piped(tmp_path: Path) -> None:
    name = _write_hostile(tmp_path)
    result = run_cli("list", ".", "-c", "title", "-f", "json", cwd=tmp_path)
    assert "\x1b" not in result.stdout
    assert json.loads(result.stdout) == [{"path": name, "title": HOSTILE_TITLE}]
    paths = run_cli("list", ".", "-f", "paths", cwd=tmp_path)
    assert paths.stdout == name + "\n"


@pytest.mark.parametrize("fmt", ["tsv", "csv"])
def test_escapes_are_not_written_raw_in_tsv_or_csv_when_piped(tmp_path: Path, fmt: str) -> None:
    _write_hostile(tmp_path)
    result = run_cli("list", ".", "-c", "title", "-f", fmt, cwd=tmp_path)
    assert MARKUP in result.stdout
    assert "\x1b" not in result.stdout


def test_nul_keeps_file_names_whole(tmp_path: Path) -> None:
    for name in ("a\nb.md", "c d.md"):
        (tmp_path / name).write_bytes(minimal_article(name))
    result = run_cli("list", ".", "-f", "paths", "-0", cwd=tmp_path)
    assert result.code == 0
    assert result.stdout == "a\nb.md\0c d.md\0"
