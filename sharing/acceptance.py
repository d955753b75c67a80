"""The acceptance gate of IT projects (项目验收数据条件, R12).

A government IT project declares its supply list (供给清单) before approval (立项) and must
have provided that data before acceptance (验收): "no data, bad quality or late updates
mean no acceptance and suspended funding". For each declared entry this module checks

- CATALOGUED 已编目: a published catalog entry (`publishedAt`) with data items, not retired;
- AGGREGATED 已汇聚: its data is aggregated onto the sharing platform (R6);
- SERVICE_PUBLISHED 已发布服务: a data service mounted on it is online (PUBLISHED, or
  CHANGED: published and since changed); not applicable to 不予共享 (no service is due);
- NO_OPEN_QUALITY_ISSUES 无未解决数据问题: no open `QualityIssue` names it (`resourceCode`, R7);
- UPDATED_ON_CYCLE 按周期更新: its last update (`updatedAt`, else `publishedAt`) plus its
  update cycle (`CYCLE_DAYS`) is not before the day assessed; not applicable to 不定期;

and gives the verdict ACCEPTABLE only when every check of every entry passes (and at least
one entry is declared), with each failure as a reason in Chinese and English. The rules are
pure functions of the facts (`judge`); `assess` gathers the facts of many projects in a
fixed number of batched store reads.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta, timezone
from enum import StrEnum

from graph.model import Direction, Label, Node, Rel
from graph.store import GraphStore
from sharing.clock import SystemClock
from sharing.impact import live
from sharing.terms import Level, ProjectStage, SharingType, UpdateCycle

CHINA = timezone(timedelta(hours=8), "Asia/Shanghai")

# How many days an update may be old for each cycle (更新周期允许的间隔天数).
CYCLE_DAYS: dict[UpdateCycle, int | None] = {
    UpdateCycle.REALTIME: 1,
    UpdateCycle.DAILY: 1,
    UpdateCycle.WEEKLY: 7,
    UpdateCycle.MONTHLY: 31,
    UpdateCycle.QUARTERLY: 92,
    UpdateCycle.YEARLY: 366,
    UpdateCycle.IRREGULAR: None,  # no cycle to be late against
}
# States of a quality issue that close it; any other state (or none) is open (R7).
CLOSED_ISSUE_STATES = frozenset({"VERIFIED", "RESOLVED", "CLOSED", "DISMISSED", "WITHDRAWN"})
# The stages in which a failing acceptance is a risk to the project (在建、验收中).
AT_RISK_STAGES = (ProjectStage.ACCEPTANCE, ProjectStage.BUILDING)


def today() -> date:
    """Today in China (the platform's calendar day)."""
    return SystemClock().now().date()


class Verdict(StrEnum):
    """验收结论."""

    ACCEPTABLE = "ACCEPTABLE"  # 符合验收数据条件
    NOT_ACCEPTABLE = "NOT_ACCEPTABLE"  # 不符合验收数据条件

    @property
    def label_zh(self) -> str:
        return "符合验收数据条件" if self is Verdict.ACCEPTABLE else "不符合验收数据条件"


class Check(StrEnum):
    """One data condition of a declared supply entry (验收检查项)."""

    CATALOGUED = "CATALOGUED"
    AGGREGATED = "AGGREGATED"
    SERVICE_PUBLISHED = "SERVICE_PUBLISHED"
    NO_OPEN_QUALITY_ISSUES = "NO_OPEN_QUALITY_ISSUES"
    UPDATED_ON_CYCLE = "UPDATED_ON_CYCLE"

    @property
    def label_zh(self) -> str:
        return _CHECK_ZH[self]


_CHECK_ZH = {
    Check.CATALOGUED: "已编目",
    Check.AGGREGATED: "已汇聚",
    Check.SERVICE_PUBLISHED: "已发布服务",
    Check.NO_OPEN_QUALITY_ISSUES: "无未解决数据问题",
    Check.UPDATED_ON_CYCLE: "按周期更新",
}


class CheckStatus(StrEnum):
    """检查结果."""

    PASSED = "PASSED"  # 通过
    FAILED = "FAILED"  # 未通过
    NOT_APPLICABLE = "NOT_APPLICABLE"  # 不适用

    @property
    def label_zh(self) -> str:
        return {"PASSED": "通过", "FAILED": "未通过", "NOT_APPLICABLE": "不适用"}[self.value]


class Problem(StrEnum):
    """Why a project is not acceptable (不予验收原因)."""

    NO_SUPPLY_LIST = "NO_SUPPLY_LIST"  # 未申报供给清单
    NOT_CATALOGUED = "NOT_CATALOGUED"  # 未编目
    NOT_AGGREGATED = "NOT_AGGREGATED"  # 未汇聚
    NO_PUBLISHED_SERVICE = "NO_PUBLISHED_SERVICE"  # 无在线服务
    OPEN_QUALITY_ISSUES = "OPEN_QUALITY_ISSUES"  # 有未解决数据问题
    UPDATE_OVERDUE = "UPDATE_OVERDUE"  # 未按周期更新

    @property
    def label_zh(self) -> str:
        return _PROBLEM_ZH[self]


_PROBLEM_ZH = {
    Problem.NO_SUPPLY_LIST: "未申报供给清单",
    Problem.NOT_CATALOGUED: "未编目",
    Problem.NOT_AGGREGATED: "未汇聚",
    Problem.NO_PUBLISHED_SERVICE: "无在线服务",
    Problem.OPEN_QUALITY_ISSUES: "有未解决数据问题",
    Problem.UPDATE_OVERDUE: "未按周期更新",
}
_PROBLEM_OF = {
    Check.CATALOGUED: Problem.NOT_CATALOGUED,
    Check.AGGREGATED: Problem.NOT_AGGREGATED,
    Check.SERVICE_PUBLISHED: Problem.NO_PUBLISHED_SERVICE,
    Check.NO_OPEN_QUALITY_ISSUES: Problem.OPEN_QUALITY_ISSUES,
    Check.UPDATED_ON_CYCLE: Problem.UPDATE_OVERDUE,
}


@dataclass(frozen=True, slots=True)
class SupplyFacts:
    """What the catalog knows of one declared entry."""

    resource: Node
    field_count: int
    services: list[Node]
    open_issues: list[Node]


@dataclass(frozen=True, slots=True)
class CheckResult:
    check: Check
    status: CheckStatus
    zh: str
    en: str


@dataclass(frozen=True, slots=True)
class EntryResult:
    """The checks of one declared supply entry."""

    facts: SupplyFacts
    checks: list[CheckResult]
    last_updated: date | None
    due: date | None  # the day by which the next update was due

    @property
    def resource(self) -> Node:
        return self.facts.resource

    @property
    def passed(self) -> bool:
        return all(c.status is not CheckStatus.FAILED for c in self.checks)

    def status(self, check: Check) -> CheckStatus:
        return next(c.status for c in self.checks if c.check is check)

    @property
    def live_services(self) -> list[Node]:
        return [s for s in self.facts.services if live(s)]


@dataclass(frozen=True, slots=True)
class Reason:
    problem: Problem
    resource: Node | None
    zh: str
    en: str


@dataclass(frozen=True, slots=True)
class Acceptance:
    project: Node
    as_of: date
    entries: list[EntryResult]
    reasons: list[Reason]

    @property
    def verdict(self) -> Verdict:
        return Verdict.NOT_ACCEPTABLE if self.reasons else Verdict.ACCEPTABLE


def judge(project: Node, declared: Sequence[SupplyFacts], as_of: date) -> Acceptance:
    """The acceptance of a project from the facts of its declared entries (pure)."""
    entries = [_entry(f, as_of) for f in declared]
    reasons: list[Reason] = []
    if not entries:
        reasons.append(Reason(
            Problem.NO_SUPPLY_LIST, None,
            "项目未申报供给清单，不具备验收数据条件",
            "the project declared no supply list, so it cannot meet the data conditions",
        ))
    for entry in entries:
        r = entry.resource
        name = f"{r.get('name')}（{r.key}）"
        for c in entry.checks:
            if c.status is CheckStatus.FAILED:
                reasons.append(Reason(_PROBLEM_OF[c.check], r, f"{name}：{c.zh}", f"{r.key}: {c.en}"))
    return Acceptance(project, as_of, entries, reasons)


def _entry(f: SupplyFacts, as_of: date) -> EntryResult:
    r = f.resource
    checks = [_catalogued(f), _aggregated(r), _service(f)]
    if f.open_issues:
        n = len(f.open_issues)
        checks.append(CheckResult(Check.NO_OPEN_QUALITY_ISSUES, CheckStatus.FAILED,
                                  f"有 {n} 个未解决的数据问题", f"{n} open data quality issue(s)"))
    else:
        checks.append(CheckResult(Check.NO_OPEN_QUALITY_ISSUES, CheckStatus.PASSED,
                                  "无未解决的数据问题", "no open data quality issue"))
    timely, last, due = _updated(r, as_of)
    checks.append(timely)
    return EntryResult(f, checks, last, due)


def _catalogued(f: SupplyFacts) -> CheckResult:
    r = f.resource
    missing_zh, missing_en = [], []
    if r.get("retiredAt") or r.get("status") == "RETIRED":
        missing_zh.append("目录条目已撤销")
        missing_en.append("the catalog entry is retired")
    if not r.get("publishedAt"):
        missing_zh.append("目录条目未发布")
        missing_en.append("the catalog entry is not published")
    if f.field_count == 0:
        missing_zh.append("未编制信息项")
        missing_en.append("it has no data items")
    if missing_zh:
        return CheckResult(Check.CATALOGUED, CheckStatus.FAILED, "；".join(missing_zh), "; ".join(missing_en))
    return CheckResult(Check.CATALOGUED, CheckStatus.PASSED,
                       f"已编目，{f.field_count} 个信息项", f"catalogued with {f.field_count} data items")


def _aggregated(r: Node) -> CheckResult:
    if r.get("aggregated"):
        return CheckResult(Check.AGGREGATED, CheckStatus.PASSED, "已汇聚至共享平台", "aggregated onto the platform")
    why = r.get("notAggregatedReason")
    zh = "未汇聚至共享平台" + (f"（说明：{why}）" if why else "，且无书面说明")
    en = "not aggregated onto the platform" + (" (an explanation is on file)" if why else ", with no explanation")
    return CheckResult(Check.AGGREGATED, CheckStatus.FAILED, zh, en)


def _service(f: SupplyFacts) -> CheckResult:
    if f.resource.get("sharingType") == SharingType.NOT_SHARED.value:
        return CheckResult(Check.SERVICE_PUBLISHED, CheckStatus.NOT_APPLICABLE,
                           "不予共享资源无需发布数据服务", "not shared: no data service is expected")
    online = [s for s in f.services if live(s)]
    if online:
        codes = "、".join(s.key for s in online)
        return CheckResult(Check.SERVICE_PUBLISHED, CheckStatus.PASSED,
                           f"有 {len(online)} 个在线数据服务（{codes}）",
                           f"{len(online)} data service(s) online ({', '.join(s.key for s in online)})")
    if f.services:
        return CheckResult(Check.SERVICE_PUBLISHED, CheckStatus.FAILED,
                           f"挂接的 {len(f.services)} 个数据服务均已下线",
                           f"all {len(f.services)} mounted data service(s) are offline")
    return CheckResult(Check.SERVICE_PUBLISHED, CheckStatus.FAILED,
                       "未挂接任何数据服务", "no data service is mounted on it")


def _updated(r: Node, as_of: date) -> tuple[CheckResult, date | None, date | None]:
    try:
        cycle: UpdateCycle | None = UpdateCycle(str(r.get("updateCycle")))
    except ValueError:
        cycle = None
    recorded = _day(r.get("updatedAt"))
    last = recorded or _day(r.get("publishedAt"))
    days = CYCLE_DAYS.get(cycle) if cycle else None
    if cycle is None or days is None:
        label = cycle.label_zh if cycle else "未填写"
        return (CheckResult(Check.UPDATED_ON_CYCLE, CheckStatus.NOT_APPLICABLE,
                            f"更新周期为{label}，不按周期考核", "no regular update cycle to check"),
                last, None)
    if last is None:
        return (CheckResult(Check.UPDATED_ON_CYCLE, CheckStatus.FAILED,
                            f"无更新记录（更新周期{cycle.label_zh}）",
                            f"no update on record (cycle {cycle.value.lower()})"),
                None, None)
    due = last + timedelta(days=days)
    source_zh = "" if recorded else "（无更新记录，按发布日期计）"
    source_en = "last updated" if recorded else "published (no update on record)"
    if as_of <= due:
        return (CheckResult(Check.UPDATED_ON_CYCLE, CheckStatus.PASSED,
                            f"最近更新 {last}{source_zh}，更新周期{cycle.label_zh}，下次应于 {due} 前更新",
                            f"{source_en} {last}, cycle {cycle.value.lower()}, next update due by {due}"),
                last, due)
    late = (as_of - due).days
    return (CheckResult(Check.UPDATED_ON_CYCLE, CheckStatus.FAILED,
                        f"最近更新 {last}{source_zh}，更新周期{cycle.label_zh}，应于 {due} 前更新，已逾期 {late} 天",
                        f"{source_en} {last}, cycle {cycle.value.lower()}, update was due by {due}: "
                        f"{late} day(s) late"),
            last, due)


def _day(value: object) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


# --------------------------------------------------------------------------- gathering


async def assess(store: GraphStore, projects: Sequence[Node], as_of: date) -> list[Acceptance]:
    """The acceptance of each project, in the order given (four batched reads in all)."""
    codes = [p.key for p in projects]
    declared = await store.neighbors(Label.PROJECT, codes, Rel.DECLARES, Direction.OUT) if codes else []
    resources = sorted({r.key for rs in declared for r in rs})
    facts: dict[str, SupplyFacts] = {}
    if resources:
        fields = await store.count_neighbors(Label.RESOURCE, resources, Rel.HAS_FIELD, Direction.OUT)
        services = await store.neighbors(Label.RESOURCE, resources, Rel.MOUNTED_ON, Direction.IN)
        issues = await open_issues(store, resources)
        nodes = {r.key: r for rs in declared for r in rs}
        for code, fs, ss in zip(resources, fields, services, strict=True):
            facts[code] = SupplyFacts(nodes[code], fs, ss, issues.get(code, []))
    return [judge(p, [facts[r.key] for r in rs], as_of) for p, rs in zip(projects, declared, strict=True)]


async def open_issues(store: GraphStore, resources: Sequence[str]) -> dict[str, list[Node]]:
    """The open quality issues (R7) of each resource, by its `resourceCode`."""
    found: dict[str, list[Node]] = {}
    after: str | None = None
    while True:
        page = await store.find_nodes(Label.QUALITY_ISSUE, {"resourceCode": list(resources)},
                                      after=after, limit=1000)
        for issue in page.nodes:
            if str(issue.get("status") or "").upper() not in CLOSED_ISSUE_STATES:
                found.setdefault(str(issue.get("resourceCode")), []).append(issue)
        if not page.has_next:
            return found
        after = page.nodes[-1].key


async def at_risk(
    store: GraphStore,
    as_of: date,
    level: Level | None = None,
    stages: Sequence[ProjectStage] = AT_RISK_STAGES,
) -> tuple[list[Acceptance], int]:
    """Projects in `stages` (of owners at `level`) whose acceptance would fail today; and
    how many projects were checked. Projects in acceptance come first, then by code."""
    projects: list[Node] = []
    after: str | None = None
    while True:
        page = await store.find_nodes(Label.PROJECT, {"stage": [s.value for s in stages]}, after=after, limit=1000)
        projects += page.nodes
        if not page.has_next:
            break
        after = page.nodes[-1].key
    if level is not None:
        owners = await store.get_nodes(Label.AGENCY, sorted({str(p.get("ownerCode")) for p in projects}))
        at_level = {a.key for a in owners if a is not None and a.get("level") == level.value}
        projects = [p for p in projects if p.get("ownerCode") in at_level]
    rank = {s.value: i for i, s in enumerate(stages)}
    projects.sort(key=lambda p: (rank.get(str(p.get("stage")), len(rank)), p.key))
    judged = await assess(store, projects, as_of)
    return [a for a in judged if a.verdict is Verdict.NOT_ACCEPTABLE], len(projects)
