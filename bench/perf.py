#!/usr/bin/env python3
"""Time newsmeta against plain baselines on generated corpora and write docs/performance.md.

    python bench/perf.py                 # 1,000 and 10,000 articles, plus 100,000 for list
    python bench/perf.py --quick         # 1,000 articles only, a minute or two

What it does, in one run:

1. Generates corpora of seed-shaped articles with ``bench/gen.py`` (``--seed``), one flat
   folder per size, and reads every file once so that the operating system's page cache is
   warm for every timed command alike.  With ``--work DIR`` the corpora are kept there and
   reused by later runs when their marker file matches (same size, seed and generator).
2. At each size of ``--sizes`` (default 1000,10000) times the baselines, each in its own
   process:

   - B1: a plain Python script that reads every file, splits the front matter between the
     first two ``---`` lines and loads it with PyYAML's ``CSafeLoader``;
   - ``rg -l WORD``, with a word found in the titles of about one article in nine;
   - ``hugo list all`` on a Hugo site whose ``content/`` holds hard links to the articles;
   - ``yamllint`` (relaxed, line-length off) on a folder of the front matters as ``.yaml``
     files, and on one of them (the pre-commit case);
   - a single-process ruamel.yaml round trip: for each file, ``YAML()`` load then dump to a
     ``StringIO``;

   and newsmeta: ``validate``, ``list --format tsv``, ``search WORD --format tsv`` and
   ``reformat --check`` on the folder, cold (``NEWSMETA_CACHE_DIR``, a folder of the
   benchmark's own, emptied before each run) and warm (filled by one untimed run, nothing
   changed since), and ``validate --no-cache`` of one file.
3. At ``--big`` (default 100000) times B1, ``list --format jsonl`` cold, with its peak
   memory and when its first line arrived, and ``validate`` warm (``--no-big-validate``
   leaves that out).
4. Prints a summary and writes ``--out`` (default docs/performance.md): the command, the
   machine, the targets table and every figure as a ratio to B1.  Text below the line
   ``<!-- end of generated part -->`` in an existing file is kept.

Each timed command runs in a fresh wrapper process (``python -c``) that starts it, reads its
standard output as it comes (noting when the first line arrives) and reports the wall time
and ``getrusage(RUSAGE_CHILDREN).ru_maxrss``: the peak resident memory of the largest single
process of the command, worker processes included.  A command runs ``--repeats`` times (3)
and the median counts; one that takes longer than 30 s runs once.  An unexpected exit code
of newsmeta, B1, the ruamel loop or rg stops the benchmark; a failing hugo or yamllint is
reported and skipped, as is one that is not installed.

Before each run the benchmark waits until processes outside it use under 10% of the CPUs
(for at most ``--wait-idle`` seconds over the whole run), and it reports the share of the
CPUs they used while each command ran ("others' CPU").
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import importlib.metadata
import json
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import gen  # noqa: E402

MARKER = "<!-- end of generated part -->"
X = "\u00d7"  # the multiplication sign
DEFAULT_TAIL = """

## How newsmeta gets there

TODO: the design (the cache, parallelism), written by hand. Everything below the marker line
above is kept when `bench/perf.py` rewrites this file.
"""
IDLE_LOAD = 0.10  # a machine less busy than this is idle enough to time on
LONG_RUN = 30.0  # seconds: a command slower than this runs once
TIMEOUT = 3600.0
YAMLLINT_CONFIG = "{extends: relaxed, rules: {line-length: disable}}"
GENERATOR_VERSION = 1  # bump when gen.py's output changes (its source hash is checked too)

B1_SCRIPT = """\
import os, sys, yaml
folder = sys.argv[1]
count = 0
for entry in sorted(os.scandir(folder), key=lambda e: e.name):
    if not entry.name.endswith('.md'):
        continue
    with open(entry.path, encoding='utf-8') as handle:
        text = handle.read()
    end = text.find('\\n---\\n', 3)
    data = yaml.load(text[4:end + 1], Loader=yaml.CSafeLoader)
    count += isinstance(data, dict)
print(count)
"""

RUAMEL_SCRIPT = """\
import io, os, sys
from ruamel.yaml import YAML
folder = sys.argv[1]
yaml = YAML()
count = 0
for entry in sorted(os.scandir(folder), key=lambda e: e.name):
    if not entry.name.endswith('.md'):
        continue
    with open(entry.path, encoding='utf-8') as handle:
        text = handle.read()
    end = text.find('\\n---\\n', 3)
    data = yaml.load(text[4:end + 1])
    out = io.StringIO()
    yaml.dump(data, out)
    count += 1
print(count)
"""

# Runs one command; prints a JSON report.  Reads the command's stdout as it comes, and
# notes the CPU time that other processes on the machine used meanwhile (from /proc/stat,
# whose 10 ms ticks make that meaningless for runs shorter than 0.2 s).
WRAPPER = """\
import json, os, resource, select, subprocess, sys, time
def busy():
    try:
        with open('/proc/stat') as stat:
            fields = [int(x) for x in stat.readline().split()[1:9]]
    except (OSError, ValueError):
        return None
    return (sum(fields) - fields[3] - fields[4]) / os.sysconf('SC_CLK_TCK')
def own():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime
spec = json.loads(sys.argv[1])
with open(spec['stderr'], 'wb') as err:
    busy0, own0 = busy(), own()
    start = time.perf_counter()
    proc = subprocess.Popen(spec['cmd'], cwd=spec['cwd'], stdout=subprocess.PIPE, stderr=err)
    fd = proc.stdout.fileno()
    first = None
    lines = size = 0
    head = b''
    deadline = start + spec['timeout']
    timed_out = False
    while True:
        left = deadline - time.perf_counter()
        if left <= 0:
            proc.kill()
            timed_out = True
            break
        ready, _, _ = select.select([fd], [], [], min(left, 5.0))
        if not ready:
            continue
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            break
        newlines = chunk.count(b'\\n')
        if first is None and newlines:
            first = time.perf_counter() - start
        lines += newlines
        size += len(chunk)
        if len(head) < 600:
            head += chunk[:600]
    rc = proc.wait()
    wall = time.perf_counter() - start
    busy1, own1 = busy(), own()
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = usage.ru_utime + usage.ru_stime
others = None
if busy0 is not None and busy1 is not None and wall >= 0.2:
    others = max(0.0, busy1 - busy0 - cpu - (own1 - own0)) / (wall * os.cpu_count())
print(json.dumps({
    'wall': wall, 'first_line': first, 'rc': rc, 'timed_out': timed_out,
    'maxrss_kb': usage.ru_maxrss, 'cpu': cpu, 'others': others,
    'lines': lines, 'bytes': size, 'head': head[:600].decode('utf-8', 'replace'),
}))
"""


class BenchError(RuntimeError):
    """A command failed in a way that makes the figures meaningless."""


@dataclass
class Measure:
    """One timed command: the median of its runs."""

    key: str
    label: str
    command: str
    seconds: float
    runs: int
    peak_mb: float
    cpu: float
    lines: int
    first_line: float | None = None
    others: float | None = None


@dataclass
class SizeResult:
    count: int
    bytes: int
    measures: dict[str, Measure] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def ratio(self, key: str, base: str = "b1") -> float | None:
        if key in self.measures and base in self.measures:
            return self.measures[key].seconds / self.measures[base].seconds
        return None


class Bench:
    def __init__(self, args: argparse.Namespace, work: Path) -> None:
        self.args = args
        self.work = work
        self.cache = work / "cache"
        self.logs = work / "logs"
        self.logs.mkdir(parents=True, exist_ok=True)
        self.newsmeta = newsmeta_command()
        self.env = dict(os.environ, NEWSMETA_CACHE_DIR=str(self.cache))
        self.env.pop("NEWSMETA_CONFIG", None)
        self.scripts = work / "scripts"
        self.scripts.mkdir(exist_ok=True)
        (self.scripts / "b1.py").write_text(B1_SCRIPT, encoding="utf-8")
        (self.scripts / "ruamel_loop.py").write_text(RUAMEL_SCRIPT, encoding="utf-8")
        self.tools = {name: shutil.which(name) for name in ("rg", "hugo", "yamllint")}
        self.waited = 0.0  # seconds spent waiting for other processes to calm down
        self.busy_starts = 0  # runs started although the machine was still busy

    # -- corpora --------------------------------------------------------------------------

    def corpus(self, count: int) -> Path:
        """The folder ``corpus-COUNT`` with ``articles/`` in it, generated unless reusable."""
        base = self.work / f"corpus-{count}"
        marker = base / "marker.json"
        wanted = {
            "count": count,
            "seed": self.args.seed,
            "generator": GENERATOR_VERSION,
            "source": gen_source_hash(),
        }
        with contextlib.suppress(OSError, ValueError):
            if json.loads(marker.read_text(encoding="utf-8")) == wanted:
                say(f"reusing {base}")
                return base
        if base.exists():
            shutil.rmtree(base)
        start = time.perf_counter()
        gen.generate(base / "articles", count, self.args.seed)
        say(f"generated {count:,} articles in {time.perf_counter() - start:.1f} s")
        marker.write_text(json.dumps(wanted), encoding="utf-8")
        return base

    def extras(self, base: Path) -> None:
        """The Hugo site and the folder of .yaml front matters next to ``articles/``."""
        articles = sorted((base / "articles").glob("*.md"))
        done = base / "extras.done"
        if done.exists():
            return
        site = base / "hugo"
        if site.exists():
            shutil.rmtree(site)
        (site / "content").mkdir(parents=True)
        (site / "hugo.toml").write_text(
            'baseURL = "https://example.org/"\ntitle = "newsmeta benchmark"\n'
            'disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]\n',
            encoding="utf-8",
        )
        yaml_dir = base / "yaml"
        if yaml_dir.exists():
            shutil.rmtree(yaml_dir)
        yaml_dir.mkdir()
        for path in articles:
            try:
                os.link(path, site / "content" / path.name)
            except OSError:
                shutil.copy2(path, site / "content" / path.name)
            text = path.read_text(encoding="utf-8")
            end = text.find("\n---\n", 3)
            (yaml_dir / f"{path.stem}.yaml").write_text(text[4 : end + 1], encoding="utf-8")
        done.write_text("ok\n", encoding="utf-8")

    def warm_page_cache(self, base: Path) -> int:
        """Read every file once; return the size of the articles."""
        sizes = {}
        for folder in ("articles", "yaml"):
            sizes[folder] = 0
            if (base / folder).is_dir():
                for entry in os.scandir(base / folder):
                    with open(entry.path, "rb") as handle:
                        sizes[folder] += len(handle.read())
        return sizes["articles"]

    def clear_cache(self) -> None:
        if self.cache.exists():
            shutil.rmtree(self.cache)
        self.cache.mkdir(parents=True)

    # -- running --------------------------------------------------------------------------

    def wait_idle(self) -> None:
        """Wait (within the --wait-idle budget) until other processes leave the CPUs alone."""
        while True:
            load = machine_load(0.5)
            if load is None or load < IDLE_LOAD:
                return
            if self.waited >= self.args.wait_idle:
                self.busy_starts += 1
                return
            if self.waited == 0 or int(self.waited) % 30 == 0:
                say(f"  (the machine is {load * 100:.0f}% busy; waiting for it to calm down)")
            time.sleep(1.5)
            self.waited += 2.0

    def run_once(self, cmd: list[str], cwd: Path) -> dict:
        self.wait_idle()
        spec = {
            "cmd": cmd,
            "cwd": str(cwd),
            "stderr": str(self.logs / "stderr.txt"),
            "timeout": TIMEOUT,
        }
        done = subprocess.run(
            [sys.executable, "-c", WRAPPER, json.dumps(spec)],
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise BenchError(f"the timing wrapper failed:\n{done.stderr}")
        report = json.loads(done.stdout)
        report["stderr"] = (self.logs / "stderr.txt").read_text(encoding="utf-8", errors="replace")
        if report["timed_out"]:
            raise BenchError(f"{shlex.join(cmd)} took longer than {TIMEOUT:.0f} s")
        return report

    def measure(
        self,
        result: SizeResult,
        key: str,
        label: str,
        cmd: list[str],
        cwd: Path,
        *,
        expect: tuple[int, ...] = (0,),
        before: str = "",
        optional: bool = False,
        repeats: int | None = None,
    ) -> Measure | None:
        """Time ``cmd`` (median of the runs); ``before`` is "cold", "warm" or ""."""
        repeats = repeats or self.args.repeats
        shown = display(cmd, cwd, self.newsmeta)
        if before == "warm":
            self.clear_cache()
            self.check(self.run_once(cmd, cwd), shown, expect, optional)
        reports = []
        for _ in range(repeats):
            if before == "cold":
                self.clear_cache()
            report = self.run_once(cmd, cwd)
            problem = self.check(report, shown, expect, optional)
            if problem:
                result.skipped[key] = problem
                say(f"  {label:<34} FAILED: {problem}")
                return None
            reports.append(report)
            if report["wall"] > LONG_RUN:
                break
        walls = [r["wall"] for r in reports]
        middle = sorted(reports, key=lambda r: r["wall"])[len(reports) // 2]
        firsts = [r["first_line"] for r in reports if r["first_line"] is not None]
        others = [r["others"] for r in reports if r["others"] is not None]
        measure = Measure(
            key=key,
            label=label,
            command=shown,
            seconds=statistics.median(walls),
            runs=len(reports),
            peak_mb=max(r["maxrss_kb"] for r in reports) / 1024,
            cpu=middle["cpu"],
            lines=middle["lines"],
            first_line=statistics.median(firsts) if firsts else None,
            others=max(others) if others else None,
        )
        result.measures[key] = measure
        ratio = result.ratio(key)
        say(
            f"  {label:<34} {measure.seconds:8.3f} s"
            + (f"  {ratio:6.3f} x B1" if ratio is not None and key != "b1" else " " * 13)
            + f"  {measure.peak_mb:7.1f} MB  ({len(reports)} run{'s' * (len(reports) > 1)})"
            + (f"  others {measure.others * 100:.0f}%" if measure.others else "")
        )
        return measure

    def check(self, report: dict, shown: str, expect: tuple[int, ...], optional: bool) -> str:
        if report["rc"] in expect:
            return ""
        message = f"`{shown}` exited with {report['rc']}, expected {' or '.join(map(str, expect))}"
        if optional:
            return message
        raise BenchError(
            f"{message}\n--- stdout (start) ---\n{report['head']}\n"
            f"--- stderr (end) ---\n{report['stderr'][-3000:]}"
        )

    # -- the runs -------------------------------------------------------------------------

    def full(self, count: int) -> SizeResult:
        say(f"\n== {count:,} articles ==")
        base = self.corpus(count)
        self.extras(base)
        result = SizeResult(count, self.warm_page_cache(base))
        nm = self.newsmeta
        word = gen.SEARCH_WORD
        one = sorted((base / "articles").glob("*.md"))[0].name
        py = sys.executable
        m = self.measure
        m(
            result,
            "b1",
            "B1 (PyYAML CSafeLoader)",
            [py, str(self.scripts / "b1.py"), "articles"],
            base,
        )
        if self.tools["rg"]:
            m(result, "rg", f"rg -l {word}", [self.tools["rg"], "-l", word, "articles"], base)
        else:
            result.skipped["rg"] = "rg is not installed"
        if self.tools["hugo"]:
            cmd = [self.tools["hugo"], "list", "all", "-s", "hugo"]
            m(result, "hugo", "hugo list all", cmd, base, optional=True)
        else:
            result.skipped["hugo"] = "hugo is not installed"
        if self.tools["yamllint"]:
            cmd = [self.tools["yamllint"], "-f", "parsable", "-d", YAMLLINT_CONFIG]
            m(
                result,
                "yamllint",
                "yamllint (all front matters)",
                [*cmd, "yaml"],
                base,
                optional=True,
            )
            one_yaml = f"yaml/{Path(one).stem}.yaml"
            m(
                result,
                "yamllint1",
                "yamllint (one front matter)",
                [*cmd, one_yaml],
                base,
                optional=True,
            )
        else:
            result.skipped["yamllint"] = result.skipped["yamllint1"] = "yamllint is not installed"
        ruamel = [py, str(self.scripts / "ruamel_loop.py"), "articles"]
        m(result, "ruamel", "ruamel round-trip loop", ruamel, base)

        for state in ("cold", "warm"):
            m(
                result,
                f"validate_{state}",
                f"validate {state}",
                [*nm, "validate", "articles"],
                base,
                before=state,
            )
            cmd = [*nm, "list", "articles", "--format", "tsv"]
            m(result, f"list_{state}", f"list --format tsv {state}", cmd, base, before=state)
            cmd = [*nm, "search", word, "articles", "--format", "tsv"]
            m(result, f"search_{state}", f"search {word} {state}", cmd, base, before=state)
            cmd = [*nm, "reformat", "--check", "articles"]
            m(result, f"reformat_{state}", f"reformat --check {state}", cmd, base, before=state)
        cmd = [*nm, "validate", "--no-cache", f"articles/{one}"]
        m(result, "validate1", "validate --no-cache ONE FILE", cmd, base)
        self.sanity(result)
        return result

    def big(self, count: int) -> SizeResult:
        say(f"\n== {count:,} articles ==")
        base = self.corpus(count)
        result = SizeResult(count, self.warm_page_cache(base))
        nm = self.newsmeta
        b1 = [sys.executable, str(self.scripts / "b1.py"), "articles"]
        self.measure(result, "b1", "B1 (PyYAML CSafeLoader)", b1, base)
        cmd = [*nm, "list", "articles", "--format", "jsonl"]
        self.measure(
            result, "list_jsonl_cold", "list --format jsonl cold", cmd, base, before="cold"
        )
        if self.args.big_validate:
            cmd = [*nm, "validate", "articles"]
            self.measure(result, "validate_warm", "validate warm", cmd, base, before="warm")
        self.sanity(result)
        return result

    def sanity(self, result: SizeResult) -> None:
        """Output counts that show a run did its work; a mismatch is noted, not fatal."""
        n = result.count
        expected = {
            "b1": 1,
            "ruamel": 1,
            "list_cold": n + 1,
            "list_warm": n + 1,
            "list_jsonl_cold": n,
            "validate_cold": 0,
            "validate_warm": 0,
            "validate1": 0,
            "reformat_cold": 0,
            "reformat_warm": 0,
            "yamllint": 0,
            "yamllint1": 0,
            "hugo": n + 1,
        }
        for key, lines in expected.items():
            got = result.measures.get(key)
            if got and got.lines != lines:
                note = f"`{got.command}` printed {got.lines:,} lines, expected {lines:,}"
                result.notes.append(note)
                say(f"  note: {note}")
        hits = [result.measures.get(k) for k in ("rg", "search_cold", "search_warm")]
        if all(hits):
            rg, cold, warm = (h.lines for h in hits if h)
            if not (cold - 1 == warm - 1 == rg):
                note = (
                    f"rg found {rg:,} files, newsmeta search {cold - 1:,} (cold) "
                    f"and {warm - 1:,} (warm)"
                )
                result.notes.append(note)
                say(f"  note: {note}")
            if rg == 0 or rg == n:
                raise BenchError(f"the search word matches {rg} of {n} files; the test is void")


# -- helpers ------------------------------------------------------------------------------


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def machine_load(seconds: float) -> float | None:
    """The share of all CPUs busy over ``seconds`` (from /proc/stat), or None off Linux."""

    def sample() -> tuple[int, int] | None:
        try:
            with open("/proc/stat", encoding="ascii") as stat:
                fields = [int(x) for x in stat.readline().split()[1:9]]
        except (OSError, ValueError):
            return None
        return sum(fields) - fields[3] - fields[4], sum(fields)

    before = sample()
    time.sleep(seconds)
    after = sample()
    if before is None or after is None or after[1] == before[1]:
        return None
    return (after[0] - before[0]) / (after[1] - before[1])


def newsmeta_command() -> list[str]:
    """The newsmeta console script next to this Python, else ``python -m newsmeta``."""
    folder = Path(sys.executable).parent
    for name in ("newsmeta", "newsmeta.exe"):
        if (folder / name).exists():
            return [str(folder / name)]
    return [sys.executable, "-m", "newsmeta"]


def display(cmd: list[str], cwd: Path, newsmeta: list[str]) -> str:
    """The command as a reader would type it, in the corpus folder."""
    words = list(cmd)
    if words[: len(newsmeta)] == newsmeta:
        words = ["newsmeta", *words[len(newsmeta) :]]
    elif words[0] == sys.executable:
        words = ["python", *(Path(w).name if w.endswith(".py") else w for w in words[1:])]
    else:
        words[0] = Path(words[0]).name
    return shlex.join(words)


def gen_source_hash() -> str:
    import hashlib

    return hashlib.sha256(Path(gen.__file__).read_bytes()).hexdigest()[:16]


def tool_output(cmd: list[str]) -> str:
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.SubprocessError):
        return "not installed"
    return (done.stdout or done.stderr).strip().splitlines()[0] if done.returncode == 0 else "?"


def machine(bench: Bench) -> list[tuple[str, str]]:
    cpu = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    ram = "unknown"
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    os_name = platform.platform()
    with contextlib.suppress(OSError):
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                os_name = f"{line.split('=', 1)[1].strip(chr(34))} (Linux {platform.release()})"
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count() or 0

    def version(package: str) -> str:
        try:
            return importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            return "not installed"

    try:
        import yaml

        pyyaml = f"{yaml.__version__} (libyaml {yaml._yaml.get_version_string()})"  # type: ignore[attr-defined]
    except (ImportError, AttributeError):
        pyyaml = version("PyYAML")
    newsmeta = tool_output([*bench.newsmeta, "--version"])
    rows = [
        ("CPU", f"{cpu}, {cores} cores available ({os.cpu_count()} online)"),
        ("RAM", ram),
        ("OS", os_name),
        ("Python", f"{platform.python_version()} ({sys.executable})"),
        ("newsmeta", f"{newsmeta}{git_state()}"),
        ("ruamel.yaml", version("ruamel.yaml")),
        ("PyYAML", pyyaml),
    ]
    for name, flag in (("rg", "--version"), ("hugo", "version"), ("yamllint", "--version")):
        path = bench.tools[name]
        rows.append((name, tool_output([path, flag]) if path else "not installed"))
    return rows


def git_state() -> str:
    try:
        head = subprocess.run(
            ["git", "--no-optional-locks", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "--no-optional-locks", "status", "--porcelain", "--untracked-files=no"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""
    return f", commit {head}{' with uncommitted changes' if dirty else ''}"


# -- the report ---------------------------------------------------------------------------


@dataclass
class Target:
    run: str
    key: str
    base: str
    limit: float
    base_label: str


TARGETS = [
    Target("`validate` cold (empty cache)", "validate_cold", "b1", 1.0, "B1"),
    Target("`validate` warm (cache full, nothing changed)", "validate_warm", "b1", 0.15, "B1"),
    Target("`list` warm", "list_warm", "b1", 0.15, "B1"),
    Target("`search WORD` warm", "search_warm", "b1", 0.15, "B1"),
    Target("`search WORD` warm vs `rg -l WORD`", "search_warm", "rg", 3.0, "`rg -l WORD`"),
    Target(
        "`reformat --check` cold",
        "reformat_cold",
        "ruamel",
        0.3,
        "the single-process ruamel round-trip loop",
    ),
    Target("`reformat --check` warm", "reformat_warm", "b1", 0.15, "B1"),
    Target(
        "`validate` of one file (the pre-commit case)",
        "validate1",
        "yamllint1",
        1.5,
        "`yamllint` on the same front matter",
    ),
]
MEMORY_LIMIT_MB = 150.0


def verdict(value: float, limit: float) -> str:
    if value <= limit:
        return f"met ({(1 - value / limit) * 100:.0f}% under)"
    return f"**missed** ({value / limit:.2f}{X} the target)"


def targets_table(main: SizeResult | None, big: SizeResult | None) -> list[str]:
    lines = [
        "| run | measured | target | result |",
        "|---|---|---|---|",
    ]
    for target in TARGETS:
        if main is None:
            continue
        ratio = main.ratio(target.key, target.base)
        if ratio is None:
            missing = main.skipped.get(target.base) or main.skipped.get(target.key) or "not run"
            lines.append(
                f"| {target.run} | {missing} | ≤ {target.limit:g} {X} {target.base_label} | n/a |"
            )
            continue
        seconds = main.measures[target.key].seconds
        base = main.measures[target.base].seconds
        lines.append(
            f"| {target.run} | {ratio:.3f} {X} ({seconds:.3f} s vs {base:.3f} s) "
            f"| ≤ {target.limit:g} {X} {target.base_label} | {verdict(ratio, target.limit)} |"
        )
    if big is not None and "list_jsonl_cold" in big.measures:
        got = big.measures["list_jsonl_cold"]
        first = got.first_line
        share = first / got.seconds if first is not None else None
        streams = share is not None and share < 0.5
        memory = verdict(got.peak_mb, MEMORY_LIMIT_MB)
        stream_text = (
            f"first row after {first:.2f} s of {got.seconds:.1f} s ({share * 100:.1f}%)"
            if first is not None and share is not None
            else "no output"
        )
        lines.append(
            f"| `list --format jsonl` of {big.count:,} articles, cold | peak {got.peak_mb:.0f} MB; "
            f"{stream_text} | peak memory ≤ {MEMORY_LIMIT_MB:g} MB, output streams "
            f"(first row before the last file is read) | memory {memory}; "
            f"{'streams' if streams else '**does not stream**'} |"
        )
    return lines


def figures_table(result: SizeResult) -> list[str]:
    lines = [
        f"| run | command (in the corpus folder) | seconds | {X} B1 | CPU s | peak MB | runs "
        "| others' CPU |",
        "|---|---|--:|--:|--:|--:|--:|--:|",
    ]
    for measure in result.measures.values():
        ratio = result.ratio(measure.key)
        shown = "" if ratio is None else f"{ratio:.3f}"
        extra = ""
        if measure.first_line is not None and measure.key.startswith("list_jsonl"):
            extra = f" (first line at {measure.first_line:.2f} s)"
        lines.append(
            f"| {measure.label}{extra} | `{measure.command}` | {measure.seconds:.3f} "
            f"| {shown} | {measure.cpu:.2f} | {measure.peak_mb:.0f} | {measure.runs} "
            f"| {'' if measure.others is None else f'{measure.others * 100:.0f}%'} |"
        )
    for key, why in result.skipped.items():
        lines.append(f"| {key} | skipped: {why} | | | | | | |")
    return lines


def render(
    bench: Bench,
    results: list[SizeResult],
    big: SizeResult | None,
    command: str,
    started: dt.datetime,
    elapsed: float,
) -> str:
    main = next((r for r in results if r.count == 10_000), results[-1] if results else None)
    waiting = ""
    if bench.waited >= 30:
        waiting = f" ({minutes(bench.waited)} of them waiting for other processes to calm down)"
    out = [
        "# Performance",
        "",
        f"Measured by `bench/perf.py` on {started:%Y-%m-%d} in one run of "
        f"{minutes(elapsed)}{waiting}, with this command, from the repository's root:",
        "",
        "```sh",
        command,
        "```",
        "",
        "Rerunning it rewrites this file down to the marker line near the end. Machines are "
        "noisy: only the ratios measured in one run count, not the seconds.",
        "",
        "## Machine",
        "",
        "| | |",
        "|---|---|",
        *(f"| {name} | {value} |" for name, value in machine(bench)),
        "",
    ]
    if main is not None or big is not None:
        size = f"{main.count:,}" if main else f"{big.count:,}" if big else ""
        out += [
            f"## Targets ({size} seed-shaped articles, {cores()} cores)",
            "",
            "B1 is a plain Python script that reads every file and loads its front matter with "
            "PyYAML's `CSafeLoader`. A ratio is the median wall time of the run divided by "
            "the median wall time of its baseline, both measured in this run.",
            "",
            *targets_table(main, big),
            "",
        ]
    out += ["## All figures", ""]
    out += [
        "Seconds are the median wall time of the runs (one run when it took over 30 s), from "
        "start to exit, with the output read through a pipe. CPU s is the user and system time "
        "of the median run, worker processes included. Peak MB is the largest resident memory "
        "of any single process of the command (`ru_maxrss`), the highest of the runs. Every "
        "file was read once before timing, so the page cache is warm for every command alike; "
        "\"cold\" means only that newsmeta's cache was emptied before each run. Others' CPU "
        "is the share of the machine's CPU time that processes outside the benchmark used "
        "while the command ran, the highest of the runs (blank for runs under 0.2 s, too short "
        "to tell); before each run the benchmark waited "
        f"until that was under {IDLE_LOAD * 100:.0f}% ({quiet_note(bench, results, big)}).",
        "",
    ]
    for result in [*results, *([big] if big else [])]:
        out += [
            f"### {result.count:,} articles ({result.bytes / 1e6:.1f} MB)",
            "",
            *figures_table(result),
            "",
        ]
        out += [f"- {note}" for note in result.notes]
        if result.notes:
            out.append("")
    out += [
        "## What was run",
        "",
        f"- **Corpora**: `bench/gen.py --seed {bench.args.seed}` writes one flat folder of "
        "`NNNNNN.md` articles shaped like `seeds/000_218d50f45779ca55.txt` (the same fields, "
        "layout and quoting; about 3 KB of front matter, a sixth not in English), all valid "
        "and in the house style, with modification times 60 s in the past.",
        "- **B1**: for each file, read it, take the text between the first two `---` lines "
        "and `yaml.load(text, Loader=yaml.CSafeLoader)`; one process.",
        f"- **rg**: `rg -l {gen.SEARCH_WORD} articles`; the word is in the titles of about "
        f"one article in nine, and `newsmeta search {gen.SEARCH_WORD}` finds the same files.",
        "- **hugo**: `hugo list all` on a site whose `content/` holds hard links to the "
        "articles, with a two-line `hugo.toml`.",
        f"- **yamllint**: `yamllint -f parsable -d '{YAMLLINT_CONFIG}'` on a folder holding "
        "each front matter as a `.yaml` file (line length is off: the house style never "
        "folds long strings), and on one of those files.",
        "- **ruamel round-trip loop**: for each file, `YAML()` (round-trip) load of the front "
        "matter, then dump to a `StringIO`; one process.",
        "- **newsmeta**: the console script of the Python that runs the benchmark, default "
        "settings and jobs, `NEWSMETA_CACHE_DIR` set to a folder of the benchmark's own. "
        '"Cold": that folder emptied before each run; "warm": filled by one untimed run of the '
        "same command, no file changed since.",
        "- `list --format jsonl` of the big corpus: the benchmark notes when the first line "
        "arrives on the pipe; it counts as streaming when that is before half of the total "
        "time, long before the last file is read.",
        "",
        "## How to reproduce",
        "",
        "rg, hugo and yamllint are used when they are on PATH (Debian: `apt install ripgrep hugo "
        "yamllint`); rows for a missing one are left out.",
        "",
        "```sh",
        "python3 -m pip install .              # as users install it (an editable install",
        "                                      # adds about 8 ms to every start-up)",
        "python3 bench/perf.py                 # this page; --help lists the options",
        "python3 bench/perf.py --quick         # 1,000 articles only, to try it out",
        "python3 bench/gen.py /tmp/articles --count 1000 --seed 1   # just a corpus",
        "```",
        "",
    ]
    return "\n".join(out)


def quiet_note(bench: Bench, results: list[SizeResult], big: SizeResult | None) -> str:
    loads = [
        m.others
        for r in [*results, *([big] if big else [])]
        for m in r.measures.values()
        if m.others is not None
    ]
    text = f"it waited {bench.waited:.0f} s in all"
    if bench.busy_starts:
        text += f", and started {bench.busy_starts} runs on a busy machine when its budget ran out"
    if loads:
        text += (
            f"; others' CPU was {statistics.mean(loads) * 100:.0f}% on average and "
            f"{max(loads) * 100:.0f}% at most"
        )
    return text


def minutes(seconds: float) -> str:
    return f"{seconds / 60:.{0 if seconds >= 600 else 1}f} minutes"


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 0


def write_report(path: Path, generated: str) -> None:
    tail = DEFAULT_TAIL
    with contextlib.suppress(OSError):
        old = path.read_text(encoding="utf-8")
        if MARKER in old:
            tail = old.split(MARKER, 1)[1]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"{generated.rstrip()}\n\n{MARKER}{tail}", encoding="utf-8")


def summary(results: list[SizeResult], big: SizeResult | None) -> None:
    main = next((r for r in results if r.count == 10_000), results[-1] if results else None)
    say("\nTargets:")
    for line in targets_table(main, big)[2:]:
        say("  " + line)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python bench/perf.py",
        description=textwrap.dedent(
            """\
            Time newsmeta against baselines (B1: PyYAML CSafeLoader loop; rg; hugo; yamllint;
            a ruamel round-trip loop) on generated seed-shaped corpora, and write
            docs/performance.md with every figure as a ratio to B1."""
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--sizes",
        default="1000,10000",
        help="corpus sizes for the full comparison, comma-separated (default: 1000,10000)",
    )
    parser.add_argument(
        "--big",
        type=int,
        default=100_000,
        help="size for the list --format jsonl memory and streaming run; 0 skips it "
        "(default: 100000)",
    )
    parser.add_argument(
        "--big-validate",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also time validate warm on the big corpus (default: yes)",
    )
    parser.add_argument(
        "--quick", action="store_true", help="only 1,000 articles (same as --sizes 1000 --big 0)"
    )
    parser.add_argument(
        "--work",
        type=Path,
        help="folder for the corpora, kept and reused when their marker matches "
        "(default: a temporary folder, removed afterwards)",
    )
    parser.add_argument("--seed", type=int, default=1, help="generator seed (default: 1)")
    parser.add_argument(
        "--wait-idle",
        type=float,
        default=1800,
        metavar="SECONDS",
        help="before each timed run, wait until other processes use under 10%% of the CPUs, "
        "for at most this many seconds over the whole benchmark (default: 1800; 0: never wait)",
    )
    parser.add_argument(
        "--repeats", type=int, default=3, help="runs per command, median taken (default: 3)"
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=ROOT / "docs" / "performance.md",
        help="report to write (default: docs/performance.md); '-' writes none",
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.big = "1000", 0
    try:
        args.size_list = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        parser.error(f"--sizes: not a comma-separated list of numbers: {args.sizes!r}")
    if any(n < 10 for n in args.size_list) or (args.big and args.big < 10):
        parser.error("sizes must be at least 10")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    command = shlex.join(["python", "bench/perf.py", *(sys.argv[1:] if argv is None else argv)])
    started = dt.datetime.now()
    clock = time.perf_counter()
    temporary = args.work is None
    work = Path(tempfile.mkdtemp(prefix="newsmeta-bench-")) if temporary else args.work
    work = work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    say(f"work folder: {work}")
    bench = Bench(args, work)
    say(f"newsmeta: {shlex.join(bench.newsmeta)}")
    try:
        results = [bench.full(n) for n in args.size_list]
        big = bench.big(args.big) if args.big else None
    except BenchError as error:
        say(f"\nbenchmark stopped: {error}")
        return 1
    finally:
        if temporary:
            shutil.rmtree(work, ignore_errors=True)
    elapsed = time.perf_counter() - clock
    summary(results, big)
    say(f"\nthe run took {elapsed / 60:.1f} minutes")
    if str(args.out) != "-":
        write_report(args.out, render(bench, results, big, command, started, elapsed))
        say(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
