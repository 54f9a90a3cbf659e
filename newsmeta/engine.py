"""Run one job over many files: cached results first, the rest spread over the cores.

A :class:`Job` says how to compute one file's result as a payload (plain data that pickles
and caches) and how to turn a payload back into a result.  :func:`run` yields the results in
the order of the paths given, whatever order the workers finish in, and streams: it works
through the paths a batch at a time, so the first results appear before the last file is
read and memory does not grow with the number of files.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:
    from newsmeta.cache import Cache

CacheOpener = Callable[[], "Cache | None"]

R = TypeVar("R")

BATCH = 1024
# Below this many files to read, starting worker processes costs more than it saves.
MIN_PARALLEL = 256
# Below this many files in a run, opening the cache costs more than it saves (a pre-commit
# hook on a few files does not even import sqlite3).
MIN_CACHED = 32
_CHUNK = 32


class Job(Generic[R]):
    """What to do with each file; a job overrides ``compute`` and ``result``, and the others
    where it has something to say."""

    def compute(self, path: str) -> tuple[Any, bool]:
        """The file's payload (plain data) and whether it may be cached.  Never raises."""
        raise NotImplementedError

    def usable(self, payload: Any) -> bool:
        """Whether a cached payload serves this run."""
        return True

    def skip(self, blob: bytes) -> R | None:
        """The result of a file decided from its cached bytes alone, or None (then decoded)."""
        return None

    def result(self, path: str, payload: Any) -> R:
        """The result a payload stands for."""
        raise NotImplementedError


def kind_of(command: str, *settings: object) -> str:
    """The kind of a cached result: the command, newsmeta's version and a hash of what else it
    depends on: the configuration, and newsmeta's own code (a checkout between releases)."""
    import hashlib

    from newsmeta import __version__

    mixed = repr((__version__, _code_fingerprint(), settings)).encode("utf-8")
    return f"{command}:{__version__}:{hashlib.sha256(mixed).hexdigest()[:16]}"


def _code_fingerprint() -> list[tuple[str, int, int]]:
    """The size and mtime of each of newsmeta's modules: a stat each, no reading."""
    found = []
    folders = [Path(__file__).parent]
    while folders:
        with os.scandir(folders.pop()) as entries:
            for entry in entries:
                if entry.is_dir() and entry.name != "__pycache__":
                    folders.append(Path(entry.path))
                elif entry.name.endswith(".py"):
                    info = entry.stat()
                    found.append((entry.name, info.st_size, info.st_mtime_ns))
    return sorted(found)


def default_jobs() -> int:
    """How many processes to use: the cores this process may run on."""
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:  # not Linux
        return max(os.cpu_count() or 1, 1)


def can_fork() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


_job: Any = None  # the job of a worker process, set before it forks


def _compute(path: str) -> tuple[Any, bool]:
    return _job.compute(path)  # type: ignore[no-any-return]


class _Runner(Generic[R]):
    def __init__(self, job: Job[R], jobs: int, opener: CacheOpener | None) -> None:
        self.job = job
        self.jobs = jobs
        self.opener = opener
        self.cache: Cache | None = None
        self.pool: Any = None
        self.cached = 0  # results taken from the cache
        self.read = 0  # files read (and, in a run with a cache, not found in it)
        self.used_cache = False

    def open_cache(self) -> None:
        if self.opener is not None:
            self.cache = self.opener()
            self.opener = None

    def close(self) -> None:
        if self.cache is not None:
            self.cache.close()
            self.cache = None
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()
            self.pool = None

    def _pool(self) -> Any:
        if self.pool is None:
            global _job
            _job = self.job
            import multiprocessing

            self.pool = multiprocessing.get_context("fork").Pool(self.jobs)
        return self.pool

    def batch(self, paths: list[Path], more_to_come: bool) -> Iterator[R]:
        """The results of one batch of paths, in order; the cache is opened for a run of more
        than a few files (``more_to_come``: this is not the only batch)."""
        names = [str(path) for path in paths]
        # Keyed by absolute path: the same name in two folders is two files.
        absolute = {name: os.path.abspath(name) for name in names}
        keys: dict[str, tuple[int, int]] = {}
        for name in names:
            try:
                info = os.stat(name)
            except OSError:
                continue  # the job reports it when it tries to read the file
            keys[name] = (info.st_size, info.st_mtime_ns)
        hits: dict[str, bytes] = {}
        if len(names) >= MIN_CACHED or more_to_come:
            self.open_cache()
        if self.cache is not None:
            found = self.cache.lookup([(absolute[name], *key) for name, key in keys.items()])
            hits = {name: found[absolute[name]] for name in keys if absolute[name] in found}
        known: dict[str, R] = {}
        if hits:
            from newsmeta.cache import decode
        for name, blob in hits.items():
            try:
                early = self.job.skip(blob)
                if early is not None:
                    known[name] = early
                    continue
                payload = decode(blob)
                if self.job.usable(payload):
                    known[name] = self.job.result(name, payload)
            except Exception:  # a damaged or foreign entry: the file is read again
                continue
        misses = [name for name in names if name not in known]
        self.cached += len(known)
        self.read += len(misses)
        self.used_cache = self.used_cache or self.cache is not None
        computed = self._computed(misses)
        fresh: list[tuple[str, int, int, bytes]] = []
        if self.cache is not None:
            from newsmeta.cache import encode
        try:
            for name in names:
                if name in known:
                    yield known.pop(name)
                    continue
                payload, cacheable = next(computed)
                if cacheable and name in keys and self.cache is not None:
                    fresh.append((absolute[name], *keys[name], encode(payload)))
                yield self.job.result(name, payload)
        finally:
            if self.cache is not None and fresh:
                self.cache.store(fresh)

    def _computed(self, misses: list[str]) -> Iterator[tuple[Any, bool]]:
        parallel = (
            self.jobs > 1
            and (len(misses) >= MIN_PARALLEL or self.pool is not None)
            and (self.pool is not None or can_fork())
        )
        if not parallel:
            return (self.job.compute(name) for name in misses)
        chunk = max(1, min(_CHUNK, len(misses) // (self.jobs * 4)))
        return iter(self._pool().imap(_compute, misses, chunksize=chunk))


def run(
    paths: Iterable[Path],
    job: Job[R],
    *,
    jobs: int | None = None,
    cache: CacheOpener | None = None,
) -> Iterator[R]:
    """Each path's result, in the order of ``paths``; ``cache`` opens the cache, which is
    done only for a run of more than a few files."""
    runner = _Runner(job, jobs or default_jobs(), cache)
    try:
        batch: list[Path] = []
        for path in paths:
            batch.append(path)
            if len(batch) >= BATCH:
                yield from runner.batch(batch, True)
                batch = []
        if batch:
            yield from runner.batch(batch, False)
    finally:
        runner.close()
        from newsmeta import ui

        if ui.verbose():
            if runner.used_cache:
                ui.note(
                    f"{_files(runner.cached, 'unchanged ')} taken from the cache, "
                    f"{runner.read:,} read"
                )
            elif runner.read:
                ui.note(f"{_files(runner.read)} read (no cache: --no-cache, or a small run)")


def _files(count: int, kind: str = "") -> str:
    return f"{count:,} {kind}file{'' if count == 1 else 's'}"
