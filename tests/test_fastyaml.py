"""The fast reader (newsmeta.fastyaml) against the careful one (ruamel's round-trip loader).

For every input, either ``fastyaml.load`` raises ``Unsure``, or the careful reader succeeds and
both give the same data: the fast reader never returns data the careful reader refuses, and
never different data.  Checked over the seeds, the shared corpora, a list of tricky scalars and
documents, front matter generated from a grammar, and arbitrary text.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, event, given, settings
from hypothesis import strategies as st

from newsmeta import fastyaml
from newsmeta.article import (
    Article,
    load_tree,
    read_article,
    same_data,
    split_article,
    to_plain,
)
from newsmeta.errors import ArticleError
from newsmeta.files import Discovery, iter_files

from .conftest import SEEDS, SHARED

# NEWSMETA_EXAMPLES=5000 runs a longer search than the suite's default.
EXAMPLES = int(os.environ.get("NEWSMETA_EXAMPLES", "300"))

CORPORA = SHARED / "corpora"


# -- the property ------------------------------------------------------------------------------


def _same(fast: Any, careful: Any) -> bool:
    """``same_data``, but NaN keys match too.

    ``same_data`` compares dict keys with ``==`` (NaN != NaN), so ``{.nan: 1}`` read twice is
    "different" unless both readers hand out the very same NaN object.  When same_data says
    no, compare mappings item by item, in order, with same_data on keys as well as values.
    """
    if same_data(fast, careful):
        return True
    if isinstance(fast, dict) and isinstance(careful, dict):
        return len(fast) == len(careful) and all(
            _same(fk, ck) and _same(fv, cv)
            for (fk, fv), (ck, cv) in zip(fast.items(), careful.items(), strict=True)
        )
    if isinstance(fast, list) and isinstance(careful, list):
        return len(fast) == len(careful) and all(map(_same, fast, careful))
    return False


def _article(text: str) -> Article:
    """An article whose front matter is ``text`` (cut short where a line of ``text`` would
    close it: both readers always get the same ``article.yaml_text``)."""
    if text and not text.endswith("\n"):
        text += "\n"
    return split_article(b"---\n" + text.encode("utf-8") + b"---\nBody.\n", "x.md")


def check(article: Article, *, skip_careful_crash: bool = False) -> bool:
    """Assert the either/or property for one article; return whether the fast reader answered.

    The careful reader runs only when the fast one answered (an Unsure needs no check).  An
    exception other than ArticleError from it propagates, or (``skip_careful_crash``, in a
    hypothesis test) makes hypothesis drop the example.
    """
    try:
        fast = fastyaml.load(article.yaml_text)
    except fastyaml.Unsure:
        return False
    try:
        careful = to_plain(load_tree(article))
    except ArticleError as error:
        pytest.fail(
            f"fastyaml read {fast!r}, but the careful reader refuses the front matter: "
            f"[{error.code}] {error.message}\nfront matter: {article.yaml_text!r}"
        )
    assert _same(fast or {}, careful or {}), (
        f"the readers disagree on {article.yaml_text!r}:\n"
        f"  fastyaml: {fast!r}\n  careful:  {careful!r}"
    )
    return True


def check_text(text: str) -> bool:
    return check(_article(text))


# -- 1. the seeds ------------------------------------------------------------------------------

SEED_FILES = sorted(path for path in SEEDS.iterdir() if path.is_file())


def test_there_are_seeds() -> None:
    assert len(SEED_FILES) >= 10


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda path: path.name)
def test_seed_is_read_by_the_fast_reader_as_by_the_careful_one(path: Path) -> None:
    article = read_article(path)
    if not fastyaml.available():
        pytest.skip("PyYAML with libyaml is not installed: everything reads the careful way")
    # The fast path serves the common case: a seed is never Unsure.
    assert check(article), f"fastyaml is Unsure of {path.name}"


# -- 2. the shared corpora ---------------------------------------------------------------------


def test_every_corpus_file_reads_the_same_and_few_are_unsure() -> None:
    if not CORPORA.is_dir():
        pytest.skip("../shared/corpora is absent")
    read = unsure = 0
    for path in iter_files([str(CORPORA)], Discovery()):
        try:
            article = read_article(path)
        except ArticleError:
            continue  # no front matter, binary, not UTF-8...: nothing for a YAML reader
        read += 1
        if not check(article):
            unsure += 1
    assert read > 3000, "the corpora look incomplete"
    if not fastyaml.available():
        return
    # Observed: 13 Unsure of 3,584 readable files (0.36%): aliases, merge keys, a duplicate
    # key, a tab, impossible dates...  The bound keeps a margin and stays under 1%.
    assert unsure <= min(25, read // 100), f"{unsure} of {read} corpus files are Unsure"


# -- 3. tricky scalars and documents -----------------------------------------------------------

TRICKY_SCALARS = [
    "yes",
    "no",
    "on",
    "off",
    "y",
    "n",
    "Yes",
    "ON",
    "true",
    "True",
    "TRUE",
    "false",
    "null",
    "Null",
    "NULL",
    "~",
    "",
    "010",
    "0o17",
    "0x1F",
    "0b101",
    "1_000",
    "+12",
    "-0",
    "1:30",
    "1:30:00",
    "12e3",
    "1.5e3",
    ".inf",
    "-.inf",
    ".nan",
    ".NaN",
    "1e",
    "0x",
    "2020-01-01",
    "2020-1-1",
    "2020-01-01 10:00:00",
    "2020-01-01T10:00:00Z",
    "2020-01-01T10:00:00.123456789+02:00",
    "2020-01-01T10:00:00.1234564Z",
    "2020-02-30",
    "2020-01-01 25:00:00",
    "2020-06-11T16:42:00 +05:30",
    "'010'",
    '"yes"',
    "!!str 010",
    '!!int "12"',
    '!!int "0x-1"',
    '!!bool "yes"',
    "!!float 1",
    '!!float "nan"',
    '!!null ""',
    "!!timestamp 2020-1-1",
    "!!binary aGVsbG8=",
    "!!set {a, b}",
    "!!omap [a: 1]",
    "!!str [a]",
    "!custom x",
    "! x",
    "=",
    "<<",
    '"caf\\u00e9"',
    '"\\N\\_\\L\\P\\e\\0\\/"',
    "'it''s'",
    "0_8",
    "1_.5",
    "1e400",
    "0x1_F",
    "a:b",
    ":b",
    "-b",
    "?b",
    "b#c",
]

FORMS = {
    "value": "key: {}\n",
    "item": "key:\n- {}\n",
    "flow": "key: [{}]\n",
    "key": "{}: 1\n",
}


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("value", TRICKY_SCALARS)
def test_tricky_scalar(value: str, form: str) -> None:
    check_text(FORMS[form].format(value))


# What ruamel reads by YAML 1.2, the fast reader reads so too (not Unsure, not YAML 1.1).
YAML_12_VALUES = {
    "yes": "yes",
    "no": "no",
    "on": "on",
    "off": "off",
    "y": "y",
    "Yes": "Yes",
    "true": True,
    "FALSE": False,
    "~": None,
    "": None,
    "010": 10,
    "0o17": 15,
    "0x1F": 31,
    "0b101": 5,
    "1_000": 1000,
    "1:30": "1:30",
    "1:30:00": "1:30:00",
    "12e3": 12000.0,
    ".inf": math.inf,
    "2020-01-01": dt.date(2020, 1, 1),
    "2020-1-1": "2020-1-1",
    "2020-01-01 10:00:00": dt.datetime(2020, 1, 1, 10),
    "2020-06-11T16:42:00 +05:30": dt.datetime(
        2020, 6, 11, 16, 42, tzinfo=dt.timezone(dt.timedelta(hours=5, minutes=30))
    ),
    "'010'": "010",
}


@pytest.mark.parametrize(("value", "expected"), list(YAML_12_VALUES.items()))
def test_fast_reader_reads_yaml_1_2(value: str, expected: Any) -> None:
    if not fastyaml.available():
        pytest.skip("PyYAML with libyaml is not installed")
    assert check_text(f"key: {value}\n")
    assert same_data(fastyaml.load(f"key: {value}\n"), {"key": expected})


def _nested(depth: int, opening: str, closing: str) -> str:
    return "key: " + opening * depth + closing * depth + "\n"


# Each case below once showed a disagreement (the fast reader read what ruamel refuses, or read
# it otherwise); the fast reader now steps aside for all of them.

TRICKY_DOCUMENTS = {
    "merge key": "<<: {a: 1}\nb: 2\n",
    "merge key after": "b: 2\n<<: {a: 1}\n",
    "merge of an alias": "base: &b {a: 1}\nother:\n  <<: *b\n  c: 2\n",
    "value key": "=: 1\n",
    "duplicate key": "a: 1\na: 2\n",
    "duplicate nested key": "a:\n  b: 1\n  b: 2\n",
    "duplicate flow key": "a: {b: 1, b: 2}\n",
    "duplicate quoted key": 'a: 1\n"a": 2\n',
    "duplicate int key": "1: a\n0x1: b\n",
    "duplicate bool and int key": "true: a\n1: b\n",
    "duplicate int and float key": "1: a\n1.0: b\n",
    "duplicate .inf key": ".inf: 1\n.Inf: 2\n",
    "duplicate .nan key": ".nan: 1\n.nan: 2\n",
    "duplicate .nan key in flow": "a: {.nan: 1, .NaN: 2}\n",
    "date key and not-a-date key": "2020-01-01: a\n2020-1-1: b\n",
    "complex key": "? [a, b]\n: 1\n",
    "complex mapping key": "? {a: 1}\n: 1\n",
    "flow complex key": "a: {[a]: 1}\n",
    "explicit scalar key": "? a\n: 1\n",
    "explicit key without value": "? a\n",
    "empty key": ": 1\n",
    "empty quoted key": "'': 1\n",
    "block scalar key": "? |\n  x\n: 1\n",
    "anchor and alias": "a: &x 1\nb: *x\n",
    "alias of a list": "a: &x [1, 2]\nb: *x\n",
    "anchor only": "a: &x 1\nb: 2\n",
    "anchored root": "&x {a: 1}\n",
    "undefined alias": "a: *nothing\n",
    "alias bomb": (
        "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
        "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
        "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
        "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
    ),
    "star in text": "a: '*bold*'\nb: x*y\n",
    "YAML 1.1 directive": "%YAML 1.1\n--- {a: yes, b: 010, c: 1:30}\n",
    "YAML 1.1 directive, block": "%YAML 1.1\n--- !!map\na: yes\nb: on\n",
    "YAML 1.2 directive": "%YAML 1.2\n--- {a: yes}\n",
    "directive after a comment": "# c\n%YAML 1.1\n--- {a: yes}\n",
    "TAG directive": "%TAG !e! tag:example.com,2000:\n--- {a: !e!x 1}\n",
    "tab after a plain value": "a: 1\t\nb: x\n",
    "tab before a comment": "a: x\t# c\n",
    "tab after the colon": "a:\tb\n",
    "tab indentation": "a:\n\tb: 1\n",
    "tab in quotes": 'a: "x\ty"\n',
    "unicode escapes": 'a: "caf\\u00e9 \\x41 \\U0001F600"\n',
    "bad escape": 'a: "\\q"\n',
    "surrogate escape": 'a: "\\ud800"\n',
    "folded block": "a: >\n  one\n  two\n\n  three\n   indented\n  four\nb: x\n",
    "folded strip": "a: >-\n  one\n  two\n\n",
    "literal keep": "a: |+\n  one\n\n\nb: 1\n",
    "literal keep at the end": "a: |+\n  one\n\n\n",
    "literal strip": "a: |-\n  one\n\n",
    "literal with indentation indicator": "a: |2\n   x\n  y\n",
    "literal with leading blank lines": "a: |\n\n  \n  x\n",
    "literal with a more-indented blank line": "a: |\n\n   \n  x\n",
    "literal less indented": "a: |\n    x\n  y\n",
    "literal with a blank line of the same indentation": "a: |\n  \n  x\n",
    "literal with a short blank line inside": "a: |\n  x\n \n  y\n",
    "literal with a short leading blank line": "a: |\n \n  x\n",
    "folded with a short leading blank line": "a:\n  b: >+\n   \n    x\n",
    "literal with a comment header": "a: | # c\n  x\n",
    "multi-line plain": "a: one\n  two\n\n  three\nb: x\n",
    "multi-line single-quoted": "a: 'one\n  two\n\n  three'\n",
    "multi-line double-quoted": 'a: "one\\\n  two\n\n  three"\n',
    "plain after a comment": "a: b # c\n  d\n",
    "block sequence under the key": "a:\n- 1\n- 2\n",
    "indented block sequence": "a:\n  - 1\n  - b: 2\n    c: 3\n",
    "nested sequences": "a:\n- - 1\n  - 2\n- - 3\n",
    "flow mapping in a sequence": "a: [a: 1, b]\n",
    "JSON-like flow mapping": "a: {\"a\":1, 'b':2}\n",
    "adjacent value in flow sequence": 'a: ["a":1]\n',
    "adjacent value, single quotes": "a: ['a':1, b]\n",
    "adjacent value after space": 'a: [b, "c" :d]\n',
    "non-specific tag on an empty value": "a: !\nb: 1\n",
    "non-specific tag on an empty item": "a:\n- !\n",
    "non-specific tag on an empty flow item": "a: [! ]\n",
    "non-specific tag on an anchored empty value": "a: &x !\n",
    "non-specific tag on a value": "a: ! x\nb: ! 1\nc: ! ''\n",
    "hash after a literal header": "a: |#\n",
    "hash after a folded header": "a: >-#c\n  x\n",
    "hash after an indentation indicator": "a: |2#\n   x\n",
    "anchor name with a colon": "a: &x:0\n",
    "anchor name with a question mark": "a: &x?y\n",
    "anchor name with a colon and text": "a: &a:b c\n",
    "anchor name with a colon as a key": "a:\n  &a: b\n",
    "anchor name with a colon at the root": "&a: 1\n",
    "anchor name with a colon in flow": "a: [&x: 1]\n",
    "anchor name with a dot": "a: &x.y b\n",
    "anchor on an empty flow item": "a: [&x, 1]\n",
    "tag before a comma in flow": "a: [!!str,x]\n",
    "flow key with space": 'a: ["a": 1]\n',
    "trailing comma": "a: [a, b,]\n",
    "leading comma": "a: [, b]\n",
    "unclosed flow": "a: [b, c\n",
    "mapping in a plain value": "a: b: c\n",
    "bad indentation": "a: 1\n b: 2\n",
    "text after a quoted value": "a: 'x' y\n",
    "reserved indicator": "a: @x\n",
    "document end marker": "a: 1\n...\n",
    "document end with a comment": "a: 1\n... # x\n",
    "second document": "a: 1\n--- b\n",
    "content on the document start line": "--- a: 1\n",
    "NEL then a key": "a: x\x85b: y\n",
    "LS then a key": "a: x\u2028b: y\n",
    "PS then a key": "a: x\u2029b: y\n",
    "LS in a comment": "a: x # c\u2028b: 1\n",
    "NEL then a question mark": "a:\n  b\x85?\n",
    "LS in a plain value": "a: x\u2028b\n",
    "LS then a space": "a: x\u2028 b\n",
    "LS in quotes": "a: 'x\u2028y'\n",
    "LS in a literal": "a: |\n  x\u2028y\n",
    "NEL in a flow sequence": "a: [x\x85y]\n",
    "lone CR": "a: b\rc: d\n",
    "byte order mark in a value": "a: \ufeffx\n",
    "no-break space": "a: \u00a0x\nb: x\u00a0\n",
    "no-break space after the colon": "a:\u00a0x\n",
    "DEL character": "a: \x7f\n",
    "escape character": "a: \x1b\n",
    "U+FFFE": "a: \ufffe\n",
    "huge integer": "a: 1" + "0" * 5000 + "\n",
    "long float": "a: 1." + "0" * 5000 + "\n",
    "long key": "k" * 2000 + ": 1\n",
    "many keys": "".join(f"k{i}: {i}\n" for i in range(1000)),
    "nesting 50": _nested(50, "[", "]"),
    "nesting 100": _nested(100, "{a: ", "}"),
    "nesting 300": _nested(300, "[", "]"),
    "nesting 2000": _nested(2000, "[", "]"),
    "nesting 2000 mappings": _nested(2000, "{a: ", "}"),
    "nesting 2000 block sequences": "key:\n" + "- " * 2000 + "x\n",
    "nesting 2000 block mappings": "".join(" " * i + f"k{i}:\n" for i in range(2000)),
    "empty document": "",
    "blank lines": "\n\n  \n",
    "comment-only document": "# just a comment\n  # and another\n",
    "list root": "- a\n- b\n",
    "flow list root": "[a, b]\n",
    "plain scalar root": "just text\n",
    "quoted scalar root": "'text'\n",
    "block scalar root": "|\n  text\n",
    "flow mapping root": "{a: 1} # c\n",
    "tagged mapping root": "!!map {a: 1}\n",
    "omap root": "!!omap [a: 1]\n",
    "set root": "!!set {a}\n",
    "custom tag on the root": "!custom {a: 1}\n",
}


@pytest.mark.parametrize("text", TRICKY_DOCUMENTS.values(), ids=list(TRICKY_DOCUMENTS))
def test_tricky_document(text: str) -> None:
    check_text(text)


# -- bugs of the careful reader found on the way -----------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "a: 0x_\n",
        "a: 0b_\n",
        "a: 0o_\n",
        "a: -_\n",
        "a: !!int\n",
        "a: !!bool maybe\n",
        "a: \u2028#\x85|\u2028\x85\n",  # NotImplementedError: overlap in comment
    ],
)
def test_careful_reader_refuses_bad_input_with_an_article_error(text: str) -> None:
    with pytest.raises(ArticleError):
        load_tree(_article(text))


# -- 4. generated front matter -----------------------------------------------------------------

# Spellings the fast reader never answers (an unknown or unusual tag, a merge or value key,
# an impossible date, a fraction ruamel rounds): one of them makes the whole document Unsure,
# so they are drawn rarely, to leave most documents to the comparison of data.
_RARE = {
    "2020-01-01T10:00:00.123456789+02:00",
    "2020-02-30",
    "2020-01-01 25:00:00",
    "!!binary aGVsbG8=",
    "!!set {a, b}",
    "!!omap [a: 1]",
    "!!str [a]",
    "!custom x",
    "=",
    "<<",
}
_COMMON = [value for value in TRICKY_SCALARS if value and value not in _RARE]
_PRINTABLE = st.characters(categories=("L", "N", "P", "S", "Zs"))  # no NEL, U+2028, U+2029
_TEXT = st.text(_PRINTABLE, max_size=20)
# Plain text without what would end a plain scalar in flow or make it a comment or a key
# (spellings such as a:b and b#c above have those).
_PLAIN_TEXT = st.text(
    st.characters(categories=("L", "N", "P", "S", "Zs"), exclude_characters=",[]{}#:"),
    max_size=20,
)
_INDICATORS = "-?:,[]{}#&*!|>'\"%@`"


def _plain(text: str) -> str:
    """``text`` as a plain scalar, mostly a valid one (a leading indicator is defused; no text
    at all would be an error in a flow sequence)."""
    text = text.strip()
    return "x" + text if not text or text[0] in _INDICATORS else text


def _single_quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _double_quoted(text: str, ascii_only: bool) -> str:
    """``text`` in double quotes, with YAML escapes (``\\U`` for astral characters, where
    JSON would write a surrogate pair) for non-ASCII characters when ``ascii_only``."""
    out = []
    for char in text:
        code = ord(char)
        if char in '"\\':
            out.append("\\" + char)
        elif code < 0x20 or code == 0x7F or (ascii_only and code > 0x7E):
            out.append(
                f"\\x{code:02x}"
                if code <= 0xFF
                else f"\\u{code:04x}"
                if code <= 0xFFFF
                else f"\\U{code:08x}"
            )
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


SCALARS = st.one_of(
    st.integers(0, 49).flatmap(
        lambda n: st.sampled_from(sorted(_RARE)) if n == 0 else st.sampled_from(_COMMON)
    ),
    st.builds(_plain, _PLAIN_TEXT),
    st.builds(_single_quoted, _TEXT),
    st.builds(_double_quoted, _TEXT, st.booleans()),
)
# Names, numeric-looking and quoted keys.  A small pool of names makes duplicates likely
# where a mapping allows them; .nan keys are left out (the fast reader steps aside for them).
KEYS = st.one_of(
    st.sampled_from(["a", "b", "title", "tags"]),
    st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True),
    st.sampled_from(
        ["1", "010", "0x1", "1.0", "-0", "true", "yes", "on", "null", "~", ".inf", "2020-01-01"]
    ),
    st.sampled_from(["'a'", '"a"', "'1'", '"yes"']),
)
# The key each spelling reads as, so a mapping can be drawn without duplicates: 1, 0x1, 1.0
# and true are one key (True == 1 == 1.0), 'a' and "a" are a.
_SAME_KEY = {"0x1": "1", "1.0": "1", "true": "1", "-0": "0", "~": "null", "'1'": "1s"}


def _key_identity(pair: tuple[str, Any]) -> str:
    key = pair[0]
    return _SAME_KEY.get(key, key.strip("'\""))


def _pairs(children: st.SearchStrategy[Any]) -> st.SearchStrategy[list[tuple[str, Any]]]:
    """The entries of a mapping: most often with no duplicate key, one time in eight with any
    (a duplicate anywhere makes the document an error)."""
    entries = st.tuples(KEYS, children)
    unique = st.lists(entries, max_size=4, unique_by=_key_identity)
    free = st.lists(entries, max_size=4)
    return st.integers(0, 7).flatmap(lambda n: free if n == 0 else unique)


def _block_scalar(lines: list[str], indicator: str) -> tuple[str, str, list[str]]:
    return ("block", indicator, lines)


BLOCK_SCALARS = st.builds(
    _block_scalar,
    st.lists(st.one_of(st.just(""), _TEXT.map(str.rstrip)), min_size=1, max_size=4),
    st.sampled_from(["|", "|-", "|+", ">", ">-", ">+"]),
)
LEAVES = st.one_of(SCALARS.map(lambda text: ("scalar", text)), BLOCK_SCALARS)


def _collections(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    style = st.sampled_from(["block", "flow"])
    return st.one_of(
        st.tuples(st.just("map"), style, _pairs(children)),
        st.tuples(st.just("seq"), style, st.lists(children, max_size=4)),
    )


NODES = st.recursive(LEAVES, _collections, max_leaves=12)


def _flow(node: Any) -> str:
    kind = node[0]
    if kind == "scalar":
        return str(node[1])
    if kind == "block":  # no block scalar inside flow: its first line as a quoted string
        return _double_quoted(node[2][0], True)
    if kind == "map":
        return "{" + ", ".join(f"{key}: {_flow(value)}" for key, value in node[2]) + "}"
    return "[" + ", ".join(_flow(item) for item in node[2]) + "]"


def _is_block(node: Any) -> bool:
    return node[0] == "block" or (node[0] in ("map", "seq") and node[1] == "block" and node[2])


def _after_indicator(node: Any, indent: int, offset: int) -> list[str]:
    """The lines for ``node`` after ``key:`` or ``-``: the first one is the rest of that line."""
    if node[0] == "block":
        pad = " " * (indent + 2)
        return [" " + node[1]] + [pad + line if line else "" for line in node[2]]
    if not _is_block(node):
        return [" " + _flow(node)]
    if node[0] == "map":
        return ["", *_block_map(node[2], indent + 2, offset)]
    return ["", *_block_seq(node[2], indent + offset, offset)]


def _block_map(pairs: list[tuple[str, Any]], indent: int, offset: int) -> list[str]:
    lines = []
    for key, value in pairs:
        first, *rest = _after_indicator(value, indent, offset)
        lines += [" " * indent + f"{key}:" + first, *rest]
    return lines


def _block_seq(items: list[Any], indent: int, offset: int) -> list[str]:
    lines = []
    for item in items:
        if item[0] == "map" and _is_block(item):  # compact: "- a: 1" then "  b: 2"
            nested = _block_map(item[2], indent + 2, offset)
            lines += [" " * indent + "- " + nested[0].lstrip(), *nested[1:]]
        else:
            first, *rest = _after_indicator(item, indent, offset)
            lines += [" " * indent + "-" + first, *rest]
    return lines


@st.composite
def front_matter(draw: st.DrawFn) -> str:
    pairs = draw(_pairs(NODES))
    offset = draw(st.sampled_from([0, 2]))
    if draw(st.booleans()) or not pairs:
        lines = _block_map(pairs, 0, offset)
    else:
        lines = ["{" + ", ".join(f"{key}: {_flow(value)}" for key, value in pairs) + "}"]
    # Comments, blank lines and trailing blanks here and there (inside a block scalar they
    # are its text: the readers must agree on that too).  No line of blanks only: before the
    # first line of a block scalar, one shorter than its indentation (the fast reader steps aside).
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(lines)))
        extra = draw(st.sampled_from(["", "# a comment", "  # indented comment"]))
        lines.insert(at, extra)
    filled = [number for number, line in enumerate(lines) if line.strip()]
    for ending in draw(st.lists(st.sampled_from([" # trailing comment", "  "]), max_size=2)):
        if filled:
            lines[draw(st.sampled_from(filled))] += ending
    return "".join(line + "\n" for line in lines)


@settings(max_examples=EXAMPLES, deadline=None)
@given(front_matter())
def test_generated_front_matter(text: str) -> None:
    event("fast" if check_text(text) else "unsure")


# -- 5. arbitrary text -------------------------------------------------------------------------

# Text that may hit a known disagreement: skipped, so that this test finds new ones (none is
# known now: the fast reader steps aside for every disagreement found so far).
KNOWN_DISAGREEMENTS: dict[str, re.Pattern[str]] = {}


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.text(), st.sampled_from(["", "a: ", "a:\n  "]))
def test_arbitrary_front_matter(text: str, prefix: str) -> None:
    try:
        article = _article(prefix + text)
    except ArticleError:  # a NUL byte: the file is binary, no YAML is read
        assume(False)
        return
    for name, pattern in KNOWN_DISAGREEMENTS.items():
        if pattern.search(article.yaml_text):
            event(f"skipped: known disagreement {name}")
            assume(False)
    # The careful reader crashing (not an ArticleError) is not this test's subject: skipped.
    answered = check(article, skip_careful_crash=True)
    event("fast" if answered else "unsure")
