"""Fidelity on real front matter from ../shared/corpora (skipped when it is absent)."""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from types import ModuleType

import pytest

from .conftest import ROOT, SHARED, assert_no_traceback, run_cli

CORPORA = SHARED / "corpora"
pytestmark = pytest.mark.skipif(not CORPORA.is_dir(), reason="../shared/corpora is absent")


def _fidelity() -> ModuleType:
    spec = importlib.util.spec_from_file_location("fidelity", ROOT / "bench" / "fidelity.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["fidelity"] = module  # so worker processes can find check_file
    spec.loader.exec_module(module)
    return module


def test_every_corpus_file_round_trips_and_every_scalar_edit_stays_local() -> None:
    fidelity = _fidelity()
    files = fidelity.iter_files([CORPORA])
    assert len(files) > 4000
    with ProcessPoolExecutor(os.cpu_count() or 1) as pool:
        results = list(pool.map(fidelity.check_file, files, chunksize=32))
    loaded = [r for r in results if r["status"].startswith("noop-")]
    assert len(loaded) > 4000
    assert [r["path"] for r in loaded if r["status"] != "noop-identical"] == []
    failures = [(r["path"], f) for r in results for f in r["edit_failures"]]
    assert failures == []
    assert sum(r["edits"] for r in results) > 19000
    # The same through the edit command's core: one --set of one key, every key in turn.
    failures = [(r["path"], f) for r in results for f in r["command_failures"]]
    assert failures == []
    assert sum(r["commands"] for r in results) > 19000


def _without_title(raw: bytes) -> list[str]:
    """The front matter lines but those of the top-level ``title`` key (from its line to its
    last non-blank, non-comment line: the fidelity script's measure)."""
    from newsmeta.article import Document, split_article

    document = Document(split_article(raw))
    start, last = _fidelity().key_ranges(document)["title"]
    lines = document.article.front_matter
    return lines[:start] + lines[last + 1 :]


def test_edit_command_sets_the_title_of_every_blog_post_and_touches_nothing_else(
    tmp_path: Path,
) -> None:
    import shutil

    from newsmeta.article import load_plain, split_article

    corpus = tmp_path / "blogs-news"
    shutil.copytree(CORPORA / "blogs-news", corpus)
    before = {path: path.read_bytes() for path in corpus.rglob("*") if path.is_file()}
    for path in before:  # the shared copy is read-only, and read-only files are left alone
        path.chmod(0o644)
    result = run_cli(
        "edit", ".", "--where", "has:title", "--set-str", "title=Edited by newsmeta", cwd=corpus
    )
    assert_no_traceback(result)
    changed = [path for path, data in before.items() if path.read_bytes() != data]
    assert len(changed) > 900
    for path in changed:
        old, new = split_article(before[path]), split_article(path.read_bytes())
        assert (new.bom, new.opening, new.closing, new.body) == (
            old.bom,
            old.opening,
            old.closing,
            old.body,
        )
        assert _without_title(path.read_bytes()) == _without_title(before[path]), path
        assert load_plain(new)["title"] == "Edited by newsmeta"
    # Files not changed: refused edits (they would add an error) or failures, each reported.
    unchanged = len(before) - len(changed)
    assert f"changed {len(changed):,} files" in result.stderr
    assert result.stderr.count("\n") <= unchanged + 1


def test_files_that_do_not_load_are_reported_not_mistaken() -> None:
    fidelity = _fidelity()
    statuses = {
        Path(path).name: fidelity.check_file(str(path))["status"]
        for path in [
            *CORPORA.glob("blogs-news/blog.rust-lang.org-toml/content/*.md"),
            CORPORA / "blogs-news/jekyll/test/source/_includes/sig.markdown",
            CORPORA / "misc-metadata/github-explore/topics/qiskit/index.md",
        ]
    }
    assert statuses.pop("sig.markdown") == "error:unclosed-front-matter"
    assert statuses.pop("index.md") == "error:duplicate-key"
    assert set(statuses.values()) == {"toml"}


def test_validate_reads_every_corpus_file_without_an_internal_error() -> None:
    # Real sites' front matter is not in the house format, so findings are expected; what
    # must not happen is a crash, a traceback, an I/O error or a write.
    before = {path: path.stat().st_mtime_ns for path in CORPORA.rglob("*") if path.is_file()}
    result = run_cli("validate", "--format", "json", str(CORPORA))
    assert_no_traceback(result)
    assert result.code == 1
    problems = json.loads(result.stdout)
    assert {p["rule"] for p in problems} & {"internal-error", "io-error"} == set()
    assert len({p["path"] for p in problems}) > 1000
    after = {path: path.stat().st_mtime_ns for path in CORPORA.rglob("*") if path.is_file()}
    assert after == before
