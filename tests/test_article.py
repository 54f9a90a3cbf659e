"""The article file model: byte-exact splitting, loading, and minimal-diff rendering."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from newsmeta.article import (
    Document,
    Kind,
    Style,
    detect_style,
    load_tree,
    sniff_kind,
    split_article,
    to_plain,
)
from newsmeta.errors import ArticleError

from .conftest import REFERENCE, SEEDS


def doc(raw: bytes) -> Document:
    return Document(split_article(raw, "a.md"))


def edit(raw: bytes, key: str, value: object) -> bytes:
    document = doc(raw)
    document.data[key] = value
    return document.render()


def changed_lines(before: bytes, after: bytes) -> list[tuple[str, str]]:
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    assert len(old) == len(new)
    return [(a.decode(), b.decode()) for a, b in zip(old, new, strict=True) if a != b]


# -- splitting -------------------------------------------------------------------------------


def test_split_keeps_every_part() -> None:
    raw = b"\xef\xbb\xbf---  \r\ntitle: x\r\n...\r\nbody\r\n---\r\n"
    article = split_article(raw)
    assert article.bom
    assert article.newline == "\r\n"
    assert article.opening == b"---  \r\n"
    assert article.closing == b"...\r\n"
    assert article.front_matter == ["title: x\r\n"]
    assert article.body == b"body\r\n---\r\n"
    assert article.join(article.front_matter) == raw


def test_split_file_without_final_newline() -> None:
    article = split_article(b"---\na: 1\n---")
    assert article.closing == b"---"
    assert article.body == b""
    assert article.join(article.front_matter) == b"---\na: 1\n---"


def test_empty_front_matter_is_an_empty_document() -> None:
    article = split_article(b"---\n---\nbody\n")
    assert article.front_matter == []
    assert load_tree(article) is None


@pytest.mark.parametrize(
    ("raw", "kind"),
    [(b"---\na: 1\n---\n", Kind.YAML), (b"+++\na = 1\n+++\n", Kind.TOML), (b"# hi\n", Kind.NONE)],
)
def test_sniff_kind(raw: bytes, kind: Kind) -> None:
    assert sniff_kind(raw) is kind


@pytest.mark.parametrize(
    ("raw", "code", "line", "column"),
    [
        (b"", "no-front-matter", 1, 1),
        (b"# Title\n\ntext\n", "no-front-matter", 1, 1),
        (b"+++\ntitle = 'x'\n+++\n", "toml-front-matter", 1, 1),
        (b"---\ntitle: x\n", "unclosed-front-matter", 1, 1),
        (b"---", "unclosed-front-matter", 1, 1),
        (b"---\ntitle: caf\xe9\n---\n", "encoding", 2, 11),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "binary", 3, 1),
    ],
)
def test_split_errors(raw: bytes, code: str, line: int, column: int) -> None:
    with pytest.raises(ArticleError) as caught:
        split_article(raw)
    assert (caught.value.code, caught.value.line, caught.value.column) == (code, line, column)


# -- loading ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code", "line", "column"),
    [
        ("title: x\ntitle: y\n", "duplicate-key", 3, 1),
        ('title: "open\n', "yaml-syntax", 3, 1),
        ("a:\n\t- b\n", "yaml-syntax", 3, 1),
        ("- a\n- b\n", "not-a-mapping", 2, 1),
        ("just text\n", "not-a-mapping", 2, 1),
        ("a: 1\nb: !custom x\n", "unknown-tag", 3, 4),
        ("a: !!python/object/apply:os.system ['touch pwned']\n", "unknown-tag", 2, 4),
        ("a: " + "[" * 20000 + "]" * 20000 + "\n", "too-deep", 2, 1),
        ("a: " + "[" * 101 + "]" * 101 + "\n", "too-deep", 2, 1),  # past MAX_NESTING
        ("a: " + "{b: " * 101 + "}" * 101 + "\n", "too-deep", 2, 1),
        ("a: &a [*a]\n", "alias-bomb", 2, 4),
        ("a: &a {b: [1, *a]}\n", "alias-bomb", 2, 4),
        ("? !!python/object/apply:os.system ['touch pwned']\n: 1\n", "unknown-tag", 2, 3),
    ],
)
def test_load_errors(text: str, code: str, line: int, column: int) -> None:
    article = split_article(b"---\n" + text.encode() + b"---\n")
    with pytest.raises(ArticleError) as caught:
        load_tree(article)
    assert caught.value.code == code
    assert (caught.value.line, caught.value.column) == (line, column)


@pytest.mark.parametrize("depth", [1, 99])
def test_nesting_up_to_the_limit_reads(depth: int) -> None:
    article = split_article(b"---\na: " + b"[" * depth + b"1" + b"]" * depth + b"\n---\n")
    value = load_tree(article)["a"]
    for _level in range(depth):
        (value,) = value
    assert value == 1


@pytest.mark.parametrize(
    "text",
    [
        # A billion laughs: ten to the ninth "lol"s, if it were ever expanded.
        "a0: &a0 ["
        + ", ".join(["lol"] * 10)
        + "]\n"
        + "".join(f"a{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * 10) + "]\n" for n in range(1, 9)),
        "a: " + "[" * 20000 + "]" * 20000 + "\n",
    ],
    ids=["billion-laughs", "20000-brackets"],
)
def test_hostile_front_matter_costs_little_memory(text: str) -> None:
    """Not a timing test: the memory it takes to refuse the file (1 MB is far from a
    billion items, or from 20,000 nested parser frames)."""
    import tracemalloc

    article = split_article(b"---\n" + text.encode() + b"---\n")
    tracemalloc.start()
    try:
        with pytest.raises(ArticleError):
            load_tree(article)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 1_000_000


def test_duplicate_key_message_names_both_lines() -> None:
    with pytest.raises(ArticleError) as caught:
        load_tree(split_article(b"---\ntitle: x\nheat: 1\ntitle: y\n---\n"))
    assert caught.value.message == "duplicate key 'title' (first on line 2)"
    assert caught.value.line == 4


def test_python_tags_are_never_constructed(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    text = f"a: !!python/object/apply:os.system ['touch {marker}']\n"
    with pytest.raises(ArticleError):
        load_tree(split_article(b"---\n" + text.encode() + b"---\n"))
    assert not marker.exists()


def test_alias_bomb_is_refused_quickly() -> None:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, 10):
        refs = ",".join([f"*a{level - 1}"] * 9)
        lines.append(f"a{level}: &a{level} [{refs}]")
    raw = ("---\n" + "\n".join(lines) + "\n---\n").encode()
    started = time.process_time()
    with pytest.raises(ArticleError) as caught:
        load_tree(split_article(raw))
    assert caught.value.code == "alias-bomb"
    assert time.process_time() - started < 5  # a guard against hanging, not a benchmark


def test_yaml_12_scalars_keep_their_meaning() -> None:
    data = to_plain(doc(b"---\na: yes\nb: 010\nc: 1:30\nd: ~\ne: 0o10\n---\n").data)
    assert data == {"a": "yes", "b": 10, "c": "1:30", "d": None, "e": 8}


# -- style detection -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "style"),
    [
        ("a:\n  - x\nb:\n  c: 1\n", Style(mapping=2, offset=2)),
        ("a:\n- x\nb:\n    c: 1\n", Style(mapping=4, offset=0)),
        ("  a:\n  - x\n", Style(mapping=2, offset=0, root=2)),
        ("a: 1\n", Style()),
    ],
)
def test_detect_style(text: str, style: Style) -> None:
    assert detect_style(text.splitlines(keepends=True)) == style


# -- rendering -------------------------------------------------------------------------------


def test_seeds_render_unchanged_byte_for_byte() -> None:
    for path in sorted(SEEDS.iterdir()):
        raw = path.read_bytes()
        assert doc(raw).render() == raw, path.name


def test_reference_edit_changes_one_line() -> None:
    raw = REFERENCE.read_bytes()
    assert changed_lines(raw, edit(raw, "quality", 50)) == [("quality: 27\n", "quality: 50\n")]


def test_edit_keeps_bom_crlf_and_body() -> None:
    raw = b'\xef\xbb\xbf---\r\ntitle: "x"\r\nheat: 1\r\n---\r\n# Body\r\n---\r\nno newline'
    out = edit(raw, "heat", 2)
    assert out == raw.replace(b"heat: 1", b"heat: 2")


def test_edit_keeps_quotes_spelling_and_long_lines_elsewhere() -> None:
    long = "word " * 60
    text = (
        f"---\ntitle: 'single'\nnote: \"caf\\u00e9\"\nempty: ~\nflag: yes\nnum: 010\n"
        f"when: 2020-06-11T16:42:00Z\nlong: {long.strip()}\nlist: [a,  b]\nquality: 1\n---\n"
    )
    raw = text.encode()
    out = edit(raw, "quality", 2)
    assert out == raw.replace(b"quality: 1", b"quality: 2")


def test_edit_of_long_string_is_not_folded() -> None:
    value = ("a long title " * 20).strip()
    assert edit(b"---\ntitle: x\n---\n", "title", value) == f"---\ntitle: {value}\n---\n".encode()


def test_edit_of_hard_wrapped_scalar_replaces_all_its_lines() -> None:
    raw = b"---\ntitle: x\nexcerpt: a long\n  wrapped value\nquality: 1\n---\n"
    assert edit(raw, "excerpt", "short") == b"---\ntitle: x\nexcerpt: short\nquality: 1\n---\n"
    assert edit(raw, "quality", 5) == raw.replace(b"quality: 1", b"quality: 5")


def test_edit_next_to_respelled_lines_stays_local() -> None:
    raw = b"---\nlayout: ~\ntitle:  Two spaces\nkey : spaced\n---\n"
    assert edit(raw, "title", "New") == b"---\nlayout: ~\ntitle: New\nkey : spaced\n---\n"


def test_nested_edit_uses_the_files_indentation() -> None:
    raw = b"---\nprovider:\n    name: A\n    domain: a.com\ntopics:\n- AI\n---\n"
    document = doc(raw)
    document.data["provider"]["name"] = "B"
    document.data["topics"].append("ML")
    assert document.render() == (
        b"---\nprovider:\n    name: B\n    domain: a.com\ntopics:\n- AI\n- ML\n---\n"
    )


def test_indented_root_stays_indented() -> None:
    raw = b"---\n  title: x\n  heat: 1\n---\n"
    assert edit(raw, "heat", 3) == b"---\n  title: x\n  heat: 3\n---\n"


def test_adding_a_key_to_empty_front_matter() -> None:
    document = doc(b"---\n# only a comment\n---\nbody\n")
    assert document.data is None
    from ruamel.yaml.comments import CommentedMap

    document.data = CommentedMap(title="x")
    assert document.render() == b"---\n# only a comment\ntitle: x\n---\nbody\n"


def test_comments_survive_an_edit() -> None:
    raw = b"---\n# lead\ntitle: x  # eol\nheat: 1\n\n# before topics\ntopics:\n  - a\n---\n"
    assert edit(raw, "heat", 2) == raw.replace(b"heat: 1", b"heat: 2")


def test_set_and_reset_gives_original_bytes() -> None:
    raw = REFERENCE.read_bytes()
    document = doc(raw)
    old = document.data["title"]
    document.data["title"] = "Other"
    assert document.render() != raw
    document.data["title"] = old
    assert document.render() == raw


def test_edit_the_emitter_cannot_express_is_refused_not_written() -> None:
    # ruamel re-indents the block to 2, which pulls the indented comment into its text:
    # the data would change, so render refuses instead of writing something else.
    raw = b"---\nk: |\n    a\n\n  # indented note\n---\n"
    document = doc(raw)
    document.data["k"] = "edited value"
    with pytest.raises(ArticleError) as caught:
        document.render()
    assert caught.value.code == "internal-error"


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("tags", ["q"], b"tags:\n  - q\n\n# Section: dates\ndate: 1\n"),
        ("tags", "x", b"tags: x\n\n# Section: dates\ndate: 1\n"),
        ("tags", [], b"tags: []\n\n# Section: dates\ndate: 1\n"),
    ],
)
def test_replacing_a_collection_keeps_the_lines_after_it(
    key: str, value: object, expected: bytes
) -> None:
    raw = b"---\ntags:\n  - a\n  - b\n\n# Section: dates\ndate: 1\n---\n"
    assert edit(raw, key, value) == b"---\n" + expected + b"---\n"


def test_replacing_the_reference_topics_changes_only_topics() -> None:
    raw = REFERENCE.read_bytes()
    out = edit(raw, "topics", ["AI", "Policy"])
    assert out == raw.replace(b"  - Computer Vision\n  - AI\n", b"  - AI\n  - Policy\n")


def test_deleting_the_last_key_leaves_empty_front_matter() -> None:
    document = doc(b"---\ntitle: x\n---\nbody\n")
    del document.data["title"]
    assert document.render() == b"---\n---\nbody\n"
