"""Fixes as values: small edits of the round-trip tree that a rule proposes and --fix applies."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Union

Key = Union[str, int]  # noqa: UP007 - a runtime alias, kept valid on Python 3.10
TreePath = tuple[Key, ...]


@dataclass(frozen=True)
class Replace:
    """Put ``value`` at ``path``, keeping the old scalar's quoting style."""

    path: TreePath
    value: str


@dataclass(frozen=True)
class Delete:
    """Remove the list item at ``path``."""

    path: TreePath


Edit = Union[Replace, Delete]  # noqa: UP007


def format_path(path: TreePath) -> str:
    """``related[0].images[0].url`` for ``("related", 0, "images", 0, "url")``."""
    text = ""
    for key in path:
        if isinstance(key, int):
            text += f"[{key}]"
        else:
            name = key if key and key.strip() == key else repr(key)
            text += f".{name}" if text else name
    return text


def _container(tree: Any, path: TreePath) -> Any:
    node = tree
    for key in path[:-1]:
        node = node[key]
    return node


def _apply_replace(tree: Any, edit: Replace) -> None:
    from ruamel.yaml.scalarstring import ScalarString

    container = _container(tree, edit.path)
    key = edit.path[-1]
    old = container[key]
    # The same scalar class keeps the file's quoting: "..." stays double-quoted.
    container[key] = type(old)(edit.value) if isinstance(old, ScalarString) else edit.value


def keep_comments(sequence: Any, index: int) -> None:
    """Hand the comment lines after item ``index`` to the item before it, which survives.

    ruamel keeps a comment that follows an item with that item, and would drop it with it.
    """
    comments = getattr(getattr(sequence, "ca", None), "items", None)
    if not comments or index not in comments or index == 0:
        return
    moved = comments.pop(index)
    token = moved[0]
    if token is None:
        return
    # The token is the deleted line's own end-of-line comment (maybe empty) and its line
    # break, then the lines after it: the comment goes with the line, the lines stay.
    lines_after = token.value.partition("\n")[2]
    if not lines_after:
        return
    previous = comments.get(index - 1)
    if previous is None or previous[0] is None:
        token.value = "\n" + lines_after
        comments[index - 1] = moved
    else:
        previous[0].value += lines_after


def apply_edits(tree: Any, edits: Iterable[Edit]) -> int:
    """Apply ``edits`` to ``tree`` in place; return how many were applied.

    Edits on one path are applied once (the first wins), and list items are removed from the
    highest index down so that earlier indexes stay valid.
    """
    seen: set[TreePath] = set()
    replaces: list[Replace] = []
    deletes: list[Delete] = []
    for edit in edits:
        if edit.path in seen:
            continue
        seen.add(edit.path)
        if isinstance(edit, Replace):
            replaces.append(edit)
        else:
            deletes.append(edit)
    for replace in replaces:
        _apply_replace(tree, replace)
    for delete in sorted(deletes, key=lambda d: d.path, reverse=True):
        container = _container(tree, delete.path)
        index = delete.path[-1]
        assert isinstance(index, int)
        keep_comments(container, index)
        del container[index]
    return len(replaces) + len(deletes)
