"""The Python API: load an article, change its front matter, save it with a minimal diff.

``load(path)`` gives an :class:`Article` whose ``data`` is the front matter as ruamel's
round-trip mapping: change it in place, then ``save()``.  Saving goes through the machinery of
``newsmeta edit``: :meth:`newsmeta.article.Document.render` replays only the lines the change
touched onto the original text and checks that they read back as the data,
:mod:`newsmeta.writer` replaces the file atomically (and refuses if it changed on disk since it
was read), and a rendering equal to the file's bytes writes nothing.

Values the caller puts into ``data`` are written the way ``newsmeta edit --set`` writes them
(:func:`newsmeta.apply.styled_string`): a new string in the quoting of the value it replaces,
or plain when YAML (1.1 as well as 1.2) reads it back as that string, double-quoted otherwise;
a value equal to the one it replaces keeps the file's spelling; a date and time as ISO 8601.
docs/python-api.md documents it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from collections.abc import MutableMapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import ScalarString

from newsmeta.apply import (
    _comment_above_value,
    _fresh,
    _model_item,
    _replacement,
    _Tree,
    styled_string,
)
from newsmeta.article import (
    Document,
    load_tree,
    load_value,
    read_article,
    same_data,
    split_article,
    to_plain,
)
from newsmeta.errors import ArticleError, WriteError
from newsmeta.operations import KeyPath, format_instant, format_path
from newsmeta.schema import Schema
from newsmeta.writer import Snapshot, read_snapshot

if TYPE_CHECKING:
    from newsmeta.report import Problem

__all__ = ["Article", "ArticleError", "WriteError", "load", "loads"]

# The types a caller may put into ``data`` (besides ruamel's own, which loading gives).
_PLAIN_SCALARS = (str, bool, int, float, dt.date, type(None))
_MISSING: Any = object()


def load(path: str | os.PathLike[str]) -> Article:
    """Read an article file and load its front matter.

    Raises :class:`FileNotFoundError` if there is no such file, and :class:`ArticleError`
    (with ``code``, ``line`` and ``column``) if the file cannot be read, has no YAML front
    matter, or its front matter is not valid YAML.
    """
    where = Path(os.fspath(path))
    os.stat(where)  # a missing file is FileNotFoundError, as Python users expect
    return Article(Document(read_article(where)), where)


def loads(content: str | bytes, name: str = "-") -> Article:
    """Load an article from its text or bytes; ``name`` stands for it in validation problems.

    Such an article has no file: :meth:`Article.dumps` gives its bytes, :meth:`Article.save`
    refuses.
    """
    raw = content.encode("utf-8") if isinstance(content, str) else bytes(content)
    return Article(Document(split_article(raw, name)), None)


class Article:
    """An article's front matter, to read and change in place, and its body."""

    def __init__(self, document: Document, path: Path | None) -> None:
        self._path = path
        self._document = document
        if document.data is None:  # empty or comment-only front matter: an empty mapping
            document.data = CommentedMap()
        self._data: Any = document.data
        self._seen = _Seen(self._data)

    def __repr__(self) -> str:
        where = str(self._path) if self._path is not None else self._document.article.path
        return f"<newsmeta.Article {where!r}: {len(self._data)} keys>"

    @property
    def path(self) -> Path | None:
        """The file the article was loaded from; None for :func:`loads`."""
        return self._path

    @property
    def data(self) -> MutableMapping[Any, Any]:
        """The front matter, to change in place: a ruamel ``CommentedMap`` (a ``dict``).

        Values read as ``str``, ``int``, ``float``, ``bool``, ``None``, ``datetime`` (dates
        and times), ``date``, and nested mappings and lists: ruamel's subclasses of those,
        which carry how the file spells them.
        """
        data: MutableMapping[Any, Any] = self._data
        return data

    @property
    def body(self) -> str:
        """The text after the closing ``---`` line, as UTF-8 (invalid bytes read as U+FFFD)."""
        return self._document.article.body.decode("utf-8", errors="replace")

    @property
    def body_bytes(self) -> bytes:
        """The exact bytes after the closing ``---`` line."""
        return self._document.article.body

    def to_dict(self) -> dict[Any, Any]:
        """The front matter as it is now, as plain Python data (a copy)."""
        plain = to_plain(self._data)
        return plain if isinstance(plain, dict) else {}

    def dumps(self) -> bytes:
        """The article's bytes with the current data: the original bytes if nothing changed.

        Raises :class:`TypeError` or :class:`ValueError` for a value YAML in UTF-8 cannot hold,
        :class:`ArticleError` (``internal-error``) if no rendering reads back as the data.
        """
        original = load_tree(self._document.article)
        _Styler(self._data, original, self._seen).restyle()
        return self._document.render()

    def save(self) -> bool:
        """Write the current data back to the file; return whether it wrote.

        Nothing is written when the bytes would not change.  Otherwise the write is atomic,
        keeps the file's mode, and is checked by reading the file back before it replaces the
        original.  Raises :class:`WriteError` when the file cannot be written safely (``code``
        ``changed-on-disk``, ``read-only``, ``io-error``; the file is left as it was), and
        what :meth:`dumps` raises.
        """
        new = self.dumps()
        path = self._document.article.path
        wrote = self._document.save(new)
        if wrote:
            self._rebase(path, new)
        return wrote

    def _rebase(self, path: str, new: bytes) -> None:
        """After a write: the file as written is what the next save diffs against."""
        try:
            snapshot = read_snapshot(path)
        except OSError:  # gone already: a snapshot no file matches, so the next save refuses
            snapshot = Snapshot(-1, -1, -1, -1, new)
        if snapshot.content != new:
            # Changed again since our write: keep our bytes, so that the next save refuses.
            snapshot = dataclasses.replace(snapshot, content=new)
        article = split_article(new, path, snapshot)
        document = Document(article, self._data, loaded=True)
        # The baseline is the data as written, so a save with no further change is a no-op.
        document.begin_edit()
        self._document = document
        self._seen = _Seen(self._data)

    def validate(self, config: str | os.PathLike[str] | None = None) -> list[Problem]:
        """The validation problems of the front matter as it is now (as ``dumps`` would write
        it), with lines and columns in that text.

        The rules and settings are the defaults, or those of the configuration file
        ``config`` (a ``newsmeta.toml``, or a ``pyproject.toml`` with ``[tool.newsmeta]``).
        The check across files (the same ``webUrl`` twice) is not made.
        """
        from newsmeta.config import Config, load_config
        from newsmeta.validate import build_checker

        settings = load_config(Path(os.fspath(config))) if config is not None else Config()
        checker = build_checker(settings)
        document = self._document
        new = self.dumps()
        if new != document.article.raw:
            document = document.reread(new)
        problems, _use = checker.check(
            document.article.path, document.data, document.article.first_line
        )
        return problems


class _Seen:
    """The nodes of a tree as loaded or last written: those keep their spelling wherever they
    are.  The nodes are held, so their ids cannot be reused by new values."""

    def __init__(self, root: Any) -> None:
        self._held: list[Any] = []
        stack = [root]
        while stack:
            node = stack.pop()
            self._held.append(node)
            if isinstance(node, dict):
                stack.extend(node.values())
            elif isinstance(node, list):
                stack.extend(node)
        self._ids = {id(node) for node in self._held}

    def __contains__(self, node: Any) -> bool:
        return id(node) in self._ids


def _native(value: Any) -> bool:
    """Whether ``value`` is one of ruamel's types (as loading made it, or the caller did)."""
    return type(value).__module__.startswith("ruamel.")


def _check_scalar(value: Any, path: KeyPath, what: str) -> None:
    if not isinstance(value, _PLAIN_SCALARS) and not _native(value):
        where = format_path(path) or "the front matter"
        raise TypeError(
            f"{where}: {what} of type {type(value).__name__} cannot be written as YAML "
            "(use str, int, float, bool, None, datetime, date, dict or list)"
        )
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as error:
            where = format_path(path) or "the front matter"
            raise ValueError(
                f"{where}: {what} holds a character UTF-8 cannot store (a lone surrogate)"
            ) from error


def _check_new(value: Any, path: KeyPath) -> None:
    """Refuse a value the caller put in that YAML in UTF-8 cannot hold, naming its place."""
    if isinstance(value, dict):
        for key, item in value.items():
            _check_scalar(key, (*path, str(key)), "a key")
            _check_new(item, (*path, str(key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check_new(item, (*path, index))
    else:
        _check_scalar(value, path, "a value")


class _Styler:
    """Give the values the caller put into the tree the spelling ``newsmeta edit`` would.

    A node loaded from the file (``seen``) is left as it is, wherever it now stands; a new one
    is compared with the value at the same place in the ``original`` tree (a fresh load of the
    file): equal, the original takes its place; different, it is styled like it.
    """

    def __init__(self, root: Any, original: Any, seen: _Seen) -> None:
        self.root = root
        self.original = original if isinstance(original, dict) else CommentedMap()
        self.seen = seen
        self.tree = _Tree(root, Schema())  # for the schema-driven choices of edit

    def restyle(self) -> None:
        self._mapping(self.root, self.original, ())

    def _mapping(self, node: Any, original: Any, path: KeyPath) -> None:
        items = node.non_merged_items() if isinstance(node, CommentedMap) else node.items()
        for key, value in list(items):
            _check_scalar(key, (*path, str(key)), "a key")
            old = original.get(key, _MISSING) if isinstance(original, dict) else _MISSING
            new = self._value(value, old, (*path, key), node, original)
            if new is not value:
                node[key] = new

    def _sequence(self, node: Any, original: Any, path: KeyPath) -> None:
        for index, value in enumerate(list(node)):
            old = (
                original[index]
                if isinstance(original, list) and index < len(original)
                else _MISSING
            )
            new = self._value(value, old, (*path, index), node, original)
            if new is not value:
                node[index] = new

    def _value(self, value: Any, old: Any, path: KeyPath, holder: Any, original: Any) -> Any:
        """What stands at ``path`` (in ``holder``, whose counterpart in the original tree is
        ``original``) once styled: ``value`` itself, or a node in its place."""
        if isinstance(value, (CommentedMap, CommentedSeq)):
            child = old if old is not _MISSING else None
            if isinstance(value, CommentedMap):
                self._mapping(value, child, path)
            else:
                self._sequence(value, child, path)
            if not value and isinstance(holder, dict):
                # Emptied: the comment lines above its first entry would stand in the way.
                _comment_above_value(holder, path[-1])
            return value
        if isinstance(value, str) and self._from_file(value, old, original):
            return value
        _check_new(value, path)
        if isinstance(value, ScalarString):
            # The caller's choice of quoting, or ruamel's: a CommentedMap gives a new string
            # the class of the one it replaces.  Double quotes only where nothing else can
            # hold the text.
            styled = styled_string(str(value), value)
            return styled if type(styled) is not type(value) else value
        if _native(value):  # a number, date or boolean as the file spells it
            return value
        if old is not _MISSING and same_data(to_plain(old), to_plain(value)):
            # Already so: the file keeps its spelling (quotes, 0x1b, 2020-06-11 16:42:00 Z).
            return old if type(old) is not type(value) else value
        if type(value) is dt.datetime:
            return self._instant(value, old, path)
        if isinstance(value, (dict, list)):
            return self._collection(value, old, path, holder)
        if isinstance(value, str):
            like = old if old is not _MISSING else self._model(value, path, holder)
            return styled_string(value, like)
        return value

    def _from_file(self, value: str, old: Any, original: Any) -> bool:
        """Whether ``value`` is a string as the file has it: one loaded from the file, wherever
        it stands now.  Python shares some strings (those of one character), which may then
        be the caller's: such a string must also be the original at its place, or in the
        original list (whose items may have moved)."""
        if value not in self.seen:
            return False
        if len(value) > 1 or isinstance(value, ScalarString):
            return True
        if isinstance(original, list):
            return any(type(item) is str and item == value for item in original)
        return old is not _MISSING and type(old) is str and old == value

    def _collection(self, value: Any, old: Any, path: KeyPath, holder: Any) -> Any:
        if old is _MISSING:
            return _fresh(value, self._model(value, path, holder))
        new = _replacement(old, value)
        gone = isinstance(old, (dict, list)) and not (isinstance(new, type(old)) and new)
        if gone and isinstance(path[-1], str):
            # The comment lines above the old block's first entry would stand in the way.
            _comment_above_value(holder, path[-1])
        return new

    def _instant(self, value: dt.datetime, old: Any, path: KeyPath) -> Any:
        """A date and time as ``edit --set`` writes it: ISO 8601 (``2020-06-11T16:42:00Z``),
        or ISO 8601 text in the quotes of a declared date written as a quoted string."""
        if isinstance(old, str) and self.tree._is_date(path):
            text = self.tree._date_as_text(old, value)
            if isinstance(text, str):
                return text if text is old else styled_string(text, old)
        return load_value(format_instant(value))

    def _model(self, value: Any, path: KeyPath, holder: Any) -> Any:
        """The value whose style a new one takes: for a new key, the nearest key the schema
        declares with the same type; for a new item, the last item of the same kind before it."""
        key = path[-1]
        if isinstance(holder, dict):
            others = {k: v for k, v in holder.items() if k != key}
            return self.tree._sibling(others, path) if isinstance(key, str) else None
        assert isinstance(key, int)
        return _model_item(list(holder[:key]), value)
