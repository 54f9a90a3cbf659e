"""The Python API (newsmeta.load, loads, Article): minimal diffs, safe writes, lazy import.

Every test works on real files copied into tmp_path and compares the bytes line by line with
the original.  The examples of docs/python-api.md are run here too.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
import shutil
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import newsmeta
from newsmeta.article import Document, split_article, to_plain
from newsmeta.edit import Outcome, Plan, edit_article
from newsmeta.operations import Kind, parse_operation
from newsmeta.validate import Checker

from .conftest import ROOT, SEEDS, cli_environment
from .test_properties import SETTINGS

REFERENCE = "000_218d50f45779ca55.txt"
CRLF = next(SEEDS.glob("012_crlf*.md")).name
BOM = next(SEEDS.glob("013_bom*.md")).name
THREE = [REFERENCE, CRLF, BOM]
OLD_MTIME_NS = 1_700_000_000 * 10**9  # November 2023


def copy_seed(tmp_path: Path, name: str) -> Path:
    target = tmp_path / name
    shutil.copyfile(SEEDS / name, target)
    # An old modification time, so that any rewrite shows, however coarse the clock.
    os.utime(target, ns=(OLD_MTIME_NS, OLD_MTIME_NS))
    return target


def lines(raw: bytes) -> list[bytes]:
    return raw.splitlines(keepends=True)


def changes(before: bytes, after: bytes) -> list[tuple[list[bytes], list[bytes]]]:
    """The hunks that turn ``before`` into ``after``: (removed lines, added lines)."""
    old, new = lines(before), lines(after)
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    return [
        (old[i1:i2], new[j1:j2]) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"
    ]


def newline_of(raw: bytes) -> bytes:
    return b"\r\n" if raw.split(b"\n", 1)[0].endswith(b"\r") else b"\n"


def line_of(raw: bytes, prefix: bytes) -> bytes:
    (line,) = [line for line in lines(raw) if line.startswith(prefix)]
    return line


def assert_frame_kept(before: bytes, after: bytes) -> None:
    """BOM, delimiters, line endings and body as they were."""
    old, new = split_article(before), split_article(after)
    assert (new.bom, new.opening, new.closing, new.body) == (
        old.bom,
        old.opening,
        old.closing,
        old.body,
    )
    ending = newline_of(before)
    assert all(line.endswith(ending) for line in lines(after) if line in new.front_matter)
    if ending == b"\r\n":
        assert after.count(b"\n") == after.count(b"\r\n")
    else:
        assert b"\r" not in after


# -- no change, no write ----------------------------------------------------------------------


@pytest.mark.parametrize("name", THREE)
def test_save_without_change_writes_nothing(tmp_path: Path, name: str) -> None:
    path = copy_seed(tmp_path, name)
    before, info = path.read_bytes(), path.stat()
    article = newsmeta.load(path)
    assert article.save() is False
    assert article.dumps() == before
    after = path.stat()
    assert path.read_bytes() == before
    assert (after.st_mtime_ns, after.st_ino) == (info.st_mtime_ns, info.st_ino)
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


def test_setting_equal_values_writes_nothing(tmp_path: Path) -> None:
    path = copy_seed(tmp_path, REFERENCE)
    before = path.read_bytes()
    article = newsmeta.load(path)
    data = article.data
    data["title"] = str(data["title"])  # the same text, as a plain str
    data["quality"] = 27
    data["publishedDateTime"] = dt.datetime(2020, 6, 11, 16, 42, tzinfo=dt.timezone.utc)
    data["provider"] = {"name": "Washington Post", "domain": "washingtonpost.com"}
    data["topics"] = ["Computer Vision", "AI"]
    assert article.save() is False
    assert path.read_bytes() == before
    assert path.stat().st_mtime_ns == OLD_MTIME_NS


def test_equal_value_keeps_the_files_spelling() -> None:
    raw = b"---\nn: 0x1b\nd: 2020-06-11 16:42:00 Z\nt: 'x'  # note\n---\n"
    article = newsmeta.loads(raw)
    article.data["n"] = 27
    article.data["d"] = dt.datetime(2020, 6, 11, 16, 42, tzinfo=dt.timezone.utc)
    article.data["t"] = "x"
    assert article.dumps() == raw


# -- one change, its lines only ---------------------------------------------------------------


@pytest.mark.parametrize("name", THREE)
def test_changing_quality_changes_only_its_line(tmp_path: Path, name: str) -> None:
    path = copy_seed(tmp_path, name)
    before = path.read_bytes()
    article = newsmeta.load(path)
    article.data["quality"] = 42
    assert article.save() is True
    after = path.read_bytes()
    ending = newline_of(before)
    old, new = lines(before), lines(after)
    assert len(old) == len(new)
    differing = [i for i, (a, b) in enumerate(zip(old, new, strict=True)) if a != b]
    assert len(differing) == 1
    assert old[differing[0]].startswith(b"quality: ")
    assert new[differing[0]] == b"quality: 42" + ending
    assert_frame_kept(before, after)
    assert before.startswith(b"\xef\xbb\xbf") == after.startswith(b"\xef\xbb\xbf")
    assert newsmeta.load(path).data["quality"] == 42


@pytest.mark.parametrize("name", THREE)
def test_new_title_with_quote_and_colon(tmp_path: Path, name: str) -> None:
    path = copy_seed(tmp_path, name)
    before = path.read_bytes()
    title = 'Microsoft says "no": no face recognition #police'
    article = newsmeta.load(path)
    article.data["title"] = title
    assert article.save() is True
    after = path.read_bytes()
    ending = newline_of(before)
    expected = b'title: "Microsoft says \\"no\\": no face recognition #police"' + ending
    assert changes(before, after) == [([line_of(before, b"title: ")], [expected])]
    assert newsmeta.load(path).data["title"] == title
    assert_frame_kept(before, after)


@pytest.mark.parametrize("name", THREE)
def test_adding_a_topic_inserts_one_line(tmp_path: Path, name: str) -> None:
    path = copy_seed(tmp_path, name)
    before = path.read_bytes()
    article = newsmeta.load(path)
    last = article.data["topics"][-1]
    article.data["topics"].append("Privacy: data")
    assert article.save() is True
    after = path.read_bytes()
    ending = newline_of(before)
    assert changes(before, after) == [([], [b'  - "Privacy: data"' + ending])]
    new = lines(after)
    assert new[new.index(b'  - "Privacy: data"' + ending) - 1] == f"  - {last}".encode() + ending
    assert newsmeta.load(path).data["topics"][-1] == "Privacy: data"
    assert_frame_kept(before, after)


@pytest.mark.parametrize("name", THREE)
def test_deleting_a_key_removes_its_line(tmp_path: Path, name: str) -> None:
    path = copy_seed(tmp_path, name)
    before = path.read_bytes()
    article = newsmeta.load(path)
    del article.data["heat"]
    assert article.save() is True
    after = path.read_bytes()
    assert changes(before, after) == [([line_of(before, b"heat: ")], [])]
    assert "heat" not in newsmeta.load(path).data
    assert_frame_kept(before, after)


def test_deleting_the_last_topic_keeps_the_blank_line_after_it(tmp_path: Path) -> None:
    path = copy_seed(tmp_path, REFERENCE)
    before = path.read_bytes()
    article = newsmeta.load(path)
    del article.data["topics"][-1]
    article.save()
    assert changes(before, path.read_bytes()) == [([b"  - AI\n"], [])]


def test_a_new_key_is_quoted_like_its_declared_siblings() -> None:
    seed = (SEEDS / REFERENCE).read_bytes()
    raw = seed.replace(line_of(seed, b"cdnAmpWebUrl: "), b"")
    article = newsmeta.loads(raw)
    article.data["cdnAmpWebUrl"] = "https://example.com/amp"  # quoted like the other URLs
    article.data["unknownKey"] = "https://example.com/amp"  # no declared type: plain
    article.data["otherKey"] = "on"  # a boolean to YAML 1.1
    assert changes(raw, article.dumps()) == [
        (
            [],
            [
                b'cdnAmpWebUrl: "https://example.com/amp"\n',
                b"unknownKey: https://example.com/amp\n",
                b'otherKey: "on"\n',
            ],
        )
    ]


def test_a_key_deleted_and_set_again_is_quoted_as_before() -> None:
    raw = (SEEDS / REFERENCE).read_bytes()
    article = newsmeta.loads(raw)
    del article.data["cdnAmpWebUrl"]
    article.data["cdnAmpWebUrl"] = "https://example.com/amp"  # now the last key
    assert changes(raw, article.dumps()) == [
        ([line_of(raw, b"cdnAmpWebUrl: ")], []),
        ([], [b'cdnAmpWebUrl: "https://example.com/amp"\n']),
    ]


def test_moved_strings_keep_their_spelling() -> None:
    # Plain strings YAML 1.1 would read as booleans, already in the file: moved by an
    # insertion, they are not the caller's and keep their spelling.
    raw = b"---\ntopics:\n  - yes\n  - y\nk: n\n---\n"
    article = newsmeta.loads(raw)
    article.data["topics"].insert(0, "First")
    article.data["k"] = "n"
    article.data["other"] = "y"
    after = article.dumps()
    assert changes(raw, after) == [([], [b"  - First\n"]), ([], [b'other: "y"\n'])]


def test_a_shared_one_character_string_is_styled_as_new(tmp_path: Path) -> None:
    # Python shares one-character strings: the "a" saved as a topic is the very object the
    # caller puts into the title later, which must still be styled as a new value.
    path = copy_seed(tmp_path, REFERENCE)
    article = newsmeta.load(path)
    article.data["topics"].append("a")
    article.save()
    del article.data["title"]
    article.data["title"] = "a"
    assert line_of(article.dumps(), b"title: ") == b'title: "a"\n'


def test_an_inserted_key_goes_where_asked() -> None:
    raw = (SEEDS / REFERENCE).read_bytes()
    article = newsmeta.loads(raw)
    article.data.insert(1, "subtitle", "Police: no")  # type: ignore[attr-defined]
    assert changes(raw, article.dumps()) == [([], [b'subtitle: "Police: no"\n'])]
    assert lines(article.dumps())[2] == b'subtitle: "Police: no"\n'


COMMENTED = b"---\ntopics:\n  # first comes A\n  - A\n  - B\nquality: 1\n---\n"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: d.__setitem__("topics", ["A", "B", "C"]),
            b"\n  # first comes A\n  - A\n  - B\n  - C\n",
        ),
        (lambda d: d["topics"].__delitem__(0), b"\n  # first comes A\n  - B\n"),
        (lambda d: d["topics"].remove("B"), b"\n  # first comes A\n  - A\n"),
        (lambda d: d.__setitem__("topics", []), b" []\n"),
        (lambda d: d["topics"].clear(), b" []\n"),
        (lambda d: d.__setitem__("topics", "none"), b" none\n"),
    ],
)
def test_a_comment_above_the_first_item_stays_or_goes_with_the_items(
    change: Callable[[Any], None], expected: bytes
) -> None:
    # The same files as newsmeta edit writes for the same changes (tests/test_edit.py).
    article = newsmeta.loads(COMMENTED)
    change(article.data)
    assert article.dumps() == b"---\ntopics:" + expected + b"quality: 1\n---\n"


def test_a_flow_list_stays_flow_and_a_quoted_date_stays_quoted() -> None:
    raw = b'---\nflow: [a, b]\npublishedDateTime: "2020-06-11T16:42:00Z"\nx: 1\n---\n'
    article = newsmeta.loads(raw)
    article.data["flow"] = ["c", "yes"]
    article.data["publishedDateTime"] = dt.datetime(2021, 1, 2, tzinfo=dt.timezone.utc)
    assert article.dumps() == (
        b'---\nflow: [c, "yes"]\npublishedDateTime: "2021-01-02T00:00:00Z"\nx: 1\n---\n'
    )


# -- the same file as newsmeta edit ----------------------------------------------------------


def edited(raw: bytes, *operations: tuple[Kind, str]) -> bytes:
    parsed = tuple(parse_operation(kind, argument) for kind, argument in operations)
    result, _document = edit_article(split_article(raw), Plan(parsed, Checker(rules=())))
    assert result.outcome is Outcome.CHANGED, result.problems
    return result.after


@pytest.mark.parametrize("name", THREE)
def test_the_same_change_as_edit_gives_the_same_bytes(name: str) -> None:
    raw = (SEEDS / name).read_bytes()
    article = newsmeta.loads(raw)
    data = article.data
    data["title"] = 'He said "no": really'
    data["category"] = "y"
    data["quality"] = 99
    data["topics"].append("yes")
    del data["heat"]
    data["publishedDateTime"] = dt.datetime(2021, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)
    data["provider"] = {"name": "off", "domain": "x.org"}
    data["related"][0]["title"] = "Related: one"
    expected = edited(
        raw,
        (Kind.SET_STR, 'title=He said "no": really'),
        (Kind.SET_STR, "category=y"),
        (Kind.SET, "quality=99"),
        (Kind.ADD, "topics=yes"),
        (Kind.UNSET, "heat"),
        (Kind.SET, "publishedDateTime=2021-01-02T03:04:05Z"),
        (Kind.SET, "provider={name: 'off', domain: x.org}"),
        (Kind.SET_STR, "related[0].title=Related: one"),
    )
    assert article.dumps() == expected


# -- the frame: CRLF, BOM, body, mode ---------------------------------------------------------


@pytest.mark.parametrize(
    "body", [b"", b"\n", b"Body without a last newline", b"# Title\r\n\r\nText\n\n", b"\xff\x00"]
)
def test_body_and_its_last_newline_are_kept(tmp_path: Path, body: bytes) -> None:
    path = tmp_path / "article.md"
    path.write_bytes(b"---\ntitle: A\nquality: 1\n---\n" + body)
    article = newsmeta.load(path)
    assert article.body_bytes == body
    assert article.body == body.decode("utf-8", errors="replace")
    article.data["quality"] = 2
    assert article.save() is True
    assert path.read_bytes() == b"---\ntitle: A\nquality: 2\n---\n" + body


@pytest.mark.parametrize("mode", [0o600, 0o640, 0o664])
def test_mode_is_kept(tmp_path: Path, mode: int) -> None:
    path = copy_seed(tmp_path, CRLF)
    path.chmod(mode)
    article = newsmeta.load(path)
    article.data["quality"] = 1
    assert article.save() is True
    assert stat.S_IMODE(path.stat().st_mode) == mode
    assert newsmeta.load(path).data["quality"] == 1


def test_save_replaces_the_file_atomically(tmp_path: Path) -> None:
    path = copy_seed(tmp_path, BOM)
    inode = path.stat().st_ino
    article = newsmeta.load(path)
    article.data["quality"] = 1
    article.save()
    # A new inode: written to a temporary file and renamed, not rewritten in place.
    assert path.stat().st_ino != inode
    assert sorted(p.name for p in tmp_path.iterdir()) == [BOM]


# -- after a save ------------------------------------------------------------------------------


def test_after_a_save_the_next_save_diffs_against_the_file_as_written(tmp_path: Path) -> None:
    path = copy_seed(tmp_path, REFERENCE)
    article = newsmeta.load(path)
    data = article.data
    data["quality"] = 1
    data["topics"].append("Privacy")
    assert article.save() is True
    written = path.read_bytes()
    assert article.save() is False
    assert path.read_bytes() == written
    data["quality"] = 2  # the same mapping as before the save
    assert article.save() is True
    assert changes(written, path.read_bytes()) == [([b"quality: 1\n"], [b"quality: 2\n"])]


# -- refusals ----------------------------------------------------------------------------------


@pytest.mark.parametrize("same_size", [False, True])
def test_a_file_changed_on_disk_is_not_overwritten(tmp_path: Path, same_size: bool) -> None:
    path = copy_seed(tmp_path, REFERENCE)
    article = newsmeta.load(path)
    article.data["quality"] = 99
    theirs = path.read_bytes()
    theirs = theirs.replace(b"quality: 27", b"quality: 28") if same_size else theirs + b"more\n"
    path.write_bytes(theirs)
    if same_size:  # the same size and modification time: only the bytes tell
        os.utime(path, ns=(OLD_MTIME_NS, OLD_MTIME_NS))
    with pytest.raises(newsmeta.WriteError) as caught:
        article.save()
    assert caught.value.code == "changed-on-disk"
    assert path.read_bytes() == theirs
    assert sorted(p.name for p in tmp_path.iterdir()) == [REFERENCE]


def test_a_read_only_file_is_not_written(tmp_path: Path) -> None:
    path = copy_seed(tmp_path, REFERENCE)
    before = path.read_bytes()
    path.chmod(0o444)
    article = newsmeta.load(path)
    article.data["quality"] = 99
    with pytest.raises(newsmeta.WriteError) as caught:
        article.save()
    assert caught.value.code == "read-only"
    assert path.read_bytes() == before


def test_an_article_from_loads_cannot_be_saved() -> None:
    article = newsmeta.loads((SEEDS / REFERENCE).read_text(encoding="utf-8"))
    assert article.path is None
    article.data["quality"] = 1
    with pytest.raises(newsmeta.WriteError) as caught:
        article.save()
    assert caught.value.code == "io-error"
    assert b"quality: 1\n" in article.dumps()


@pytest.mark.parametrize(
    ("value", "error", "where"),
    [
        ((1, 2), TypeError, "quality: a value of type tuple"),
        ({"a": [b"x"]}, TypeError, "quality.a[0]: a value of type bytes"),
        ({(1, 2): 1}, TypeError, "a key of type tuple"),
        ("\ud800", ValueError, "quality: a value holds a character UTF-8 cannot store"),
    ],
)
def test_values_yaml_cannot_hold_are_refused(
    tmp_path: Path, value: object, error: type[Exception], where: str
) -> None:
    path = copy_seed(tmp_path, REFERENCE)
    before = path.read_bytes()
    article = newsmeta.load(path)
    article.data["quality"] = value
    with pytest.raises(error, match=re.escape(where)):
        article.save()
    assert path.read_bytes() == before


# -- errors on reading --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "code", "line", "column"),
    [
        (b"---\ntitle: [unclosed\nquality: 1\n---\n", "yaml-syntax", 3, 8),
        (b"---\ntitle: a\ntitle: b\n---\n", "duplicate-key", 3, 1),
        (b"---\ntitle: a\n  quality: 1\n---\n", "yaml-syntax", 3, 10),
        (b"no front matter\n", "no-front-matter", 1, 1),
        (b"+++\ntitle = 'a'\n+++\n", "toml-front-matter", 1, 1),
        (b"---\ntitle: a\n", "unclosed-front-matter", 1, 1),
    ],
)
def test_unreadable_articles_raise_article_error_with_position(
    tmp_path: Path, raw: bytes, code: str, line: int, column: int
) -> None:
    path = tmp_path / "broken.md"
    path.write_bytes(raw)
    with pytest.raises(newsmeta.ArticleError) as caught:
        newsmeta.load(path)
    assert (caught.value.code, caught.value.line, caught.value.column) == (code, line, column)
    assert str(caught.value) == caught.value.message
    with pytest.raises(newsmeta.ArticleError):
        newsmeta.loads(raw)


# -- reading -----------------------------------------------------------------------------------


def test_data_and_to_dict() -> None:
    article = newsmeta.load(SEEDS / REFERENCE)
    assert article.path == SEEDS / REFERENCE
    assert article.data["provider"]["name"] == "Washington Post"
    assert article.data["published"] is False
    plain = article.to_dict()
    assert type(plain) is dict and type(plain["title"]) is str and type(plain["topics"]) is list
    assert plain["publishedDateTime"] == dt.datetime(2020, 6, 11, 16, 42, tzinfo=dt.timezone.utc)
    assert type(plain["publishedDateTime"]) is dt.datetime
    assert plain == to_plain(Document(split_article((SEEDS / REFERENCE).read_bytes())).data)
    plain["quality"] = 1  # a copy
    assert article.data["quality"] == 27


def test_empty_front_matter_is_an_empty_mapping() -> None:
    raw = b"---\n# only a comment\n---\nBody\n"
    article = newsmeta.loads(raw)
    assert dict(article.data) == {} and article.to_dict() == {}
    assert article.dumps() == raw
    article.data["title"] = "A"
    assert article.dumps() == b"---\n# only a comment\ntitle: A\n---\nBody\n"


def test_validate_checks_the_data_as_it_is_now() -> None:
    article = newsmeta.load(SEEDS / REFERENCE)
    assert [(p.rule, p.severity.value) for p in article.validate()] == [("url-entity", "warning")]
    article.data["quality"] = 150
    article.data.insert(0, "subtitle", "Moves every line down")  # type: ignore[attr-defined]
    found = [p for p in article.validate() if p.rule == "out-of-range"]
    assert len(found) == 1
    assert found[0].path == str(SEEDS / REFERENCE)
    assert lines(article.dumps())[found[0].line - 1].startswith(b"quality: 150")
    assert found[0].line == 1 + lines((SEEDS / REFERENCE).read_bytes()).index(b"quality: 27\n") + 1


def test_validate_reads_the_configuration_given(tmp_path: Path) -> None:
    config = tmp_path / "newsmeta.toml"
    config.write_text('[rules]\nurl-entity = "off"\n', encoding="utf-8")
    article = newsmeta.load(SEEDS / REFERENCE)
    assert article.validate(config) == []


# -- a cheap import ----------------------------------------------------------------------------


def test_import_newsmeta_does_not_load_ruamel() -> None:
    script = (
        "import sys, newsmeta\n"
        "assert not [m for m in sys.modules if m.startswith(('ruamel', 'newsmeta.'))], "
        "sorted(sys.modules)\n"
        "newsmeta.load\n"
        "assert 'ruamel.yaml' in sys.modules\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=cli_environment(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_the_api_names_are_exported() -> None:
    from newsmeta import api, errors

    assert newsmeta.__all__ == [
        "Article",
        "ArticleError",
        "WriteError",
        "__version__",
        "load",
        "loads",
    ]
    assert (newsmeta.load, newsmeta.loads, newsmeta.Article) == (api.load, api.loads, api.Article)
    assert (newsmeta.ArticleError, newsmeta.WriteError) == (errors.ArticleError, errors.WriteError)
    assert set(newsmeta.__all__) <= set(dir(newsmeta))
    with pytest.raises(AttributeError):
        newsmeta.no_such_name  # noqa: B018


# -- properties --------------------------------------------------------------------------------

SEED_BYTES = {name: (SEEDS / name).read_bytes() for name in THREE}


@SETTINGS
@given(name=st.sampled_from(THREE), quality=st.integers())
def test_any_quality_changes_one_line(name: str, quality: int) -> None:
    raw = SEED_BYTES[name]
    article = newsmeta.loads(raw)
    was = article.data["quality"]
    article.data["quality"] = quality
    after = article.dumps()
    if quality == was:
        assert after == raw
    else:
        ending = newline_of(raw)
        old, new = lines(raw), lines(after)
        assert len(old) == len(new)
        differing = [i for i, (a, b) in enumerate(zip(old, new, strict=True)) if a != b]
        assert [(old[i], new[i]) for i in differing] == [
            (f"quality: {was}".encode() + ending, f"quality: {quality}".encode() + ending)
        ]
    assert newsmeta.loads(after).data["quality"] == quality


TITLE = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)


@SETTINGS
@given(name=st.sampled_from(THREE), title=TITLE)
def test_any_title_changes_only_the_title_line(name: str, title: str) -> None:
    raw = SEED_BYTES[name]
    article = newsmeta.loads(raw)
    article.data["title"] = title
    after = article.dumps()
    assert newsmeta.loads(after).data["title"] == title
    for removed, added in changes(raw, after):
        assert removed == [line_of(raw, b"title: ")]
        assert len(added) == 1 and added[0].startswith(b"title: ")
    assert_frame_kept(raw, after)


# -- the examples of docs/python-api.md ---------------------------------------------------------


def test_the_documented_examples_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = (ROOT / "docs" / "python-api.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^```python\n(.*?)^```", text, re.DOTALL | re.MULTILINE)
    assert len(blocks) >= 8
    shutil.copytree(SEEDS, tmp_path / "seeds")
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {"__name__": "python_api_md"}
    for block in blocks:
        exec(compile(block, "docs/python-api.md", "exec"), namespace)
    # The examples changed the files they say they changed, and no other.
    changed = sorted(
        path.name
        for path in (tmp_path / "seeds").iterdir()
        if path.read_bytes() != (SEEDS / path.name).read_bytes()
    )
    assert changed == [REFERENCE, "001_eu-ai-act-vote.md", CRLF]


PLAIN_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
VALUE = st.recursive(
    st.none() | st.booleans() | st.integers() | PLAIN_TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(PLAIN_TEXT, inner, max_size=3),
    max_leaves=6,
)


@SETTINGS
@given(
    name=st.sampled_from(THREE),
    key=st.sampled_from(["title", "quality", "topics", "provider", "published", "extra"]),
    value=VALUE,
)
def test_setting_a_value_gives_the_bytes_edit_gives(name: str, key: str, value: Any) -> None:
    from newsmeta.operations import Operation

    raw = SEED_BYTES[name]
    plan = Plan((Operation(Kind.SET, (key,), value),), Checker(rules=()))
    result, _document = edit_article(split_article(raw), plan)
    article = newsmeta.loads(raw)
    article.data[key] = value
    if result.outcome is Outcome.FAILED:
        # A key edit cannot write either (one holding U+0085): refused alike, not written.
        assert [p.rule for p in result.problems] == ["internal-error"]
        with pytest.raises(newsmeta.ArticleError) as caught:
            article.dumps()
        assert caught.value.code == "internal-error"
        return
    after = article.dumps()
    assert after == (result.after if result.outcome is Outcome.CHANGED else raw)
    assert newsmeta.loads(after).to_dict()[key] == value


def test_a_missing_file_is_file_not_found(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        newsmeta.load(tmp_path / "nope.md")


def test_an_unreadable_file_raises_article_error(tmp_path: Path) -> None:
    folder = tmp_path / "a-folder.md"
    folder.mkdir()
    with pytest.raises(newsmeta.ArticleError) as caught:
        newsmeta.load(folder)
    assert caught.value.code == "io-error"
