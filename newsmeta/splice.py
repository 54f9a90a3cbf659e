"""Carry an emitter's change over to the original text, line by line.

ruamel's emitter renders an unchanged document slightly differently from how people wrote it
(joined hard-wrapped scalars, decoded escapes, moved comments, dropped trailing spaces).  So
newsmeta never writes the emitter's whole output.  It renders the document twice, before and
after the change, and replays only the lines that differ between those two renderings onto the
original text.  Lines the change did not touch keep their original bytes.

This module is pure text: it knows nothing of YAML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

# "key:" at the start of a line, maybe as a list item: the signature that lets a line the
# emitter re-spelled (`title:  x` as `title: x`, `a: ~` as `a:`) still anchor the splice.
_KEY = re.compile(r"""^( *)(- +)?("[^"]*"|'[^']*'|[^\s#'"][^:#]*?)[ \t]*:(?:[ \t]|$)""")


@dataclass(frozen=True)
class Merge:
    """The merged lines (each with its line ending) and whether any hunk had to be widened."""

    lines: list[str]
    widened: bool


def _alignment_key(line: str) -> str:
    # Trailing blanks are invisible and ruamel drops them: align on the rest.
    return line.rstrip("\r\n").rstrip()


def _signature(line: str) -> tuple[int, str, str] | None:
    match = _KEY.match(line)
    if match is None:
        return None
    return len(match.group(1)), (match.group(2) or "").strip(), match.group(3)


class _Boundaries:
    """Positions where a prefix of the baseline rendering corresponds to a prefix of the
    original: baseline lines [0, i) stand for original lines [0, j)."""

    def __init__(self, before: list[str], original: list[str]) -> None:
        # An empty baseline (empty or comment-only front matter) adds after the comments.
        self._map: dict[int, list[int]] = {0: [0] if before else []}
        self._add(len(before), len(original))
        keys_before = [_alignment_key(line) for line in before]
        keys_original = [_alignment_key(line) for line in original]
        matcher = SequenceMatcher(None, keys_before, keys_original, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                for k in range(i2 - i1 + 1):
                    self._add(i1 + k, j1 + k)
            elif tag == "replace":
                self._add_signatures(before, original, i1, i2, j1, j2)

    def _add(self, i: int, j: int) -> None:
        self._map.setdefault(i, []).append(j)

    def _add_signatures(
        self, before: list[str], original: list[str], i1: int, i2: int, j1: int, j2: int
    ) -> None:
        # Lines that are not keys get unique stand-ins so they never match each other.
        left = [_signature(line) or ("b", n) for n, line in enumerate(before[i1:i2])]
        right = [_signature(line) or ("o", n) for n, line in enumerate(original[j1:j2])]
        matcher = SequenceMatcher(None, left, right, autojunk=False)
        for block in matcher.get_matching_blocks():
            for k in range(block.size):
                self._add(i1 + block.a + k, j1 + block.b + k)

    def before_or_at(self, i: int) -> int:
        return max(k for k in self._map if k <= i)

    def at_or_after(self, i: int) -> int:
        return min(k for k in self._map if k >= i)

    def first(self, i: int) -> int:
        return min(self._map[i])

    def last(self, i: int) -> int:
        return max(self._map[i])


def _hunks(
    before: list[str], after: list[str]
) -> tuple[list[tuple[int, int]], SequenceMatcher[str]]:
    matcher = SequenceMatcher(None, before, after, autojunk=False)
    hunks = [(i1, i2) for tag, i1, i2, _j1, _j2 in matcher.get_opcodes() if tag != "equal"]
    return hunks, matcher


def _after_range(matcher: SequenceMatcher[str], start: int, stop: int) -> tuple[int, int]:
    """The lines of the new rendering that stand for baseline lines [start, stop).

    Neither position is strictly inside a hunk; at a position where lines were inserted, the
    range starts before them and stops after them.
    """
    starts: list[int] = []
    stops: list[int] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        for position, into in ((start, starts), (stop, stops)):
            if tag == "equal" and i1 <= position <= i2:
                into.append(j1 + (position - i1))
            elif tag != "equal" and position in (i1, i2):
                into.append(j1 if position == i1 else j2)
                if position == i1 == i2:
                    into.append(j2)
    return min(starts), max(stops)


def merge(
    original: list[str], before: list[str], after: list[str], newline: str, *, reach_back: int = 0
) -> Merge:
    """Apply the change ``before`` -> ``after`` to ``original``.

    ``original`` lines keep their own line endings; ``before`` and ``after`` are renderings
    without line endings, and the lines taken from ``after`` end with ``newline``.  With
    ``reach_back``, each change also takes that many lines before it: the key line of a value
    that a change nests under (``k: ~`` that an added item turns into ``k:``), which the two
    renderings spell alike but the original does not.
    """
    bounds = _Boundaries(before, original)
    hunks, matcher = _hunks(before, after)
    ranges: list[list[int]] = []
    widened = False
    for i1, i2 in hunks:
        start, stop = bounds.before_or_at(max(i1 - reach_back, 0)), bounds.at_or_after(i2)
        widened = widened or (start, stop) != (i1, i2)
        if ranges and start < ranges[-1][1]:
            ranges[-1][1] = max(ranges[-1][1], stop)
            widened = True
        else:
            ranges.append([start, stop])
    lines = list(original)
    for start, stop in reversed(ranges):
        if start == stop:
            o1 = o2 = bounds.first(start)
        else:
            o1, o2 = bounds.last(start), bounds.first(stop)
        a1, a2 = _after_range(matcher, start, stop)
        lines[o1:o2] = [line + newline for line in after[a1:a2]]
    return Merge(lines=lines, widened=widened)


def _is_filler(line: str) -> bool:
    stripped = line.strip()
    return not stripped or stripped.startswith("#")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _content_indent(line: str) -> int:
    """Where a line's content starts: after the dash of a list item (``  - url: x`` is at 4,
    like the item's next key)."""
    stripped = line.lstrip(" ")
    indent = len(line) - len(stripped)
    while stripped.startswith("- ") or stripped == "-":
        rest = stripped[1:].lstrip(" ")
        indent += len(stripped) - len(rest)
        stripped = rest
    return indent


def _trailing_filler(lines: list[str], stop: int, floor: int = 0) -> int:
    count = 0
    while stop - count - 1 >= floor and _is_filler(lines[stop - count - 1]):
        count += 1
    return count


def settle(before: list[str], after: list[str]) -> list[str]:
    """Put blank and comment lines back where a reader expects them after a change.

    ruamel glues the blank or comment lines that follow a collection to its last item.  An item
    appended to the collection then lands after them, and deleting the last item, or replacing
    the whole collection, deletes them although they belong to what follows.  This moves an
    insertion up above such lines (when it is at least as indented as the content before them)
    and keeps them when the lines before them are deleted or replaced.
    """
    result = list(after)
    matcher = SequenceMatcher(None, before, after, autojunk=False)
    for tag, i1, i2, j1, j2 in reversed(matcher.get_opcodes()):
        if tag == "insert":
            count = _trailing_filler(after, j1)
            anchor = j1 - count - 1
            if count and anchor >= 0 and _content_indent(after[j1]) >= _indent(after[anchor]):
                result[j1 - count : j2] = after[j1:j2] + after[j1 - count : j1]
        elif tag in ("delete", "replace"):
            count = _trailing_filler(before, i2, floor=i1)
            tail = before[i2 - count : i2]
            if count and after[max(j1, j2 - count) : j2] != tail:
                result[j2:j2] = tail
    return result
