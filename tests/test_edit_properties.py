"""Property tests for edit operations on generated front matter: local, faithful, idempotent.

The articles come from the round-trip property tests' strategy (comments, blank lines, flow and
block collections, block scalars, every quoting style, CRLF, BOM, odd bodies).  The operations
go through the same core the CLI uses (``newsmeta.edit.edit_article``), with no validation
rules, so every edit is written.
"""

from __future__ import annotations

from typing import Any

from hypothesis import assume, given
from hypothesis import strategies as st

from newsmeta.article import Document, load_value, split_article, to_plain
from newsmeta.edit import Outcome, Plan, edit_article
from newsmeta.errors import ArticleError, UsageError
from newsmeta.operations import Kind, parse_operation
from newsmeta.validate import Checker

from .test_properties import (
    ARTICLE,
    SCALAR,
    SETTINGS,
    TEXT,
    Block,
    assert_other_lines_kept,
    render_file,
)

NO_RULES = Checker(rules=())


class CannotApply(Exception):
    """An operation that rightly fails on this article (--add to a key that is not a list)."""


def run(raw: bytes, *operations: tuple[Kind, str]) -> tuple[Outcome, bytes]:
    parsed = tuple(parse_operation(kind, argument) for kind, argument in operations)
    result, _document = edit_article(split_article(raw), Plan(parsed, NO_RULES, write=False))
    if result.outcome is Outcome.FAILED and {p.rule for p in result.problems} == {"edit-failed"}:
        raise CannotApply(result.problems)
    assert result.outcome is not Outcome.FAILED, result.problems
    return result.outcome, result.after if result.outcome is Outcome.CHANGED else raw


def data_of(raw: bytes) -> Any:
    return to_plain(Document(split_article(raw)).data)


def yaml_value(text: str) -> Any:
    try:
        return to_plain(load_value(text))
    except ArticleError:
        return None


# Sequences of these are idempotent; a rename is, alone (after --rename a=b --set a=1, a second
# run finds b taken).
OPERATION = st.sampled_from([Kind.SET, Kind.SET_STR, Kind.UNSET, Kind.ADD])
OPERATIONS = st.one_of(st.lists(OPERATION, min_size=1, max_size=3), st.just([Kind.RENAME]))


def _argument(kind: Kind, key: str, data: st.DataObject) -> str:
    if kind is Kind.UNSET:
        return key
    if kind is Kind.RENAME:
        return f"{key}=zrenamed"
    value = data.draw(TEXT if kind is Kind.SET_STR else SCALAR)
    return f"{key}={value}"


@SETTINGS
@given(ARTICLE, st.data())
def test_set_changes_only_that_keys_lines_and_reads_back(
    article: tuple[list[Block], str, bool, bytes], data: st.DataObject
) -> None:
    blocks, newline, bom, body = article
    raw = render_file(*article)
    index = data.draw(st.integers(0, len(blocks) - 1))
    key = blocks[index].key
    text = data.draw(SCALAR)
    kind = data.draw(st.sampled_from([Kind.SET, Kind.SET_STR]))
    wanted = text if kind is Kind.SET_STR else yaml_value(text)
    assume(kind is Kind.SET_STR or wanted is not None or text in ("~", "null"))
    try:
        _outcome, out = run(raw, (kind, f"{key}={text}"))
    except UsageError as error:
        assert "surrogate" in str(error)  # "\ud800" reads as what UTF-8 cannot store
        return
    new = split_article(out)
    assert new.body == body and new.bom == bom
    assert all(line.endswith(newline) for line in new.front_matter)
    expected = data_of(raw)
    expected[key] = wanted
    assert data_of(out) == expected
    assert_other_lines_kept(blocks, index, out)


@SETTINGS
@given(ARTICLE, st.data())
def test_operations_are_idempotent(
    article: tuple[list[Block], str, bool, bytes], data: st.DataObject
) -> None:
    blocks = article[0]
    raw = render_file(*article)
    kinds = data.draw(OPERATIONS)
    # Each operation on a key of its own: --add k=1 --set k=2 fails on a second run, rightly.
    candidates = [b.key for b in blocks] + ["knew", "knewer", "knewest"]
    keys = data.draw(
        st.lists(st.sampled_from(candidates), min_size=len(kinds), max_size=len(kinds), unique=True)
    )
    operations = [(kind, _argument(kind, key, data)) for kind, key in zip(kinds, keys, strict=True)]
    try:
        _outcome, once = run(raw, *operations)
    except (UsageError, CannotApply):
        assume(False)  # a value YAML cannot read, or --add to a key that is not a list
        return
    outcome, twice = run(once, *operations)
    assert outcome is Outcome.UNCHANGED
    assert twice == once


@SETTINGS
@given(ARTICLE, st.data())
def test_unset_then_nothing_else_changes_in_the_data(
    article: tuple[list[Block], str, bool, bytes], data: st.DataObject
) -> None:
    blocks, _newline, _bom, body = article
    raw = render_file(*article)
    key = data.draw(st.sampled_from([b.key for b in blocks]))
    _outcome, out = run(raw, (Kind.UNSET, key))
    expected = data_of(raw)
    del expected[key]
    assert (data_of(out) or {}) == expected
    assert split_article(out).body == body


@SETTINGS
@given(ARTICLE, st.data())
def test_rename_keeps_the_value_and_the_key_order(
    article: tuple[list[Block], str, bool, bytes], data: st.DataObject
) -> None:
    blocks = article[0]
    raw = render_file(*article)
    index = data.draw(st.integers(0, len(blocks) - 1))
    _outcome, out = run(raw, (Kind.RENAME, f"{blocks[index].key}=zrenamed"))
    before, after = data_of(raw), data_of(out)
    assert list(after) == ["zrenamed" if k == blocks[index].key else k for k in before]
    assert after["zrenamed"] == before[blocks[index].key]
    # Only the key's own first line changes.
    old_lines = split_article(raw).front_matter
    new_lines = split_article(out).front_matter
    assert len(old_lines) == len(new_lines)
    assert sum(a != b for a, b in zip(old_lines, new_lines, strict=True)) == 1
