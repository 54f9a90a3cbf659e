"""Bring an article's front matter to the house style: the reference article's.

The style (docs/reformat.md): ``---`` delimiters; top-level keys in the schema's order, unknown
keys after the known ones, ``secured`` last; a blank line before each top-level block
collection and before ``secured``, none elsewhere at the top level; mappings indented 2 and
list items as ``  - item``; flow collections as blocks; the seed's double-quoted fields in
double quotes and other strings plain where YAML reads them back the same; dates in ISO 8601;
no trailing white space; long strings never folded.  Comments stay with their keys; the body,
the BOM and the line breaks are never touched.

The work is done in three steps, each checked: the top-level blocks (a key with the comment
lines above it) are put in order as text, so that comments move with their keys; the round-trip
tree of that text is restyled and written whole; the blank lines are settled.  The result must
read back as the same data (dates compared as instants where the style rewrote them), or the
file is left alone.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    LiteralScalarString,
    PlainScalarString,
)

from newsmeta.apply import plain_allowed
from newsmeta.article import (
    Article,
    Style,
    VerbatimTimestamp,
    emit,
    lc_position,
    load_tree,
    load_value,
    read_article,
    same_data,
    split_article,
    split_lines,
    to_plain,
)
from newsmeta.edit import FileEdit, Outcome
from newsmeta.engine import Job, kind_of, run
from newsmeta.errors import ArticleError, WriteError
from newsmeta.report import Problem, Severity, problem_of
from newsmeta.schema import Field, Schema
from newsmeta.writer import sweep_for, write_file

if TYPE_CHECKING:
    from newsmeta.engine import CacheOpener

HOUSE_INDENT = Style(mapping=2, offset=2, root=0)
LAST = "secured"
_TOP_KEY = re.compile(
    r"""^(?:"(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"\-?:,\[\]{}&*!|>%@`][^#]*?)[ \t]*:(?:[ \t]|$)"""
)


@dataclass(frozen=True)
class HouseStyle:
    """What the house style asks of keys and strings (the configurable parts)."""

    key_order: tuple[str, ...]  # top-level keys, in order; others follow, ``secured`` last
    quoted: frozenset[str]  # dotted names (list levels skipped) written in double quotes
    dates: frozenset[str]  # dotted names of date fields

    @classmethod
    def of(
        cls, schema: Schema, key_order: Iterable[str] = (), quoted: Iterable[str] | None = None
    ) -> HouseStyle:
        order = tuple(key_order) or schema.key_order()
        fields = dict(_fields(schema.root.fields))
        seed_quoted = {name for name, f in fields.items() if _seed_quotes(f)}
        dates = {name for name, f in fields.items() if f.type == "datetime"}
        chosen = frozenset(quoted) if quoted is not None else frozenset(seed_quoted)
        return cls(order, chosen, frozenset(dates))


def _seed_quotes(field: Field) -> bool:
    """Whether the reference article writes this field in double quotes: text, URLs, the
    signature."""
    return field.type == "url" or field.text or field.name == LAST


def _fields(fields: Iterable[Field], prefix: str = "") -> Iterable[tuple[str, Field]]:
    for field in fields:
        name = f"{prefix}{field.name}"
        yield name, field
        yield from _fields(field.fields, f"{name}.")


# -- step 1: the top-level keys in order, as text ------------------------------------------


@dataclass(frozen=True)
class _Block:
    key: Any  # None: the lines before the first key, or the comments after the last
    lines: tuple[str, ...]


def _is_filler(line: str) -> bool:
    """A blank line, or a comment at the start of a line: what goes with the key below."""
    return not line.strip() or line.startswith("#")


def _blocks(lines: list[str], starts: list[tuple[int, Any]], tree: Any) -> list[_Block]:
    """The front matter cut into top-level blocks, given each key's line: a block is the key's
    lines with the blank and comment lines just above it (those belong to it, wherever ruamel
    would attach them).  The first block holds what comes before the first key, the last the
    comment lines after the last key's content."""
    # Comments above the first key stay at the top: a file's header, not the key's.
    cuts: list[int] = [starts[0][0]]
    previous = starts[0][0] + 1
    for (line, _key), (_previous_line, previous_key) in zip(starts[1:], starts, strict=False):
        cuts.append(_cut(lines, previous, line, _keeps_blank_lines(tree, previous_key)))
        previous = line + 1
    end = _cut(lines, previous, len(lines), _keeps_blank_lines(tree, starts[-1][1]))
    bounds = [*cuts, end]
    blocks = [_Block(None, tuple(lines[: cuts[0]]))]
    for index, (_line, key) in enumerate(starts):
        blocks.append(_Block(key, tuple(lines[bounds[index] : bounds[index + 1]])))
    blocks.append(_Block(None, tuple(lines[end:])))
    return blocks


def _cut(lines: list[str], floor: int, line: int, keeps_blanks: bool) -> int:
    """Where the filler lines just above ``line`` start (not above ``floor``); the blank lines
    right after a ``|+`` block scalar are its content, and stay with it."""
    cut = line
    while cut > floor and _is_filler(lines[cut - 1]):
        cut -= 1
    while keeps_blanks and cut < line and not lines[cut].strip():
        cut += 1
    return cut


def _keeps_blank_lines(tree: Any, key: Any) -> bool:
    """Whether the blank lines after ``key``'s value are part of it: its last scalar (nested
    ones included) is a block scalar that keeps them (``|+``)."""
    value = tree.get(key) if isinstance(tree, dict) else None
    while isinstance(value, (dict, list)) and value:
        value = value[next(reversed(value))] if isinstance(value, dict) else value[-1]
    return isinstance(value, (LiteralScalarString, FoldedScalarString)) and value.endswith("\n\n")


def _read_reordered(article: Article, original: Any) -> Any:
    """The tree of the reordered text, or None if it does not read as the same data (an alias
    now before its anchor)."""
    try:
        tree = load_tree(article)
    except ArticleError:
        return None
    return tree if same_data(to_plain(tree) or {}, to_plain(original) or {}) else None


def _key_lines(tree: Any) -> list[tuple[int, Any]] | None:
    """Each top-level key's line (0-based) in the text ``tree`` was read from, in order; None
    when the order cannot be changed as text (merge keys, keys not at the start of a line)."""
    if not isinstance(tree, CommentedMap) or not tree or getattr(tree, "merge", None):
        return None
    starts: list[tuple[int, Any]] = []
    for key in tree:
        found = lc_position(tree, "key", key)
        if found is None or found[1] != 0:
            return None
        starts.append((found[0], key))
    if [line for line, _key in starts] != sorted(line for line, _key in starts):
        return None
    return starts


def house_key_order(keys: list[Any], order: tuple[str, ...]) -> list[Any]:
    """``keys`` in the house order: those ``order`` names, in its order; the others as they
    were; ``secured`` last, unless ``order`` places it."""
    last = [LAST] if LAST in keys and (LAST not in order or order[-1] == LAST) else []
    known = [name for name in order if name in keys and name not in last]
    others = [key for key in keys if key not in known and key not in last]
    return [*known, *others, *last]


def _ordered(blocks: list[_Block], order: tuple[str, ...]) -> list[_Block]:
    head, *body, tail = blocks
    by_key = {block.key: block for block in body}
    return [head, *(by_key[key] for key in house_key_order(list(by_key), order)), tail]


def _reorder_tree(tree: CommentedMap, order: tuple[str, ...]) -> None:
    """Put the keys in order in the tree itself (when the text cannot be cut into blocks):
    comments go where ruamel attached them."""
    for key in house_key_order(list(tree), order):
        tree.move_to_end(key)


# -- step 2: restyle the tree --------------------------------------------------------------


def _restyle(node: Any, style: HouseStyle, source: list[str], name: str = "") -> Any:
    """``node`` in the house style; ``source`` is the text it was read from (dates are
    written as they were there)."""
    if isinstance(node, CommentedMap):
        node.fa.set_block_style()
        # Its own keys only: a key a '<<' merge brings in would become a key of its own.
        for key in [key for key, _value in node.non_merged_items()]:
            child = f"{name}.{key}" if name else str(key)
            value = node[key]
            if isinstance(value, dt.datetime):
                node[key] = _verbatim(value, source, lc_position(node, "value", key))
            else:
                node[key] = _restyle(value, style, source, child)
        return node
    if isinstance(node, CommentedSeq):
        node.fa.set_block_style()
        for index, item in enumerate(node):
            if isinstance(item, dt.datetime):
                node[index] = _verbatim(item, source, lc_position(node, "item", index))
            else:
                node[index] = _restyle(item, style, source, name)
        return node
    if name in style.dates and isinstance(node, str):
        date = _date(node)
        if not isinstance(date, str):
            return date
    if isinstance(node, str) and not isinstance(node, (LiteralScalarString, FoldedScalarString)):
        anchor = getattr(getattr(node, "anchor", None), "value", None)
        if anchor is not None:
            return node  # anchored (and aliased): as it is, so the alias still stands for it
        return _string(str(node), name in style.quoted)
    return node


ISO_8601 = re.compile(
    r"^\d{4}-\d\d-\d\d(?:T\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d(?::?\d\d)?)?)?$"
)


def _verbatim(value: dt.datetime, source: list[str], where: tuple[int, int] | None) -> Any:
    """A date as the file wrote it if that is ISO 8601; other YAML spellings with a time zone
    (``2020-06-11 16:42:00Z``) become ISO 8601; without a zone it stays as written."""
    if where is None or where[0] >= len(source):
        return value
    # The scalar's text: up to a comment, or the end of its entry in a flow collection.
    text = re.split(r" #|[,\]}]", source[where[0]][where[1] :], maxsplit=1)[0].strip()
    try:
        same = to_plain(load_value(text)) == to_plain(value)
    except ArticleError:
        same = False
    if not same:
        return value
    if ISO_8601.match(text) or value.tzinfo is None:
        return VerbatimTimestamp(text)
    converted = _date(text)
    return converted if not isinstance(converted, str) else VerbatimTimestamp(text)


def _string(text: str, quoted: bool) -> Any:
    if not quoted and text and plain_allowed(text):
        return PlainScalarString(text)
    return DoubleQuotedScalarString(text)


def _date(text: str) -> Any:
    """A date written as text: ISO 8601 if it has a time zone and reads as a date with a
    four-digit year; otherwise left as it is (validate reports it)."""
    from newsmeta.operations import format_instant
    from newsmeta.query import as_instant

    instant = as_instant(text) if _has_zone(text) else None
    if instant is None:
        return text
    try:
        return load_value(format_instant(instant))
    except ArticleError:
        return text


_ZONE = re.compile(r"(?:Z|UTC|GMT|[+-]\d\d:?\d\d)\s*$", re.IGNORECASE)


def _has_zone(text: str) -> bool:
    return _ZONE.search(text.strip()) is not None


# -- step 3: blank lines -----------------------------------------------------------------------


def wants_blank_line(key: Any, value: Any) -> bool:
    """Whether the house style puts a blank line before this top-level key: before a block
    collection, and before ``secured``."""
    return key == LAST or (isinstance(value, (dict, list)) and bool(value))


def _settle_blank_lines(lines: list[str], tree: Any) -> list[str]:
    """One blank line before each top-level block collection and before ``secured`` (with the
    comments above the key), none elsewhere at the top level; nested blank lines stay.

    ``lines`` is the emitter's text, in which the lines that start at column 0 with anything
    but a comment are exactly the top-level keys, in the tree's order.
    """
    starts = [i for i, line in enumerate(lines) if line[:1] not in ("", " ", "#")]
    if not isinstance(tree, dict) or not tree or len(starts) != len(tree):
        return lines
    head, *body, tail = _blocks(lines, list(zip(starts, tree, strict=True)), tree)
    result = [line for line in head.lines if line.strip()]
    for block in body:
        own = list(block.lines)
        while own and not own[0].strip():
            own.pop(0)
        value = tree[block.key]
        if result and wants_blank_line(block.key, value):
            result.append("")
        # A block scalar's trailing blank lines may be its content (|+): kept as they are.
        keeps_blanks = _keeps_blank_lines(tree, block.key) or isinstance(
            value, (LiteralScalarString, FoldedScalarString)
        )
        result.extend(own if keeps_blanks else _without_top_level_blanks(own))
    result.extend(line for line in tail.lines if line.strip())
    return result


_BLOCK_SCALAR = re.compile(r"^( *)(?:- +|[^#]*?:[ \t]+)[|>][-+0-9]*[ \t]*(?:#.*)?$")


def _strip_trailing(lines: list[str]) -> list[str]:
    """The lines without trailing white space, but for the lines of block scalars (``|``,
    ``>``), where it is content."""
    stripped: list[str] = []
    block_parent: int | None = None  # the indentation of the line that opened a block scalar
    for line in lines:
        indent = len(line) - len(line.lstrip(" "))
        if block_parent is not None and (not line.strip() or indent > block_parent):
            stripped.append(line)
            continue
        block_parent = None
        match = _BLOCK_SCALAR.match(line.rstrip())
        if match is not None:
            block_parent = len(match.group(1))
        stripped.append(line.rstrip())
    return stripped


def _without_top_level_blanks(lines: list[str]) -> list[str]:
    """A block's lines without the blank lines that stand at the top level: those followed by
    a column-0 comment or by nothing (blank lines inside a nested value stay)."""
    kept: list[str] = []
    for index, line in enumerate(lines):
        if not line.strip():
            following = next((later for later in lines[index + 1 :] if later.strip()), None)
            if following is None or following.startswith("#"):
                continue
        kept.append(line)
    return kept


# -- the whole -----------------------------------------------------------------------------


def _comparable(value: Any) -> Any:
    """Plain data with dates (and date-like text with a zone) as instants in UTC."""
    from newsmeta.query import as_instant

    if isinstance(value, dict):
        return {k: _comparable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_comparable(v) for v in value]
    if isinstance(value, dt.datetime) or (isinstance(value, str) and _has_zone(value)):
        instant = as_instant(value)
        if instant is not None:
            return instant.astimezone(dt.timezone.utc)
    return value


# A formatted article is formatted again until it no longer changes (the YAML library settles
# a few spellings, such as a comment after a null list item, only on a second pass), this often.
MAX_PASSES = 3


def reformat(article: Article, style: HouseStyle) -> bytes:
    """The article in the house style (its own bytes if it is in style already): formatting
    the result again changes nothing.

    Raises :class:`ArticleError` if its front matter cannot be read, or ``internal-error`` if
    the styled text would not read back as the same data.
    """
    new = _reformat_once(article, style)
    for _ in range(MAX_PASSES - 1):
        if new == article.raw:
            break
        again = _reformat_once(split_article(new, article.path), style)
        if again == new:
            break
        new = again
    if new != article.raw:
        _check(article, load_tree(article), new)
    return new


def _reformat_once(article: Article, style: HouseStyle) -> bytes:
    original = load_tree(article)
    pristine = to_plain(original)  # the data, before restyling changes the tree in place
    newline = article.newline
    lines = list(article.front_matter)
    if original is not None:
        starts = _key_lines(original)
        tree = original
        source = [line.rstrip("\r\n") for line in lines]
        if starts is not None:
            blocks = _ordered(_blocks(lines, starts, original), style.key_order)
            text = "".join(line for block in blocks for line in block.lines)
            reordered = dataclasses.replace(article, front_matter=split_lines(text))
            # In order already: the tree read from the file is the tree of that text.
            tree = original if text == "".join(lines) else _read_reordered(reordered, original)
            if tree is not None:
                source = [line.rstrip("\r\n") for line in reordered.front_matter]
        if tree is None or starts is None:
            # Moving the text put an alias before its anchor (or the text cannot be cut):
            # the tree is reordered (ruamel writes the anchor where the value first stands).
            tree = original
            if isinstance(tree, CommentedMap):
                _reorder_tree(tree, style.key_order)
        _restyle(tree, style, source)
        emitted = emit(tree, HOUSE_INDENT)
        emitted = _settle_blank_lines(emitted, tree)
        candidates = [_strip_trailing(emitted), emitted]
    else:  # empty or comments only: nothing to restyle but trailing white space
        candidates = [[line.rstrip() for line in lines], [line.rstrip("\r\n") for line in lines]]
    closing_end = article.closing[len(article.closing.rstrip(b"\r\n")) :].decode()
    styled = dataclasses.replace(
        article,
        opening=f"---{newline}".encode(),
        closing=f"---{closing_end}".encode(),
    )
    # Trailing white space goes, unless it is content (a block scalar's line ends with it).
    for number, candidate in enumerate(candidates):
        new = styled.join([line + newline for line in candidate])
        if new == article.raw:
            return new  # in style already: the file's own bytes need no checking
        try:
            _check(article, pristine, new)
        except ArticleError:
            if number == len(candidates) - 1:
                raise
            continue
        return new
    raise AssertionError("unreachable")  # pragma: no cover


def _check(article: Article, original: Any, new: bytes) -> None:
    try:
        tree = load_tree(split_article(new, article.path))
    except ArticleError as error:
        raise ArticleError(
            "internal-error", f"the reformatted front matter would not read: {error.message}"
        ) from error
    if not same_data(_comparable(to_plain(tree) or {}), _comparable(to_plain(original) or {})):
        raise ArticleError(
            "internal-error",
            "the reformatted front matter would not read back as the same data; left unchanged",
        )


# -- files ---------------------------------------------------------------------------------


def _in_style(article: Article, style: HouseStyle) -> bool:
    from newsmeta.instyle import in_style  # it reads this module's names

    return in_style(article, style)


def reformat_bytes(raw: bytes, path: str, style: HouseStyle) -> FileEdit:
    """Reformat an article given as bytes (standard input): ``after`` is the output."""
    try:
        article = split_article(raw, path)
        new = raw if _in_style(article, style) else reformat(article, style)
    except ArticleError as error:
        return FileEdit(path, Outcome.FAILED, problems=(problem_of(path, error),))
    outcome = Outcome.UNCHANGED if new == raw else Outcome.CHANGED
    return FileEdit(path, outcome, raw, new)


def reformat_path(path: Path, style: HouseStyle, *, write: bool) -> FileEdit:
    """Reformat one file (in place with ``write``); never raises for a bad file."""
    name = str(path)
    try:
        if write:
            sweep_for(path)
        article = read_article(path)
        if _in_style(article, style):  # most files: decided without the round trip
            return FileEdit(name, Outcome.UNCHANGED, article.raw, article.raw)
        new = reformat(article, style)
        if new != article.raw and write and article.snapshot is not None:
            original = load_tree(article)

            def check(written: bytes) -> None:
                try:
                    _check(article, original, written)
                except ArticleError as error:
                    raise WriteError("internal-error", error.message) from error

            write_file(path, new, article.snapshot, check)
    except Exception as error:  # unreadable, not written, or a bug of ours: the run goes on
        return FileEdit(name, Outcome.FAILED, problems=(problem_of(name, error),))
    outcome = Outcome.UNCHANGED if new == article.raw else Outcome.CHANGED
    return FileEdit(name, outcome, article.raw, new)


def reformat_paths(
    paths: Iterable[Path],
    style: HouseStyle,
    *,
    write: bool,
    texts: bool = True,
    jobs: int | None = 1,
    cache: CacheOpener | None = None,
) -> Iterator[FileEdit]:
    """Reformat files, in the order given: on ``jobs`` processes, files known to be in style
    from ``cache``.  Without ``texts``, results carry no bytes (--check needs none)."""
    return run(paths, ReformatJob(style, write, texts), jobs=jobs, cache=cache)


def cache_kind(style: HouseStyle) -> str:
    """What a cached "in style" depends on: the house style's configurable parts."""
    return kind_of("reformat", style.key_order, sorted(style.quoted), sorted(style.dates))


@dataclass(frozen=True)
class ReformatJob(Job[FileEdit]):
    """Reformatting a file, as the engine runs it (see :mod:`newsmeta.engine`); only "in
    style" verdicts are cached, and results carry the bytes of changed files only."""

    style: HouseStyle
    write: bool
    texts: bool

    def compute(self, path: str) -> tuple[Any, bool]:
        result = reformat_path(Path(path), self.style, write=self.write)
        problems = [(p.line, p.column, p.rule, p.message) for p in result.problems]
        unchanged = result.outcome is Outcome.UNCHANGED
        texts = (result.before, result.after) if self.texts and not unchanged else (b"", b"")
        return (result.outcome.value, problems, *texts), unchanged

    def result(self, path: str, payload: Any) -> FileEdit:
        outcome, problems, before, after = payload
        return FileEdit(
            path,
            Outcome(outcome),
            before,
            after,
            tuple(
                Problem(path, line, column, Severity.ERROR, rule, message)
                for line, column, rule, message in problems
            ),
        )
