"""Check articles and turn what is wrong into :class:`Problem` values (no printing here)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap

from newsmeta.article import Document, read_article, split_article
from newsmeta.config import Config, rule_id_error
from newsmeta.errors import ArticleError, UsageError, WriteError
from newsmeta.fix import apply_edits
from newsmeta.report import Problem, Report, Severity, problem_of
from newsmeta.rules import RULES, Rule, duplicate_url
from newsmeta.rules.base import Context, Options
from newsmeta.rules.duplicate_url import UrlUse
from newsmeta.schema import Schema

# --fix applies fixes, checks again and applies what the first fixes made possible, this often.
FIX_ROUNDS = 4


@dataclass(frozen=True)
class Checker:
    """The rules in force, each with its severity, and what they read besides the article."""

    rules: tuple[tuple[Rule, Severity], ...]
    schema: Schema = dataclasses.field(default_factory=Schema)
    options: Options = dataclasses.field(default_factory=Options)

    def severity(self, rule_id: str) -> Severity | None:
        return next((level for rule, level in self.rules if rule.id == rule_id), None)

    def check(
        self, path: str, data: Any, first_line: int = 2
    ) -> tuple[list[Problem], UrlUse | None]:
        """The problems in one article's front matter, and its webUrl for the check across files."""
        if data is None:  # empty front matter: an empty mapping
            data = CommentedMap()
        ctx = Context(path, data, self.schema, self.options, first_line)
        problems = [
            Problem(path, f.line, f.column, severity, rule.id, f.message, f.fix)
            for rule, severity in self.rules
            for f in rule.check(ctx)
        ]
        problems.sort(key=lambda p: (p.line, p.column))
        use = duplicate_url.url_use(ctx) if self.severity(duplicate_url.ID) else None
        return problems, use


def build_checker(
    config: Config | None = None,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    options: Options | None = None,
) -> Checker:
    """The checker that configuration and ``--select`` / ``--ignore`` ask for."""
    for rule_id in (*select, *ignore):
        problem = rule_id_error(rule_id)
        if problem is not None:
            raise UsageError(problem)
    config = config or Config()
    levels: dict[str, Severity | None] = {rule.id: rule.severity for rule in RULES}
    levels.update(dict(config.rules))
    chosen: list[tuple[Rule, Severity]] = []
    for rule in RULES:
        level = levels[rule.id]
        if select:
            # Named on the command line, a rule runs even if the configuration turned it off.
            level = (level or rule.severity) if rule.id in select else None
        if level is not None and rule.id not in ignore:
            chosen.append((rule, level))
    schema = config.schema()
    if options is None:
        options = Options(future_tolerance=config.future_tolerance)
    return Checker(tuple(chosen), schema, options)


@dataclass(frozen=True)
class FileResult:
    """What checking (and fixing) one file found."""

    path: str
    problems: tuple[Problem, ...] = ()
    fixed: tuple[Problem, ...] = ()
    url: UrlUse | None = None


def _error_result(path: str, error: Exception) -> FileResult:
    return FileResult(path, (problem_of(path, error),))


def _fix(document: Document, checker: Checker, problems: list[Problem]) -> None:
    """Apply the fixes of ``problems`` (and those they make possible) to the loaded tree."""
    document.begin_edit()
    for _ in range(FIX_ROUNDS):
        fixable = [problem for problem in problems if problem.fix]
        if not fixable:
            break
        apply_edits(document.data, [edit for problem in fixable for edit in problem.fix])
        problems, _use = checker.check(document.article.path, document.data)


def _where_fixed(problem: Problem) -> tuple[str, object]:
    return problem.rule, problem.fix[0].path


def _gone(before: list[Problem], after: list[Problem]) -> list[Problem]:
    """The fixable problems of the file as it was that the file as written no longer has."""
    remaining = {_where_fixed(problem) for problem in after if problem.fix}
    return [p for p in before if p.fix and _where_fixed(p) not in remaining]


def check_document(document: Document, checker: Checker, *, fix: bool = False) -> FileResult:
    """Check a loaded article; with ``fix``, repair what is safe and write the file."""
    path = document.article.path
    problems, use = checker.check(path, document.data, document.article.first_line)
    if not fix or not any(problem.fix for problem in problems):
        return FileResult(path, tuple(problems), (), use)
    _fix(document, checker, problems)
    try:
        document.save()
        fresh = Document(read_article(path))
    except (ArticleError, WriteError) as error:
        # Nothing was written: the file still has every problem found, and cannot be fixed.
        failed = _error_result(path, error).problems
        return FileResult(path, (*failed, *problems), (), use)
    remaining, use = checker.check(path, fresh.data, fresh.article.first_line)
    return FileResult(path, tuple(remaining), tuple(_gone(problems, remaining)), use)


def check_bytes(raw: bytes, path: str, checker: Checker) -> FileResult:
    """Check an article given as bytes (standard input)."""
    try:
        return check_document(Document(split_article(raw, path)), checker)
    except ArticleError as error:
        return _error_result(path, error)


def check_path(path: Path, checker: Checker, *, fix: bool = False) -> FileResult:
    """Check one article file (and fix it with ``fix``); never raises for a bad file."""
    name = str(path)
    try:
        return check_document(Document(read_article(path)), checker, fix=fix)
    except Exception as error:  # a bad file, or a bug of ours: the run goes on over the others
        return _error_result(name, error)


def check_paths(
    paths: Iterable[Path], checker: Checker, *, fix: bool = False
) -> Iterator[FileResult]:
    """Check files one after the other."""
    for path in paths:
        yield check_path(path, checker, fix=fix)


def check_across(results: Iterable[FileResult], checker: Checker) -> list[Problem]:
    """The problems only a look at all the files shows (the same webUrl in two articles)."""
    severity = checker.severity(duplicate_url.ID)
    if severity is None:
        return []
    uses = (result.url for result in results if result.url is not None)
    return [
        Problem(use.path, use.line, use.column, severity, duplicate_url.ID, message)
        for use, message in duplicate_url.check_across(uses)
    ]


def summarize(results: Sequence[FileResult], checker: Checker, *, strict: bool) -> Report:
    """The run's report: every file's problems and fixes, then those across files, in order."""
    report = Report(strict=strict, files=len(results))
    for result in results:
        report.problems.extend(result.problems)
        report.fixed.extend(result.fixed)
    report.problems.extend(check_across(results, checker))
    report.problems.sort(key=lambda problem: (problem.path, problem.line, problem.column))
    return report
