"""How the CLI talks to people, checked through the real CLI on real files.

The options every command shares (``--color``, ``-q``, ``-v``), colour on a terminal and in a
pipe, what quiet and verbose leave out and add, the help, the did-you-mean hints, the table on
a terminal, the progress line, and the JSON contracts scripts rely on.

Pseudo-terminal runs use ``run_on_terminal`` (tests/test_cli.py: stdout on the terminal,
stderr discarded) and ``on_terminal`` (tests/test_terminal_safety.py: stdin, stdout and stderr
on the terminal).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import typer
from rich.cells import cell_len

import newsmeta
import newsmeta.cli
from newsmeta.engine import MIN_CACHED

from .conftest import (
    REFERENCE,
    ROOT,
    SEEDS,
    Result,
    minimal_article,
    read_terminal,
    run_cli,
)
from .test_cli import run_on_terminal
from .test_list import ANSI, DEFAULT_HEADER
from .test_terminal_safety import on_terminal

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")

COMMANDS = ("validate", "list", "search", "edit", "reformat", "show", "rules", "schema")
SEED_COUNT = 14
REFERENCE_NAME = REFERENCE.name
# What validate says about the reference seed: its one problem, a fixable warning.
REFERENCE_PROBLEM = (
    f"{REFERENCE_NAME}:42:14: warning [url-entity] related[0].images[0].url has the HTML "
    "entity '&#038;' where the URL needs the character (fixable)"
)
QUIET_AND_VERBOSE = "newsmeta: --quiet and --verbose cannot go together\n"
# No progress line in the runs that check every byte.
NO_PROGRESS = {"NEWSMETA_PROGRESS_DELAY": "3600"}


# == helpers ====================================================================================


def plain(text: str) -> str:
    """``text`` without its escape sequences."""
    return ANSI.sub("", text)


def copy_seeds(folder: Path) -> Path:
    """The seed articles, copied to ``folder/seeds``."""
    target = folder / "seeds"
    shutil.copytree(SEEDS, target)
    return target


def seed_values(pattern: str) -> dict[str, str]:
    """Each seed's text for ``pattern`` (one group) in its front matter, read with a regex, not
    with newsmeta: ``{"seeds/000_...txt": "2020-06-11T16:42:00Z", ...}``."""
    found = {}
    for path in sorted(SEEDS.iterdir()):
        match = re.search(pattern, path.read_text(encoding="utf-8"), re.MULTILINE)
        assert match is not None, path
        found[f"seeds/{path.name}"] = match.group(1).rstrip("\r")
    return found


PUBLISHED = seed_values(r"^publishedDateTime: (.+)$")
QUALITY = {path: int(text) for path, text in seed_values(r"^quality: (\d+)").items()}


def write_articles(folder: Path, count: int) -> list[Path]:
    """``count`` valid articles, each with a webUrl of its own."""
    paths = []
    for index in range(count):
        path = folder / f"a{index:03d}.md"
        path.write_bytes(minimal_article(f"a{index}"))
        paths.append(path)
    return paths


def on_terminal_with_pipe(*args: str, cwd: Path, env: dict[str, str]) -> tuple[str, str]:
    """Run the CLI with stdout on a pseudo-terminal and stderr a pipe; (terminal, stderr)."""
    import pty

    leader, follower = pty.openpty()
    environment = {k: v for k, v in os.environ.items() if k not in {"NO_COLOR", "FORCE_COLOR"}}
    environment |= {"PYTHONPATH": str(ROOT), "TERM": "xterm-256color", "COLUMNS": "200"}
    environment |= env
    process = subprocess.Popen(
        [sys.executable, "-m", "newsmeta", *args],
        cwd=cwd,
        stdout=follower,
        stderr=subprocess.PIPE,
        env=environment,
    )
    os.close(follower)
    shown = read_terminal(leader, timeout=60)
    _out, err = process.communicate(timeout=60)
    os.close(leader)
    return shown.decode("utf-8", "replace"), err.decode()


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A folder with the reference seed (one warning) and a valid article not in house style."""
    shutil.copyfile(REFERENCE, tmp_path / REFERENCE_NAME)
    (tmp_path / "plain.md").write_bytes(minimal_article("plain"))
    return tmp_path


# == 1. the options every command shares ========================================================

# Each command run on the site: its arguments, its exit code, and what its stdout must hold.
RUNS: dict[str, tuple[tuple[str, ...], int, str]] = {
    "validate": ((REFERENCE_NAME,), 0, "[url-entity]"),
    "list": ((REFERENCE_NAME,), 0, "Washington Post"),
    "search": (("Microsoft", "."), 0, REFERENCE_NAME),
    "edit": (("--dry-run", "--set", "quality=50", REFERENCE_NAME), 0, "+quality: 50"),
    "reformat": (("--diff", "plain.md"), 1, "+++ plain.md"),
    "show": ((REFERENCE_NAME,), 0, "Washington Post"),
    "rules": (("url-entity",), 0, "url-entity (warning, fixable)"),
    "schema": ((), 0, '"publishedDateTime"'),
}


def test_the_runs_cover_every_command() -> None:
    group = typer.main.get_command(newsmeta.cli.app)
    assert set(group.commands) == set(COMMANDS) == set(RUNS)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "flags",
    [("--color", "never"), ("--color", "always", "-v"), ("--color", "auto", "-q"), ("--quiet",)],
    ids=" ".join,
)
@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_takes_the_shared_options(
    site: Path, command: str, flags: tuple[str, ...]
) -> None:
    args, code, shown = RUNS[command]
    before = (site / REFERENCE_NAME).read_bytes()
    done = run_cli(command, *flags, *args, cwd=site)
    assert done.code == code, done.stderr
    assert shown in plain(done.stdout)
    assert (site / REFERENCE_NAME).read_bytes() == before  # nothing here writes


@pytest.mark.parametrize("command", COMMANDS)
def test_quiet_and_verbose_together_is_a_usage_error(site: Path, command: str) -> None:
    args, _code, _shown = RUNS[command]
    target = site / REFERENCE_NAME
    before = target.read_bytes()
    # edit for real (no --dry-run): the refusal must come before any writing
    args = tuple(arg for arg in args if arg != "--dry-run")
    for flags in (("-q", "-v"), ("--verbose", "--quiet")):
        done = run_cli(command, *flags, *args, cwd=site)
        assert (done.code, done.stdout, done.stderr) == (2, "", QUIET_AND_VERBOSE)
    assert target.read_bytes() == before


@pytest.mark.parametrize("command", COMMANDS)
def test_an_unknown_colour_mode_is_a_usage_error(site: Path, command: str) -> None:
    args, _code, _shown = RUNS[command]
    done = run_cli(command, "--color", "bogus", *args, cwd=site)
    assert done.code == 2
    assert done.stdout == ""
    assert "Invalid value for '--color': 'bogus' is not one of" in done.stderr
    assert "'auto', 'always', 'never'" in done.stderr


# == 2. colour ==================================================================================

COLOUR_ON_A_TERMINAL = {
    "default": ((), {}, True),
    "NO_COLOR": ((), {"NO_COLOR": "1"}, False),
    "--color never": (("--color", "never"), {}, False),
    "NO_COLOR and --color always": (("--color", "always"), {"NO_COLOR": "1"}, True),
    "--color auto with NO_COLOR": (("--color", "auto"), {"NO_COLOR": "1"}, False),
}


@pytest.mark.parametrize(
    ("flags", "env", "coloured"), COLOUR_ON_A_TERMINAL.values(), ids=COLOUR_ON_A_TERMINAL
)
def test_colour_on_a_terminal(
    site: Path, flags: tuple[str, ...], env: dict[str, str], coloured: bool
) -> None:
    shown = on_terminal(
        "validate", *flags, REFERENCE_NAME, cwd=site, colour=True, env=NO_PROGRESS | env
    )
    assert shown.code == 0
    assert ("\x1b" in shown.text) is coloured, repr(shown.text)
    lines = plain(shown.text).splitlines()
    assert lines[0] == REFERENCE_NAME  # grouped by file: the terminal layout either way
    assert any("42:14" in line and "[url-entity]" in line for line in lines)
    assert "0 errors, 1 warning in 1 of 1 file" in lines
    if coloured:
        assert "\x1b[33mwarning" in shown.text  # the severity, in yellow


def test_no_colour_in_a_pipe_by_default(site: Path) -> None:
    done = run_cli("validate", REFERENCE_NAME, cwd=site)
    assert (done.code, done.stdout) == (0, REFERENCE_PROBLEM + "\n")
    assert done.stderr == "0 errors, 1 warning in 1 of 1 file\n"


def test_color_always_colours_the_line_format_in_a_pipe(site: Path) -> None:
    done = run_cli("validate", "--color", "always", REFERENCE_NAME, cwd=site)
    assert done.code == 0
    assert "\x1b[" in done.stdout
    assert "\x1b[33mwarning\x1b[0m" in done.stdout
    assert plain(done.stdout) == REFERENCE_PROBLEM + "\n"  # the same line, only coloured


def test_color_always_beats_no_color_in_a_pipe(site: Path) -> None:
    done = run_cli("validate", "--color", "always", REFERENCE_NAME, cwd=site, env={"NO_COLOR": "1"})
    assert "\x1b[33mwarning" in done.stdout
    assert plain(done.stdout) == REFERENCE_PROBLEM + "\n"


@pytest.mark.skipif(shutil.which("patch") is None, reason="needs patch")
def test_a_dry_run_diff_in_a_pipe_is_a_patch(
    site: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    target = site / REFERENCE_NAME
    before = target.read_bytes()
    done = run_cli("edit", "--dry-run", "--set", "quality=50", REFERENCE_NAME, cwd=site)
    assert done.code == 0
    assert "\x1b" not in done.stdout
    assert "-quality: 27\n+quality: 50\n" in done.stdout
    assert target.read_bytes() == before
    # Applied with patch, the diff gives exactly the bytes of the real edit.
    elsewhere = tmp_path_factory.mktemp("patched")
    (elsewhere / REFERENCE_NAME).write_bytes(before)
    patched = subprocess.run(
        ["patch", "-p0", "--quiet"],
        cwd=elsewhere,
        input=done.stdout.encode(),
        capture_output=True,
        timeout=60,
    )
    assert patched.returncode == 0, patched.stderr
    assert run_cli("edit", "--set", "quality=50", REFERENCE_NAME, cwd=site).code == 0
    assert (elsewhere / REFERENCE_NAME).read_bytes() == target.read_bytes() != before


def test_color_always_colours_a_dry_run_diff_in_a_pipe(site: Path) -> None:
    args = ("edit", "--dry-run", "--set", "quality=50", REFERENCE_NAME)
    uncoloured = run_cli(*args, cwd=site).stdout
    coloured = run_cli(*args, "--color", "always", cwd=site).stdout
    assert "\x1b[31m-quality: 27\x1b[0m" in coloured
    assert "\x1b[32m+quality: 50\x1b[0m" in coloured
    assert "\x1b[36m@@ " in coloured
    assert plain(coloured) == uncoloured


# == 3. quiet ===================================================================================


def test_validate_quiet_keeps_the_problems_and_drops_the_summary(site: Path) -> None:
    loud = run_cli("validate", REFERENCE_NAME, cwd=site)
    quiet = run_cli("validate", "-q", REFERENCE_NAME, cwd=site)
    assert loud.stderr == "0 errors, 1 warning in 1 of 1 file\n"
    assert (quiet.code, quiet.stdout, quiet.stderr) == (0, REFERENCE_PROBLEM + "\n", "")


def test_reformat_check_quiet_lists_the_files_without_a_summary(site: Path) -> None:
    loud = run_cli("reformat", "--check", ".", cwd=site)
    quiet = run_cli("reformat", "--check", "-q", ".", cwd=site)
    assert loud.stderr == "1 would be reformatted, 1 unchanged\n"
    assert (quiet.code, quiet.stdout, quiet.stderr) == (1, "plain.md\n", "")


def test_edit_quiet_edits_without_a_summary(site: Path) -> None:
    target = site / REFERENCE_NAME
    loud = run_cli("edit", "--set", "quality=50", REFERENCE_NAME, cwd=site)
    assert loud.stderr == "changed 1 file, 0 unchanged\n"
    quiet = run_cli("edit", "-q", "--set", "quality=60", REFERENCE_NAME, cwd=site)
    assert (quiet.code, quiet.stdout, quiet.stderr) == (0, "", "")
    assert b"\nquality: 60\n" in target.read_bytes()


def test_list_quiet_on_a_terminal_has_no_footer(tmp_path: Path) -> None:
    copy_seeds(tmp_path)
    loud = plain(run_on_terminal("list", "seeds/", cwd=tmp_path)).splitlines()
    quiet = plain(run_on_terminal("list", "-q", "seeds/", cwd=tmp_path)).splitlines()
    assert loud[-1] == f"{SEED_COUNT} articles"
    assert quiet == loud[:-1]  # the same table, without the count
    assert quiet[0].startswith("path ") and len(quiet) == SEED_COUNT + 2


# == 4. verbose =================================================================================

SKIPPED = [
    "newsmeta: skipped .hidden: hidden",
    "newsmeta: skipped draft.md: excluded by --exclude",
    "newsmeta: skipped ignored.md: ignored by .gitignore",
    "newsmeta: skipped node_modules: skipped folder",
]


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_verbose_says_what_was_skipped_and_why(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True, timeout=60)
    for name in ("kept.md", ".hidden/a.md", "node_modules/b.md", "draft.md", "ignored.md"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_bytes(minimal_article(name))
    (tmp_path / ".gitignore").write_text("ignored.md\n")
    args = ("validate", "--exclude", "draft.md", ".")
    quiet = run_cli(*args, cwd=tmp_path)
    assert (quiet.code, quiet.stderr) == (0, "no problems in 1 file\n")
    loud = run_cli(*args, "-v", cwd=tmp_path)
    assert loud.code == 0
    lines = loud.stderr.splitlines()
    for line in SKIPPED:
        assert line in lines
    assert lines[-1] == "no problems in 1 file"
    assert "kept.md" not in loud.stderr  # only what was skipped is named
    # Named as given on the command line: from the parent, the folder's name comes first.
    above = run_cli("validate", "-v", "--exclude", "draft.md", tmp_path.name, cwd=tmp_path.parent)
    assert f"newsmeta: skipped {tmp_path.name}/node_modules: skipped folder" in above.stderr


def test_verbose_counts_one_file_in_the_singular(site: Path) -> None:
    done = run_cli("validate", "-v", REFERENCE_NAME, cwd=site)
    assert "newsmeta: 1 file read" in done.stderr
    assert "1 files" not in done.stderr


def test_verbose_says_how_much_the_cache_served(tmp_path: Path) -> None:
    count = MIN_CACHED + 8
    folder = tmp_path / "articles"
    folder.mkdir()
    past = time.time() - 10  # not "racy": a file changed within the last seconds is re-read
    for path in write_articles(folder, count):
        os.utime(path, (past, past))
    env = {"NEWSMETA_CACHE_DIR": str(tmp_path / "cache")}
    first = run_cli("validate", "-v", "articles", cwd=tmp_path, env=env)
    second = run_cli("validate", "-v", "articles", cwd=tmp_path, env=env)
    uncached = run_cli("validate", "-v", "--no-cache", "articles", cwd=tmp_path, env=env)
    summary = f"no problems in {count} files"
    assert first.stderr.splitlines() == [
        f"newsmeta: 0 unchanged files taken from the cache, {count} read",
        summary,
    ]
    assert second.stderr.splitlines() == [
        f"newsmeta: {count} unchanged files taken from the cache, 0 read",
        summary,
    ]
    assert uncached.stderr.splitlines() == [
        f"newsmeta: {count} files read (no cache: --no-cache, or a small run)",
        summary,
    ]
    quiet = run_cli("validate", "articles", cwd=tmp_path, env=env)
    assert quiet.stderr == summary + "\n"


def test_a_small_run_does_not_open_the_cache(site: Path) -> None:
    done = run_cli("validate", "-v", ".", cwd=site)
    assert "newsmeta: 2 files read (no cache: --no-cache, or a small run)" in done.stderr


# == 5. help ====================================================================================


def help_of(*args: str) -> Result:
    return run_cli(*args, env={"COLUMNS": "100"})


def examples(text: str) -> list[str]:
    """The lines of the help's "Examples:" block, stripped."""
    lines = [line.strip() for line in text.splitlines()]
    assert "Examples:" in lines, text
    start = lines.index("Examples:") + 1
    end = lines.index("", start) if "" in lines[start:] else len(lines)
    return lines[start:end]


def sections(text: str) -> dict[str, list[str]]:
    """The help's sections ("General:" and the others): title -> the option names listed."""
    found: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in text.splitlines():
        if re.fullmatch(r"[A-Z][A-Za-z ]*:", line):
            current = found.setdefault(line[:-1], [])
        elif current is not None and line.startswith("  -"):
            current.extend(re.findall(r"(?<![\w-])--?[\w-]+", line.split("  ")[1]))
        elif not line.startswith(" "):
            current = None
    return found


@pytest.mark.parametrize("args", [(), ("-h",), ("--help",)], ids=["alone", "-h", "--help"])
def test_the_main_help_lists_the_commands_with_examples(args: tuple[str, ...]) -> None:
    done = help_of(*args)
    # Asked for, the help goes to stdout; no command at all is a usage error (click's way):
    # the same help, on stderr, exit 2.
    text = done.stdout if args else done.stderr
    assert (done.code, done.stderr if args else done.stdout) == (0 if args else 2, "")
    lines = text.splitlines()
    start = lines.index("Commands:") + 1
    assert [line.split()[0] for line in lines[start:]] == list(COMMANDS)
    assert "--version" in sections(text)["Options"]
    shown = examples(text)
    assert len(shown) >= 4
    assert all(line.startswith("newsmeta ") for line in shown)


def test_version() -> None:
    done = run_cli("--version")
    assert (done.code, done.stdout, done.stderr) == (0, f"newsmeta {newsmeta.__version__}\n", "")
    assert re.fullmatch(r"\d+\.\d+\.\d+\S*", newsmeta.__version__)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_examples(command: str) -> None:
    done = help_of(command, "-h")
    assert done.code == 0
    assert re.match(rf"Usage: (python -m )?newsmeta {command} \[OPTIONS\]", done.stdout)
    assert any(line.startswith(f"newsmeta {command}") for line in examples(done.stdout))


LIST_SECTIONS = {
    "Which articles": ["-w", "--where", "--exclude"],
    "Rows and columns": [
        "-c",
        "--columns",
        "--sort",
        "-r",
        "--reverse",
        "-n",
        "--limit",
        "--count-by",
    ],
    "Output": ["-f", "--format", "--wide", "-0", "--null"],
    "Speed": ["-j", "--jobs", "--no-cache"],
    "General": ["--config", "--color", "-q", "--quiet", "-v", "--verbose", "-h", "--help"],
}


def test_the_options_of_list_are_in_sections() -> None:
    found = sections(help_of("list", "-h").stdout)
    assert found == {"Arguments": [], **LIST_SECTIONS}
    assert list(found) == ["Arguments", *LIST_SECTIONS]  # in this order


def option_names() -> dict[str, list[str]]:
    """Each command's option names, from the click command typer builds."""
    group = typer.main.get_command(newsmeta.cli.app)
    names: dict[str, list[str]] = {}
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        names[name] = [
            opt
            for param in command.params
            if param.param_type_name == "option"
            for opt in (*param.opts, *param.secondary_opts)
        ]
    return names


OPTIONS = option_names()


@pytest.mark.parametrize("command", COMMANDS)
def test_every_option_is_in_the_help_in_a_named_section(command: str) -> None:
    found = sections(help_of(command, "-h").stdout)
    listed = [name for title, names in found.items() if title != "Arguments" for name in names]
    assert sorted(listed) == sorted([*OPTIONS[command], "-h", "--help"])
    assert "Options" not in found  # every option is sorted into a section of its own
    assert {"--color", "-q", "--quiet", "-v", "--verbose"} <= set(found["General"])


def test_every_page_the_help_names_exists() -> None:
    text = "".join(help_of(*args).stdout for args in [("-h",), *((c, "-h") for c in COMMANDS)])
    pages = set(re.findall(r"docs/[\w.-]+\.md", text))
    assert pages, "the help names no page"
    assert sorted(page for page in pages if not (ROOT / page).is_file()) == []


# == 6. did you mean ============================================================================


def test_a_mistyped_command_is_suggested() -> None:
    done = run_cli("lst")
    assert done.code == 2
    assert "No such command 'lst'. Did you mean 'list'?" in done.stderr


def test_a_mistyped_option_is_suggested(tmp_path: Path) -> None:
    done = run_cli("list", "--wher", "x", cwd=tmp_path)
    assert done.code == 2
    assert "No such option: --wher. Did you mean --where?" in done.stderr


HINTS = {
    "column": (("list", "-c", "titel"), 0, "'titel' (did you mean 'title'?)"),
    "query field": (("search", "topic:AI"), 1, "'topic' (did you mean 'topics'?)"),
    "nested key": (
        ("list", "-c", "provider.nme"),
        0,
        "'provider.nme' (did you mean 'provider.name'?)",
    ),
    "indexed key": (
        ("list", "-c", "images[0].urll"),
        0,
        "'images[0].urll' (did you mean 'images[0].url'?)",
    ),
    "sort key": (("list", "--sort", "qualty"), 0, "'qualty' (did you mean 'quality'?)"),
    "unknown key": (("list", "-c", "custom"), 0, "'custom'"),
}


@pytest.mark.parametrize(("args", "code", "said"), HINTS.values(), ids=HINTS)
def test_a_key_no_article_has_gets_a_hint(
    tmp_path: Path, args: tuple[str, ...], code: int, said: str
) -> None:
    copy_seeds(tmp_path)
    done = run_cli(*args, "seeds/", cwd=tmp_path)
    assert done.code == code
    assert done.stderr == f"newsmeta: no article has the key {said}\n"
    # The hint changes nothing else: the header (the columns asked for), a line an article.
    header = args[2] if args[1] == "-c" else DEFAULT_HEADER
    assert done.stdout.splitlines()[0] == header
    assert len(done.stdout.splitlines()) == 1 + (0 if code else SEED_COUNT)
    quiet = run_cli(*args, "-q", "seeds/", cwd=tmp_path)
    assert (quiet.code, quiet.stdout, quiet.stderr) == (code, done.stdout, "")


def test_a_key_some_article_has_gets_no_hint(tmp_path: Path) -> None:
    seeds = copy_seeds(tmp_path)
    target = seeds / "009_google-quantum-supremacy.md"
    target.write_bytes(target.read_bytes().replace(b"\n---\n", b"\ncustom: x\n---\n", 1))
    done = run_cli("list", "-c", "path,custom", "seeds/", cwd=tmp_path)
    assert (done.code, done.stderr) == (0, "")
    assert f"seeds/{target.name}\tx\n" in done.stdout
    found = run_cli("search", "custom:x", "seeds/", cwd=tmp_path)
    assert (found.code, found.stderr) == (0, "")


# == 7. the table on a terminal =================================================================

DATE = r"\d{4}-\d{2}-\d{2}"


def table_rows(screen: str) -> list[str]:
    """The rows of a table as shown (escapes stripped): no header, rule or footer."""
    lines = plain(screen).splitlines()
    assert lines[0].startswith("path ") and set(lines[1]) == {"─"}, lines[:2]
    return [line for line in lines[2:] if line.startswith("seeds/")]


def seed_of(row: str) -> str:
    """The seed a row shows, from the start of its (maybe cut) path."""
    prefix = row[: len("seeds/000")]
    (path,) = [path for path in PUBLISHED if path.startswith(prefix)]
    return path


@pytest.fixture
def seeds_folder(tmp_path: Path) -> Path:
    copy_seeds(tmp_path)
    return tmp_path


def test_the_table_fits_80_columns(seeds_folder: Path) -> None:
    screen = run_on_terminal("list", "seeds/", cwd=seeds_folder, env={"COLUMNS": "80"})
    lines = plain(screen).splitlines()
    assert max(cell_len(line) for line in lines) <= 80
    assert cell_len(lines[1]) >= 70  # and uses the room it has
    assert lines[-1] == f"{SEED_COUNT} articles"
    rows = table_rows(screen)
    assert sorted(map(seed_of, rows)) == sorted(PUBLISHED)
    for row in rows:  # the date alone: the time is cut first
        published = PUBLISHED[seed_of(row)]
        assert re.search(rf"(?<!\S){published[:10]}(?!\S)", row), row
        assert not re.search(rf"{DATE} \d\d:\d\d", row), row


def test_paths_are_cut_in_the_middle(seeds_folder: Path) -> None:
    screen = run_on_terminal("list", "seeds/", cwd=seeds_folder, env={"COLUMNS": "80"})
    for row in table_rows(screen):
        cell = re.split(r"\s{2,}", row)[0]
        head, cut, tail = cell.partition("…")
        full = seed_of(row)
        assert cut == "…" and len(head) >= 6 and len(tail) >= 6, cell
        assert full.startswith(head) and full.endswith(tail), (cell, full)


def test_a_wide_terminal_shows_the_date_and_time(seeds_folder: Path) -> None:
    screen = run_on_terminal("list", "seeds/", cwd=seeds_folder, env={"COLUMNS": "200"})
    rows = table_rows(screen)
    assert len(rows) == SEED_COUNT
    for row in rows:
        path = seed_of(row)
        assert row.startswith(path + " ")  # nothing cut
        when = PUBLISHED[path][:16].replace("T", " ")  # the article's own clock
        assert re.search(rf"(?<!\S){when}(?!\S)", row), row


@pytest.mark.parametrize("columns", ["80", "200"])
def test_the_quality_column_is_aligned_to_the_right(seeds_folder: Path, columns: str) -> None:
    screen = run_on_terminal("list", "seeds/", cwd=seeds_folder, env={"COLUMNS": columns})
    header = plain(screen).splitlines()[0]
    end = cell_len(header[: header.index("quality") + len("quality")])
    for row in table_rows(screen):
        number = re.search(r"(\d+)\s*$", row)
        assert number is not None and int(number.group(1)) == QUALITY[seed_of(row)]
        assert cell_len(row[: number.end(1)]) == end, row


def test_no_color_table_has_no_escape_at_all(seeds_folder: Path) -> None:
    screen = run_on_terminal("list", "seeds/", cwd=seeds_folder, env={"NO_COLOR": "1"})
    assert "\x1b" not in screen
    assert len(table_rows(screen)) == SEED_COUNT
    coloured = run_on_terminal("list", "seeds/", cwd=seeds_folder)
    assert "\x1b[" in coloured and plain(coloured) == screen


def test_in_a_pipe_list_prints_tsv_with_the_dates_as_written(seeds_folder: Path) -> None:
    done = run_cli("list", "seeds/", cwd=seeds_folder)
    assert done.code == 0
    lines = done.stdout.splitlines()
    assert lines[0] == DEFAULT_HEADER == "path\tpublishedDateTime\tprovider.name\ttitle\tquality"
    assert "\x1b" not in done.stdout
    dates = {line.split("\t")[0]: line.split("\t")[1] for line in lines[1:]}
    # As written, the zone included; a Z is written +00:00 (docs/list-search.md).
    assert dates == {path: re.sub("Z$", "+00:00", text) for path, text in PUBLISHED.items()}
    assert dates["seeds/" + REFERENCE_NAME] == "2020-06-11T16:42:00+00:00"
    assert f"{SEED_COUNT} articles" not in done.stdout  # no footer in data


def test_the_footer_counts_what_where_kept(seeds_folder: Path) -> None:
    above = sum(quality > 80 for quality in QUALITY.values())
    screen = run_on_terminal("list", "--where", "quality>80", "seeds/", cwd=seeds_folder)
    assert plain(screen).splitlines()[-1] == f"{above} of {SEED_COUNT} articles"
    assert len(table_rows(screen)) == above


def test_the_footer_counts_what_where_and_limit_kept(seeds_folder: Path) -> None:
    matching = sum(quality > 60 for quality in QUALITY.values())
    args = ("list", "--where", "quality>60", "-n", "2", "seeds/")
    screen = run_on_terminal(*args, cwd=seeds_folder)
    assert plain(screen).splitlines()[-1] == f"2 of {matching} matching, {SEED_COUNT} articles"
    limited = run_on_terminal("list", "-n", "2", "seeds/", cwd=seeds_folder)
    assert plain(limited).splitlines()[-1] == f"2 of {SEED_COUNT} articles"


# == 8. progress ================================================================================

PROGRESS = {"NEWSMETA_PROGRESS_DELAY": "0"}


@pytest.fixture
def many(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Thirty articles, and an environment without CI (the terminal runs inherit it)."""
    monkeypatch.delenv("CI", raising=False)
    write_articles(tmp_path, 30)
    return tmp_path


def test_a_terminal_shows_progress(many: Path) -> None:
    shown = on_terminal("validate", ".", cwd=many, colour=True, env=PROGRESS)
    assert shown.code == 0
    assert re.search(r"validating\s+30 files", plain(shown.text)), repr(shown.text)
    assert plain(shown.text).rstrip().endswith("no problems in 30 files")


@pytest.mark.parametrize(
    ("flags", "env"),
    [((), {"CI": "1"}), (("-q",), {}), (("--quiet",), {"CI": "true"})],
    ids=["CI", "-q", "--quiet in CI"],
)
def test_no_progress_in_ci_or_when_quiet(
    many: Path, flags: tuple[str, ...], env: dict[str, str]
) -> None:
    shown = on_terminal("validate", *flags, ".", cwd=many, colour=True, env=PROGRESS | env)
    assert shown.code == 0
    assert "validating" not in shown.text and "files/s" not in shown.text
    assert "\x1b" not in shown.text  # nothing else was drawn either
    expected = "" if flags else "no problems in 30 files\n"
    assert shown.text == expected


def test_no_progress_when_stderr_is_a_pipe(many: Path) -> None:
    done = run_cli("validate", ".", cwd=many, env=PROGRESS)
    assert (done.code, done.stdout, done.stderr) == (0, "", "no problems in 30 files\n")
    # Even with stdout on a terminal: the progress line belongs to stderr.
    screen, err = on_terminal_with_pipe("validate", ".", cwd=many, env=PROGRESS)
    assert (screen, err) == ("", "no problems in 30 files\n")


# == 9. JSON contracts ==========================================================================


def test_list_json_of_the_reference_seed(tmp_path: Path) -> None:
    copy_seeds(tmp_path)
    done = run_cli("list", "--format", "json", f"seeds/{REFERENCE_NAME}", cwd=tmp_path)
    assert done.code == 0
    items = json.loads(done.stdout)
    assert items == [
        {
            "path": f"seeds/{REFERENCE_NAME}",
            "publishedDateTime": "2020-06-11T16:42:00+00:00",
            "provider.name": "Washington Post",
            "title": "Microsoft won’t sell police its facial-recognition technology, "
            "following similar moves by Amazon and IBM",
            "quality": 27,
        }
    ]
    assert list(items[0]) == ["path", "publishedDateTime", "provider.name", "title", "quality"]


def test_list_json_keeps_the_types(tmp_path: Path) -> None:
    copy_seeds(tmp_path)
    columns = "quality,heat,published,topics,images[0].width,provider"
    done = run_cli("list", "-f", "json", "-c", columns, f"seeds/{REFERENCE_NAME}", cwd=tmp_path)
    (item,) = json.loads(done.stdout)
    assert list(item) == ["path", *columns.split(",")]
    assert item["quality"] == 27 and item["heat"] == -1 and item["published"] is False
    assert item["topics"] == ["Computer Vision", "AI"]
    assert item["images[0].width"] == 1440
    assert item["provider"] == {"name": "Washington Post", "domain": "washingtonpost.com"}


def test_list_json_dates_keep_their_offsets(tmp_path: Path) -> None:
    copy_seeds(tmp_path)
    done = run_cli("list", "-f", "json", "-c", "publishedDateTime", "seeds/", cwd=tmp_path)
    dates = {item["path"]: item["publishedDateTime"] for item in json.loads(done.stdout)}
    assert dates == {path: re.sub("Z$", "+00:00", text) for path, text in PUBLISHED.items()}


def test_validate_json(site: Path) -> None:
    done = run_cli("validate", "--format", "json", ".", cwd=site)
    assert done.code == 0
    items = json.loads(done.stdout)
    assert items == [
        {
            "path": REFERENCE_NAME,
            "line": 42,
            "column": 14,
            "severity": "warning",
            "rule": "url-entity",
            "message": "related[0].images[0].url has the HTML entity '&#038;' where the URL "
            "needs the character",
            "fixable": True,
        }
    ]
    assert list(items[0]) == ["path", "line", "column", "severity", "rule", "message", "fixable"]


def test_validate_json_of_no_problems_is_an_empty_array(tmp_path: Path) -> None:
    write_articles(tmp_path, 2)
    done = run_cli("validate", "-f", "json", "--color", "always", ".", cwd=tmp_path)
    assert (done.code, json.loads(done.stdout)) == (0, [])


def test_count_by_json(tmp_path: Path) -> None:
    copy_seeds(tmp_path)
    done = run_cli(
        "list", "--count-by", "provider.name", "--format", "json", "seeds/", cwd=tmp_path
    )
    assert done.code == 0
    counts = json.loads(done.stdout)
    assert all(list(item) == ["value", "count"] for item in counts)
    assert counts[:2] == [{"value": "BBC News", "count": 2}, {"value": "Reuters", "count": 2}]
    assert {item["value"]: item["count"] for item in counts} == {
        "BBC News": 2,
        "Reuters": 2,
        "Ars Technica": 1,
        "Associated Press": 1,
        "Le Monde": 1,
        "Nature": 1,
        "NHK": 1,
        "TechCrunch": 1,
        "The Guardian": 1,
        "The Verge": 1,
        "Washington Post": 1,
        "WIRED": 1,
    }
    assert sum(item["count"] for item in counts) == SEED_COUNT
