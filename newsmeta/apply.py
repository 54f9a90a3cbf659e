"""Apply edit operations to an article's round-trip tree, in memory; writing is the caller's.

Every operation works on the round-trip tree, so whatever it does not touch keeps its
comments, quotes and place, and :meth:`Document.render` turns the tree into a minimal diff of
the original bytes.  An operation that cannot apply to one file raises :class:`EditFailure`
for that file only.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    ScalarString,
)

from newsmeta.article import BIDI, lc_position, same_data, to_plain
from newsmeta.operations import Key, KeyPath, Kind, Operation, format_path, key_names
from newsmeta.schema import Schema


class EditFailure(Exception):
    """An operation cannot apply to this article (a type conflict, a missing list).

    ``position`` is the 0-based (line, column) in the front matter text of the key at fault,
    when the file has one.
    """

    def __init__(self, message: str, position: tuple[int, int] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.position = position


# -- what a value looks like in the file -------------------------------------------------------


@functools.lru_cache(maxsize=4096)
def plain_allowed(text: str) -> bool:
    """Whether ``text`` can be written unquoted as a block mapping value or list item."""
    from ruamel.yaml import YAML

    stream = io.StringIO()
    yaml = YAML(typ="rt")
    yaml.width = 1 << 30
    yaml.dump({"k": text}, stream)
    written = stream.getvalue()
    return written == f"k: {text}\n" and not yaml_1_1_scalar(text)


def yaml_1_1_scalar(text: str) -> bool:
    """Whether a YAML 1.1 reader takes ``text``, unquoted, for something else than a string."""
    return _YAML_1_1.match(text) is not None


# Plain scalars a YAML 1.1 reader (PyYAML, Ruby's Psych in Jekyll, many site generators) takes
# for something other than a string, although YAML 1.2 reads them as strings: quoted.
_YAML_1_1 = re.compile(
    r"""(?x)^(?:
      [yY]|[yY]es|YES|[nN]o?|NO|[oO]n|ON|[oO]ff|OFF|[tT]rue|TRUE|[fF]alse|FALSE
    | [-+]?0b[01_]+ | [-+]?0[0-7_]+ | [-+]?0x[0-9a-fA-F_]+ | [-+]?(?:0|[1-9][0-9_]*)
    | [-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?
    | [-+]?(?:[0-9][0-9_]*)?\.[0-9_]*(?:[eE][-+]?[0-9]+)?
    | [-+]?\.(?:inf|Inf|INF) | \.(?:nan|NaN|NAN) | ~ | null | Null | NULL | = | <<
    | [0-9]{4}-[0-9]{1,2}-[0-9]{1,2}
      (?:(?:[Tt]|[\ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?
         (?:[\ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)?
    )$"""
)


# What YAML cannot hold as a character (C0 controls but tab and line breaks, DEL and C1 but NEL,
# U+FFFE and U+FFFF): only double quotes can carry it, escaped.
_NOT_PRINTABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)


def styled_string(text: str, like: Any = None) -> Any:
    """``text`` in the quoting of ``like`` (the value it replaces or a sibling), when that is a
    quoted or block string; otherwise plain when YAML allows it, double-quoted when not."""
    if _NOT_PRINTABLE.search(text) or BIDI.search(text):
        return DoubleQuotedScalarString(text)
    if isinstance(like, ScalarString) and type(like) is not str:
        return type(like)(text)
    if text and plain_allowed(text):
        return text
    return DoubleQuotedScalarString(text)


def _fresh(value: Any, like: Any = None) -> Any:
    """A copy of an operation's value for one tree: block collections, strings styled like
    ``like`` (the value replaced, or a sibling), key by key and item by item."""
    if isinstance(value, dict):
        mapping = CommentedMap()
        for key, item in value.items():
            model = like.get(key) if isinstance(like, dict) else None
            mapping[str(key) if isinstance(key, ScalarString) else key] = _fresh(item, model)
        return mapping
    if isinstance(value, list):
        items = [_fresh(item, _model_item(like, item)) for item in value]
        return CommentedSeq(items)
    if isinstance(value, str):
        return styled_string(str(value), like)
    # Numbers, booleans and dates are immutable and carry how they were written: shared as
    # they are (ruamel's deepcopy of a TimeStamp would even lose its time zone).
    return value


def _model_item(sequence: Any, item: Any) -> Any:
    """The last item of ``sequence`` of the same kind as ``item``: the style for a new one."""
    if not isinstance(sequence, list):
        return None
    kind = dict if isinstance(item, dict) else list if isinstance(item, list) else str
    return next((old for old in reversed(sequence) if isinstance(old, kind)), None)


def _flow(node: Any) -> bool:
    fa = getattr(node, "fa", None)
    return bool(fa is not None and fa.flow_style())


def _replacement(old: Any, value: Any) -> Any:
    """The node that replaces ``old`` with ``value``: in ``old``'s style where it has one, with
    the comment lines above its first entry (ruamel keeps them on the collection)."""
    new = _fresh(value, like=old)
    if isinstance(new, (CommentedMap, CommentedSeq)) and _flow(old) and new:
        new.fa.set_flow_style()
    if type(new) is type(old) and isinstance(new, (CommentedMap, CommentedSeq)) and new:
        new.ca.comment = old.ca.comment
    return new


def _comment_above_value(mapping: Any, key: Any) -> None:
    """Forget the comment lines between ``key:`` and the first entry of its block value, once
    that value is gone or no longer a block (ruamel would write them in the way)."""
    entry = getattr(getattr(mapping, "ca", None), "items", {}).get(key)
    if entry is not None and len(entry) > 3:
        entry[3] = None


# -- finding the place -------------------------------------------------------------------------


def _position(container: Any, key: Key) -> tuple[int, int] | None:
    return lc_position(container, "key" if isinstance(container, dict) else "item", key)


def _kind_of(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return "a boolean"
    if value is None:
        return "null"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, dt.date):
        return "a date"
    return "a string"


def _own_keys(mapping: Any) -> list[Any]:
    """The mapping's own keys in order (not those a ``<<`` merge brings in)."""
    if isinstance(mapping, CommentedMap):
        return [key for key, _value in mapping.non_merged_items()]
    return list(mapping)


def _insert_at(mapping: Any, name: str, order: tuple[str, ...]) -> int:
    """Where a new key goes: after the last key the schema puts before it, else before the
    first key the schema puts after it; at the end if the schema does not know it."""
    keys = _own_keys(mapping)
    if name not in order:
        return len(keys)
    rank = order.index(name)
    ranks = [order.index(key) if key in order else None for key in keys]
    before = [i for i, r in enumerate(ranks) if r is not None and r < rank]
    if before:
        return before[-1] + 1
    after = [i for i, r in enumerate(ranks) if r is not None and r > rank]
    return after[0] if after else len(keys)


class _Tree:
    """One article's tree while operations apply to it."""

    def __init__(self, root: Any, schema: Schema) -> None:
        self.root = root if root is not None else CommentedMap()
        self.schema = schema
        self.changed = False  # whether any operation changed the tree
        self.shared = shared_collections(self.root)  # collections that an alias also stands for

    def add_key(self, mapping: Any, path: KeyPath, value: Any) -> None:
        """Put a new key (the last of ``path``) into ``mapping`` where the schema says."""
        name = path[-1]
        assert isinstance(name, str)
        self.changed = True
        order = self.schema.key_order(key_names(path[:-1]))
        position = _insert_at(mapping, name, order)
        if isinstance(mapping, CommentedMap):
            mapping.insert(position, name, value)
        else:
            mapping[name] = value

    def locate(self, path: KeyPath, *, create: bool) -> Any:
        """The container that holds the last key of ``path``; None if a step is missing and
        ``create`` is false.  With ``create``, missing mappings on the way are added."""
        node = self.root
        for depth in range(len(path) - 1):
            node = self._step(node, path, depth, create=create)
            if node is None:
                return None
            self._refuse_shared(node, path, depth + 1)
        self._check_container(node, path, len(path) - 1)
        return node

    def _refuse_shared(self, node: Any, path: KeyPath, depth: int) -> None:
        """Refuse to edit inside a collection that an alias (``*name``) also stands for, or a
        mapping that takes keys from a ``<<`` merge: the change would show elsewhere."""
        where = format_path(path[:depth])
        if id(node) in self.shared:
            raise EditFailure(
                f"{format_path(path)}: {where} is anchored and repeated elsewhere through an "
                "alias; newsmeta does not edit through YAML anchors and aliases",
                self._where(path[:depth]),
            )
        if getattr(node, "merge", None):
            raise EditFailure(
                f"{format_path(path)}: {where} takes keys from a '<<' merge; newsmeta does not "
                "edit mappings with merge keys",
                self._where(path[:depth]),
            )

    def _step(self, node: Any, path: KeyPath, depth: int, *, create: bool) -> Any:
        key = path[depth]
        self._check_container(node, path, depth)
        if isinstance(key, int):
            if not -len(node) <= key < len(node):
                if create:
                    raise self._no_item(path[: depth + 1], len(node))
                return None
            if node[key] is not None or not create:
                return node[key]
        elif key in node and node[key] is not None:
            return node[key]
        if not create:
            return None  # missing, or null: nothing is there
        if isinstance(path[depth + 1], int):
            raise EditFailure(
                f"{format_path(path)}: there is no list {format_path(path[: depth + 1])} "
                "(--set and --add create missing mappings on the way, not lists)",
                self._where(path[:depth]),
            )
        child = CommentedMap()
        if isinstance(key, int) or key in node:  # a null value or item becomes the mapping
            node[key] = child
            self.changed = True
        else:
            self.add_key(node, path[: depth + 1], child)
        return child

    def _check_container(self, node: Any, path: KeyPath, depth: int) -> None:
        """Refuse to step into ``node`` with ``path[depth]`` if it is the wrong kind of node."""
        key = path[depth]
        wanted = (list, "a list") if isinstance(key, int) else (dict, "a mapping")
        if not isinstance(node, wanted[0]):
            holder = format_path(path[:depth]) or "the front matter"
            raise EditFailure(
                f"{format_path(path)}: {holder} is {_kind_of(node)}, not {wanted[1]}",
                self._where(path[:depth]),
            )

    def _forget_comment_above(self, path: KeyPath) -> None:
        """The list at ``path`` was emptied: the comment above its first item goes too."""
        if path and isinstance(path[-1], str):
            holder = self.locate(path, create=False)
            if holder is not None:
                _comment_above_value(holder, path[-1])

    def _no_item(self, path: KeyPath, count: int) -> EditFailure:
        items = f"{count} item{'' if count == 1 else 's'}"
        return EditFailure(
            f"{format_path(path)}: no such item ({format_path(path[:-1])} has {items})",
            self._where(path[:-1]),
        )

    def _where(self, path: KeyPath) -> tuple[int, int] | None:
        """The position of the key or item at ``path``, if the file has it."""
        if not path:
            return None
        node = self.root
        for key in path[:-1]:
            try:
                node = node[key]
            except (KeyError, IndexError, TypeError):
                return None
        return _position(node, path[-1])

    # -- the operations --------------------------------------------------------------------

    def set(self, path: KeyPath, value: Any) -> None:
        container = self.locate(path, create=True)
        key = path[-1]
        if isinstance(key, int):
            if not -len(container) <= key < len(container):
                raise self._no_item(path, len(container))
        elif key not in container:
            self.add_key(container, path, _fresh(value, self._sibling(container, path)))
            return
        old = container[key]
        self._refuse_shared(old, path, len(path))
        if isinstance(value, dt.datetime) and isinstance(old, str) and self._is_date(path):
            value = self._date_as_text(old, value)
        if same_data(to_plain(old), to_plain(value)):
            return  # already so: the file keeps its spelling
        new = _replacement(old, value)
        if isinstance(old, (dict, list)) and not (isinstance(new, type(old)) and new):
            _comment_above_value(container, key)
        container[key] = new
        self.changed = True

    def _is_date(self, path: KeyPath) -> bool:
        field = self.schema.field_at(key_names(path))
        return field is not None and field.type == "datetime"

    @staticmethod
    def _date_as_text(old: str, value: dt.datetime) -> Any:
        """A date for a key whose date was written as a quoted string: the same string if it is
        the same instant, else the new date as ISO 8601 text in the same quotes."""
        from newsmeta.operations import format_instant
        from newsmeta.query import as_instant

        if not isinstance(old, ScalarString):
            return value  # plain text that is not a date: a real date replaces it
        instant = as_instant(str(old))
        if instant is not None and instant == value and instant.utcoffset() == value.utcoffset():
            return old
        return format_instant(value)

    def _sibling(self, mapping: Any, path: KeyPath) -> Any:
        """The value of the key of ``mapping`` nearest to where the new key at ``path`` goes
        that is declared with the same type: a new URL is quoted like the URLs next to it."""
        names = key_names(path[:-1])
        field = self.schema.field_at((*names, str(path[-1])))
        if field is None or not isinstance(mapping, dict):
            return None
        keys = _own_keys(mapping)
        position = _insert_at(mapping, str(path[-1]), self.schema.key_order(names))
        for key in [*reversed(keys[:position]), *keys[position:]]:
            other = self.schema.field_at((*names, str(key)))
            if other is not None and (other.type, other.text) == (field.type, field.text):
                return mapping[key]
        return None

    def unset(self, path: KeyPath) -> None:
        container = self.locate(path, create=False)
        key = path[-1]
        if container is None:
            return
        if isinstance(key, int):
            if -len(container) <= key < len(container):
                self._refuse_shared(container[key], path, len(path))
                _delete_item(container, key % len(container))
                self.changed = True
                if not container:
                    self._forget_comment_above(path[:-1])
        elif key in container:
            self._refuse_shared(container[key], path, len(path))
            del container[key]
            self.changed = True

    def add(self, path: KeyPath, value: Any) -> None:
        container = self.locate(path, create=True)
        key = path[-1]
        items = value if isinstance(value, list) else [value]
        if isinstance(key, str) and container.get(key) is None:
            if key in container:  # null: the list takes its place
                container[key] = _fresh(_unique(items))
                self.changed = True
            else:
                self.add_key(container, path, _fresh(_unique(items)))
            return
        target = self._list_at(container, path)
        if not target and _flow(target):
            target.fa.set_block_style()
        for item in items:
            if not any(same_data(to_plain(old), to_plain(item)) for old in target):
                target.append(_fresh(item, like=_model_item(target, item)))
                self.changed = True

    def remove(self, path: KeyPath, value: Any) -> None:
        container = self.locate(path, create=False)
        key = path[-1]
        if container is None or (isinstance(key, str) and key not in container):
            raise EditFailure(f"{format_path(path)}: no such list to remove from")
        if isinstance(key, str) and container[key] is None:
            return  # null: an empty list, with nothing to remove
        target = self._list_at(container, path)
        items = value if isinstance(value, list) else [value]
        plain = [to_plain(item) for item in items]
        for index in reversed(range(len(target))):
            if any(same_data(to_plain(target[index]), wanted) for wanted in plain):
                _delete_item(target, index)
                self.changed = True
        if not target:
            _comment_above_value(container, key)

    def rename(self, path: KeyPath, new: str) -> None:
        container = self.locate(path, create=False)
        old = path[-1]
        if container is None or old not in container:
            return
        if new == old:
            return
        if new in container:
            raise EditFailure(
                f"cannot rename {format_path(path)} to {new}: {new} already exists",
                _position(container, new),
            )
        position = _own_keys(container).index(old)
        value = container[old]
        comment = container.ca.items.pop(old, None) if isinstance(container, CommentedMap) else None
        del container[old]
        self.changed = True
        key = type(old)(new) if isinstance(old, ScalarString) else new
        if isinstance(container, CommentedMap):
            container.insert(position, key, value)
            if comment is not None:
                container.ca.items[key] = comment
        else:
            container[key] = value

    def _list_at(self, container: Any, path: KeyPath) -> Any:
        key = path[-1]
        if isinstance(key, int) and not -len(container) <= key < len(container):
            raise self._no_item(path, len(container))
        target = container[key]
        self._refuse_shared(target, path, len(path))
        if not isinstance(target, list):
            raise EditFailure(
                f"{format_path(path)} is {_kind_of(target)}, not a list", self._where(path)
            )
        return target


def shared_collections(root: Any) -> set[int]:
    """The ids of the collections that stand in the tree more than once (anchor and alias)."""
    seen: set[int] = set()
    shared: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if not isinstance(node, (dict, list)):
            continue
        if id(node) in seen:
            shared.add(id(node))
            continue
        seen.add(id(node))
        if isinstance(node, dict):
            stack.extend(node[key] for key in _own_keys(node))
            # A '<<' merge refers to its mappings too (older ruamel: (position, mapping) pairs).
            for merged in getattr(node, "merge", None) or ():
                stack.append(merged[1] if isinstance(merged, tuple) else merged)
        else:
            stack.extend(node)
    return shared


def _unique(items: list[Any]) -> list[Any]:
    kept: list[Any] = []
    for item in items:
        if not any(same_data(to_plain(k), to_plain(item)) for k in kept):
            kept.append(item)
    return kept


def _delete_item(sequence: Any, index: int) -> None:
    from newsmeta.fix import keep_comments

    keep_comments(sequence, index)
    del sequence[index]


def apply_operations(
    root: Any, operations: tuple[Operation, ...], schema: Schema
) -> tuple[Any, bool]:
    """Apply ``operations`` in order to the tree ``root`` (changed in place); return the root
    (a new mapping if the front matter was empty) and whether anything changed.

    Raises :class:`EditFailure`."""
    tree = _Tree(root, schema)
    for operation in operations:
        path = operation.path
        if operation.kind in (Kind.SET, Kind.SET_STR):
            tree.set(path, operation.value)
        elif operation.kind is Kind.UNSET:
            tree.unset(path)
        elif operation.kind is Kind.ADD:
            tree.add(path, operation.value)
        elif operation.kind is Kind.REMOVE:
            tree.remove(path, operation.value)
        else:
            tree.rename(path, operation.value)
    return tree.root, tree.changed
