"""Article files: split them byte-exactly, load their front matter, write them back losslessly.

An article is ``[BOM] opening-line front-matter closing-line body``.  Splitting keeps every part
as it was (the delimiter lines with their trailing blanks, the newline style of each line, the
body as raw bytes), so joining the parts gives back the file byte for byte.

The ruamel.yaml round-trip settings live in this module only.  A document that was not changed
is never re-emitted; a changed one is re-emitted through :mod:`newsmeta.splice`, which replays
only the lines the change touched onto the original text.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import io
import itertools
import math
import re
from collections.abc import Iterator, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, AnyStr

from newsmeta import splice
from newsmeta.errors import ArticleError, WriteError
from newsmeta.writer import Snapshot, read_snapshot, write_file

BOM = b"\xef\xbb\xbf"
BINARY_SNIFF_BYTES = 8192
MAX_EXPANDED_NODES = 100_000
# Deeper than this, collections are "too-deep": ruamel's reader runs out of stack at a few
# hundred levels, fewer when called deep in a stack (no article nests more than five).
MAX_NESTING = 100
_OPENING = re.compile(rb"(---|\+\+\+)[ \t]*(\r?\n|\Z)")
_CLOSING = re.compile(rb"(---|\.\.\.)[ \t]*\r?\n?")
_STANDARD_TAG_PREFIX = "tag:yaml.org,2002:"
_STANDARD_TAGS = frozenset(
    {"str", "int", "float", "bool", "null", "timestamp", "binary", "seq", "map", "set", "omap"}
)
# The widest line ruamel will ever emit: long strings are never folded.
_NO_WRAP = 1 << 30


class Kind(enum.Enum):
    """What kind of front matter a file opens with."""

    YAML = "yaml"
    TOML = "toml"
    NONE = "none"


@dataclass(frozen=True)
class Article:
    """An article file split into its parts; ``join`` gives back the exact bytes."""

    path: str
    raw: bytes
    bom: bool
    newline: str
    opening: bytes
    closing: bytes
    front_matter: list[str]
    body: bytes
    snapshot: Snapshot | None = None

    @property
    def front_matter_text(self) -> str:
        return "".join(self.front_matter)

    @property
    def yaml_text(self) -> str:
        """The front matter as the YAML parser sees it: CRLF read as LF."""
        return self.front_matter_text.replace("\r\n", "\n")

    @property
    def first_line(self) -> int:
        """The file line (1-based) on which the front matter text starts."""
        return 2

    def join(self, front_matter: list[str]) -> bytes:
        """Return the file's bytes with ``front_matter`` lines in place of the original."""
        head = BOM if self.bom else b""
        text = "".join(front_matter).encode("utf-8")
        return head + self.opening + text + self.closing + self.body


def _position(data: AnyStr, offset: int, first_line: int = 1) -> tuple[int, int]:
    """The 1-based line and column of ``offset`` in ``data`` (bytes or characters)."""
    newline = b"\n" if isinstance(data, bytes) else "\n"
    line = first_line + data.count(newline, 0, offset)
    column = offset - (data.rfind(newline, 0, offset) + 1) + 1
    return line, column


def _kind_error(kind: Kind) -> ArticleError:
    if kind is Kind.TOML:
        return ArticleError(
            "toml-front-matter",
            "front matter is TOML (+++), not YAML; newsmeta reads YAML front matter only",
            1,
            1,
        )
    return ArticleError(
        "no-front-matter", "no front matter: the file does not start with a '---' line", 1, 1
    )


def sniff_kind(raw: bytes) -> Kind:
    """Tell whether ``raw`` opens with YAML (``---``), TOML (``+++``) or no front matter."""
    content = raw[len(BOM) :] if raw.startswith(BOM) else raw
    return _kind_of(_OPENING.match(content))


def _kind_of(opening: re.Match[bytes] | None) -> Kind:
    if opening is None:
        return Kind.NONE
    return Kind.YAML if opening.group(1) == b"---" else Kind.TOML


def _refuse_binary(raw: bytes, stop: int) -> None:
    nul = raw.find(b"\x00", 0, stop)
    if nul >= 0:
        line, column = _position(raw, nul)
        raise ArticleError("binary", "binary file (it holds a NUL byte)", line, column)


def split_article(raw: bytes, path: str = "-", snapshot: Snapshot | None = None) -> Article:
    """Split an article's bytes into its parts, or raise :class:`ArticleError`.

    A NUL byte makes a file binary when it stands before the end of the front matter (or in
    the first 8 KiB of a file without front matter); the body may hold anything.
    """
    bom = raw.startswith(BOM)
    content = raw[len(BOM) :] if bom else raw
    opening = _OPENING.match(content)
    kind = _kind_of(opening)
    if kind is not Kind.YAML or opening is None or not opening.group(2):
        _refuse_binary(raw, BINARY_SNIFF_BYTES)
        if kind is not Kind.YAML:
            raise _kind_error(kind)
        raise ArticleError("unclosed-front-matter", "front matter is never closed", 1, 1)
    start = opening.end()
    position = start
    while position < len(content):
        end = content.find(b"\n", position)
        stop = len(content) if end < 0 else end + 1
        if _CLOSING.fullmatch(content, position, stop):
            _refuse_binary(raw, len(raw) - len(content) + position)
            fm_end = (position, stop)
            return _build(path, raw, bom, content, opening.group(0), fm_end, snapshot)
        position = stop
    _refuse_binary(raw, BINARY_SNIFF_BYTES)
    raise ArticleError(
        "unclosed-front-matter",
        "front matter is never closed: no '---' line after the opening one",
        1,
        1,
    )


def _build(
    path: str,
    raw: bytes,
    bom: bool,
    content: bytes,
    opening: bytes,
    closing: tuple[int, int],
    snapshot: Snapshot | None,
) -> Article:
    start = len(opening)
    fm_end, stop = closing
    block = content[start:fm_end]
    try:
        text = block.decode("utf-8")
    except UnicodeDecodeError as error:
        line, column = _position(block, error.start, first_line=2)
        raise ArticleError(
            "encoding",
            f"front matter is not valid UTF-8 (byte 0x{block[error.start]:02x})",
            line,
            column,
        ) from error
    newline = "\r\n" if opening.endswith(b"\r\n") else "\n"
    return Article(
        path=path,
        raw=raw,
        bom=bom,
        newline=newline,
        opening=opening,
        closing=content[fm_end:stop],
        front_matter=split_lines(text),
        body=content[stop:],
        snapshot=snapshot,
    )


def split_lines(text: str) -> list[str]:
    """Split on LF only, keeping the endings: str.splitlines also splits on U+2028 and more."""
    lines = text.split("\n")
    last = lines.pop()
    return [line + "\n" for line in lines] + ([last] if last else [])


def read_article(path: Path | str) -> Article:
    """Read and split one article file."""
    try:
        snapshot = read_snapshot(path)
    except FileNotFoundError as error:
        raise ArticleError("io-error", "file vanished before it could be read") from error
    except IsADirectoryError as error:
        raise ArticleError("io-error", "not a regular file") from error
    except OSError as error:
        raise ArticleError("io-error", f"cannot read: {error.strerror or error}") from error
    return split_article(snapshot.content, str(path), snapshot)


# -- loading -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Style:
    """The indentation a file uses, detected so re-emitted lines look like their neighbours."""

    mapping: int = 2
    offset: int = 2
    root: int = 0

    @property
    def sequence(self) -> int:
        return self.offset + 2


_KEY_ONLY = re.compile(r"^( *)(- +)?([^\s#-][^#]*?|\"[^\"]*\"|'[^']*'):[ \t]*(#.*)?$")
_CONTENT = re.compile(r"^( *)(\S)")


def _content_lines(lines: list[str]) -> Iterator[tuple[int, str]]:
    for line in lines:
        match = _CONTENT.match(line)
        if match and match.group(2) != "#":
            yield len(match.group(1)), line


def detect_style(lines: list[str]) -> Style:
    """Guess mapping indentation and sequence dash offset from the file's own lines."""
    content = list(_content_lines(lines))
    if not content:
        return Style()
    votes_map: dict[int, int] = {}
    votes_offset: dict[int, int] = {}
    for (indent, line), (next_indent, next_line) in itertools.pairwise(content):
        match = _KEY_ONLY.match(line.rstrip("\r\n"))
        if match is None:
            continue
        key_indent = indent + len(match.group(2) or "")
        if next_line.lstrip().startswith("- ") or next_line.strip() == "-":
            offset = next_indent - key_indent
            if offset >= 0:
                votes_offset[offset] = votes_offset.get(offset, 0) + 1
        elif next_indent > key_indent:
            step = next_indent - key_indent
            votes_map[step] = votes_map.get(step, 0) + 1
    mapping = max(votes_map, key=lambda k: (votes_map[k], -k)) if votes_map else 2
    offset = max(votes_offset, key=lambda k: (votes_offset[k], -k)) if votes_offset else 2
    return Style(mapping=max(mapping, 1), offset=offset, root=content[0][0])


class _Refused(Exception):
    """What the constructor refuses to build (an unknown tag, a recursive alias), where."""

    def __init__(self, code: str, message: str, mark: Any) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.mark = mark

    def error(self, first_line: int) -> ArticleError:
        return ArticleError(self.code, self.message, *_mark_position(self.mark, first_line))


@functools.cache
def _constructor() -> Any:
    import warnings

    from ruamel.yaml.constructor import RoundTripConstructor
    from ruamel.yaml.error import YAMLWarning

    # ruamel warns about legal YAML (an anchor name used twice) on stderr, with its own
    # source path: not a message for newsmeta's users.
    warnings.filterwarnings("ignore", category=YAMLWarning)

    class Constructor(RoundTripConstructor):
        def construct_object(self, node: Any, deep: bool = False) -> Any:
            # Refused before anything is built, wherever the tag stands (a complex key's
            # tag is dropped from the tree when ruamel makes the key hashable).
            tag = _node_tag(node)
            if tag is not None and not _is_standard_tag(tag):
                message = f"unknown tag {_short_tag(tag)}: newsmeta never constructs tagged values"
                raise _Refused("unknown-tag", message, node.start_mark)
            if node in self.recursive_objects and node not in self.constructed_objects:
                # An alias inside its own anchor (a: &a [*a]): ruamel would read it as null,
                # PyYAML as an endless list; neither is an article's value.
                raise _Refused(
                    "alias-bomb", "front matter holds a recursive alias", node.start_mark
                )
            return super().construct_object(node, deep)

        def construct_yaml_timestamp(self, node: Any, values: Any = None) -> Any:
            try:
                return super().construct_yaml_timestamp(node, values)
            except ValueError:
                # An impossible date such as 2020-02-30 stays text, for the date rules to
                # report with its place, instead of failing the whole front matter.
                return self.construct_scalar(node)

    Constructor.add_constructor("tag:yaml.org,2002:timestamp", Constructor.construct_yaml_timestamp)
    return Constructor


# Bidirectional formatting characters: invisible, they reorder what a terminal or an editor
# shows (U+202E turns "txt.exe" into "exe.txt").  YAML may hold them raw; newsmeta writes them
# escaped when it writes a double-quoted string.
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
BIDI = re.compile(f"[{BIDI_CONTROLS}]")


@functools.cache
def _emitter() -> Any:
    from ruamel.yaml.emitter import RoundTripEmitter

    class Emitter(RoundTripEmitter):
        def write_double_quoted(self, text: Any, split: Any = True) -> None:
            # ruamel writes every character above U+00A0 raw when unicode is allowed; in the
            # rare string holding a bidi control, everything but ASCII is escaped instead.
            if not BIDI.search(text):
                return super().write_double_quoted(text, split)
            allowed, self.allow_unicode = self.allow_unicode, False
            try:
                return super().write_double_quoted(text, split)
            finally:
                self.allow_unicode = allowed

    return Emitter


class VerbatimTimestamp(str):
    """A date and time to be written exactly as this text (which reads as a YAML timestamp):
    ruamel would re-spell it (``.123Z`` as ``.123000Z``, ``16:42:00Z`` with a space as
    ``+00:00``)."""


def _represent_verbatim(representer: Any, data: VerbatimTimestamp) -> Any:
    return representer.represent_scalar("tag:yaml.org,2002:timestamp", str(data))


@functools.cache
def _representer() -> Any:
    from ruamel.yaml.representer import RoundTripRepresenter

    class Representer(RoundTripRepresenter):
        pass

    Representer.add_representer(VerbatimTimestamp, _represent_verbatim)
    return Representer


def _yaml(style: Style | None = None) -> Any:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt", pure=False)
    yaml.Constructor = _constructor()
    yaml.Representer = _representer()
    yaml.Emitter = _emitter()
    yaml.preserve_quotes = True
    yaml.width = _NO_WRAP
    yaml.allow_duplicate_keys = False
    if style is not None:
        yaml.indent(
            mapping=style.mapping,
            sequence=style.sequence,
            offset=style.offset,
        )
    return yaml


def _mark_position(mark: Any, first_line: int) -> tuple[int, int]:
    if mark is None:
        return first_line, 1
    return first_line + int(mark.line), int(mark.column) + 1


def _first_occurrence(article: Article, key: str, context: Any, mark: Any) -> int | None:
    """The 0-based line where the mapping that holds a duplicate first has ``key``.

    ruamel's context mark is where the mapping starts; the first occurrence is the earlier
    line, at the duplicate's own column, that starts with the key (plain or quoted).
    """
    if context is None or mark is None:
        return None
    lines = article.yaml_text.split("\n")
    column = int(mark.column)
    spellings = (key, f'"{key}"', f"'{key}'")
    for number in range(int(context.line), int(mark.line)):
        text = lines[number][column:] if number < len(lines) else ""
        for spelling in spellings:
            if text.startswith(spelling) and text[len(spelling) :].lstrip(" ").startswith(":"):
                return number
    return int(context.line)


def _yaml_error(error: Exception, article: Article) -> ArticleError:
    from ruamel.yaml.constructor import DuplicateKeyError
    from ruamel.yaml.reader import ReaderError

    first_line = article.first_line
    if isinstance(error, ReaderError):
        line, column = _position(article.yaml_text, int(error.position), first_line)
        character = error.character
        code = character if isinstance(character, int) else ord(character)
        return ArticleError(
            "yaml-syntax", f"character {code:#06x} is not allowed in YAML", line, column
        )
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    line, column = _mark_position(mark, first_line)
    if isinstance(error, DuplicateKeyError):
        problem = str(getattr(error, "problem", "") or "duplicate key")
        key = problem.split('"')[1] if problem.count('"') >= 2 else "?"
        first = _first_occurrence(article, key, getattr(error, "context_mark", None), mark)
        where = f" (first on line {first_line + first})" if first is not None else ""
        return ArticleError("duplicate-key", f"duplicate key {key!r}{where}", line, column)
    problem = str(getattr(error, "problem", None) or error).strip()
    context = str(getattr(error, "context", None) or "").strip()
    message = f"{context}: {problem}" if context and context not in problem else problem
    return ArticleError("yaml-syntax", f"YAML syntax error: {message}", line, column)


def load_tree(article: Article) -> Any:
    """Load the front matter as a round-trip tree, or raise :class:`ArticleError`.

    The result is a ruamel ``CommentedMap``, or ``None`` for empty or comment-only front
    matter.  Unknown tags are refused; aliases may not expand beyond a fixed budget.
    """
    from ruamel.yaml.error import YAMLError

    text = article.yaml_text
    try:
        if text.count("[") + text.count("{") > MAX_NESTING and _too_deep(text):
            raise ArticleError(
                "too-deep", "front matter is nested too deeply to read", article.first_line, 1
            )
        try:
            tree = _yaml().load(text)
        except _Refused as found:
            raise found.error(article.first_line) from None
        except RUAMEL_TRIPS as error:  # ruamel's own, not the checks' below
            raise _tripped(error, "the front matter", article.first_line) from error
        check_tree(tree, article.first_line)
    except ArticleError as error:
        if error.code == "alias-bomb" and not error.line:
            error.line, error.column = _first_alias(article)
        raise
    except RecursionError as error:
        raise ArticleError(
            "too-deep", "front matter is nested too deeply to read", article.first_line, 1
        ) from error
    except YAMLError as error:
        raise _yaml_error(error, article) from error
    except ValueError as error:  # a number longer than Python converts (4,300 digits)
        raise _value_error(error, article) from error
    return tree


# ruamel trips over a few odd spellings itself: ``0x_``, ``!!bool maybe``, ``!!set x``,
# ``!!omap [a: 1, a: 2]``.
RUAMEL_TRIPS = (
    IndexError,
    KeyError,
    TypeError,
    AttributeError,
    AssertionError,
    NotImplementedError,
)


def _tripped(error: Exception, what: str, line: int) -> ArticleError:
    return ArticleError(
        "yaml-syntax", f"{what} cannot be read: {type(error).__name__}: {error}", line, 1
    )


_HUGE_NUMBER = re.compile(r"\d{4000,}")


def _value_error(error: ValueError, article: Article) -> ArticleError:
    found = _HUGE_NUMBER.search(article.yaml_text)
    line, column = (
        _position(article.yaml_text, found.start(), article.first_line)
        if found is not None
        else (article.first_line, 1)
    )
    return ArticleError("yaml-syntax", f"a value cannot be read: {error}", line, column)


_ALIAS = re.compile(r"(?:^|[\s\[{,:])(\*[^\s,\[\]{}]+)", re.MULTILINE)


def _first_alias(article: Article) -> tuple[int, int]:
    """Where the first alias (``*name``) is: the place to look at for an alias bomb."""
    text = article.yaml_text
    match = _ALIAS.search(text)
    if match is None:
        return article.first_line, 1
    return _position(text, match.start(1), article.first_line)


def load_plain(article: Article) -> Any:
    """The front matter as plain Python data, for reading only (list, search, validate).

    The same data and the same errors as ``to_plain(load_tree(article))``, many times faster:
    the fast reader (:mod:`newsmeta.fastyaml`) reads what it is sure of, and anything else is
    read the round-trip way, which gives the precise error with its position.
    """
    from newsmeta import fastyaml

    try:
        return fastyaml.load(article.yaml_text)
    except fastyaml.Unsure:
        return to_plain(load_tree(article))


def load_value(text: str) -> Any:
    """Read a value given on the command line as YAML, the way front matter is read.

    The same loader and the same refusals (unknown tags, alias bombs, duplicate keys) as for
    a file; raises :class:`ArticleError` whose line and column are those in ``text``.
    """
    from ruamel.yaml.error import YAMLError

    lines = split_lines(text)
    article = Article("-", b"", False, "\n", b"---\n", b"---\n", lines, b"")
    try:
        try:
            try:
                tree = _yaml().load(text)
            except _Refused as found:
                raise found.error(2) from None
            _expanded_size(tree, {}, set())
        except RecursionError as error:
            raise ArticleError("too-deep", "the value is nested too deeply", 2, 1) from error
        except YAMLError as error:
            raise _yaml_error(error, article) from error
        except ValueError as error:
            raise _value_error(error, article) from error
        except RUAMEL_TRIPS as error:
            raise _tripped(error, "the value", 2) from error
    except ArticleError as error:
        error.line = max(error.line - 1, 1) if error.line else 0
        raise
    return tree


def _too_deep(text: str) -> bool:
    from newsmeta import fastyaml

    return fastyaml.deeper_than(text, MAX_NESTING)


def check_tree(tree: Any, first_line: int) -> None:
    """Refuse a tree that is not a mapping or is an alias bomb (unknown tags are refused while
    the tree is built)."""
    from ruamel.yaml.comments import CommentedMap

    if tree is None:
        return
    if not isinstance(tree, CommentedMap):
        kind = "a list" if isinstance(tree, list) else "a single value"
        raise ArticleError(
            "not-a-mapping", f"front matter must be a mapping of keys, not {kind}", first_line, 1
        )
    _expanded_size(tree, {}, set())


def _node_tag(node: Any) -> str | None:
    tag = getattr(node, "tag", None)
    value = getattr(tag, "value", tag)
    return value if isinstance(value, str) else None


def _is_standard_tag(tag: str) -> bool:
    return tag.startswith(_STANDARD_TAG_PREFIX) and tag[len(_STANDARD_TAG_PREFIX) :] in (
        _STANDARD_TAGS
    )


def _short_tag(tag: str) -> str:
    if tag.startswith(_STANDARD_TAG_PREFIX):
        return "!!" + tag[len(_STANDARD_TAG_PREFIX) :]
    return tag


def lc_position(node: Any, kind: str, key: Any) -> tuple[int, int] | None:
    """Where ruamel saw a mapping value or sequence item (0-based), if it recorded it."""
    lc = getattr(node, "lc", None)
    try:
        line, column = getattr(lc, kind)(key)
    except (KeyError, TypeError, AttributeError, IndexError):
        return None
    return (line, column) if isinstance(line, int) and isinstance(column, int) else None


def _expanded_size(node: Any, sizes: dict[int, int], active: set[int]) -> int:
    if not isinstance(node, (dict, list)):
        return 1
    key = id(node)
    if key in sizes:
        return sizes[key]
    if key in active:
        raise ArticleError("alias-bomb", "front matter holds a recursive alias")
    active.add(key)
    children = [*node.keys(), *node.values()] if isinstance(node, dict) else node
    total = 1 + sum(_expanded_size(child, sizes, active) for child in children)
    active.discard(key)
    if total > MAX_EXPANDED_NODES:
        raise ArticleError(
            "alias-bomb",
            f"aliases expand the front matter to more than {MAX_EXPANDED_NODES:,} values",
        )
    sizes[key] = total
    return total


# -- plain data --------------------------------------------------------------------------------


def to_plain(node: Any) -> Any:
    """Turn a round-trip tree into plain Python values (dict, list, str, int, datetime...)."""
    from ruamel.yaml.comments import TaggedScalar
    from ruamel.yaml.scalarbool import ScalarBoolean

    if isinstance(node, dict):
        return {_plain_key(key): to_plain(value) for key, value in node.items()}
    if isinstance(node, (list, tuple)):
        return [to_plain(item) for item in node]
    if isinstance(node, str):  # the plain types first: most of a tree
        return str(node)
    # ruamel's own containers (CommentedSet, CommentedKeyMap) are abstract sets and mappings,
    # not dicts and sets: plain data is only dicts, lists and sets, for JSON and the cache.
    if isinstance(node, Mapping):
        return {_plain_key(key): to_plain(value) for key, value in node.items()}
    if isinstance(node, AbstractSet):
        return {_plain_key(item) for item in node}
    if isinstance(node, TaggedScalar):
        return str(node.value)
    if isinstance(node, ScalarBoolean):  # an anchored boolean: an int to Python
        return bool(node)
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    if isinstance(node, dt.datetime):
        return dt.datetime(
            node.year,
            node.month,
            node.day,
            node.hour,
            node.minute,
            node.second,
            node.microsecond,
            tzinfo=node.tzinfo,
        )
    return node


def _plain_key(key: Any) -> Any:
    plain = to_plain(key)
    if isinstance(plain, list):
        return tuple(_plain_key(item) for item in plain)
    if isinstance(plain, dict):
        return tuple(sorted((repr(k), repr(v)) for k, v in plain.items()))
    return plain


def same_data(left: Any, right: Any) -> bool:
    """Compare plain values, treating NaN as equal to NaN and bool apart from int."""
    if isinstance(left, dict) and isinstance(right, dict):
        return left.keys() == right.keys() and all(same_data(v, right[k]) for k, v in left.items())
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(map(same_data, left, right))
    if type(left) is not type(right):
        return False
    if isinstance(left, float) and math.isnan(left):
        return math.isnan(right)
    if isinstance(left, dt.datetime):
        return bool(left == right and left.utcoffset() == right.utcoffset())
    equal: bool = left == right
    return equal


# -- rendering ---------------------------------------------------------------------------------


def emit(tree: Any, style: Style) -> list[str]:
    """Render a tree with the file's style, as lines without line endings."""
    if not tree:  # None, or a mapping whose last key was deleted: empty front matter
        return []
    stream = io.StringIO()
    _yaml(style).dump(tree, stream)
    lines = stream.getvalue().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if lines and lines[-1] == "...":
        # The end of document ruamel writes after a |+ block scalar: in front matter the
        # closing line ends the block, and a "..." line would end the front matter itself.
        lines.pop()
    if style.root:
        pad = " " * style.root
        lines = [pad + line if line else line for line in lines]
    return lines


class Document:
    """An article's front matter loaded for editing; ``render`` writes back a minimal diff."""

    def __init__(self, article: Article, data: Any = None, *, loaded: bool = False) -> None:
        self.article = article
        self.data: Any = data if loaded else load_tree(article)
        self.style = detect_style(article.front_matter)
        # The last rendering checked by reading it back, and the tree it read back as.
        self._verified: tuple[bytes, Any] | None = None

    @cached_property
    def _baseline(self) -> list[str]:
        # The original data as ruamel would write it; loaded afresh, since ``data`` may have
        # been edited by now.  Reading only (validate, list) never needs it.
        return emit(load_tree(self.article), self.style)

    def begin_edit(self) -> None:
        """Say that ``data`` is about to change: the baseline is rendered from it now, which
        saves reading the file again when rendering."""
        if "_baseline" not in self.__dict__:
            self.__dict__["_baseline"] = emit(self.data, self.style)

    def plain(self) -> Any:
        return to_plain(self.data)

    def render(self) -> bytes:
        """Return the file's bytes with the current data: the original bytes if unchanged."""
        emitted = emit(self.data, self.style)
        if emitted == self._baseline:
            return self.article.raw
        intended = self.plain()
        for lines in self._candidates(emitted):
            raw = self.article.join(lines)
            tree = read_back(raw, self.article.path, intended, self.article.body)
            if tree is not _UNREADABLE:
                self._verified = (raw, tree)
                return raw
        raise ArticleError(
            "internal-error",
            "the new front matter would not read back as the intended data; nothing written",
        )

    def _candidates(self, emitted: list[str]) -> Iterator[list[str]]:
        """Ways to write the change, best first; the first that reads back as intended wins.

        The minimal diff with blank and comment lines kept in place; the same without that
        (when a kept comment would change a neighbour, as an indented comment that lands under
        a block scalar); the whole rendering, both ways.
        """
        newline = self.article.newline
        settled = splice.settle(self._baseline, emitted)
        renderings = [settled] if settled == emitted else [settled, emitted]
        original = self.article.front_matter
        for reach_back in (0, 1):
            for wanted in renderings:
                yield splice.merge(
                    original, self._baseline, wanted, newline, reach_back=reach_back
                ).lines
        for wanted in renderings:
            yield [line + newline for line in wanted]

    def reread(self, raw: bytes) -> Document:
        """The document ``raw`` (what :meth:`render` returned) holds, as if read from a file;
        the tree render read back is reused rather than read again."""
        article = split_article(raw, self.article.path)
        if self._verified is not None and self._verified[0] == raw:
            return Document(article, self._verified[1], loaded=True)
        return Document(article)

    def save(self, new: bytes | None = None) -> bool:
        """Write the current data back through the safe writer; return whether it wrote.

        ``new`` is what :meth:`render` returned, when the caller already has it.  The written
        file is read back before it replaces the original: bytes identical to a rendering
        already read back as the current data need no second reading.
        """
        if new is None:
            new = self.render()
        snapshot = self.article.snapshot
        if snapshot is None:
            raise WriteError("io-error", "this article was not read from a file")
        intended = self.plain()
        path, body = self.article.path, self.article.body
        verified = self._verified

        def check(written: bytes) -> None:
            if (
                verified is not None
                and written == verified[0]
                and same_data(to_plain(verified[1]) or {}, intended or {})
            ):
                return
            if read_back(written, path, intended, body) is _UNREADABLE:
                raise WriteError("internal-error", "the written file did not read back as intended")

        return write_file(path, new, snapshot, check)


_UNREADABLE = object()


def read_back(raw: bytes, path: str, intended: Any, body: bytes | None = None) -> Any:
    """The tree of article ``raw`` if its front matter reads as ``intended`` (and its body is
    ``body``, when given), else a marker."""
    try:
        article = split_article(raw, path)
        if body is not None and article.body != body:
            return _UNREADABLE
        tree = load_tree(article)
    except ArticleError:
        return _UNREADABLE
    # Empty front matter reads as nothing at all: the same as an empty mapping.
    return tree if same_data(to_plain(tree) or {}, intended or {}) else _UNREADABLE


def data_of(raw: bytes, path: str, intended: Any) -> bool:
    """Tell whether ``raw`` is an article whose front matter reads as ``intended``."""
    return read_back(raw, path, intended) is not _UNREADABLE


def load_document(path: Path | str) -> Document:
    """Read an article file and load its front matter for editing."""
    return Document(read_article(path))
