"""Text from files is data: never rich markup, terminal escapes, shell words or code to import.

Three promises, checked through the real CLI:

1. Titles, other values, keys and file names that hold rich markup, ANSI CSI and OSC escape
   sequences, C1 controls or bidirectional-text controls are shown escaped in every output
   format and on standard error: no raw ESC, C1 or bidi character is written, markup shows
   literally, and JSON gives back the exact value.  GitHub annotations escape ``%``, CR and LF
   (and ``:`` and ``,`` in properties), so no value can start a workflow command.
2. ``$EDITOR`` and ``$VISUAL`` are split with shlex and run without a shell.
3. No command executes or imports anything an article or the configuration names
   (``!!python/...`` tags), as a Python audit hook sees it.

Diffs (``edit --dry-run``/``--diff``, ``reformat --diff``) follow ``git diff`` and
``black --diff``, as docs/edit.md documents: **on a terminal** every control and bidi character
is escaped (stricter than git, whose pager lets colour sequences through); **in a pipe or a
file** the lines of the article are written byte for byte, because ``patch`` must find them,
but the file name in the ``---``/``+++`` header is quoted the way git quotes it (``core.quotePath``)
so that a name cannot add lines or escapes of its own.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from newsmeta.textdiff import quoted_name

from .conftest import ROOT, Result, assert_no_traceback, minimal_article, read_terminal, run_cli

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")

TIMEOUT = 60  # seconds: only so that a hang fails instead of blocking the run

# -- the hostile text -------------------------------------------------------------------------

MARKUP = "[bold red]x[/]"
LINK_MARKUP = "[link=file:///etc/passwd]y[/link]"
CSI = "\x1b[31m"
OSC_TITLE = "\x1b]0;pwned\x07"  # sets the window title
OSC_LINK = "\x1b]8;;http://evil\x1b\\"  # opens a hyperlink, ended by ST (ESC \)
C1_CSI = "\x9b"  # the 8-bit CSI
BIDI = "\u202e\u2066\u2067\u2068\u2069\u200f"  # RLO, LRI, RLI, FSI, PDI, RLM
HOSTILE = f"{MARKUP} {LINK_MARKUP} {CSI}red {OSC_TITLE} {OSC_LINK}link {C1_CSI}1m {BIDI}end"
KEY = f"[bold]k[/bold]{CSI}{BIDI}"  # a key of the front matter
URL = "https://www.example.com/news/" + HOSTILE  # quoted in invalid-url's message
# A file name cannot hold "/", so its markup has no closing tag.
NAME = f"n[bold red]x[red]{CSI}c{OSC_TITLE}{C1_CSI}{BIDI},:%.md"
# Raw in the body, which is not YAML (YAML itself forbids raw C0 and C1 controls).
RAW_BODY = f"Body {CSI}raw {OSC_TITLE} {C1_CSI}2J {BIDI}end"

# What must never be written raw: C0 controls but tab and line feed, DEL, C1 controls, and the
# bidi controls of the issue (embeddings, overrides, isolates, marks).
RAW_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
SGR = re.compile(r"\x1b\[[0-9;]*m")  # the only sequences rich may add itself, for colour


def escaped(text: str) -> str:
    """``text`` as a line of output must show it: each control and bidi character as
    ``\\xNN`` or ``\\uNNNN``, everything else (markup included) as it is."""

    def one(match: re.Match[str]) -> str:
        code = ord(match.group())
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return RAW_CONTROLS.sub(one, text)


def tsv_escaped(text: str) -> str:
    """A TSV cell: the backslash is doubled first, then the controls are escaped."""
    return escaped(text.replace("\\", "\\\\"))


def assert_inert(text: str, *, colour: bool = False) -> None:
    """No raw control or bidi character; with ``colour``, rich's own SGR sequences only."""
    shown = SGR.sub("", text) if colour else text
    found = sorted({f"U+{ord(char):04X}" for char in RAW_CONTROLS.findall(shown)})
    assert not found, f"raw {found} written:\n{text!r}"


def y(value: str) -> str:
    """``value`` as a YAML double-quoted scalar (a JSON string is one)."""
    return json.dumps(value)


HOSTILE_ARTICLE = f"""---
title: {y(HOSTILE)}
publishedDateTime: 2020-06-11T16:42:00Z
webUrl: {y(URL)}
provider:
  name: {y(HOSTILE)}
  domain: example.com
topics:
  - {y(HOSTILE)}
  - {y(HOSTILE)}
extra:
  sub: {y(HOSTILE)}
  {y(KEY)}: {y(HOSTILE)}
{y(KEY)}: 1
---
{RAW_BODY}
"""
COLUMNS = "path,title,provider.name,topics,extra.sub,extra"
HOSTILE_DATA = {
    "path": NAME,
    "title": HOSTILE,
    "provider.name": HOSTILE,
    "topics": [HOSTILE, HOSTILE],
    "extra.sub": HOSTILE,
    "extra": {"sub": HOSTILE, KEY: HOSTILE},
}


def write_hostile(folder: Path) -> Path:
    path = folder / NAME
    path.write_bytes(HOSTILE_ARTICLE.encode("utf-8"))
    # Read back independently (PyYAML, not newsmeta): the file holds exactly these values.
    front = yaml.safe_load(HOSTILE_ARTICLE.split("---\n")[1])
    assert front["title"] == HOSTILE and front["extra"] == HOSTILE_DATA["extra"]
    assert front[KEY] == 1
    return path


@pytest.fixture
def site(tmp_path: Path) -> Path:
    folder = tmp_path / "site"
    folder.mkdir()
    write_hostile(folder)
    return folder


# -- running on a terminal ----------------------------------------------------------------------


@dataclass(frozen=True)
class Shown:
    code: int
    text: str  # what the terminal showed, stdout and stderr together, "\n" line breaks


def _terminal_environment(colour: bool, env: dict[str, str] | None) -> dict[str, str]:
    drop = {"NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "VISUAL", "EDITOR"}
    environment = {k: v for k, v in os.environ.items() if k not in drop | {"COLUMNS", "LINES"}}
    environment |= {"PYTHONPATH": str(ROOT), "TERM": "xterm-256color", "COLUMNS": "4000"}
    if not colour:
        environment["NO_COLOR"] = "1"
    return environment | (env or {})


def on_terminal(
    *args: str, cwd: Path, colour: bool = False, env: dict[str, str] | None = None
) -> Shown:
    """Run ``python -m newsmeta ARGS`` with stdin, stdout and stderr on a pseudo-terminal, as
    a person would; without ``colour``, NO_COLOR is set, so no escape sequence at all is
    expected."""
    import pty

    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "newsmeta", *args],
        cwd=cwd,
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env=_terminal_environment(colour, env),
        start_new_session=True,  # its own group, so that a hung run can be killed whole
    )
    os.close(follower)
    try:
        shown = read_terminal(leader, timeout=TIMEOUT)
        code = process.wait(timeout=TIMEOUT)
    finally:
        os.close(leader)
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    text = shown.decode("utf-8", "surrogateescape").replace("\r\n", "\n")
    assert "Traceback" not in text, text
    return Shown(code, text)


# == 1. list and search, every format ===========================================================

LISTINGS = [("list",), ("search", "pwned")]  # search: a word of the title, highlighted


@pytest.mark.parametrize("colour", [False, True], ids=["no-color", "colour"])
@pytest.mark.parametrize("command", LISTINGS, ids=lambda command: command[0])
def test_the_table_on_a_terminal_shows_text_from_files_literally(
    site: Path, command: tuple[str, ...], colour: bool
) -> None:
    shown = on_terminal(*command, ".", "-c", COLUMNS, cwd=site, colour=colour)
    assert shown.code == 0, shown.text
    assert_inert(shown.text, colour=colour)
    plain = SGR.sub("", shown.text)
    assert "─" in plain  # it is the table (the default format on a terminal)
    assert escaped(NAME) in plain  # the file name's markup and escapes, literally
    assert escaped(HOSTILE) in plain  # title, provider.name, extra.sub: markup stays text
    assert f"{escaped(HOSTILE)}, {escaped(HOSTILE)}" in plain  # the topics
    assert "\\u001b[31m" in plain  # the mapping, as compact JSON
    if colour:
        assert "\x1b[" in shown.text  # rich's own styling is still there


@pytest.mark.parametrize("count_by", ["provider.name", "topics"])
def test_the_count_table_on_a_terminal_shows_values_literally(site: Path, count_by: str) -> None:
    for colour in (False, True):
        shown = on_terminal("list", ".", "--count-by", count_by, cwd=site, colour=colour)
        assert shown.code == 0, shown.text
        assert_inert(shown.text, colour=colour)
        assert escaped(HOSTILE) in SGR.sub("", shown.text)


@pytest.mark.parametrize("fmt", ["tsv", "csv", "paths"])
@pytest.mark.parametrize("where", ["pipe", "terminal"])
@pytest.mark.parametrize("command", LISTINGS, ids=lambda command: command[0])
def test_line_formats_escape_text_from_files(
    site: Path, command: tuple[str, ...], fmt: str, where: str
) -> None:
    args = (*command, ".", "-c", COLUMNS, "-f", fmt)
    if where == "pipe":
        result = run_cli(*args, cwd=site)
        assert_no_traceback(result)
        code, out = result.code, result.stdout
    else:
        shown = on_terminal(*args, cwd=site)
        code, out = shown.code, shown.text
    assert code == 0, out
    assert_inert(out)
    if fmt == "paths":
        assert out == escaped(NAME) + "\n"
    elif fmt == "tsv":
        _header, line = out.splitlines()
        assert line.split("\t")[:5] == [
            tsv_escaped(NAME),
            *[tsv_escaped(HOSTILE)] * 2,
            tsv_escaped(f"{HOSTILE}, {HOSTILE}"),
            tsv_escaped(HOSTILE),
        ]
    else:
        header_row, row = list(csv.reader(io.StringIO(out)))
        assert header_row == COLUMNS.split(",")
        assert row[:5] == [
            escaped(NAME),
            *[escaped(HOSTILE)] * 2,
            escaped(f"{HOSTILE}, {HOSTILE}"),
            escaped(HOSTILE),
        ]


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
@pytest.mark.parametrize("command", LISTINGS, ids=lambda command: command[0])
def test_json_stays_valid_and_gives_back_the_exact_values(
    site: Path, command: tuple[str, ...], fmt: str
) -> None:
    result = run_cli(*command, ".", "-c", COLUMNS, "-f", fmt, cwd=site)
    assert_no_traceback(result)
    assert result.code == 0, result.stderr
    assert_inert(result.stdout)
    assert result.stdout.isascii()
    if fmt == "json":
        items = json.loads(result.stdout)
    else:
        items = [json.loads(line) for line in result.stdout.splitlines()]
    assert items == [HOSTILE_DATA]
    shown = on_terminal(*command, ".", "-c", COLUMNS, "-f", fmt, cwd=site)
    assert_inert(shown.text)
    assert json.loads(shown.text.splitlines()[0] if fmt == "jsonl" else shown.text) in (
        HOSTILE_DATA,
        [HOSTILE_DATA],
    )


@pytest.mark.parametrize("option", ["-c", "--count-by"])
def test_a_key_in_the_table_header_is_not_markup(site: Path, option: str) -> None:
    # --count-by takes KEY[:bucket], so its key has no ":" (and so no link).
    key = f"{MARKUP}{LINK_MARKUP}" if option == "-c" else f"{MARKUP}[bold]k[/bold]"
    (site / "k.md").write_text(
        minimal_article("k").decode().replace("---\nBody", f"{y(key)}: 1\n---\nBody"),
        encoding="utf-8",
    )
    value = ["path," + key] if option == "-c" else [key]
    for colour in (False, True):
        shown = on_terminal("list", ".", option, *value, cwd=site, colour=colour)
        assert shown.code == 0, shown.text
        assert_inert(shown.text, colour=colour)
        assert key in SGR.sub("", shown.text)


def test_the_arabic_letter_mark_is_escaped_too(tmp_path: Path) -> None:
    title = "a\u061cb"
    text = minimal_article("alm").decode().replace('"A headline"', y(title))
    (tmp_path / "alm\u061c.md").write_text(text, encoding="utf-8")
    for fmt in ("tsv", "csv", "paths"):
        out = run_cli("list", ".", "-c", "path,title", "-f", fmt, cwd=tmp_path).stdout
        assert "\u061c" not in out, (fmt, out)
    shown = on_terminal("list", ".", "-c", "path,title", cwd=tmp_path)
    assert "\u061c" not in shown.text
    assert "a\\u061cb" in shown.text


def test_nul_paths_are_written_whole_as_documented(site: Path) -> None:
    """``-0`` is for ``xargs -0``: the name must come out exactly (docs/list.md)."""
    result = run_cli("list", ".", "-0", cwd=site)
    assert result.stdout == NAME + "\0"


# == 1. validate ==============================================================================


def test_validate_text_escapes_names_values_and_keys(site: Path) -> None:
    result = run_cli("validate", ".", "-f", "text", cwd=site)
    assert_no_traceback(result)
    assert result.code == 1
    assert_inert(result.stdout + result.stderr)
    lines = result.stdout.splitlines()
    assert all(line.startswith(escaped(NAME) + ":") for line in lines), lines
    assert any("[invalid-url]" in line and repr(URL) in line for line in lines), lines
    assert any(f"[unknown-key] unknown key {escaped(KEY)}" in line for line in lines), lines
    assert any("[duplicate-topic]" in line and repr(HOSTILE) in line for line in lines), lines


@pytest.mark.parametrize("colour", [False, True], ids=["no-color", "colour"])
def test_validate_grouped_on_a_terminal_escapes_names_values_and_keys(
    site: Path, colour: bool
) -> None:
    shown = on_terminal("validate", ".", cwd=site, colour=colour)
    assert shown.code == 1
    assert_inert(shown.text, colour=colour)
    plain = SGR.sub("", shown.text)
    assert plain.splitlines()[0] == escaped(NAME)
    assert repr(URL) in plain
    assert f"unknown key {escaped(KEY)}" in plain


def test_validate_json_gives_back_the_exact_name_and_key(site: Path) -> None:
    result = run_cli("validate", ".", "-f", "json", cwd=site)
    assert result.code == 1
    assert_inert(result.stdout)
    problems = json.loads(result.stdout)
    assert {problem["path"] for problem in problems} == {NAME}
    messages = [problem["message"] for problem in problems]
    assert any(message.startswith(f"unknown key {KEY}") for message in messages), messages
    assert any(repr(URL) in message for message in messages), messages


def github_unescape(text: str) -> str:
    for code, char in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        text = text.replace(code, char)
    return text


GITHUB_LINE = re.compile(r"::(error|warning) (?P<props>[^:]*)::(?P<message>.*)")


def parse_annotations(out: str) -> list[tuple[dict[str, str], str]]:
    """Each line as (properties, message); every line must be one annotation, nothing else."""
    parsed = []
    for line in out.split("\n")[:-1]:
        match = GITHUB_LINE.fullmatch(line)
        assert match, f"not one annotation: {line!r}"
        props = dict(item.split("=", 1) for item in match.group("props").split(","))
        assert set(props) <= {"file", "line", "col"}, props
        parsed.append((props, match.group("message")))
    return parsed


def test_validate_github_escapes_names_and_values(site: Path) -> None:
    result = run_cli("validate", ".", "-f", "github", cwd=site)
    assert result.code == 1
    assert_inert(result.stdout)
    annotations = parse_annotations(result.stdout)
    assert {props["file"] for props, _ in annotations} == {
        escaped(NAME).replace("%", "%25").replace(":", "%3A").replace(",", "%2C")
    }
    messages = [message for _, message in annotations]
    assert any(repr(URL) in message for message in messages), messages
    assert any(f"unknown key {escaped(KEY)}" in message for message in messages), messages


GITHUB_NAME = "g,h:i%41j\n::add-mask::k\r\n::set-output name=x::y.md"
GITHUB_KEY = "k%0A\n::add-mask::secret\r\n::error file=x::z,:"


def test_validate_github_cannot_start_a_workflow_command(tmp_path: Path) -> None:
    """A name or a key with CR, LF, ``%``, ``:`` or ``,`` stays inside its annotation."""
    text = minimal_article("gh").decode().replace("---\nBody", f"{y(GITHUB_KEY)}: 1\n---\nBody")
    (tmp_path / GITHUB_NAME).write_text(text, encoding="utf-8")
    result = run_cli("validate", ".", "-f", "github", cwd=tmp_path)
    assert result.code == 0  # unknown-key is a warning
    assert_inert(result.stdout)
    [(props, message)] = parse_annotations(result.stdout)
    assert props["file"] == (
        "g%2Ch%3Ai%2541j%0A%3A%3Aadd-mask%3A%3Ak%0D%0A%3A%3Aset-output name=x%3A%3Ay.md"
    )
    assert github_unescape(props["file"]) == GITHUB_NAME
    assert message.startswith("[unknown-key] unknown key k%250A%0A::add-mask::secret%0D%0A")
    assert github_unescape(message).startswith(f"[unknown-key] unknown key {GITHUB_KEY}")


def test_validate_fix_lists_its_fixes_escaped_on_stderr(site: Path) -> None:
    result = run_cli("validate", "--fix", ".", cwd=site)
    assert_no_traceback(result)
    assert_inert(result.stdout + result.stderr)
    fixed = [line for line in result.stderr.splitlines() if ": fixed [" in line]
    assert fixed == [
        f"{escaped(NAME)}:10:5: fixed [duplicate-topic] topic {HOSTILE!r} is "
        "listed twice (first on line 9)"
    ]


def test_schema_escapes_the_configurations_values(tmp_path: Path) -> None:
    topics = [HOSTILE, "c\x9bd"]
    config = f"topics = {json.dumps(topics)}\nextra-keys = {json.dumps(['k' + BIDI])}\n"
    (tmp_path / "newsmeta.toml").write_text(config, encoding="utf-8")
    result = run_cli("schema", cwd=tmp_path)
    assert result.code == 0, result.stderr
    schema = json.loads(result.stdout)
    assert schema["properties"]["topics"]["items"]["enum"] == topics
    assert "k" + BIDI in schema["properties"]
    assert_inert(result.stdout)


def test_bidi_controls_stay_escaped_in_the_files_written(tmp_path: Path) -> None:
    # provider before title: out of the house style, so that reformat writes the file
    (tmp_path / "r.md").write_text(
        "---\nprovider:\n  name: Example News\n  domain: example.com\n"
        f"title: {y('a' + BIDI + 'b')}\n---\nBody.\n",
        encoding="utf-8",
    )
    (tmp_path / "e.md").write_bytes(minimal_article("e"))
    assert run_cli("reformat", "r.md", cwd=tmp_path).code == 0
    assert run_cli("edit", "--set-str", f"note=x{BIDI}y", "e.md", cwd=tmp_path).code == 0
    for name in ("r.md", "e.md"):
        written = (tmp_path / name).read_text(encoding="utf-8")
        assert "\\u202e" in written.lower(), written  # changed, and escaped
        assert_inert(written)


# == 1. reformat --check, and diffs ==========================================================


@pytest.mark.parametrize("where", ["pipe", "terminal"])
def test_reformat_check_prints_escaped_paths(site: Path, where: str) -> None:
    if where == "pipe":
        result = run_cli("reformat", "--check", ".", cwd=site)
        code, out = result.code, result.stdout + result.stderr
        assert result.stdout == escaped(NAME) + "\n"
    else:
        shown = on_terminal("reformat", "--check", ".", cwd=site)
        code, out = shown.code, shown.text
        assert out.splitlines()[0] == escaped(NAME)
    assert code == 1
    assert_inert(out)


DIFFS = [
    ("reformat", "--diff"),
    ("edit", "--dry-run", "--set", "quality=5", "--set-str", f"note={HOSTILE}"),
    ("edit", "--diff", "--set", "quality=5", "--set-str", f"note={HOSTILE}"),
]


@pytest.mark.parametrize("colour", [False, True], ids=["no-color", "colour"])
@pytest.mark.parametrize("command", DIFFS, ids=lambda command: " ".join(command[:2]))
def test_a_diff_on_a_terminal_escapes_everything(
    site: Path, command: tuple[str, ...], colour: bool
) -> None:
    shown = on_terminal(*command, ".", cwd=site, colour=colour)
    assert shown.code in (0, 1), shown.text
    assert_inert(shown.text, colour=colour)
    plain = SGR.sub("", shown.text)
    # The name as git quotes it (C escapes in double quotes), which patch reads back.
    assert f"--- {quoted_name(NAME)}\n+++ {quoted_name(NAME)}\n" in plain
    assert f" {escaped(RAW_BODY)}\n" in plain or command[0] == "edit"
    if command[0] == "edit":
        assert "\n+quality: 5\n" in plain
        added = next(line for line in plain.splitlines() if line.startswith("+note:"))
        assert MARKUP in added and "[link=" in added  # markup, literally


def test_a_diff_in_a_pipe_keeps_the_articles_bytes_for_patch(tmp_path: Path) -> None:
    """The documented choice (docs/edit.md), as git diff and black --diff do: patch applies it."""
    if shutil.which("patch") is None:
        pytest.skip("needs patch")
    original = HOSTILE_ARTICLE.replace("\n---\n", "\nquality: 1\n---\n").encode()
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "story.md").write_bytes(original)
    dry = run_cli("edit", "--dry-run", "--set", "quality=5", "story.md", cwd=tmp_path / "a")
    assert dry.code == 0, dry.stderr
    assert f" {RAW_BODY}\n" in dry.stdout  # the body's bytes, raw, as the file has them
    run_cli("edit", "--set", "quality=5", "story.md", cwd=tmp_path / "b")
    applied = subprocess.run(
        ["patch", "-p0", "--quiet"], cwd=tmp_path / "a", input=dry.stdout.encode(), check=False
    )
    assert applied.returncode == 0
    assert (tmp_path / "a" / "story.md").read_bytes() == (tmp_path / "b" / "story.md").read_bytes()


@pytest.mark.parametrize("name", ["my story.md", f'a{CSI}{BIDI} "q\\.md'], ids=["space", "odd"])
def test_patch_applies_a_diff_of_an_odd_file_name(tmp_path: Path, name: str) -> None:
    if shutil.which("patch") is None:
        pytest.skip("needs patch")
    original = b'---\ntitle: "x"\n---\nbody\n'
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / name).write_bytes(original)
    dry = run_cli("edit", "--dry-run", "--set", "quality=5", name, cwd=tmp_path / "a")
    assert dry.code == 0, dry.stderr
    applied = subprocess.run(
        ["patch", "-p0", "--quiet"], cwd=tmp_path / "b", input=dry.stdout.encode(), check=False
    )
    assert applied.returncode == 0
    assert (tmp_path / "b" / name).read_bytes() == original.replace(
        b"---\nbody", b"quality: 5\n---\nbody"
    )


@pytest.mark.parametrize("command", DIFFS[:2], ids=lambda command: " ".join(command[:2]))
def test_a_diff_in_a_pipe_quotes_the_file_name(tmp_path: Path, command: tuple[str, ...]) -> None:
    name = f"{CSI}{BIDI}n\n::add-mask::x.md"
    write_hostile(tmp_path).rename(tmp_path / name)
    result = run_cli(*command, ".", cwd=tmp_path)
    assert result.code in (0, 1), result.stderr
    headers = [line for line in result.stdout.splitlines() if line[:4] in ("--- ", "+++ ")]
    assert len(headers) == 2, result.stdout
    for line in headers:
        assert_inert(line)
    structure = ("--- ", "+++ ", "@@ ", " ", "+", "-", "\\")
    assert all(line.startswith(structure) for line in result.stdout.split("\n")[:-1])


# == 1. standard error ==========================================================================


def test_problems_on_stderr_escape_the_file_name(site: Path) -> None:
    (site / f"{CSI}{BIDI}bad.md").write_text("---\ntitle: x\ntitle: y\n---\n", encoding="utf-8")
    for args in (("list", "."), ("reformat", "--check", "."), ("edit", "--set", "quality=5", ".")):
        result = run_cli(*args, cwd=site)
        assert result.code == 2, (args, result.stderr)
        assert_inert(result.stderr)
        assert f"{escaped(CSI + BIDI)}bad.md:3:1: error [duplicate-key]" in result.stderr


def test_an_edit_failure_on_stderr_escapes_the_file_name(site: Path) -> None:
    result = run_cli("edit", "--add", "title=x", ".", cwd=site)  # title is not a list
    assert result.code == 2
    assert_inert(result.stderr)
    assert f"{escaped(NAME)}:2:" in result.stderr and "[edit-failed]" in result.stderr


MISSING = f"gone{CSI}{OSC_TITLE}{C1_CSI}{BIDI}[bold]x[/bold].md"


@pytest.mark.parametrize("command", ["list", "validate", "reformat"])
def test_a_missing_path_is_named_escaped(tmp_path: Path, command: str) -> None:
    result = run_cli(command, MISSING, cwd=tmp_path)
    assert result.code == 2
    assert_inert(result.stderr)
    assert escaped(MISSING) in result.stderr


def test_a_missing_file_for_the_editor_is_named_escaped(tmp_path: Path) -> None:
    shown = on_terminal("edit", MISSING, cwd=tmp_path, env={"EDITOR": "true"})
    assert shown.code == 2
    assert_inert(shown.text)
    assert escaped(MISSING) in shown.text


@pytest.mark.parametrize("how", ["--config", "found"])
def test_a_configuration_error_names_the_file_escaped(tmp_path: Path, how: str) -> None:
    folder = tmp_path / f"cfg{CSI}{OSC_TITLE}{BIDI}[bold]x[red]"  # a name holds no "/"
    folder.mkdir()
    if how == "--config":
        result = run_cli("validate", "--config", str(folder / "missing.toml"), cwd=tmp_path)
    else:
        (folder / "newsmeta.toml").write_text('extensions = "md"\n', encoding="utf-8")
        result = run_cli("validate", cwd=folder)
    assert result.code == 2
    assert_inert(result.stderr)
    assert escaped(folder.name) in result.stderr


@pytest.mark.parametrize(
    "command", [["list"], ["validate"], ["reformat"], ["edit", "--set", "a=1"]]
)
def test_a_line_break_in_a_name_cannot_start_a_line_of_its_own(
    tmp_path: Path, command: list[str]
) -> None:
    """A CI log reads '::error::' at the start of a line as a command."""
    result = run_cli(*command, "gone\n::error::x.md", cwd=tmp_path)
    assert result.code == 2
    assert result.stderr.splitlines() == [
        "newsmeta: no such file or folder: gone\\x0a::error::x.md"
    ]


def test_a_bad_query_is_echoed_escaped(site: Path) -> None:
    result = run_cli("search", f"title={CSI}{BIDI} AND (", ".", cwd=site)
    assert result.code == 2
    assert_inert(result.stderr)


# == 2. $EDITOR and $VISUAL: shlex, no shell ==================================================

ARGV_LOGGER = """\
import json, sys
with open(sys.argv[1], "w", encoding="utf-8") as log:
    json.dump(sys.argv[2:], log)
"""
# What a shell would run or expand (in double quotes, or bare), as $EDITOR's arguments: split
# with shlex, each must reach the editor as the word it is.
SHELL_TAIL = (
    '"$(touch PWNED1)" \';touch PWNED2\' "`touch PWNED3`" $HOME ${IFS}'
    " && touch PWNED4 > PWNED5 | touch PWNED6 ; touch PWNED7"
)
SHELL_WORDS = ["$(touch PWNED1)", ";touch PWNED2", "`touch PWNED3`", "$HOME", "${IFS}", "&&"]
SHELL_WORDS += ["touch", "PWNED4", ">", "PWNED5", "|", "touch", "PWNED6", ";", "touch", "PWNED7"]


@pytest.mark.parametrize("variable", ["EDITOR", "VISUAL"])
def test_the_editor_command_is_split_with_shlex_and_run_without_a_shell(
    tmp_path: Path, variable: str
) -> None:
    """tests/test_edit_editor.py checks shlex splitting (a path with a space), not this."""
    article = tmp_path / "a.md"
    article.write_bytes(minimal_article("a"))
    script, log = tmp_path / "argv.py", tmp_path / "argv.json"
    script.write_text(ARGV_LOGGER, encoding="utf-8")
    command = f"{shlex.quote(sys.executable)} {shlex.quote(str(script))} {shlex.quote(str(log))}"
    command += " " + SHELL_TAIL
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    shown = on_terminal(
        "edit", "a.md", cwd=tmp_path, env={variable: command, "TMPDIR": str(scratch)}
    )
    assert shown.code == 0, shown.text
    assert "a.md: no changes; nothing written" in shown.text
    argv = json.loads(log.read_text(encoding="utf-8"))
    assert argv[:-1] == SHELL_WORDS
    assert argv[-1].endswith(".yaml") and Path(argv[-1]).parent == scratch
    assert not [path for path in tmp_path.rglob("PWNED*")]
    assert article.read_bytes() == minimal_article("a")


# == 3. nothing named by an article or the configuration is executed or imported ==============

# Planted next to the articles (and so on sys.path, as the current folder of ``python -c``): if
# anything imported it or called it, PWNED files would appear.
PLANTED_MODULE = """\
import pathlib
pathlib.Path("PWNED-imported").write_text("imported")

def run(*args, **kwargs):
    pathlib.Path("PWNED-called").write_text("called")

x = 1
"""
NAMED_MODULES = ("antigravity", "webbrowser", "pwnedmod", "subprocess", "ctypes")
# Named only by the inputs: newsmeta never imports them (checked by the clean run).
FOREIGN_MODULES = ("antigravity", "webbrowser", "pwnedmod")
EXEC_EVENTS = ("os.system", "subprocess.Popen", "os.exec", "os.posix_spawn", "os.spawn")
AUDIT_SHIM = """\
import os, sys

_MARKER = os.environ["NEWSMETA_AUDIT_MARKER"]
_WATCHED = frozenset(os.environ["NEWSMETA_AUDIT_MODULES"].split(","))
_FOREIGN = frozenset(os.environ["NEWSMETA_AUDIT_FOREIGN"].split(","))
_EXEC = frozenset(os.environ["NEWSMETA_AUDIT_EXEC"].split(","))

def hook(event, args):
    if event == "import":
        top = args[0].partition(".")[0]
        if top not in _WATCHED:
            return
        seen, forbidden = f"import {args[0]}", top in _FOREIGN
    elif event in _EXEC or event == "ctypes.dlopen":
        seen, forbidden = f"{event} {args[0]!r}", event in _EXEC
    else:
        return
    if forbidden:
        seen = "FORBIDDEN " + seen
        sys.stderr.write(f"AUDIT: {seen}\\n")
    with open(_MARKER, "a", encoding="utf-8") as marker:
        marker.write(seen + "\\n")

sys.addaudithook(hook)
from newsmeta.cli import main
main()
"""

TAGGED_VALUES = {
    "system": '!!python/object/apply:os.system ["touch PWNED-system"]',
    "name": "!!python/name:antigravity.x",
    "module": "!!python/module:webbrowser",
    "popen": '!!python/object/new:subprocess.Popen [["touch", "PWNED-popen"]]',
    "planted": "!!python/object/apply:pwnedmod.run []",
    "planted-name": "!!python/name:pwnedmod.x",
    "verbatim": '!<tag:yaml.org,2002:python/object/apply:os.system> ["touch PWNED-verbatim"]',
}


def tagged_articles() -> dict[str, str]:
    """One article a tag, in a value, a nested value, a list item and a key."""
    articles = {}
    for label, tagged in TAGGED_VALUES.items():
        base = minimal_article(label).decode()
        articles[f"value-{label}.md"] = base.replace('"A headline"', tagged)
        articles[f"nested-{label}.md"] = base.replace("Example News", tagged)
        articles[f"item-{label}.md"] = base.replace(
            "---\nBody", f"topics:\n  - {tagged}\n---\nBody"
        )
        articles[f"key-{label}.md"] = base.replace("---\nBody", f"? {tagged}\n: 1\n---\nBody")
    return articles


CLEAN_CONFIG = """\
topics = ["AI", "Energy"]
extra-keys = ["author"]
required-fields = ["title"]
key-order = ["title"]
quoted-fields = ["title"]
exclude = ["drafts/"]
"""
TAGGED_CONFIG = """\
topics = [
  "!!python/object/apply:os.system ['touch PWNED-config']",
  "!!python/name:pwnedmod.x",
  "AI",
]
extra-keys = ["!!python/name:pwnedmod.x", "!!python/module:webbrowser"]
required-fields = ["title"]
key-order = ["!!python/object/new:subprocess.Popen", "title"]
quoted-fields = ["!!python/name:antigravity.x", "title"]
exclude = ["!!python/object/apply:os.system"]
"""
# The clean article of the tagged site names the planted module in strings (not tags).
CLEAN_WITH_NAMES = (
    minimal_article("clean")
    .decode()
    .replace(
        "---\nBody",
        '"!!python/name:pwnedmod.x": 1\ntopics: ["!!python/name:pwnedmod.x"]\n---\nBody',
    )
)
COMMANDS = [
    ("validate", "."),
    ("validate", "--fix", "."),
    ("list", "."),
    ("search", "AI", "."),
    ("edit", "--set", "quality=5", "."),
    ("edit", "--dry-run", "--set", "quality=5", "."),
    ("edit", "--set", "note=!!python/object/apply:pwnedmod.run []", "."),  # a tag typed in
    ("reformat", "."),
    ("reformat", "--check", "."),
    ("reformat", "--diff", "."),
    ("schema",),
]


def audited(args: tuple[str, ...], cwd: Path, marker: Path) -> tuple[Result, list[str]]:
    """Run the CLI through the audit-hook shim; the events it saw, in order."""
    environment = {k: v for k, v in os.environ.items() if k not in {"NO_COLOR", "FORCE_COLOR"}}
    environment |= {
        "PYTHONPATH": str(ROOT),
        "NEWSMETA_AUDIT_MARKER": str(marker),
        "NEWSMETA_AUDIT_MODULES": ",".join(NAMED_MODULES),
        "NEWSMETA_AUDIT_FOREIGN": ",".join(FOREIGN_MODULES),
        "NEWSMETA_AUDIT_EXEC": ",".join(EXEC_EVENTS),
    }
    marker.unlink(missing_ok=True)
    done = subprocess.run(
        [sys.executable, "-c", AUDIT_SHIM, *args],
        cwd=cwd,
        capture_output=True,
        env=environment,
        timeout=120,
        check=False,
    )
    result = Result(done.returncode, done.stdout.decode(), done.stderr.decode())
    assert_no_traceback(result)
    seen = marker.read_text(encoding="utf-8").splitlines() if marker.exists() else []
    return result, seen


def _site(folder: Path, articles: dict[str, str], config: str) -> Path:
    folder.mkdir()
    (folder / "newsmeta.toml").write_text(config, encoding="utf-8")
    (folder / "pwnedmod.py").write_text(PLANTED_MODULE, encoding="utf-8")
    for name, text in articles.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_nothing_named_by_an_article_or_the_configuration_runs(tmp_path: Path) -> None:
    clean = _site(tmp_path / "clean", {"clean.md": minimal_article("clean").decode()}, CLEAN_CONFIG)
    tagged = _site(
        tmp_path / "tagged", {**tagged_articles(), "clean.md": CLEAN_WITH_NAMES}, TAGGED_CONFIG
    )
    marker = tmp_path / "audit.log"
    checked = audited(("validate", "-f", "json", "."), tagged, marker)[0]
    problems = json.loads(checked.stdout)
    refused = {item["path"] for item in problems if item["rule"] == "unknown-tag"}
    # Every tag reached the reader; a tag on a key that is a list is not refused (see below).
    assert refused >= {name for name in tagged_articles() if not name.startswith("key-")}
    assert {item["path"] for item in problems} >= set(tagged_articles())
    for args in COMMANDS:
        control = audited(args, clean, marker)[1]
        result, seen = audited(args, tagged, marker)
        assert "AUDIT:" not in result.stderr, (args, result.stderr)
        # Nothing forbidden, even on clean input; and the tagged input adds no event at all.
        assert not [event for event in control + seen if event.startswith("FORBIDDEN")], args
        assert set(seen) <= set(control), (args, seen, control)
    assert not list(tmp_path.rglob("PWNED*"))


@pytest.mark.parametrize("label", ["system", "planted", "verbatim"])
def test_a_tag_on_a_list_key_is_refused(tmp_path: Path, label: str) -> None:
    name = f"key-{label}.md"
    (tmp_path / name).write_text(tagged_articles()[name], encoding="utf-8")
    result = run_cli("validate", "-f", "json", ".", cwd=tmp_path)
    assert [item["rule"] for item in json.loads(result.stdout)] == ["unknown-tag"]
