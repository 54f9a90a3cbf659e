"""``newsmeta edit FILE``: the front matter in the user's editor, checked before it is written.

Like ``kubectl edit``: the front matter alone goes into a temporary ``.yaml`` file and the
editor (``$VISUAL``, ``$EDITOR`` or ``vi``, split with shlex, never run through a shell) opens
it.  On save, text that does not parse or that adds validation errors is shown, and the user may
open the editor again on their own text, with the problems as comments at the top, or give up.
Nothing changed: nothing written.  Otherwise the article is written through the safe writer.
"""

from __future__ import annotations

import enum
import os
import shlex
import signal
import subprocess
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from newsmeta.article import (
    Article,
    Document,
    data_of,
    read_article,
    split_article,
    split_lines,
    to_plain,
)
from newsmeta.edit import added_errors
from newsmeta.errors import ArticleError, NewsmetaError, UsageError, WriteError
from newsmeta.output import printable
from newsmeta.report import Problem, Severity, problem_of
from newsmeta.validate import Checker
from newsmeta.writer import write_file

# Every line newsmeta adds at the top of the text starts so, and is taken away again on save.
HEADER = "# newsmeta: "


class EditorError(NewsmetaError):
    """The editor could not be run, or failed; nothing was written."""


class Outcome(enum.Enum):
    WRITTEN = "written"
    UNCHANGED = "unchanged"  # saved as it was: nothing written
    ABORTED = "aborted"  # the user gave up
    FAILED = "failed"  # the new text could not be written


@dataclass(frozen=True)
class Result:
    outcome: Outcome
    kept: Path | None = None  # where the user's text was kept when it was not written
    error: str = ""


def editor_command(environ: Mapping[str, str]) -> list[str]:
    """The editor to run, as arguments: ``$VISUAL``, else ``$EDITOR``, else ``vi`` (as git)."""
    for name in ("VISUAL", "EDITOR"):
        value = environ.get(name, "").strip()
        if value:
            try:
                command = shlex.split(value)
            except ValueError as error:
                raise UsageError(f"${name} cannot be split into arguments: {error}") from error
            if command:
                return command
    return ["vi"]


def writable(path: Path) -> bool:
    """Whether newsmeta would write ``path`` (the writer refuses a file with no write bit)."""
    try:
        info = os.stat(path)
    except OSError:
        return False
    return bool(info.st_mode & 0o222) and os.access(path, os.W_OK)


def run_editor(command: Sequence[str], file: Path) -> None:
    """Run the editor on ``file`` and wait for it; raise :class:`EditorError` if it fails."""
    # Ctrl-C is the editor's while it runs (as git does): newsmeta ignores it, and the editor
    # gets the default back, so an editor that does not read keys still stops on it.
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        done = subprocess.run(
            [*command, str(file)],
            check=False,
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
    except OSError as error:
        reason = error.strerror or str(error)
        raise EditorError(f"cannot run the editor {command[0]!r}: {reason}") from error
    finally:
        signal.signal(signal.SIGINT, previous)
    if done.returncode != 0:
        raise EditorError(f"the editor exited with status {done.returncode}")


def _strip_header(text: str, header: str) -> str:
    """The saved text without the header newsmeta put on top (none on the first opening: a
    comment of the user's own that starts alike is theirs)."""
    if not header:
        return text
    if text.startswith(header):
        return text[len(header) :]
    lines = split_lines(text)  # the user edited the header: drop what is left of it
    while lines and lines[0].startswith(HEADER.rstrip()):
        lines.pop(0)
    return "".join(lines)


def _header(problems: Sequence[Problem], article: Article) -> str:
    notes = ["the changes below were not written:"]
    offset = len(problems) + 3  # the header's own lines
    for problem in problems:
        where = ""
        if problem.line:
            where = f"line {problem.line - article.first_line + 1 + offset}: "
        message = printable(problem.message)
        notes.append(f"{where}{problem.severity.value} [{problem.rule}] {message}")
    notes.append("fix them and save; to give up, empty the file or quit without saving.")
    notes.append("")
    return "".join(f"{HEADER}{note}".rstrip() + article.newline for note in notes)


def _normalized(text: str, article: Article) -> str:
    """The user's text with the file's line breaks (an editor may have changed them), ending
    with a line break, without a byte order mark the editor may have added."""
    text = text.removeprefix("\ufeff")
    endings = {line[-2:] == "\r\n" for line in article.front_matter if line.endswith("\n")}
    if len(endings) == 1:  # the file used one kind of line break: the text gets it back
        text = text.replace("\r\n", "\n")
        if endings == {True}:
            text = text.replace("\n", "\r\n")
    elif article.newline == "\r\n" and "\r\n" not in text:
        text = text.replace("\n", "\r\n")
    if text and not text.endswith("\n"):
        text += article.newline
    return text


class Session:
    """One article being edited: its text, the errors it had, where the editor works."""

    def __init__(self, path: Path, checker: Checker, *, force: bool = False) -> None:
        self.article = read_article(path)
        self.checker = checker
        self.force = force
        self.warnings: list[Problem] = []  # the warnings the last text checked adds
        # The errors it had; None if it does not even read: then any readable text is
        # progress, and the edit is not held to the rules.
        try:
            self.before: list[Problem] | None = self._errors_of(Document(self.article))
        except ArticleError:
            self.before = None

    def _errors_of(self, document: Document) -> list[Problem]:
        article = document.article
        problems, _use = self.checker.check(article.path, document.data, article.first_line)
        return problems

    def problems(self, text: str) -> tuple[list[Problem], bytes]:
        """What is wrong with ``text`` as the front matter, and the article's new bytes."""
        article = self.article
        new = article.join(split_lines(text))
        try:
            edited = split_article(new, article.path)
            if edited.front_matter_text != text:
                raise ArticleError(
                    "yaml-syntax", "a '---' line inside would end the front matter early"
                )
            document = Document(edited)
        except ArticleError as error:
            return [problem_of(article.path, error)], new
        if self.before is None:
            return [], new
        after = self._errors_of(document)
        self.warnings = added_errors(self.before, after, Severity.WARNING)
        if self.force:
            return [], new
        return added_errors(self.before, after), new

    def write(self, new: bytes) -> bool:
        """Write the new bytes through the safe writer (raises :class:`WriteError`)."""
        snapshot = self.article.snapshot
        if snapshot is None:  # pragma: no cover - read_article always takes one
            raise WriteError("io-error", "this article was not read from a file")
        path = self.article.path
        intended = to_plain(Document(split_article(new, path)).data)

        def check(written: bytes) -> None:
            if not data_of(written, path, intended):
                raise WriteError("internal-error", "the written file did not read back as intended")

        return write_file(path, new, snapshot, check)


def _read_saved(scratch: Path, article: Article, header: str) -> tuple[str, list[Problem]]:
    """The text the user saved, without newsmeta's header; a problem if it is not UTF-8."""
    raw = scratch.read_bytes()
    try:
        saved, problems = raw.decode("utf-8"), []
    except UnicodeDecodeError as error:
        saved = raw.decode("utf-8", "replace")
        message = f"the saved text is not UTF-8 (byte 0x{raw[error.start]:02x})"
        problems = [problem_of(article.path, ArticleError("encoding", message))]
    return _normalized(_strip_header(saved.removeprefix("\ufeff"), header), article), problems


def edit_in_editor(
    session: Session,
    command: Sequence[str],
    *,
    again: Callable[[list[Problem]], bool],
    editor: Callable[[Sequence[str], Path], None] = run_editor,
) -> Result:
    """Open the editor until the text is good (then write it) or the user gives up.

    ``again`` is shown the problems of a saved text and says whether to re-open the editor.
    Raises :class:`EditorError` if the editor fails; the user's text is then not kept, as
    they did not finish editing it.
    """
    article = session.article
    original = article.front_matter_text
    text, header = original, ""
    fd, name = tempfile.mkstemp(prefix=f"newsmeta-{Path(article.path).stem[:40]}-", suffix=".yaml")
    os.close(fd)
    scratch = Path(name)
    result = Result(Outcome.ABORTED)
    try:
        while True:
            opened = (header + text).encode("utf-8")
            scratch.write_bytes(opened)
            editor(command, scratch)
            if header and scratch.read_bytes() == opened:
                # Re-opened on a text with problems and left as it was: the user gives up.
                result = Result(Outcome.ABORTED, scratch)
                break
            text, problems = _read_saved(scratch, article, header)
            if text == original:
                result = Result(Outcome.UNCHANGED)
                break
            if not text.strip():
                break  # emptied: the user gives up
            if not problems:
                problems, new = session.problems(text)
            if not problems:
                result = _write(session, new, scratch)
                break
            if not again(problems):
                result = Result(Outcome.ABORTED, scratch)
                break
            header = _header(problems, article)
    finally:
        if result.kept is None:
            scratch.unlink(missing_ok=True)
        else:  # the user's text, without newsmeta's notes
            scratch.write_bytes(text.encode("utf-8", "replace"))
    return result


def _write(session: Session, new: bytes, scratch: Path) -> Result:
    try:
        session.write(new)
    except WriteError as error:
        return Result(Outcome.FAILED, scratch, error.message)
    return Result(Outcome.WRITTEN)
