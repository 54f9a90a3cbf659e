"""The one function that writes article files, and the rules it keeps.

A write happens only when the bytes differ.  The new bytes go to a temporary file in the same
folder, which is flushed, fsynced, given the original's mode (and owner, where permitted), read
back and checked, and only then renamed over the original.  A symlink's target is written and
the link stays a link.  If the file changed on disk since it was read, nothing is written.

Replacing a file by rename gives it a new inode: other hard links to the old inode keep the
old content (docs/article-format.md says so).

A process killed while it writes leaves its temporary file behind (the original is intact).
The temporary file's name holds the writer's process id and a hash of the host's name, and
:func:`sweep` removes those whose process is gone: every writing command sweeps each folder
it works in, once a run (docs/safety.md).
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import stat
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from newsmeta.errors import WriteError

TEMP_PREFIX = ".newsmeta-"
TEMP_SUFFIX = ".tmp"
# A temporary file whose writer cannot be told alive or dead (another host, an older
# newsmeta, a process id since reused) is removed once it is this old: no write takes a day.
STALE_AFTER_S = 24 * 3600
# ".newsmeta-<name>.<pid>-<host>.<random>.tmp"
_OURS = re.compile(r"\.newsmeta-.*\.(\d+)-([0-9a-f]{6})\.[A-Za-z0-9_]+\.tmp")
_swept: set[tuple[int, str]] = set()


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
    _refuse_if_changed(target, snapshot)
    sweep(target.parent)
    _replace(target, new, info, snapshot, check)
    return True


def _refuse_if_changed(target: Path, snapshot: Snapshot) -> None:
    if _changed_since(target, snapshot):
        raise WriteError(
            "changed-on-disk", "file changed on disk since it was read; left unchanged, run again"
        )


def _replace(
    target: Path,
    new: bytes,
    info: os.stat_result,
    snapshot: Snapshot,
    check: Callable[[bytes], None] | None,
) -> None:
    try:
        import tempfile

        fd, temp_name = tempfile.mkstemp(
            # The name cut short: the temporary name must fit where the original's did.
            prefix=f"{TEMP_PREFIX}{target.name[:120]}.{os.getpid()}-{_host()}.",
            suffix=TEMP_SUFFIX,
            dir=target.parent,
        )
    except OSError as error:
        raise WriteError("io-error", f"cannot create a temporary file: {error.strerror}") from error
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(new)
            stream.flush()
            # Owner first: a chown clears the set-user-ID and set-group-ID bits.
            with contextlib.suppress(PermissionError):
                if (info.st_uid, info.st_gid) != (os.getuid(), os.getgid()):
                    os.fchown(stream.fileno(), info.st_uid, info.st_gid)
            os.fchmod(stream.fileno(), stat.S_IMODE(info.st_mode))
            os.fsync(stream.fileno())
        written = temp.read_bytes()
        if written != new:
            raise WriteError("io-error", "the temporary file did not read back as written")
        if check is not None:
            check(written)
        # Checked again at the last moment: writing and checking took time, and an editor
        # may have saved meanwhile.
        _refuse_if_changed(target, snapshot)
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


@functools.cache
def _host() -> str:
    import hashlib
    import socket

    return hashlib.sha1(socket.gethostname().encode()).hexdigest()[:6]


def sweep_for(path: Path | str) -> None:
    """Sweep the folder a write of ``path`` would go to (a symlink's target's folder)."""
    sweep(Path(os.path.realpath(path)).parent)


def sweep(folder: Path) -> int:
    """Remove the temporary files that killed newsmeta runs left in ``folder``; once a run.

    A temporary file is removed when the process that made it on this host is gone, or when
    it is older than :data:`STALE_AFTER_S` (made on another host sharing the folder, or by an
    older newsmeta).  Returns how many were removed.
    """
    key = (os.getpid(), str(folder))
    if key in _swept:
        return 0
    _swept.add(key)
    removed = 0
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    host = None
    now = time.time()
    for entry in entries:
        name = entry.name
        if not (name.startswith(TEMP_PREFIX) and name.endswith(TEMP_SUFFIX)):
            continue
        match = _OURS.fullmatch(name)
        if match is not None:
            host = host or _host()
            if match[2] == host and not _running(int(match[1])):
                removed += _unlink(entry)
                continue
        # Made on another host, by an older newsmeta, or by a process whose id was reused.
        with contextlib.suppress(OSError):
            if now - entry.stat(follow_symlinks=False).st_mtime > STALE_AFTER_S:
                removed += _unlink(entry)
    return removed


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # EPERM: it exists, and is someone else's
        return True
    try:  # Linux: a killed process nobody has reaped yet is a zombie, and writes nothing
        with open(f"/proc/{pid}/stat", "rb") as stream:
            state = stream.read().rpartition(b")")[2].split()[:1]
    except OSError:
        return True
    return state not in ([b"Z"], [b"X"])


def _unlink(entry: os.DirEntry[str]) -> int:
    try:
        if not entry.is_file(follow_symlinks=False):
            return 0
        os.unlink(entry.path)
    except OSError:
        return 0
    return 1
