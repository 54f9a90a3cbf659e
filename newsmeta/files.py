"""Find the article files a command works on.

Arguments are files or folders.  A file named on the command line is always taken.  A folder is
walked recursively, in sorted order, for files with one of the configured extensions; hidden
files and folders, ``node_modules``, folder symlinks, paths matched by ``--exclude`` globs and,
inside a git work tree, paths ignored by ``.gitignore`` files (and ``.git/info/exclude``) are
skipped.  Exclude globs use .gitignore syntax, relative to the folder named on the command line.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsmeta.errors import UsageError

DEFAULT_EXTENSIONS = (".md", ".markdown", ".txt")
SKIPPED_FOLDERS = frozenset({"node_modules", "__pycache__"})


@dataclass(frozen=True)
class Discovery:
    """How folders are walked."""

    extensions: tuple[str, ...] = DEFAULT_EXTENSIONS
    exclude: tuple[str, ...] = ()
    respect_gitignore: bool = True


@dataclass(frozen=True)
class Skipped:
    """A path discovery passed over, and why (shown with --verbose)."""

    path: str
    reason: str


@dataclass
class _Ignore:
    """The .gitignore rules that apply in one folder, outermost first."""

    rules: list[tuple[Path, Any]] = field(default_factory=list)

    def ignored(self, path: Path, is_dir: bool) -> bool:
        verdict = False
        for base, spec in self.rules:
            relative = path.relative_to(base).as_posix() + ("/" if is_dir else "")
            result = spec.check_file(relative)
            if result.include is not None:
                verdict = bool(result.include)
        return verdict

    def extended(self, folder: Path) -> _Ignore:
        spec = _read_spec(folder / ".gitignore")
        return _Ignore([*self.rules, (folder, spec)]) if spec is not None else self


def _read_spec(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    from pathspec import GitIgnoreSpec

    return GitIgnoreSpec.from_lines(text.splitlines())


def _git_root(folder: Path) -> Path | None:
    for candidate in (folder, *folder.parents):
        if os.path.exists(candidate / ".git"):  # False, not an error, where we may not look
            return candidate
    return None


def _ignore_for(folder: Path) -> _Ignore:
    """The .gitignore rules in force in absolute ``folder``: from the work tree's root down."""
    root = _git_root(folder)
    if root is None:
        return _Ignore()
    ignore = _Ignore()
    exclude = _read_spec(root / ".git" / "info" / "exclude")
    if exclude is not None:
        ignore = _Ignore([(root, exclude)])
    current = root
    ignore = ignore.extended(current)
    for part in folder.relative_to(root).parts:
        current = current / part
        ignore = ignore.extended(current)
    return ignore


def _exclude_spec(patterns: Sequence[str]) -> Any:
    if not patterns:
        return None
    from pathspec import GitIgnoreSpec

    return GitIgnoreSpec.from_lines(patterns)


class _Walker:
    def __init__(
        self, options: Discovery, root: Path, skipped: list[Skipped], use_gitignore: bool
    ) -> None:
        self.options = options
        self.use_gitignore = use_gitignore
        self.root = root
        self.root_abs = Path(os.path.abspath(root))
        self.exclude = _exclude_spec(options.exclude)
        self.skipped = skipped

    def _excluded(self, path: Path, is_dir: bool) -> bool:
        if self.exclude is None:
            return False
        relative = path.relative_to(self.root).as_posix() + ("/" if is_dir else "")
        return bool(self.exclude.match_file(relative))

    def _skip(self, path: Path, reason: str) -> None:
        self.skipped.append(Skipped(str(path), reason))

    def walk(self, folder: Path, ignore: _Ignore) -> Iterator[tuple[Path, str]]:
        """The article files under ``folder``, each with its real path (to see it only once)."""
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError as error:
            if folder == self.root:
                raise UsageError(f"cannot list folder {folder}: {error.strerror}") from error
            self._skip(folder, f"cannot list folder: {error.strerror}")
            return
        real_folder = os.path.realpath(folder)
        for entry in entries:
            yield from self._entry(entry, ignore, real_folder)

    def _entry(
        self, entry: os.DirEntry[str], ignore: _Ignore, real_folder: str
    ) -> Iterator[tuple[Path, str]]:
        path = Path(entry.path)
        try:
            is_dir = entry.is_dir(follow_symlinks=False)
            is_link = entry.is_symlink()
            is_file = entry.is_file()
        except OSError:
            return
        if entry.name.startswith("."):
            self._skip(path, "hidden")
            return
        if is_dir and entry.name in SKIPPED_FOLDERS:
            self._skip(path, "skipped folder")
            return
        if is_link and not is_file:
            self._skip(path, "symlink to a folder or to nothing (not followed)")
            return
        if self._excluded(path, is_dir):
            self._skip(path, "excluded by --exclude")
            return
        if ignore.rules or (is_dir and self.use_gitignore):
            absolute = self.root_abs / path.relative_to(self.root)
            if ignore.rules and ignore.ignored(absolute, is_dir):
                self._skip(path, "ignored by .gitignore")
                return
            if is_dir:
                ignore = ignore.extended(absolute) if self.use_gitignore else ignore
        if is_dir:
            yield from self.walk(path, ignore)
        elif is_file and entry.name.lower().endswith(self.options.extensions):
            real = os.path.realpath(path) if is_link else os.path.join(real_folder, entry.name)
            yield path, real


def iter_files(
    arguments: Sequence[str], options: Discovery, skipped: list[Skipped] | None = None
) -> Iterator[Path]:
    """Yield the article files named by ``arguments``, in a stable order.

    Every argument is checked before anything is yielded: a missing one is a
    :class:`UsageError` naming it.
    """
    paths = [Path(argument) for argument in arguments]
    problems = [problem for problem in map(_argument_problem, paths) if problem]
    if problems:
        raise UsageError("; ".join(problems))
    return _iter_files(paths, options, skipped if skipped is not None else [])


def _argument_problem(path: Path) -> str | None:
    try:
        os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return f"no such file or folder: {path}"
    except OSError as error:
        return f"cannot access {path}: {error.strerror}"
    return None


def _iter_files(paths: list[Path], options: Discovery, skipped: list[Skipped]) -> Iterator[Path]:
    seen: set[str] = set()
    for path in paths:
        found: Iterable[tuple[Path, str]] = (
            _walk_argument(path, options, skipped)
            if os.path.isdir(path)
            else [(path, os.path.realpath(path))]
        )
        for file, identity in found:
            # One file reached twice (named and inside a named folder, through a symlink, or
            # spelled two ways) is worked on once, under the first spelling.
            if identity not in seen:
                seen.add(identity)
                yield file


def _walk_argument(
    path: Path, options: Discovery, skipped: list[Skipped]
) -> Iterator[tuple[Path, str]]:
    absolute = Path(os.path.abspath(path))
    # .gitignore files count only inside a git work tree, as they do for git.
    in_git = options.respect_gitignore and _git_root(absolute) is not None
    ignore = _ignore_for(absolute) if in_git else _Ignore()
    return _Walker(options, path, skipped, use_gitignore=in_git).walk(path, ignore)
