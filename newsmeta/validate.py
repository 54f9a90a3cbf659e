"""Check articles and turn what is wrong into :class:`Problem` values (no printing here)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from newsmeta.article import Article, load_tree, read_article, split_article
from newsmeta.errors import ArticleError
from newsmeta.report import Problem, Severity


def _problem(path: str, error: ArticleError) -> Problem:
    return Problem(path, error.line, error.column, Severity.ERROR, error.code, error.message)


def check_article(article: Article) -> list[Problem]:
    """Every problem in one split article."""
    try:
        load_tree(article)
    except ArticleError as error:
        return [_problem(article.path, error)]
    return []


def check_bytes(raw: bytes, path: str) -> list[Problem]:
    """Every problem in an article given as bytes (standard input)."""
    try:
        article = split_article(raw, path)
    except ArticleError as error:
        return [_problem(path, error)]
    return check_article(article)


def check_path(path: Path) -> list[Problem]:
    """Every problem in one article file; never raises for a bad file."""
    try:
        return check_article(read_article(path))
    except ArticleError as error:
        return [_problem(str(path), error)]
    except Exception as error:  # a bug of ours must not stop the run over other files
        message = f"internal error: {type(error).__name__}: {error} (please report it)"
        return [Problem(str(path), 0, 0, Severity.ERROR, "internal-error", message)]


def check_paths(paths: Iterable[Path]) -> Iterator[tuple[Path, list[Problem]]]:
    """Check files one after the other, yielding each file with its problems."""
    for path in paths:
        yield path, check_path(path)
