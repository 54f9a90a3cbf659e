"""The validate command through the real CLI: streams, formats, exit codes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from .conftest import MINIMAL, REFERENCE, SEEDS, assert_no_traceback, run_cli

GOOD = MINIMAL


def write(folder: Path, name: str, content: bytes) -> Path:
    path = folder / name
    path.write_bytes(content)
    return path


def test_version() -> None:
    result = run_cli("--version")
    assert result.code == 0
    assert result.stdout.startswith("newsmeta ")


def test_no_arguments_shows_help() -> None:
    result = run_cli()
    assert "validate" in result.stdout + result.stderr


def test_seeds_have_one_problem_the_reference_url_entity() -> None:
    result = run_cli("validate", "seeds", cwd=SEEDS.parent)
    assert result.code == 0
    assert result.stdout == (
        "seeds/000_218d50f45779ca55.txt:42:14: warning [url-entity] related[0].images[0].url "
        "has the HTML entity '&#038;' where the URL needs the character (fixable)\n"
    )
    assert result.stderr == "0 errors, 1 warning in 1 of 14 files\n"
    line = REFERENCE.read_text(encoding="utf-8").splitlines()[41]
    assert line.startswith('      - url: "https://venturebeat.com/') and "&#038;" in line


def test_validate_defaults_to_the_current_folder(tmp_path: Path) -> None:
    shutil.copy(REFERENCE, tmp_path / "a.txt")
    write(tmp_path, "b.md", b"no front matter\n")
    result = run_cli("validate", cwd=tmp_path)
    assert result.code == 1
    assert result.stdout.splitlines()[1:] == [
        "b.md:1:1: error [no-front-matter] no front matter: the file does not start with a "
        "'---' line"
    ]
    assert result.stdout.startswith("a.txt:42:14: warning [url-entity]")
    assert result.stderr == "1 error, 1 warning in 2 of 2 files\n"


def test_problem_lines_point_into_the_file(tmp_path: Path) -> None:
    write(tmp_path, "a.md", b"---\ntitle: x\nquality: 1\ntitle: y\n---\n")  # line 4
    result = run_cli("validate", "a.md", cwd=tmp_path)
    assert result.stdout == (
        "a.md:4:1: error [duplicate-key] duplicate key 'title' (first on line 2)\n"
    )


def test_bad_files_do_not_stop_the_run(tmp_path: Path) -> None:
    write(tmp_path, "1-binary.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    write(tmp_path, "2-empty.md", b"")
    write(tmp_path, "3-latin1.md", b"---\ntitle: caf\xe9\n---\n")
    write(tmp_path, "4-good.md", GOOD)
    write(tmp_path, "5-toml.md", b"+++\ntitle = 'x'\n+++\n")
    result = run_cli("validate", ".", cwd=tmp_path)
    assert_no_traceback(result)
    rules = [line.split("[")[1].split("]")[0] for line in result.stdout.splitlines()]
    assert rules == ["binary", "no-front-matter", "encoding", "toml-front-matter"]
    assert result.code == 1
    assert "in 4 of 5 files" in result.stderr


def test_unreadable_file_is_an_io_error(tmp_path: Path) -> None:
    path = write(tmp_path, "a.md", GOOD)
    path.chmod(0)
    try:
        if path.read_bytes():  # root reads anything: nothing to test
            pytest.skip("running as root")
    except PermissionError:
        pass
    result = run_cli("validate", "a.md", cwd=tmp_path)
    assert result.code == 2
    assert "[io-error]" in result.stdout


def test_json_format(tmp_path: Path) -> None:
    write(tmp_path, "a.md", b"---\n- a\n---\n")
    result = run_cli("validate", "--format", "json", "a.md", cwd=tmp_path)
    assert json.loads(result.stdout) == [
        {
            "path": "a.md",
            "line": 2,
            "column": 1,
            "severity": "error",
            "rule": "not-a-mapping",
            "message": "front matter must be a mapping of keys, not a list",
            "fixable": False,
        }
    ]


def test_github_format(tmp_path: Path) -> None:
    write(tmp_path, "a,b.md", b"---\ntitle: 'open\n---\n")
    result = run_cli("validate", "--format", "github", "a,b.md", cwd=tmp_path)
    assert result.stdout.startswith("::error file=a%2Cb.md,line=3,col=1::[yaml-syntax] ")


def test_stdin_with_filename() -> None:
    result = run_cli(
        "validate", "-", "--stdin-filename", "news/x.md", stdin=b"---\na: 1\na: 2\n---\n"
    )
    assert result.code == 1
    assert result.stdout.startswith("news/x.md:3:1: error [duplicate-key]")


def test_quiet_drops_the_summary(tmp_path: Path) -> None:
    write(tmp_path, "a.md", GOOD)
    result = run_cli("validate", "-q", "a.md", cwd=tmp_path)
    assert (result.code, result.stdout, result.stderr) == (0, "", "")


def test_unknown_format_is_a_usage_error() -> None:
    result = run_cli("validate", "--format", "xml", str(SEEDS))
    assert result.code == 2


def test_escape_sequences_in_messages_are_shown_escaped(tmp_path: Path) -> None:
    # YAML refuses a raw ESC, but a double-quoted key may spell one as an escape.
    write(tmp_path, "a.md", b'---\n"\\e[31mkey": 1\n"\\e[31mkey": 2\n---\n')
    result = run_cli("validate", "a.md", cwd=tmp_path)
    assert "\x1b" not in result.stdout
    assert "\\x1b" in result.stdout


def test_python_m_newsmeta_runs_the_same_app() -> None:
    result = run_cli("validate", "--help")
    assert "Usage: " in result.stdout and "--format" in result.stdout


def run_on_terminal(*args: str, cwd: Path, env: dict[str, str] | None = None) -> str:
    """Run the CLI with stdout on a pseudo-terminal and return what the terminal showed."""
    import os
    import pty
    import subprocess
    import sys

    from .conftest import ROOT, read_terminal

    leader, follower = pty.openpty()
    environment = {k: v for k, v in os.environ.items() if k not in {"NO_COLOR", "FORCE_COLOR"}}
    environment |= {"PYTHONPATH": str(ROOT), "TERM": "xterm-256color", "COLUMNS": "200"}
    environment |= env or {}
    process = subprocess.Popen(
        [sys.executable, "-m", "newsmeta", *args],
        cwd=cwd,
        stdout=follower,
        stderr=subprocess.DEVNULL,
        env=environment,
    )
    os.close(follower)
    shown = read_terminal(leader, timeout=60)
    process.wait(timeout=60)
    os.close(leader)
    return shown.decode("utf-8", "replace").replace("\r\n", "\n")


def test_on_a_terminal_problems_are_grouped_by_file_with_colour(tmp_path: Path) -> None:
    write(tmp_path, "a.md", b"---\ntitle: 'x'\nquality: high\n---\n")
    shown = run_on_terminal("validate", "a.md", cwd=tmp_path)
    assert "\x1b[" in shown  # colour
    lines = [line for line in shown.splitlines() if line.strip()]
    assert "a.md" in lines[0] and ":" not in lines[0].replace("\x1b[", "")
    assert any("3:10" in line and "quality must be an integer" in line for line in lines[1:])
    assert all("a.md:" not in line for line in lines)


def test_no_color_keeps_the_grouping_and_drops_the_colour(tmp_path: Path) -> None:
    write(tmp_path, "a.md", b"---\ntitle: 'x'\nquality: high\n---\n")
    shown = run_on_terminal("validate", "a.md", cwd=tmp_path, env={"NO_COLOR": "1"})
    assert "\x1b[" not in shown
    assert shown.splitlines()[0] == "a.md"


def test_file_text_is_never_markup_or_escapes_on_a_terminal(tmp_path: Path) -> None:
    write(tmp_path, "[bold]x[red].md", b'---\n"\\e[31m[red]k": 1\n---\n')
    shown = run_on_terminal("validate", ".", cwd=tmp_path, env={"NO_COLOR": "1"})
    assert "[bold]x[red].md" in shown
    assert "\\x1b[31m[red]k" in shown
    assert "\x1b" not in shown


def test_format_choices_are_the_registered_reporters() -> None:
    from newsmeta.cli import ValidateFormat
    from newsmeta.output import REPORTER_BY_NAME

    assert [choice.value for choice in ValidateFormat] == list(REPORTER_BY_NAME)


def test_row_format_choices_are_the_ones_output_writes() -> None:
    from newsmeta.cli import RowFormat
    from newsmeta.output import ROW_FORMATS

    assert tuple(choice.value for choice in RowFormat) == ROW_FORMATS
