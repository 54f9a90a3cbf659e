"""The one function that writes article files, and the rules it keeps.

A write happens only when the bytes differ.  The new bytes go to a temporary file in the same
folder, which is flushed, fsynced, given the original's mode (and owner, where permitted), read
back and checked, and only then renamed over the original.  A symlink's target is written and
the link stays a link.  If the file changed on disk since it was read, nothing is written.

Replacing a file by rename gives it a new inode: other hard links to the old inode keep the
old content (docs/article-format.md says so).
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from newsmeta.errors import WriteError

TEMP_PREFIX = ".newsmeta-"
TEMP_SUFFIX = ".tmp"


@dataclass(frozen=True)
class Snapshot:
    """What a file looked like when it was read: used to refuse writing over a newer version."""

    size: int
    mtime_ns: int
    inode: int
    device: int
    content: bytes


def read_snapshot(path: Path | str) -> Snapshot:
    """Read a file's bytes together with the stat taken just before (raises OSError)."""
    before = os.stat(path)
    if not stat.S_ISREG(before.st_mode):
        raise IsADirectoryError(21, "not a regular file", str(path))
    with open(path, "rb") as stream:
        content = stream.read()
    return Snapshot(before.st_size, before.st_mtime_ns, before.st_ino, before.st_dev, content)


def _changed_since(path: Path, snapshot: Snapshot) -> bool:
    try:
        info = os.stat(path)
        if (info.st_size, info.st_mtime_ns, info.st_ino, info.st_dev) != (
            snapshot.size,
            snapshot.mtime_ns,
            snapshot.inode,
            snapshot.device,
        ):
            return True
        return path.read_bytes() != snapshot.content
    except FileNotFoundError:
        return True


def _is_read_only(info: os.stat_result, path: Path) -> bool:
    # Root may write anything; a file with no write bit at all is still read-only to us.
    return not (info.st_mode & 0o222) or not os.access(path, os.W_OK)


def write_file(
    path: Path | str,
    new: bytes,
    snapshot: Snapshot,
    check: Callable[[bytes], None] | None = None,
) -> bool:
    """Replace ``path``'s content with ``new`` atomically; return whether it wrote.

    ``check`` receives the bytes read back from the temporary file and raises to stop the
    write.  Raises :class:`WriteError` (and leaves the original untouched) on any failure.
    """
    if new == snapshot.content:
        return False
    target = Path(os.path.realpath(path))
    try:
        info = os.stat(target)
    except FileNotFoundError as error:
        raise WriteError("io-error", "file vanished before it could be written") from error
    if _is_read_only(info, target):
        raise WriteError("read-only", "file is read-only; left unchanged")
    if _changed_since(target, snapshot):
        raise WriteError(
            "changed-on-disk", "file changed on disk since it was read; left unchanged, run again"
        )
    _replace(target, new, info, check)
    return True


def _replace(
    target: Path, new: bytes, info: os.stat_result, check: Callable[[bytes], None] | None
) -> None:
    try:
        import tempfile

        fd, temp_name = tempfile.mkstemp(
            prefix=f"{TEMP_PREFIX}{target.name}.", suffix=TEMP_SUFFIX, dir=target.parent
        )
    except OSError as error:
        raise WriteError("io-error", f"cannot create a temporary file: {error.strerror}") from error
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(new)
            stream.flush()
            os.fchmod(stream.fileno(), stat.S_IMODE(info.st_mode))
            with contextlib.suppress(PermissionError):
                if (info.st_uid, info.st_gid) != (os.getuid(), os.getgid()):
                    os.fchown(stream.fileno(), info.st_uid, info.st_gid)
            os.fsync(stream.fileno())
        written = temp.read_bytes()
        if written != new:
            raise WriteError("io-error", "the temporary file did not read back as written")
        if check is not None:
            check(written)
        os.replace(temp, target)
    except OSError as error:
        _remove(temp)
        raise WriteError("io-error", f"cannot write: {error.strerror or error}") from error
    except BaseException:
        _remove(temp)
        raise
    _fsync_folder(target.parent)


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()


def _fsync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
