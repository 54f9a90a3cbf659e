"""Shared helpers: run the real CLI in a subprocess and look at what it did."""

from __future__ import annotations

import os
import re
import select
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
REFERENCE = SEEDS / "000_218d50f45779ca55.txt"
SHARED = ROOT.parent / "shared"

# The smallest article that passes every rule: the required fields and nothing else.
MINIMAL = (
    b"---\n"
    b'title: "A headline"\n'
    b"publishedDateTime: 2020-06-11T16:42:00Z\n"
    b'webUrl: "https://www.example.com/news/a-headline/"\n'
    b"provider:\n"
    b"  name: Example News\n"
    b"  domain: example.com\n"
    b"---\n"
    b"Body.\n"
)


def minimal_article(name: str) -> bytes:
    """:data:`MINIMAL` with a webUrl of its own, so articles do not share one."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return MINIMAL.replace(b"/a-headline/", f"/{slug}/".encode())


def read_terminal(leader: int, timeout: float = 120) -> bytes:
    """Everything written to a pseudo-terminal until every copy of its follower is closed
    (the run is over), or for at most ``timeout`` seconds."""
    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 1.0)
        if not ready:
            continue
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # every copy of the follower is closed: the run is over
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks)


@dataclass(frozen=True)
class Result:
    code: int
    stdout: str
    stderr: str


def cli_environment(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a CLI run: the source tree, not a stale installed copy, first on
    PYTHONPATH (it is what the tests check), no colour settings, then ``extra``."""
    environment = {k: v for k, v in os.environ.items() if k not in {"NO_COLOR", "FORCE_COLOR"}}
    environment["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(ROOT), environment.get("PYTHONPATH")])
    )
    environment.update(extra or {})
    return environment


def run_cli(
    *args: str,
    cwd: Path | None = None,
    stdin: bytes | None = None,
    env: dict[str, str] | None = None,
) -> Result:
    """Run ``python -m newsmeta ARGS`` like a user would, and capture what it printed."""
    done = subprocess.run(
        [sys.executable, "-m", "newsmeta", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        env=cli_environment(env),
        timeout=120,
    )
    return Result(done.returncode, done.stdout.decode(), done.stderr.decode())


@pytest.fixture
def cli():
    return run_cli


def assert_no_traceback(result: Result) -> None:
    assert "Traceback" not in result.stdout + result.stderr


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Each test has a cache of its own: never the user's, never another test's."""
    monkeypatch.setenv("NEWSMETA_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
