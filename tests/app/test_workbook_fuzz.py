"""Fuzz: 1,000 malformed workbooks through the real import (issue 14's acceptance line).

A seeded generator writes each workbook from raw parts (tests/app/xlsx_craft.py): random sheet
names (known, near misses, strangers), header rows, cell types (numbers, Excel dates, booleans,
long strings, control characters, formulas, `_x0007_` escapes), declared dimensions (huge,
wrong), cells far away or without positions, namespace prefixes, DOCTYPEs, and zip tampering
(truncated, wrong magic, a lying size, a flipped byte). Each is imported into one ledger with
`import_workbook`; the outcome must be a result or a UserInputError whose message has Chinese
in it — no other exception — and a refusal must leave the ledger's rows and folder unchanged.
A subset runs through the CLI in a child capped at 500 MB of address space: exit 0 or 2, Chinese
output, no traceback, nothing left beside the ledger on exit 2.
"""

from __future__ import annotations

import io
import random
import re
import resource
from pathlib import Path

import pytest

from app.errors import UserInputError
from app.exchange.workbook import import_workbook, sheet_specs
from app.ledger import Ledger
from tests.app import xlsx_craft as craft
from tests.app.test_workbook_guard import run_cli_limited

CASES = 1_000
CLI_CASES = 16
CJK = re.compile(r"[\u4e00-\u9fff]")
TABLES = ("units", "women", "children", "contraception", "procedures", "population_base")
_SPECS = {spec.name: spec.columns for spec in sheet_specs()}
_ALPHABET = ("王李张刘陈杨赵黄周吴丽芳华敏静秀英娟子女村社区节育措施手术" "abcXYZ0123456789 -/.:"
             "０１２３ＡＢ　" "&<>\"'" "\u00e9\u00df\u2603\U0001f600")


class Fuzz:
    """One seeded case: a dict of parts to write, then maybe a tampering step."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    # ---- values --------------------------------------------------------------------------
    def text(self) -> str:
        rng = self.rng
        kind = rng.random()
        if kind < 0.003:
            return rng.choice("字a&") * rng.choice((32_767, 32_768, 40_000))
        if kind < 0.06:
            return "".join(chr(rng.randrange(0, 32)) for _ in range(rng.randrange(1, 5)))  # control characters
        if kind < 0.08:
            return f"_x{rng.randrange(0, 0x20):04X}_张"
        if kind < 0.10:
            return "=" + rng.choice(("SUM(A1:A3)", "1/0", 'CONCAT("a","b")', "A1&B1"))
        return "".join(rng.choice(_ALPHABET) for _ in range(rng.randrange(0, 20)))

    def value(self):
        rng = self.rng
        kind = rng.random()
        if kind < 0.15:
            return None
        if kind < 0.30:
            return rng.choice((rng.randrange(-10, 100), rng.uniform(-1e6, 1e6), 1e308, -0.0, 43000, 430202101201))
        if kind < 0.40:
            return float(rng.randrange(1, 80000))  # an Excel date serial
        if kind < 0.45:
            return rng.random() < 0.5
        if kind < 0.55:
            return craft_id(rng)
        return self.text()

    # ---- sheets --------------------------------------------------------------------------
    def sheet_name(self, used: set[str]) -> str:
        rng = self.rng
        known = rng.choice(list(_SPECS))
        kind = rng.random()
        if kind < 0.6:
            name = known
        elif kind < 0.75:
            name = rng.choice((known[:1] + " " + known[1:], known + "表", " " + known + "　", known + "Sheet",
                               known.replace("龄", "齡").replace("妇", "婦").replace("术", "術")))
        else:
            name = rng.choice(("Sheet1", "备注", "填写说明", "汇总", "x" * rng.randrange(1, 31), "&<'\"",
                               "".join(rng.choice(_ALPHABET) for _ in range(rng.randrange(1, 10)))))
        name = re.sub(r"[\[\]:*?/\\\x00-\x1f]", "", name)[:31] or "S"
        return name if name not in used else f"{name[:28]}{len(used)}"

    def header(self, name: str) -> list:
        rng = self.rng
        columns = [c.rstrip("*") for c in _SPECS.get(name.strip(), ())] or ["列1", "列2"]
        chosen = rng.sample(columns, rng.randrange(0, len(columns) + 1))
        if rng.random() < 0.3:
            chosen.insert(rng.randrange(0, len(chosen) + 1), self.text())
        if rng.random() < 0.1:
            chosen += [None, "重复"] + chosen[:1]
        return chosen

    def rows(self, name: str) -> list[str]:
        rng = self.rng
        header = self.header(name)
        width = max(len(header), 1)
        out = list(craft.grid_rows([header]))
        for r in range(2, rng.randrange(2, 40)):
            cells = "".join(craft.cell(f"{craft.letters(c)}{r}", self.value())
                            for c in range(1, width + rng.randrange(0, 3)) if rng.random() < 0.85)
            out.append(f'<row r="{r}">{cells}</row>')
        kind = rng.random()
        if kind < 0.08:  # a cell far away
            row, column = rng.choice((1_048_576, 200_000, 70_000, 5_000, 1_048_577)), rng.choice((16_384, 702, 101, 30, 5))
            out.append(f'<row r="{row}"><c r="{craft.letters(column)}{row}"><v>1</v></c></row>')
        elif kind < 0.12:  # rows out of order
            rng.shuffle(out)
        elif kind < 0.16:  # cells without positions
            out.append("<row>" + "<c><v>1</v></c>" * rng.choice((3, 99, 101, 500)) + "</row>")
        elif kind < 0.18:  # a malformed position
            out.append(f'<row r="50"><c r="{rng.choice(("A", "1", "$A$1", "A1B", "AAAAAAAA1"))}"><v>1</v></c></row>')
        return out

    def workbook(self) -> bytes:
        rng = self.rng
        used: set[str] = set()
        sheets = {}
        if rng.random() < 0.25:  # a good 单位 sheet with stray columns: the import should succeed
            header = ["单位代码", "单位名称", "单位类型", "上级单位代码", *(self.text() for _ in range(rng.randrange(0, 3)))]
            rows = [header] + [[f"43{rng.randrange(1000, 9999)}", rng.choice(("荷塘区", "芦淞区", "石峰区")), "区县", None,
                                *(self.value() for _ in header[4:])] for _ in range(rng.randrange(1, 6))]
            sheets["单位"] = list(craft.sheet_xml(craft.grid_rows(rows), rng.choice((None, f"A1:{craft.letters(len(header))}{len(rows)}"))))
            used.add("单位")
        for _ in range(rng.randrange(0, 4)):
            name = self.sheet_name(used)
            used.add(name)
            rows = self.rows(name)
            dimension = rng.choice((None, None, "A1", "A1:XFD1048576", "A1:ZZ200000", "B2:A1", "A1:C3", "junk"))
            head = ""
            if rng.random() < 0.03:
                head = '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
                rows.append('<row r="99"><c r="A99" t="inlineStr"><is><t>&b;</t></is></c></row>')
            sheets[name] = list(craft.sheet_xml(rows, dimension, head))
        buffer = io.BytesIO()
        craft.write_xlsx(buffer, sheets)
        return self.tamper(buffer.getvalue())

    def tamper(self, data: bytes) -> bytes:
        rng = self.rng
        kind = rng.random()
        if kind < 0.05:
            return data[: rng.randrange(0, len(data))]
        if kind < 0.08:
            return rng.choice((b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"GIF89a", b"", b"PK\x05\x06")) + data[8:]
        if kind < 0.12:
            flipped = bytearray(data)
            at = rng.randrange(0, len(flipped))
            flipped[at] ^= 0xFF
            return bytes(flipped)
        if kind < 0.15:
            return lie_about_size(data, rng.choice((3_000_000_000, 1_200_000_000, 5)))
        return data


def craft_id(rng: random.Random) -> str:
    return "43020219" + f"{rng.randrange(70, 99)}{rng.randrange(1, 13):02d}{rng.randrange(1, 29):02d}" + \
        f"{rng.randrange(0, 1000):03d}" + rng.choice("0123456789X")


def lie_about_size(data: bytes, size: int) -> bytes:
    """The zip with its first central-directory entry claiming `size` uncompressed bytes."""
    out = bytearray(data)
    at = out.find(b"PK\x01\x02")
    if at >= 0:
        out[at + 24: at + 28] = min(size, 0xFFFFFFFE).to_bytes(4, "little")
    return bytes(out)


def counts(ledger: Ledger) -> tuple:
    return tuple(ledger.db.execute(f"select count(*) from {t}").fetchone()[0] for t in TABLES)


def folder_files(ledger: Ledger) -> set[str]:
    return {str(p) for p in ledger.path.parent.rglob("*") if p.is_file()} - {str(p) for p in _work(ledger).glob("*")}


def _work(ledger: Ledger) -> Path:
    return ledger.path.parent / "cases"


def test_a_thousand_malformed_workbooks_end_in_a_result_or_a_chinese_refusal(tmp_path):
    ledger = Ledger.create(tmp_path / "fuzz.db", "荷塘区人口计生局", 10, actor="fuzz")
    work = _work(ledger)
    work.mkdir()
    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    outcomes = {"ok": 0, "refused": 0}
    try:
        for seed in range(CASES):
            path = work / f"case{seed}.xlsx"
            path.write_bytes(Fuzz(seed).workbook())
            before_rows, before_files = counts(ledger), folder_files(ledger)
            try:
                import_workbook(ledger, path)
            except UserInputError as exc:
                assert CJK.search(str(exc)), f"seed {seed}: {exc!r}"
                assert counts(ledger) == before_rows, f"seed {seed}: rows written on refusal"
                assert folder_files(ledger) == before_files, f"seed {seed}: files left on refusal"
                outcomes["refused"] += 1
            except Exception as exc:  # noqa: BLE001 - the point of the test
                pytest.fail(f"seed {seed}: {type(exc).__name__}: {exc}")
            else:
                outcomes["ok"] += 1
            path.unlink()
    finally:
        ledger.close()
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak_before) / 1024
    assert grown_mb < 500, f"peak memory grew by {grown_mb:.0f} MB"
    assert outcomes["ok"] > 50 and outcomes["refused"] > 300, outcomes  # both roads are exercised


def test_malformed_workbooks_through_the_cli_in_500_mb(tmp_path):
    db = tmp_path / "台帐.db"
    Ledger.create(db, "荷塘区人口计生局", 10, actor="fuzz").close()
    Ledger.open(db).close()  # today's daily backup, taken on the first open, is not the import's
    rng = random.Random(14)
    # the seeds whose workbooks are the most hostile (far cells, lies), plus random ones
    seeds = [s for s in range(CASES) if b"XFD1048576" in Fuzz(s).workbook()][:CLI_CASES // 2]
    seeds += rng.sample(range(CASES, 10 * CASES), CLI_CASES - len(seeds))
    for seed in seeds:
        path = tmp_path / f"case{seed}.xlsx"
        path.write_bytes(Fuzz(seed).workbook())
        before = {p.name for p in tmp_path.rglob("*")}
        result = run_cli_limited("--db", str(db), "import", str(path), cwd=tmp_path)
        assert result.returncode in (0, 2), (seed, result.returncode, result.stderr[-1500:])
        assert "Traceback" not in result.stderr, (seed, result.stderr[-1500:])
        assert CJK.search(result.stdout + result.stderr), seed
        if result.returncode == 2:
            assert {p.name for p in tmp_path.rglob("*")} == before, seed
        path.unlink()
