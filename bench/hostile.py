#!/usr/bin/env python3
"""What hostile inputs cost: wall time and peak memory of each command on each of them.

Each input is one file placed beside two good articles; each command runs once on the folder,
as a user would run it.  Prints a Markdown table for docs/safety.md.

    python bench/hostile.py
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

GOOD = (
    b"---\n"
    b'title: "Quasar {n}"\n'
    b"publishedDateTime: 2020-06-11T16:42:00Z\n"
    b'webUrl: "https://www.example.com/news/quasar-{n}/"\n'
    b"provider:\n"
    b"  name: Example News\n"
    b"  domain: example.com\n"
    b"---\n"
    b"Body.\n"
)


def _bomb() -> bytes:
    lines = ["---", "a0: &a0 [" + ", ".join(["lol"] * 10) + "]"]
    for level in range(1, 9):
        lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * 10) + "]")
    return ("\n".join([*lines, "---", ""])).encode()


# Made when needed: a big input held by this process would count in the peak memory of the
# child forked to run the command.
INPUTS: dict[str, Callable[[], bytes]] = {
    "billion laughs": _bomb,
    "20,000 nested brackets": lambda: b"---\ntitle: " + b"[" * 20_000 + b"]" * 20_000 + b"\n---\n",
    "50 MB body": lambda: GOOD.replace(b"{n}", b"big") + b"A line of the body.\n" * 2_621_440,
    "5 MB title, quoted": lambda: GOOD.replace(
        b'"Quasar {n}"', b'"Quasar ' + b"x" * 5_000_000 + b'"'
    ),
    "5 MB title, plain": lambda: GOOD.replace(b'"Quasar {n}"', b"Quasar " + b"x" * 5_000_000),
}
COMMANDS: dict[str, list[str]] = {
    "validate": ["validate", "."],
    "list": ["list", "."],
    "search": ["search", "quasar", "."],
    "edit": ["edit", "--set", "quality=50", "."],
    "reformat": ["reformat", "."],
    "reformat --check": ["reformat", "--check", "."],
}


def _run(args: list[str], cwd: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one run."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "newsmeta", *args],
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _pid, _status, usage = os.wait4(process.pid, 0)
    return time.perf_counter() - started, usage.ru_maxrss / 1024


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="newsmeta-hostile-"))
    environment_cache = work / "cache"
    os.environ["NEWSMETA_CACHE_DIR"] = str(environment_cache)
    print("| input | " + " | ".join(COMMANDS) + " |")
    print("|---|" + "---|" * len(COMMANDS))
    try:
        for name, make in INPUTS.items():
            cells = []
            for args in COMMANDS.values():
                folder = work / "site"
                shutil.rmtree(folder, ignore_errors=True)
                folder.mkdir()
                for n in (1, 2):
                    (folder / f"good-{n}.md").write_bytes(GOOD.replace(b"{n}", str(n).encode()))
                (folder / "hostile.md").write_bytes(make())
                seconds, megabytes = _run(args, folder)
                cells.append(f"{seconds:.2f} s, {megabytes:.0f} MB")
            print(f"| {name} | " + " | ".join(cells) + " |", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
