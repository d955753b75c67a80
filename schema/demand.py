"""Demand matching and the demand list (供需匹配与需求清单), R9 and R10.

`matchDemand` answers a list of needed items with candidates, a coverage plan and what is not
covered; `fileDemand` files the uncovered items as `Demand` entries. The objects here wrap the
results of `sharing.demand_matching`; catalog objects (fields, resources, agencies, services)
are the same GraphQL types as everywhere else.
"""

from __future__ import annotations

import json
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from graph.model import Label, Node
from resolvers.context import Info
from schema.enums import (
    ApprovalPath,
    DemandStatus,
    MatchReason,
    ProviderBasis,
    ServiceKind,
    SharingType,
    UncoveredReason,
)
from schema.node import NodeInterface
from search.confidence import MatchTier
from sharing.demand_answer import DemandAnswer
from sharing.demand_items import DemandProblem, IgnoredPart, IgnoredReason
from sharing.demand_matching import Candidate, DemandMatch, ItemMatch, PlannedField, PlannedResource, UncoveredItem
from sharing.working_days import CalendarWarning

if TYPE_CHECKING:
    from schema.agency import Agency
    from schema.field import Field
    from schema.resource import DataResource
    from schema.scenario import Scenario
    from schema.service import DataService

DEFAULT_CANDIDATES = 5
MAX_CANDIDATES = 100


strawberry.enum(
    MatchTier, name="MatchTier",
    description=(
        "匹配层级 / Band of the match score. EXACT: 完全一致或同义 exact or synonym; PHRASE: 名称包含检索词 "
        "name contains the text; WORD: 分词命中 word; PARTIAL: 部分字词 part of words; PINYIN: 拼音或首字母 "
        "pinyin or initials; TEXT: 仅描述命中 description only"
    ),
)
strawberry.enum(
    DemandAnswer, name="DemandAnswer",
    description=(
        "需求应答结果（R9）/ How a provider answered a demand (R9). ACCEPTED: 已受理 accepted; DECLINED: 不予受理 "
        "declined"
    ),
)
DemandAnswer.__strawberry_definition__.values[0].description = "已受理（指定或新编目资源）/ accepted"  # type: ignore[attr-defined]
DemandAnswer.__strawberry_definition__.values[1].description = "不予受理（附理由）/ declined with reasons"  # type: ignore[attr-defined]
strawberry.enum(
    IgnoredReason, name="IgnoredReason",
    description=(
        "片段被忽略的原因 / Why a fragment yielded no item. NO_TEXT: 只有标点、符号或表情 punctuation, "
        "symbols or emoji only; NUMBER_ONLY: 只有编号或数字 a bare number; DUPLICATE: 与前面的信息项重复 "
        "repeats an earlier item"
    ),
)


class DemandErrorCode(StrEnum):
    """Codes of the demand mutations' errors (需求登记错误代码)."""

    EMPTY_DEMAND = DemandProblem.EMPTY_DEMAND.value
    TOO_MANY_ITEMS = DemandProblem.TOO_MANY_ITEMS.value
    ITEM_TOO_LONG = DemandProblem.ITEM_TOO_LONG.value
    TEXT_TOO_LONG = DemandProblem.TEXT_TOO_LONG.value
    UNKNOWN_REQUESTER = DemandProblem.UNKNOWN_REQUESTER.value
    INVALID_DATE = DemandProblem.INVALID_DATE.value
    NOTHING_TO_FILE = DemandProblem.NOTHING_TO_FILE.value
    SCENARIO_REQUIRED = "SCENARIO_REQUIRED"
    SCENARIO_NOT_OWNED = "SCENARIO_NOT_OWNED"
    JUSTIFICATION_REQUIRED = "JUSTIFICATION_REQUIRED"
    JUSTIFICATION_NOT_SPECIFIC = "JUSTIFICATION_NOT_SPECIFIC"
    SEARCH_UNAVAILABLE = "SEARCH_UNAVAILABLE"
    WRITE_FAILED = "WRITE_FAILED"


strawberry.enum(
    DemandErrorCode, name="DemandErrorCode",
    description=(
        "需求登记错误代码 / Error codes of fileDemand. EMPTY_DEMAND: 未列出信息项 no items; TOO_MANY_ITEMS: "
        "信息项过多 too many items; ITEM_TOO_LONG: 单项过长 an item is too long; TEXT_TOO_LONG: 文本过长 text "
        "too long; UNKNOWN_REQUESTER: 需求方不存在 unknown requester; "
        "INVALID_DATE: 日期格式错误 bad date; NOTHING_TO_FILE: 无未覆盖项可登记 nothing uncovered "
        "to file; SCENARIO_REQUIRED: 须说明应用场景 a scenario is required; SCENARIO_NOT_OWNED: 场景不属于本机构 "
        "another agency's scenario; JUSTIFICATION_REQUIRED: 信息项须说明场景用途（最小必要）each item needs "
        "its justification (minimum necessary); JUSTIFICATION_NOT_SPECIFIC: 用途说明过于简单 the justification "
        "says too little; SEARCH_UNAVAILABLE: 检索不可用 search unavailable; WRITE_FAILED: 写入失败，未写入任何内容 "
        "the write failed and nothing was written"
    ),
)


# --------------------------------------------------------------------------- inputs


@strawberry.input(description="供需匹配请求 / A demand to match against the catalog.")
class MatchDemandInput:
    items: list[str] | None = strawberry.field(
        default=None, description="所需信息项（列表）/ Needed data items, as a list."
    )
    text: str | None = strawberry.field(
        default=None,
        description=(
            "所需信息项（一段文字，用 、，；/ 或换行分隔，括号内为备注）/ Needed items as one text, "
            "separated by 、，； / or new lines; brackets hold notes."
        ),
    )
    scenario: str | None = strawberry.field(
        default=None, description="应用场景（代码或名称）/ Scenario code or name (R10)."
    )
    requester: str | None = strawberry.field(
        default=None, description="需求方机构代码 / Requesting agency code."
    )
    service_kind: ServiceKind | None = strawberry.field(
        default=None, description="希望的服务方式（优先）/ Preferred kind of service (R8)."
    )
    request_date: str | None = strawberry.field(
        default=None,
        description="提出日期 YYYY-MM-DD（默认北京时间今天）/ Request date, YYYY-MM-DD (default: today in China).",
    )


@strawberry.input(description="需求信息项及其用途说明 / A demanded item and why the scenario needs it.")
class DemandItemInput:
    name: str = strawberry.field(description="所需信息项 / The needed data item.")
    justification: str = strawberry.field(
        description=(
            "用途说明：该场景为何需要此项（最小必要，R9）/ Why the scenario needs this item "
            "(minimum necessary, R9)."
        )
    )


@strawberry.input(
    description=(
        "需求登记请求（需求方为令牌所属机构）/ Items to file as demand-list entries (R9); the requester is "
        "the caller's agency."
    )
)
class FileDemandInput:
    scenario: str = strawberry.field(
        description="应用场景（本机构场景代码或场景名称）/ Scenario: a code of your agency's, or its name."
    )
    items: list[DemandItemInput] = strawberry.field(
        description="所需信息项，每项附用途说明 / The needed items, each with its justification."
    )
    purpose: str | None = strawberry.field(default=None, description="数据用途 / What the data is for.")
    service_kind: ServiceKind | None = strawberry.field(
        default=None, description="希望的服务方式 / Wanted kind of service (R8)."
    )


# --------------------------------------------------------------------------- match results


def _agency(node: Node | None) -> Agency | None:
    from schema.agency import Agency

    return Agency(_node=node) if node is not None else None


def _services(nodes: tuple[Node, ...]) -> list[DataService]:
    from schema.service import DataService

    return [DataService(_node=n) for n in nodes]


@strawberry.type(description="候选信息项 / A candidate field for a demanded item.")
class MatchCandidate:
    _c: strawberry.Private[Candidate]

    @strawberry.field(description="信息项 / The field.")
    def field(self) -> Annotated[Field, strawberry.lazy("schema.field")]:
        from schema.field import Field

        return Field(_node=self._c.field)

    @strawberry.field(description="所属数据资源 / Its resource.")
    def resource(self) -> Annotated[DataResource, strawberry.lazy("schema.resource")]:
        from schema.resource import DataResource

        return DataResource(_node=self._c.resource)

    @strawberry.field(description="提供方机构 / Provider agency.")
    def provider(self) -> Annotated[Agency, strawberry.lazy("schema.agency")] | None:
        return _agency(self._c.provider)

    @strawberry.field(description="生效的共享类型 / Effective sharing attribute (R3).")
    def sharing_type(self) -> SharingType:
        return self._c.sharing_type

    @strawberry.field(description="开放该项的数据服务（已发布在前）/ Services exposing it, published first.")
    def services(self) -> list[Annotated[DataService, strawberry.lazy("schema.service")]]:
        return _services(self._c.services)

    @strawberry.field(description="相关度 / Relevance score.")
    def score(self) -> float:
        return round(self._c.score, 4)

    @strawberry.field(description="命中原因 / Why it matched.")
    def reasons(self) -> list[MatchReason]:
        return list(self._c.reasons)

    @strawberry.field(description="匹配层级 / Band of the score.")
    def tier(self) -> MatchTier:
        return self._c.tier

    @strawberry.field(
        description=(
            "是否可信匹配（完全一致、同义、拼音完全一致或高度相近）/ Whether it is a confident match "
            "(exact, synonym, exact pinyin or a strong partial)."
        )
    )
    def confident(self) -> bool:
        return self._c.confident

    @strawberry.field(description="是否可获取（非不予共享）/ Whether it can be shared at all.")
    def obtainable(self) -> bool:
        return self._c.obtainable

    @strawberry.field(description="是否计为覆盖（可信且可获取）/ Whether it counts as coverage.")
    def covering(self) -> bool:
        return self._c.covering


def _candidates(items: tuple[Candidate, ...], first: int | None, covering_only: bool) -> list[MatchCandidate]:
    from schema.pagination import page_size

    limit = DEFAULT_CANDIDATES if first is None else page_size(first)
    chosen = [c for c in items if c.covering] if covering_only else list(items)
    return [MatchCandidate(_c=c) for c in chosen[:limit]]


CandidatesFirst = Annotated[
    int | None,
    strawberry.argument(description="最多返回条数（默认 5，最多 100）/ At most this many (default 5, max 100)."),
]
CoveringOnly = Annotated[
    bool, strawberry.argument(description="只返回计为覆盖的候选 / Only candidates that count as coverage.")
]


@strawberry.type(description="信息项匹配结果 / How one demanded item matched.")
class DemandItemMatch:
    _m: strawberry.Private[ItemMatch]

    @strawberry.field(description="序号（从 0 起）/ Position, from 0.")
    def position(self) -> int:
        return self._m.item.position

    @strawberry.field(description="原文 / As written.")
    def original(self) -> str:
        return self._m.item.original

    @strawberry.field(description="清洗后的信息项 / The cleaned item, as matched.")
    def cleaned(self) -> str:
        return self._m.item.name

    @strawberry.field(description="括号中的备注 / Note from brackets, e.g. 申请人.")
    def note(self) -> str | None:
        return self._m.item.note

    @strawberry.field(description="是否被目录覆盖 / Whether the catalog covers it.")
    def covered(self) -> bool:
        return self._m.covered

    @strawberry.field(description="覆盖方案选用的信息项 / The field the plan uses for it.")
    def chosen(self) -> MatchCandidate | None:
        return MatchCandidate(_c=self._m.chosen) if self._m.chosen else None

    @strawberry.field(description="候选信息项（按相关度）/ Candidate fields, ranked.")
    def candidates(self, first: CandidatesFirst = None, covering_only: CoveringOnly = False) -> list[MatchCandidate]:
        return _candidates(self._m.candidates, first, covering_only)

    @strawberry.field(description="计为覆盖的候选数 / How many candidates count as coverage.")
    def covering_count(self) -> int:
        return sum(c.covering for c in self._m.candidates)


@strawberry.type(name="PlannedField", description="方案中的信息项 / A field of the plan and the items it answers.")
class PlannedFieldType:
    _f: strawberry.Private[PlannedField]

    @strawberry.field(description="信息项 / The field.")
    def field(self) -> Annotated[Field, strawberry.lazy("schema.field")]:
        from schema.field import Field

        return Field(_node=self._f.candidate.field)

    @strawberry.field(description="生效的共享类型 / Effective sharing attribute.")
    def sharing_type(self) -> SharingType:
        return self._f.candidate.sharing_type

    @strawberry.field(description="对应的需求信息项 / The demanded items it answers.")
    def items(self) -> list[str]:
        return [i.name for i in self._f.items]


@strawberry.type(
    name="PlannedResource", description="方案中的数据资源及获取方式 / A resource of the plan and how to get it."
)
class PlannedResourceType:
    _p: strawberry.Private[PlannedResource]

    @strawberry.field(description="数据资源 / The resource.")
    def resource(self) -> Annotated[DataResource, strawberry.lazy("schema.resource")]:
        from schema.resource import DataResource

        return DataResource(_node=self._p.resource)

    @strawberry.field(description="提供方机构 / Provider agency.")
    def provider(self) -> Annotated[Agency, strawberry.lazy("schema.agency")] | None:
        return _agency(self._p.provider)

    @strawberry.field(description="获取方式 / Approval path (R10).")
    def approval_path(self) -> ApprovalPath:
        return self._p.approval_path

    @strawberry.field(description="审核时限（工作日）/ Review time limit in working days.")
    def review_working_days(self) -> int | None:
        return self._p.deadline.working_days if self._p.deadline else None

    @strawberry.field(description="受理日（节假日顺延）/ Day the request counts as received.")
    def received_date(self) -> str | None:
        return self._p.deadline.received_on.isoformat() if self._p.deadline else None

    @strawberry.field(description="预计获取日期 / Expected date the data is available.")
    def expected_date(self) -> str | None:
        return self._p.deadline.due_on.isoformat() if self._p.deadline else None

    @strawberry.field(
        description="日期是否为估算（该年节假日未收录）/ Whether the date is an estimate (holidays unknown)."
    )
    def date_is_estimate(self) -> bool:
        return bool(self._p.deadline and self._p.deadline.estimated)

    @strawberry.field(description="共享条件 / Sharing condition (conditional data).")
    def sharing_condition(self) -> str | None:
        return self._p.sharing_condition

    @strawberry.field(description="不予共享依据 / Legal basis for not sharing.")
    def legal_basis(self) -> str | None:
        return self._p.legal_basis

    @strawberry.field(description="选用的信息项 / The fields chosen.")
    def fields(self) -> list[PlannedFieldType]:
        return [PlannedFieldType(_f=f) for f in self._p.fields]

    @strawberry.field(description="开放这些信息项的服务（已发布在前）/ Services exposing them, published first.")
    def services(self) -> list[Annotated[DataService, strawberry.lazy("schema.service")]]:
        return _services(self._p.services)


@strawberry.type(description="覆盖方案 / The coverage plan: fewest resources covering the coverable items.")
class CoveragePlan:
    _match: strawberry.Private[DemandMatch]

    @strawberry.field(description="可获取的资源（覆盖方案）/ Obtainable resources: the cover.")
    def resources(self) -> list[PlannedResourceType]:
        return [PlannedResourceType(_p=p) for p in self._match.plan.resources]

    @strawberry.field(
        description="仅在不予共享资源中的信息项（不计为覆盖）/ Items only not-shared resources hold (no coverage)."
    )
    def not_shared(self) -> list[PlannedResourceType]:
        return [PlannedResourceType(_p=p) for p in self._match.plan.not_shared]

    @strawberry.field(description="资源数 / Number of resources in the cover.")
    def resource_count(self) -> int:
        return len(self._match.plan.resources)

    @strawberry.field(description="信息项数 / Number of fields in the cover.")
    def field_count(self) -> int:
        return sum(len(p.fields) for p in self._match.plan.resources)

    @strawberry.field(description="全部可获取的预计日期 / Date by which everything in the cover is expected.")
    def expected_date(self) -> str | None:
        dates = [p.deadline.due_on for p in self._match.plan.resources if p.deadline]
        return max(dates).isoformat() if dates else None


@strawberry.type(name="UncoveredItem", description="未覆盖的信息项 / A demanded item the catalog does not cover.")
class UncoveredItemType:
    _u: strawberry.Private[UncoveredItem]

    @strawberry.field(description="信息项（清洗后）/ The item, cleaned.")
    def item(self) -> str:
        return self._u.item.name

    @strawberry.field(description="原文 / As written.")
    def original(self) -> str:
        return self._u.item.original

    @strawberry.field(description="备注 / Note.")
    def note(self) -> str | None:
        return self._u.item.note

    @strawberry.field(description="未覆盖原因 / Why it is not covered.")
    def reason(self) -> UncoveredReason:
        return self._u.reason

    @strawberry.field(description="最可能持有该项的机构 / The agency most likely to hold it.")
    def likely_provider(self) -> Annotated[Agency, strawberry.lazy("schema.agency")] | None:
        return _agency(self._u.likely_provider.agency if self._u.likely_provider else None)

    @strawberry.field(description="推断依据 / Why that agency.")
    def likely_provider_basis(self) -> ProviderBasis | None:
        return self._u.likely_provider.basis if self._u.likely_provider else None

    @strawberry.field(description="最接近的信息项（不计为覆盖）/ Closest fields found (no coverage).")
    def leads(self, first: CandidatesFirst = None) -> list[MatchCandidate]:
        return _candidates(self._u.leads, first, False)


@strawberry.type(description="被忽略的片段 / A fragment that yielded no item.")
class IgnoredFragment:
    _i: strawberry.Private[IgnoredPart]

    @strawberry.field(description="片段原文 / The fragment.")
    def text(self) -> str:
        return self._i.text

    @strawberry.field(description="忽略原因 / Why it was ignored.")
    def reason(self) -> IgnoredReason:
        return self._i.reason

    @strawberry.field(description="重复的信息项 / The item it repeats (DUPLICATE).")
    def duplicate_of(self) -> str | None:
        return self._i.duplicate_of


@strawberry.type(description="日历提示 / A calendar notice: a date counted without that year's holidays.")
class CalendarNotice:
    _w: strawberry.Private[CalendarWarning]

    @strawberry.field(description="年份 / Year.")
    def year(self) -> int:
        return self._w.year

    @strawberry.field(description="中文说明 / Message in Chinese.")
    def message_zh(self) -> str:
        return self._w.message_zh

    @strawberry.field(description="英文说明 / Message in English.")
    def message_en(self) -> str:
        return self._w.message_en


@strawberry.type(
    name="DemandMatch", description="供需匹配结果 / The answer to a demand: matches, plan, what is not covered."
)
class DemandMatchResult:
    _match: strawberry.Private[DemandMatch]

    @strawberry.field(description="提出日期 / Request date.")
    def request_date(self) -> str:
        return self._match.requested_on.isoformat()

    @strawberry.field(description="需求方机构 / Requesting agency.")
    def requester(self) -> Annotated[Agency, strawberry.lazy("schema.agency")] | None:
        return _agency(self._match.requester)

    @strawberry.field(description="各信息项的匹配 / Each item's match.")
    def items(self) -> list[DemandItemMatch]:
        return [DemandItemMatch(_m=m) for m in self._match.items]

    @strawberry.field(description="信息项数 / Number of items.")
    def item_count(self) -> int:
        return len(self._match.items)

    @strawberry.field(description="已覆盖的信息项数 / Number of covered items.")
    def covered_count(self) -> int:
        return sum(m.covered for m in self._match.items)

    @strawberry.field(description="覆盖方案 / The coverage plan.")
    def plan(self) -> CoveragePlan:
        return CoveragePlan(_match=self._match)

    @strawberry.field(description="未覆盖的信息项 / Items not covered.")
    def uncovered(self) -> list[UncoveredItemType]:
        return [UncoveredItemType(_u=u) for u in self._match.uncovered]

    @strawberry.field(description="被忽略的片段 / Fragments ignored while splitting.")
    def ignored(self) -> list[IgnoredFragment]:
        return [IgnoredFragment(_i=i) for i in self._match.ignored]

    @strawberry.field(description="日历提示 / Calendar notices (estimated dates).")
    def warnings(self) -> list[CalendarNotice]:
        return [CalendarNotice(_w=w) for w in self._match.warnings]


# --------------------------------------------------------------------------- the demand list


@strawberry.type(description="需求清单条目中的信息项 / An item of a demand-list entry.")
class DemandListItem:
    _d: strawberry.Private[dict[str, Any]]

    @strawberry.field(description="信息项 / The item.")
    def name(self) -> str:
        return str(self._d.get("name", ""))

    @strawberry.field(description="原文 / As written.")
    def original(self) -> str | None:
        value = self._d.get("original")
        return str(value) if value is not None else None

    @strawberry.field(description="备注 / Note.")
    def note(self) -> str | None:
        value = self._d.get("note")
        return str(value) if value is not None else None

    @strawberry.field(description="用途说明（最小必要）/ Why the scenario needs it (minimum necessary).")
    def justification(self) -> str | None:
        value = self._d.get("justification")
        return str(value) if value is not None else None

    @strawberry.field(description="最接近的已有信息项 / The closest catalogued fields (leads).")
    async def leads(self, info: Info) -> list[Annotated[Field, strawberry.lazy("schema.field")]]:
        from schema.field import Field

        keys = [str(k) for k in self._d.get("leads") or []]
        nodes = await info.context.loaders.nodes(Label.FIELD).load_many(keys)
        return [Field(_node=n) for n in nodes if n is not None]


@strawberry.type(description="需求（需求清单条目，R9）/ A demand-list entry (R9).")
class Demand(NodeInterface):
    @strawberry.field(description="需求编号 / Demand code.")
    def code(self) -> str:
        return self._node.key

    @strawberry.field(description="所需信息项 / The items demanded.")
    def items(self) -> list[DemandListItem]:
        raw = json.loads(self.prop("itemDetails") or "[]")
        return [DemandListItem(_d=d) for d in raw if isinstance(d, dict)]

    @strawberry.field(description="状态 / Status.")
    def status(self) -> DemandStatus:
        return DemandStatus(self.prop("status"))

    @strawberry.field(description="登记日期 / Filing date.")
    def filed_on(self) -> str:
        return str(self.prop("filedOn"))

    @strawberry.field(description="答复期限（3 个工作日，R9）/ Response deadline (3 working days, R9).")
    def deadline(self) -> str:
        return str(self.prop("deadline"))

    @strawberry.field(description="期限是否为估算 / Whether the deadline is an estimate.")
    def deadline_is_estimate(self) -> bool:
        return bool(self.prop("deadlineEstimated"))

    @strawberry.field(description="需求方机构 / Requesting agency.")
    async def requester(self, info: Info) -> Annotated[Agency, strawberry.lazy("schema.agency")] | None:
        node = await info.context.loaders.nodes(Label.AGENCY).load(str(self.prop("requesterCode")))
        return _agency(node)

    @strawberry.field(description="承办（应答）机构 / The agency it is routed to.")
    async def routed_to(self, info: Info) -> Annotated[Agency, strawberry.lazy("schema.agency")] | None:
        code = self.prop("routedToCode")
        if not code:
            return None
        return _agency(await info.context.loaders.nodes(Label.AGENCY).load(str(code)))

    @strawberry.field(description="分派依据 / Why it was routed there.")
    def routing_basis(self) -> ProviderBasis | None:
        value = self.prop("routingBasis")
        return ProviderBasis(value) if value else None

    @strawberry.field(description="应用场景 / The scenario, when catalogued.")
    async def scenario(self, info: Info) -> Annotated[Scenario, strawberry.lazy("schema.scenario")] | None:
        from schema.scenario import Scenario

        code = self.prop("scenarioCode")
        if not code:
            return None
        node = await info.context.loaders.nodes(Label.SCENARIO).load(str(code))
        return Scenario(_node=node) if node else None

    @strawberry.field(description="场景名称 / Scenario name as given.")
    def scenario_name(self) -> str | None:
        return self.text("scenarioName")

    @strawberry.field(description="希望的服务方式 / Wanted kind of service.")
    def service_kind(self) -> ServiceKind | None:
        value = self.prop("serviceKind")
        return ServiceKind(value) if value else None

    @strawberry.field(description="数据用途 / What the data is for.")
    def purpose(self) -> str | None:
        return self.text("purpose")

    @strawberry.field(
        description="受理日（时限起算日，节假日顺延）/ Day the clock started (next working day if a day off)."
    )
    def received_on(self) -> str | None:
        return self.text("receivedOn")

    @strawberry.field(description="答复的最后工作日 / Last working day to answer.")
    def due_on(self) -> str | None:
        return self.text("dueOn") or self.text("deadline")

    @strawberry.field(description="须答复的机构 / The agency that must answer.")
    async def due_agency(self, info: Info) -> Annotated[Agency, strawberry.lazy("schema.agency")] | None:
        code = self.prop("dueAgency")
        return _agency(await info.context.loaders.nodes(Label.AGENCY).load(str(code))) if code else None

    @strawberry.field(description="是否逾期未答复（按业务时钟的今天）/ Whether the answer is overdue today.")
    def overdue(self, info: Info) -> bool:
        from sharing.clock import today
        from sharing.deadline_clock import overdue

        props = {**self._node.props, "dueOn": self.prop("dueOn") or self.prop("deadline")}
        return overdue(props, today(info.context.clock))

    @strawberry.field(description="应答结果 / How the provider answered.")
    def answer(self) -> DemandAnswer | None:
        value = self.prop("answer")
        return DemandAnswer(value) if value else None

    @strawberry.field(description="应答日期 / Day answered.")
    def answered_on(self) -> str | None:
        return self.text("answeredOn")

    @strawberry.field(description="是否逾期答复 / Whether the answer came after the deadline.")
    def answered_late(self) -> bool | None:
        value = self.prop("answeredLate")
        return None if value is None else bool(value)

    @strawberry.field(description="不予受理的理由 / Reasons for declining.")
    def answer_reasons(self) -> str | None:
        return self.text("answerReasons")

    @strawberry.field(description="应答所指的资源 / The resource the answer names.")
    async def answered_with(self, info: Info) -> Annotated[DataResource, strawberry.lazy("schema.resource")] | None:
        from schema.resource import DataResource

        code = self.prop("answeredWithCode")
        node = await info.context.loaders.nodes(Label.RESOURCE).load(str(code)) if code else None
        return DataResource(_node=node) if node else None

    @strawberry.field(description="日历提示（日期为估算时）/ Calendar notices when the dates are estimates.")
    def warnings(self) -> list[CalendarNotice]:
        from sharing.deadline_clock import calendar_warnings

        return [CalendarNotice(_w=w) for w in calendar_warnings(self._node, ("receivedOn", "dueOn", "deadline"))]


@strawberry.type(description="错误（稳定代码）/ An error with a stable code.")
class DemandError:
    code: DemandErrorCode = strawberry.field(description="错误代码 / Error code.")
    field: str | None = strawberry.field(description="出错的输入字段 / The input field at fault.")
    message: str = strawberry.field(description="中英文说明 / Message, Chinese and English.")
    message_zh: str = strawberry.field(description="中文说明 / Message in Chinese.")
    message_en: str = strawberry.field(description="英文说明 / Message in English.")


@strawberry.type(description="需求登记结果 / Result of fileDemand.")
class FileDemandPayload:
    demands: list[Demand] = strawberry.field(
        description="登记的需求（每个可能提供方一条）/ Entries filed, one per likely provider."
    )
    match: DemandMatchResult | None = strawberry.field(
        description="登记所依据的匹配结果 / The match the filing is based on."
    )
    errors: list[DemandError] = strawberry.field(description="错误（有错误时未写入）/ Errors; nothing written.")

