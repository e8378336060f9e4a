"""Export to a USB stick: complete verified files and manifest.json last; a full or pulled
stick leaves no complete-looking partial file and says so in Chinese."""

from __future__ import annotations

import errno
import hashlib
import json
import shutil
import subprocess
import uuid
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from app.errors import UserInputError
from app.exchange import export_package
from app.exchange.export_package import (
    MANIFEST,
    ExportCancelled,
    removable_drives_linux,
    write_package,
)
from tests.app.sample_forms import births_form, long_acting_form


def _forms():
    return [births_form(), long_acting_form()]


def _audit_actions(ledger) -> list[str]:
    return [r[0] for r in ledger.conn.execute("select action from audit_log order by id")]


def test_package_holds_an_xlsx_and_a_pdf_per_form_and_a_true_manifest(ledger, tmp_path):
    out = tmp_path / "stick"
    result = write_package(ledger, "2026H1", _forms(), out)
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(["2026H1_01_人口与出生情况.xlsx", "2026H1_01_人口与出生情况.pdf",
                            "2026H1_02_长效节育措施落实情况表.xlsx", "2026H1_02_长效节育措施落实情况表.pdf",
                            MANIFEST])
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["period"] == "2026H1"
    assert manifest["ledger_id"] == ledger.ledger_id and manifest["ledger_id"]
    assert manifest["app_version"] and "T" in manifest["created_at"]
    for entry in manifest["files"]:
        data = (out / entry["name"]).read_bytes()
        assert entry["size"] == len(data)
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
    assert len(manifest["files"]) == 4
    assert result["message"].endswith("可以安全拔出U盘。")
    assert "导出报表" in _audit_actions(ledger)


def test_exported_files_carry_the_seed_figures(ledger, tmp_path):
    write_package(ledger, "2026H1", _forms(), tmp_path)
    ws = openpyxl.load_workbook(tmp_path / "2026H1_02_长效节育措施落实情况表.xlsx").active
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    assert ["合计", 430, 182, 248, 42.33, 33, 150] in rows
    text = " ".join(PdfReader(tmp_path / "2026H1_02_长效节育措施落实情况表.pdf").pages[0].extract_text().split())
    assert "合计 430 182 248 42.33 33 150" in text


def test_extra_files_go_into_the_package_and_manifest(ledger, tmp_path):
    write_package(ledger, "2026H1", _forms(), tmp_path, extra_files={"2026H1_上半年分析.txt": "上半年".encode()})
    manifest = json.loads((tmp_path / MANIFEST).read_text(encoding="utf-8"))
    assert "2026H1_上半年分析.txt" in [f["name"] for f in manifest["files"]]


def test_re_export_replaces_the_old_package(ledger, tmp_path):
    out = tmp_path / "stick"
    write_package(ledger, "2026H1", _forms(), out)
    write_package(ledger, "2026H1", _forms(), out)
    assert not [p for p in out.iterdir() if p.name.endswith(".part")]
    assert len(list(out.iterdir())) == 5


class _FailAfter:
    """Raise ENOSPC on the n-th write to the target, as a stick filling up midway does."""

    def __init__(self, n: int, err: int = errno.ENOSPC) -> None:
        self.n, self.err, self.calls = n, err, 0
        self.real = export_package._write_chunk

    def __call__(self, stream, block):
        self.calls += 1
        if self.calls >= self.n:
            stream.write(block[: len(block) // 2])
            raise OSError(self.err, "No space left on device")
        self.real(stream, block)


def _assert_nothing_complete_looking(folder: Path) -> None:
    assert not (folder / MANIFEST).exists()
    assert [p.name for p in folder.iterdir()] == []


@pytest.mark.parametrize("fail_at", [1, 2, 4, 5])
def test_stick_full_midway_leaves_nothing_and_says_so(ledger, tmp_path, monkeypatch, fail_at):
    out = tmp_path / "stick"
    monkeypatch.setattr(export_package, "_write_chunk", _FailAfter(fail_at))
    with pytest.raises(UserInputError) as caught:
        write_package(ledger, "2026H1", _forms(), out)
    assert "U盘空间不足" in str(caught.value)
    assert "导出未完成" in str(caught.value) and "没有留下不完整的文件" in str(caught.value)
    _assert_nothing_complete_looking(out)
    assert "导出报表" not in _audit_actions(ledger)


def test_stick_pulled_out_midway_says_so(ledger, tmp_path, monkeypatch):
    out = tmp_path / "stick"
    monkeypatch.setattr(export_package, "_write_chunk", _FailAfter(3, errno.EIO))
    with pytest.raises(UserInputError, match="已拔出"):
        write_package(ledger, "2026H1", _forms(), out)
    _assert_nothing_complete_looking(out)


def test_a_file_that_reads_back_differently_is_not_given_its_final_name(ledger, tmp_path, monkeypatch):
    def corrupt(stream, block):
        stream.write(block[:-1] + bytes([block[-1] ^ 0xFF]))
    monkeypatch.setattr(export_package, "_write_chunk", corrupt)
    with pytest.raises(UserInputError, match="导出未完成"):
        write_package(ledger, "2026H1", _forms(), tmp_path / "stick")
    _assert_nothing_complete_looking(tmp_path / "stick")


def test_a_previous_manifest_is_removed_before_anything_is_overwritten(ledger, tmp_path, monkeypatch):
    out = tmp_path / "stick"
    write_package(ledger, "2026H1", _forms(), out)
    monkeypatch.setattr(export_package, "_write_chunk", _FailAfter(2))
    with pytest.raises(UserInputError):
        write_package(ledger, "2026H1", _forms(), out)
    assert not (out / MANIFEST).exists()
    assert not [p for p in out.iterdir() if p.name.endswith(".part")]


def test_cancel_leaves_nothing(ledger, tmp_path):
    calls = []

    def progress(done, total, text):
        calls.append(text)
        return not text.startswith("复制并校验") or len([c for c in calls if c.startswith("复制")]) < 3

    with pytest.raises(ExportCancelled, match="已取消"):
        write_package(ledger, "2026H1", _forms(), tmp_path / "stick", progress=progress)
    _assert_nothing_complete_looking(tmp_path / "stick")


def test_progress_reaches_the_end_with_the_safe_to_remove_message(ledger, tmp_path):
    seen = []
    write_package(ledger, "2026H1", _forms(), tmp_path, progress=lambda d, t, s: seen.append((d, t, s)))
    done, total, text = seen[-1]
    assert done == total and "可以安全拔出U盘" in text
    assert [d for d, _, _ in seen] == sorted(d for d, _, _ in seen)


def test_too_little_free_space_is_refused_before_writing(ledger, tmp_path, monkeypatch):
    out = tmp_path / "stick"
    out.mkdir()
    usage = shutil.disk_usage(out)
    monkeypatch.setattr(export_package.shutil, "disk_usage", lambda p: usage._replace(free=1000))
    with pytest.raises(UserInputError, match="U盘空间不足.*没有写入任何文件"):
        write_package(ledger, "2026H1", _forms(), out)
    assert list(out.iterdir()) == []


def test_removable_drives_are_read_from_proc_mounts():
    mounts = "\n".join([
        "/dev/sda1 / ext4 rw 0 0",
        "/dev/sdb1 /media/clerk/U\\040PAN vfat rw 0 0",
        "/dev/sdc1 /run/media/clerk/KINGSTON exfat rw 0 0",
        "/dev/sdd1 /mnt/usb ntfs3 rw 0 0",
        "tmpfs /mnt/ram tmpfs rw 0 0",
        "/dev/sde1 /home/data vfat rw 0 0",
    ])
    assert removable_drives_linux(mounts) == [Path("/media/clerk/U PAN"), Path("/run/media/clerk/KINGSTON"),
                                             Path("/mnt/usb")]


# ---- a real small filesystem (loop-mounted image) ------------------------------------------------
@pytest.fixture
def small_stick(tmp_path):
    """A 1.5 MB filesystem image (vfat like a real stick, else ext2) mounted with -o loop;
    skipped with the reason where no such image can be made or mounting is not permitted."""
    image = tmp_path / "stick.img"
    mount_point = tmp_path / f"mnt-{uuid.uuid4().hex[:6]}"
    mount_point.mkdir()
    reasons = []
    for mkfs, options in (("mkfs.vfat", []), ("mkfs.ext2", ["-q", "-F"])):
        program = shutil.which(mkfs)
        if not program:
            reasons.append(f"{mkfs} not installed")
            continue
        subprocess.run(["dd", "if=/dev/zero", f"of={image}", "bs=1k", "count=1536"], check=True,
                       capture_output=True)
        if subprocess.run([program, *options, str(image)], capture_output=True).returncode != 0:
            reasons.append(f"{mkfs} failed")
            continue
        mounted = subprocess.run(["mount", "-o", "loop", str(image), str(mount_point)], capture_output=True,
                                 text=True)
        if mounted.returncode == 0:
            break
        reasons.append(f"mount {mkfs}: {mounted.stderr.strip()}")
    else:
        pytest.skip("cannot loop-mount a small filesystem here: " + "; ".join(reasons))
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", str(mount_point)], capture_output=True)


def test_real_small_stick_that_fills_up_midway(ledger, small_stick):
    """Another program fills the stick after the first files are copied (the free-space check
    passed): the export fails with a clear message and leaves no complete-looking file."""
    forms = [births_form(extra_rows=300), long_acting_form()]
    filler = small_stick / "其他程序的文件.bin"
    copied = []

    def progress(done, total, text):
        if text.startswith("复制并校验"):
            copied.append(text)
            if len(copied) == 2:
                free = shutil.disk_usage(small_stick).free
                with open(filler, "wb") as stream:
                    stream.write(b"\0" * max(0, free - 8 * 1024))
        return True

    with pytest.raises(UserInputError) as caught:
        write_package(ledger, "2026H1", forms, small_stick, progress=progress)
    message = str(caught.value)
    assert "U盘空间不足" in message and "没有留下不完整的文件" in message
    assert sorted(p.name for p in small_stick.iterdir() if p.name != "lost+found") == [filler.name]


def test_real_small_stick_export_succeeds_when_there_is_room(ledger, small_stick):
    result = write_package(ledger, "2026H1", _forms(), small_stick)
    manifest = json.loads((small_stick / MANIFEST).read_text(encoding="utf-8"))
    for entry in manifest["files"]:
        assert hashlib.sha256((small_stick / entry["name"]).read_bytes()).hexdigest() == entry["sha256"]
    assert result["warnings"] == []


def test_real_small_stick_too_small_is_refused_up_front(ledger, small_stick):
    filler = small_stick / "已有文件.bin"
    filler.write_bytes(b"\0" * (shutil.disk_usage(small_stick).free - 20 * 1024))
    with pytest.raises(UserInputError, match="U盘空间不足.*没有写入任何文件"):
        write_package(ledger, "2026H1", _forms(), small_stick)
    assert [p.name for p in small_stick.iterdir() if p.name != "lost+found"] == [filler.name]
