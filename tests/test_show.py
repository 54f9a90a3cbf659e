"""``newsmeta show`` through the real CLI: the panel's content, its width, and its safety.

What the panel must show is read from the seeds independently (PyYAML and the raw text), and
the panel is read back by unwrapping its lines: words wrapped at spaces, long URLs folded.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from rich.cells import cell_len

from .conftest import (
    MINIMAL,
    REFERENCE,
    ROOT,
    SEEDS,
    Result,
    assert_no_traceback,
    read_terminal,
    run_cli,
)

SEED_FILES = sorted(path for path in SEEDS.iterdir() if path.is_file())
ANSI = re.compile(r"\x1b\[[0-9;]*m")  # rich's own styling: SGR only
RAW_CONTROLS = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)
TIMEOUT = 60  # seconds: only so that a hang fails instead of blocking the run


# -- reading the articles independently ----------------------------------------------------------


def front_matter(path: Path) -> dict[str, Any]:
    """The YAML between the ``---`` lines, read by PyYAML (not by newsmeta)."""
    lines = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n").split("\n")
    assert lines[0] == "---"
    data = yaml.safe_load("\n".join(lines[1 : lines.index("---", 1)]))
    assert isinstance(data, dict)
    return data


def readable_date(path: Path) -> str:
    """The publication date as the panel should show it, from the file's own text: the
    weekday, the day, the month, the time, and the offset as written (``Z`` as ``+00:00``)."""
    text = path.read_text(encoding="utf-8")
    found = re.search(r"^publishedDateTime: (\S+)$", text, re.MULTILINE)
    assert found, path
    written = found.group(1)
    when = dt.datetime.fromisoformat(written.replace("Z", "+00:00"))
    offset = "+00:00" if written.endswith("Z") else written[-6:]
    return f"{when:%a} {when.day} {when:%b} {when.year}, {when:%H:%M} {offset}"


# -- reading the panel back ----------------------------------------------------------------------


@dataclass(frozen=True)
class Panel:
    path: str  # the line above the panel
    width: int  # of the border
    lines: list[str]  # the lines inside the border, without its padding, right-stripped

    @property
    def words(self) -> str:
        """The panel's text with wrapped lines joined by a space (for wrapped prose)."""
        return " ".join(line.strip() for line in self.lines if line.strip())

    @property
    def folded(self) -> str:
        """The panel's text with lines joined by nothing (for folded URLs)."""
        return "".join(line.strip() for line in self.lines)

    def labelled(self, label: str) -> str | None:
        """The value on the line that starts with ``label``, with its continuation lines (the
        ones indented under it) joined back: a folded URL whole again."""
        for index, line in enumerate(self.lines):
            if re.match(rf"{re.escape(label)}  +\S", line):
                value = line[len(label) :].strip()
                indent = len(line) - len(line[len(label) :].lstrip())
                for following in self.lines[index + 1 :]:
                    if following[:indent].strip() or not following.strip():
                        break
                    value += following.strip()
                return value
        return None

    def section(self, heading: str) -> list[list[str]]:
        """The entries of a list (``Images``, ``Related``), each as its lines (bullet and
        hanging indent removed)."""
        start = self.lines.index(heading) + 1
        entries: list[list[str]] = []
        for line in self.lines[start:]:
            if line.startswith("• "):
                entries.append([line[2:]])
            elif line.startswith("  ") and entries:
                entries[-1].append(line[2:])
            else:
                break
        return entries


def about_and_url(entry: list[str]) -> tuple[str, str]:
    """An entry of a list read back: its words (lines joined by a space) and, on the lines
    from the last that starts with ``https://``, its URL (lines joined by nothing)."""
    start = max(index for index, line in enumerate(entry) if line.startswith("https://"))
    return " ".join(entry[:start]), "".join(entry[start:])


def panels(output: str) -> list[Panel]:
    """Each panel of ``output`` (its path line, its border width, its inner lines)."""
    lines = output.splitlines()
    found = []
    for index, line in enumerate(lines):
        if line.startswith("╭"):
            end = next(i for i in range(index, len(lines)) if lines[i].startswith("╰"))
            inner = []
            for row in lines[index + 1 : end]:
                assert row.startswith("│ ") and row.endswith(" │"), row
                inner.append(row[2:-2].rstrip())
            found.append(Panel(lines[index - 1], cell_len(line), inner))
    return found


def show(*args: str, columns: int = 80, stdin: bytes | None = None) -> Result:
    """``newsmeta show ARGS`` in a pipe, ``columns`` wide."""
    result = run_cli("show", *args, env={"COLUMNS": str(columns)}, stdin=stdin)
    assert_no_traceback(result)
    return result


def one_panel(*args: str, columns: int = 80) -> Panel:
    result = show(*args, columns=columns)
    assert result.code == 0, result.stderr
    (panel,) = panels(result.stdout)
    return panel


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


# -- what the panel shows ------------------------------------------------------------------------


def test_the_reference_seed_shows_every_part_in_its_place() -> None:
    data = front_matter(REFERENCE)
    panel = one_panel(str(REFERENCE))
    assert panel.path == str(REFERENCE)
    assert panel.width == 80
    heading = " ".join(panel.lines[: panel.lines.index("")])  # the lines before the first gap
    assert heading.startswith(data["title"] + " ")  # first, whole, though wider than the panel
    assert "Washington Post (washingtonpost.com) · Thu 11 Jun 2020, 16:42 +00:00" in heading
    assert "quality 27 · heat -1 · not published" in heading
    assert data["excerpt"] in panel.words
    assert panel.labelled("Topics") == "Computer Vision, AI"
    assert panel.labelled("Web") == data["webUrl"]
    assert panel.labelled("AMP") == data["ampWebUrl"]
    assert panel.labelled("CDN AMP") == data["cdnAmpWebUrl"]
    (image,) = data["images"]
    (shown_image,) = panel.section("Images")
    about, url = about_and_url(shown_image)
    assert url == image["url"]  # folded, whole again
    assert about == f"1440x960 · {image['title']} · cached"
    related = panel.section("Related")
    assert len(related) == len(data["related"]) == 2
    for item, shown_item in zip(data["related"], related, strict=True):
        about, url = about_and_url(shown_item)
        assert about == f"{item['title']} — {item['provider']['name']}"
        assert url == item["webUrl"]
    # category, type and secured are shown too, so no key is left to name
    assert "other keys" not in panel.words
    secured = panel.labelled("Secured")
    assert secured is not None and secured.endswith("…")  # one line, cut: an opaque value
    assert data["secured"].startswith(secured[:-1])


@pytest.mark.parametrize("seed", SEED_FILES, ids=lambda path: path.name)
def test_every_seed_renders(seed: Path) -> None:
    data = front_matter(seed)
    panel = one_panel(str(seed))
    assert panel.path == str(seed)
    assert panel.words.startswith(data["title"])
    assert readable_date(seed) in panel.words  # the article's own offset, not converted
    assert data["provider"]["name"] in panel.words
    assert panel.labelled("Topics") == ", ".join(data["topics"])
    assert panel.labelled("Web") == data["webUrl"]
    for image in data.get("images", []):
        assert image["url"] in panel.folded
    for item in data.get("related", []):
        assert item["title"] in panel.words
        assert item["webUrl"] in panel.folded
    assert all(cell_len(line) <= 76 for line in panel.lines)


def test_the_date_keeps_its_offset() -> None:
    """Three zones, none converted to another."""
    output = show(
        *(
            str(SEEDS / name)
            for name in (
                "001_eu-ai-act-vote.md",
                "002_starship-first-flight.md",
                "004_nhk-riken-quantum-computer.md",
            )
        )
    ).stdout
    assert "Wed 13 Mar 2024, 11:05 +01:00" in output
    assert "Thu 20 Apr 2023, 09:45 -05:00" in output
    assert "Mon 27 Mar 2023, 17:12 +09:00" in output


def test_missing_fields_are_left_out(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(MINIMAL)
    panel = one_panel(str(path))
    assert panel.width == 80  # as wide as the others, however little it holds
    assert panel.lines == [
        "A headline",
        "Example News (example.com) · Thu 11 Jun 2020, 16:42 +00:00",
        "",
        "Web  https://www.example.com/news/a-headline/",
    ]


def test_keys_the_panel_does_not_show_are_named(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "a.md",
        "---\ntitle: T\nauthor: Jane\nprovider: {name: P, logo: l.png}\n"
        "images: [{url: 'https://i.example/1.jpg', credit: me, attribution: AP Photo}]\n"
        "related: [{title: R, excerpt: e, provider: {name: Q}, webUrl: 'https://r.example/', "
        "score: 3}]\n"
        "category: news\n"
        "---\n",
    )
    panel = one_panel(str(path))
    assert panel.lines[-1] == (
        "other keys: author, provider.logo, images[].credit, related[].score"
    )
    assert panel.section("Images") == [["credit AP Photo", "https://i.example/1.jpg"]]
    assert panel.section("Related") == [["R — Q", "https://r.example/"]]


def test_several_files_give_several_panels_in_order() -> None:
    chosen = [SEED_FILES[3], SEED_FILES[0], SEED_FILES[7]]
    result = show(*map(str, chosen))
    assert result.code == 0, result.stderr
    shown = panels(result.stdout)
    assert [panel.path for panel in shown] == [str(path) for path in chosen]
    for path, panel in zip(chosen, shown, strict=True):
        assert panel.words.startswith(front_matter(path)["title"])


def test_standard_input_is_shown_as_dash() -> None:
    result = show("-", stdin=REFERENCE.read_bytes())
    assert result.code == 0, result.stderr
    (panel,) = panels(result.stdout)
    assert panel.path == "-"
    assert panel.words.startswith(front_matter(REFERENCE)["title"])


# -- width ---------------------------------------------------------------------------------------


def long_article(folder: Path) -> Path:
    """A title, excerpt and topic with words far wider than any terminal, and long URLs."""
    word = "x" * 300
    url = "https://www.example.com/" + "a" * 400
    return write(
        folder,
        "long-" + "n" * 150 + ".md",
        f"---\ntitle: {word}\nexcerpt: {word} {word}\npublishedDateTime: 2020-06-11T16:42:00Z\n"
        f"webUrl: {url}\nampWebUrl: {url}\nprovider: {{name: {word}, domain: {word}}}\n"
        f"topics: [{word}]\nimages: [{{url: {url}, width: 1, height: 2, title: {word}}}]\n"
        f"related: [{{title: {word}, webUrl: {url}, provider: {{name: {word}}}}}]\n"
        f"{word}: 1\n---\n",
    )


@pytest.mark.parametrize("columns", [30, 80, 133])
def test_every_line_fits_the_width(tmp_path: Path, columns: int) -> None:
    files = [*map(str, SEED_FILES), str(long_article(tmp_path))]
    result = show(*files, columns=columns)
    assert result.code == 0, result.stderr
    widths = [cell_len(line) for line in result.stdout.splitlines()]
    assert max(widths) == columns  # the panel takes the whole width...
    assert all(width <= columns for width in widths)  # ...and no more
    assert len(panels(result.stdout)) == len(files)
    long_panel = panels(result.stdout)[-1]
    assert "a" * 400 in long_panel.folded  # folded, not cut


# -- safety --------------------------------------------------------------------------------------

HOSTILE = "[bold]markup[/] \x1b]8;;http://x\x07link\x1b]8;;\x07 \u202eevil \x1b[31mred \x9b1m"
HOSTILE_SHOWN = (
    "[bold]markup[/] \\x1b]8;;http://x\\x07link\\x1b]8;;\\x07 \\u202eevil \\x1b[31mred \\x9b1m"
)


def hostile_article(folder: Path) -> Path:
    value = json.dumps(HOSTILE)  # a YAML double-quoted scalar
    return write(
        folder,
        "hostile.md",
        f"---\ntitle: {value}\nexcerpt: {value}\npublishedDateTime: {value}\n"
        f"webUrl: {value}\nprovider: {{name: {value}, domain: {value}}}\ntopics: [{value}]\n"
        f"images: [{{url: {value}, title: {value}}}]\n"
        f"related: [{{title: {value}, webUrl: {value}, provider: {{name: {value}}}}}]\n"
        f"{value}: 1\n---\n",
    )


def test_text_from_the_file_is_neither_markup_nor_escapes(tmp_path: Path) -> None:
    path = hostile_article(tmp_path)
    assert yaml.safe_load(path.read_text().split("---\n")[1])["title"] == HOSTILE
    result = show(str(path), columns=400)
    assert result.code == 0, result.stderr
    assert not RAW_CONTROLS.findall(result.stdout), repr(result.stdout)
    (panel,) = panels(result.stdout)
    assert panel.lines[0] == HOSTILE_SHOWN  # the title: markup literal, controls escaped
    assert panel.lines[1] == f"{HOSTILE_SHOWN} ({HOSTILE_SHOWN}) · {HOSTILE_SHOWN}"
    assert panel.lines[3] == HOSTILE_SHOWN  # the excerpt
    assert panel.labelled("Topics") == HOSTILE_SHOWN
    assert panel.labelled("Web") == HOSTILE_SHOWN
    assert panel.section("Images") == [[HOSTILE_SHOWN, HOSTILE_SHOWN]]
    assert panel.section("Related") == [[f"{HOSTILE_SHOWN} — {HOSTILE_SHOWN}", HOSTILE_SHOWN]]
    assert panel.lines[-1] == f"other keys: {HOSTILE_SHOWN}"


def test_a_hostile_file_name_is_escaped(tmp_path: Path) -> None:
    name = "[bold]n\x1b[31m\u202e.md"
    write(tmp_path, name, MINIMAL.decode())
    result = run_cli("show", name, cwd=tmp_path)
    assert result.code == 0, result.stderr
    assert result.stdout.splitlines()[0] == "[bold]n\\x1b[31m\\u202e.md"


def test_no_escape_sequence_in_a_pipe(tmp_path: Path) -> None:
    result = show(*map(str, SEED_FILES), str(hostile_article(tmp_path)))
    assert result.code == 0, result.stderr
    assert "\x1b" not in result.stdout
    assert "\x1b" not in result.stderr


@pytest.mark.parametrize(
    "front",
    [
        "title: 5\nexcerpt: [a, b]\npublishedDateTime: '2020-01-01'\nupdatedDateTime: 2020-01-02\n"
        "webUrl: 12\nampWebUrl: {a: 1}\nquality: high\nheat: true\npublished: maybe\n"
        "provider: Reuters\ntopics: AI\nimages: x\nrelated: {title: t}\nsecured: 7",
        "title: [1, 2]\nprovider: [a]\ntopics: [1, ~, {a: 1}, [b]]\n"
        "images: [1, ~, {width: x}, []]\nrelated: [1, ~, {provider: 5}, {title: ~, webUrl: ~}]\n"
        "publishedDateTime: 2020-01-01",
        "title: ~\nprovider: {name: [x], domain: {d: 1}}\nimages: {url: u}\nrelated: 3\n"
        "publishedDateTime: 2020-06-11 16:42:00.250000-03:30\nx: !!binary aGVsbG8=\n"
        "s: !!set {a, b}\n? [k, l]\n: 1\n7: seven\ntrue: yes",
        "title: ''\ntopics: []\nimages: []\nrelated: []\nprovider: {}",
    ],
    ids=["scalars", "odd-items", "odd-containers", "empty"],
)
def test_values_of_unexpected_types_are_shown_as_text(tmp_path: Path, front: str) -> None:
    path = write(tmp_path, "odd.md", f"---\n{front}\n---\n")
    panel = one_panel(str(path))
    assert panel.path == str(path)


def test_unexpected_types_show_their_text(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "odd.md",
        "---\ntitle: 5\npublishedDateTime: '2020-06-11'\ntopics: AI\nimages: x\nprovider: R\n"
        "quality: high\npublished: maybe\nupdatedDateTime: 2020-06-12T16:42:05.25-03:30\n"
        "related: [1, {provider: {domain: only.example}}]\nheat: [1, 2]\n"
        "modified: 1\n---\n",
    )
    panel = one_panel(str(path))
    assert panel.lines[:3] == [
        "5",
        # a date as text stays as written; a date and time has all its digits
        "R · 2020-06-11 · updated Fri 12 Jun 2020, 16:42:05.25 -03:30",
        "quality high · heat 1, 2 · published maybe",  # a list as list shows it
    ]
    assert panel.labelled("Topics") == "AI"
    assert panel.section("Images") == [["x"]]
    assert panel.section("Related") == [["1"], ["only.example"]]
    assert panel.lines[-1] == "other keys: modified"


def test_empty_items_are_left_out(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "a.md",
        "---\ntitle: T\ntopics: [AI, ~, '', 3]\nimages: [~, {}, {title: ~}, {width: 4}]\n"
        "related: [~, '', {title: R}]\n---\n",
    )
    panel = one_panel(str(path))
    assert panel.labelled("Topics") == "AI, 3"
    assert panel.section("Images") == [["4x?"]]
    assert panel.section("Related") == [["R"]]


# -- errors --------------------------------------------------------------------------------------


def test_a_missing_file_exits_2_with_one_line(tmp_path: Path) -> None:
    result = show(str(tmp_path / "nope.md"))
    assert result.code == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("newsmeta: ") and "nope.md" in result.stderr


def test_a_missing_path_stops_the_run_before_anything_is_shown(tmp_path: Path) -> None:
    result = show(str(REFERENCE), str(tmp_path / "nope.md"))
    assert result.code == 2
    assert result.stdout == ""
    assert result.stderr == f"newsmeta: no such file or folder: {tmp_path / 'nope.md'}\n"


def test_a_file_without_front_matter_exits_2(tmp_path: Path) -> None:
    path = write(tmp_path, "plain.md", "Just text.\n")
    result = show(str(path))
    assert result.code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"{path}:1:1: error [no-front-matter]")
    assert result.stderr.count("\n") == 1


def test_the_readable_files_are_shown_when_one_is_not(tmp_path: Path) -> None:
    bad = write(tmp_path, "plain.md", "Just text.\n")
    result = show(str(REFERENCE), str(bad), str(SEED_FILES[1]))
    assert result.code == 2
    assert [panel.path for panel in panels(result.stdout)] == [str(REFERENCE), str(SEED_FILES[1])]
    assert f"{bad}:1:1: error [no-front-matter]" in result.stderr


def test_a_file_is_needed() -> None:
    result = run_cli("show")
    assert result.code == 2
    assert result.stdout == ""


# -- on a terminal -------------------------------------------------------------------------------


def on_terminal(*args: str, columns: int, colour: bool = False) -> str:
    """``newsmeta ARGS`` with stdin, stdout and stderr on a pseudo-terminal ``columns`` wide
    (no COLUMNS variable: the terminal says its size); NO_COLOR set unless ``colour``."""
    import fcntl
    import pty
    import struct
    import termios

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    drop = {"NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "COLUMNS", "LINES"}
    environment = {k: v for k, v in os.environ.items() if k not in drop}
    environment |= {"PYTHONPATH": str(ROOT), "TERM": "xterm-256color"}
    if not colour:
        environment["NO_COLOR"] = "1"
    process = subprocess.Popen(
        [sys.executable, "-m", "newsmeta", *args],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env=environment,
        start_new_session=True,
    )
    os.close(follower)
    try:
        shown = read_terminal(leader, timeout=TIMEOUT)
        assert process.wait(timeout=TIMEOUT) == 0
    finally:
        os.close(leader)
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    text = shown.decode("utf-8", "surrogateescape").replace("\r\n", "\n")
    assert "Traceback" not in text, text
    return text


pty_only = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")


@pty_only
@pytest.mark.parametrize("columns", [80, 57])
def test_on_a_terminal_with_no_color_nothing_but_text_fits_the_terminal(
    tmp_path: Path, columns: int
) -> None:
    files = [*map(str, SEED_FILES), str(hostile_article(tmp_path)), str(long_article(tmp_path))]
    shown = on_terminal("show", *files, columns=columns)
    assert "\x1b" not in shown
    assert not RAW_CONTROLS.findall(shown)
    widths = [cell_len(line) for line in shown.splitlines()]
    assert max(widths) == columns  # the terminal's width, not a default
    assert all(width <= columns for width in widths)
    assert len(panels(shown)) == len(files)


@pty_only
def test_on_a_terminal_the_panel_is_styled_and_text_stays_inert(tmp_path: Path) -> None:
    shown = on_terminal(
        "show", str(hostile_article(tmp_path)), str(REFERENCE), columns=80, colour=True
    )
    assert "\x1b[1m" in shown  # bold: the headline
    plain = ANSI.sub("", shown)
    assert not RAW_CONTROLS.findall(plain), repr(shown)
    assert "\x1b]" not in shown  # no hyperlink or title sequence, the file's or rich's
    assert all(cell_len(line) <= 80 for line in plain.splitlines())
    reference = panels(plain)[1]
    assert reference.labelled("Web") == front_matter(REFERENCE)["webUrl"]
    assert "[bold]markup[/]" in panels(plain)[0].lines[0]


# -- the documentation ---------------------------------------------------------------------------


def test_the_documented_panel_is_what_the_command_prints() -> None:
    """docs/show.md shows the reference article's panel as ``COLUMNS=80`` in a pipe gives it."""
    text = (ROOT / "docs" / "show.md").read_text(encoding="utf-8")
    command = "$ COLUMNS=80 newsmeta show seeds/000_218d50f45779ca55.txt\n"
    documented = text.split(command, 1)[1].split("```", 1)[0]
    result = run_cli("show", "seeds/000_218d50f45779ca55.txt", cwd=ROOT, env={"COLUMNS": "80"})
    assert result.code == 0, result.stderr
    assert documented == result.stdout
