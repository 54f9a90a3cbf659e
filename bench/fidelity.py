#!/usr/bin/env python3
"""Measure newsmeta's round-trip fidelity on real front matter.

For every article file under the given folders (default: ../shared/corpora and seeds/):
1. a no-op load + render must give back the original bytes;
2. for every top-level key holding a scalar, setting a new value must change only that key's
   lines, keep the delimiters, BOM and body, and read back as the intended data;
3. setting the old value back must give the original bytes;
4. the same through ``newsmeta edit``'s core: one ``--set``/``--set-str KEY=VALUE`` per
   top-level scalar key must change only that key's lines and read back as the value given.

    python bench/fidelity.py [FOLDER...] [--jobs N] [--failures FILE] [--markdown]

Prints a summary table (Markdown with --markdown) and lists every failure.
"""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import json
import os
import sys
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from newsmeta.article import (  # noqa: E402
    Document,
    Kind,
    sniff_kind,
    split_article,
    to_plain,
)
from newsmeta.edit import Outcome, Plan, edit_article  # noqa: E402
from newsmeta.errors import ArticleError  # noqa: E402
from newsmeta.operations import Kind as Kind_  # noqa: E402
from newsmeta.operations import parse_operation  # noqa: E402
from newsmeta.validate import Checker  # noqa: E402

NO_RULES = Checker(rules=())

EXTENSIONS = {".md", ".markdown", ".mdx", ".txt", ".html"}


def new_value(value: Any) -> Any | None:
    """A different value of the same kind, keeping the scalar's style where it has one."""
    from ruamel.yaml.comments import TaggedScalar
    from ruamel.yaml.scalarstring import LiteralScalarString, ScalarString

    if isinstance(value, (TaggedScalar, dict, list)):
        return None
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return int(value) + 1
    if isinstance(value, float):
        return float(value) + 1.5
    if isinstance(value, dt.datetime):
        return dt.datetime(2001, 2, 3, 4, 5, 6, tzinfo=value.tzinfo)
    if isinstance(value, dt.date):
        return dt.date(2001, 2, 3)
    if isinstance(value, LiteralScalarString):
        return type(value)("newsmeta edited\nvalue\n")
    if isinstance(value, ScalarString):
        return type(value)("newsmeta edited value")
    if isinstance(value, str) or value is None:
        return "newsmeta edited value"
    return None


def operation_for(key: Any, value: Any) -> tuple[Any, str, Any] | None:
    """The edit operation (kind, argument, value it should read back as) that gives ``key``
    a new value of the same kind, as a user would type it; None if the key cannot be named."""
    from ruamel.yaml.comments import TaggedScalar

    if not isinstance(key, str) or not key or any(c in key for c in ".[]=") or key != key.strip():
        return None
    if isinstance(value, (TaggedScalar, dict, list)):
        return None
    if isinstance(value, bool):
        return Kind_.SET, f"{key}={'false' if value else 'true'}", not value
    if isinstance(value, int):
        return Kind_.SET, f"{key}={int(value) + 1}", int(value) + 1
    if isinstance(value, float):
        return Kind_.SET, f"{key}=1.5", 1.5
    if isinstance(value, dt.datetime):
        wanted = dt.datetime(2001, 2, 3, 4, 5, 6, tzinfo=dt.timezone.utc)
        return Kind_.SET, f"{key}=2001-02-03T04:05:06Z", wanted
    if isinstance(value, dt.date):
        return Kind_.SET, f"{key}=2001-02-03", dt.date(2001, 2, 3)
    if isinstance(value, str) and "\n" in value:
        text = "newsmeta edited\nvalue\n"
        return Kind_.SET_STR, f"{key}={text}", text
    return Kind_.SET_STR, f"{key}=newsmeta edited value", "newsmeta edited value"


def check_edit_command(raw: bytes, path: str, key: Any, span: tuple[int, int]) -> str | None:
    """One ``newsmeta edit --set`` of ``key`` through the command's core: local and faithful."""
    article = split_article(raw, path)
    document = Document(article)
    found = operation_for(key, document.data[key])
    if found is None:
        return None
    kind, argument, wanted = found
    operation = parse_operation(kind, argument)
    if to_plain(operation.value) != wanted and not isinstance(wanted, int):
        return f"{argument!r} was read as {to_plain(operation.value)!r}"
    plan = Plan((operation,), NO_RULES, write=False)
    result, _document = edit_article(article, plan)
    if result.outcome is not Outcome.CHANGED:
        return f"edit {argument!r}: {result.outcome.value} {[p.message for p in result.problems]}"
    new = split_article(result.after, path)
    problem = outside_the_key(article, new, span)
    if problem is not None:
        return problem
    expected = to_plain(document.data)
    # What the operation read the value as: a text field takes 2014 as the string "2014".
    expected[key] = to_plain(operation.value)
    if to_plain(Document(new).data) != expected:
        return "data read back differs"
    return None


def key_ranges(doc: Document) -> dict[Any, tuple[int, int]]:
    """Each top-level key's lines in the front matter: [first, last] (0-based, inclusive)."""
    tree = doc.data
    lines = doc.article.front_matter
    starts = sorted((tree.lc.key(key)[0], key) for key in tree)
    ranges: dict[Any, tuple[int, int]] = {}
    for index, (start, key) in enumerate(starts):
        stop = starts[index + 1][0] if index + 1 < len(starts) else len(lines)
        last = stop - 1
        while last > start and (not lines[last].strip() or lines[last].lstrip().startswith("#")):
            last -= 1
        ranges[key] = (start, last)
    return ranges


def touched(before: list[str], after: list[str]) -> list[tuple[int, int]]:
    """Original line ranges [i1, i2) that the change replaced, deleted or inserted at."""
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    return [(i1, i2) for tag, i1, i2, _j1, _j2 in matcher.get_opcodes() if tag != "equal"]


def outside_the_key(article: Any, new: Any, span: tuple[int, int]) -> str | None:
    """What an edit of the key at ``span`` changed beyond its lines, or None."""
    if (new.bom, new.opening, new.closing, new.body) != (
        article.bom,
        article.opening,
        article.closing,
        article.body,
    ):
        return "delimiters, BOM or body changed"
    for i1, i2 in touched(article.front_matter, new.front_matter):
        if i1 < span[0] or max(i1, i2 - 1) > span[1] + (1 if i1 == i2 else 0):
            return f"lines {i1 + 2}-{i2 + 1} outside the key's lines {span[0] + 2}-{span[1] + 2}"
    return None


def check_file(path: str) -> dict[str, Any]:
    result: dict[str, Any] = {
        "path": path,
        "edits": 0,
        "edit_failures": [],
        "commands": 0,
        "command_failures": [],
    }
    raw = Path(path).read_bytes()
    kind = sniff_kind(raw)
    if kind is not Kind.YAML:
        result["status"] = "toml" if kind is Kind.TOML else "no-front-matter"
        return result
    try:
        doc = Document(split_article(raw, path))
    except ArticleError as error:
        result["status"] = f"error:{error.code}"
        result["error"] = f"{error.line}:{error.column}: {error.message}"
        return result
    result["status"] = "noop-identical" if doc.render() == raw else "noop-changed"
    if doc.data is None:
        return result
    ranges = key_ranges(doc)
    for key in list(doc.data):
        old = doc.data[key]
        value = new_value(old)
        if value is None:
            continue
        result["edits"] += 1
        problem = check_edit(doc, key, old, value, ranges[key])
        doc.data[key] = old
        if problem is None and doc.render() != raw:
            problem = "setting the old value back did not restore the original bytes"
        if problem is not None:
            result["edit_failures"].append({"key": str(key), "problem": problem})
        if operation_for(key, old) is not None:
            result["commands"] += 1
            problem = check_edit_command(raw, path, key, ranges[key])
            if problem is not None:
                result["command_failures"].append({"key": str(key), "problem": problem})
    return result


def check_edit(doc: Document, key: Any, old: Any, value: Any, span: tuple[int, int]) -> str | None:
    doc.data[key] = value
    try:
        out = doc.render()
    except ArticleError as error:
        return f"render failed: {error.message}"
    article = doc.article
    new = split_article(out, article.path)
    problem = outside_the_key(article, new, span)
    if problem is not None:
        return problem
    reloaded = Document(new)
    if to_plain(reloaded.data) != to_plain(doc.data):
        return "data read back differs"
    return None


def iter_files(folders: list[Path]) -> list[str]:
    found = []
    for folder in folders:
        for dirpath, _dirs, files in os.walk(folder):
            for name in files:
                if Path(name).suffix.lower() in EXTENSIONS:
                    found.append(os.path.join(dirpath, name))
    return sorted(found)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", type=Path)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--failures", type=Path, help="write every failure as JSON lines")
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    folders = args.folders or [ROOT.parent / "shared" / "corpora", ROOT / "seeds"]
    files = iter_files(folders)
    with ProcessPoolExecutor(args.jobs) as pool:
        results = list(pool.map(check_file, files, chunksize=16))
    statuses = Counter(r["status"] for r in results)
    loaded = [r for r in results if r["status"].startswith("noop-")]
    identical = statuses["noop-identical"]
    edits = sum(r["edits"] for r in results)
    failed_edits = [(r["path"], f) for r in results for f in r["edit_failures"]]
    files_with_failed = sum(1 for r in results if r["edit_failures"])
    commands = sum(r["commands"] for r in results)
    failed_commands = [(r["path"], f) for r in results for f in r["command_failures"]]
    rows = [
        ("files", len(results)),
        ("YAML front matter that loads", len(loaded)),
        ("no-op render byte-identical", f"{identical} / {len(loaded)}"),
        ("top-level scalar edits tried", edits),
        ("edits that changed only the key's lines", f"{edits - len(failed_edits)} / {edits}"),
        ("files with a non-local edit", files_with_failed),
        ("`newsmeta edit --set` of one top-level key tried", commands),
        (
            "`newsmeta edit --set` that changed only the key's lines",
            f"{commands - len(failed_commands)} / {commands}",
        ),
    ]
    rows += [(f"status {name}", count) for name, count in sorted(statuses.items())]
    if args.markdown:
        print("| measure | value |\n|---|---|")
        for name, value in rows:
            print(f"| {name} | {value} |")
    else:
        for name, value in rows:
            print(f"{name:45} {value}")
    for r in results:
        if r["status"] == "noop-changed" or r["status"].startswith("error:"):
            print(f"{r['path']}: {r['status']} {r.get('error', '')}")
    for path, failure in failed_edits:
        print(f"{path}: key {failure['key']!r}: {failure['problem']}")
    for path, failure in failed_commands:
        print(f"{path}: edit --set {failure['key']!r}: {failure['problem']}")
    if args.failures:
        with args.failures.open("w") as out:
            for r in results:
                if r["edit_failures"] or r["command_failures"] or r["status"] != "noop-identical":
                    out.write(json.dumps(r) + "\n")
    return 0 if identical == len(loaded) and not failed_edits and not failed_commands else 1


if __name__ == "__main__":
    sys.exit(main())
