"""File discovery: which files a command works on, through iter_files and the real CLI."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path

import pytest

from newsmeta.errors import UsageError
from newsmeta.files import Discovery, iter_files

from .conftest import Result, assert_no_traceback, minimal_article, run_cli

# An article validate always complains about: its path shows up in the JSON report.
BROKEN = "no front matter here\n"


def _make(root: Path, names: Iterable[str], content: str | None = None) -> None:
    """Write a valid article (each with its own webUrl) or ``content`` under each name."""
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if content is None:
            path.write_bytes(minimal_article(name))
        else:
            path.write_text(content, encoding="utf-8")


def _found(root: Path, *arguments: str, options: Discovery | None = None) -> list[str]:
    """Run discovery from ``root`` and return the paths found, relative and POSIX-style."""
    previous = Path.cwd()
    os.chdir(root)
    try:
        found = iter_files(list(arguments) or ["."], options or Discovery())
        return [path.as_posix() for path in found]
    finally:
        os.chdir(previous)


def _reported(result: Result) -> list[str]:
    """The paths in a ``validate --format json`` report (every file given BROKEN content)."""
    return sorted(Path(problem["path"]).as_posix() for problem in json.loads(result.stdout))


def _summary(result: Result) -> str:
    return result.stderr.strip().splitlines()[-1]


@pytest.fixture
def git_tree(tmp_path: Path) -> Path:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    return tmp_path


# -- folders and extensions --------------------------------------------------------------------


def test_folder_yields_article_extensions_recursively_in_sorted_order(tmp_path: Path) -> None:
    _make(tmp_path, ["b.md", "a.markdown", "c/z.txt", "c/a.md", "d.md"])

    assert _found(tmp_path) == ["a.markdown", "b.md", "c/a.md", "c/z.txt", "d.md"]


def test_extension_match_ignores_case(tmp_path: Path) -> None:
    _make(tmp_path, ["a.MD", "b.Markdown", "c.TXT"])

    assert _found(tmp_path) == ["a.MD", "b.Markdown", "c.TXT"]


def test_other_extensions_are_skipped_in_folders(tmp_path: Path) -> None:
    _make(tmp_path, ["a.md", "b.py", "c.html", "d.mdx", "e", "f.md.bak"])

    assert _found(tmp_path) == ["a.md"]


def test_named_file_with_any_extension_is_taken(tmp_path: Path) -> None:
    _make(tmp_path, ["notes.rst", "README"])

    assert _found(tmp_path, "notes.rst", "README") == ["notes.rst", "README"]


def test_cli_counts_the_files_discovery_finds(tmp_path: Path) -> None:
    _make(tmp_path, ["a.md", "b/c.txt", "d.py"])

    result = run_cli("validate", "--format", "json", ".", cwd=tmp_path)

    assert result.code == 0
    assert json.loads(result.stdout) == []
    assert _summary(result) == "no problems in 2 files"


# -- hidden, skipped and symlinked folders -----------------------------------------------------


def test_hidden_files_and_folders_are_skipped(tmp_path: Path) -> None:
    _make(tmp_path, ["a.md", ".hidden.md", ".drafts/b.md", "c/.secret/d.md"])

    assert _found(tmp_path) == ["a.md"]


def test_node_modules_is_skipped(tmp_path: Path) -> None:
    _make(tmp_path, ["a.md", "node_modules/pkg/README.md", "sub/node_modules/x.md"])

    assert _found(tmp_path) == ["a.md"]


def test_folder_symlink_is_not_followed(tmp_path: Path) -> None:
    _make(tmp_path, ["outside/a.md", "tree/b.md"])
    (tmp_path / "tree" / "link").symlink_to(tmp_path / "outside", target_is_directory=True)

    assert _found(tmp_path / "tree") == ["b.md"]


def test_symlink_loop_neither_hangs_nor_crashes(tmp_path: Path) -> None:
    _make(tmp_path, ["tree/a.md"])
    (tmp_path / "tree" / "a").symlink_to("..", target_is_directory=True)
    (tmp_path / "tree" / "self").symlink_to("self")

    assert _found(tmp_path / "tree") == ["a.md"]


def test_cli_survives_a_symlink_loop(tmp_path: Path) -> None:
    _make(tmp_path, ["a.md"])
    (tmp_path / "a").symlink_to("..", target_is_directory=True)

    result = run_cli("validate", ".", cwd=tmp_path)

    assert result.code == 0
    assert _summary(result) == "no problems in 1 file"
    assert_no_traceback(result)


# -- .gitignore --------------------------------------------------------------------------------


def test_root_gitignore_is_honoured_in_a_git_tree(git_tree: Path) -> None:
    _make(git_tree, ["a.md", "ignored.md", "sub/ignored.md", "sub/b.md"])
    (git_tree / ".gitignore").write_text("ignored.md\n", encoding="utf-8")

    assert _found(git_tree) == ["a.md", "sub/b.md"]


def test_nested_gitignore_with_negation_is_honoured(git_tree: Path) -> None:
    _make(git_tree, ["keep.md", "sub/keep.md", "sub/other.md", "sub/deeper/keep.md"])
    (git_tree / ".gitignore").write_text("keep.md\n", encoding="utf-8")
    (git_tree / "sub" / ".gitignore").write_text("*.md\n!keep.md\n", encoding="utf-8")

    assert _found(git_tree) == ["sub/deeper/keep.md", "sub/keep.md"]


def test_gitignore_directory_pattern_skips_folders_at_any_depth(git_tree: Path) -> None:
    _make(git_tree, ["a.md", "drafts/b.md", "sub/drafts/c.md", "sub/drafts.md"])
    (git_tree / ".gitignore").write_text("drafts/\n", encoding="utf-8")

    assert _found(git_tree) == ["a.md", "sub/drafts.md"]


def test_git_info_exclude_is_honoured(git_tree: Path) -> None:
    _make(git_tree, ["a.md", "local.md"])
    (git_tree / ".git" / "info").mkdir(exist_ok=True)
    (git_tree / ".git" / "info" / "exclude").write_text("local.md\n", encoding="utf-8")

    assert _found(git_tree) == ["a.md"]


def test_root_gitignore_applies_when_a_subfolder_is_named(git_tree: Path) -> None:
    _make(git_tree, ["sub/a.md", "sub/drafts/b.md"])
    (git_tree / ".gitignore").write_text("drafts/\n", encoding="utf-8")

    assert _found(git_tree, "sub") == ["sub/a.md"]


def test_cli_honours_gitignore(git_tree: Path) -> None:
    _make(git_tree, ["a.md", "ignored.md", "drafts/b.md"], content=BROKEN)
    (git_tree / ".gitignore").write_text("ignored.md\ndrafts/\n", encoding="utf-8")

    result = run_cli("validate", "--format", "json", ".", cwd=git_tree)

    assert _reported(result) == ["a.md"]
    assert _summary(result) == "1 error, 0 warnings in 1 of 1 file"


def test_gitignore_outside_a_git_tree_is_not_honoured(tmp_path: Path) -> None:
    _make(tmp_path, ["a.md", "ignored.md"])
    (tmp_path / ".gitignore").write_text("ignored.md\n", encoding="utf-8")

    assert _found(tmp_path) == ["a.md", "ignored.md"]


def test_respect_gitignore_false_takes_ignored_files(git_tree: Path) -> None:
    _make(git_tree, ["a.md", "ignored.md"])
    (git_tree / ".gitignore").write_text("ignored.md\n", encoding="utf-8")

    options = Discovery(respect_gitignore=False)
    assert _found(git_tree, options=options) == ["a.md", "ignored.md"]


# -- --exclude and config exclude --------------------------------------------------------------


def test_cli_exclude_folder_pattern(tmp_path: Path) -> None:
    _make(tmp_path, ["a.md", "drafts/b.md", "sub/drafts/c.md"], content=BROKEN)

    result = run_cli("validate", "--format", "json", "--exclude", "drafts/", ".", cwd=tmp_path)

    assert _reported(result) == ["a.md"]
    assert _summary(result) == "1 error, 0 warnings in 1 of 1 file"


def test_cli_exclude_is_repeatable(tmp_path: Path) -> None:
    _make(tmp_path, ["a.md", "b.tmp.md", "drafts/c.md", "sub/d.tmp.md"], content=BROKEN)

    excludes = ("--exclude", "drafts/", "--exclude", "*.tmp.md")
    result = run_cli("validate", "--format", "json", *excludes, ".", cwd=tmp_path)

    assert _reported(result) == ["a.md"]
    assert _summary(result) == "1 error, 0 warnings in 1 of 1 file"


def test_cli_exclude_is_relative_to_the_named_folder(tmp_path: Path) -> None:
    _make(tmp_path, ["site/a.md", "site/drafts/b.md", "site/sub/drafts/c.md"], content=BROKEN)

    result = run_cli("validate", "--format", "json", "--exclude", "/drafts", "site", cwd=tmp_path)

    assert _reported(result) == ["site/a.md", "site/sub/drafts/c.md"]


def test_config_exclude_skips(tmp_path: Path) -> None:
    _make(tmp_path, ["a.md", "drafts/b.md", "c.tmp.md"], content=BROKEN)
    (tmp_path / "newsmeta.toml").write_text('exclude = ["drafts/", "*.tmp.md"]\n', encoding="utf-8")

    result = run_cli("validate", "--format", "json", ".", cwd=tmp_path)

    assert _reported(result) == ["a.md"]
    assert _summary(result) == "1 error, 0 warnings in 1 of 1 file"


# -- missing paths and duplicates --------------------------------------------------------------


def test_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"missing\.md"):
        _found(tmp_path, "missing.md")


def test_cli_missing_path_exits_2_naming_it(tmp_path: Path) -> None:
    _make(tmp_path, ["a.md"])

    result = run_cli("validate", "a.md", "missing.md", cwd=tmp_path)

    assert result.code == 2
    assert result.stdout == ""
    assert "newsmeta: no such file or folder: missing.md" in result.stderr.splitlines()
    assert_no_traceback(result)


def test_file_named_twice_is_found_once(tmp_path: Path) -> None:
    _make(tmp_path, ["a.md"])

    assert _found(tmp_path, "a.md", "a.md", "./a.md") == ["a.md"]


def test_file_and_its_folder_are_found_once(tmp_path: Path) -> None:
    _make(tmp_path, ["sub/a.md", "sub/b.md"])

    assert _found(tmp_path, "sub/a.md", "sub") == ["sub/a.md", "sub/b.md"]


def test_cli_reports_duplicates_once(tmp_path: Path) -> None:
    _make(tmp_path, ["sub/a.md", "sub/b.md"], content=BROKEN)

    result = run_cli("validate", "--format", "json", "sub", "sub/a.md", "sub/a.md", cwd=tmp_path)

    assert _reported(result) == ["sub/a.md", "sub/b.md"]
    assert _summary(result) == "2 errors, 0 warnings in 2 of 2 files"


def test_cli_reports_file_named_by_absolute_path_and_its_folder_once(tmp_path: Path) -> None:
    _make(tmp_path, ["a.md"], content=BROKEN)

    result = run_cli("validate", "--format", "json", str(tmp_path / "a.md"), ".", cwd=tmp_path)

    assert len(json.loads(result.stdout)) == 1
    assert _summary(result) == "1 error, 0 warnings in 1 of 1 file"
