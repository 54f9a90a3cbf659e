"""What every rule gets (a :class:`Context`) and gives back (:class:`Finding` values)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from newsmeta.fix import Edit, TreePath, format_path
from newsmeta.schema import Field, FieldType, Schema


@dataclass(frozen=True)
class Options:
    """Settings rules read besides the schema."""

    future_tolerance: dt.timedelta = dt.timedelta(days=1)
    now: dt.datetime | None = None  # None: the time of the check

    def current_time(self) -> dt.datetime:
        return self.now or dt.datetime.now(dt.timezone.utc)


@dataclass(frozen=True)
class Finding:
    """One problem a rule saw, before the engine adds the path, rule id and severity."""

    line: int
    column: int
    message: str
    fix: tuple[Edit, ...] = ()


@dataclass(slots=True, eq=False)  # not frozen: a frozen dataclass is slow to build
class Node:
    """A value in the front matter, with the declared field it belongs to (if any)."""

    path: TreePath
    field: Field | None  # None: a key the schema does not declare
    expected: FieldType  # the type this value should have ("any" when undeclared)
    value: Any
    line: int
    column: int
    key_line: int  # where the key is (for a list item: where the item is)
    key_column: int

    @property
    def name(self) -> str:
        return format_path(self.path)

    def text_of(self, expected: FieldType) -> str | None:
        """The string value of an ``expected``-typed field that is worth checking.

        None for another type, a value that is not a string (wrong-type's), or a blank value
        of a required field (required-field's).
        """
        if self.expected != expected or not isinstance(self.value, str):
            return None
        if self.field is not None and self.field.required and not self.value.strip():
            return None
        return self.value

    def finding(self, message: str, fix: tuple[Edit, ...] = ()) -> Finding:
        return Finding(self.line, self.column, message, fix)


@dataclass(slots=True, eq=False)
class MappingNode:
    """A mapping whose keys the schema declares: the root, provider, each image, ..."""

    path: TreePath
    field: Field
    value: Any
    line: int
    column: int

    def child(self, key: str) -> Any:
        return self.value.get(key)

    def finding(self, message: str, fix: tuple[Edit, ...] = ()) -> Finding:
        return Finding(self.line, self.column, message, fix)


@dataclass
class Context:
    """One article's front matter as the rules see it."""

    path: str
    data: Any
    schema: Schema
    options: Options = field(default_factory=Options)
    first_line: int = 2
    # False for plain data (the fast reader's): positions are unknown, findings carry the
    # place of the nearest known mapping, and the caller locates them again if it must.
    located: bool = True

    @cached_property
    def _walked(self) -> _Walk:
        walk = _Walk(self.first_line, self.located)
        walk.mapping(self.data, self.schema.root, (), (self.first_line, 1))
        return walk

    @property
    def nodes(self) -> list[Node]:
        """Every value under a declared mapping (list items included), in file order."""
        return self._walked.nodes

    @property
    def mappings(self) -> list[MappingNode]:
        """Every mapping with declared keys, the root first."""
        return self._walked.mappings

    def node_at(self, path: TreePath) -> Node | None:
        """The value at ``path``, if the walk reached it."""
        return self._walked.by_path.get(path)

    def node(self, path: TreePath) -> Node:
        """The value at ``path``, which the caller knows is there (a key of a walked mapping)."""
        return self._walked.by_path[path]

    def items_of(self, key: str) -> Iterator[Node]:
        """The items of the top-level list ``key`` (``topics``), each with its place."""
        return iter(self._walked.top_items.get(key, ()))

    def values(self, predicate: Callable[[Node], bool]) -> Iterator[Node]:
        """The nodes ``predicate`` accepts (several rules ask for the same: asked once)."""
        chosen = self._chosen.get(predicate)
        if chosen is None:
            chosen = self._chosen[predicate] = [node for node in self.nodes if predicate(node)]
        return iter(chosen)

    @cached_property
    def _chosen(self) -> dict[Callable[[Node], bool], list[Node]]:
        return {}


def key_text(key: Any) -> str:
    """A mapping key that is not a string, as the rules name it: ``1``, ``true``, ``null``."""
    if key is None:
        return "null"
    if isinstance(key, bool):
        return str(key).lower()
    if isinstance(key, (int, float, dt.date)):
        return key.isoformat() if isinstance(key, dt.date) else str(key)
    return "<complex key>"


def plain_scalar(value: Any) -> Any:
    """A value with an explicit standard string tag (``!!str 2020``) as the string it is, and
    an anchored boolean (``&p true``, an int to ruamel) as the boolean it is."""
    # ruamel's classes are checked by name: plain data never needs ruamel loaded.
    name = type(value).__name__
    if name == "TaggedScalar" and str(value.tag.value) == "tag:yaml.org,2002:str":
        return str(value.value)
    if name == "ScalarBoolean":
        return bool(value)
    return value


class _Walk:
    """Collects the nodes and mappings of a front matter, following the declared fields."""

    def __init__(self, first_line: int, located: bool = True) -> None:
        self.first_line = first_line
        self.located = located
        self.nodes: list[Node] = []
        self.mappings: list[MappingNode] = []
        self.by_path: dict[TreePath, Node] = {}
        self.top_items: dict[str, list[Node]] = {}  # the items of each top-level list

    def _position(
        self, node: Any, kind: str, key: Any, default: tuple[int, int]
    ) -> tuple[int, int]:
        if not self.located:
            return default
        try:
            line, column = getattr(node.lc, kind)(key)
        except (AttributeError, KeyError, IndexError, TypeError):
            return default
        return self.first_line + int(line), int(column) + 1

    def _add(self, node: Node) -> None:
        self.nodes.append(node)
        self.by_path[node.path] = node

    def mapping(self, value: Any, declared: Field, path: TreePath, where: tuple[int, int]) -> None:
        self.mappings.append(MappingNode(path, declared, value, *where))
        for raw_key, raw_value in value.items():
            key = raw_key if isinstance(raw_key, str) else key_text(raw_key)
            child = declared.child(raw_key) if isinstance(raw_key, str) else None
            child_value = plain_scalar(raw_value)
            key_at = self._position(value, "key", raw_key, where)
            value_at = self._position(value, "value", raw_key, key_at)
            if child_value is None and value_at[0] != key_at[0]:
                value_at = key_at  # ruamel places a missing value (``key:``) at the next token
            expected: FieldType = child.type if child is not None else "any"
            self._add(Node((*path, key), child, expected, child_value, *value_at, *key_at))
            if child is None:
                continue
            if child.type == "mapping" and isinstance(child_value, dict) and child.fields:
                self.mapping(child_value, child, (*path, key), key_at)
            elif child.type == "list" and isinstance(child_value, list):
                self.items(child_value, child, (*path, key), value_at)

    def items(self, value: Any, declared: Field, path: TreePath, where: tuple[int, int]) -> None:
        expected: FieldType = declared.items or "any"
        for index, raw_item in enumerate(value):
            item = plain_scalar(raw_item)
            at = self._position(value, "item", index, where)
            node = Node((*path, index), declared, expected, item, *at, *at)
            self._add(node)
            if len(path) == 1:
                self.top_items.setdefault(str(path[0]), []).append(node)
            if expected == "mapping" and isinstance(item, dict):
                self.mapping(item, declared, (*path, index), at)
