"""Atomic writes (app/atomic.py): one helper, used by every writer of a file."""

from __future__ import annotations

import os
import re
import stat
import threading
from pathlib import Path

import pytest

from app import atomic

ROOT = Path(__file__).resolve().parents[2]


def test_bytes_and_text_land_complete_owner_only_with_nothing_left_beside(tmp_path):
    target = tmp_path / "报表.pdf"
    target.write_bytes(b"old")
    assert atomic.write_atomic(target, b"%PDF-new") == target
    assert target.read_bytes() == b"%PDF-new"
    atomic.write_atomic(tmp_path / "说明.txt", "第一行\n")
    assert (tmp_path / "说明.txt").read_text(encoding="utf-8") == "第一行\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["报表.pdf", "说明.txt"]
    if os.name != "nt":
        assert stat.S_IMODE(target.stat().st_mode) == 0o600


@pytest.mark.parametrize("where", ["writer", "check"])
def test_a_failing_writer_or_check_leaves_the_old_file_and_no_temporary_one(tmp_path, where):
    target = tmp_path / "名册.xlsx"
    target.write_bytes(b"PK old")

    def writer(temp: Path) -> None:
        temp.write_bytes(b"half")
        if where == "writer":
            raise OSError("磁盘已满")

    def check(temp: Path) -> None:
        raise ValueError("不完整")

    with pytest.raises((OSError, ValueError)):
        atomic.write_atomic(target, writer, check=check)
    assert target.read_bytes() == b"PK old"
    assert [p.name for p in tmp_path.iterdir()] == ["名册.xlsx"]


def test_the_temporary_name_is_unique_and_beside_the_target(tmp_path):
    target = tmp_path / "a.pdf"
    names: list[Path] = []
    both = threading.Barrier(2)

    def write(data: bytes) -> None:
        def writer(temp: Path) -> None:
            names.append(temp)
            both.wait(5)          # both temporary files exist at once
            temp.write_bytes(data)
        atomic.write_atomic(target, writer)

    threads = [threading.Thread(target=write, args=(d,)) for d in (b"one", b"two")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(names)) == 2 and all(n.parent == tmp_path and n.name.startswith(".~a.") for n in names)
    assert target.read_bytes() in (b"one", b"two")
    assert [p.name for p in tmp_path.iterdir()] == ["a.pdf"]


def test_the_file_is_synced_before_the_rename_and_the_folder_after(tmp_path, monkeypatch):
    events: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        events.append("dir" if stat.S_ISDIR(os.fstat(fd).st_mode) else "file")
        real_fsync(fd)

    def replace(src, dst) -> None:
        events.append("replace")
        real_replace(src, dst)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    atomic.write_atomic(tmp_path / "x.json", "{}")
    assert events == (["file", "replace", "dir"] if os.name != "nt" else ["file", "replace"])


def test_no_other_module_renames_or_syncs_files_itself():
    """The acceptance rule: every replace-write goes through app.atomic (appending a line to the
    anchor file is not a replace-write)."""
    pattern = re.compile(r"os\.replace\(|os\.rename\(|\.replace\((temp|tmp|staged|part)|os\.fsync\(|mkstemp\(")
    offenders = []
    for folder in ("app", "ui"):
        for path in (ROOT / folder).rglob("*.py"):
            rel = path.relative_to(ROOT).as_posix()
            if rel in {"app/atomic.py", "app/audit_anchors.py"}:
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                if pattern.search(line) and not line.lstrip().startswith("#"):
                    offenders.append(f"{rel}:{number}: {line.strip()}")
    assert offenders == []
