"""Unified diffs of a file's bytes before and after an edit, as ``patch -p0`` reads them."""

from __future__ import annotations

import difflib

NO_NEWLINE = "\\ No newline at end of file\n"


def _lines(data: bytes) -> list[str]:
    # Split on LF only, as patch does (not on a lone CR, U+2028 or a form feed), line ends
    # kept: a CRLF file's diff carries its CRs, as patch wants them.
    text = data.decode("utf-8", "surrogateescape")
    lines = text.split("\n")
    last = lines.pop()
    return [line + "\n" for line in lines] + ([last] if last else [])


def unified_diff(path: str, before: bytes, after: bytes, context: int = 3) -> list[str]:
    """The diff of ``before`` -> ``after`` as lines that each end with a newline."""
    lines: list[str] = []
    for line in difflib.unified_diff(
        _lines(before), _lines(after), fromfile=path, tofile=path, n=context
    ):
        if line.endswith("\n"):
            lines.append(line)
        else:  # the file's last line has no line break
            lines.extend((line + "\n", NO_NEWLINE))
    return lines
