"""Findings as values, and the one object that decides the exit code."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from newsmeta.errors import ArticleError, WriteError

if TYPE_CHECKING:  # only a type here: importing fix would load ruamel.yaml at start-up
    from newsmeta.fix import Edit


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"


class ExitCode(enum.IntEnum):
    """The exit codes every command uses."""

    OK = 0
    FINDINGS = 1
    ERROR = 2


# Problems with these rule ids are I/O failures, not findings in an article.
IO_RULES = frozenset({"io-error", "read-only", "changed-on-disk", "internal-error"})


@dataclass(frozen=True, order=True)
class Problem:
    """One finding in one file; line and column are 1-based, 0 when there is no position."""

    path: str
    line: int
    column: int
    severity: Severity
    rule: str
    message: str
    fix: tuple[Edit, ...] = field(default=(), compare=False)
    # A problem read back from the cache or a worker process has no edits, only this mark.
    marked_fixable: bool = field(default=False, compare=False)

    @property
    def fixable(self) -> bool:
        return bool(self.fix) or self.marked_fixable


@dataclass
class Report:
    """What a run found, and the exit code that follows from it.

    Exit codes:
    0  no error (warnings allowed, unless ``strict``);
    1  an error in some article (or a warning with ``strict``);
    2  a usage, configuration or I/O error (a file that cannot be read or written).
    """

    strict: bool = False
    files: int = 0
    problems: list[Problem] = field(default_factory=list)
    fixed: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for p in self.problems if p.severity is Severity.WARNING)

    @property
    def io_errors(self) -> int:
        return sum(1 for p in self.problems if p.rule in IO_RULES)

    @property
    def files_with_problems(self) -> int:
        return len({p.path for p in self.problems})

    @property
    def return_code(self) -> ExitCode:
        if self.io_errors:
            return ExitCode.ERROR
        if self.errors or (self.strict and self.warnings):
            return ExitCode.FINDINGS
        return ExitCode.OK

    def summary(self) -> str:
        """A one-line summary such as ``3 errors, 1 warning in 2 of 40 files``."""
        fixed = ""
        if self.fixed:
            files = len({p.path for p in self.fixed})
            fixed = f"fixed {_plural(len(self.fixed), 'problem')} in {_plural(files, 'file')}; "
        if not self.problems:
            return f"{fixed}no problems in {_plural(self.files, 'file')}"
        parts = [_plural(self.errors, "error"), _plural(self.warnings, "warning")]
        where = f"in {self.files_with_problems:,} of {_plural(self.files, 'file')}"
        return f"{fixed}{', '.join(parts)} {where}"


def _plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def problem_of(path: str, error: Exception) -> Problem:
    """The problem an exception stands for: an article or write error with its rule and place;
    anything else is a bug of ours, reported as ``internal-error`` so the run can go on."""
    if isinstance(error, (ArticleError, WriteError)):
        line, column = (error.line, error.column) if isinstance(error, ArticleError) else (0, 0)
        return Problem(path, line, column, Severity.ERROR, error.code, error.message)
    message = f"internal error: {type(error).__name__}: {error} (please report it)"
    return Problem(path, 0, 0, Severity.ERROR, "internal-error", message)
