"""The incremental cache: what a run learnt of each file, kept until the file changes.

One SQLite database (the standard library's) in the user's cache folder holds, per kind of
result and per file, the file's size and ``mtime_ns`` when it was read and the result.  A
"kind" names what the result depends on besides the file: newsmeta's version, the command and
a hash of the configuration (``validate:<hash>``), so changing either starts afresh.

The cache is never trusted blindly and never fails a run:

- a file whose size or mtime differ is read again; so is a file modified less than
  :data:`RACY_SECONDS` before the run started, which is not stored (on a file system with
  coarse timestamps a second write in the same tick would look unchanged);
- a database that cannot be read (corrupt, not a database, a newer layout) is moved aside and
  rebuilt, with a warning; one that cannot be opened or written (locked by another run for
  too long, a read-only folder, a full disk) is bypassed with a warning, and the run goes on;
- two runs at once are safe: SQLite's write-ahead log serialises the writers, and each run
  writes its results in short transactions;
- results are decoded by a restricted unpickler that builds only plain data and dates, so a
  database planted in a shared CI cache cannot run code.
"""

from __future__ import annotations

import contextlib
import io
import os
import pickle
import sqlite3
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

CACHE_ENV = "NEWSMETA_CACHE_DIR"
DATABASE = "cache-v1.sqlite3"
RACY_SECONDS = 2.0
_LOOKUP_BATCH = 500  # SQLite allows 999 parameters a statement in its oldest builds
_BUSY_TIMEOUT_SECONDS = 2.0

_SCHEMA = """
CREATE TABLE IF NOT EXISTS entries (
    kind TEXT NOT NULL,
    path TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    payload BLOB NOT NULL,
    PRIMARY KEY (kind, path)
) WITHOUT ROWID
"""

Warn = Callable[[str], None]


def default_folder() -> Path:
    """Where the cache lives: ``$NEWSMETA_CACHE_DIR``, else the platform's user cache folder."""
    chosen = os.environ.get(CACHE_ENV)
    if chosen:
        return Path(chosen).expanduser()
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "newsmeta"


def _stderr(message: str) -> None:
    sys.stderr.write(f"newsmeta: warning: {message}\n")


class Cache:
    """Results of one kind, keyed by absolute path, size and mtime."""

    def __init__(self, connection: sqlite3.Connection, location: Path, kind: str, warn: Warn):
        self._db = connection
        self.location = location
        self.kind = kind
        self._warn = warn
        self._disabled = False
        self._started_ns = time.time_ns()

    # -- opening -----------------------------------------------------------------------------

    @classmethod
    def open(cls, kind: str, folder: Path | None = None, warn: Warn = _stderr) -> Cache | None:
        """The cache for ``kind``, or None (with a warning) when it cannot be used."""
        folder = folder or default_folder()
        location = folder / DATABASE
        connection: sqlite3.Connection | None
        try:
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            connection = _connect(location)
        except sqlite3.DatabaseError as error:
            if isinstance(error, sqlite3.OperationalError) and not _is_corrupt(error):
                warn(f"cache {location} cannot be used ({error}); running without it")
                return None
            connection = _rebuilt(location, error, warn)
        except OSError as error:
            warn(f"cache folder {folder} cannot be used ({error.strerror}); running without it")
            return None
        return None if connection is None else cls(connection, location, kind, warn)

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self._db.close()

    # -- reading and writing -----------------------------------------------------------------

    def lookup(self, keys: Sequence[tuple[str, int, int]]) -> dict[str, bytes]:
        """The stored payloads of the files in ``keys`` (path, size, mtime_ns) still current."""
        if self._disabled or not keys:
            return {}
        wanted = {path: (size, mtime) for path, size, mtime in keys if _storable(path)}
        found: dict[str, bytes] = {}
        paths = list(wanted)
        try:
            for start in range(0, len(paths), _LOOKUP_BATCH):
                chunk = paths[start : start + _LOOKUP_BATCH]
                marks = ",".join("?" * len(chunk))
                rows = self._db.execute(
                    "SELECT path, size, mtime_ns, payload FROM entries "
                    f"WHERE kind = ? AND path IN ({marks})",
                    (self.kind, *chunk),
                )
                for path, size, mtime, payload in rows:
                    if wanted.get(path) == (size, mtime):
                        found[path] = payload
        except sqlite3.Error as error:
            self._give_up("read", error)
            return {}
        return found

    def store(self, rows: Iterable[tuple[str, int, int, bytes]]) -> None:
        """Remember payloads (path, size, mtime_ns, payload); racy or failed writes are skipped."""
        if self._disabled:
            return
        limit = self._started_ns - int(RACY_SECONDS * 1e9)
        fresh = [(self.kind, p, s, m, b) for p, s, m, b in rows if m < limit and _storable(p)]
        if not fresh:
            return
        try:
            with self._db:
                self._db.executemany(
                    "INSERT OR REPLACE INTO entries (kind, path, size, mtime_ns, payload) "
                    "VALUES (?, ?, ?, ?, ?)",
                    fresh,
                )
        except sqlite3.Error as error:
            self._give_up("write", error)

    def _give_up(self, what: str, error: sqlite3.Error) -> None:
        self._disabled = True
        if not _is_corrupt(error):
            self._warn(f"cache {self.location} could not {what} ({error}); going on without it")
            return
        # Damaged past the pages opening it reads: moved aside, so the next run starts afresh.
        self.close()
        try:
            _move_aside(self.location)
        except OSError as again:
            self._warn(
                f"cache {self.location} is damaged ({error}) and cannot be moved aside "
                f"({again.strerror}); going on without it"
            )
            return
        self._warn(
            f"cache {self.location} is damaged ({error}); going on without it, moved to "
            f"{_aside(self.location).name} (the next run starts a new one)"
        )


def _storable(path: str) -> bool:
    """Whether SQLite can hold ``path``: a name that is not UTF-8 (its odd bytes decoded as
    surrogates) cannot be stored as text, so that file is simply never cached."""
    if path.isascii():
        return True
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _connect(location: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(location, timeout=_BUSY_TIMEOUT_SECONDS, isolation_level=None)
    try:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
        connection.execute(_SCHEMA)
        connection.execute("SELECT kind, path, size, mtime_ns, payload FROM entries LIMIT 1")
    except BaseException:
        connection.close()
        raise
    # Later statements manage their own transactions ("with connection").
    connection.isolation_level = "DEFERRED"
    return connection


def _is_corrupt(error: sqlite3.Error) -> bool:
    text = str(error).lower()
    return any(
        sign in text
        for sign in ("malformed", "not a database", "no such column", "file is encrypted")
    )


def _aside(location: Path) -> Path:
    return location.with_name(f"{location.name}.corrupt")


def _move_aside(location: Path) -> None:
    aside = _aside(location)
    for suffix in ("", "-wal", "-shm"):
        old = Path(f"{location}{suffix}")
        if old.exists():
            os.replace(old, Path(f"{aside}{suffix}"))


def _rebuilt(location: Path, error: sqlite3.Error, warn: Warn) -> sqlite3.Connection | None:
    """Move an unreadable database aside and start a new one; None if even that fails."""
    aside = _aside(location)
    try:
        _move_aside(location)
        connection = _connect(location)
    except (OSError, sqlite3.Error) as again:
        warn(
            f"cache {location} is unreadable ({error}) and cannot be rebuilt ({again}); "
            "running without it"
        )
        return None
    warn(f"cache {location} was unreadable ({error}); moved to {aside.name} and rebuilt")
    return connection


# -- payloads ----------------------------------------------------------------------------------

_ALLOWED = {
    ("datetime", "datetime"),
    ("datetime", "date"),
    ("datetime", "timezone"),
    ("datetime", "timedelta"),
    ("builtins", "set"),
    ("builtins", "frozenset"),
    ("builtins", "bytearray"),
    ("builtins", "complex"),
}


class _PlainUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _ALLOWED:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"the cache may not build {module}.{name}")


def encode(value: Any) -> bytes:
    """A payload: plain data (dicts, lists, text, numbers, dates) as bytes."""
    return pickle.dumps(value, protocol=5)


def decode(payload: bytes) -> Any:
    """The plain data of a payload; raises ValueError for anything but plain data."""
    try:
        return _PlainUnpickler(io.BytesIO(payload)).load()
    except Exception as error:  # a damaged or planted payload: read the file instead
        raise ValueError(f"unreadable cache payload: {error}") from error
