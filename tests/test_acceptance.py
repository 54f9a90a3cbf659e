"""Acceptance tests of ``newsmeta validate`` (and ``--fix``) through the real CLI.

A generated corpus with known defects, hostile files, the reference seed, and the seeds with
CRLF line endings, a byte order mark and no final newline: what a user would run, checked
against what the files really hold.
"""

from __future__ import annotations

import json
import re
import shutil
import stat
import subprocess
import sys
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from .conftest import MINIMAL, REFERENCE, SEEDS, SHARED, Result, assert_no_traceback, run_cli

GENERATOR = SHARED / "bench" / "gen_corpus.py"
CORPUS_ARGS = ("--count", "2000", "--seed", "11", "--invalid-rate", "0.25")

# The generator's defect kinds and the rule that must report each.
DEFECT_RULE = {
    "missing-title": "required-field",
    "bad-date": "invalid-date",
    "bad-url": "invalid-url",
    "bad-type": "wrong-type",
    "amp-mismatch": "amp-url",
    "duplicate-key": "duplicate-key",
    "yaml-syntax": "yaml-syntax",
    "unclosed-front-matter": "unclosed-front-matter",
    "bad-provider": "wrong-type",
}
# The AMP cache URL of the generator's injected ampWebUrl "https://example.com/x".
INJECTED_AMP_CACHE = "https://example-com.cdn.ampproject.org/c/s/example.com/x"

# path:line:col: severity [rule] message   (line:col absent when there is no position)
PROBLEM_LINE = re.compile(
    r"^(?P<path>[^:]+)(?::(?P<line>\d+):(?P<column>\d+))?: "
    r"(?P<severity>error|warning) \[(?P<rule>[a-z-]+)\] (?P<message>.+)$"
)


def problem_lines(result: Result) -> list[re.Match[str]]:
    """Every stdout line of a text-format run, parsed (an unparseable line fails)."""
    matches = []
    for line in result.stdout.splitlines():
        match = PROBLEM_LINE.match(line)
        assert match is not None, f"not a problem line: {line!r}"
        matches.append(match)
    return matches


def file_states(folder: Path) -> dict[str, tuple[bytes, int, int]]:
    """Every file under ``folder``: its bytes, mtime (ns) and inode."""
    states = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            info = path.stat()
            states[path.relative_to(folder).as_posix()] = (
                path.read_bytes(),
                info.st_mtime_ns,
                info.st_ino,
            )
    return states


# -- a. the generated corpus --------------------------------------------------------------


@dataclass(frozen=True)
class Corpus:
    folder: Path  # holds "articles/" (the corpus) and nothing else
    manifest: dict[str, str]  # path inside articles/ -> defect kind or "ok"

    @property
    def articles(self) -> Path:
        return self.folder / "articles"

    def text(self, name: str) -> list[str]:
        return (self.articles / name).read_text(encoding="utf-8").split("\n")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    if not GENERATOR.is_file():
        pytest.skip(f"{GENERATOR} is absent (../shared is not checked out)")
    folder = tmp_path_factory.mktemp("generated")
    subprocess.run(
        [sys.executable, str(GENERATOR), str(folder / "articles"), *CORPUS_ARGS],
        check=True,
        capture_output=True,
        timeout=120,
    )
    rows = (folder / "articles" / "MANIFEST.tsv").read_text(encoding="utf-8").splitlines()
    assert rows[0] == "path\tdefect"
    manifest = dict(row.split("\t") for row in rows[1:])
    assert len(manifest) == 2000
    return Corpus(folder, manifest)


@pytest.fixture(scope="module")
def corpus_run(corpus: Corpus) -> tuple[Result, dict[str, list[dict[str, Any]]]]:
    """One ``validate --format json`` over the corpus, its problems grouped by file."""
    result = run_cli("validate", "--format", "json", "articles", cwd=corpus.folder)
    by_file: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for problem in json.loads(result.stdout):
        by_file[Path(problem["path"]).relative_to("articles").as_posix()].append(problem)
    return result, by_file


def _index(lines: list[str], predicate: Any, nth: int = 0) -> int:
    """The 1-based file line of the ``nth`` line (0-based count) that ``predicate`` accepts."""
    found = [number for number, line in enumerate(lines, start=1) if predicate(line)]
    return found[nth]


def defect_line(kind: str, lines: list[str]) -> int | None:
    """The file line the injected defect is on, where that is well defined."""
    if kind == "bad-date":
        return _index(lines, lambda line: line == "publishedDateTime: sometime last tuesday")
    if kind == "bad-url":
        return _index(lines, lambda line: line == 'webUrl: "htp//broken url with spaces"')
    if kind == "bad-type":
        return _index(lines, lambda line: line == "quality: high")
    if kind == "duplicate-key":
        return _index(lines, lambda line: line.startswith("quality:"), nth=1)
    if kind == "amp-mismatch":
        return _index(lines, lambda line: line.startswith('cdnAmpWebUrl: "https://wrong-host.'))
    if kind == "bad-provider":
        return _index(lines, lambda line: line == "provider: Washington Post")
    if kind == "unclosed-front-matter":
        return 1
    return None  # missing-title: a field that is not there; yaml-syntax: checked apart


def test_corpus_has_every_defect_kind(corpus: Corpus) -> None:
    kinds = set(corpus.manifest.values())
    assert kinds == {"ok", *DEFECT_RULE}


def test_corpus_exit_code_and_summary(corpus: Corpus, corpus_run: Any) -> None:
    result, _by_file = corpus_run
    assert_no_traceback(result)
    assert result.code == 1
    defects = sum(1 for kind in corpus.manifest.values() if kind != "ok")
    assert f"in {defects:,} of 2,000 files" in result.stderr


def test_corpus_ok_files_have_no_problem(corpus: Corpus, corpus_run: Any) -> None:
    _result, by_file = corpus_run
    flagged = {name: by_file[name] for name, kind in corpus.manifest.items() if kind == "ok"}
    assert {name: found for name, found in flagged.items() if found} == {}


def test_corpus_every_defect_is_reported_where_it_is(corpus: Corpus, corpus_run: Any) -> None:
    _result, by_file = corpus_run
    wrong: list[str] = []
    for name, kind in sorted(corpus.manifest.items()):
        if kind == "ok":
            continue
        found = by_file.get(name, [])
        rules = sorted(problem["rule"] for problem in found)
        allowed = {DEFECT_RULE[kind]} | ({"duplicate-url"} if kind == "bad-url" else set())
        if DEFECT_RULE[kind] not in rules or not set(rules) <= allowed:
            wrong.append(f"{name} ({kind}): rules {rules}")
            continue
        # The one error is the expected rule; a bad-url file may also warn of a shared webUrl.
        errors = [p for p in found if p["severity"] == "error"]
        if [p["rule"] for p in errors] != [DEFECT_RULE[kind]]:
            wrong.append(f"{name} ({kind}): errors {errors}")
            continue
        problem = errors[0]
        lines = corpus.text(name)
        expected = defect_line(kind, lines)
        if problem["line"] <= 0 or problem["column"] <= 0:
            wrong.append(f"{name} ({kind}): no position {problem}")
        elif expected is not None and problem["line"] != expected:
            wrong.append(f"{name} ({kind}): line {problem['line']}, defect on {expected}")
        elif kind == "yaml-syntax":
            # The title lost its closing quote: the scanner reads on into the next line and
            # fails there.  Either line is a fair place to point at.
            title = _index(lines, lambda line: line.startswith('title: "'))
            if problem["line"] not in (title, title + 1):
                wrong.append(f"{name} ({kind}): line {problem['line']}, title on {title}")
    assert wrong == []


def test_corpus_shared_broken_url_warns_only_on_defect_files(
    corpus: Corpus, corpus_run: Any
) -> None:
    _result, by_file = corpus_run
    warned = {
        name for name, found in by_file.items() if any(p["rule"] == "duplicate-url" for p in found)
    }
    assert all(corpus.manifest[name] == "bad-url" for name in warned)


def test_corpus_fix_repairs_amp_mismatches_and_touches_nothing_else(
    corpus: Corpus, tmp_path: Path
) -> None:
    shutil.copytree(corpus.articles, tmp_path / "articles")
    before = file_states(tmp_path / "articles")
    result = run_cli("validate", "--fix", "--format", "json", "articles", cwd=tmp_path)
    after = file_states(tmp_path / "articles")
    assert_no_traceback(result)
    assert result.code == 1  # the other defects remain

    amp = sorted(name for name, kind in corpus.manifest.items() if kind == "amp-mismatch")
    assert f"fixed {len(amp)} problems in {len(amp)} files" in result.stderr
    remaining = json.loads(result.stdout)
    assert [p for p in remaining if p["rule"] == "amp-url"] == []
    assert not any(p["fixable"] for p in remaining)

    changed = sorted(name for name in before if before[name][0] != after[name][0])
    assert changed == amp  # no ok file, and no other defect file, was written
    for name in before:
        if name not in amp:
            assert after[name] == before[name], name  # bytes, mtime and inode
    for name in amp:
        old = before[name][0].decode("utf-8").split("\n")
        new = after[name][0].decode("utf-8").split("\n")
        number = defect_line("amp-mismatch", old) - 1
        assert new[number] == f'cdnAmpWebUrl: "{INJECTED_AMP_CACHE}"', name
        assert new[:number] + new[number + 1 :] == old[:number] + old[number + 1 :], name


# -- b. hostile and broken files ----------------------------------------------------------

LATIN1_TITLE = b'title: "A caf\xe9 headline"\n'


def _alias_bomb() -> bytes:
    lines = ["---", "a0: &a0 [" + ", ".join(["lol"] * 10) + "]"]
    for level in range(1, 9):
        lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * 10) + "]")
    return ("\n".join([*lines, "---", ""])).encode()


BAD_FILES: dict[str, tuple[bytes, str]] = {
    "x.md": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00", "binary"),
    "empty.md": (b"", "no-front-matter"),
    "latin1.md": (MINIMAL.replace(b'title: "A headline"\n', LATIN1_TITLE), "encoding"),
    "bomb.md": (_alias_bomb(), "alias-bomb"),
    # 20,000 nested flow sequences: the parser's recursion gives out; that is "too deep",
    # not a syntax error (the brackets balance).
    "deep.md": (b"---\ntitle: " + b"[" * 20_000 + b"]" * 20_000 + b"\n---\n", "too-deep"),
    "tag.md": (
        b'---\ntitle: !!python/object/apply:os.system ["touch PWNED"]\n---\n',
        "unknown-tag",
    ),
}
# Where each problem must point (line, column); alias-bomb: see its own test below.
BAD_POSITIONS = {
    "x.md": (3, 1),  # the first NUL: after "\x89PNG\r\n" and "\x1a\n"
    "empty.md": (1, 1),
    "latin1.md": (2, LATIN1_TITLE.index(b"\xe9") + 1),
    "deep.md": (2, 1),
    "tag.md": (2, 8),  # the tag, after "title: "
}


@pytest.fixture
def bad_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "bad"
    folder.mkdir()
    for name, (content, _rule) in BAD_FILES.items():
        (folder / name).write_bytes(content)
    (folder / "good.md").write_bytes(MINIMAL)
    return folder


def _assert_bad_files_reported(result: Result, folder: Path) -> None:
    assert_no_traceback(result)
    assert result.code == 1
    found = problem_lines(result)
    by_path: dict[str, list[re.Match[str]]] = defaultdict(list)
    for match in found:
        by_path[match["path"]].append(match)
    assert sorted(by_path) == sorted(BAD_FILES)  # one entry a bad file; good.md clean
    for name, (_content, rule) in BAD_FILES.items():
        assert len(by_path[name]) == 1, by_path[name]
        match = by_path[name][0]
        assert (match["severity"], match["rule"]) == ("error", rule), match.group()
        if name in BAD_POSITIONS:
            assert (int(match["line"]), int(match["column"])) == BAD_POSITIONS[name]
    assert f"6 errors, 0 warnings in 6 of {len(BAD_FILES) + 1} files" in result.stderr
    assert not (folder / "PWNED").exists()
    assert not (Path.cwd() / "PWNED").exists()


def test_bad_files_each_get_one_problem(bad_folder: Path) -> None:
    result = run_cli("validate", ".", cwd=bad_folder)
    _assert_bad_files_reported(result, bad_folder)


def test_bad_files_fix_writes_nothing(bad_folder: Path) -> None:
    before = file_states(bad_folder)
    result = run_cli("validate", "--fix", ".", cwd=bad_folder)
    _assert_bad_files_reported(result, bad_folder)
    assert "fixed" not in result.stderr
    assert file_states(bad_folder) == before  # bytes, mtimes, inodes; no new file


def test_alias_bomb_problem_has_a_position(tmp_path: Path) -> None:
    (tmp_path / "bomb.md").write_bytes(_alias_bomb())
    result = run_cli("validate", "bomb.md", cwd=tmp_path)
    match = problem_lines(result)[0]
    assert match["rule"] == "alias-bomb"
    assert match["line"] is not None and int(match["line"]) >= 2


# -- c. the reference seed ----------------------------------------------------------------


def test_fix_reference_seed_changes_only_the_entity(tmp_path: Path) -> None:
    original = REFERENCE.read_bytes()
    lines = original.split(b"\n")
    assert original.count(b"&#038;") == 1 and b"&#038;" in lines[41]
    path = tmp_path / REFERENCE.name
    path.write_bytes(original)

    result = run_cli("validate", "--fix", REFERENCE.name, cwd=tmp_path)
    assert_no_traceback(result)
    assert result.code == 0
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"{REFERENCE.name}:42:14: fixed [url-entity] related[0].images[0].url has the HTML "
        "entity '&#038;' where the URL needs the character",
        "fixed 1 problem in 1 file; no problems in 1 file",
    ]
    fixed = path.read_bytes()
    assert fixed == original.replace(b"&#038;", b"&")
    new_lines = fixed.split(b"\n")
    assert [n for n, (a, b) in enumerate(zip(lines, new_lines, strict=True)) if a != b] == [41]

    again = run_cli("validate", REFERENCE.name, cwd=tmp_path)
    assert (again.code, again.stdout) == (0, "")
    assert again.stderr == "no problems in 1 file\n"

    info = path.stat()
    refix = run_cli("validate", "--fix", REFERENCE.name, cwd=tmp_path)
    assert (refix.code, refix.stdout) == (0, "")
    assert "fixed" not in refix.stderr
    assert path.read_bytes() == fixed
    assert (path.stat().st_mtime_ns, path.stat().st_ino) == (info.st_mtime_ns, info.st_ino)


# -- d. --fix keeps line endings, BOM, comments, body and a missing final newline ----------


def _seed(prefix: str) -> bytes:
    (path,) = SEEDS.glob(f"{prefix}_*")
    return path.read_bytes()


def _with_comments(raw: bytes) -> bytes:
    """The seed with a comment line and two end-of-line comments (none of the seeds has any)."""
    nl = b"\r\n" if b"\r\n" in raw else b"\n"
    edits = [
        (b"type: article" + nl, b"type: article  # kind of page" + nl),
        (nl + b"topics:" + nl, nl + b"# Topics, most important first" + nl + b"topics:" + nl),
        (nl + b"provider:" + nl, nl + b"provider:  # who published it" + nl),
    ]
    for old, new in edits:
        assert old in raw
        raw = raw.replace(old, new, 1)
    return raw


def _sub(pattern: bytes, replacement: bytes, raw: bytes) -> bytes:
    new, count = re.subn(pattern, replacement, raw, count=1, flags=re.MULTILINE)
    assert count == 1, pattern
    return new


def _duplicate_first_topic(raw: bytes) -> bytes:
    nl = b"\r\n" if b"\r\n" in raw else b"\n"
    match = re.search(rb"^topics:\r?\n((?:  - [^\r\n]*\r?\n)+)", raw, flags=re.MULTILINE)
    assert match is not None
    first = match.group(1).split(nl)[0]
    return raw[: match.end(1)] + first + nl + raw[match.end(1) :]


def _edit(pattern: bytes, replacement: bytes) -> Callable[[bytes], bytes]:
    """An injection: replace the one match of ``pattern`` (a whole-line anchored regex)."""
    return lambda raw: _sub(pattern, replacement, raw)


_CDN = rb'^cdnAmpWebUrl: "https://'
_RELATED_CDN = rb'^    cdnAmpWebUrl: "https://'

# name -> (seed prefix, injection, kind of defect --fix repairs)
INJECTIONS: dict[str, tuple[str, Callable[[bytes], bytes], str]] = {
    "crlf-title-space": ("012", _edit(rb'^title: "(.*)"', rb'title: "\1 "'), "ws"),
    "crlf-excerpt-space": ("012", _edit(rb'^excerpt: "', b'excerpt: "  '), "ws"),
    "crlf-topic": ("012", _duplicate_first_topic, "topic"),
    "crlf-amp": ("012", _edit(_CDN + rb"www-reuters-com\.", _CDN[1:] + b"x."), "amp"),
    "crlf-entity": ("012", _edit(rb"(auth=9b8e7d6c5a)&", rb"\1&#038;"), "entity"),
    "bom-title-space": ("013", _edit(rb'^title: "', b'title: "\t'), "ws"),
    "bom-topic": ("013", _duplicate_first_topic, "topic"),
    "bom-amp": ("013", _edit(_CDN + rb"www-bbc-co-uk\.", _CDN[1:] + b"x."), "amp"),
    "noeol-related-title": ("008", _edit(rb'^  - title: "(.*)"', rb'  - title: " \1"'), "ws"),
    "noeol-topic": ("008", _duplicate_first_topic, "topic"),
    "noeol-related-amp": (
        "008",
        _edit(_RELATED_CDN + rb"www-the--scientist", _RELATED_CDN[1:] + b"www-the-scientist"),
        "amp",
    ),
}
RULE_OF = {
    "ws": "text-whitespace",
    "topic": "duplicate-topic",
    "amp": "amp-url",
    "entity": "url-entity",
}


def test_seeds_hold_what_the_fidelity_test_needs() -> None:
    assert b"\r\n" in _seed("012") and b"\n" not in _seed("012").replace(b"\r\n", b"")
    assert _seed("013").startswith(b"\xef\xbb\xbf---\n")
    assert not _seed("008").endswith(b"\n") and b"\n---\n\n## " in _seed("008")


def test_fix_keeps_crlf_bom_comments_body_and_missing_final_newline(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    originals: dict[str, bytes] = {}
    for name, (prefix, inject, _kind) in INJECTIONS.items():
        original = _with_comments(_seed(prefix))
        injected = inject(original)
        assert injected != original
        originals[f"{name}.md"] = original
        (folder / f"{name}.md").write_bytes(injected)

    # Each injected file has exactly the one fixable problem it was given.
    found = run_cli("validate", "--ignore", "duplicate-url", "articles", cwd=tmp_path)
    assert_no_traceback(found)
    rules = {
        Path(m["path"]).name: (m["rule"], m.group().endswith("(fixable)"))
        for m in problem_lines(found)
    }
    assert len(problem_lines(found)) == len(INJECTIONS)
    assert rules == {
        f"{name}.md": (RULE_OF[kind], True) for name, (_p, _i, kind) in INJECTIONS.items()
    }

    result = run_cli("validate", "--fix", "--ignore", "duplicate-url", "articles", cwd=tmp_path)
    assert_no_traceback(result)
    assert (result.code, result.stdout) == (0, "")
    n = len(INJECTIONS)
    assert f"fixed {n} problems in {n} files; no problems in {n} files" in result.stderr
    differ = {
        name: (original, (folder / name).read_bytes())
        for name, original in originals.items()
        if (folder / name).read_bytes() != original
    }
    assert differ == {}


# -- e. read-only file, f. standard input -------------------------------------------------


def test_fix_refuses_a_read_only_file(tmp_path: Path) -> None:
    # newsmeta refuses a file without any write bit even when it runs as root (who could
    # write it): writer._is_read_only.  So this holds for every user, root included.
    path = tmp_path / "locked.txt"
    path.write_bytes(REFERENCE.read_bytes())
    path.chmod(0o444)
    info = path.stat()
    try:
        result = run_cli("validate", "--fix", "locked.txt", cwd=tmp_path)
        assert_no_traceback(result)
        assert result.code == 2
        assert "locked.txt: error [read-only] file is read-only" in result.stdout
        # What the file still has is reported too: nothing was fixed.
        assert "locked.txt:42:14: warning [url-entity]" in result.stdout
        assert "fixed" not in result.stderr
        assert path.read_bytes() == REFERENCE.read_bytes()
        after = path.stat()
        assert (after.st_mtime_ns, after.st_ino) == (info.st_mtime_ns, info.st_ino)
        assert stat.S_IMODE(after.st_mode) == 0o444
        assert [p.name for p in tmp_path.iterdir()] == ["locked.txt"]  # no temporary file
    finally:
        path.chmod(0o644)


def test_fix_with_standard_input_is_a_usage_error() -> None:
    result = run_cli("validate", "--fix", "-", stdin=MINIMAL)
    assert_no_traceback(result)
    assert result.code == 2
    assert result.stdout == ""
    assert "--fix" in result.stderr and "standard input" in result.stderr


# -- bugs found on the way ----------------------------------------------------------------


def test_duplicate_key_names_the_line_of_the_first_occurrence(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_bytes(b"---\ncategory: news\nquality: 1\nquality: 2\n---\n")
    result = run_cli("validate", "a.md", cwd=tmp_path)
    assert result.stdout == (
        "a.md:4:1: error [duplicate-key] duplicate key 'quality' (first on line 3)\n"
    )


def test_fix_counts_every_removed_topic_copy(tmp_path: Path) -> None:
    # Regression: both copies have the same message; they were once counted as one fix.
    article = MINIMAL.replace(b"---\nBody", b"topics:\n  - AI\n  - AI\n  - AI\n---\nBody")
    (tmp_path / "a.md").write_bytes(article)
    result = run_cli("validate", "--fix", "a.md", cwd=tmp_path)
    assert (tmp_path / "a.md").read_bytes() == article.replace(b"  - AI\n  - AI\n", b"")
    assert "fixed 2 problems in 1 file" in result.stderr
