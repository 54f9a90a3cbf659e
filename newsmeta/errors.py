"""The few exception types newsmeta raises; the CLI turns them into messages and exit codes."""

from __future__ import annotations


class NewsmetaError(Exception):
    """Base of every error newsmeta reports to the user instead of a traceback."""


class UsageError(NewsmetaError):
    """The command line asks for something impossible (exit code 2)."""


class ConfigError(NewsmetaError):
    """A configuration file cannot be read or holds an unknown key or a bad value."""


class ArticleError(NewsmetaError):
    """One article cannot be read, split or loaded.

    ``code`` is a stable identifier (it doubles as the validation rule id), ``line`` and
    ``column`` are 1-based positions in the file, or 0 when there is no position.
    """

    def __init__(self, code: str, message: str, line: int = 0, column: int = 0) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.line = line
        self.column = column


class WriteError(NewsmetaError):
    """A file could not be written safely; the original was left as it was."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
