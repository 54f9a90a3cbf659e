"""Unified diffs of a file's bytes before and after an edit, as ``patch -p0`` reads them."""

from __future__ import annotations

import difflib
import re

from newsmeta.output import NEVER_RAW

NO_NEWLINE = "\\ No newline at end of file\n"
# A file name holding one of these is quoted in the ---/+++ lines, as git quotes it.
_NEEDS_QUOTES = re.compile(f'["\\\\\x00-\x1f{NEVER_RAW}]')
_C_ESCAPES = {"\\": "\\\\", '"': '\\"', "\a": "\\a", "\b": "\\b", "\t": "\\t", "\n": "\\n"}
_C_ESCAPES |= {"\v": "\\v", "\f": "\\f", "\r": "\\r"}


def quoted_name(path: str) -> str:
    """``path`` as git writes it in a diff header: as it is (followed by a tab if it holds a
    space), or, when it holds a control or bidi character, a quote or a backslash, in double
    quotes with C escapes (UTF-8 bytes of the odd characters in octal), which git apply and GNU
    patch both read."""
    if not _NEEDS_QUOTES.search(path):
        # A tab ends a name with a space in it, as diff -u writes it; GNU patch needs it.
        return path + "\t" if " " in path else path

    def escape(match: re.Match[str]) -> str:
        char = match.group()
        if char in _C_ESCAPES:
            return _C_ESCAPES[char]
        data = char.encode("utf-8", "surrogateescape")
        return "".join(f"\\{byte:03o}" for byte in data)

    return '"' + _NEEDS_QUOTES.sub(escape, path) + '"'


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
        _lines(before),
        _lines(after),
        fromfile=quoted_name(path),
        tofile=quoted_name(path),
        n=context,
    ):
        if line.endswith("\n"):
            lines.append(line)
        else:  # the file's last line has no line break
            lines.extend((line + "\n", NO_NEWLINE))
    return lines
