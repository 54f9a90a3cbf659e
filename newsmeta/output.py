"""Reporters: turn problems into text, JSON or GitHub annotations.  One reporter a format."""

from __future__ import annotations

import itertools
import json
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
    fix = " (fixable)" if problem.fixable else ""
    message = printable(problem.message)
    return f"{_where(problem)}: {problem.severity.value} [{problem.rule}] {message}{fix}"


def _where(problem: Problem) -> str:
    """``path:line:col`` (``path`` alone when the problem has no place), escaped."""
    where = printable(problem.path)
    if problem.line:
        where += f":{problem.line}:{problem.column or 1}"
    return where


def _for_people(out: TextIO) -> bool:
    """Whether ``out`` is a terminal a person reads (Emacs' M-x compile says TERM=dumb)."""
    from newsmeta import ui

    return ui.for_people(out)


def _text(problems: Sequence[Problem], out: TextIO) -> None:
    from newsmeta import ui

    if not ui.use_color(out):
        for problem in problems:
            out.write(format_problem(problem) + "\n")
        return
    from rich.text import Text

    console = _console(out, soft_wrap=True)
    for problem in problems:  # --color always into a pipe: the same lines, coloured
        line = Text(format_problem(problem))
        start = len(_where(problem)) + 2
        severity = problem.severity.value
        line.stylize("red" if severity == "error" else "yellow", start, start + len(severity))
        console.print(line)


def _text_grouped(problems: Sequence[Problem], out: TextIO) -> None:
    """Problems grouped under their file, with colour, each message wrapped to the terminal's
    width under itself: for people at a terminal."""
    from rich.table import Table
    from rich.text import Text

    # NO_COLOR (https://no-color.org): no escape sequences at all, bold and dim included.
    console = _console(out)
    for path, group in itertools.groupby(problems, key=lambda problem: problem.path):
        console.print(Text(printable(path), style="bold underline"), soft_wrap=True)
        grid = Table.grid(padding=(0, 1))
        grid.add_column(width=1)
        grid.add_column(no_wrap=True, style="dim")
        grid.add_column(no_wrap=True)
        grid.add_column(overflow="fold")
        for problem in group:
            where = f"{problem.line}:{problem.column or 1}" if problem.line else ""
            colour = "red" if problem.severity.value == "error" else "yellow"
            message = Text(printable(problem.message))
            message.append(f"  [{problem.rule}]", style="dim")
            if problem.fixable:
                message.append(" (fixable)", style="cyan")
            grid.add_row("", where, Text(problem.severity.value, style=colour), message)
        console.print(grid)
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
        stream.write(f"{_where(problem)}: fixed [{problem.rule}] {printable(problem.message)}\n")


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
    from newsmeta import ui

    stream = out or sys.stdout
    if not _for_people(stream) and ui.color != "always":
        text = "".join(lines)
        buffer = getattr(stream, "buffer", None)
        if buffer is None:
            stream.write(text)
        else:
            stream.flush()
            buffer.write(text.encode("utf-8", "surrogateescape"))
            buffer.flush()
        return
    from rich.text import Text

    console = _console(stream, soft_wrap=True)
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
    footer: str = "",
) -> None:
    """Write ``rows`` (path, one value a column) in ``fmt``; values are plain Python data.
    A table ends with ``footer`` (the count)."""
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
        _table(columns, [values for _p, values in rows], stream, wide, highlight, footer)


def write_articles_json(articles: Iterable[tuple[str, Any]], out: TextIO | None = None) -> None:
    """Whole front matters as JSON: ``[{"path": ..., "data": {...}}]``, typed as ``list``'s
    JSON is (dates as ISO 8601 strings)."""
    from newsmeta.listing import as_json

    items = ({"path": path, "data": as_json(data)} for path, data in articles)
    _write_json(items, "json", out or sys.stdout)


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


def _console(out: TextIO, **options: Any) -> Any:
    """A rich console that colours as --color and NO_COLOR say (newsmeta.ui)."""
    from newsmeta import ui

    return ui.console(out, **options)


def _table(
    columns: Sequence[str],
    values: Sequence[Sequence[Any]],
    out: TextIO,
    wide: bool,
    highlight: Sequence[str],
    footer: str = "",
) -> None:
    """A table for people: it fits the terminal (long text cut with an ellipsis, paths in the
    middle; ``wide`` wraps instead), dates read as ``2020-06-11 16:42``, numbers to the right,
    and a footer with the count."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    console = _console(out)
    headers = [printable(column) for column in columns]
    numeric = [_all_numbers(row[index] for row in values) for index in range(len(columns))]
    path_index = list(columns).index("path") if "path" in columns else -1
    shown = [[printable(_readable(value)) for value in row] for row in values]
    dates = [_all_dates(row[index] for row in values) for index in range(len(columns))]
    fixed = [number or date for number, date in zip(numeric, dates, strict=True)]
    widths = None if wide else _fit_widths(headers, shown, console.width, fixed, path_index)
    if widths is not None and widths != _fit_widths(headers, shown, 1 << 20, fixed, path_index):
        # Something has to be cut: dates lose their time first, the part least read.
        shown = [[printable(_readable(value, time=False)) for value in row] for row in values]
        widths = _fit_widths(headers, shown, console.width, fixed, path_index)
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    for index, header in enumerate(headers):
        table.add_column(
            Text(header),
            overflow="fold" if wide else "ellipsis",
            no_wrap=not wide,
            width=widths[index] if widths else None,
            justify="right" if numeric[index] else "left",
        )
    for row in shown:
        texts = []
        for index, (column, value) in enumerate(zip(columns, row, strict=True)):
            if column == "path" and widths is not None:
                value = _cut_middle(value, widths[index])
            text = Text(value)
            if highlight and column != "path":
                text.highlight_words(highlight, style="bold reverse", case_sensitive=False)
            texts.append(text)
        table.add_row(*texts)
    console.print(table)
    if footer:
        console.print(Text(footer, style="dim"))


def _readable(value: Any, *, time: bool = True) -> str:
    """A value as a person reads it in a table: a date as ``2020-06-11 16:42`` (the article's
    own clock; the zone and seconds are in the other formats), a list joined with ``, ``."""
    import datetime as dt

    from newsmeta.listing import display

    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M" if time else "%Y-%m-%d")
    if isinstance(value, list):
        return ", ".join(_readable(item, time=time) for item in value)
    return display(value)


def _all_numbers(values: Iterable[Any]) -> bool:
    """Whether a column holds numbers only (and at least one): it is aligned to the right."""
    found = False
    for value in values:
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return False
        found = True
    return found


def _all_dates(values: Iterable[Any]) -> bool:
    """Whether a column holds dates only (and at least one): it is never cut."""
    import datetime as dt

    found = False
    for value in values:
        if value is None:
            continue
        if not isinstance(value, dt.date):
            return False
        found = True
    return found


def _cut_middle(text: str, width: int) -> str:
    """``text`` in ``width`` cells, cut in the middle (the end of a path tells files apart)."""
    from rich.cells import cell_len

    if cell_len(text) <= width or width < 5:
        return text
    keep = width - 1
    head = text[: keep // 2]
    tail_width = keep - cell_len(head)
    tail = ""
    for char in reversed(text):
        if cell_len(char + tail) > tail_width:
            break
        tail = char + tail
    return f"{head}…{tail}"


_GAP = 3  # between two columns of the table: padding, rule, padding
_FLOOR = 6  # a cut column keeps at least this many cells
_HEADER_FLOOR = 8  # a column name is cut only to a column at least this wide


def _fit_widths(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    width: int,
    fixed: Sequence[bool] = (),
    path: int = -1,
) -> list[int]:
    """Column widths for ``width`` cells.  Columns that fit are left alone; ``fixed`` ones
    (numbers, dates) are never cut; ``path`` is the index of the path column (-1: none)."""
    from rich.cells import cell_len

    natural = [
        max([cell_len(header)] + [cell_len(row[i]) for row in rows])
        for i, header in enumerate(headers)
    ]
    room = max(width - _GAP * (len(headers) - 1), len(headers))
    if sum(natural) <= room:
        return natural
    flexible = [i for i in range(len(natural)) if not (fixed and fixed[i])]
    for i in range(len(natural)):  # a long header (publishedDateTime) is cut before values
        cells = max((cell_len(row[i]) for row in rows), default=0)
        natural[i] = max(cells, min(natural[i], _HEADER_FLOOR))
    if sum(natural) <= room:
        return natural
    widths = list(natural)
    room_flexible = room - sum(natural[i] for i in range(len(natural)) if i not in flexible)
    if not flexible or room_flexible <= len(flexible):
        return [max(1, w) for w in _capped(natural, room)]
    titles = [i for i in flexible if headers[i] == "title"]
    main = titles[0] if titles else max(flexible, key=lambda i: natural[i])
    floors = {i: min(natural[i], _FLOOR) for i in flexible}
    # The title (else the widest text column) and the path keep up to 40% of the room each,
    # as far as the other columns' floors allow, so that both stay readable; the other
    # columns share the rest, the widest cut down first, none below its floor.
    favoured = [i for i in dict.fromkeys([main, path]) if i in floors]
    others = [i for i in flexible if i not in favoured]
    spare = (room_flexible - sum(floors[i] for i in others)) // len(favoured)
    share = min(int(room_flexible * 0.4), spare)
    for i in favoured:
        widths[i] = min(natural[i], max(floors[i], share))
    capped = _capped([natural[i] for i in others], room_flexible - sum(widths[i] for i in favoured))
    for i, cut in zip(others, capped, strict=True):
        widths[i] = max(floors[i], cut)
    rest = room_flexible - sum(widths[i] for i in flexible if i != main)
    widths[main] = min(natural[main], max(floors[main], rest))
    return widths


def _capped(natural: Sequence[int], room: int) -> list[int]:
    """``natural`` widths capped at the largest cap that makes them fit in ``room``."""
    if sum(natural) <= room:
        return list(natural)
    low, high = 1, max(natural, default=1)
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
    """Write ``(value, count)`` pairs; on a terminal as a table with a bar per row.  The
    articles without a value count as ``(missing)``, ``null`` in JSON."""
    from newsmeta.listing import MISSING_LABEL, as_json, display

    stream = out or sys.stdout
    if fmt in ("json", "jsonl"):
        items = [
            {"value": None if value is MISSING_LABEL else as_json(value), "count": count}
            for value, count in counts
        ]
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
