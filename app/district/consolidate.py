"""Consolidating the townships' export packages (汇总, DOMAIN.md §10, INTERFACES.md §7).

A district office's ledger holds its unit tree (the district and its townships); each township
brings its period's export package (app/exchange/period_package.py) on a USB stick.

Verification (`inspect`; every failure is named, in Chinese, with the package's folder):
- the folder has `manifest.json` of format `fpledger-export/1` with an audit head (`audit_head`
  {rows, hash}); every file it lists is there with its size and SHA-256 (a changed byte fails);
- `figures.json` is listed, of format `fpledger-figures/1` with counts `fpledger-counts/1`, of
  the ledger and period the manifest names, and holds the period's counts of its root;
- the period is the one consolidated: same code AND the same dates in this ledger's
  statistical year (a township counting another statistical year is another period);
- its root unit code is a township of this ledger: one of the units the district's forms list
  (the root's direct children; the roots when the tree has several) on the period's end;
- one package per township: two packages of one township both fail.
The manifest has no hash of its own: a package whose manifest and files were rewritten together
cannot be told from a genuine one offline. What the district can do is keep the manifest's
SHA-256 and the township's audit head with the receipt: the township can later prove the
package came from its ledger (`fpledger audit-verify --anchor manifest.json`), and a
resubmission whose audit log is SHORTER than the earlier package's (a ledger restored to an
older backup, or another file) is flagged.

Consolidation (`consolidate`) refuses the whole run when any package fails (UserInputError,
nothing written). Townships of the tree without a package are `missing_units`; every form of such a run says so
in a note (their rows are zeros that are not figures). The district's
figures are computed from the packages' SUMMED counts by app/stats/summed.py (rates recomputed
from the sums by the same code as a ledger's own; never averaged), for the period and — from
the packages' previous-year counts — for the same period last year; the forms, the §3 report,
figures.json and the analysis draft come from those figures as for any period
(app/exchange/period_package.assemble). Each township's children (villages) are placed in the
district's tree: at the unit of the same code under that township when the tree has it, else
added under the township for the forms (the package names their kind). Last year's figures use
each township's own previous-year total only.

Recording: each verified package is kept in `received_packages` (migration 0012) with who, when,
the folder, every hash, the audit head and the package's figures.json, in one audited
transaction per package (`接收数据包`). A package of a township already recorded for the period
with another manifest is a resubmission (重报): it replaces the earlier row, and the audit entry
(`重报数据包`) holds the changed figures (`differences`: the township's §3 figures that differ,
before → after) — also shown to the clerk. The same package again changes nothing.
Needs the `consolidate` permission (checked first, before any file is read).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from app import units
from app.errors import UserInputError
from app.exchange import period_package
from app.exchange.export_package import FORMAT as EXPORT_FORMAT
from app.exchange.export_package import MANIFEST, sha256_of
from app.periods import Period
from app.stats import counts as counts_mod
from app.stats.period_figures import PeriodFigures
from app.stats.summed import summed_figures

RECEIVED, MISSING, FAILED, RESUBMITTED = "已收到", "未收到", "校验失败", "重报"
RECEIVE_ACTION = "接收数据包"
RESUBMIT_ACTION = "重报数据包"
_DIFF_SKIP = {"previous_year", "change", "closed", "source", "as_of", "label", "unit_name", "stat_year_start"}


class ConsolidationRefused(UserInputError):
    """One or more packages failed verification; `errors` lists each, nothing was written."""

    def __init__(self, message: str, errors: list[str]) -> None:
        super().__init__(message)
        self.errors = errors


@dataclass
class Inspection:
    """What one package folder holds and whether it passed (see the module rules)."""

    folder: Path
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    unit_code: str | None = None
    unit_name: str | None = None
    manifest: dict | None = None
    figures: dict | None = None
    manifest_sha256: str | None = None
    files: dict[str, str] = field(default_factory=dict)
    recorded: dict | None = None           # the row already received for this township and period
    differences: list[dict] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def same_as_recorded(self) -> bool:
        return self.recorded is not None and self.recorded["manifest_sha256"] == self.manifest_sha256

    @property
    def status(self) -> str:
        if not self.ok:
            return FAILED
        if self.recorded is not None and not self.same_as_recorded:
            return RESUBMITTED
        return RECEIVED

    def counts(self, block: str = "period") -> list[dict]:
        return ((self.figures or {}).get("counts") or {}).get(block, {}).get("units", [])

    def summary(self) -> dict[str, Any]:
        return {"folder": str(self.folder), "unit": self.unit_code, "name": self.unit_name,
                "status": self.status, "problems": self.problems, "warnings": self.warnings,
                "manifest_sha256": self.manifest_sha256, "files": self.files,
                "audit_head": (self.manifest or {}).get("audit_head"),
                "exported_at": (self.manifest or {}).get("created_at"),
                "closed": (self.figures or {}).get("closed"), "differences": self.differences,
                "same_as_recorded": self.same_as_recorded}


@dataclass
class Survey:
    """Every package folder inspected against the tree, and the townships without one."""

    period: Period
    tree: list[units.Unit]
    townships: list[units.Unit]
    inspections: list[Inspection]
    missing: list[units.Unit]

    @property
    def ok(self) -> bool:
        return all(i.ok for i in self.inspections)

    def rows(self) -> list[dict[str, Any]]:
        """One row per township (status 已收到 / 重报 / 校验失败 / 未收到), then failed folders of
        no known township."""
        by_code: dict[str | None, list[Inspection]] = {}
        for inspection in self.inspections:
            by_code.setdefault(inspection.unit_code, []).append(inspection)
        out = []
        for township in self.townships:
            listed = by_code.pop(township.code, [])
            for inspection in listed:
                out.append(inspection.summary() | {"name": township.name})
            if not listed:
                out.append({"folder": None, "unit": township.code, "name": township.name, "status": MISSING,
                            "problems": [], "warnings": [], "differences": []})
        for rest in by_code.values():
            out.extend(inspection.summary() for inspection in rest)
        return out


@dataclass
class Consolidation:
    period: Period
    survey: Survey
    current: PeriodFigures
    previous: PeriodFigures
    package: period_package.PeriodPackage
    report: dict[str, Any]
    packages: list[dict[str, Any]]
    missing_units: list[dict[str, str]]
    warnings: list[str]
    draft: str

    def document(self) -> dict[str, Any]:
        """`fpledger consolidate --json`: the district's §3 report plus packages, missing units."""
        return self.report | {"packages": self.packages, "missing_units": self.missing_units,
                              "warnings": self.warnings}


# ---- the tree ---------------------------------------------------------------------------------------
def townships_of(tree: list[units.Unit]) -> list[units.Unit]:
    """The units the district's forms list: the root's direct children (the roots if several)."""
    ids = {u.id for u in tree}
    roots = [u for u in tree if u.parent_id is None or u.parent_id not in ids]
    if len(roots) != 1:
        return roots
    return units.children_map(tree).get(roots[0].id, [])


def package_folders(root: str | Path) -> list[Path]:
    """The package folders in `root` (a USB stick or a folder): `root` itself when it holds a
    manifest.json, else each folder directly in it (or one level further) that holds one."""
    root = Path(root)
    if (root / MANIFEST).is_file():
        return [root]
    found: list[Path] = []
    for child in sorted(p for p in root.iterdir() if p.is_dir()) if root.is_dir() else []:
        if (child / MANIFEST).is_file():
            found.append(child)
            continue
        try:
            found += sorted(g for g in child.iterdir() if g.is_dir() and (g / MANIFEST).is_file())
        except OSError:      # e.g. a stick's "System Volume Information"
            continue
    return found


# ---- reading one package ------------------------------------------------------------------------------
def _read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _check_files(folder: Path, manifest: dict, inspection: Inspection) -> None:
    listed = manifest.get("files")
    if not isinstance(listed, list) or not listed:
        inspection.problems.append("manifest.json 中没有文件清单")
        return
    for entry in listed:
        name = entry.get("name") if isinstance(entry, dict) else None
        if not isinstance(name, str) or not name or ".." in Path(name).parts or Path(name).is_absolute():
            inspection.problems.append(f"清单中的文件名无效：{name!r}")
            continue
        path = folder / name
        if not path.is_file():
            inspection.problems.append(f"缺少清单中的文件 {name}")
            continue
        digest = sha256_of(path)
        if digest != entry.get("sha256") or path.stat().st_size != entry.get("size", path.stat().st_size):
            inspection.problems.append(f"文件 {name} 的 SHA-256 与清单不符（文件已损坏或被改动）")
            continue
        inspection.files[name] = digest


def _check_head(manifest: dict, inspection: Inspection) -> None:
    head = manifest.get("audit_head")
    if not (isinstance(head, dict) and isinstance(head.get("rows"), int) and isinstance(head.get("hash"), str)
            and len(head["hash"]) == 64):
        inspection.problems.append("manifest.json 没有有效的审计日志链头（audit_head），不是本软件导出的完整数据包")


def read_package(folder: str | Path, period: Period) -> Inspection:
    """Check one folder's files and documents (everything but the tree and duplicates)."""
    folder = Path(folder)
    inspection = Inspection(folder)
    manifest_path = folder / MANIFEST
    if not manifest_path.is_file():
        inspection.problems.append("没有 manifest.json（不是完整的导出数据包，或复制没有完成）")
        return inspection
    try:
        manifest = _read_json(manifest_path)
    except (OSError, ValueError) as exc:
        inspection.problems.append(f"manifest.json 无法读取或不是 JSON（{exc}）")
        return inspection
    if not isinstance(manifest, dict) or manifest.get("format") != EXPORT_FORMAT:
        found = manifest.get("format") if isinstance(manifest, dict) else None
        inspection.problems.append(f"manifest.json 的格式版本是 {found!r}，本软件只认 {EXPORT_FORMAT}")
        return inspection
    inspection.manifest = manifest
    inspection.manifest_sha256 = sha256_of(manifest_path)
    _check_head(manifest, inspection)
    _check_files(folder, manifest, inspection)
    if period_package.FIGURES not in {e.get("name") for e in manifest["files"] if isinstance(e, dict)}:
        inspection.problems.append("清单中没有 figures.json（旧版本导出的数据包，请乡镇用新版本重新导出）")
        return inspection
    if period_package.FIGURES not in inspection.files:   # its hash failed (said above): name it at least
        try:
            unit = (_read_json(folder / period_package.FIGURES).get("unit") or {})
            inspection.unit_code, inspection.unit_name = unit.get("code"), unit.get("name")
        except (OSError, ValueError, AttributeError):
            inspection.unit_code = manifest.get("unit")
        return inspection
    try:
        figures = _read_json(folder / period_package.FIGURES)
    except (OSError, ValueError) as exc:
        inspection.problems.append(f"figures.json 无法读取（{exc}）")
        return inspection
    if not isinstance(figures, dict) or figures.get("format") != period_package.FIGURES_FORMAT:
        inspection.problems.append(f"figures.json 的格式版本不是 {period_package.FIGURES_FORMAT}")
        return inspection
    inspection.figures = figures
    unit = figures.get("unit") or {}
    inspection.unit_code, inspection.unit_name = unit.get("code"), unit.get("name")
    counts = figures.get("counts") or {}
    if counts.get("format") != counts_mod.FORMAT:
        inspection.problems.append(f"figures.json 的计数格式不是 {counts_mod.FORMAT}")
    if figures.get("ledger_id") != manifest.get("ledger_id"):
        inspection.problems.append("figures.json 与 manifest.json 来自不同的台帐")
    if figures.get("period") != period.code or manifest.get("period") != period.code \
            or figures.get("start") != period.start.isoformat() or figures.get("end") != period.end.isoformat():
        inspection.problems.append(
            f"是统计期 {figures.get('period')}（{figures.get('start')} 至 {figures.get('end')}）的数据包，"
            f"不是 {period.code}（{period.start.isoformat()} 至 {period.end.isoformat()}）的")
    if not inspection.unit_code:
        inspection.problems.append("数据包没有乡镇单位代码（乡镇台帐没有唯一的根单位）：请乡镇用 --unit 指定本乡镇重新导出")
    elif manifest.get("unit") not in (None, inspection.unit_code):
        inspection.problems.append("manifest.json 与 figures.json 的单位代码不一致")
    rows = inspection.counts()
    if not rows or rows[0].get("role") != "root" or rows[0].get("counts") is None:
        inspection.problems.append("figures.json 中没有本期的计数（关账时未保存计数的旧快照），无法汇总")
    if figures.get("source") == "live_over_closed":
        inspection.warnings.append("该数据包是关账后按当前数据重新计算的，与乡镇已报送数不一致")
    elif not figures.get("closed"):
        inspection.warnings.append("乡镇尚未关账，数字以后可能还会变")
    previous = inspection.counts("previous_year")
    if not previous or previous[0].get("counts") is None:
        inspection.warnings.append("没有去年同期的计数，区县的同比不含该乡镇")
    return inspection


def _place(inspections: list[Inspection], tree: list[units.Unit], townships: list[units.Unit]) -> None:
    """The tree checks: a known township, one package each."""
    known = {u.code: u for u in tree}
    listed = {u.code for u in townships}
    seen: dict[str, Inspection] = {}
    for inspection in inspections:
        code = inspection.unit_code
        if code is None or inspection.figures is None:
            continue
        if code not in known:
            inspection.problems.append(f"单位代码 {code}（{inspection.unit_name}）不在本台帐的单位树中")
            continue
        if code not in listed:
            inspection.problems.append(f"单位 {known[code].name}（{code}）不是本台帐所辖的乡镇（街道）一级单位")
            continue
        inspection.unit_name = known[code].name
        if code in seen:
            other = seen[code]
            for a, b in ((inspection, other), (other, inspection)):
                a.problems.append(f"与 {b.folder} 是同一乡镇（{known[code].name}）的数据包；每个乡镇只能交一个")
        else:
            seen[code] = inspection


# ---- recorded packages -----------------------------------------------------------------------------------
def received(ledger: Any, period_code: str) -> list[dict[str, Any]]:
    """The packages recorded for the period (one per township), oldest receipt first."""
    period = Period.parse(period_code, ledger.stat_year_start)
    rows = ledger.db.execute("select * from received_packages where period = ? order by received_at, unit_code",
                             [period.code])
    names = [d[0] for d in rows.description]
    out = []
    for row in rows.fetchall():
        item = dict(zip(names, row, strict=True))
        for key in ("files", "audit_head", "figures"):
            item[key] = json.loads(item[key]) if item[key] else None
        out.append(item)
    return out


def _flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, inner in value.items():
            if not prefix and key in _DIFF_SKIP:
                continue
            out |= _flatten(inner, f"{prefix}{key}.")
        return out
    if isinstance(value, list):
        out = {}
        for index, inner in enumerate(value):
            label = inner.get("code") if isinstance(inner, dict) and inner.get("code") else str(index)
            out |= _flatten(inner, f"{prefix}{label}.")
        return out
    return {prefix[:-1]: value}


def differences(before: dict | None, after: dict | None) -> list[dict[str, Any]]:
    """The township's §3 figures that differ between two figures.json documents."""
    a = _flatten((before or {}).get("report") or {})
    b = _flatten((after or {}).get("report") or {})
    return [{"figure": key, "before": a.get(key), "after": b.get(key)}
            for key in sorted(set(a) | set(b)) if a.get(key) != b.get(key)]


def inspect(ledger: Any, period_code: str, folders: list[str | Path]) -> Survey:
    """Read and verify every folder (writes nothing); see the module rules."""
    ledger.require("consolidate")
    period = Period.parse(period_code, ledger.stat_year_start)
    tree = units.units_on(ledger.db, period.end)
    townships = townships_of(tree)
    unique: dict[Path, Path] = {}
    for folder in folders:
        unique.setdefault(Path(folder).resolve(), Path(folder))
    inspections = [read_package(folder, period) for folder in unique.values()]
    _place(inspections, tree, townships)
    recorded = {r["unit_code"]: r for r in received(ledger, period.code)}
    for inspection in inspections:
        earlier = recorded.get(inspection.unit_code)
        if inspection.ok and earlier is not None:
            inspection.recorded = earlier
            if not inspection.same_as_recorded:
                inspection.differences = differences(earlier["figures"], inspection.figures)
                _compare_heads(earlier, inspection)
    have = {i.unit_code for i in inspections if i.ok}
    missing = [u for u in townships if u.code not in have]
    return Survey(period, tree, townships, inspections, missing)


def _compare_heads(earlier: dict, inspection: Inspection) -> None:
    before, after = earlier.get("audit_head") or {}, (inspection.manifest or {}).get("audit_head") or {}
    if earlier.get("ledger_id") != (inspection.manifest or {}).get("ledger_id"):
        inspection.warnings.append("重报的数据包来自另一个台帐文件（台帐编号不同）")
    elif isinstance(before.get("rows"), int) and after.get("rows", 0) < before["rows"]:
        inspection.warnings.append(f"重报数据包的审计日志（{after.get('rows')} 条）比上次（{before['rows']} 条）短："
                                   "乡镇台帐可能被还原到了较早的备份")


def refusal(survey: Survey) -> ConsolidationRefused:
    errors = [f"{i.folder}：{'；'.join(i.problems)}" for i in survey.inspections if not i.ok]
    return ConsolidationRefused("汇总未进行，没有写入任何内容。以下数据包未通过校验：\n" + "\n".join(errors), errors)


# ---- consolidating ---------------------------------------------------------------------------------------
def _graft(tree: list[units.Unit], inspections: list[Inspection], warnings: list[str]) -> tuple[list, dict, dict]:
    """The tree with each township's children placed, and the counts given per unit id for the
    period and for last year (see the module rules)."""
    tree = list(tree)
    by_code = {u.code: u for u in tree}
    kids = units.children_map(tree)
    given: dict[int, dict] = {}
    given_previous: dict[int, dict] = {}
    next_id = -1
    for inspection in inspections:
        assert inspection.unit_code is not None, "only verified packages are consolidated"
        township = by_code[inspection.unit_code]
        root, *children = inspection.counts()
        given[township.id] = root["counts"]
        previous = inspection.counts("previous_year")
        if previous and previous[0].get("counts") is not None:
            given_previous[township.id] = previous[0]["counts"]
        under = {u.code for u in kids.get(township.id, [])}
        for row in children:
            if row.get("counts") is None or not row.get("code"):
                continue
            code = row["code"]
            if code in under:
                given[by_code[code].id] = row["counts"]
            elif code in by_code:
                warnings.append(f"{township.name}的下级单位 {row.get('name')}（{code}）在本台帐中属于其他单位，"
                                f"其数字只计入{township.name}合计")
            else:
                unit = units.Unit(next_id, code, row.get("name") or code, row.get("kind") or "村", township.id)
                next_id -= 1
                tree.append(unit)
                by_code[code] = unit
                given[unit.id] = row["counts"]
    return tree, given, given_previous


def _settings_warnings(ledger: Any, inspections: list[Inspection]) -> list[str]:
    out = []
    on = (ledger.setting("long_acting_enabled", "1") or "1") != "0"
    months = ledger.setting("long_acting_months", "4") or "4"
    for inspection in inspections:
        la = ((inspection.figures or {}).get("report") or {}).get("long_acting") or {}
        if la and (la.get("enabled") != on or (on and str(la.get("months")) != str(months))):
            out.append(f"{inspection.unit_name}的长效节育措施指标设置（{'开' if la.get('enabled') else '关'}，"
                       f"{la.get('months')} 个月）与本台帐（{'开' if on else '关'}，{months} 个月）不同，"
                       "汇总按本台帐的设置成表")
    return out


def consolidate(ledger: Any, period_code: str, folders: list[str | Path], *, allow_missing: bool = False,
                record: bool = True) -> Consolidation:
    """Verify, consolidate and (with `record`) record the packages; see the module rules.

    Raises ConsolidationRefused (nothing written) when a package fails. `allow_missing` only
    marks that missing townships are accepted; they are listed either way."""
    from app.analysis import half_year_draft

    survey = inspect(ledger, period_code, folders)
    if not survey.ok:
        raise refusal(survey)
    if not survey.inspections:
        raise UserInputError("没有指定数据包文件夹。")
    period = survey.period
    warnings: list[str] = [f"{i.unit_name}：{w}" for i in survey.inspections for w in i.warnings]
    warnings += _settings_warnings(ledger, survey.inspections)
    tree, given, given_previous = _graft(survey.tree, survey.inspections, warnings)
    current = summed_figures(ledger.db, period, tree, given)
    previous = summed_figures(ledger.db, period.previous_year(), tree, given_previous)
    package = period_package.assemble(ledger, period, current, previous)
    if record:
        _record(ledger, survey)
    stamp = {r["unit_code"]: r for r in received(ledger, period.code)} if record else {}
    packages = []
    for inspection in survey.inspections:
        row = stamp.get(inspection.unit_code) or {}
        packages.append({"unit": inspection.unit_code, "name": inspection.unit_name, "folder": str(inspection.folder),
                         "status": inspection.status, "manifest_sha256": inspection.manifest_sha256,
                         "files": inspection.files, "audit_head": (inspection.manifest or {}).get("audit_head"),
                         "received_at": row.get("received_at"), "received_by": row.get("received_by"),
                         "differences": inspection.differences})
    missing = [{"code": u.code, "name": u.name} for u in survey.missing]
    if missing:   # a township without a package shows blank-base zeros: every form says why
        note = f"未交数据包的乡镇（街道）：{'、'.join(u['name'] for u in missing)}，本表合计不含其数字。"
        for form in package.forms:
            form.notes = [*form.notes, note]
    if missing and not allow_missing:
        warnings.insert(0, f"还有 {len(missing)} 个乡镇（街道）没有交数据包：" + "、".join(u["name"] for u in missing))
    draft = half_year_draft(ledger.db, period.code, package.report.get("unit"), figures=package.report, targets=False)
    return Consolidation(period, survey, current, previous, package, package.report, packages, missing,
                         warnings, draft)


def _record(ledger: Any, survey: Survey) -> None:
    now = datetime.now().astimezone().isoformat(timespec="seconds")
    for inspection in survey.inspections:
        if inspection.same_as_recorded:
            continue
        manifest, figures = inspection.manifest or {}, inspection.figures or {}
        values = {"period": survey.period.code, "unit_code": inspection.unit_code, "unit_name": inspection.unit_name,
                  "ledger_id": manifest.get("ledger_id"), "office": manifest.get("office"),
                  "folder": str(inspection.folder), "manifest_sha256": inspection.manifest_sha256,
                  "files": json.dumps(inspection.files, ensure_ascii=False),
                  "audit_head": json.dumps(manifest.get("audit_head"), ensure_ascii=False),
                  "figures": json.dumps(figures, ensure_ascii=False), "closed": 1 if figures.get("closed") else 0,
                  "source": figures.get("source"), "exported_at": manifest.get("created_at"),
                  "received_at": now, "received_by": ledger.actor_name}
        key = f"{survey.period.code}/{inspection.unit_code}"
        receipt = {"unit": inspection.unit_code, "name": inspection.unit_name, "folder": str(inspection.folder),
                   "manifest_sha256": inspection.manifest_sha256, "audit_head": manifest.get("audit_head"),
                   "files": inspection.files}
        earlier = inspection.recorded
        if earlier is None:
            with ledger.write(RECEIVE_ACTION, "received_package", key, after=receipt) as db:
                db.execute(f"insert into received_packages ({', '.join(values)}) values "
                           f"({', '.join(':' + k for k in values)})", values)
        else:
            before = {"manifest_sha256": earlier["manifest_sha256"], "files": earlier["files"],
                      "audit_head": earlier["audit_head"], "received_at": earlier["received_at"]}
            after = receipt | {"differences": inspection.differences or "数字无变化"}
            with ledger.write(RESUBMIT_ACTION, "received_package", key, before=before, after=after) as db:
                db.execute(f"update received_packages set {', '.join(f'{k} = :{k}' for k in values)},"
                           " resubmissions = resubmissions + 1 where period = :period and unit_code = :unit_code",
                           values)


def write_forms(ledger: Any, result: Consolidation, out_dir: str | Path, progress=None) -> dict[str, Any]:
    """The district's package (forms, figures.json, DHIS2 file, manifest) written as `export` does;
    the manifest lists the township packages it was consolidated from."""
    sources = [{"unit": p["unit"], "manifest_sha256": p["manifest_sha256"]} for p in result.packages]
    return period_package.write(ledger, result.package, out_dir, progress=progress,
                                status={"consolidated_from": sources,
                                        "missing_units": [u["code"] for u in result.missing_units]})


__all__ = ["FAILED", "MISSING", "RECEIVED", "RESUBMITTED", "Consolidation", "ConsolidationRefused", "Inspection",
           "Survey", "consolidate", "differences", "inspect", "package_folders", "read_package", "received", "refusal",
           "townships_of", "write_forms"]
