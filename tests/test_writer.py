"""The safe writer: write only changed bytes, atomically, never over a newer or read-only file."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest

from newsmeta.article import BOM, load_document, split_article
from newsmeta.errors import WriteError
from newsmeta.writer import read_snapshot, write_file

from .conftest import SEEDS

OLD = b"---\ntitle: old\n---\nbody\n"
NEW = b"---\ntitle: new value\n---\nbody\n"


def _article(folder: Path, name: str = "a.md", content: bytes = OLD) -> Path:
    path = folder / name
    path.write_bytes(content)
    return path


def _temp_files(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.glob(".newsmeta-*.tmp"))


def _seed_copy(folder: Path, pattern: str, extra_body: bytes = b"") -> Path:
    (seed,) = SEEDS.glob(pattern)
    copy = folder / seed.name
    shutil.copyfile(seed, copy)
    if extra_body:
        copy.write_bytes(copy.read_bytes() + extra_body)
    return copy


# -- write_file ----------------------------------------------------------------------------


def test_identical_bytes_are_not_written(tmp_path: Path) -> None:
    path = _article(tmp_path)
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    snapshot = read_snapshot(path)

    assert write_file(path, OLD, snapshot) is False
    assert path.stat().st_mtime_ns == 1_000_000_000
    assert path.read_bytes() == OLD


def test_write_replaces_content(tmp_path: Path) -> None:
    path = _article(tmp_path)

    assert write_file(path, NEW, read_snapshot(path)) is True
    assert path.read_bytes() == NEW


@pytest.mark.parametrize("mode", [0o640, 0o755])
def test_write_keeps_file_mode(tmp_path: Path, mode: int) -> None:
    path = _article(tmp_path)
    path.chmod(mode)

    write_file(path, NEW, read_snapshot(path))

    assert stat.S_IMODE(path.stat().st_mode) == mode


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root")
def test_write_keeps_file_owner(tmp_path: Path) -> None:
    path = _article(tmp_path)
    os.chown(path, 1234, 2345)

    write_file(path, NEW, read_snapshot(path))

    assert (path.stat().st_uid, path.stat().st_gid) == (1234, 2345)


def test_write_leaves_no_temporary_file(tmp_path: Path) -> None:
    path = _article(tmp_path)

    write_file(path, NEW, read_snapshot(path))

    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.md"]


def test_write_through_symlink_changes_the_target(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    target = _article(tmp_path / "real")
    link = tmp_path / "link.md"
    link.symlink_to(Path("real") / "a.md")

    assert write_file(link, NEW, read_snapshot(link)) is True
    assert target.read_bytes() == NEW


def test_write_through_symlink_keeps_the_link(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    _article(tmp_path / "real")
    link = tmp_path / "link.md"
    link.symlink_to(Path("real") / "a.md")

    write_file(link, NEW, read_snapshot(link))

    assert link.is_symlink()
    assert os.readlink(link) == os.path.join("real", "a.md")
    assert _temp_files(tmp_path) == []
    assert _temp_files(tmp_path / "real") == []


def test_file_rewritten_after_read_is_changed_on_disk(tmp_path: Path) -> None:
    path = _article(tmp_path)
    snapshot = read_snapshot(path)
    path.write_bytes(b"---\ntitle: someone else's much longer edit\n---\n")

    with pytest.raises(WriteError) as caught:
        write_file(path, NEW, snapshot)

    assert caught.value.code == "changed-on-disk"
    assert path.read_bytes() == b"---\ntitle: someone else's much longer edit\n---\n"


def test_same_size_same_mtime_edit_is_changed_on_disk(tmp_path: Path) -> None:
    path = _article(tmp_path)
    snapshot = read_snapshot(path)
    newer = OLD.replace(b"old", b"odd")
    assert len(newer) == len(OLD)
    path.write_bytes(newer)
    os.utime(path, ns=(snapshot.mtime_ns, snapshot.mtime_ns))
    assert path.stat().st_mtime_ns == snapshot.mtime_ns

    with pytest.raises(WriteError) as caught:
        write_file(path, NEW, snapshot)

    assert caught.value.code == "changed-on-disk"
    assert path.read_bytes() == newer


def test_read_only_file_is_refused(tmp_path: Path) -> None:
    # CI runs as root, who could write the file anyway: the writer must still refuse.
    path = _article(tmp_path)
    path.chmod(0o444)
    snapshot = read_snapshot(path)

    with pytest.raises(WriteError) as caught:
        write_file(path, NEW, snapshot)

    assert caught.value.code == "read-only"
    assert path.read_bytes() == OLD
    assert stat.S_IMODE(path.stat().st_mode) == 0o444


def test_check_receives_the_bytes_read_back(tmp_path: Path) -> None:
    path = _article(tmp_path)
    seen: list[bytes] = []

    write_file(path, NEW, read_snapshot(path), check=seen.append)

    assert seen == [NEW]


def test_failing_check_leaves_the_original(tmp_path: Path) -> None:
    path = _article(tmp_path)

    def refuse(written: bytes) -> None:
        raise ValueError("refused")

    with pytest.raises(ValueError, match="refused"):
        write_file(path, NEW, read_snapshot(path), check=refuse)

    assert path.read_bytes() == OLD
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.md"]


def test_vanished_file_is_an_io_error(tmp_path: Path) -> None:
    path = _article(tmp_path)
    snapshot = read_snapshot(path)
    path.unlink()

    with pytest.raises(WriteError) as caught:
        write_file(path, NEW, snapshot)

    assert caught.value.code == "io-error"
    assert sorted(p.name for p in tmp_path.iterdir()) == []


# -- Document.save -----------------------------------------------------------------------------


def test_save_without_change_writes_nothing(tmp_path: Path) -> None:
    path = _seed_copy(tmp_path, "001_eu-ai-act-vote.md")
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))

    assert load_document(path).save() is False
    assert path.stat().st_mtime_ns == 1_000_000_000


def test_save_changes_exactly_one_line(tmp_path: Path) -> None:
    path = _seed_copy(tmp_path, "001_eu-ai-act-vote.md")
    before = path.read_bytes().splitlines(keepends=True)
    document = load_document(path)
    document.data["quality"] = 99

    assert document.save() is True

    after = path.read_bytes().splitlines(keepends=True)
    assert len(after) == len(before)
    changed = [(old, new) for old, new in zip(before, after, strict=True) if old != new]
    assert changed == [(b"quality: 88\n", b"quality: 99\n")]


def test_save_keeps_crlf_and_body(tmp_path: Path) -> None:
    body = b"First paragraph.\r\n\r\nSecond paragraph.\r\n"
    path = _seed_copy(tmp_path, "012_crlf-*.md", extra_body=body)
    document = load_document(path)
    document.data["quality"] = 99

    document.save()

    raw = path.read_bytes()
    assert b"quality: 99\r\n" in raw
    assert raw.count(b"\n") == raw.count(b"\r\n")
    assert split_article(raw).body == body


def test_save_keeps_bom_and_body(tmp_path: Path) -> None:
    body = b"First paragraph.\n\nSecond paragraph.\n"
    path = _seed_copy(tmp_path, "013_bom-*.md", extra_body=body)
    document = load_document(path)
    document.data["quality"] = 99

    document.save()

    raw = path.read_bytes()
    assert raw.startswith(BOM + b"---\n")
    assert raw.count(BOM) == 1
    assert b"quality: 99\n" in raw
    assert split_article(raw).body == body
