"""``newsmeta edit`` on many files at once and on awkward ones, through the real CLI.

The batch checks run on a generated corpus (../shared/bench/gen_corpus.py, 2000 valid articles,
seed 3) whose ``--where`` matches are worked out here with PyYAML, not with newsmeta's query
code; they are skipped when ../shared is not there. The others write a few files of their own:
modes, symlinks, read-only files, files that fail, and edits the validation gate refuses.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from .conftest import SHARED, Result, assert_no_traceback, minimal_article, run_cli

GENERATOR = SHARED / "bench" / "gen_corpus.py"
COUNT = 2000
SEED = 3
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

QUERY = "(provider.name=Reuters OR provider.domain=bbc.co.uk) quality>=50 -topics=AI"
NEW_QUALITY = 99
QUALITY_LINE = re.compile(r"quality: \d+")


def matches_query(doc: dict[str, Any]) -> bool:
    """:data:`QUERY`, worked out by hand."""
    provider = doc["provider"]
    by_provider = provider["name"] == "Reuters" or provider["domain"] == "bbc.co.uk"
    return by_provider and doc["quality"] >= 50 and "AI" not in doc["topics"]


# -- reading files independently -------------------------------------------------------------


def front_matter(raw: bytes) -> dict[str, Any]:
    """The YAML between the ``---`` lines, read by PyYAML (not by newsmeta)."""
    lines = raw.decode("utf-8").split("\n")
    assert lines[0] == "---"
    end = lines.index("---", 1)
    data = yaml.load("\n".join(lines[1:end]), Loader=_LOADER)
    assert isinstance(data, dict)
    return data


@dataclass(frozen=True)
class State:
    """What a file holds and when it was last written."""

    content: bytes
    mtime_ns: int
    mode: int


def state_of(path: Path) -> State:
    info = os.stat(path)
    return State(path.read_bytes(), info.st_mtime_ns, stat.S_IMODE(info.st_mode))


def states(folder: Path, base: Path) -> dict[str, State]:
    """Every entry under ``folder`` (temporary files too), keyed by its path from ``base``."""
    return {
        str(path.relative_to(base)): state_of(path)
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def changed_lines(before: bytes, after: bytes) -> list[tuple[str, str]]:
    """The (old, new) pairs of lines that differ, for two texts with the same number of lines."""
    old, new = before.decode().split("\n"), after.decode().split("\n")
    assert len(old) == len(new)
    return [(a, b) for a, b in zip(old, new, strict=True) if a != b]


def stderr_lines(result: Result) -> list[str]:
    return result.stderr.splitlines()


def leftover_temporaries(*folders: Path) -> list[Path]:
    return [path for folder in folders for path in folder.iterdir() if ".newsmeta-" in path.name]


# -- the batch: one corpus, a dry run and then the real edit ---------------------------------


@dataclass(frozen=True)
class Batch:
    base: Path  # the commands run here, on the folder "corpus"
    docs: dict[str, dict[str, Any]]  # path as newsmeta prints it -> front matter before
    before: dict[str, State]
    dry: Result
    after_dry: dict[str, State]
    edit: Result
    after_edit: dict[str, State]

    @property
    def matched(self) -> set[str]:
        return {path for path, doc in self.docs.items() if matches_query(doc)}

    @property
    def to_change(self) -> set[str]:
        return {p for p in self.matched if self.docs[p]["quality"] != NEW_QUALITY}

    @property
    def already_set(self) -> set[str]:
        return self.matched - self.to_change


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Batch:
    if not GENERATOR.is_file():
        pytest.skip(f"{GENERATOR} is not here")
    base = tmp_path_factory.mktemp("edit-batch")
    folder = base / "corpus"
    subprocess.run(
        [
            sys.executable,
            str(GENERATOR),
            str(folder),
            "--count",
            str(COUNT),
            "--seed",
            str(SEED),
            "--invalid-rate",
            "0",
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    before = states(folder, base)
    docs = {path: front_matter(s.content) for path, s in before.items() if path.endswith(".txt")}
    assert len(docs) == COUNT
    args = ("edit", "corpus", "--where", QUERY, "--set", f"quality={NEW_QUALITY}")
    dry = run_cli(*args, "--dry-run", cwd=base)
    after_dry = states(folder, base)
    edit = run_cli(*args, cwd=base)
    after_edit = states(folder, base)
    return Batch(base, docs, before, dry, after_dry, edit, after_edit)


def test_the_query_picks_a_real_subset(batch: Batch) -> None:
    reuters = {p for p, doc in batch.docs.items() if doc["provider"]["name"] == "Reuters"}
    assert 50 < len(batch.to_change) < COUNT / 4
    assert reuters - batch.matched  # the other terms of the query leave some Reuters out
    assert batch.already_set  # some matched files already hold the value: nothing to write


def test_dry_run_writes_nothing(batch: Batch) -> None:
    assert_no_traceback(batch.dry)
    assert batch.dry.code == 0
    assert batch.after_dry.keys() == batch.before.keys()  # no file added, none removed
    differing = [p for p in batch.before if batch.after_dry[p] != batch.before[p]]
    assert differing == []  # bytes, mtime_ns and mode all the same


def test_dry_run_summary_counts_what_would_change(batch: Batch) -> None:
    not_matched = COUNT - len(batch.matched)
    assert stderr_lines(batch.dry) == [
        f"would change {len(batch.to_change)} files, {len(batch.already_set)} unchanged, "
        f"{not_matched:,} not matched by --where"
    ]


def test_dry_run_diff_names_exactly_the_matched_files(batch: Batch) -> None:
    lines = batch.dry.stdout.splitlines()
    new_names = [line.removeprefix("+++ ") for line in lines if line.startswith("+++ ")]
    old_names = [line.removeprefix("--- ") for line in lines if line.startswith("--- ")]
    assert new_names == old_names == sorted(batch.to_change)
    # Each file's hunk takes out its own quality line and puts in the new one, nothing else.
    removed: dict[str, list[str]] = {}
    added: dict[str, list[str]] = {}
    name = ""
    for line in lines:
        if line.startswith(("--- ", "+++ ")):
            name = line[4:]
        elif line.startswith("-"):
            removed.setdefault(name, []).append(line[1:])
        elif line.startswith("+"):
            added.setdefault(name, []).append(line[1:])
    assert removed == {p: [f"quality: {batch.docs[p]['quality']}"] for p in batch.to_change}
    assert added == {p: [f"quality: {NEW_QUALITY}"] for p in batch.to_change}


@pytest.mark.skipif(shutil.which("patch") is None, reason="needs the patch program")
def test_dry_run_diff_applied_with_patch_gives_what_the_edit_wrote(
    batch: Batch, tmp_path: Path
) -> None:
    for path, state in batch.before.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_bytes(state.content)
    subprocess.run(
        ["patch", "-p0", "--quiet", "--batch"],
        cwd=tmp_path,
        input=batch.dry.stdout.encode(),
        check=True,
        timeout=60,
    )
    patched = {path: (tmp_path / path).read_bytes() for path in batch.before}
    assert patched == {path: state.content for path, state in batch.after_edit.items()}


def test_batch_edit_exit_code_and_summary(batch: Batch) -> None:
    assert_no_traceback(batch.edit)
    assert batch.edit.code == 0
    assert batch.edit.stdout == ""
    not_matched = COUNT - len(batch.matched)
    assert stderr_lines(batch.edit) == [
        f"changed {len(batch.to_change)} files, {len(batch.already_set)} unchanged, "
        f"{not_matched:,} not matched by --where"
    ]


def test_batch_edit_changes_exactly_the_independently_matched_files(batch: Batch) -> None:
    assert batch.after_edit.keys() == batch.before.keys()  # no temporary file left behind
    changed = {p for p in batch.before if batch.after_edit[p].content != batch.before[p].content}
    assert changed == batch.to_change


def test_batch_edit_changes_only_the_quality_line(batch: Batch) -> None:
    for path in sorted(batch.to_change):
        before, after = batch.before[path], batch.after_edit[path]
        old = f"quality: {batch.docs[path]['quality']}"
        assert changed_lines(before.content, after.content) == [(old, f"quality: {NEW_QUALITY}")], (
            path
        )
        assert after.mode == before.mode, path
        assert front_matter(after.content) == {**batch.docs[path], "quality": NEW_QUALITY}, path


def test_batch_edit_keeps_bytes_and_mtime_of_every_other_file(batch: Batch) -> None:
    others = sorted(set(batch.before) - batch.to_change)
    assert len(others) == COUNT + 1 - len(batch.to_change)  # MANIFEST.tsv is one of them
    touched = [path for path in others if batch.after_edit[path] != batch.before[path]]
    assert touched == []  # same bytes, same st_mtime_ns, same mode


# -- modes and symlinks ----------------------------------------------------------------------


def with_quality(name: str, quality: str = "50") -> bytes:
    """:func:`minimal_article` with a ``quality`` line (line 5) before the provider."""
    return minimal_article(name).replace(
        b"provider:\n", f"quality: {quality}\nprovider:\n".encode()
    )


@pytest.mark.parametrize("mode", [0o640, 0o755, 0o604], ids=oct)
def test_edit_keeps_the_file_mode(tmp_path: Path, mode: int) -> None:
    path = tmp_path / "story.md"
    path.write_bytes(with_quality("story"))
    path.chmod(mode)
    result = run_cli("edit", "story.md", "--set", "quality=70", cwd=tmp_path)
    assert (result.code, result.stderr) == (0, "changed 1 file, 0 unchanged\n")
    assert changed_lines(with_quality("story"), path.read_bytes()) == [
        ("quality: 50", "quality: 70")
    ]
    assert stat.S_IMODE(os.stat(path).st_mode) == mode
    assert leftover_temporaries(tmp_path) == []


def test_edit_through_a_symlink_named_on_the_command_line(tmp_path: Path) -> None:
    work, store = tmp_path / "work", tmp_path / "store"
    work.mkdir()
    store.mkdir()
    target = store / "story.md"
    target.write_bytes(with_quality("story"))
    target.chmod(0o640)
    link = work / "link.md"
    link.symlink_to(Path("..", "store", "story.md"))
    result = run_cli("edit", "work/link.md", "--set", "quality=71", cwd=tmp_path)
    assert (result.code, result.stderr) == (0, "changed 1 file, 0 unchanged\n")
    assert link.is_symlink()
    assert os.readlink(link) == os.path.join("..", "store", "story.md")
    assert changed_lines(with_quality("story"), target.read_bytes()) == [
        ("quality: 50", "quality: 71")
    ]
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o640
    assert sorted(p.name for p in work.iterdir()) == ["link.md"]
    assert sorted(p.name for p in store.iterdir()) == ["story.md"]


def test_folder_walk_edits_symlinked_files_once_and_skips_folder_links(tmp_path: Path) -> None:
    """docs/files.md: symlinks to files are read (once, under the name that sorts first);
    symlinks to folders and broken symlinks are skipped."""
    work, outside = tmp_path / "work", tmp_path / "outside"
    (outside / "dir").mkdir(parents=True)
    work.mkdir()
    (work / "story.md").write_bytes(with_quality("story"))
    (work / "alias.md").symlink_to("story.md")
    (outside / "target.md").write_bytes(with_quality("target"))
    (work / "other.md").symlink_to(Path("..", "outside", "target.md"))
    inner = outside / "dir" / "inner.md"
    inner.write_bytes(with_quality("inner"))
    (work / "dirlink").symlink_to(Path("..", "outside", "dir"))
    (work / "dangling.md").symlink_to("nowhere.md")
    inner_before = state_of(inner)
    links_before = {p.name: os.readlink(p) for p in work.iterdir() if p.is_symlink()}

    result = run_cli("edit", "work", "--set", "quality=72", "--diff", cwd=tmp_path)

    assert_no_traceback(result)
    assert (result.code, result.stderr) == (0, "changed 2 files, 0 unchanged\n")
    named = [line[4:] for line in result.stdout.splitlines() if line.startswith("+++ ")]
    assert named == ["work/alias.md", "work/other.md"]
    for name, written in (("story", work / "story.md"), ("target", outside / "target.md")):
        assert changed_lines(with_quality(name), written.read_bytes()) == [
            ("quality: 50", "quality: 72")
        ]
    assert state_of(inner) == inner_before  # not reached through the folder link
    assert {p.name: os.readlink(p) for p in work.iterdir() if p.is_symlink()} == links_before
    assert not (work / "story.md").is_symlink()
    assert leftover_temporaries(work, outside) == []


# -- read-only files -------------------------------------------------------------------------


def test_read_only_file_is_reported_left_alone_and_the_others_change(tmp_path: Path) -> None:
    for name in ("a", "b", "c"):
        (tmp_path / f"{name}.md").write_bytes(with_quality(name))
    locked = tmp_path / "b.md"
    locked.chmod(0o444)
    locked_before = state_of(locked)

    result = run_cli("edit", ".", "--set", "quality=73", cwd=tmp_path)

    assert_no_traceback(result)
    assert result.code == 2
    assert stderr_lines(result) == [
        "b.md: error [read-only] file is read-only; left unchanged",
        "changed 2 files, 0 unchanged, 1 failed",
    ]
    assert state_of(locked) == locked_before  # bytes, mtime_ns and mode 0o444
    for name in ("a", "c"):
        assert changed_lines(with_quality(name), (tmp_path / f"{name}.md").read_bytes()) == [
            ("quality: 50", "quality: 73")
        ]
    assert leftover_temporaries(tmp_path) == []


def test_read_only_file_that_needs_no_write_is_not_a_failure(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_bytes(with_quality("a", "10"))
    (tmp_path / "b.md").write_bytes(with_quality("b", "73"))  # already what --set asks for
    (tmp_path / "c.md").write_bytes(with_quality("c", "90"))  # not matched by --where
    for name in ("b", "c"):
        (tmp_path / f"{name}.md").chmod(0o444)
    locked_before = {name: state_of(tmp_path / f"{name}.md") for name in ("b", "c")}

    result = run_cli("edit", ".", "--where", "quality<80", "--set", "quality=73", cwd=tmp_path)

    assert (result.code, result.stderr) == (
        0,
        "changed 1 file, 1 unchanged, 1 not matched by --where\n",
    )
    assert {name: state_of(tmp_path / f"{name}.md") for name in ("b", "c")} == locked_before
    assert front_matter((tmp_path / "a.md").read_bytes())["quality"] == 73


# -- failures of one file do not stop the run ------------------------------------------------


def test_per_file_failures_are_reported_and_the_run_goes_on(tmp_path: Path) -> None:
    good = minimal_article("good")
    string_provider = minimal_article("string provider").replace(
        b"provider:\n  name: Example News\n  domain: example.com\n", b"provider: Example News\n"
    )
    broken = minimal_article("broken").replace(b'title: "A headline"', b'title: "A headline')
    assert b"provider: Example News\n" in string_provider and broken != minimal_article("broken")
    files = {"a_broken.md": broken, "b_good.md": good, "c_provider.md": string_provider}
    for name, content in files.items():
        (tmp_path / name).write_bytes(content)
    before = {name: state_of(tmp_path / name) for name in files}

    result = run_cli("edit", ".", "--set", "provider.name=X", cwd=tmp_path)

    assert_no_traceback(result)
    assert result.code == 2
    assert result.stdout == ""
    lines = stderr_lines(result)
    assert len(lines) == 3, lines  # one line a failure, then the summary
    assert re.fullmatch(r"a_broken\.md:\d+:\d+: error \[yaml-syntax\] .+", lines[0]), lines[0]
    # The place is the provider entry (line 5), whose value is a string.
    assert re.fullmatch(
        r"c_provider\.md:5:(1|11): error \[edit-failed\] "
        r"provider\.name: provider is a string, not a mapping",
        lines[1],
    ), lines[1]
    assert lines[2] == "changed 1 file, 0 unchanged, 2 failed"
    assert state_of(tmp_path / "a_broken.md") == before["a_broken.md"]
    assert state_of(tmp_path / "c_provider.md") == before["c_provider.md"]
    assert changed_lines(good, (tmp_path / "b_good.md").read_bytes()) == [
        ("  name: Example News", "  name: X")
    ]
    assert leftover_temporaries(tmp_path) == []


# -- the validation gate ---------------------------------------------------------------------


def test_an_edit_that_adds_an_error_is_refused_and_force_writes_it(tmp_path: Path) -> None:
    path = tmp_path / "story.md"
    original = with_quality("story")
    path.write_bytes(original)
    before = state_of(path)

    refused = run_cli("edit", "story.md", "--set", "quality=high", cwd=tmp_path)

    assert_no_traceback(refused)
    assert refused.code == 2
    assert stderr_lines(refused) == [
        "story.md:5:10: error [wrong-type] quality must be an integer, not the string 'high'",
        "story.md: error [edit-refused] not written: the edit adds 1 validation error; "
        "--force writes it anyway",
        "changed 0 files, 0 unchanged, 1 failed",
    ]
    assert state_of(path) == before

    forced = run_cli("edit", "story.md", "--set", "quality=high", "--force", cwd=tmp_path)

    # Forced, the edit is written and the error it adds is still shown.
    assert forced.code == 0
    assert forced.stderr.splitlines() == [
        "story.md:5:10: error [wrong-type] quality must be an integer, not the string 'high'",
        "changed 1 file, 0 unchanged",
    ]
    assert changed_lines(original, path.read_bytes()) == [("quality: 50", "quality: high")]
    assert front_matter(path.read_bytes())["quality"] == "high"


def test_an_error_the_article_already_had_does_not_refuse_the_edit(tmp_path: Path) -> None:
    path = tmp_path / "story.md"
    path.write_bytes(with_quality("story", "high"))
    assert run_cli("validate", "story.md", cwd=tmp_path).code == 1  # it has the error already

    result = run_cli("edit", "story.md", "--set", "provider.name=Other News", cwd=tmp_path)

    assert (result.code, result.stderr) == (0, "changed 1 file, 0 unchanged\n")
    assert changed_lines(with_quality("story", "high"), path.read_bytes()) == [
        ("  name: Example News", "  name: Other News")
    ]
