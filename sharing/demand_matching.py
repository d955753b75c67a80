"""Matching a consumer's demand against the catalog (供需匹配), R3, R9 and R10.

For each demanded item (see `sharing.demand_items`) the search index is asked for fields
(kind FIELD); every hit becomes a candidate with its resource, provider agency, effective
sharing attribute (the field's own, else the resource's), the services exposing it (published
first), the score and the reasons it matched. A candidate **covers** the item only when it is a
confident match (`search.confidence`: exact or synonym tier, exact pinyin, or a strong partial)
and its data can be shared at all (not 不予共享): noise never counts as coverage.

The coverage plan (覆盖方案) is the smallest set of resources covering every coverable item,
found greedily (greedy set cover: take the resource covering most still-uncovered items, then
drop any resource the others made redundant; greedy is within a factor ln n of the optimum, and
for demands of a few dozen items it is usually optimal). Ties go, in this order, to the
resource whose matching fields are all unconditional (无条件共享, obtained directly), to the one
whose fields a published service exposes (of the requested kind, if one was asked for), to the
one needing fewer distinct fields, to the higher match scores, and finally to the smaller code.
Each item then takes one field of the chosen resources, reusing a field already taken where it
can (fewest fields), else an unconditional one, else one a published service exposes.

Per chosen resource the approval path (获取方式) and the expected date follow R10:
- every chosen field unconditional → DIRECT, obtained on the day the request is received;
- any conditional field → PROVIDER_REVIEW, reviewed by the provider within 2 working days;
- items found only in not-shared resources are never coverage: they are listed apart with the
  resource's legal basis (不予共享依据) and no date.
Dates are Chinese working days (`sharing.working_days`).

Items without coverage are listed with the agency most likely to hold them: the provider of
the not-shared resource that holds it; else the item's authoritative source department
(`search.authority`), found among the catalog's agencies (the requester's region first, then
city level); else the provider of the lead (a field found but not confident) whose name is
most like the item's (character-bigram Dice ≥ 0.3). Filing them as a demand is
`sharing.demand_filing`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from graph.model import Direction, Label, Node, NodeRef, Rel
from graph.store import GraphStore
from search.analysis import Analyzer, default_analyzer
from search.authority import AuthorityRegistry, Department
from search.confidence import MatchTier, is_confident, name_similarity, tier_of
from search.index import DocKind, MatchReason, SearchFilter, SearchHit, SearchIndex, SearchQuery
from search.synonyms import SynonymDictionary, suffix_candidates
from sharing.demand_items import DemandInputError, DemandItem, DemandProblem, IgnoredPart, ParsedDemand
from sharing.terms import (
    ApprovalPath,
    Level,
    ProviderBasis,
    ServiceKind,
    ServiceStatus,
    SharingType,
    UncoveredReason,
)
from sharing.working_days import CalendarWarning, Deadline, WorkingCalendar, default_calendar

__all__ = [
    "CANDIDATE_POOL",
    "REVIEW_DAYS",
    "Candidate",
    "DemandMatch",
    "DemandMatcher",
    "DemandPlan",
    "DemandRequest",
    "ItemMatch",
    "LikelyProvider",
    "MatchUnavailable",
    "PlannedField",
    "PlannedResource",
    "UncoveredItem",
]

# Hits looked at per item: every confident one among them may be used by the plan.
CANDIDATE_POOL = 300
# Hits that are not confident matches, kept per item as leads (shown, never coverage).
SHOWN_LEADS = 10
# Leads at least this similar to the item vote for the item's likely provider.
LEAD_SIMILARITY = 0.3
SEARCH_CONCURRENCY = 8
REVIEW_DAYS = 2  # R10: conditional data is reviewed by the provider within 2 working days
DIRECT_DAYS = 0  # unconditional data is obtained directly


class MatchUnavailable(Exception):
    """The search index could not be asked (检索不可用); nothing was matched."""


@dataclass(frozen=True, slots=True)
class DemandRequest:
    """What is matched (供需匹配请求)."""

    parsed: ParsedDemand
    requested_on: date
    requester: str | None = None  # agency code of the consumer (需求方)
    service_kind: ServiceKind | None = None  # the kind of service wanted (R8), a preference
    scenario: str | None = None  # scenario code or name (应用场景), R10


@dataclass(frozen=True, slots=True)
class Candidate:
    """A field that may be what an item means (候选信息项)."""

    field: Node
    resource: Node
    provider: Node | None
    sharing_type: SharingType  # effective: the field's own, else the resource's
    services: tuple[Node, ...]  # services exposing the field, published first
    score: float
    reasons: tuple[MatchReason, ...]
    tier: MatchTier
    confident: bool
    published: bool  # a published service (of the requested kind, if any) exposes it

    @property
    def obtainable(self) -> bool:
        return self.sharing_type is not SharingType.NOT_SHARED

    @property
    def covering(self) -> bool:
        return self.confident and self.obtainable

    @property
    def name(self) -> str:
        return str(self.field.get("name"))


@dataclass(frozen=True, slots=True)
class ItemMatch:
    item: DemandItem
    candidates: tuple[Candidate, ...]  # in the index's order: confident ones, then leads
    chosen: Candidate | None = None  # the field the plan uses for it

    @property
    def covered(self) -> bool:
        return self.chosen is not None


@dataclass(frozen=True, slots=True)
class PlannedField:
    candidate: Candidate
    items: tuple[DemandItem, ...]  # the demanded items this field answers


@dataclass(frozen=True, slots=True)
class PlannedResource:
    """One resource of the plan and how to get it (覆盖方案中的资源)."""

    resource: Node
    provider: Node | None
    approval_path: ApprovalPath
    fields: tuple[PlannedField, ...]
    services: tuple[Node, ...]  # services exposing any planned field, published first
    deadline: Deadline | None  # None when not obtainable

    @property
    def legal_basis(self) -> str | None:
        value = self.resource.get("legalBasis")
        return str(value) if value else None

    @property
    def sharing_condition(self) -> str | None:
        value = self.resource.get("sharingCondition")
        return str(value) if value else None


@dataclass(frozen=True, slots=True)
class DemandPlan:
    resources: tuple[PlannedResource, ...]  # the cover: obtainable resources
    not_shared: tuple[PlannedResource, ...]  # where uncovered items sit, not obtainable


@dataclass(frozen=True, slots=True)
class LikelyProvider:
    agency: Node
    basis: ProviderBasis


@dataclass(frozen=True, slots=True)
class UncoveredItem:
    item: DemandItem
    reason: UncoveredReason
    likely_provider: LikelyProvider | None
    leads: tuple[Candidate, ...]  # the closest fields found, for the provider to look at


@dataclass(frozen=True, slots=True)
class DemandMatch:
    """The answer to a demand (供需匹配结果)."""

    requested_on: date
    requester: Node | None
    items: tuple[ItemMatch, ...]
    plan: DemandPlan
    uncovered: tuple[UncoveredItem, ...]
    ignored: tuple[IgnoredPart, ...]
    warnings: tuple[CalendarWarning, ...] = field(default=())


class DemandMatcher:
    """Matches demands against one catalog (a graph store and its search index)."""

    def __init__(
        self,
        store: GraphStore,
        index: SearchIndex,
        *,
        calendar: WorkingCalendar | None = None,
        synonyms: SynonymDictionary | None = None,
        authorities: AuthorityRegistry | None = None,
        analyzer: Analyzer | None = None,
    ) -> None:
        self.store = store
        self.index = index
        self.calendar = calendar or default_calendar()
        self.analyzer = analyzer or default_analyzer()
        self.synonyms = synonyms
        self.authorities = authorities

    async def match(self, request: DemandRequest) -> DemandMatch:
        requester = await self._requester(request.requester)
        items = request.parsed.items
        hits = await self._search(items)
        kept = [self._keep(item, item_hits) for item, item_hits in zip(items, hits, strict=True)]
        details = await self._details([h for item_hits in kept for h, _ in item_hits])
        matches = [
            ItemMatch(item, tuple(c for c in (self._candidate(h, ok, details, request.service_kind)
                                              for h, ok in item_hits) if c is not None))
            for item, item_hits in zip(items, kept, strict=True)
        ]
        matches, resources = self._cover(matches, request)
        not_shared = self._not_shared(matches)
        uncovered = await self._uncovered(matches, requester)
        warnings: dict[int, CalendarWarning] = {}
        for planned in resources:
            for w in planned.deadline.warnings if planned.deadline else ():
                warnings.setdefault(w.year, w)
        return DemandMatch(
            requested_on=request.requested_on,
            requester=requester,
            items=tuple(matches),
            plan=DemandPlan(tuple(resources), tuple(not_shared)),
            uncovered=tuple(uncovered),
            ignored=request.parsed.ignored,
            warnings=tuple(warnings.values()),
        )

    # -- loading -----------------------------------------------------------------------

    async def _requester(self, code: str | None) -> Node | None:
        if code is None:
            return None
        (node,) = await self.store.get_nodes(Label.AGENCY, [code])
        if node is None:
            raise DemandInputError(
                DemandProblem.UNKNOWN_REQUESTER, "requester",
                f"需求方机构「{code[:60]}」不存在", f"requester agency {code[:60]!r} does not exist",
            )
        return node

    async def _search(self, items: Sequence[DemandItem]) -> list[list[SearchHit]]:
        gate = asyncio.Semaphore(SEARCH_CONCURRENCY)
        only_fields = SearchFilter(kinds=[DocKind.FIELD])

        async def one(item: DemandItem) -> list[SearchHit]:
            async with gate:
                query = SearchQuery(text=item.name, filter=only_fields, limit=CANDIDATE_POOL, facets=False,
                                    highlight=False)
                try:
                    return list((await self.index.search(query)).hits)
                except Exception as exc:  # any index failure: the match cannot be made
                    raise MatchUnavailable(str(exc)) from exc

        return list(await asyncio.gather(*(one(item) for item in items)))

    def _keep(self, item: DemandItem, hits: list[SearchHit]) -> list[tuple[SearchHit, bool]]:
        """Every confident hit, and the first few others as leads."""
        kept: list[tuple[SearchHit, bool]] = []
        leads = 0
        verdicts: dict[tuple[str, MatchTier], bool] = {}
        for hit in hits:
            seen = (hit.name, tier_of(hit.score))
            ok = verdicts.get(seen)
            if ok is None:
                ok = verdicts[seen] = is_confident(item.name, hit, self.analyzer)
            if ok:
                kept.append((hit, True))
            elif leads < SHOWN_LEADS:
                kept.append((hit, False))
                leads += 1
        return kept

    async def _details(self, hits: Sequence[SearchHit]) -> _Details:
        field_keys = list(dict.fromkeys(NodeRef.parse(h.id).key for h in hits))
        fields = {n.key: n for n in await self.store.get_nodes(Label.FIELD, field_keys) if n is not None}
        present = [k for k in field_keys if k in fields]
        resource_codes = list(dict.fromkeys(str(fields[k].get("resourceCode")) for k in present))
        resources = {
            n.key: n for n in await self.store.get_nodes(Label.RESOURCE, resource_codes) if n is not None
        }
        agency_codes = list(dict.fromkeys(str(r.get("providerCode")) for r in resources.values()))
        agencies = {n.key: n for n in await self.store.get_nodes(Label.AGENCY, agency_codes) if n is not None}
        exposing = await self.store.neighbors(Label.FIELD, present, Rel.EXPOSES, Direction.IN) if present else []
        services = dict(zip(present, exposing, strict=True))
        return _Details(fields, resources, agencies, services)

    def _candidate(
        self, hit: SearchHit, confident: bool, d: _Details, kind: ServiceKind | None
    ) -> Candidate | None:
        key = NodeRef.parse(hit.id).key
        field_node = d.fields.get(key)
        if field_node is None:
            return None  # the index is ahead of a delete
        resource = d.resources.get(str(field_node.get("resourceCode")))
        if resource is None:
            return None
        provider = d.agencies.get(str(resource.get("providerCode")))
        own = field_node.get("sharingType") or resource.get("sharingType") or SharingType.CONDITIONAL.value
        services = tuple(sorted(d.services.get(key, []), key=lambda s: _service_rank(s, kind)))
        published = any(_published(s, kind) for s in services)
        return Candidate(
            field=field_node,
            resource=resource,
            provider=provider,
            sharing_type=SharingType(own),
            services=services,
            score=hit.score,
            reasons=hit.reasons,
            tier=tier_of(hit.score),
            confident=confident,
            published=published,
        )

    # -- the plan ------------------------------------------------------------------------

    def _cover(
        self, matches: list[ItemMatch], request: DemandRequest
    ) -> tuple[list[ItemMatch], list[PlannedResource]]:
        # options[resource code][item position] = covering candidates, best first
        options: dict[str, dict[int, list[Candidate]]] = {}
        for m in matches:
            for c in m.candidates:
                if c.covering:
                    options.setdefault(c.resource.key, {}).setdefault(m.item.position, []).append(c)
        for by_item in options.values():
            for cands in by_item.values():
                cands.sort(key=_candidate_rank)
        remaining = {p for by_item in options.values() for p in by_item}
        chosen: list[str] = []
        while remaining:
            # the most items gained comes first in the gain key: only those codes are ranked fully
            gains = {code: len(options[code].keys() & remaining) for code in options if code not in chosen}
            most = max(gains.values())
            best = min(
                (code for code, gain in gains.items() if gain == most),
                key=lambda code: _gain_key(code, options[code], remaining),
            )
            chosen.append(best)
            remaining -= options[best].keys()
        for code in reversed(list(chosen)):
            others = set().union(*(options[c].keys() for c in chosen if c != code))
            if options[code].keys() <= others:
                chosen.remove(code)

        order = {code: i for i, code in enumerate(chosen)}
        assigned: dict[int, Candidate] = {}
        used: set[str] = set()
        coverable = [m for m in matches if any(m.item.position in options[c] for c in chosen)]
        coverable.sort(key=lambda m: (sum(m.item.position in options[c] for c in chosen), m.item.position))
        for m in coverable:
            pool = [c for code in chosen for c in options[code].get(m.item.position, [])]
            pick = min(pool, key=lambda c: (c.field.key not in used, *_candidate_rank(c)[:3],
                                            order[c.resource.key], c.field.key))
            assigned[m.item.position] = pick
            used.add(pick.field.key)
        matches = [ItemMatch(m.item, m.candidates, assigned.get(m.item.position)) for m in matches]

        planned: list[PlannedResource] = []
        for code in chosen:
            picks = [(matches[p].item, c) for p, c in sorted(assigned.items()) if c.resource.key == code]
            if not picks:
                continue
            first = picks[0][1]
            conditional = any(c.sharing_type is not SharingType.UNCONDITIONAL for _, c in picks)
            path = ApprovalPath.PROVIDER_REVIEW if conditional else ApprovalPath.DIRECT
            days = REVIEW_DAYS if conditional else DIRECT_DAYS
            planned.append(
                PlannedResource(
                    resource=first.resource,
                    provider=first.provider,
                    approval_path=path,
                    fields=_planned_fields(picks),
                    services=_services_of([c for _, c in picks], request.service_kind),
                    deadline=self.calendar.deadline(request.requested_on, days),
                )
            )
        return matches, planned

    def _not_shared(self, matches: Sequence[ItemMatch]) -> list[PlannedResource]:
        """Where items that only not-shared resources hold sit (never coverage)."""
        picks: dict[str, list[tuple[DemandItem, Candidate]]] = {}
        for m in matches:
            if m.covered:
                continue
            held = [c for c in m.candidates if c.confident and not c.obtainable]
            if held:
                best = min(held, key=_candidate_rank)
                picks.setdefault(best.resource.key, []).append((m.item, best))
        return [
            PlannedResource(
                resource=items[0][1].resource,
                provider=items[0][1].provider,
                approval_path=ApprovalPath.NOT_SHARED,
                fields=_planned_fields(items),
                services=(),
                deadline=None,
            )
            for items in picks.values()
        ]

    # -- what is not covered ---------------------------------------------------------------

    async def _uncovered(self, matches: Sequence[ItemMatch], requester: Node | None) -> list[UncoveredItem]:
        out: list[UncoveredItem] = []
        departments_cache: dict[str, Node | None] = {}
        for m in matches:
            if m.covered:
                continue
            held = [c for c in m.candidates if c.confident and not c.obtainable]
            leads = tuple(c for c in m.candidates if not c.confident)
            likely: LikelyProvider | None = None
            if held:
                best = min(held, key=_candidate_rank)
                reason = UncoveredReason.NOT_SHARED
                if best.provider is not None:
                    likely = LikelyProvider(best.provider, ProviderBasis.NOT_SHARED_RESOURCE)
            else:
                reason = UncoveredReason.NOT_IN_CATALOG
            if likely is None:
                for department in self._departments(m.item.name):
                    if department.name not in departments_cache:
                        departments_cache[department.name] = await self._agency_of(department, requester)
                    agency = departments_cache[department.name]
                    if agency is not None:
                        likely = LikelyProvider(agency, ProviderBasis.AUTHORITY)
                        break
            if likely is None:
                agency = self._similar_provider(m.item, leads)
                if agency is not None:
                    likely = LikelyProvider(agency, ProviderBasis.SIMILAR_FIELDS)
            out.append(UncoveredItem(m.item, reason, likely, leads))
        return out

    def _departments(self, name: str) -> list[Department]:
        """The authoritative departments of an item: by its name, its synonyms' canonical
        name and its shorter forms (身份证号码信息 → 身份证号码)."""
        if self.authorities is None:
            return []
        key = self.analyzer.key(name)
        keys = [key, *suffix_candidates(key)]
        if self.synonyms is not None:
            canonical = [self.synonyms.canonical_of(k) for k in keys]
            rewritten = self.synonyms.rewrite(key)
            keys += [c for c in canonical if c] + ([rewritten] if rewritten else [])
        found: dict[str, Department] = {}
        for k in dict.fromkeys(keys):
            for department in self.authorities.departments_for(k):
                found.setdefault(department.name, department)
        return list(found.values())

    async def _agency_of(self, department: Department, requester: Node | None) -> Node | None:
        """The catalog's agency of a department: in the requester's region, else city level."""
        query = SearchQuery(text=department.name, filter=SearchFilter(kinds=[DocKind.AGENCY]), limit=50,
                            facets=False)
        try:
            hits = (await self.index.search(query)).hits
        except Exception as exc:
            raise MatchUnavailable(str(exc)) from exc
        keys = [NodeRef.parse(h.id).key for h in hits]
        agencies = [a for a in await self.store.get_nodes(Label.AGENCY, keys) if a is not None] if keys else []
        named = [a for a in agencies if any(p in self.analyzer.key(str(a.get("name"))) for p in department.patterns)]
        if not named:
            return None
        region = requester.get("regionCode") if requester is not None else None
        level_rank = {Level.CITY.value: 0, Level.PROVINCE.value: 1, Level.COUNTY.value: 2}
        return min(named, key=lambda a: (a.get("regionCode") != region if region else True,
                                         level_rank.get(str(a.get("level")), 3), a.key))

    def _similar_provider(self, item: DemandItem, leads: Sequence[Candidate]) -> Node | None:
        """The provider of the lead most like the item by name (at least LEAD_SIMILARITY);
        among equally similar leads the index's order decides (the source of record, city level)."""
        best: tuple[float, int] | None = None
        chosen: Node | None = None
        for rank, lead in enumerate(leads):
            if lead.provider is None:
                continue
            similarity = round(name_similarity(item.name, lead.name, self.analyzer), 6)
            if similarity >= LEAD_SIMILARITY and (best is None or (-similarity, rank) < best):
                best, chosen = (-similarity, rank), lead.provider
        return chosen


@dataclass(frozen=True, slots=True)
class _Details:
    fields: dict[str, Node]
    resources: dict[str, Node]
    agencies: dict[str, Node]
    services: dict[str, list[Node]]  # field key → services exposing it


_STATUS_RANK = {ServiceStatus.PUBLISHED.value: 0, ServiceStatus.CHANGED.value: 1, ServiceStatus.OFFLINE.value: 2}


def _published(service: Node, kind: ServiceKind | None) -> bool:
    live = service.get("status") == ServiceStatus.PUBLISHED.value
    return live and (kind is None or service.get("kind") == kind.value)


def _service_rank(service: Node, kind: ServiceKind | None) -> tuple[int, int, str]:
    wrong_kind = kind is not None and service.get("kind") != kind.value
    return (_STATUS_RANK.get(str(service.get("status")), 3), int(wrong_kind), service.key)


def _candidate_rank(c: Candidate) -> tuple[bool, bool, float, str]:
    """Best first: unconditional, exposed by a published service, higher score."""
    return (c.sharing_type is not SharingType.UNCONDITIONAL, not c.published, -c.score, c.field.key)


def _gain_key(code: str, by_item: dict[int, list[Candidate]], remaining: set[int]) -> tuple[object, ...]:
    gained = [by_item[p][0] for p in by_item if p in remaining]
    unconditional = all(c.sharing_type is SharingType.UNCONDITIONAL for c in gained)
    published = sum(c.published for c in gained)
    fields = len({c.field.key for c in gained})
    score = round(sum(c.score for c in gained), 6)
    return (-len(gained), not unconditional, -published, fields, -score, code)


def _planned_fields(picks: Sequence[tuple[DemandItem, Candidate]]) -> tuple[PlannedField, ...]:
    by_field: dict[str, tuple[Candidate, list[DemandItem]]] = {}
    for item, candidate in picks:
        by_field.setdefault(candidate.field.key, (candidate, []))[1].append(item)
    ordered = sorted(by_field.values(), key=lambda v: _position(v[0].field))
    return tuple(PlannedField(c, tuple(items)) for c, items in ordered)


def _position(node: Node) -> tuple[int, str]:
    value = node.get("position")
    return (int(value) if isinstance(value, int) else 1_000_000, node.key)


def _services_of(candidates: Sequence[Candidate], kind: ServiceKind | None) -> tuple[Node, ...]:
    found: dict[str, Node] = {}
    for c in candidates:
        for s in c.services:
            found.setdefault(s.key, s)
    return tuple(sorted(found.values(), key=lambda s: _service_rank(s, kind)))
