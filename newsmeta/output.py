"""Reporters: turn problems into text, JSON or GitHub annotations.  One reporter a format."""

from __future__ import annotations

import itertools
import json
import os
import re
import sys
from collections.abc import Callable, Sequence
from typing import TextIO

from newsmeta.report import Problem

# C0 and C1 controls (tab excepted), DEL, and the bidirectional formatting characters.
# Lone surrogates too: they cannot even be encoded for the terminal.
_UNSAFE = re.compile(
    "[\x00-\x08\x0a-\x1f\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def printable(text: str) -> str:
    """Escape what would act on a terminal (escape sequences, bidi controls, newlines)."""
    return _UNSAFE.sub(lambda match: _escape(match.group()), text)


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def format_problem(problem: Problem) -> str:
    """``path:line:col: severity [rule] message``, the form editors jump to."""
    where = printable(problem.path)
    if problem.line:
        where += f":{problem.line}:{problem.column or 1}"
    fix = " (fixable)" if problem.fixable else ""
    message = printable(problem.message)
    return f"{where}: {problem.severity.value} [{problem.rule}] {message}{fix}"


def _is_terminal(out: TextIO) -> bool:
    try:
        return out.isatty()
    except (AttributeError, ValueError):
        return False


def _text(problems: Sequence[Problem], out: TextIO) -> None:
    for problem in problems:
        out.write(format_problem(problem) + "\n")


def _text_grouped(problems: Sequence[Problem], out: TextIO) -> None:
    """Problems grouped under their file, with colour: for people at a terminal."""
    from rich.console import Console
    from rich.text import Text

    # NO_COLOR (https://no-color.org): no escape sequences at all, bold and dim included.
    plain = bool(os.environ.get("NO_COLOR"))
    console = Console(
        file=out, highlight=False, soft_wrap=True, color_system=None if plain else "auto"
    )
    for path, group in itertools.groupby(problems, key=lambda problem: problem.path):
        console.print(Text(printable(path), style="bold underline"))
        for problem in group:
            line = Text("  ")
            where = f"{problem.line}:{problem.column or 1}" if problem.line else ""
            line.append(where.ljust(9), style="dim")
            colour = "red" if problem.severity.value == "error" else "yellow"
            line.append(problem.severity.value.ljust(8), style=colour)
            line.append(printable(problem.message))
            line.append(f"  [{problem.rule}]", style="dim")
            if problem.fixable:
                line.append(" (fixable)", style="cyan")
            console.print(line)
        console.print()


def _json(problems: Sequence[Problem], out: TextIO) -> None:
    items = [
        {
            "path": p.path,
            "line": p.line,
            "column": p.column,
            "severity": p.severity.value,
            "rule": p.rule,
            "message": p.message,
            "fixable": p.fixable,
        }
        for p in problems
    ]
    json.dump(items, out, ensure_ascii=True, indent=2)
    out.write("\n")


def _github_escape(text: str, *, property_value: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return printable(text)


def _github(problems: Sequence[Problem], out: TextIO) -> None:
    for p in problems:
        level = "error" if p.severity.value == "error" else "warning"
        props = [f"file={_github_escape(p.path, property_value=True)}"]
        if p.line:
            props += [f"line={p.line}", f"col={p.column or 1}"]
        message = _github_escape(f"[{p.rule}] {p.message}")
        out.write(f"::{level} {','.join(props)}::{message}\n")


REPORTER_BY_NAME: dict[str, Callable[[Sequence[Problem], TextIO], None]] = {
    "text": _text,
    "json": _json,
    "github": _github,
}


def report_fixed(fixed: Sequence[Problem], out: TextIO | None = None) -> None:
    """What ``--fix`` changed: ``path:line:col: fixed [rule] message``, one line each."""
    stream = out or sys.stderr
    for problem in fixed:
        where = printable(problem.path)
        if problem.line:
            where += f":{problem.line}:{problem.column or 1}"
        stream.write(f"{where}: fixed [{problem.rule}] {printable(problem.message)}\n")


def report_problems(
    problems: Sequence[Problem], fmt: str | None = None, out: TextIO | None = None
) -> None:
    """Write ``problems`` in format ``fmt``; without one, grouped for a person at a terminal
    and one ``path:line:col`` line each for everything else (pipes, editors, TERM=dumb)."""
    stream = out or sys.stdout
    reporter: Callable[[Sequence[Problem], TextIO], None]
    if fmt is None:
        people = _is_terminal(stream) and os.environ.get("TERM") != "dumb"
        reporter = _text_grouped if people else _text
    else:
        reporter = REPORTER_BY_NAME[fmt]
    reporter(problems, stream)
