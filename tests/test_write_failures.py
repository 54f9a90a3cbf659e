"""Writes that cannot corrupt: a full disk, a failing write, a file changed behind our back.

Every case runs the real CLI in a subprocess.  Faults the kernel can produce on demand are
produced for real (a file-size limit gives EFBIG; a small tmpfs, where the tests may mount one,
gives ENOSPC); the others are injected by a shim that replaces one function before the CLI
starts.  In every case the original file keeps its bytes, no temporary file is left, the error
is one line naming the file, and the other files are written.
"""

from __future__ import annotations

import contextlib
import os
import resource
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from .conftest import (
    MINIMAL,
    Result,
    assert_no_traceback,
    cli_environment,
    minimal_article,
    run_cli,
)

BIG_BODY = b"A long body line.\n" * 2000  # 36 KB


def run_shimmed(
    shim: str,
    *args: str,
    cwd: Path,
    preexec: Callable[[], None] | None = None,
) -> Result:
    """Run the CLI after ``shim`` (Python source) has run in the same process."""
    code = f"{shim}\nimport sys\nfrom newsmeta.cli import main\nsys.argv[0] = 'newsmeta'\nmain()\n"
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=cwd,
        capture_output=True,
        env=cli_environment(),
        timeout=120,
        preexec_fn=preexec,  # only sets a resource limit
    )
    return Result(done.returncode, done.stdout.decode(), done.stderr.decode())


def _state(path: Path) -> tuple[bytes, int, int]:
    info = path.stat()
    return path.read_bytes(), info.st_mtime_ns, info.st_ino


def _temporary_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".newsmeta-"))


def _articles(folder: Path) -> tuple[Path, Path]:
    big = folder / "big.md"
    big.write_bytes(minimal_article("big") + BIG_BODY)
    small = folder / "small.md"
    small.write_bytes(minimal_article("small"))
    return big, small


EDIT = ("edit", "--set", "quality=51")


def _assert_one_error(result: Result, name: str, rule: str, words: str) -> None:
    assert_no_traceback(result)
    assert result.code == 2, result.stderr
    # validate reports on stdout (its data), edit and reformat on stderr.
    lines = (result.stdout + result.stderr).splitlines()
    messages = [line for line in lines if line.startswith(name + ":") and f"[{rule}]" in line]
    assert len(messages) == 1, result.stdout + result.stderr
    assert f"error [{rule}]" in messages[0] and words in messages[0], messages[0]


# -- a write error: the file-size limit (EFBIG), always available ------------------------


def _limit_file_size() -> None:
    # Python ignores SIGXFSZ, so going past the limit is an OSError, as a full disk is.
    resource.setrlimit(resource.RLIMIT_FSIZE, (8192, 8192))


@pytest.mark.parametrize(
    "args", [EDIT, ("reformat",), ("validate", "--fix")], ids=["edit", "reformat", "fix"]
)
def test_write_error_leaves_the_original_and_writes_the_others(
    tmp_path: Path, args: tuple[str, ...]
) -> None:
    big, small = _articles(tmp_path)
    for path in (big, small):  # both need a change: out of style, and fixable
        path.write_bytes(path.read_bytes().replace(b'title: "A', b'title:   " A', 1))
    before, small_before = _state(big), small.read_bytes()

    result = run_shimmed("", *args, ".", cwd=tmp_path, preexec=_limit_file_size)

    _assert_one_error(result, "big.md", "io-error", "cannot write: File too large")
    assert _state(big) == before
    assert small.read_bytes() != small_before  # written
    assert _temporary_files(tmp_path) == []


# -- a full disk (ENOSPC) on a real tmpfs, where mounting one is allowed ------------------


@contextlib.contextmanager
def _small_tmpfs(folder: Path) -> Iterator[Path]:
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=128k", "tmpfs", str(folder)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (the file-size limit test covers write errors)")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def _fill(folder: Path) -> None:
    """Fill the file system up, then leave room for one small file's data only."""
    with open(folder / "filler", "wb", buffering=0) as stream, contextlib.suppress(OSError):
        while True:
            stream.write(b"\0" * 4096)
    (folder / "filler").write_bytes((folder / "filler").read_bytes()[:-8192])


def test_full_disk_leaves_the_original_intact(tmp_path: Path) -> None:
    with _small_tmpfs(tmp_path / "disk") as disk:
        big, small = _articles(disk)
        _fill(disk)
        before = _state(big)

        result = run_cli(*EDIT, ".", cwd=disk)

        _assert_one_error(result, "big.md", "io-error", "No space left on device")
        assert _state(big) == before
        assert small.read_bytes() != minimal_article("small")
        assert _temporary_files(disk) == []


# -- injected faults: fsync, rename ---------------------------------------------------------

FAULTS = {
    "fsync": "import errno, os\n"
    "def fsync(fd):\n    raise OSError(errno.EIO, 'Input/output error')\n"
    "os.fsync = fsync\n",
    "rename": "import errno, os\n"
    "def replace(a, b):\n    raise OSError(errno.EXDEV, 'Invalid cross-device link')\n"
    "os.replace = replace\n",
}


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_injected_write_fault_leaves_the_original(tmp_path: Path, fault: str) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(MINIMAL)
    before = _state(path)

    result = run_shimmed(FAULTS[fault], *EDIT, "a.md", cwd=tmp_path)

    _assert_one_error(result, "a.md", "io-error", "cannot write")
    assert _state(path) == before
    assert _temporary_files(tmp_path) == []


# -- a file changed on disk while newsmeta works on it ------------------------------------

SOMEONE_ELSE = b"---\ntitle: saved by someone else meanwhile\n---\n"

# Another program saves the file just before newsmeta writes it...
BEFORE_WRITE = f"""
import newsmeta.writer as writer
real = writer.write_file
def write_file(path, new, snapshot, check=None):
    open(path, "wb").write({SOMEONE_ELSE!r})
    return real(path, new, snapshot, check)
writer.write_file = write_file
for module in ("newsmeta.article", "newsmeta.reformat", "newsmeta.editor"):
    __import__(module)
    sys_module = __import__("sys").modules[module]
    sys_module.write_file = write_file
"""
# ... or while the temporary file is being checked, after the first look.
WHILE_CHECKING = f"""
import newsmeta.writer as writer
real = writer._replace
def _replace(target, new, info, snapshot, check):
    def late(written):
        open(target, "wb").write({SOMEONE_ELSE!r})
        if check is not None:
            check(written)
    return real(target, new, info, snapshot, late)
writer._replace = _replace
"""


@pytest.mark.parametrize("shim", [BEFORE_WRITE, WHILE_CHECKING], ids=["before", "late"])
@pytest.mark.parametrize("args", [EDIT, ("reformat",)], ids=["edit", "reformat"])
def test_file_changed_on_disk_is_refused(tmp_path: Path, shim: str, args: tuple[str, ...]) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(MINIMAL.replace(b"title: ", b"title:   "))

    result = run_shimmed(shim, *args, "a.md", cwd=tmp_path)

    _assert_one_error(result, "a.md", "changed-on-disk", "changed on disk since it was read")
    assert path.read_bytes() == SOMEONE_ELSE
    assert _temporary_files(tmp_path) == []


# -- what a write keeps: mode, symlinks; what it cannot: hard links ------------------------


@pytest.mark.parametrize("args", [EDIT, ("reformat",)], ids=["edit", "reformat"])
def test_write_keeps_mode_and_symlink(tmp_path: Path, args: tuple[str, ...]) -> None:
    real = tmp_path / "store" / "a.md"
    real.parent.mkdir()
    real.write_bytes(MINIMAL.replace(b"title: ", b"title:   "))
    real.chmod(0o640 | stat.S_ISGID)
    link = tmp_path / "a.md"
    link.symlink_to(Path("store") / "a.md")

    result = run_cli(*args, "a.md", cwd=tmp_path)

    assert result.code == 0, result.stderr
    assert link.is_symlink() and os.readlink(link) == os.path.join("store", "a.md")
    assert real.read_bytes() != MINIMAL.replace(b"title: ", b"title:   ")
    assert stat.S_IMODE(real.stat().st_mode) == 0o640 | stat.S_ISGID
    assert _temporary_files(tmp_path) == [] and _temporary_files(real.parent) == []


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root")
def test_write_keeps_set_group_id_of_a_file_owned_by_someone_else(tmp_path: Path) -> None:
    # A chown clears set-user-ID and set-group-ID: the owner is set before the mode.
    path = tmp_path / "a.md"
    path.write_bytes(MINIMAL)
    os.chown(path, 65534, 65534)
    path.chmod(0o2775)

    result = run_cli(*EDIT, "a.md", cwd=tmp_path)

    assert result.code == 0, result.stderr
    info = path.stat()
    assert (info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)) == (65534, 65534, 0o2775)


def test_hard_links_are_separated_as_documented(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(MINIMAL)
    other = tmp_path / "other-name.md"
    os.link(path, other)

    result = run_cli(*EDIT, "a.md", cwd=tmp_path)

    assert result.code == 0, result.stderr
    assert b"quality: 51" in path.read_bytes()
    assert other.read_bytes() == MINIMAL  # docs/article-format.md, "Hard links are separated"
    assert path.stat().st_ino != other.stat().st_ino
