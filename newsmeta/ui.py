"""How a run talks to people: colour, quiet and verbose, set once by the CLI for the run.

The CLI and the reporters ask this module whether to colour a stream and whether to say
something on stderr; the core says anything only through :func:`note` (what the engine took
from the cache), which is silent unless the run is verbose.  ``--color`` beats ``NO_COLOR``
(an explicit flag wins, as https://no-color.org asks); ``auto`` colours a terminal unless
``NO_COLOR`` is set or ``TERM`` is ``dumb``.
"""

from __future__ import annotations

import functools
import os
import sys
import time
from collections.abc import Iterable, Iterator
from typing import Any, TextIO, TypeVar

T = TypeVar("T")

COLOR_CHOICES = ("auto", "always", "never")

color = "auto"
verbosity = 0  # -1 quiet (data and errors only), 0 normal, 1 verbose (what was skipped and why)


def configure(color_mode: str = "auto", quiet: bool = False, verbose: bool = False) -> None:
    """Set the run's colour mode and verbosity (the CLI does this before a command runs)."""
    global color, verbosity, exit_on_broken_pipe
    color = color_mode
    verbosity = -1 if quiet else (1 if verbose else 0)
    exit_on_broken_pipe = 0


def is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def for_people(stream: TextIO) -> bool:
    """Whether ``stream`` is a terminal a person reads (Emacs' M-x compile says TERM=dumb)."""
    return is_terminal(stream) and os.environ.get("TERM") != "dumb"


def use_color(stream: TextIO) -> bool:
    """Whether to write colour (escape sequences) to ``stream``."""
    if color == "always":
        return True
    if color == "never" or os.environ.get("NO_COLOR"):
        return False
    return for_people(stream)


# The exit code of a run whose reader closed the pipe early (``| head``): the run stops
# quietly, with the code of what it had found (validate sets it before printing its report).
exit_on_broken_pipe = 0


def console(stream: TextIO, **options: Any) -> Any:
    """A rich console on ``stream`` that colours exactly when :func:`use_color` says so.
    Text given to it must be :class:`rich.text.Text`, never markup from a file."""
    coloured = use_color(stream)
    return _console_class()(
        file=stream,
        highlight=False,
        color_system="auto" if coloured else None,
        no_color=not coloured,  # rich reads NO_COLOR itself; --color always wins over it
        force_terminal=True if coloured and not is_terminal(stream) else None,
        **options,
    )


@functools.cache
def _console_class() -> Any:
    from rich.console import Console

    class _Console(Console):
        def on_broken_pipe(self) -> None:  # rich would exit with 1: the CLI decides instead
            raise BrokenPipeError

    return _Console


def quiet() -> bool:
    return verbosity < 0


def verbose() -> bool:
    return verbosity > 0


def note(message: str) -> None:
    """Say ``message`` on stderr when verbose (the caller escapes text from files)."""
    if verbosity > 0:
        sys.stderr.write(f"newsmeta: {message}\n")


def skip_log() -> list[Any]:
    """A list for :func:`newsmeta.files.iter_files` to record skipped paths in; when verbose,
    each is said on stderr as it is skipped."""
    return _SkipLog() if verbosity > 0 else []


class _SkipLog(list):  # type: ignore[type-arg]
    def append(self, item: Any) -> None:
        from newsmeta.output import printable

        super().append(item)
        note(f"skipped {printable(item.path)}: {item.reason}")


def progress(items: Iterable[T], what: str, *, live_output: bool = False) -> Iterator[T]:
    """``items``, with a progress line on stderr once the run has taken a second: only when
    stderr is a terminal, not in CI, not with --quiet, and not while ``live_output`` goes to
    the same terminal.  NEWSMETA_PROGRESS_DELAY sets the second (for tests)."""
    if not _progress_wanted(live_output):
        yield from items
        return
    delay = float(os.environ.get("NEWSMETA_PROGRESS_DELAY", "1"))
    started = time.monotonic()
    bar: Any = None
    task: Any = None
    try:
        for count, item in enumerate(items, 1):
            if bar is None and time.monotonic() - started >= delay:
                bar, task = _start_progress(what)
            if bar is not None:
                bar.update(task, completed=count)
            yield item
    finally:
        if bar is not None:
            bar.stop()


def _progress_wanted(live_output: bool) -> bool:
    if verbosity < 0 or os.environ.get("CI") or not for_people(sys.stderr):
        return False
    return not (live_output and is_terminal(sys.stdout))


def _start_progress(what: str) -> tuple[Any, Any]:
    from rich.progress import Progress, ProgressColumn, SpinnerColumn, TextColumn, TimeElapsedColumn
    from rich.text import Text

    class Rate(ProgressColumn):
        def render(self, task: Any) -> Text:
            speed = task.speed
            return Text(f"{speed:,.0f} files/s" if speed else "", style="dim")

    bar = Progress(
        SpinnerColumn(),
        TextColumn(what),
        TextColumn("{task.completed:,} files"),
        Rate(),
        TimeElapsedColumn(),
        console=console(sys.stderr),
        transient=True,
        redirect_stdout=False,  # data goes to stdout untouched
        redirect_stderr=True,  # messages print above the line
    )
    bar.start()
    return bar, bar.add_task(what, total=None)
