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
        self._map: dict[int, list[int]] = {0: [0], len(before): [len(original)]}
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


def _hunks(before: list[str], after: list[str]) -> tuple[list[tuple[int, int]], SequenceMatcher[str]]:
    matcher = SequenceMatcher(None, before, after, autojunk=False)
    hunks = [(i1, i2) for tag, i1, i2, _j1, _j2 in matcher.get_opcodes() if tag != "equal"]
    return hunks, matcher


def _after_position(matcher: SequenceMatcher[str], i: int) -> int:
    """Where baseline position ``i`` (never strictly inside a hunk) falls in the new rendering."""
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal" and i1 <= i <= i2:
            return j1 + (i - i1)
        if i == i1:
            return j1
        if i == i2:
            return j2
    raise ValueError(f"position {i} is inside a hunk")


def merge(original: list[str], before: list[str], after: list[str], newline: str) -> Merge:
    """Apply the change ``before`` -> ``after`` to ``original``.

    ``original`` lines keep their own line endings; ``before`` and ``after`` are renderings
    without line endings, and the lines taken from ``after`` end with ``newline``.
    """
    bounds = _Boundaries(before, original)
    hunks, matcher = _hunks(before, after)
    ranges: list[list[int]] = []
    widened = False
    for i1, i2 in hunks:
        start, stop = bounds.before_or_at(i1), bounds.at_or_after(i2)
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
        a1, a2 = _after_position(matcher, start), _after_position(matcher, stop)
        lines[o1:o2] = [line + newline for line in after[a1:a2]]
    return Merge(lines=lines, widened=widened)
