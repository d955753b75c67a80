"""matchDemand and fileDemand: check the input, call the sharing rules (供需匹配与需求登记)."""

from __future__ import annotations

from datetime import date
from functools import cache

from graph.errors import StoreError
from graph.model import Label, Node
from resolvers.browse import MAX_CODE_LENGTH
from resolvers.context import Info
from resolvers.permissions import require
from schema.demand import (
    Demand,
    DemandError,
    DemandErrorCode,
    DemandMatchResult,
    FileDemandInput,
    FileDemandPayload,
    MatchDemandInput,
)
from schema.enums import ServiceKind
from schema.errors import CatalogError, ErrorCode
from search.authority import AuthorityRegistry
from sharing.clock import today
from sharing.demand_answer import bureau_for
from sharing.demand_filing import DemandFiling, file_demand
from sharing.demand_items import DemandInputError, DemandProblem, parse_items
from sharing.demand_justification import JustifiedItem, check_justified
from sharing.demand_matching import DemandMatch, DemandMatcher, DemandRequest, MatchUnavailable
from sharing.identity import Role
from sharing.refusal import Refusal, RefusalCode
from sharing.working_days import today_in_china

MAX_SCENARIO_CHARS = 200
_FIRST_YEAR, _LAST_YEAR = 2000, 2100

# How a demand problem reads as an API error code (the problem itself is in `reason`).
_QUERY_CODES = {
    DemandProblem.EMPTY_DEMAND: ErrorCode.EMPTY_DEMAND,
    DemandProblem.TOO_MANY_ITEMS: ErrorCode.TOO_MANY_ITEMS,
    DemandProblem.ITEM_TOO_LONG: ErrorCode.INPUT_TOO_LONG,
    DemandProblem.TEXT_TOO_LONG: ErrorCode.INPUT_TOO_LONG,
    DemandProblem.UNKNOWN_REQUESTER: ErrorCode.NOT_FOUND,
    DemandProblem.INVALID_DATE: ErrorCode.INVALID_INPUT,
    DemandProblem.NOTHING_TO_FILE: ErrorCode.INVALID_INPUT,
}


@cache
def _authorities() -> AuthorityRegistry:
    return AuthorityRegistry()


def _matcher(info: Info) -> DemandMatcher:
    ctx = info.context
    return DemandMatcher(ctx.store, ctx.index, synonyms=ctx.synonyms.dictionary(), authorities=_authorities())


def _date(text: str | None, field: str) -> date:
    if text is None or not text.strip():
        return today_in_china()
    try:
        value = date.fromisoformat(text.strip())
    except ValueError:
        value = None
    if value is None or not _FIRST_YEAR <= value.year <= _LAST_YEAR:
        raise DemandInputError(
            DemandProblem.INVALID_DATE, field,
            f"日期「{text[:20]}」无效，请用 YYYY-MM-DD（{_FIRST_YEAR}–{_LAST_YEAR} 年）",
            f"invalid date {text[:20]!r}: use YYYY-MM-DD ({_FIRST_YEAR}-{_LAST_YEAR})",
        )
    return value


def _requester(code: str | None) -> str | None:
    if code is None:
        return None
    cleaned = code.strip()
    if not cleaned or len(cleaned) > MAX_CODE_LENGTH:
        raise DemandInputError(
            DemandProblem.UNKNOWN_REQUESTER, "requester",
            "需求方机构代码为空或过长", "the requester agency code is empty or too long",
        )
    return cleaned


def _scenario_text(text: str | None) -> str | None:
    if text is None or not text.strip():
        return None
    if len(text) > MAX_SCENARIO_CHARS:
        raise DemandInputError(
            DemandProblem.TEXT_TOO_LONG, "scenario",
            f"场景过长（最多 {MAX_SCENARIO_CHARS} 个字符）",
            f"scenario too long (at most {MAX_SCENARIO_CHARS} characters)",
        )
    return text.strip()


async def _match(
    info: Info,
    items: list[str] | None,
    text: str | None,
    requester: str | None,
    service_kind: ServiceKind | None,
    request_date: str | None,
    scenario: str | None,
) -> DemandMatch:
    parsed = parse_items(items, text)
    request = DemandRequest(
        parsed=parsed,
        requested_on=_date(request_date, "requestDate"),
        requester=_requester(requester),
        service_kind=service_kind,
        scenario=_scenario_text(scenario),
    )
    return await _matcher(info).match(request)


def _unavailable() -> CatalogError:
    return CatalogError(
        ErrorCode.SEARCH_UNAVAILABLE,
        "检索服务暂不可用，无法匹配，请稍后再试", "search is unavailable, so the demand cannot be matched now",
    )


async def match_demand(info: Info, input: MatchDemandInput) -> DemandMatchResult:
    try:
        match = await _match(info, input.items, input.text, input.requester, input.service_kind,
                             input.request_date, input.scenario)
    except DemandInputError as e:
        raise CatalogError(_QUERY_CODES[e.code], e.message_zh, e.message_en, field=e.field,
                           reason=e.code.value) from None
    except MatchUnavailable as e:
        raise _unavailable() from e
    return DemandMatchResult(_match=match)


def _error(code: DemandErrorCode, field: str | None, zh: str, en: str) -> DemandError:
    return DemandError(code=code, field=field, message=f"{zh} / {en}", message_zh=zh, message_en=en)


async def _scenario_node(info: Info, scenario: str | None) -> Node | None:
    if scenario is None or len(scenario) > MAX_SCENARIO_CHARS:
        return None
    return await info.context.loaders.nodes(Label.SCENARIO).load(scenario)


FILERS = (Role.AGENCY_STAFF, Role.CHIEF_REPRESENTATIVE)


def _refused(r: Refusal) -> FileDemandPayload:
    # The minimum-necessary refusals carry codes of their own; an overlong justification is a long text.
    errors = [
        _error(DemandErrorCode.TEXT_TOO_LONG if x.code is RefusalCode.TOO_LONG else DemandErrorCode(x.code.value),
               x.field, x.message_zh, x.message_en)
        for x in r.all()
    ]
    return FileDemandPayload(demands=[], match=None, errors=errors)


async def file_demand_mutation(info: Info, input: FileDemandInput) -> FileDemandPayload:
    """File a demand for the caller's agency: every item justified by the scenario (minimum
    necessary), matched, and what the catalog lacks filed as routed entries (R9)."""
    actor = require(info, *FILERS)
    assert actor.agency_code is not None  # staff and chief representatives belong to an agency
    try:
        justified = check_justified(
            [JustifiedItem(i.name, i.justification) for i in input.items], input.scenario
        )
        if not justified:
            raise DemandInputError(DemandProblem.EMPTY_DEMAND, "items", "未列出任何信息项", "no items listed")
        scenario_text = _scenario_text(input.scenario)
        scenario = await _scenario_node(info, scenario_text)
        if scenario is not None and scenario.get("agencyCode") != actor.agency_code:
            raise Refusal(
                RefusalCode.SCENARIO_NOT_OWNED, "scenario",
                f"场景「{scenario.key}」不属于本机构，不能以其名义提出需求",
                f"scenario {scenario.key!r} belongs to another agency",
            )
        now = info.context.clock.now()
        match = await _match(info, [j.name for j in justified], None, actor.agency_code, input.service_kind,
                             today(info.context.clock).isoformat(), scenario_text)
        assert match.requester is not None  # the caller's agency exists: its token was issued for it
        filing = DemandFiling(
            match=match,
            requester=match.requester,
            filed_on=match.requested_on,
            scenario=scenario,
            scenario_name=None if scenario else scenario_text,
            service_kind=input.service_kind,
            justifications={j.name.strip(): j.justification for j in justified},
            purpose=(input.purpose or "").strip()[:MAX_SCENARIO_CHARS * 5] or None,
            bureau=await bureau_for(info.context.store, match.requester),
            actor=actor,
            at=now,
        )
        nodes = await file_demand(info.context.writer, filing)
    except Refusal as r:
        return _refused(r)
    except DemandInputError as e:
        error = _error(DemandErrorCode(e.code.value), e.field, e.message_zh, e.message_en)
        return FileDemandPayload(demands=[], match=None, errors=[error])
    except MatchUnavailable:
        error = _error(DemandErrorCode.SEARCH_UNAVAILABLE, None, "检索服务暂不可用，未登记任何需求",
                       "search is unavailable; nothing was filed")
        return FileDemandPayload(demands=[], match=None, errors=[error])
    except StoreError as e:
        error = _error(DemandErrorCode.WRITE_FAILED, None, f"写入失败，未登记任何需求：{e}",
                       f"the write failed; nothing was filed: {e}")
        return FileDemandPayload(demands=[], match=None, errors=[error])
    return FileDemandPayload(demands=[Demand(_node=n) for n in nodes], match=DemandMatchResult(_match=match),
                             errors=[])
