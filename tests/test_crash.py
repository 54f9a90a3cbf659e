"""Crash safety: a run killed with SIGKILL at any moment leaves every file old or new, never
torn, and the temporary files it leaves are removed by the next writing run.

Each command (a batch ``edit`` and ``reformat``, the latter on two worker processes) runs over
a few hundred generated articles and is killed, whole process group at once, after a random
delay within the time an uninterrupted run takes.  After each kill every article must hold
exactly its old bytes or exactly the bytes an uninterrupted run writes; the only other files
allowed are newsmeta's temporary files.  Every few kills the command runs to completion, which
must leave every article new and no temporary file (the documented clean-up, docs/safety.md).

``NEWSMETA_CRASH_KILLS`` sets the kills per command (default 110: 220 in all); the figures of
a run are printed with ``pytest -s``.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from .conftest import MINIMAL, ROOT, cli_environment, run_cli

KILLS = int(os.environ.get("NEWSMETA_CRASH_KILLS", "110"))
ARTICLES = 300  # enough for reformat to start worker processes (engine.MIN_PARALLEL)
CLEAN_UP_EVERY = 10

pytestmark = pytest.mark.skipif(not hasattr(os, "killpg"), reason="needs POSIX signals")


def _article(number: int) -> bytes:
    """A small valid article of its own (its own URL), in the house style."""
    return (
        MINIMAL.replace(b"/a-headline/", f"/story-{number:04d}/".encode())
        .replace(b'title: "A headline"', f'title: "Story number {number}"'.encode())
        .replace(b"Body.\n", b"Body.\n" * (1 + number % 7))
    )


def _out_of_style(raw: bytes) -> bytes:
    """The article with trailing spaces on two lines: reformat must rewrite it."""
    return raw.replace(b"\ntitle: ", b"\ntitle:   ", 1).replace(b"  name: ", b"  name:    ", 1)


@dataclass
class Figures:
    kills: int = 0
    mid_batch: int = 0  # kills after which some articles were new and some old
    temporary_left: int = 0  # temporary files found right after a kill
    clean_ups: int = 0


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "newsmeta", *args],
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group: the workers die with it
    )


def _temporary(name: str) -> bool:
    return name.startswith(".newsmeta-") and name.endswith(".tmp")


def _look(folder: Path, old: dict[str, bytes], new: dict[str, bytes]) -> tuple[int, list[str]]:
    """How many articles are new and how many temporary files there are; raises if torn."""
    names = sorted(os.listdir(folder))
    temporary = [name for name in names if _temporary(name)]
    assert sorted(set(names) - set(temporary)) == sorted(old), "an article vanished or appeared"
    fresh = 0
    for name, before in old.items():
        now = (folder / name).read_bytes()
        assert now in (before, new[name]), f"{name} is neither its old nor its new bytes"
        fresh += now == new[name]
    return fresh, temporary


def _crash_many(
    tmp_path: Path, args: list[str], prepare: Callable[[bytes], bytes], kills: int
) -> Figures:
    old = {f"{number:04d}.md": prepare(_article(number)) for number in range(ARTICLES)}
    folder = tmp_path / "articles"
    folder.mkdir()
    env = cli_environment({"NEWSMETA_CACHE_DIR": str(tmp_path / "cache")})

    def restore() -> None:
        for name, raw in old.items():
            (folder / name).write_bytes(raw)

    # An uninterrupted run gives the new bytes and the span the kills are spread over.
    restore()
    started = time.monotonic()
    finished = _run(args, folder, env)
    _out, err = finished.communicate(timeout=300)
    span = time.monotonic() - started
    assert finished.returncode == 0, err.decode()
    new = {name: (folder / name).read_bytes() for name in old}
    assert all(new[name] != old[name] for name in old), "every article must change"

    figures = Figures()
    chance = random.Random(20261130)
    left: set[str] = set()  # temporary files seen since the last clean-up run
    for kill in range(1, kills + 1):
        restore()
        process = _run(args, folder, env)
        time.sleep(chance.uniform(0.0, span))
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate(timeout=60)
        _wait_for_group(process.pid)
        fresh, names = _look(folder, old, new)
        figures.kills += 1
        figures.mid_batch += 0 < fresh < len(old)
        figures.temporary_left += len(set(names) - left)
        left.update(names)
        if kill % CLEAN_UP_EVERY == 0 or kill == kills:
            left.clear()
            done = _run(args, folder, env)
            _out, err = done.communicate(timeout=300)
            assert done.returncode == 0, err.decode()
            fresh, names = _look(folder, old, new)
            assert fresh == len(old), "the run after a kill must finish the job"
            assert names == [], "temporary files left after the clean-up run"
            figures.clean_ups += 1
    return figures


def _wait_for_group(group: int) -> None:
    """Wait until every process of the killed group is dead: gone, or a zombie nobody has
    reaped yet (the workers' parent is dead, and a container's init may be slow to reap)."""
    for _ in range(500):
        if not _alive_in_group(group):
            return
        time.sleep(0.01)
    raise AssertionError(f"processes of group {group} survived SIGKILL")


def _alive_in_group(group: int) -> bool:
    if not os.path.isdir("/proc"):
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return False
        return True
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as stream:
                fields = stream.read().rpartition(b")")[2].split()
        except OSError:
            continue
        if int(fields[2]) == group and fields[0] not in (b"Z", b"X"):
            return True
    return False


def _report(command: str, figures: Figures) -> None:
    print(
        f"\n{command}: {figures.kills} kills, {figures.mid_batch} mid-batch, "
        f"{figures.temporary_left} temporary files left and cleaned up, "
        f"{figures.clean_ups} clean-up runs, 0 torn"
    )


def test_killed_batch_edit_leaves_every_file_old_or_new(tmp_path: Path) -> None:
    figures = _crash_many(
        tmp_path,
        ["edit", "--set", "quality=51", "--set-str", "excerpt=Checked after a crash.", "."],
        lambda raw: raw,
        KILLS,
    )
    _report("edit", figures)
    assert figures.kills == KILLS
    # Not a timing check: a test whose kills all land before or after the writes tests nothing.
    assert figures.mid_batch > 0


def test_killed_parallel_reformat_leaves_every_file_old_or_new(tmp_path: Path) -> None:
    figures = _crash_many(tmp_path, ["reformat", "-j", "2", "."], _out_of_style, KILLS)
    _report("reformat", figures)
    assert figures.kills == KILLS
    assert figures.mid_batch > 0


def test_leftover_temporary_files_of_dead_processes_are_swept(tmp_path: Path) -> None:
    """What the clean-up removes, and what it leaves: a live writer's file, other files."""
    folder = tmp_path / "articles"
    shutil.copytree(ROOT / "seeds", folder)
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    dead_pid = int(dead.stdout)
    from newsmeta.writer import _host

    host = _host()
    gone = folder / f".newsmeta-a.md.{dead_pid}-{host}.abcd1234.tmp"
    alive = folder / f".newsmeta-b.md.{os.getpid()}-{host}.abcd1234.tmp"
    elsewhere = folder / f".newsmeta-c.md.{dead_pid}-000000.abcd1234.tmp"
    ancient = folder / ".newsmeta-d.md.k2j3h4g5.tmp"  # an older newsmeta's name
    reused = folder / f".newsmeta-e.md.{os.getpid()}-{host}.abcd1234.tmp"  # a reused process id
    unrelated = folder / ".newsmeta-notes.txt"
    for path in (gone, alive, elsewhere, ancient, reused, unrelated):
        path.write_bytes(b"partial")
    for path in (ancient, reused):
        os.utime(path, (time.time() - 2 * 24 * 3600,) * 2)

    for args in (["reformat", "--check", "."], ["validate", "."], ["list", "."]):
        run_cli(*args, cwd=folder)
    assert gone.exists(), "commands that write nothing must not remove anything"

    done = run_cli("reformat", ".", cwd=folder)
    assert done.code == 0, done.stderr
    assert not gone.exists()
    assert not ancient.exists() and not reused.exists()
    assert alive.exists() and elsewhere.exists() and unrelated.exists()
