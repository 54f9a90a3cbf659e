"""Check articles and turn what is wrong into :class:`Problem` values (no printing here)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsmeta import fastyaml
from newsmeta.article import Article, Document, load_tree, read_article, split_article
from newsmeta.config import Config, rule_id_error
from newsmeta.engine import Job, kind_of, run
from newsmeta.errors import ArticleError, UsageError, WriteError
from newsmeta.report import IO_RULES, Problem, Report, Severity, problem_of
from newsmeta.rules import RULES, Rule, duplicate_url
from newsmeta.rules.base import Context, Options
from newsmeta.rules.duplicate_url import UrlUse
from newsmeta.schema import Schema
from newsmeta.writer import sweep_for

if TYPE_CHECKING:
    from newsmeta.engine import CacheOpener

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
        self, path: str, data: Any, first_line: int = 2, *, located: bool = True
    ) -> tuple[list[Problem], UrlUse | None]:
        """The problems in one article's front matter, and its webUrl for the check across files.

        ``located`` False: ``data`` is plain (the fast reader's), so the problems' places are
        only approximate and the webUrl's is unknown.
        """
        if data is None:  # empty front matter: an empty mapping
            data = {}
        ctx = Context(path, data, self.schema, self.options, first_line, located)
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
    from newsmeta.fix import apply_edits

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


def check_article(article: Article, checker: Checker, *, fix: bool = False) -> FileResult:
    """Check an article; with ``fix``, repair what is safe and write the file.

    Most articles have no problem, and for those the fast reader's plain data is enough.  An
    article with a problem (or that the fast reader is unsure of) is read again as a
    round-trip tree, which gives every problem its line and column, and the fixes.
    """
    try:
        data = fastyaml.load(article.yaml_text)
    except fastyaml.Unsure:
        pass
    else:
        path = article.path
        problems, use = checker.check(path, data, article.first_line, located=False)
        if not problems:
            return FileResult(path, (), (), use)
    return check_document(Document(article), checker, fix=fix)


def check_bytes(raw: bytes, path: str, checker: Checker) -> FileResult:
    """Check an article given as bytes (standard input)."""
    try:
        return check_article(split_article(raw, path), checker)
    except ArticleError as error:
        return _error_result(path, error)


def check_path(path: Path, checker: Checker, *, fix: bool = False) -> FileResult:
    """Check one article file (and fix it with ``fix``); never raises for a bad file."""
    name = str(path)
    try:
        if fix:
            sweep_for(path)
        return check_article(read_article(path), checker, fix=fix)
    except Exception as error:  # a bad file, or a bug of ours: the run goes on over the others
        return _error_result(name, error)


def check_paths(
    paths: Iterable[Path],
    checker: Checker,
    *,
    fix: bool = False,
    jobs: int | None = 1,
    cache: CacheOpener | None = None,
) -> Iterator[FileResult]:
    """Check files, in the order given: on ``jobs`` processes, with results from ``cache``."""
    return run(paths, CheckJob(checker, fix), jobs=jobs, cache=cache)


@dataclass(frozen=True)
class CheckJob(Job[FileResult]):
    """Checking a file, as the engine runs it (see :mod:`newsmeta.engine`)."""

    checker: Checker
    fix: bool = False

    def compute(self, path: str) -> tuple[Any, bool]:
        result = check_path(Path(path), self.checker, fix=self.fix)
        return _payload(result), _cacheable(result)

    def usable(self, payload: Any) -> bool:
        """A cached result is no use to --fix if it has something to fix."""
        return not self.fix or not any(problem[5] for problem in payload[0])

    def result(self, path: str, payload: Any) -> FileResult:
        return _from_payload(path, payload)


def cache_kind(checker: Checker) -> str:
    """What a cached check depends on: the rules, their severities, the schema, the options."""
    rules = [(rule.id, severity.value) for rule, severity in checker.rules]
    settings = (rules, repr(checker.schema), checker.options.future_tolerance)
    return kind_of("validate", 2, *settings)  # 2: the layout of the payload


def _cacheable(result: FileResult) -> bool:
    # Not what depends on more than the file: a failed read or write, a file just fixed,
    # or a date in the future (which time alone will make right).
    return not result.fixed and not any(
        problem.rule in IO_RULES or problem.rule == "future-date" for problem in result.problems
    )


def _payload(result: FileResult) -> Any:
    problems = [
        (p.line, p.column, p.severity.value, p.rule, p.message, p.fixable) for p in result.problems
    ]
    fixed = [(p.line, p.column, p.severity.value, p.rule, p.message) for p in result.fixed]
    use = result.url
    # str(): ruamel's quoted-string types are not plain data, and the cache would refuse them.
    url = None if use is None else (str(use.url), use.line, use.column, use.page)
    return problems, fixed, url


def _from_payload(path: str, payload: Any) -> FileResult:
    problems, fixed, url = payload
    return FileResult(
        path,
        tuple(
            Problem(path, line, column, Severity(level), rule, message, marked_fixable=fixable)
            for line, column, level, rule, message, fixable in problems
        ),
        tuple(
            Problem(path, line, column, Severity(level), rule, message)
            for line, column, level, rule, message in fixed
        ),
        None if url is None else UrlUse(path, *url),
    )


def check_across(results: Iterable[FileResult], checker: Checker) -> list[Problem]:
    """The problems only a look at all the files shows (the same webUrl in two articles)."""
    severity = checker.severity(duplicate_url.ID)
    if severity is None:
        return []
    uses = (result.url for result in results if result.url is not None)
    return [
        Problem(use.path, *_located(use), severity, duplicate_url.ID, message)
        for use, message in duplicate_url.check_across(uses)
    ]


def _located(use: UrlUse) -> tuple[int, int]:
    """Where a webUrl is; found again when the fast reader did not say."""
    if use.line:
        return use.line, use.column
    try:
        article = read_article(use.path)
        tree = load_tree(article)
        line, column = tree.lc.value("webUrl")
    except Exception:  # changed or gone since it was checked: the file's first line
        return 1, 0
    return article.first_line + int(line), int(column) + 1


def summarize(results: Sequence[FileResult], checker: Checker, *, strict: bool) -> Report:
    """The run's report: every file's problems and fixes, then those across files, in order."""
    report = Report(strict=strict, files=len(results))
    for result in results:
        report.problems.extend(result.problems)
        report.fixed.extend(result.fixed)
    report.problems.extend(check_across(results, checker))
    report.problems.sort(key=lambda problem: (problem.path, problem.line, problem.column))
    return report
