"""The incremental cache and the worker processes, through the real CLI on real files.

Every test runs ``python -m newsmeta`` on articles written here, with a cache folder of its
own (conftest's ``NEWSMETA_CACHE_DIR``).  A result is only stored for a file modified more
than two seconds before the run, so the files' mtimes are set into the past with ``os.utime``;
and a run only opens the cache when it has enough files, so every folder here has at least
:data:`FILLERS` articles.

A cache keyed by (path, size, mtime) cannot see a file whose bytes were replaced while its size
and mtime stayed the same: black's and ruff's caches have the same limit.  The tests use that
on purpose, to show that an answer came from the cache rather than from the file.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import pickle
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newsmeta import engine
from newsmeta.cache import CACHE_ENV, DATABASE, RACY_SECONDS

from .conftest import Result, assert_no_traceback, cli_environment, minimal_article, run_cli

# Enough files for a run to open the cache (engine.MIN_CACHED, when there is such a floor).
FILLERS = max(40, getattr(engine, "MIN_CACHED", 0) + 8)
# Enough files to compute for the work to go to worker processes.
MANY = engine.MIN_PARALLEL + 44
PAST_NS = 1_600_000_000 * 10**9  # September 2020: far outside the "modified just now" window
WARNING = "newsmeta: warning: "

Command = list[str]
COMMANDS: dict[str, Command] = {
    "validate": ["validate", "."],
    "validate-json": ["validate", "--format", "json", "."],
    "list-tsv": ["list", "--format", "tsv", "."],
    "list-jsonl": [
        "list",
        "--format",
        "jsonl",
        "-c",
        "path,title,publishedDateTime,provider.domain,ampWebUrl,quality",
        ".",
    ],
    "search-word": ["search", "--format", "tsv", "headline", "."],
    "search-field": ["search", "--format", "tsv", "provider.domain:example.com", "."],
    "reformat-check": ["reformat", "--check", "."],
}
# One command of each family: they cache different kinds of result.
FAMILIES = {name: COMMANDS[name] for name in ("validate", "list-tsv", "reformat-check")}


# -- articles ----------------------------------------------------------------------------------


def article(
    slug: str,
    *,
    title: str | None = "A headline",
    date: str = "2020-06-11T16:42:00Z",
    url: str | None = None,
    after_url: tuple[str, ...] = (),
) -> bytes:
    """An article in the house style (``reformat --check`` leaves it alone)."""
    lines = ["---"]
    if title is not None:
        lines.append(f'title: "{title}"')
    lines.append(f"publishedDateTime: {date}")
    lines.append(f'webUrl: "{url or f"https://www.example.com/news/{slug}/"}"')
    lines.extend(after_url)
    lines += ["", "provider:", "  name: Example News", "  domain: example.com", "---", "Body.", ""]
    return "\n".join(lines).encode()


def write(path: Path, content: bytes, *, mtime_ns: int | None = PAST_NS) -> Path:
    """Write ``content``; with ``mtime_ns`` (default: the past), set the file's mtime to it."""
    path.write_bytes(content)
    if mtime_ns is not None:
        os.utime(path, ns=(mtime_ns, mtime_ns))
    return path


def fillers(folder: Path, count: int = FILLERS) -> list[Path]:
    """``count`` clean, in-style articles f000.md, f001.md, ... modified long ago."""
    return [write(folder / f"f{i:03}.md", article(f"f{i:03}")) for i in range(count)]


# The two articles that share a webUrl: both clean otherwise; in the first, the webUrl is on
# line 9, its value in column 11 (after a comment, other keys and extra spaces).
DUPLICATE_URL = "https://www.example.com/news/same-page/"
DUPLICATE_ONE = (
    "---\n"
    "# an article moved to a new home\n"
    'title: "Duplicate one"\n'
    'excerpt: "The first of two articles with one address."\n'
    "publishedDateTime: 2020-06-11T16:42:00Z\n"
    "provider:\n"
    "  name: Example News\n"
    "  domain: example.com\n"
    f'webUrl:   "{DUPLICATE_URL}"\n'
    "---\n"
    "Body.\n"
).encode()
DUPLICATE_TWO = article("two", title="Duplicate two", url=DUPLICATE_URL)


def mixed_folder(root: Path) -> Path:
    """Clean articles, and some with problems, all modified long ago."""
    folder = root / "articles"
    folder.mkdir()
    fillers(folder)
    write(folder / "a_no_title.md", article("no-title", title=None))
    write(folder / "b_bad_date.md", article("bad-date", date="2020-02-30T10:00:00Z"))
    amp = (
        'ampWebUrl: "https://www.example.com/amp/news/amp/"',
        'cdnAmpWebUrl: "https://wrong-host.cdn.ampproject.org/c/s/www.example.com/amp/news/amp/"',
    )
    write(folder / "c_amp_mismatch.md", article("amp", title="AMP page", after_url=amp))
    write(folder / "d_duplicate_one.md", DUPLICATE_ONE)
    write(folder / "e_duplicate_two.md", DUPLICATE_TWO)
    write(folder / "z_out_of_style.md", minimal_article("out of style"))  # no blank line
    return folder


# -- the cache database ------------------------------------------------------------------------


def cache_folder() -> Path:
    return Path(os.environ[CACHE_ENV])


def database() -> Path:
    return cache_folder() / DATABASE


def query(sql: str, *parameters: object) -> list[tuple]:
    connection = sqlite3.connect(database())
    try:
        return connection.execute(sql, parameters).fetchall()
    finally:
        connection.close()


def cached_paths() -> set[str]:
    """The names of the files with a stored result (of any kind): the cache keeps absolute
    paths, the tests' files have names unique within a test."""
    return {Path(path).name for (path,) in query("SELECT path FROM entries")}


def row_count() -> int:
    return int(query("SELECT count(*) FROM entries")[0][0])


def swap(path: Path, old: bytes, new: bytes) -> None:
    """Replace ``old`` by ``new`` (as long) in the file, keeping its size and mtime."""
    assert len(old) == len(new)
    info = path.stat()
    content = path.read_bytes()
    assert content.count(old) == 1
    path.write_bytes(content.replace(old, new))
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert path.stat().st_size == info.st_size
    assert path.stat().st_mtime_ns == info.st_mtime_ns


# -- runs --------------------------------------------------------------------------------------


def outcome(result: Result) -> tuple[int, str, str]:
    return result.code, result.stdout, result.stderr


def without_warnings(result: Result) -> tuple[int, str, str]:
    """The run's outcome without the cache's warnings (which say they are warnings)."""
    kept = [line for line in result.stderr.splitlines(True) if not line.startswith(WARNING)]
    return result.code, result.stdout, "".join(kept)


def warnings_of(result: Result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith(WARNING)]


def no_cache(command: Command) -> Command:
    return [command[0], "--no-cache", *command[1:]]


# -- 1. a warm run answers as the cold run did, from the cache ---------------------------------


def says_what_the_files_hold(name: str, result: Result) -> None:
    """The outputs compared are the right ones, not only the same ones."""
    assert_no_traceback(result)
    names = [line.split("\t")[0] for line in result.stdout.splitlines()[1:]]
    if name == "validate":
        assert result.code == 1
        found = [tuple(line.split(" ", 3)[:3]) for line in result.stdout.splitlines()]
        assert found == [
            ("a_no_title.md:2:1:", "error", "[required-field]"),
            ("b_bad_date.md:3:20:", "error", "[invalid-date]"),
            ("c_amp_mismatch.md:6:15:", "error", "[amp-url]"),
            ("d_duplicate_one.md:9:11:", "warning", "[duplicate-url]"),
            ("e_duplicate_two.md:4:9:", "warning", "[duplicate-url]"),
        ]
    elif name == "validate-json":
        assert len(json.loads(result.stdout)) == 5
    elif name == "list-tsv":
        assert result.code == 0
        assert len(names) == FILLERS + 6
    elif name == "list-jsonl":
        rows = [json.loads(line) for line in result.stdout.splitlines()]
        assert len(rows) == FILLERS + 6
        assert rows[0]["path"] == "a_no_title.md"
        assert rows[0]["title"] is None
    elif name.startswith("search"):
        assert result.code == 0
        assert "f000.md" in names
        assert ("a_no_title.md" in names) is (name == "search-field")  # a title-less article
    else:
        assert result.code == 1
        # the invalid date is a string, which the house style quotes
        assert result.stdout.split() == ["b_bad_date.md", "d_duplicate_one.md", "z_out_of_style.md"]


@pytest.mark.parametrize("name", COMMANDS)
def test_warm_run_is_byte_identical_to_cold_run(tmp_path: Path, name: str) -> None:
    command = COMMANDS[name]
    folder = mixed_folder(tmp_path)
    reference = run_cli(*no_cache(command), cwd=folder)
    assert not database().exists()
    cold = run_cli(*command, cwd=folder)
    assert outcome(cold) == outcome(reference)
    assert not warnings_of(cold)
    assert row_count() >= FILLERS  # the clean fillers at least are stored
    assert "f000.md" in cached_paths()
    warm = run_cli(*command, cwd=folder)
    assert outcome(warm) == outcome(cold)
    says_what_the_files_hold(name, warm)


def test_a_name_that_is_not_utf8_is_read_but_never_cached(tmp_path: Path) -> None:
    for number in range(40):  # past MIN_CACHED: the cache is used
        write(tmp_path / f"f{number:03d}.md", minimal_article(f"f{number}"))
    odd = os.path.join(os.fsencode(tmp_path), b"caf\xe9.md")
    with open(odd, "wb") as stream:
        stream.write(minimal_article("odd"))
    os.utime(odd, ns=(PAST_NS, PAST_NS))
    for _run in range(2):  # cold, then warm
        result = run_cli("list", "-c", "path", "--format", "tsv", ".", cwd=tmp_path)
        assert_no_traceback(result)
        assert result.code == 0, result.stderr
        lines = result.stdout.splitlines()
        assert len(lines) == 42 and "caf\\xe9.md" in lines  # the header, 40 files, the odd one
    assert "f000.md" in cached_paths()


def url_place(content: bytes) -> tuple[int, int]:
    """The 1-based line and column of the webUrl's value, found in the text."""
    for number, line in enumerate(content.decode().split("\n"), 1):
        if line.startswith("webUrl:"):
            return number, line.index('"') + 1
    raise AssertionError("no webUrl line")


def test_duplicate_url_has_the_real_place_of_the_url_on_warm_runs(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    fillers(folder)
    write(folder / "d_duplicate_one.md", DUPLICATE_ONE)
    write(folder / "e_duplicate_two.md", DUPLICATE_TWO)
    assert url_place(DUPLICATE_ONE) == (9, 11)
    line, column = url_place(DUPLICATE_TWO)
    expected = [
        f"d_duplicate_one.md:9:11: warning [duplicate-url] webUrl '{DUPLICATE_URL}' "
        "is also used by e_duplicate_two.md",
        f"e_duplicate_two.md:{line}:{column}: warning [duplicate-url] webUrl '{DUPLICATE_URL}' "
        "is also used by d_duplicate_one.md",
    ]
    runs = [run_cli("validate", ".", cwd=folder) for _ in ("cold", "warm", "warmer")]
    assert {"d_duplicate_one.md", "e_duplicate_two.md"} <= cached_paths()
    for result in runs:
        assert result.code == 0  # warnings only
        assert result.stdout.splitlines() == expected
        assert outcome(result) == outcome(runs[0])


# What changes a clean filler's answer, with the same size: (before, after) and what shows it.
SWAPS: dict[str, tuple[Command, bytes, bytes, str]] = {
    "validate": (["validate", "."], b'title: "A headline"', b'titlX: "A headline"', "titlX"),
    "list": (["list", "--format", "tsv", "."], b'"A headline"', b'"B headline"', "B headline"),
    "search": (["search", "--format", "tsv", "headline", "."], b"A headline", b"A headlinX", ""),
    "reformat": (["reformat", "--check", "."], b"\n\nprovider:", b"\nprovider: ", "f007.md"),
}


@pytest.mark.parametrize("case", SWAPS.values(), ids=SWAPS.keys())
def test_warm_run_answers_from_the_cache_not_the_file(
    tmp_path: Path, case: tuple[Command, bytes, bytes, str]
) -> None:
    """Bytes replaced with size and mtime kept are not seen: the answer is the stored one.

    This is the known limit of a cache keyed by size and mtime (black's and ruff's too), used
    here to show that the warm run read the cache; --no-cache reads the file.
    """
    command, old, new, sign = case
    folder = tmp_path / "articles"
    folder.mkdir()
    fillers(folder)
    cold = run_cli(*command, cwd=folder)
    assert "f007.md" in cached_paths()
    swap(folder / "f007.md", old, new)
    warm = run_cli(*command, cwd=folder)
    assert outcome(warm) == outcome(cold)
    stored = query("SELECT kind, path, size, mtime_ns, payload FROM entries ORDER BY 1, 2")
    fresh = run_cli(*no_cache(command), cwd=folder)
    assert outcome(fresh) != outcome(cold)  # --no-cache reads the file, not the cache...
    after = query("SELECT kind, path, size, mtime_ns, payload FROM entries ORDER BY 1, 2")
    assert after == stored  # ...and writes nothing
    if sign:
        assert sign in fresh.stdout
        assert sign not in warm.stdout
    else:  # the word is gone from the file: search no longer finds it there
        assert "f007.md" in warm.stdout
        assert "f007.md" not in fresh.stdout


# -- 2. a changed file is read again -----------------------------------------------------------

# A changed file: (its new title, its new mtime); f004.md keeps its size, f005.md its mtime.
CHANGES = {
    "f003.md": (None, PAST_NS + 5 * 10**9),
    "f004.md": ("A headlinX", PAST_NS + 1),
    "f005.md": ("A longer headline", PAST_NS),
}


def test_changed_files_are_read_again(tmp_path: Path) -> None:
    """Content and mtime changed; only the mtime (same size); only the size (same mtime)."""
    folder = tmp_path / "articles"
    folder.mkdir()
    fillers(folder)
    commands = (COMMANDS["validate"], COMMANDS["list-jsonl"], COMMANDS["reformat-check"])
    for command in commands:
        assert run_cli(*command, cwd=folder).code == 0
    for name, (title, mtime_ns) in CHANGES.items():
        write(folder / name, article(name[:-3], title=title), mtime_ns=mtime_ns)
    assert (folder / "f004.md").stat().st_size == (folder / "f000.md").stat().st_size
    results = {}
    for command in commands:
        results[command[0]] = run_cli(*command, cwd=folder)
        assert outcome(results[command[0]]) == outcome(run_cli(*no_cache(command), cwd=folder))
    assert results["validate"].stdout.splitlines() == [
        "f003.md:2:1: error [required-field] missing required field title"
    ]
    rows = {row["path"]: row for row in map(json.loads, results["list"].stdout.splitlines())}
    for name, (title, _mtime) in CHANGES.items():
        assert rows[name]["title"] == title
    assert results["reformat"].code == 0


def test_changed_configuration_starts_afresh(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    fillers(folder)
    assert run_cli("validate", ".", cwd=folder).code == 0
    assert row_count() == FILLERS
    (folder / "newsmeta.toml").write_text('required-fields = ["excerpt"]\n', encoding="utf-8")
    result = run_cli("validate", ".", cwd=folder)
    assert result.code == 1
    assert result.stdout.count("[required-field] missing required field excerpt") == FILLERS
    assert outcome(run_cli("validate", ".", cwd=folder)) == outcome(result)


# -- 3. a file modified just now is not stored -------------------------------------------------


def test_files_modified_in_the_last_two_seconds_are_not_stored(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    old = {path.name for path in fillers(folder)}
    recent = ["recent_now.md", "recent_in_the_future.md"]
    for name in recent:
        write(folder / name, article(name[:-3]), mtime_ns=None)
    for command in FAMILIES.values():
        now = time.time_ns()
        os.utime(folder / recent[0], ns=(now, now))
        os.utime(folder / recent[1], ns=(now + 60 * 10**9, now + 60 * 10**9))
        started = time.monotonic()
        assert run_cli(*command, cwd=folder).code == 0
        prompt = time.monotonic() - started < RACY_SECONDS  # the run began in the window
        stored = cached_paths()
        assert old <= stored
        assert recent[1] not in stored
        if prompt:
            assert recent[0] not in stored
    # Once old enough, they are stored like the others.
    for name in recent:
        os.utime(folder / name, ns=(PAST_NS, PAST_NS))
    run_cli("validate", ".", cwd=folder)
    assert set(recent) <= cached_paths()


# -- 4. --no-cache neither reads nor writes ----------------------------------------------------


def test_no_cache_writes_nothing(tmp_path: Path) -> None:
    folder = mixed_folder(tmp_path)
    for name, command in COMMANDS.items():
        result = run_cli(*no_cache(command), cwd=folder)
        says_what_the_files_hold(name, result)
        assert list(cache_folder().iterdir()) == []


# -- 5. a damaged or unusable cache ------------------------------------------------------------

GARBAGE = {
    "not a database": bytes(range(256)) * 64,
    "sqlite header, garbage after": b"SQLite format 3\x00" + b"\xab" * 8192,
}


@pytest.mark.parametrize("garbage", GARBAGE.values(), ids=GARBAGE.keys())
def test_corrupt_database_is_moved_aside_and_rebuilt(tmp_path: Path, garbage: bytes) -> None:
    folder = mixed_folder(tmp_path)
    commands = (COMMANDS["validate"], COMMANDS["list-tsv"])
    expected = [run_cli(*no_cache(command), cwd=folder) for command in commands]
    database().write_bytes(garbage)
    for number, command in enumerate(commands):
        result = run_cli(*command, cwd=folder)
        assert_no_traceback(result)
        assert without_warnings(result) == outcome(expected[number])
        if number == 0:  # the first run rebuilds it...
            (warning,) = warnings_of(result)
            assert "cache" in warning
            assert str(database()) in warning
        else:  # ...and the next one uses it
            assert not warnings_of(result)
        assert "f000.md" in cached_paths()
    # The garbage is kept aside, not lost; the new database is sound.
    assert any(path.read_bytes() == garbage for path in cache_folder().iterdir() if path.is_file())
    assert query("PRAGMA integrity_check") == [("ok",)]


def corrupt_tail(pages: int) -> None:
    """Overwrite the database's last ``pages`` pages with garbage; its first pages (the
    schema, the first rows) stay readable."""
    connection = sqlite3.connect(database())
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    size = connection.execute("PRAGMA page_size").fetchone()[0]
    connection.close()
    content = bytearray(database().read_bytes())
    assert len(content) > (pages + 4) * size
    content[-pages * size :] = b"\xab" * (pages * size)
    database().write_bytes(bytes(content))
    for suffix in ("-wal", "-shm"):
        Path(f"{database()}{suffix}").unlink(missing_ok=True)


def many_articles(folder: Path, count: int = MANY) -> None:
    folder.mkdir()
    for i in range(count):
        title = f"A headline number {i} with a few more words to make the rows longer"
        write(folder / f"g{i:04}.md", article(f"g{i:04}", title=title))


def test_database_corrupt_past_its_first_pages_still_gives_right_answers(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    many_articles(folder)
    command = ["list", "--format", "tsv", "."]
    expected = run_cli(*no_cache(command), cwd=folder)
    run_cli(*command, cwd=folder)
    corrupt_tail(4)
    result = run_cli(*command, cwd=folder)
    assert_no_traceback(result)
    assert without_warnings(result) == outcome(expected)
    assert all("cache" in warning for warning in warnings_of(result))


def test_database_corrupt_past_its_first_pages_is_rebuilt(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    many_articles(folder)
    command = ["list", "--format", "tsv", "."]
    run_cli(*command, cwd=folder)
    corrupt_tail(4)
    # The corruption is the kind this test is about: the probe at opening reads well.
    connection = sqlite3.connect(database())
    try:
        connection.execute("SELECT kind, path, size, mtime_ns, payload FROM entries LIMIT 1")
    except sqlite3.DatabaseError:  # pragma: no cover - the page layout changed
        pytest.skip("the corruption reached the first pages")
    finally:
        connection.close()
    first = run_cli(*command, cwd=folder)
    assert warnings_of(first)  # it is noticed...
    second = run_cli(*command, cwd=folder)
    assert not warnings_of(second)  # ...and repaired, once
    assert query("PRAGMA integrity_check") == [("ok",)]


def test_database_that_is_a_folder_is_bypassed(tmp_path: Path) -> None:
    folder = mixed_folder(tmp_path)
    database().mkdir()
    for command in (COMMANDS["validate"], COMMANDS["list-tsv"]):
        expected = run_cli(*no_cache(command), cwd=folder)
        result = run_cli(*command, cwd=folder)
        assert_no_traceback(result)
        assert without_warnings(result) == outcome(expected)
        (warning,) = warnings_of(result)
        assert "cache" in warning
    assert database().is_dir()


def test_cache_folder_that_is_a_file_is_bypassed(tmp_path: Path) -> None:
    folder = mixed_folder(tmp_path)
    not_a_folder = tmp_path / "cache-file"
    not_a_folder.write_text("a file\n", encoding="utf-8")
    env = {CACHE_ENV: str(not_a_folder)}
    for command in (COMMANDS["validate"], COMMANDS["list-tsv"]):
        expected = run_cli(*no_cache(command), cwd=folder)
        result = run_cli(*command, cwd=folder, env=env)
        assert_no_traceback(result)
        assert without_warnings(result) == outcome(expected)
        (warning,) = warnings_of(result)
        assert "cache" in warning
    assert not_a_folder.read_text(encoding="utf-8") == "a file\n"


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0,
    reason="permissions do not stop root",
)
def test_unwritable_cache_folder_is_bypassed(tmp_path: Path) -> None:
    folder = mixed_folder(tmp_path)
    cache_folder().chmod(0o500)
    try:
        for command in (COMMANDS["validate"], COMMANDS["list-tsv"]):
            expected = run_cli(*no_cache(command), cwd=folder)
            result = run_cli(*command, cwd=folder)
            assert_no_traceback(result)
            assert without_warnings(result) == outcome(expected)
            assert warnings_of(result)
            assert all("cache" in warning for warning in warnings_of(result))
    finally:
        cache_folder().chmod(0o700)


# -- 6. a locked database ----------------------------------------------------------------------


@pytest.mark.parametrize("warm", [True, False], ids=["after a warm-up", "new database"])
def test_locked_database_delays_the_run_but_does_not_fail_it(tmp_path: Path, warm: bool) -> None:
    folder = mixed_folder(tmp_path)
    command = COMMANDS["validate"]
    expected = run_cli(*no_cache(command), cwd=folder)
    if warm:
        run_cli(*command, cwd=folder)
        for path in folder.glob("f00*.md"):  # something new to store
            os.utime(path, ns=(PAST_NS + 10**9, PAST_NS + 10**9))
    connection = sqlite3.connect(database(), isolation_level=None, timeout=0)
    try:
        if not warm:
            connection.execute("CREATE TABLE placeholder (x)")
        connection.execute("BEGIN EXCLUSIVE")
        started = time.monotonic()
        result = run_cli(*command, cwd=folder)
        elapsed = time.monotonic() - started
    finally:
        connection.close()
    assert_no_traceback(result)
    assert without_warnings(result) == outcome(expected)
    assert all("cache" in warning for warning in warnings_of(result))
    assert elapsed < 30
    if warm:  # once the lock is gone, the cache works again
        again = run_cli(*command, cwd=folder)
        assert outcome(again) == outcome(expected)
        mtimes = query("SELECT mtime_ns FROM entries WHERE path LIKE '%/f000.md'")
        assert mtimes == [(PAST_NS + 10**9,)]


# -- 7. two runs at once -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "command", [COMMANDS["validate"], COMMANDS["list-tsv"]], ids=["validate", "list"]
)
def test_two_runs_at_once_share_the_cache_safely(tmp_path: Path, command: Command) -> None:
    folder = tmp_path / "articles"
    many_articles(folder)
    write(folder / "a_no_title.md", article("no-title", title=None))
    expected = run_cli(*no_cache(command), cwd=folder)
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "newsmeta", *command],
            cwd=folder,
            env=cli_environment(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for _ in range(2)
    ]
    for process in processes:
        stdout, stderr = process.communicate(timeout=120)
        together = Result(process.returncode, stdout.decode(), stderr.decode())
        assert_no_traceback(together)
        assert without_warnings(together) == outcome(expected)
    assert query("PRAGMA integrity_check") == [("ok",)]
    assert row_count() == MANY + 1
    assert outcome(run_cli(*command, cwd=folder)) == outcome(expected)


# -- 8. a planted payload ----------------------------------------------------------------------


class Planted:
    """Unpickled by a plain pickle.loads, this runs a shell command."""

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return os.system, ("touch PWNED",)


@pytest.mark.parametrize("command", FAMILIES.values(), ids=FAMILIES.keys())
def test_planted_payload_runs_no_code(tmp_path: Path, command: Command) -> None:
    folder = mixed_folder(tmp_path)
    expected = run_cli(*no_cache(command), cwd=folder)
    run_cli(*command, cwd=folder)
    ((kind,),) = query("SELECT DISTINCT kind FROM entries")
    blob = pickle.dumps(Planted())
    assert b"system" in blob
    connection = sqlite3.connect(database())
    with connection:
        for path in folder.glob("f0*.md"):
            info = path.stat()
            connection.execute(
                "INSERT OR REPLACE INTO entries (kind, path, size, mtime_ns, payload) "
                "VALUES (?, ?, ?, ?, ?)",
                (kind, path.name, info.st_size, info.st_mtime_ns, blob),
            )
    connection.close()
    result = run_cli(*command, cwd=folder)
    assert_no_traceback(result)
    assert outcome(result) == outcome(expected)
    assert not (folder / "PWNED").exists()
    assert not list(tmp_path.rglob("PWNED"))


# Plain data the restricted unpickler accepts, in shapes no command ever stores.
WRONG_SHAPES = {
    "f001.md": "plain text",
    "f002.md": (),
    "f003.md": {"data": {"title": "forged"}},
    "f004.md": [None, None, None, None],
    "f005.md": 42,
    "f006.md": ("data",),
    "f007.md": ([(1,)], [], None, None),
    "f008.md": ("problem", (1, 1)),
}


@pytest.mark.parametrize("name", FAMILIES)
def test_damaged_payload_is_ignored(tmp_path: Path, name: str) -> None:
    """Payloads cut short, and payloads of plain data in the wrong shape (these once crashed
    the run with an internal error, exit 2): the files are read again."""
    command = FAMILIES[name]
    folder = mixed_folder(tmp_path)
    expected = run_cli(*no_cache(command), cwd=folder)
    run_cli(*command, cwd=folder)
    connection = sqlite3.connect(database())
    with connection:
        payloads = connection.execute("SELECT path, payload FROM entries").fetchall()
        for path, payload in payloads:  # cut short: not a pickle any more
            file_name = Path(path).name
            changed = (
                pickle.dumps(WRONG_SHAPES[file_name]) if file_name in WRONG_SHAPES else payload[:-3]
            )
            connection.execute("UPDATE entries SET payload = ? WHERE path = ?", (changed, path))
    connection.close()
    result = run_cli(*command, cwd=folder)
    assert_no_traceback(result)
    assert outcome(result) == outcome(expected)
    says_what_the_files_hold(name, result)


# -- bugs found while writing these tests ------------------------------------------------------


def test_file_with_a_problem_is_answered_from_the_cache(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    fillers(folder)
    # A problem (unknown key 'excerpX'), and a webUrl in double quotes.
    problem = article("problem", after_url=('excerpX: "Some words"',))
    write(folder / "problem.md", problem)
    cold = run_cli("validate", ".", cwd=folder)
    assert "unknown key excerpX" in cold.stdout
    swap(folder / "problem.md", b"excerpX", b"excerpY")
    warm = run_cli("validate", ".", cwd=folder)
    assert outcome(warm) == outcome(cold)  # like any clean file: the stored answer


def test_same_relative_path_in_another_folder_is_another_file(tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    for folder in (first, second):
        folder.mkdir()
        fillers(folder)
    # Same name, size and mtime; the second one has lost its title.
    swap(second / "f001.md", b'title: "A headline"', b'titlX: "A headline"')
    expected = run_cli("validate", "--no-cache", ".", cwd=second)
    assert expected.code == 1
    run_cli("validate", ".", cwd=first)
    result = run_cli("validate", ".", cwd=second)
    assert outcome(result) == outcome(expected)


# -- 9. worker processes give the single process's answers -------------------------------------

WORDS = ["climate", "election", "market", "vaccine", "rocket", "court", "storm", "budget"]
OFFSETS = ["Z", "+01:00", "-05:00", "+09:00", "+05:30"]


def generated_folder(root: Path, count: int = 400) -> Path:
    """``count`` articles with varied titles and dates, some with problems, some out of
    style, and some that cannot be read at all."""
    folder = root / "generated"
    (folder / "sub").mkdir(parents=True)
    start = dt.datetime(2019, 1, 1, 8, 0)
    for i in range(count):
        when = start + dt.timedelta(days=i * 3, minutes=i * 7)
        date = when.strftime("%Y-%m-%dT%H:%M:%S") + OFFSETS[i % len(OFFSETS)]
        title = f"{WORDS[i % len(WORDS)].capitalize()} story {i}: {WORDS[(i * 3) % 8]} news"
        content = article(f"story-{i}", title=title, date=date)
        if i % 17 == 0:
            content = article(f"story-{i}", title=None, date=date)  # missing title
        elif i % 23 == 0:
            content = content.replace(b"\n\nprovider:", b"\nprovider:")  # out of style
        elif i % 29 == 0:
            content = article("story-0", title=title, date=date)  # duplicate webUrl
        elif i % 31 == 0:
            content = article(f"story-{i}", title=title, date="2019-02-30T25:00:00Z")
        sub = "sub/" if i % 5 == 0 else ""
        write(folder / f"{sub}story{i:04}.md", content)
    broken = {
        "broken_yaml.md": b'---\ntitle: "unclosed\nwebUrl: [a, b\n---\nBody.\n',
        "broken_binary.md": b"---\ntitle: \x00\x01\x02\xff\xfe binary\n---\n\x00\x00",
        "broken_latin1.md": '---\ntitle: "Caf\u00e9 climate"\n---\n'.encode("latin-1"),
        "broken_no_front_matter.md": b"Just a climate story, no front matter.\n",
        "broken_empty.md": b"",
        "broken_tab.md": b"---\ntitle: x\n\tbad: indentation\n---\n",
    }
    for name, content in broken.items():
        write(folder / "sub" / name, content)
        write(folder / name.replace("broken", "zz_broken"), content)
    return folder


PARALLEL_COMMANDS = {
    "list-tsv": ["list", "--format", "tsv", "."],
    "validate": ["validate", "."],
    "search-word": ["search", "--format", "tsv", "climate", "."],
    "reformat-check": ["reformat", "--check", "."],
}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generated_folder(tmp_path_factory.mktemp("parallel"))


@pytest.mark.parametrize("command", PARALLEL_COMMANDS.values(), ids=PARALLEL_COMMANDS.keys())
def test_worker_processes_give_the_single_process_answers(
    generated: Path, command: Command
) -> None:
    single = run_cli(command[0], "--no-cache", "--jobs", "1", *command[1:], cwd=generated)
    double = run_cli(command[0], "--no-cache", "--jobs", "2", *command[1:], cwd=generated)
    assert_no_traceback(single)
    assert outcome(double) == outcome(single)
    assert single.stdout  # something to compare
    if command[0] != "search":
        assert "broken_" in single.stdout + single.stderr
    # With the cache: the workers' results stored, then served, in the same order.
    cold = run_cli(command[0], "--jobs", "2", *command[1:], cwd=generated)
    warm = run_cli(command[0], "--jobs", "2", *command[1:], cwd=generated)
    assert outcome(cold) == outcome(single)
    assert outcome(warm) == outcome(single)
    stored = row_count()
    assert stored > 0
    if "climate" not in command:  # a word search stores only the files that hold the word
        assert stored > 300


def test_generated_folder_has_what_the_comparisons_need(generated: Path) -> None:
    result = run_cli("list", "--no-cache", "--format", "tsv", ".", cwd=generated)
    assert result.code == 2  # the broken files
    assert len(result.stdout.splitlines()) > 400  # header and every readable article
    problems = result.stderr.splitlines()
    assert sum("broken_" in line for line in problems) >= 8


# -- 10. streaming -----------------------------------------------------------------------------


@pytest.mark.parametrize("warm", [False, True], ids=["cold", "warm"])
def test_limit_one_prints_one_row(tmp_path: Path, warm: bool) -> None:
    folder = tmp_path / "articles"
    many_articles(folder)
    if warm:
        run_cli("list", "--format", "tsv", ".", cwd=folder)
    everything = run_cli("list", "--no-cache", "--format", "jsonl", ".", cwd=folder)
    first = everything.stdout.splitlines()[0]
    for command in (
        ["list", "--format", "jsonl", "--limit", "1", "."],
        ["search", "--format", "jsonl", "--limit", "1", "headline", "."],
    ):
        result = run_cli(*command, cwd=folder)
        assert_no_traceback(result)
        assert result.code == 0
        assert result.stdout.splitlines() == [first]
        assert json.loads(first)["path"] == "g0000.md"
        assert not warnings_of(result)


def test_helpers_agree_with_the_house_style(tmp_path: Path) -> None:
    """article() is in style and minimal_article() is not: the reformat tests rely on it."""
    folder = tmp_path / "articles"
    folder.mkdir()
    write(folder / "in.md", article("in"))
    write(folder / "out.md", minimal_article("out"))
    result = run_cli("reformat", "--check", "--no-cache", ".", cwd=folder)
    assert result.stdout == "out.md\n"
