"""Shared helpers for the rule tests: a valid house-style article to edit, and the real CLI.

Every rule test runs ``python -m newsmeta validate --format json`` in a subprocess on real
files and reads the JSON report.  ``HOUSE`` is the reference article
(``seeds/000_218d50f45779ca55.txt``) with its one known problem fixed, so it passes every rule;
tests replace, insert or delete lines of it by their line number in the file (the ``---``
opening line is line 1).
"""

# ruff: noqa: E501, RUF001 - an article's lines are as long as its URLs; headlines use curly quotes

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from ..conftest import Result, assert_no_traceback, run_cli

# Line numbers of the file (the opening "---" is line 1), for reading the tests:
#  3 title, 4 excerpt, 5 publishedDateTime, 6 webUrl, 7 ampWebUrl, 8 cdnAmpWebUrl, 10 quality,
#  11 heat, 12 published, 14-16 provider, 18-20 topics, 22-27 images[0] (23 url, 24 width,
#  27 title), 30-45 related[0] (32 publishedDateTime, 33 webUrl, 34 ampWebUrl, 35 cdnAmpWebUrl,
#  37-39 provider, 40 quality, 42 images[0].url), 46-59 related[1] (49 webUrl, 51-53 provider,
#  56 images[0].url), 61 secured, 62 the closing "---", 63 the body.
HOUSE_TEXT = """\
---
category: news
title: "Microsoft won’t sell police its facial-recognition technology, following similar moves by Amazon and IBM"
excerpt: "Microsoft will ban police use of its controversial facial-recognition systems, as the company awaits regulatory rules for how law-enforcement agencies deploy the technology."
publishedDateTime: 2020-06-11T16:42:00Z
webUrl: "https://www.washingtonpost.com/technology/2020/06/11/microsoft-facial-recognition/"
ampWebUrl: "https://www.washingtonpost.com/technology/2020/06/11/microsoft-facial-recognition/?outputType=amp"
cdnAmpWebUrl: "https://www-washingtonpost-com.cdn.ampproject.org/c/s/www.washingtonpost.com/technology/2020/06/11/microsoft-facial-recognition/?outputType=amp"
type: article
quality: 27
heat: -1
published: false

provider:
  name: Washington Post
  domain: washingtonpost.com

topics:
  - Computer Vision
  - AI

images:
  - url: "https://www.washingtonpost.com/wp-apps/imrs.php?src=https://arc-anglerfish-washpost-prod-washpost.s3.amazonaws.com/public/CREFEAVB7AI6VPQGV5KRJ3QDQU.jpg&w=1440"
    width: 1440
    height: 960
    isCached: true
    title: "Microsoft won’t sell police its facial-recognition technology, following similar moves by Amazon and IBM"

related:
  - title: "Microsoft won’t sell police facial recognition until there’s ‘a national law in place’"
    excerpt: "Urging action from Congress, Microsoft president Brad Smith said Microsoft will not sell facial recognition until national regulation is in place."
    publishedDateTime: 2020-06-11T17:30:00Z
    webUrl: "https://venturebeat.com/2020/06/11/microsoft-wont-sell-police-facial-recognition-until-theres-a-national-law-in-place/"
    ampWebUrl: "https://venturebeat.com/2020/06/11/microsoft-wont-sell-police-facial-recognition-until-theres-a-national-law-in-place/amp/"
    cdnAmpWebUrl: "https://venturebeat-com.cdn.ampproject.org/c/s/venturebeat.com/2020/06/11/microsoft-wont-sell-police-facial-recognition-until-theres-a-national-law-in-place/amp/"
    type: article
    provider:
      name: VentureBeat
      domain: venturebeat.com
    quality: 81
    images:
      - url: "https://venturebeat.com/wp-content/uploads/2019/07/Microsoft-e1572850220242.jpg?w=1200&strip=all"
        width: 1000
        height: 600
        isCached: true
  - title: "House police reform bill includes face recognition provisions"
    excerpt: "Tucked into the police reform bill introduced by the House today are provisions for using body cameras along with a cursory rebuff of facial recognition,"
    publishedDateTime: 2020-06-09T03:34:00Z
    webUrl: "https://www.scmagazine.com/home/security-news/house-police-reform-bill-includes-face-recognition-provisions/"
    type: article
    provider:
      name: SC Media
      domain: scmagazine.com
    quality: 41
    images:
      - url: "https://www.scmagazine.com/wp-content/uploads/sites/2/2018/07/taserbodycam_827504.jpg"
        width: 960
        height: 1200
        isCached: true

secured: "3+9ah912yIAe1HW8R/dmhE7FF3bYhr+8ua7PqdumPXfKPD6lOoLtmJ+spa3awU3z5aIqbW3YvREhOpZ92nntsr3SgqVgmPRuupKcyNNbGX4l4n5SPMEWy17NKIWYJdE+EUDvA3rK3q/JvEMDv9GuAV4yZumN5/o//gtDySsecIXl/1OSafQtsvGm/OkAXOIOllpHxoMRJ3I0rHbG+gpdH5D8ZJytKYUskSS1Eaytpd6u4QYIMhYL4N2XEUauyeUIR1O1do/QYzAc7DFtomTFu9Mt3oyMLrLX1x20Qy44VYy2lT7/UOJ8qMuvv9xfzjuv;giv2USdJ8ayKe82FUrqvFw=="
---
The article body.
"""

HOUSE: tuple[str, ...] = tuple(HOUSE_TEXT.splitlines())

# A small valid article for the cases the house article would only clutter.
SMALL_TEXT = """\
---
title: "A headline"
publishedDateTime: 2020-06-11T16:42:00Z
webUrl: "https://www.example.com/news/a-headline/"
provider:
  name: Example News
  domain: example.com
---
Body.
"""
SMALL: tuple[str, ...] = tuple(SMALL_TEXT.splitlines())

Lines = str | Sequence[str]


def article(
    replace: Mapping[int, Lines] | None = None,
    insert: Mapping[int, Lines] | None = None,
    delete: Iterable[int] = (),
    *,
    base: Sequence[str] = HOUSE,
    newline: str = "\n",
    bom: bool = False,
) -> bytes:
    """The bytes of ``base`` (the house article) with some lines edited.

    Line numbers are those of ``base`` before any edit (1 is the opening ``---``):
    ``replace={10: "quality: high"}`` swaps line 10 for one or more lines, ``insert={12: [...]}``
    puts lines after line 12 (0: before the first), ``delete=[11]`` drops line 11.
    """
    replace, insert, deleted = dict(replace or {}), dict(insert or {}), set(delete)
    for number in (*replace, *deleted, *(n for n in insert if n)):
        assert 1 <= number <= len(base), f"no line {number} in the base article"

    def as_list(value: Lines) -> list[str]:
        return [value] if isinstance(value, str) else list(value)

    out: list[str] = as_list(insert.get(0, []))
    for number, line in enumerate(base, start=1):
        if number in replace:
            out.extend(as_list(replace[number]))
        elif number not in deleted:
            out.append(line)
        out.extend(as_list(insert.get(number, [])))
    text = "".join(line + newline for line in out)
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")


def small(
    replace: Mapping[int, Lines] | None = None,
    insert: Mapping[int, Lines] | None = None,
    delete: Iterable[int] = (),
    **options: Any,
) -> bytes:
    """:func:`article` on :data:`SMALL`: 2 title, 3 publishedDateTime, 4 webUrl, 5-7 provider."""
    return article(replace, insert, delete, base=SMALL, **options)


def line_of(content: bytes, number: int) -> str:
    """Line ``number`` (1-based) of an article's bytes, without its line ending."""
    text = content.decode("utf-8-sig")
    return text.splitlines()[number - 1]


# -- running the CLI -------------------------------------------------------------------------


def validate(
    folder: Path,
    files: Mapping[str, bytes] | None = None,
    *options: str,
    config: str = "",
    paths: Sequence[str] | None = None,
) -> Result:
    """Write ``files`` (and ``newsmeta.toml`` with ``config``) into ``folder``, then run
    ``newsmeta validate --format json OPTIONS PATHS`` there (PATHS: the files written)."""
    folder.mkdir(parents=True, exist_ok=True)
    # Always a configuration file of our own, so none from a parent folder applies.
    (folder / "newsmeta.toml").write_text(config, encoding="utf-8")
    for name, content in (files or {}).items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    names = list(paths) if paths is not None else sorted(files or {})
    result = run_cli("validate", "--format", "json", *options, *names, cwd=folder)
    assert_no_traceback(result)
    return result


def problems(result: Result, rule: str | None = None) -> list[dict[str, Any]]:
    """The problems of a ``--format json`` run (only those of ``rule`` when given)."""
    try:
        found = json.loads(result.stdout)
    except json.JSONDecodeError as error:  # pragma: no cover - shows what was printed instead
        raise AssertionError(
            f"not JSON (exit {result.code}): {result.stdout!r} {result.stderr!r}"
        ) from error
    assert isinstance(found, list)
    for item in found:
        assert set(item) == {"path", "line", "column", "severity", "rule", "message", "fixable"}
    return [item for item in found if rule is None or item["rule"] == rule]


def where(found: Iterable[Mapping[str, Any]]) -> list[tuple[int, int]]:
    """The ``(line, column)`` of each problem, in report order."""
    return [(item["line"], item["column"]) for item in found]


@dataclass
class Batch:
    """Many articles checked in one CLI run (a run costs a Python start-up): one file a case."""

    folder: Path
    files: dict[str, bytes]
    options: tuple[str, ...] = ("--ignore", "duplicate-url")
    config: str = ""
    result: Result = field(init=False)
    by_path: dict[str, list[dict[str, Any]]] = field(init=False)

    def __post_init__(self) -> None:
        self.result = validate(self.folder, self.files, *self.options, config=self.config)
        self.by_path = {name: [] for name in self.files}
        for item in problems(self.result):
            self.by_path[item["path"]].append(item)

    def problems(self, name: str, rule: str | None = None) -> list[dict[str, Any]]:
        assert name in self.files, name
        return [item for item in self.by_path[name] if rule is None or item["rule"] == rule]


def case_name(case_id: str, extension: str = ".md") -> str:
    """A file name for a case id such as ``quality-high``."""
    safe = "".join(char if char.isalnum() or char in "-_" else "-" for char in case_id)
    return safe + extension


def assert_points_at(content: bytes, problem: Mapping[str, Any], text: str) -> None:
    """The problem's line and column point at ``text`` in the file."""
    line = line_of(content, problem["line"])
    assert line[problem["column"] - 1 :].startswith(text), (line, problem, text)


# -- cases: one article each, checked together in one run per module ------------------------


@dataclass(frozen=True)
class Expect:
    """A problem a case must get: where, a part of its message, what the file has there."""

    line: int
    column: int
    message: str = ""
    points_at: str = ""
    fixable: bool | None = None  # None: the rule's default


@dataclass(frozen=True)
class Case:
    """One article and the problems of one rule it must get (none: a near miss that passes)."""

    id: str
    content: bytes
    expected: tuple[Expect, ...] = ()
    clean: bool = True  # a passing case: no problem of any rule at all

    @property
    def name(self) -> str:
        return case_name(self.id)


def fails(case_id: str, content: bytes, *expected: Expect) -> Case:
    assert expected, "a failing case expects at least one problem"
    return Case(case_id, content, tuple(expected))


def passes(case_id: str, content: bytes, *, clean: bool = True) -> Case:
    return Case(case_id, content, (), clean)


def run_cases(folder: Path, cases: Sequence[Case], *options: str, config: str = "") -> Batch:
    names = [case.name for case in cases]
    assert len(set(names)) == len(names), "case ids must give distinct file names"
    files = {case.name: case.content for case in cases}
    return Batch(folder, files, ("--ignore", "duplicate-url", *options), config)


def check_case(batch: Batch, case: Case, rule: str, severity: str, fixable: bool) -> None:
    """The case got exactly its expected problems of ``rule``, with the rule's severity."""
    everything = batch.problems(case.name)
    assert not [p for p in everything if p["rule"] == "internal-error"], everything
    found = batch.problems(case.name, rule)
    assert where(found) == [(e.line, e.column) for e in case.expected], found
    for expect, problem in zip(case.expected, found, strict=True):
        assert problem["severity"] == severity, problem
        wanted = fixable if expect.fixable is None else expect.fixable
        assert problem["fixable"] is wanted, problem
        assert expect.message in problem["message"], problem
        if expect.points_at:
            assert_points_at(case.content, problem, expect.points_at)
    if not case.expected and case.clean:
        assert everything == [], everything


def only(result: Result, rule: str) -> list[dict[str, Any]]:
    """The problems of ``result``, which must all be of ``rule``."""
    found = problems(result)
    assert found and {item["rule"] for item in found} == {rule}, found
    return found


def validate_all(
    jobs: Mapping[str, tuple[Path, Mapping[str, bytes], tuple[str, ...], str]],
) -> dict[str, Result]:
    """Several :func:`validate` runs at once (name -> folder, files, options, config): each run
    is mostly Python start-up, so running them side by side keeps the suite fast."""
    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = {
            name: pool.submit(validate, folder, files, *options, config=config)
            for name, (folder, files, options, config) in jobs.items()
        }
        return {name: future.result() for name, future in futures.items()}


def check_severity_and_exit(folder: Path, content: bytes, rule: str, severity: str) -> None:
    """A file whose only problems are of ``rule``: the default severity and exit code, the
    severity flipped in the ``[rules]`` table, and (for a warning) ``--strict``."""
    files = {"article.md": content}
    flipped = "warning" if severity == "error" else "error"
    jobs = {
        "default": (folder / "default", files, (), ""),
        "flipped": (folder / "flipped", files, (), f'[rules]\n{rule} = "{flipped}"\n'),
    }
    if severity == "warning":
        jobs["strict"] = (folder / "strict", files, ("--strict",), "")
    runs = validate_all(jobs)

    assert {p["severity"] for p in only(runs["default"], rule)} == {severity}
    assert runs["default"].code == (1 if severity == "error" else 0), runs["default"]
    assert {p["severity"] for p in only(runs["flipped"], rule)} == {flipped}
    assert runs["flipped"].code == (1 if flipped == "error" else 0), runs["flipped"]
    if severity == "warning":
        assert {p["severity"] for p in only(runs["strict"], rule)} == {"warning"}
        assert runs["strict"].code == 1, runs["strict"]


def run_fix(folder: Path, content: bytes, *options: str) -> tuple[bytes, Result, Result]:
    """Run ``validate --fix`` on one file, then ``validate`` again: (bytes after, both runs)."""
    first = validate(folder, {"article.md": content}, "--fix", *options)
    after = (folder / "article.md").read_bytes()
    second = validate(folder, None, *options, paths=["article.md"])
    return after, first, second


def case_tests(
    rule: str,
    severity: str,
    cases: Sequence[Case],
    *,
    fixable: bool = False,
    config: str = "",
) -> tuple[Any, Any]:
    """A rule module's table tests: a ``batch`` fixture that runs every case through one CLI
    run, and ``test_case`` checking each case against it.  Bind both at module level."""

    @pytest.fixture(scope="module")
    def batch(tmp_path_factory: pytest.TempPathFactory) -> Batch:
        return run_cases(tmp_path_factory.mktemp(rule), cases, config=config)

    @pytest.mark.parametrize("case", cases, ids=lambda case: case.id)
    def test_case(batch: Batch, case: Case) -> None:
        check_case(batch, case, rule, severity, fixable)

    return batch, test_case
