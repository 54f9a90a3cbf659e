"""The documentation is true: every command and option is documented, and the console examples
in README.md and docs/index.md print what they say.

README's examples run in a pipe; docs/index.md is a captured terminal session (a
pseudo-terminal 80 columns wide, NO_COLOR), re-run here.  After a change of output,
``NEWSMETA_UPDATE_DOCS=1 python -m pytest tests/test_docs.py`` writes the new captures into
docs/index.md (then read the diff before committing it).
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import shutil
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest
import typer
from rich.cells import cell_len

from newsmeta.cli import app
from newsmeta.helpdoc import BEGIN, END, replace_block

from .conftest import ROOT, cli_environment, read_terminal

DOCS = ROOT / "docs"
# The page that documents each command, every option included.
PAGES = {
    "validate": "validate.md",
    "list": "list.md",
    "search": "search.md",
    "edit": "edit.md",
    "reformat": "reformat.md",
    "show": "show.md",
    "rules": "rules.md",
    "schema": "schema.md",
}
CONSOLE = re.compile(r"```console\n(.*?)```", re.DOTALL)
UPDATE = bool(os.environ.get("NEWSMETA_UPDATE_DOCS"))


def commands() -> dict[str, typer.core.TyperCommand]:
    group = typer.main.get_command(app)
    return dict(group.commands)  # type: ignore[attr-defined]


# -- every command and option is documented ---------------------------------------------------


def test_every_command_has_its_page() -> None:
    assert set(commands()) == set(PAGES)
    for name, page in PAGES.items():
        text = (DOCS / page).read_text(encoding="utf-8")
        assert f"newsmeta {name}" in text, page


@pytest.mark.parametrize("name", sorted(PAGES))
def test_each_page_lists_the_options_as_help_does(name: str) -> None:
    path = DOCS / PAGES[name]
    page = path.read_text(encoding="utf-8")
    assert BEGIN in page and END in page, f"docs/{PAGES[name]} has no options block"
    updated = replace_block(page, name)
    if UPDATE and name != "rules":  # docs/rules.md is written by newsmeta.rules.catalog
        path.write_text(updated, encoding="utf-8")
    else:
        assert page == updated, f"docs/{PAGES[name]}: NEWSMETA_UPDATE_DOCS=1 rewrites it"


@pytest.mark.parametrize("name", sorted(PAGES))
def test_every_option_is_on_its_command_page(name: str) -> None:
    text = (DOCS / PAGES[name]).read_text(encoding="utf-8")
    command = commands()[name]
    missing = [
        option
        for param in command.params
        for option in getattr(param, "opts", []) + getattr(param, "secondary_opts", [])
        if param.param_type_name == "option" and option not in text
    ]
    assert not missing, f"docs/{PAGES[name]} does not mention {missing}"


def test_every_page_is_linked_from_the_index_and_the_readme() -> None:
    index = (DOCS / "index.md").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for page in sorted(path.name for path in DOCS.glob("*.md")):
        if page != "index.md":
            assert f"({page})" in index, f"docs/index.md does not link {page}"
            assert f"(docs/{page})" in readme, f"README.md does not link docs/{page}"
    for name in PAGES:
        assert f"newsmeta {name}" in index


def test_the_issue_pages_exist() -> None:
    for page in (
        "index.md",
        "query.md",
        "rules.md",
        "configuration.md",
        "integrations.md",
        "fidelity.md",
        "performance.md",
        "safety.md",
        "python-api.md",
    ):
        assert (DOCS / page).is_file(), page
    assert (ROOT / "CHANGELOG.md").is_file()


# -- the console examples print what they say -------------------------------------------------


def examples(text: str) -> list[list[tuple[str, str]]]:
    """Each ``console`` block as (command, output) pairs."""
    blocks = []
    for block in CONSOLE.findall(text):
        pairs: list[tuple[str, str]] = []
        for line in block.splitlines(keepends=True):
            if line.startswith("$ "):
                pairs.append((line[2:].rstrip("\n"), ""))
            elif pairs:
                pairs[-1] = (pairs[-1][0], pairs[-1][1] + line)
        blocks.append(pairs)
    return blocks


def workspace(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A folder with a copy of seeds/, and an environment whose ``newsmeta`` is this tree's."""
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    bin_dir = tmp_path / ".bin"
    bin_dir.mkdir()
    shim = bin_dir / "newsmeta"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m newsmeta "$@"\n', encoding="utf-8")
    shim.chmod(0o755)
    env = cli_environment(
        {
            "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
            "NEWSMETA_CACHE_DIR": str(tmp_path / ".cache"),
            "PYTHONUNBUFFERED": "1",  # stdout and stderr in the order they were written
            "CI": "1",  # no progress line
            "LC_ALL": "C.UTF-8",
        }
    )
    env.pop("COLUMNS", None)
    return tmp_path, env


def in_a_pipe(command: str, cwd: Path, env: dict[str, str]) -> str:
    done = subprocess.run(
        ["bash", "-c", command + " 2>&1"], cwd=cwd, env=env, capture_output=True, timeout=120
    )
    return done.stdout.decode("utf-8", "replace")


def on_a_terminal(command: str, cwd: Path, env: dict[str, str], columns: int = 80) -> str:
    """What an 80-column terminal shows for ``command`` (stdout and stderr)."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    process = subprocess.Popen(
        ["bash", "-c", command],
        cwd=cwd,
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env=env | {"TERM": "xterm-256color", "NO_COLOR": "1"},
        start_new_session=True,
    )
    os.close(follower)
    raw = read_terminal(leader)
    process.wait(timeout=120)
    os.close(leader)
    shown = raw.decode("utf-8", "replace").replace("\r\n", "\n")
    return "".join(line.rstrip() + "\n" for line in shown.splitlines())


def test_readme_examples_print_what_they_say(tmp_path: Path) -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = examples(text)
    assert blocks, "README.md has console examples"
    for number, block in enumerate(blocks):
        folder, env = workspace(tmp_path / str(number))
        for command, expected in block:
            assert in_a_pipe(command, folder, env) == expected, command


def test_index_shows_a_terminal_session_of_every_command() -> None:
    text = (DOCS / "index.md").read_text(encoding="utf-8")
    ran = {command.split()[1] for block in examples(text) for command, _ in block}
    assert set(PAGES) <= ran


def test_index_sessions_are_what_a_terminal_shows(tmp_path: Path) -> None:
    path = DOCS / "index.md"
    text = path.read_text(encoding="utf-8")
    folder, env = workspace(tmp_path)
    captured = []
    for block in examples(text):
        session = "".join(
            f"$ {command}\n{on_a_terminal(command, folder, env)}" for command, _ in block
        )
        captured.append(session)
    if UPDATE:
        parts = iter(captured)
        path.write_text(
            CONSOLE.sub(lambda _match: f"```console\n{next(parts)}```", text), encoding="utf-8"
        )
        return
    for block, session in zip(examples(text), captured, strict=True):
        expected = "".join(f"$ {command}\n{output}" for command, output in block)
        assert session == expected
    # What the issue asks to be shown: 80 columns, no escape sequence with NO_COLOR.
    assert "\x1b" not in "".join(captured)
    # Tables, panels and problems fit; diffs and piped output are the files' own lines.
    for session in captured:
        for command, output in examples(f"```console\n{session}```")[0]:
            if "|" not in command and command.split()[1] in {"validate", "list", "search", "show"}:
                assert all(cell_len(line) <= 80 for line in output.splitlines()), command
