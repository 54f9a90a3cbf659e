"""``newsmeta edit`` without the printing: change articles, check them, write them safely.

For each file: read it, skip it unless ``--where`` matches, apply the operations to the
round-trip tree, render the minimal diff, check the result with the validation rules (an edit
that adds an error is refused unless forced), then write it through the safe writer.  Each
file's outcome is a :class:`FileEdit` value; nothing here prints.
"""

from __future__ import annotations

import dataclasses
import enum
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from newsmeta.apply import EditFailure, apply_operations
from newsmeta.article import Article, Document, load_plain, read_article, split_article
from newsmeta.errors import ArticleError
from newsmeta.operations import Operation
from newsmeta.query import Matcher
from newsmeta.report import Problem, Severity, problem_of
from newsmeta.validate import Checker
from newsmeta.writer import sweep_for

REFUSED = "edit-refused"
FAILED = "edit-failed"


class Outcome(str, enum.Enum):
    """What happened to one file."""

    CHANGED = "changed"  # written (or, in a dry run, would be)
    UNCHANGED = "unchanged"  # the operations left it as it was
    NOT_MATCHED = "not-matched"  # --where did not match it
    FAILED = "failed"  # unreadable, an operation failed, refused, or not written


@dataclass(frozen=True)
class Plan:
    """What to do to every file."""

    operations: tuple[Operation, ...]
    checker: Checker
    matcher: Matcher | None = None
    write: bool = True  # False for --dry-run
    force: bool = False  # write even if the edit adds validation errors


@dataclass(frozen=True)
class FileEdit:
    """One file's outcome, with its bytes before and after (for --diff) and its problems."""

    path: str
    outcome: Outcome
    before: bytes = b""
    after: bytes = b""
    problems: tuple[Problem, ...] = ()


def _failed(path: str, error: Exception) -> FileEdit:
    return FileEdit(path, Outcome.FAILED, problems=(problem_of(path, error),))


# The values in a message (quoted text, numbers): masked, so that a message that only rewords
# a value ("quality is 150" -> "quality is 120") stands for the same finding.
_VALUES = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|-?\d+(?:\.\d+)?")


def _finding(problem: Problem) -> tuple[str, str]:
    return problem.rule, _VALUES.sub("…", problem.message)


def added_errors(
    before: Iterable[Problem], after: Iterable[Problem], severity: Severity = Severity.ERROR
) -> list[Problem]:
    """The errors (or warnings) ``after`` has that ``before`` did not.

    Findings are compared by rule and message with the values in it masked, not by line (an
    edit moves lines): ``quality is 150`` then ``quality is 120`` is the same finding, a
    wrong type in ``heat`` where ``quality`` had one is a new one.
    """
    had = Counter(_finding(p) for p in before if p.severity is severity)
    added: list[Problem] = []
    for problem in after:
        if problem.severity is not severity:
            continue
        if had[_finding(problem)]:
            had[_finding(problem)] -= 1
        else:
            added.append(problem)
    return added


def refusal(path: str, added: list[Problem]) -> Problem:
    count = f"{len(added)} validation error{'' if len(added) == 1 else 's'}"
    message = f"not written: the edit adds {count}; --force writes it anyway"
    return Problem(path, 0, 0, Severity.ERROR, REFUSED, message)


def _failure(document: Document, error: EditFailure) -> Problem:
    line = column = 0
    if error.position is not None:
        line = document.article.first_line + error.position[0]
        column = error.position[1] + 1
    return Problem(document.article.path, line, column, Severity.ERROR, FAILED, error.message)


def _matches(article: Article, matcher: Matcher | None) -> bool:
    return matcher is None or matcher(load_plain(article))


def _check(checker: Checker, document: Document) -> list[Problem]:
    article = document.article
    problems, _use = checker.check(article.path, document.data, article.first_line)
    return problems


def edit_article(article: Article, plan: Plan) -> tuple[FileEdit, Document | None]:
    """Apply the plan to one article in memory: the outcome and the edited document."""
    path = article.path
    raw = article.raw
    try:
        if not _matches(article, plan.matcher):
            return FileEdit(path, Outcome.NOT_MATCHED, raw, raw), None
        document = Document(article)
    except ArticleError as error:
        return _failed(path, error), None
    before = _check(plan.checker, document)
    document.begin_edit()
    try:
        document.data, changed = apply_operations(
            document.data, plan.operations, plan.checker.schema
        )
    except EditFailure as error:
        return FileEdit(path, Outcome.FAILED, problems=(_failure(document, error),)), None
    if not changed:
        return FileEdit(path, Outcome.UNCHANGED, raw, raw), None
    try:
        new = document.render()
    except ArticleError as error:
        return _failed(path, error), None
    if new == raw:
        return FileEdit(path, Outcome.UNCHANGED, raw, raw), None
    after = _check(plan.checker, document.reread(new))
    added = added_errors(before, after)
    if added and not plan.force:
        return FileEdit(path, Outcome.FAILED, problems=(*added, refusal(path, added))), None
    # New warnings (a misspelt key, say) do not stop the edit, but are shown.
    warnings = added_errors(before, after, Severity.WARNING)
    return FileEdit(path, Outcome.CHANGED, raw, new, (*warnings, *added)), document


def edit_path(path: Path, plan: Plan) -> FileEdit:
    """Edit one file (and write it, unless the plan is a dry run); never raises for a bad file."""
    try:
        if plan.write:
            sweep_for(path)
        result, document = edit_article(read_article(path), plan)
        if document is not None and plan.write:
            document.save(result.after)
    except Exception as error:  # unreadable, not written, or a bug of ours: the run goes on
        return _failed(str(path), error)
    return result


def edit_paths(paths: Iterable[Path], plan: Plan) -> Iterator[FileEdit]:
    """Edit files one after the other."""
    for path in paths:
        yield edit_path(path, plan)


def edit_bytes(raw: bytes, path: str, plan: Plan) -> FileEdit:
    """Edit an article given as bytes (standard input); the result's ``after`` is the output."""
    try:
        result, _document = edit_article(split_article(raw, path), plan)
    except ArticleError as error:
        return _failed(path, error)
    return result


@dataclass
class Summary:
    """How many files had each outcome: counted as results stream by."""

    dry_run: bool = False
    counts: Counter[Outcome] = dataclasses.field(default_factory=Counter)

    def add(self, result: FileEdit) -> None:
        self.counts[result.outcome] += 1

    @property
    def failed(self) -> int:
        return self.counts[Outcome.FAILED]

    def __str__(self) -> str:
        changed = self.counts[Outcome.CHANGED]
        verb = "would change" if self.dry_run else "changed"
        parts = [f"{verb} {_files(changed)}", f"{self.counts[Outcome.UNCHANGED]:,} unchanged"]
        if self.counts[Outcome.NOT_MATCHED]:
            parts.append(f"{self.counts[Outcome.NOT_MATCHED]:,} not matched by --where")
        if self.failed:
            parts.append(f"{self.failed:,} failed")
        return ", ".join(parts)


def _files(count: int) -> str:
    return f"{count:,} file{'' if count == 1 else 's'}"
