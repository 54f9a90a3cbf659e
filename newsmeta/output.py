"""Reporters: turn problems into text, JSON or GitHub annotations.  One reporter a format."""

from __future__ import annotations

import itertools
import json
import os
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TextIO

from newsmeta.report import Problem

# DEL and the C1 controls, the bidirectional formatting characters (the Arabic letter mark
# included), the line and paragraph separators, and lone surrogates (they cannot even be
# encoded for the terminal).
NEVER_RAW = "\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff"
# For messages and table cells: the C0 controls too, line breaks included (tab excepted).
_UNSAFE = re.compile(f"[\x00-\x08\x0a-\x1f{NEVER_RAW}]")


def printable(text: str) -> str:
    """Escape what would act on a terminal (escape sequences, bidi controls, newlines)."""
    return _UNSAFE.sub(lambda match: _escape(match.group()), text)


def _escape(char: str) -> str:
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte of a file name that is not UTF-8 (surrogateescape)
        code -= 0xDC00
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


def _for_people(out: TextIO) -> bool:
    """Whether ``out`` is a terminal a person reads (Emacs' M-x compile says TERM=dumb)."""
    return _is_terminal(out) and os.environ.get("TERM") != "dumb"


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
        reporter = _text_grouped if _for_people(stream) else _text
    else:
        reporter = REPORTER_BY_NAME[fmt]
    reporter(problems, stream)


# -- diffs (edit) ------------------------------------------------------------------------------

_DIFF_STYLES = (("+++", "bold"), ("---", "bold"), ("@@", "cyan"), ("+", "green"), ("-", "red"))


def write_diff(lines: Sequence[str], out: TextIO | None = None) -> None:
    """Write a unified diff: byte for byte into a pipe or file (for ``patch``), coloured and
    with control characters escaped for a person at a terminal."""
    stream = out or sys.stdout
    if not _for_people(stream):
        text = "".join(lines)
        buffer = getattr(stream, "buffer", None)
        if buffer is None:
            stream.write(text)
        else:
            stream.flush()
            buffer.write(text.encode("utf-8", "surrogateescape"))
            buffer.flush()
        return
    from rich.console import Console
    from rich.text import Text

    plain = bool(os.environ.get("NO_COLOR"))
    console = Console(
        file=stream, highlight=False, soft_wrap=True, color_system=None if plain else "auto"
    )
    for line in lines:
        content = printable(line.rstrip("\r\n"))
        style = next((style for prefix, style in _DIFF_STYLES if line.startswith(prefix)), "")
        console.print(Text(content, style=style))


# -- rows and counts (list, search) -----------------------------------------------------------

# The --format choices of list and search (the CLI's RowFormat lists the same).
ROW_FORMATS = ("table", "tsv", "csv", "json", "jsonl", "paths")
_TSV_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def default_row_format(out: TextIO | None = None) -> str:
    """``table`` for a person at a terminal, ``tsv`` for everything else."""
    return "table" if _for_people(out or sys.stdout) else "tsv"


# For TSV, CSV and path lines, shown on a terminal now or later (cat out.csv): tab and line
# feed are left to the format (CSV quotes them, TSV escapes them first); a lone CR is escaped,
# since CSV would not quote it and it moves the cursor.
_CONTROLS = re.compile(f"[\x00-\x08\x0b-\x1f{NEVER_RAW}]")


def _tsv_safe(text: str) -> str:
    """A TSV cell: most text has nothing to escape, which ``isprintable`` tells at once."""
    if text.isprintable() and "\\" not in text:
        return text
    return _safe(text.translate(_TSV_ESCAPES))


def _safe(text: str) -> str:
    """Text from files for TSV, CSV and path lines: escape sequences shown as ``\\x1b``."""
    return _CONTROLS.sub(lambda match: _escape(match.group()), text)


def write_rows(
    columns: Sequence[str],
    rows: Iterable[tuple[str, Sequence[Any]]],
    fmt: str,
    out: TextIO | None = None,
    *,
    wide: bool = False,
    nul: bool = False,
    highlight: Sequence[str] = (),
) -> None:
    """Write ``rows`` (path, one value a column) in ``fmt``; values are plain Python data."""
    from newsmeta.listing import as_json, display

    stream = out or sys.stdout
    if fmt == "paths":
        end = "\0" if nul else "\n"
        for path, _values in rows:
            stream.write((path if nul else printable(path)) + end)
    elif fmt in ("json", "jsonl"):
        items = (
            {"path": path}
            | {c: as_json(v) for c, v in zip(columns, values, strict=True) if c != "path"}
            for path, values in rows
        )
        _write_json(items, fmt, stream)
    elif fmt in ("tsv", "csv"):
        _write_records(columns, ([display(v) for v in values] for _p, values in rows), fmt, stream)
    else:
        _table(
            columns, [[display(v) for v in values] for _p, values in rows], stream, wide, highlight
        )


def _write_json(items: Iterable[Any], fmt: str, out: TextIO) -> None:
    """One JSON array (``json``) or one object a line (``jsonl``); escapes, never raw controls."""
    if fmt == "json":
        json.dump(list(items), out, ensure_ascii=True, indent=2)
        out.write("\n")
        return
    for item in items:
        out.write(json.dumps(item, ensure_ascii=True) + "\n")


def _write_records(
    header: Sequence[str], records: Iterable[Sequence[str]], fmt: str, out: TextIO
) -> None:
    """A header and records as TSV (tabs, line breaks and backslashes escaped) or CSV."""
    if fmt == "tsv":
        for record in itertools.chain([header], records):
            out.write("\t".join(map(_tsv_safe, record)) + "\n")
        return
    import csv

    writer = csv.writer(out, lineterminator="\n")
    for record in itertools.chain([header], records):
        writer.writerow([_safe(text) for text in record])


def _console(out: TextIO) -> Any:
    from rich.console import Console

    plain = bool(os.environ.get("NO_COLOR"))
    return Console(file=out, highlight=False, color_system=None if plain else "auto")


def _table(
    columns: Sequence[str],
    cells: Sequence[Sequence[str]],
    out: TextIO,
    wide: bool,
    highlight: Sequence[str],
) -> None:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    console = _console(out)
    shown = [[printable(value) for value in row] for row in cells]
    headers = [printable(column) for column in columns]
    widths = None if wide else _fit_widths(headers, shown, console.width)
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    for index, header in enumerate(headers):
        table.add_column(
            Text(header),
            overflow="fold" if wide else "ellipsis",
            no_wrap=not wide,
            width=widths[index] if widths else None,
        )
    for row in shown:
        texts = []
        for column, value in zip(columns, row, strict=True):
            text = Text(value)
            if highlight and column != "path":
                text.highlight_words(highlight, style="bold reverse", case_sensitive=False)
            texts.append(text)
        table.add_row(*texts)
    console.print(table)


_GAP = 3  # between two columns of the table: padding, rule, padding


def _fit_widths(headers: Sequence[str], rows: Sequence[Sequence[str]], width: int) -> list[int]:
    """Column widths for ``width`` cells: natural widths, the widest cut down first."""
    from rich.cells import cell_len

    natural = [
        max([cell_len(header)] + [cell_len(row[i]) for row in rows])
        for i, header in enumerate(headers)
    ]
    room = max(width - _GAP * (len(headers) - 1), len(headers))
    if sum(natural) <= room:
        return natural
    low, high = 1, max(natural)
    while low < high:  # the largest cap at which the capped widths still fit
        cap = (low + high + 1) // 2
        if sum(min(n, cap) for n in natural) <= room:
            low = cap
        else:
            high = cap - 1
    return [max(1, min(n, low)) for n in natural]


def write_counts(
    key: str, counts: Sequence[tuple[Any, int]], fmt: str, out: TextIO | None = None
) -> None:
    """Write ``(value, count)`` pairs; on a terminal as a table with a bar per row."""
    from newsmeta.listing import as_json, display

    stream = out or sys.stdout
    if fmt in ("json", "jsonl"):
        items = [{"value": as_json(value), "count": count} for value, count in counts]
        _write_json(items, fmt, stream)
    elif fmt in ("tsv", "csv"):
        records = [[display(value), str(count)] for value, count in counts]
        _write_records([key, "count"], records, fmt, stream)
    else:
        _count_table(key, [(display(value), count) for value, count in counts], stream)


def _count_table(key: str, counts: Sequence[tuple[str, int]], out: TextIO) -> None:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    table.add_column(Text(printable(key)), overflow="ellipsis", no_wrap=True)
    table.add_column("count", justify="right")
    table.add_column("", no_wrap=True)
    most = max((count for _value, count in counts), default=1) or 1
    for value, count in counts:
        bar = "█" * max(1, round(30 * count / most))
        table.add_row(Text(printable(value)), f"{count:,}", Text(bar, style="cyan"))
    _console(out).print(table)
