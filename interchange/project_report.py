"""A project's data dependency report for the bureau (项目数据依赖报告, XLSX, R12).

One workbook per project, Chinese headers, five sheets:
- 项目概况: the project, its owner, the acceptance verdict and its counts;
- 供给清单: each declared entry with every acceptance check (已编目 已汇聚 在线服务 数据问题 按周期更新);
- 依赖资源: the resources it uses, their providers and services;
- 下游使用: for each declared entry, who uses it (services, grants, scenarios, agencies, projects);
- 验收问题: every reason it is not acceptable, in Chinese and English.

`build_report` gathers it from the same rules GraphQL answers from (`sharing.acceptance`,
`sharing.impact`); `write_report` writes it. Used by `GET /projects/{code}/report.xlsx`
and `catalog project-report CODE --out FILE`.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO, Any

import openpyxl
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from graph.model import Direction, Label, Node, Rel
from graph.store import GraphStore
from sharing.acceptance import Acceptance, Check, CheckStatus, Verdict, assess
from sharing.impact import Impact, impact, live
from sharing.terms import Level, ProjectStage, ServiceKind, ServiceStatus, SharingType, Term, UpdateCycle

SHEETS = ("项目概况", "供给清单", "依赖资源", "下游使用", "验收问题")
SUPPLY_HEADERS = ("序号", "信息资源代码", "信息资源名称", "提供方", "共享类型", "更新周期", "最近更新日期",
                  "应更新日期", "已编目", "已汇聚", "在线数据服务", "未解决数据问题", "按周期更新", "结论", "说明")
USES_HEADERS = ("序号", "信息资源代码", "信息资源名称", "提供方", "共享类型", "更新周期", "已汇聚",
                "在线服务数", "数据服务（类型、状态）")
USAGE_HEADERS = ("序号", "信息资源代码", "信息资源名称", "数据服务数", "授权数", "有效授权数", "应用场景数",
                 "完全中断场景数", "使用机构数", "依赖项目数")
PROBLEM_HEADERS = ("序号", "问题类型", "信息资源代码", "信息资源名称", "说明", "英文说明")

_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="2F6FDB")
_PASS_FILL = PatternFill("solid", fgColor="DDF3E4")
_FAIL_FILL = PatternFill("solid", fgColor="FBE0DE")
_YES = {CheckStatus.PASSED: "是", CheckStatus.FAILED: "否", CheckStatus.NOT_APPLICABLE: "不适用"}


@dataclass(frozen=True, slots=True)
class ProjectReport:
    project: Node
    owner: Node | None
    acceptance: Acceptance
    uses: list[tuple[Node, list[Node]]]  # each resource used, with its services
    usage: list[Impact]  # per declared entry, what depends on it
    agencies: dict[str, Node]  # providers and the owner, by code

    @property
    def filename(self) -> str:
        return f"{self.project.key}-数据依赖报告-{self.acceptance.as_of.isoformat()}.xlsx"


async def build_report(store: GraphStore, code: str, as_of: date) -> ProjectReport | None:
    """The report of one project, or None if there is no such project."""
    (project,) = await store.get_nodes(Label.PROJECT, [code])
    if project is None:
        return None
    (acceptance,) = await assess(store, [project], as_of)
    (used,) = await store.neighbors(Label.PROJECT, [code], Rel.DEPENDS_ON, Direction.OUT)
    services = await store.neighbors(Label.RESOURCE, [r.key for r in used], Rel.MOUNTED_ON, Direction.IN)
    usage = [u for u in [await impact(store, e.resource.ref) for e in acceptance.entries] if u is not None]
    codes = {str(project.get("ownerCode"))} | {str(r.get("providerCode")) for r in used}
    codes |= {str(e.resource.get("providerCode")) for e in acceptance.entries}
    agencies = {a.key: a for a in await store.get_nodes(Label.AGENCY, sorted(codes)) if a is not None}
    return ProjectReport(project, agencies.get(str(project.get("ownerCode"))), acceptance,
                         list(zip(used, services, strict=True)), usage, agencies)


def write_report(report: ProjectReport, target: Path | IO[bytes]) -> None:
    book = openpyxl.Workbook()
    overview = book.active
    assert overview is not None
    overview.title = SHEETS[0]
    _overview(overview, report)
    _table(book.create_sheet(SHEETS[1]), SUPPLY_HEADERS, _supply_rows(report), verdict_column=14)
    _table(book.create_sheet(SHEETS[2]), USES_HEADERS, _uses_rows(report))
    _table(book.create_sheet(SHEETS[3]), USAGE_HEADERS, _usage_rows(report))
    _table(book.create_sheet(SHEETS[4]), PROBLEM_HEADERS, _problem_rows(report))
    book.save(target)


def report_bytes(report: ProjectReport) -> bytes:
    buffer = io.BytesIO()
    write_report(report, buffer)
    return buffer.getvalue()


def _label(term: type[Term], value: Any) -> str:
    return term(value).label_zh if value in term.__members__ else str(value or "")


def _name(report: ProjectReport, code: Any) -> str:
    agency = report.agencies.get(str(code))
    return str(agency.get("name")) if agency else str(code or "")


def _overview(sheet: Worksheet, report: ProjectReport) -> None:
    p, a = report.project, report.acceptance
    passed = sum(1 for e in a.entries if e.passed)
    owner = report.owner
    rows: list[tuple[str, Any]] = [
        ("项目代码", p.key),
        ("项目名称", p.get("name")),
        ("建设单位", owner.get("name") if owner else p.get("ownerCode")),
        ("建设单位层级", _label(Level, owner.get("level")) if owner else ""),
        ("项目阶段", _label(ProjectStage, p.get("stage"))),
        ("评估日期", a.as_of.isoformat()),
        ("验收结论", a.verdict.label_zh),
        ("供给清单资源数", len(a.entries)),
        ("通过检查的资源数", passed),
        ("未通过检查的资源数", len(a.entries) - passed),
        ("不予验收原因数", len(a.reasons)),
        ("依赖资源数", len(report.uses)),
        ("依据", "《山东省公共数据共享工作细则（试行）》：项目立项前申报供给清单，验收前按清单提供数据；"
                "未提供数据、数据质量差或未按时更新的，不予验收"),
    ]
    _table(sheet, ("项目", "内容"), rows)
    verdict = sheet.cell(row=8, column=2)
    verdict.fill = _PASS_FILL if a.verdict is Verdict.ACCEPTABLE else _FAIL_FILL
    verdict.font = Font(bold=True)
    sheet.column_dimensions["B"].width = 80


def _supply_rows(report: ProjectReport) -> list[Sequence[Any]]:
    rows: list[Sequence[Any]] = []
    for i, e in enumerate(report.acceptance.entries, start=1):
        r = e.resource
        failed = [c.zh for c in e.checks if c.status is CheckStatus.FAILED]
        rows.append((
            i, r.key, r.get("name"), _name(report, r.get("providerCode")), _label(SharingType, r.get("sharingType")),
            _label(UpdateCycle, r.get("updateCycle")),
            e.last_updated.isoformat() if e.last_updated else "", e.due.isoformat() if e.due else "",
            _YES[e.status(Check.CATALOGUED)], _YES[e.status(Check.AGGREGATED)],
            "、".join(s.key for s in e.live_services) or _YES[e.status(Check.SERVICE_PUBLISHED)],
            len(e.facts.open_issues), _YES[e.status(Check.UPDATED_ON_CYCLE)],
            "通过" if e.passed else "未通过", "；".join(failed),
        ))
    return rows


def _uses_rows(report: ProjectReport) -> list[Sequence[Any]]:
    rows: list[Sequence[Any]] = []
    for i, (r, services) in enumerate(report.uses, start=1):
        listed = "；".join(
            f"{s.key} {_label(ServiceKind, s.get('kind'))} {_label(ServiceStatus, s.get('status'))}" for s in services
        )
        rows.append((
            i, r.key, r.get("name"), _name(report, r.get("providerCode")), _label(SharingType, r.get("sharingType")),
            _label(UpdateCycle, r.get("updateCycle")), "是" if r.get("aggregated") else "否",
            sum(1 for s in services if live(s)), listed,
        ))
    return rows


def _usage_rows(report: ProjectReport) -> list[Sequence[Any]]:
    return [
        (i, u.target.key, u.target.get("name"), len(u.services), len(u.grants), len(u.active_grants),
         len(u.scenarios), sum(1 for s in u.scenarios if s.dark), len(u.agencies), len(u.projects))
        for i, u in enumerate(report.usage, start=1)
    ]


def _problem_rows(report: ProjectReport) -> list[Sequence[Any]]:
    return [
        (i, r.problem.label_zh, r.resource.key if r.resource else "", r.resource.get("name") if r.resource else "",
         r.zh, r.en)
        for i, r in enumerate(report.acceptance.reasons, start=1)
    ]


def _table(sheet: Worksheet, headers: Sequence[str], rows: Sequence[Sequence[Any]],
           verdict_column: int | None = None) -> None:
    sheet.append(list(headers))
    for cell in sheet[1]:
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(vertical="center")
    for row in rows:
        sheet.append(list(row))
    widths = [_width(h) for h in headers]
    for row in rows:
        for j, value in enumerate(row):
            widths[j] = max(widths[j], min(_width(str(value if value is not None else "")), 60))
    for j, w in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(j)].width = w + 2
    if verdict_column is not None:
        for (cell,) in sheet.iter_rows(min_row=2, min_col=verdict_column, max_col=verdict_column):
            cell.fill = _PASS_FILL if cell.value == "通过" else _FAIL_FILL
    sheet.freeze_panes = "A2"
    if rows:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(rows) + 1}"


def _width(text: str) -> int:
    """Column width in Excel units: a CJK character counts two."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)
