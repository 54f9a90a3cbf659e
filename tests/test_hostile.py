"""Every command over every hostile input, each placed among good articles, through the real CLI.

One row a (hostile input, command) pair.  Each row checks the exit code (docs/exit-codes.md and
the commands' ``--help`` epilogs), the one message that names the hostile file
(``path:line:col: severity [rule] message``; summary lines are not messages), that no
traceback is printed, that the hostile file keeps its bytes, mtime, inode and mode (unless the
command must write it), that no other file appears, and that the good articles are processed
as if the hostile file were not there.

Where the messages go: ``validate`` prints its findings on standard output (they are its
data, docs/exit-codes.md), every other command on standard error.  So the message stream
checked is stdout for ``validate`` and stderr for the others.

``search`` skips, for speed, the files whose raw front matter lacks a bare word of the query,
and then does not report their YAML as broken (docs/list.md#exit-codes).  So every
hostile input whose bytes can hold the word holds it (in a title or a comment): search must
parse it, and report it like ``list`` does.
"""

from __future__ import annotations

import ctypes
import enum
import functools
import os
import re
import resource
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from .conftest import Result, assert_no_traceback, cli_environment
from .test_acceptance import PROBLEM_LINE, _alias_bomb, file_states

WORD = "quasar"  # in every good article's title, and in every hostile text that can hold it
HOSTILE = "hostile.md"
TIMEOUT_S = 600  # generous: no timing is asserted, a hang only must not hang the suite
MEMORY_LIMIT = 1536 * 2**20  # RLIMIT_AS of each run: an alias or nesting blow-up fails the row
NOBODY = 65534
TSV_HEADER = "path\tpublishedDateTime\tprovider.name\ttitle\tquality"

# -- the good articles ----------------------------------------------------------------------

# Out of the house style (key order, quotes, indentation, a flow list, no blank lines) and
# without `quality`, so that reformat and edit both change them.
GOODS: dict[str, bytes] = {
    "good-1.md": (
        b"---\n"
        b"webUrl: https://www.example.com/news/quasar-one/\n"
        b"title: Quasar one found\n"
        b"publishedDateTime: 2020-06-11T16:42:00Z\n"
        b"provider:\n"
        b"  name: Example News\n"
        b"  domain: example.com\n"
        b"---\n"
        b"Body one.\n"
    ),
    "good-2.md": (
        b"---\n"
        b"title: 'Quasar two found'\n"
        b"publishedDateTime: 2021-01-02T03:04:05Z\n"
        b'webUrl: "https://www.example.com/news/quasar-two/"\n'
        b"provider:\n"
        b"    name: Example News\n"
        b"    domain: example.com\n"
        b"topics: [Space, Science]\n"
        b"---\n"
        b"Body two.\n"
    ),
}
# What `edit --set quality=50` makes of them: one new line where the schema's order puts it.
EDITED: dict[str, bytes] = {
    "good-1.md": GOODS["good-1.md"].replace(
        b"publishedDateTime: 2020-06-11T16:42:00Z\n",
        b"publishedDateTime: 2020-06-11T16:42:00Z\nquality: 50\n",
    ),
    "good-2.md": GOODS["good-2.md"].replace(b'quasar-two/"\n', b'quasar-two/"\nquality: 50\n'),
}
# What `reformat` makes of them: the house style of the reference article.
REFORMATTED: dict[str, bytes] = {
    "good-1.md": (
        b"---\n"
        b'title: "Quasar one found"\n'
        b"publishedDateTime: 2020-06-11T16:42:00Z\n"
        b'webUrl: "https://www.example.com/news/quasar-one/"\n'
        b"\n"
        b"provider:\n"
        b"  name: Example News\n"
        b"  domain: example.com\n"
        b"---\n"
        b"Body one.\n"
    ),
    "good-2.md": (
        b"---\n"
        b'title: "Quasar two found"\n'
        b"publishedDateTime: 2021-01-02T03:04:05Z\n"
        b'webUrl: "https://www.example.com/news/quasar-two/"\n'
        b"\n"
        b"provider:\n"
        b"  name: Example News\n"
        b"  domain: example.com\n"
        b"\n"
        b"topics:\n"
        b"  - Space\n"
        b"  - Science\n"
        b"---\n"
        b"Body two.\n"
    ),
}

# -- the hostile inputs ---------------------------------------------------------------------

WEB_URL_LINE = b'webUrl: "https://www.example.com/news/hostile/"\n'


def styled(title: bytes, tail: bytes = b"", body: bytes = b"Body.\n") -> bytes:
    """A valid article in the house style, without `quality` (edit adds it, reformat keeps it)."""
    return (
        b"---\n"
        b"title: " + title + b"\n"
        b"publishedDateTime: 2020-06-11T16:42:00Z\n" + WEB_URL_LINE + b"\n"
        b"provider:\n"
        b"  name: Example News\n"
        b"  domain: example.com\n" + tail + b"---\n" + body
    )


def edited(content: bytes) -> bytes:
    """What `edit --set quality=50` must make of a :func:`styled` article: one line more."""
    assert content.count(WEB_URL_LINE) >= 1
    return content.replace(WEB_URL_LINE, WEB_URL_LINE + b"quality: 50\n", 1)


# Out of the house style and without `quality`: for the read-only, vanishing and unreadable
# files, which would be changed by edit and reformat if they could be.
OUT_OF_STYLE = (
    b"---\n"
    b"webUrl: https://www.example.com/news/hostile/\n"
    b"title: Quasar out of style\n"
    b"publishedDateTime: 2020-06-11T16:42:00Z\n"
    b"provider:\n"
    b"  name: Example News\n"
    b"  domain: example.com\n"
    b"---\n"
    b"Body.\n"
)
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
NUL_TITLE = b'"Quasar\x00sighting"'
LATIN1_TITLE = b'"Quasar caf\xe9 sighting"'
NON_STRING_KEYS = b"1: x\n[a, b]: w\nnull: z\n"


@functools.cache
def body_50mb() -> bytes:
    """Valid front matter in the house style, then a 50 MB body."""
    line = b"A line of a very long body, with --- and ... and Quasar in it.\n"
    return styled(b'"Quasar with a 50 MB body"', body=line * (50_000_000 // len(line)))


@functools.cache
def title_5mb() -> bytes:
    """A valid article whose title is one 5 MB line."""
    return styled(b'"Quasar ' + b"x" * 5_000_000 + b'"')


class Kind(enum.Enum):
    """What the hostile input is, which decides what each command must do with it."""

    BROKEN = "not an article: a rule checked while reading"  # validate 1, the others 2
    IO = "cannot be read at all (io-error)"  # 2 everywhere
    ARTICLE = "a valid article in the house style"  # read, listed, edited, left by reformat
    READ_ONLY = "a valid article out of style, mode 0o444"  # writing commands refuse it
    NOTHING = "no hostile file: a folder symlink loop"  # no message at all


class Setup(enum.Enum):
    PLAIN = "write the file"
    READ_ONLY = "write the file, mode 0o444"
    VANISH = "delete the file between discovery and reading (through a shim)"
    UNREADABLE = "mode 0o000, and a run that may not read it (not root's)"
    SYMLINK_LOOP = "sub/loop -> .."


# (line, column, severity, rule) of each message about the hostile file; (0, 0, ...) when
# the problem has no position.
Message = tuple[int, int, str, str]


@dataclass(frozen=True)
class Hostile:
    id: str
    kind: Kind
    content: Callable[[], bytes]
    # What validate reports (for BROKEN and IO: what every command reports).
    problems: tuple[Message, ...] = ()
    setup: Setup = Setup.PLAIN


def _const(data: bytes) -> Callable[[], bytes]:
    return lambda: data


def _error(line: int, column: int, rule: str) -> tuple[Message, ...]:
    return ((line, column, "error", rule),)


HOSTILES: list[Hostile] = [
    Hostile("empty-file", Kind.BROKEN, _const(b""), _error(1, 1, "no-front-matter")),
    # No front matter, so no word can help: docs/list.md says search still reports it.
    Hostile("png-named-md", Kind.BROKEN, _const(PNG), _error(3, 1, "binary")),
    Hostile(
        "nul-in-front-matter",
        Kind.BROKEN,
        _const(styled(NUL_TITLE)),
        _error(2, len(b'title: "Quasar') + 1, "binary"),
    ),
    Hostile(
        "latin1-title",
        Kind.BROKEN,
        _const(styled(LATIN1_TITLE)),
        _error(2, len(b'title: "Quasar caf') + 1, "encoding"),  # columns count bytes here
    ),
    Hostile(
        "no-front-matter",
        Kind.BROKEN,
        _const(b"Quasar notes\n\nJust text, no front matter.\n"),
        _error(1, 1, "no-front-matter"),
    ),
    Hostile(
        "unclosed-front-matter",
        Kind.BROKEN,
        _const(b"---\ntitle: Quasar never closed\nquality: 3\n\nBody.\n"),
        _error(1, 1, "unclosed-front-matter"),
    ),
    # The scanner runs to the end of the front matter looking for the closing quote: the
    # closing --- line (4:1) is where it fails, as in docs/reformat.md's broken.md.
    Hostile(
        "yaml-unclosed-quote",
        Kind.BROKEN,
        _const(b'---\ntitle: "Quasar unclosed\nquality: 3\n---\nBody.\n'),
        _error(4, 1, "yaml-syntax"),
    ),
    Hostile(
        "yaml-tab-indentation",
        Kind.BROKEN,
        _const(b"---\ntitle: Quasar tabs\nprovider:\n\tname: Example\n---\nBody.\n"),
        _error(4, 1, "yaml-syntax"),
    ),
    Hostile(
        "duplicate-keys",
        Kind.BROKEN,
        _const(b"---\ntitle: Quasar one\nquality: 1\ntitle: Quasar two\n---\nBody.\n"),
        _error(4, 1, "duplicate-key"),
    ),
    Hostile(
        "list-front-matter",
        Kind.BROKEN,
        _const(b"---\n- Quasar\n- title\n---\nBody.\n"),
        _error(2, 1, "not-a-mapping"),
    ),
    Hostile(
        "scalar-front-matter",
        Kind.BROKEN,
        _const(b"---\nQuasar sighting\n---\nBody.\n"),
        _error(2, 1, "not-a-mapping"),
    ),
    # Keys YAML reads as a number, a sequence and null.  YAML allows them, docs/edit.md
    # mentions them ("a key that YAML reads as something other than text"), and the schema
    # does not declare them: each is an unknown-key warning, as `autor` is in
    # docs/validate.md, so validate has three messages here, not one, and exits 0.  The
    # article is otherwise valid, so every other command treats it as an article.
    Hostile(
        "non-string-keys",
        Kind.ARTICLE,
        _const(styled(b'"Quasar with odd keys"', tail=NON_STRING_KEYS)),
        (
            (9, 1, "warning", "unknown-key"),
            (10, 1, "warning", "unknown-key"),
            (11, 1, "warning", "unknown-key"),
        ),
    ),
    # Billion laughs: the first alias is on line 3, column 10 (`*a0` in `a1: &a1 [*a0, ...`).
    Hostile(
        "alias-bomb",
        Kind.BROKEN,
        _const(_alias_bomb().replace(b"\n---\n", b"\n# Quasar\n---\n")),
        _error(3, 10, "alias-bomb"),
    ),
    # An alias inside its own anchor: ruamel would read null, PyYAML an endless list.
    Hostile(
        "recursive-alias",
        Kind.BROKEN,
        _const(b'---\ntitle: "Quasar"\nrelated: &r [1, *r]\n---\n'),
        _error(3, 10, "alias-bomb"),
    ),
    # too-deep points at the first line of front matter (docs/article-format.md).
    Hostile(
        "nested-brackets-20000",
        Kind.BROKEN,
        _const(b"---\ntitle: " + b"[" * 20_000 + b"]" * 20_000 + b"\n# Quasar\n---\n"),
        _error(2, 1, "too-deep"),
    ),
    Hostile(
        "python-object-tag",
        Kind.BROKEN,
        _const(b'---\ntitle: !!python/object/apply:os.system ["touch PWNED"]\n# Quasar\n---\n'),
        _error(2, 8, "unknown-tag"),
    ),
    Hostile(
        "unknown-tag",
        Kind.BROKEN,
        _const(b"---\ntitle: !shout Quasar sighting\n---\nBody.\n"),
        _error(2, 8, "unknown-tag"),
    ),
    # A valid article: no rule limits the size of a body, which is never decoded, so no
    # command has anything to say about it.
    Hostile("body-50mb", Kind.ARTICLE, body_50mb),
    # A valid article: no rule limits the length of a title (`newsmeta rules`), so validate
    # rightly says nothing; list and search print it whole (TSV), edit adds the one line,
    # reformat never folds long strings (docs/reformat.md) and leaves it alone.
    Hostile("title-5mb", Kind.ARTICLE, title_5mb),
    Hostile(
        "vanishing-file",
        Kind.IO,
        _const(OUT_OF_STYLE),
        ((0, 0, "error", "io-error"),),
        Setup.VANISH,
    ),
    # Folder symlinks are not followed (docs/files.md): no loop, no file twice, no message.
    Hostile("symlink-loop", Kind.NOTHING, _const(b""), setup=Setup.SYMLINK_LOOP),
    Hostile(
        "unreadable-file",
        Kind.IO,
        _const(OUT_OF_STYLE),
        ((0, 0, "error", "io-error"),),
        Setup.UNREADABLE,
    ),
    # Readable, so validate, list, search and `reformat --check` (which writes nothing, as
    # `black --check` reports a read-only file it would change) treat it as an article; edit
    # and reformat must refuse it, even as root (docs/article-format.md#safe-writes).
    Hostile("read-only-file", Kind.READ_ONLY, _const(OUT_OF_STYLE), setup=Setup.READ_ONLY),
]

# -- the commands ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Command:
    id: str
    args: tuple[str, ...]


COMMANDS: list[Command] = [
    Command("validate", ("validate", ".")),
    Command("list", ("list", ".")),
    Command("search", ("search", WORD, ".")),
    Command("edit", ("edit", "--set", "quality=50", ".")),
    Command("reformat", ("reformat", ".")),
    Command("reformat-check", ("reformat", "--check", ".")),
]

# (hostile id, command id) -> what goes wrong: those rows are strict xfails.
BUGS: dict[tuple[str, str], str] = {}


def _rows() -> Iterator[object]:
    for hostile in HOSTILES:
        for command in COMMANDS:
            bug = BUGS.get((hostile.id, command.id))
            marks = [pytest.mark.xfail(strict=True, reason=f"BUG: {bug}")] if bug else []
            yield pytest.param(hostile, command, id=f"{hostile.id}/{command.id}", marks=marks)


# -- what each row must give ----------------------------------------------------------------


@dataclass(frozen=True)
class Expected:
    code: int
    messages: tuple[Message, ...]  # about the hostile file; the good ones get none
    summary: str | None  # the last line of stderr (list and search have none)
    listed: bool  # the hostile file is a row (list, search) or a path (reformat --check)
    hostile_after: str  # "same" (bytes, mtime, inode, mode), "edited" or "gone"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def expected(hostile: Hostile, command: Command) -> Expected:
    kind = hostile.kind
    files = len(GOODS) + (kind is not Kind.NOTHING)
    unreadable = kind in (Kind.BROKEN, Kind.IO)
    gone = "gone" if hostile.setup is Setup.VANISH else "same"
    changed = len(GOODS)
    if command.id == "validate":
        problems = hostile.problems
        errors = sum(1 for p in problems if p[2] == "error")
        warnings = len(problems) - errors
        summary = (
            f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')} in 1 of {files} files"
            if problems
            else f"no problems in {files} files"
        )
        code = 2 if kind is Kind.IO else 1 if errors else 0
        return Expected(code, problems, summary, listed=False, hostile_after=gone)
    if command.id in ("list", "search"):
        if unreadable:
            return Expected(2, hostile.problems, None, listed=False, hostile_after=gone)
        return Expected(0, (), None, listed=kind is not Kind.NOTHING, hostile_after="same")
    verb = {"edit": "changed", "reformat": "reformatted", "reformat-check": "would be reformatted"}
    if unreadable or (kind is Kind.READ_ONLY and command.id != "reformat-check"):
        messages = hostile.problems or ((0, 0, "error", "read-only"),)
        summary = (
            f"changed {changed} files, 0 unchanged, 1 failed"
            if command.id == "edit"
            else f"{changed} {verb[command.id]}, 0 unchanged, 1 failed"
        )
        return Expected(2, messages, summary, listed=False, hostile_after=gone)
    if command.id == "edit":
        written = kind is Kind.ARTICLE
        summary = f"changed {changed + written} files, 0 unchanged"
        return Expected(0, (), summary, False, "edited" if written else "same")
    # reformat, reformat --check: an article in the style is unchanged; read-only would change
    restyled = changed + (kind is Kind.READ_ONLY)
    unchanged = int(kind is Kind.ARTICLE)
    summary = f"{restyled} {verb[command.id]}, {unchanged} unchanged"
    check = command.id == "reformat-check"
    return Expected(int(check), (), summary, listed=kind is Kind.READ_ONLY, hostile_after="same")


# -- running the CLI ------------------------------------------------------------------------

# Runs newsmeta with iter_files wrapped so that HOSTILE_VANISH is deleted once discovered:
# just before it is yielded, so that it is gone before anything reads it whether the command
# reads in batches (validate, list, search, reformat) or file by file as they come (edit).
# cli.py imports iter_files from newsmeta.files inside the commands, so patching the module
# attribute is enough.
VANISH_SHIM = """
import os, sys
import newsmeta.files as files
discover = files.iter_files
victim = os.environ["HOSTILE_VANISH"]

def iter_files(*args, **kwargs):
    found = discover(*args, **kwargs)

    def vanishing():
        for path in found:
            if os.path.basename(path) == victim:
                os.unlink(path)
            yield path

    return vanishing()

files.iter_files = iter_files
from newsmeta.cli import main
sys.argv[0] = "newsmeta"
main()
"""

PR_CAPBSET_DROP = 24
CAP_DAC_OVERRIDE = 1
CAP_DAC_READ_SEARCH = 2


def _limit_memory() -> None:
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = MEMORY_LIMIT if hard == resource.RLIM_INFINITY else min(MEMORY_LIMIT, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _drop_dac_capabilities() -> None:
    """In a child of root, before exec: lose the capabilities that let root read and write any
    file, so that the permission bits apply (the uid stays 0)."""
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH):
        if libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


@dataclass(frozen=True)
class Identity:
    """Who a run is: the current user, user nobody, or root without its file capabilities."""

    user: int | None = None
    drop_capabilities: bool = False

    def preexec(self) -> None:
        _limit_memory()
        if self.drop_capabilities:
            _drop_dac_capabilities()

    def run(self, argv: list[str], cwd: Path, env: dict[str, str]) -> Result:
        done = subprocess.run(
            argv,
            cwd=cwd,
            env=env,
            capture_output=True,
            timeout=TIMEOUT_S,
            preexec_fn=self.preexec,
            user=self.user,
            group=self.user,
            extra_groups=None if self.user is None else [],
        )
        return Result(done.returncode, done.stdout.decode(), done.stderr.decode())


ME = Identity()


@functools.cache
def unprivileged() -> Identity:
    """An identity that a 0o000 file refuses, when the tests run as root (CI does).

    User nobody, if nobody may run this Python (it may not when the interpreter lives under
    /root, as with pyenv); else root without CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH, for
    whom the permission bits hold as well.  Either way the test first checks that the
    identity really cannot read the file, so the row cannot pass by accident.
    """
    nobody = Identity(user=NOBODY)
    try:
        probe = nobody.run([sys.executable, "-c", "import newsmeta"], Path("/"), cli_environment())
    except PermissionError:
        return Identity(drop_capabilities=True)
    return nobody if probe.code == 0 else Identity(drop_capabilities=True)


@dataclass
class Workspace:
    folder: Path
    identity: Identity
    env: dict[str, str]


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    yield Workspace(tmp_path / "site", ME, {})


@pytest.fixture
def private_workspace() -> Iterator[Workspace]:
    """A folder in /tmp that an unprivileged identity can work in (tmp_path sits under a 0o700
    folder), with a cache folder it may write; removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="newsmeta-hostile-", dir="/tmp"))
    cache = Path(tempfile.mkdtemp(prefix="newsmeta-hostile-cache-", dir="/tmp"))
    try:
        folder.chmod(0o755)
        cache.chmod(0o777)
        identity = unprivileged() if os.geteuid() == 0 else ME
        yield Workspace(folder / "site", identity, {"NEWSMETA_CACHE_DIR": str(cache)})
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        shutil.rmtree(cache, ignore_errors=True)


def arrange(hostile: Hostile, space: Workspace) -> None:
    folder = space.folder
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    for name, content in GOODS.items():
        (folder / name).write_bytes(content)
        (folder / name).chmod(0o644)
    if hostile.setup is Setup.SYMLINK_LOOP:
        (folder / "sub").mkdir()
        (folder / "sub" / "loop").symlink_to("..", target_is_directory=True)
        return
    path = folder / HOSTILE
    path.write_bytes(hostile.content())
    if hostile.setup is Setup.READ_ONLY:
        path.chmod(0o444)
    elif hostile.setup is Setup.UNREADABLE:
        if space.identity.user is not None:  # nobody must be able to write the good files
            for entry in [folder, *folder.iterdir()]:
                os.chown(entry, space.identity.user, space.identity.user)
        path.chmod(0o000)
        # The row is only worth something if the run really cannot read the file.
        probe = space.identity.run(
            [sys.executable, "-c", f"open({HOSTILE!r}, 'rb')"], folder, cli_environment(space.env)
        )
        assert probe.code != 0 and "PermissionError" in probe.stderr, probe


def run(hostile: Hostile, command: Command, space: Workspace) -> Result:
    env = cli_environment(space.env)
    argv = [sys.executable, "-m", "newsmeta", *command.args]
    if hostile.setup is Setup.VANISH:
        env["HOSTILE_VANISH"] = HOSTILE
        argv = [sys.executable, "-c", VANISH_SHIM, *command.args]
    return space.identity.run(argv, space.folder, env)


# -- reading what a run printed -------------------------------------------------------------


def messages(lines: list[str]) -> list[tuple[str, int, int, str, str]]:
    """Each line as (path, line, column, severity, rule); a line of another form fails."""
    found = []
    for line in lines:
        match = PROBLEM_LINE.match(line)
        assert match is not None, f"not a path:line:col message: {line[:300]!r}"
        assert match["message"].strip(), line
        position = (int(match["line"]), int(match["column"])) if match["line"] else (0, 0)
        found.append((match["path"], *position, match["severity"], match["rule"]))
    return found


def tsv_rows(stdout: str) -> list[tuple[str, str]]:
    """The (path, title) of each row of list's or search's TSV output."""
    lines = stdout.splitlines()
    assert lines[:1] == [TSV_HEADER], stdout[:300]
    rows = [line.split("\t") for line in lines[1:]]
    assert all(len(row) == 5 for row in rows), stdout[:300]
    return [(row[0], row[3]) for row in rows]


def title_of(content: bytes) -> str:
    """The title of a good article, or of a hostile one that is an article."""
    found = re.search(rb"^title: ['\"]?(.*?)['\"]?$", content, flags=re.MULTILINE)
    assert found is not None
    return found.group(1).decode()


def pwned_anywhere(*folders: Path) -> list[str]:
    return [
        os.path.join(top, "PWNED")
        for folder in folders
        for top, _dirs, names in os.walk(folder)
        if "PWNED" in names
    ]


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


# -- the matrix -----------------------------------------------------------------------------


@pytest.mark.parametrize(("hostile", "command"), list(_rows()))
def test_hostile_input(hostile: Hostile, command: Command, request: pytest.FixtureRequest) -> None:
    fixture = "private_workspace" if hostile.setup is Setup.UNREADABLE else "workspace"
    space: Workspace = request.getfixturevalue(fixture)
    arrange(hostile, space)
    folder = space.folder
    before = file_states(folder)
    hostile_mode = mode_of(folder / HOSTILE) if HOSTILE in before else None
    want = expected(hostile, command)

    result = run(hostile, command, space)

    assert_no_traceback(result)
    context = f"exit {result.code}\nstdout: {result.stdout[:1000]}\nstderr: {result.stderr[:2000]}"
    assert result.code == want.code, context

    # The messages: exactly the expected ones, all about the hostile file, and nothing else on
    # the stream but the summary line (which is not a message).
    stream = result.stdout if command.id == "validate" else result.stderr
    lines = stream.splitlines()
    if command.id == "validate":
        assert result.stderr.splitlines() == [want.summary], context
    elif want.summary is not None:
        assert lines[-1:] == [want.summary], context
        lines = lines[:-1]
    expected_messages = [(HOSTILE, *message) for message in want.messages]
    assert messages(lines) == expected_messages, context

    # The good articles are processed as if the hostile file were not there.
    goods = sorted(GOODS)
    if command.id in ("list", "search"):
        rows = [(name, title_of(GOODS[name])) for name in goods]
        if want.listed:  # with its title whole, 5 MB or not (TSV cuts nothing)
            rows.append((HOSTILE, title_of(before[HOSTILE][0])))
        assert tsv_rows(result.stdout) == sorted(rows), context
    elif command.id == "reformat-check":
        assert result.stdout.splitlines() == sorted([*goods, *[HOSTILE] * want.listed]), context
    elif command.id != "validate":
        assert result.stdout == "", context

    after = file_states(folder)
    remaining = set(before) - ({HOSTILE} if want.hostile_after == "gone" else set())
    assert set(after) == remaining, "files appeared or vanished"  # no temp file, no PWNED
    for name in goods:
        if command.id == "edit":
            assert after[name][0] == EDITED[name], name
        elif command.id == "reformat":
            assert after[name][0] == REFORMATTED[name], name
        else:
            assert after[name] == before[name], name  # bytes, mtime, inode
        assert mode_of(folder / name) == 0o644, name
    if want.hostile_after == "same" and HOSTILE in before:
        assert after[HOSTILE] == before[HOSTILE], "the hostile file changed"
        assert mode_of(folder / HOSTILE) == hostile_mode
    elif want.hostile_after == "edited":
        assert after[HOSTILE][0] == edited(before[HOSTILE][0]), "the hostile file's edit"
        assert mode_of(folder / HOSTILE) == hostile_mode
    # `touch PWNED` would run in the run's folder; the suite's own folder is looked at too.
    assert pwned_anywhere(folder.parent) == []
    assert not (Path.cwd() / "PWNED").exists()
