"""A realistic demo catalog of Jining city (济宁市演示目录), generated from editable vocabularies.

`build_demo_catalog(seed)` returns a whole `CatalogDocument`: the city, its fourteen
county-level units and the province's big-data bureau; agencies with their chief
representatives, leaders and liaisons (R5); resources in the notice's categories (R2) under
all three sharing attributes (R3), with fields, services of every kind (R8), derived and
related resources; scenarios of consumer agencies with their grants (R10, R11); and IT
projects with declared supply lists and dependencies (R12).

What the catalog contains comes from the TSV files in `interchange/demo_data/` (regions,
agencies, data items, resource / scenario / project templates, name characters); the seed
only decides the generated details: codes, people, which departments a county unit has,
dates, services, statuses, grants. The same seed always gives the same document; nothing
depends on the clock or on the global random generator.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from importlib import resources as package_files

from interchange.records import (
    AgencyRecord,
    CatalogDocument,
    Contact,
    FieldRecord,
    GrantRecord,
    ProjectRecord,
    ResourceRecord,
    ScenarioRecord,
    ServiceRecord,
)
from sharing.acceptance import CYCLE_DAYS
from sharing.terms import (
    ContactRole,
    DataType,
    GrantStatus,
    Level,
    ProjectStage,
    ResourceFormat,
    ServiceKind,
    ServiceStatus,
    SharingType,
    UpdateCycle,
)

DATA_DIR = "demo_data"
DEFAULT_SEED = 2026
DEFAULT_EMAIL_DOMAIN = "jining.gov.cn"
CITY_REGION = "370800"
# The county-level units: districts, counties, county-level cities and the three zones
# (济宁高新区, 太白湖新区, 济宁经济技术开发区), which have no official division code of their
# own; regions.tsv gives them 370871-370873.
COUNTY_KINDS = ("district", "county", "county_city", "zone")

_SHARING_LETTERS = {
    "U": SharingType.UNCONDITIONAL,
    "C": SharingType.CONDITIONAL,
    "N": SharingType.NOT_SHARED,
}
_SERVICE_LETTERS = {
    "Q": ServiceKind.INTERFACE_QUERY,
    "V": ServiceKind.INTERFACE_VERIFY,
    "A": ServiceKind.BATCH_ANALYSIS,
    "E": ServiceKind.BATCH_EXPORT,
}
_SERVICE_SUFFIX = {
    ServiceKind.INTERFACE_QUERY: "查询接口",
    ServiceKind.INTERFACE_VERIFY: "核验接口",
    ServiceKind.BATCH_ANALYSIS: "批量分析服务",
    ServiceKind.BATCH_EXPORT: "批量导出服务",
}
_DEFAULT_CONDITION = "仅限依法履行职责的部门在申请场景范围内使用，按最小必要原则授权信息项"
_PUBLISHED_FROM = date(2023, 1, 1)
_PUBLISHED_TO = date(2026, 11, 30)
# The fixed day the demo's last data updates (最近更新日期) are dated against (not the clock):
# on it most resources are within their update cycle and a minority are overdue.
DEMO_AS_OF = date(2026, 12, 1)
_OVERDUE_SHARE = 0.12  # resources with a regular cycle whose update is overdue on DEMO_AS_OF
_IRREGULAR_UPDATED_SHARE = 0.6  # 不定期 resources with an update on record

# How many departments (besides its big-data bureau) a county unit has.
_COUNTY_DEPARTMENTS = (6, 9)
# How likely a county department catalogues each of its sector's further county templates.
_COUNTY_RESOURCE_SHARE = 0.45
# How likely a county unit runs a county scenario template it can run.
_COUNTY_SCENARIO_SHARE = 0.18
# How many projects the county units run together.
_COUNTY_PROJECTS = (6, 12)
# How many of the resources a scenario template names it is granted (the first ones).
_SCENARIO_RESOURCES = (2, 4)

_STAGE_WEIGHTS = {
    ProjectStage.PLANNED: 10,
    ProjectStage.APPROVED: 20,
    ProjectStage.BUILDING: 30,
    ProjectStage.ACCEPTANCE: 15,
    ProjectStage.ACCEPTED: 20,
    ProjectStage.REJECTED: 5,
}
_STAGE_YEARS = {
    ProjectStage.PLANNED: (2026, 2026),
    ProjectStage.APPROVED: (2025, 2026),
    ProjectStage.BUILDING: (2024, 2026),
    ProjectStage.ACCEPTANCE: (2023, 2025),
    ProjectStage.ACCEPTED: (2023, 2025),
    ProjectStage.REJECTED: (2023, 2025),
}
_MOBILE_PREFIXES = (
    "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152",
    "153", "155", "156", "158", "159", "177", "180", "181", "182", "185", "186", "187",
    "188", "189", "199",
)  # fmt: skip
_VERIFY_HINT = re.compile(r"核验|核查|审核|认定|资格|比对|复核|审查")
_ANALYSIS_HINT = re.compile(r"分析|监测|评价|调度|规划|建设")

# Unified social credit code (GB 32100-2015) and organization code (GB 11714-1997).
_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ORG_PREFIX = {"11": "004", "12": "MB", "13": "005", "91": "MA"}


class DemoDataError(ValueError):
    """A vocabulary file of the demo catalog is malformed (演示词表有误)."""


# --------------------------------------------------------------------------- vocabulary


@dataclass(frozen=True, slots=True)
class Region:
    code: str
    name: str
    qualified_name: str
    kind: str
    area_code: str


@dataclass(frozen=True, slots=True)
class AgencyTemplate:
    level: Level
    sector: str
    name: str
    short_name: str
    dept: str
    org_type: str
    parent: tuple[Level, str] | None
    county_weight: float
    email_domain: str


@dataclass(frozen=True, slots=True)
class Item:
    sector: str
    name: str
    data_type: DataType
    length: int | None
    sensitive: bool
    description: str


@dataclass(frozen=True, slots=True)
class ResourceTemplate:
    sector: str
    name: str
    category_code: str
    sharing: SharingType
    update_cycle: UpdateCycle
    format: ResourceFormat
    in_counties: bool
    open_to_public: bool
    fields: tuple[str, ...]
    summary: str
    note: str
    derived_from: tuple[str, ...]
    related: tuple[str, ...]
    not_aggregated: str
    services: tuple[ServiceKind, ...]


@dataclass(frozen=True, slots=True)
class ScenarioTemplate:
    sector: str
    name: str
    in_counties: bool
    uses: tuple[str, ...]
    description: str


@dataclass(frozen=True, slots=True)
class ProjectTemplate:
    sector: str
    name: str
    in_counties: bool
    supplies: tuple[str, ...]
    uses: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """Everything the demo catalog is generated from (演示目录词表)."""

    regions: tuple[Region, ...]
    agencies: tuple[AgencyTemplate, ...]
    surnames: tuple[tuple[str, str, int], ...]
    given: tuple[tuple[str, str], ...]
    categories: dict[str, tuple[str, str]]
    items: dict[str, Item]
    resources: tuple[ResourceTemplate, ...]
    scenarios: tuple[ScenarioTemplate, ...]
    projects: tuple[ProjectTemplate, ...]


def _rows(file: str, columns: int, required: int) -> Iterator[tuple[int, list[str]]]:
    """The data rows of a vocabulary file, padded to `columns` cells (comments skipped)."""
    text = package_files.files("interchange").joinpath(DATA_DIR, file).read_text("utf-8")
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = [cell.strip() for cell in line.split("\t")]
        if len(cells) > columns or any(not cell for cell in cells[:required]):
            raise DemoDataError(
                f"{DATA_DIR}/{file}:{number}: expected {required}-{columns} tab-separated "
                f"cells, the first {required} non-empty"
            )
        yield number, cells + [""] * (columns - len(cells))


def _split(cell: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in cell.split(";") if part.strip())


def _fail(file: str, number: int, message: str) -> DemoDataError:
    return DemoDataError(f"{DATA_DIR}/{file}:{number}: {message}")


def _levels(file: str, number: int, cell: str) -> bool:
    if cell not in ("C", "B"):
        raise _fail(file, number, f"levels must be C or B, not {cell!r}")
    return cell == "B"


@cache
def load_vocabulary() -> Vocabulary:
    """Read and cross-check the files of `interchange/demo_data/` (cached)."""
    regions = tuple(Region(c[0], c[1], c[2], c[3], c[4]) for _, c in _rows("regions.tsv", 5, 5))
    agencies = tuple(_agency_template(n, c) for n, c in _rows("agencies.tsv", 9, 6))
    surnames: list[tuple[str, str, int]] = []
    given: list[tuple[str, str]] = []
    for number, c in _rows("names.tsv", 4, 3):
        if c[0] == "surname":
            surnames.append((c[1], c[2], int(c[3] or 1)))
        elif c[0] == "given":
            given.append((c[1], c[2]))
        else:
            raise _fail("names.tsv", number, f"unknown kind {c[0]!r}")
    categories = {c[0]: (c[1], c[2]) for _, c in _rows("categories.tsv", 3, 3)}
    items: dict[str, Item] = {}
    for number, c in _rows("items.tsv", 6, 3):
        if c[1] in items:
            raise _fail("items.tsv", number, f"item {c[1]!r} is defined twice")
        try:
            data_type = DataType(c[2])
            length = int(c[3]) if c[3] else None
        except ValueError as error:
            raise _fail("items.tsv", number, f"bad data type or length: {error}") from None
        items[c[1]] = Item(c[0], c[1], data_type, length, c[4] == "Y", c[5] or c[1])
    resources = tuple(_resource_template(n, c) for n, c in _rows("resources.tsv", 15, 7))
    scenarios = tuple(
        ScenarioTemplate(c[0], c[1], _levels("scenarios.tsv", n, c[2]), _split(c[3]), c[4])
        for n, c in _rows("scenarios.tsv", 5, 4)
    )
    projects = tuple(
        ProjectTemplate(c[0], c[1], _levels("projects.tsv", n, c[2]), _split(c[3]), _split(c[4]))
        for n, c in _rows("projects.tsv", 5, 3)
    )
    vocabulary = Vocabulary(
        regions, agencies, tuple(surnames), tuple(given), categories, items,
        resources, scenarios, projects,
    )  # fmt: skip
    check_vocabulary(vocabulary)
    return vocabulary


def _agency_template(number: int, c: list[str]) -> AgencyTemplate:
    try:
        level = Level(c[0])
        parent = None
        if c[6]:
            parent_level, _, parent_sector = c[6].partition(":")
            parent = (Level(parent_level), parent_sector)
        weight = float(c[7]) if c[7] else 1.0
    except ValueError as error:
        raise _fail("agencies.tsv", number, str(error)) from None
    if c[5] not in _ORG_PREFIX:
        raise _fail("agencies.tsv", number, f"unknown org_type {c[5]!r}")
    return AgencyTemplate(level, c[1], c[2], c[3], c[4], c[5], parent, weight, c[8] or DEFAULT_EMAIL_DOMAIN)


def _resource_template(number: int, c: list[str]) -> ResourceTemplate:
    file = "resources.tsv"
    try:
        sharing = _SHARING_LETTERS[c[3]]
        services = tuple(_SERVICE_LETTERS[letter] for letter in _split(c[14]))
        cycle = UpdateCycle(c[4])
        resource_format = ResourceFormat(c[5])
    except (KeyError, ValueError) as error:
        raise _fail(file, number, f"bad sharing, cycle, format or services: {error}") from None
    if c[7] not in ("", "Y"):
        raise _fail(file, number, f"open must be Y or empty, not {c[7]!r}")
    return ResourceTemplate(
        sector=c[0],
        name=c[1],
        category_code=c[2],
        sharing=sharing,
        update_cycle=cycle,
        format=resource_format,
        in_counties=_levels(file, number, c[6]),
        open_to_public=c[7] == "Y",
        fields=_split(c[8]),
        summary=c[9],
        note=c[10],
        derived_from=_split(c[11]),
        related=_split(c[12]),
        not_aggregated=c[13],
        services=services,
    )


def check_vocabulary(v: Vocabulary) -> None:
    """Every name a file refers to must be defined by another (raises DemoDataError)."""
    problems: list[str] = []
    region_kinds = {r.kind for r in v.regions}
    if "province" not in region_kinds or "city" not in region_kinds:
        problems.append("regions.tsv needs a province and a city row")
    city_sectors = {a.sector for a in v.agencies if a.level is Level.CITY}
    sectors = {(a.level, a.sector) for a in v.agencies}
    depts: set[tuple[Level, str]] = set()
    for a in v.agencies:
        if (a.level, a.dept) in depts:
            problems.append(f"agencies.tsv: dept {a.dept} used twice at {a.level}")
        depts.add((a.level, a.dept))
        if a.parent and a.parent not in sectors:
            problems.append(f"agencies.tsv: {a.name}: unknown parent {a.parent}")
        if a.level is Level.COUNTY and a.sector not in city_sectors:
            problems.append(f"agencies.tsv: {a.name}: no city agency of sector {a.sector}")
    names: dict[str, ResourceTemplate] = {}
    for t in v.resources:
        if t.name in names:
            problems.append(f"resources.tsv: {t.name} defined twice")
        names[t.name] = t
    for t in v.resources:
        where = f"resources.tsv: {t.name}"
        if t.sector not in city_sectors:
            problems.append(f"{where}: no city agency of sector {t.sector}")
        if t.category_code not in v.categories:
            problems.append(f"{where}: unknown category {t.category_code}")
        if not 6 <= len(t.fields) <= 25 or len(set(t.fields)) != len(t.fields):
            problems.append(f"{where}: needs 6-25 distinct fields")
        if not t.summary:
            problems.append(f"{where}: needs a summary")
        problems.extend(f"{where}: unknown item {f}" for f in t.fields if f not in v.items)
        for ref in (*t.derived_from, *t.related):
            if ref not in names or ref == t.name:
                problems.append(f"{where}: unknown or own resource {ref}")
        if t.sharing is SharingType.NOT_SHARED and (not t.note or t.services):
            problems.append(f"{where}: NOT_SHARED needs a legal basis and no services")
    uses = [("scenarios.tsv", s.sector, s.name, s.uses) for s in v.scenarios]
    uses += [("projects.tsv", p.sector, p.name, (*p.supplies, *p.uses)) for p in v.projects]
    for file, sector, name, used in uses:
        if sector not in city_sectors:
            problems.append(f"{file}: {name}: no city agency of sector {sector}")
        for ref in used:
            if ref not in names:
                problems.append(f"{file}: {name}: unknown resource {ref}")
            elif file == "scenarios.tsv" and names[ref].sharing is SharingType.NOT_SHARED:
                problems.append(f"{file}: {name}: {ref} is not shared")
    for p in v.projects:
        problems.extend(
            f"projects.tsv: {p.name}: {ref} is not a resource of {p.sector}"
            for ref in p.supplies
            if ref in names and names[ref].sector != p.sector
        )
    if problems:
        raise DemoDataError("; ".join(problems[:20]))


# --------------------------------------------------------------------------- codes


def _char_value(ch: str) -> int:
    return int(ch) if ch.isdigit() else ord(ch) - ord("A") + 10


def organization_code_check(base: str) -> str:
    """The check character of an 8-character organization code base (GB 11714)."""
    remainder = 11 - sum(_char_value(ch) * w for ch, w in zip(base, _ORG_WEIGHTS, strict=True)) % 11
    return {10: "X", 11: "0"}.get(remainder, str(remainder))


def uscc_check(first17: str) -> str:
    """The check character of a unified social credit code (GB 32100)."""
    total = sum(_USCC_CHARS.index(ch) * w for ch, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return _USCC_CHARS[(31 - total % 31) % 31]


def is_valid_uscc(code: str) -> bool:
    """Whether `code` is 18 characters with a correct GB 32100 check character."""
    return len(code) == 18 and all(ch in _USCC_CHARS for ch in code) and uscc_check(code[:17]) == code[17]


# --------------------------------------------------------------------------- builder


@dataclass(slots=True, eq=False)
class _Agency:
    record: AgencyRecord
    template: AgencyTemplate
    region: Region


@dataclass(slots=True, eq=False)
class _Resource:
    record: ResourceRecord
    template: ResourceTemplate
    agency: _Agency


class _Builder:
    def __init__(self, seed: int, vocabulary: Vocabulary) -> None:
        self.rng = random.Random(seed)
        self.v = vocabulary
        self.codes: set[str] = set()
        self.emails: set[str] = set()
        self.agencies: list[_Agency] = []
        self.by_sector: dict[tuple[str, str], _Agency] = {}  # (region, sector)
        self.resources: list[_Resource] = []
        self.by_name: dict[tuple[str, str], _Resource] = {}  # (region, name)
        self.by_agency: dict[str, list[_Resource]] = {}
        self.regions = {r.kind: r for r in vocabulary.regions if r.kind in ("province", "city")}
        self.counties = [r for r in vocabulary.regions if r.kind in COUNTY_KINDS]

    # ---- agencies

    def build_agencies(self) -> None:
        for t in self.v.agencies:
            if t.level is Level.PROVINCE:
                self.add_agency(t, self.regions["province"])
        for t in self.v.agencies:
            if t.level is Level.CITY:
                self.add_agency(t, self.regions["city"])
        county_templates = [t for t in self.v.agencies if t.level is Level.COUNTY]
        for region in self.counties:
            for t in self.pick_departments(county_templates):
                self.add_agency(t, region)
        for agency in self.agencies:
            agency.record.parent = self.parent_code(agency)

    def pick_departments(self, templates: list[AgencyTemplate]) -> list[AgencyTemplate]:
        required = [t for t in templates if t.county_weight >= 1]
        optional = [t for t in templates if t.county_weight < 1]
        wanted = self.rng.randint(*_COUNTY_DEPARTMENTS) + 1 - len(required)  # + big-data bureau
        # Weighted sampling without replacement (Efraimidis-Spirakis keys).
        keys = {t.sector: self.rng.random() ** (1 / max(t.county_weight, 0.01)) for t in optional}
        chosen = set(sorted(keys, key=lambda s: -keys[s])[: max(wanted, 0)])
        return [t for t in templates if t in required or t.sector in chosen]

    def add_agency(self, t: AgencyTemplate, region: Region) -> None:
        def fill(text: str) -> str:
            return text.replace("{region}", region.name).replace("{qualified}", region.qualified_name)

        record = AgencyRecord(
            code=self.uscc(t.org_type, region.code),
            name=fill(t.name),
            level=t.level.value,
            short_name=fill(t.short_name),
            region_code=region.code,
            region_name=region.name,
            contacts=self.contacts(t, region),
        )
        agency = _Agency(record, t, region)
        self.agencies.append(agency)
        self.by_sector[(region.code, t.sector)] = agency

    def parent_code(self, agency: _Agency) -> str | None:
        t = agency.template
        if t.parent is None:
            if t.level is not Level.COUNTY:
                return None
            parent = self.by_sector.get((CITY_REGION, t.sector))
        else:
            level, sector = t.parent
            region = self.regions["province"] if level is Level.PROVINCE else self.regions["city"]
            parent = self.by_sector.get((region.code, sector))
        return parent.record.code if parent else None

    def uscc(self, org_type: str, region_code: str) -> str:
        while True:
            prefix = _ORG_PREFIX[org_type]
            digits = "0123456789" if prefix[0].isdigit() else _USCC_CHARS
            body = prefix + "".join(self.rng.choice(digits) for _ in range(8 - len(prefix)))
            first17 = org_type + region_code + body + organization_code_check(body)
            code = first17 + uscc_check(first17)
            if code not in self.codes:
                self.codes.add(code)
                return code

    # ---- people

    def person(self) -> tuple[str, str]:
        surnames = self.v.surnames
        surname, surname_pinyin, _ = self.rng.choices(surnames, [s[2] for s in surnames])[0]
        parts = [self.rng.choice(self.v.given) for _ in range(1 if self.rng.random() < 0.3 else 2)]
        name = surname + "".join(p[0] for p in parts)
        return name, surname_pinyin + "".join(p[1] for p in parts)

    def email(self, user: str, domain: str) -> str:
        candidate, n = f"{user}@{domain}", 1
        while candidate in self.emails:
            n += 1
            candidate = f"{user}{n}@{domain}"
        self.emails.add(candidate)
        return candidate

    def landline(self, region: Region) -> str:
        return f"{region.area_code}-{self.rng.randint(2, 8)}{self.rng.randint(0, 999999):06d}"

    def mobile(self) -> str:
        return f"{self.rng.choice(_MOBILE_PREFIXES)}{self.rng.randint(0, 99999999):08d}"

    def contacts(self, t: AgencyTemplate, region: Region) -> list[Contact]:
        chief, chief_user = self.person()
        leader, _ = self.person()
        contacts = [
            Contact(
                ContactRole.CHIEF_REPRESENTATIVE.value, chief, self.landline(region),
                self.email(chief_user, t.email_domain),
            ),
            Contact(ContactRole.RESPONSIBLE_LEADER.value, leader, self.landline(region)),
        ]  # fmt: skip
        for _ in range(self.rng.randint(1, 2)):
            name, user = self.person()
            if self.rng.random() < 0.5:
                address = self.email(user, t.email_domain)
            elif self.rng.random() < 0.5:
                address = self.email(user, self.rng.choice(("163.com", "126.com")))
            else:
                address = self.email(str(self.rng.randint(10**8, 10**10)), "qq.com")
            contacts.append(Contact(ContactRole.LIAISON.value, name, self.mobile(), address))
        return contacts

    # ---- resources

    def build_resources(self) -> None:
        templates: dict[str, list[ResourceTemplate]] = {}
        for t in self.v.resources:
            templates.setdefault(t.sector, []).append(t)
        for agency in self.agencies:
            own = templates.get(agency.template.sector, [])
            if agency.template.level is Level.CITY:
                chosen = own
            elif agency.template.level is Level.COUNTY:
                county = [t for t in own if t.in_counties]
                chosen = county[:1] + [t for t in county[1:] if self.rng.random() < _COUNTY_RESOURCE_SHARE]
            else:
                chosen = []
            for number, t in enumerate(chosen, start=1):
                self.add_resource(agency, t, number)
        for resource in self.resources:
            self.link(resource)
            self.add_services(resource)

    def add_resource(self, agency: _Agency, t: ResourceTemplate, number: int) -> None:
        region = agency.region
        names = list(t.fields)
        if agency.template.level is Level.COUNTY and len(names) > 8 and self.rng.random() < 0.3:
            names.pop(self.rng.randrange(1, len(names)))  # a county unit lacks one item
        unconditional = t.sharing is SharingType.UNCONDITIONAL
        fields = []
        for name in names:
            item = self.v.items[name]
            stricter = unconditional and item.sensitive
            fields.append(
                FieldRecord(
                    name=name,
                    data_type=item.data_type.value,
                    length=item.length,
                    description=item.description,
                    sharing_type=SharingType.CONDITIONAL.value if stricter else None,
                )
            )
        conditional = t.sharing is SharingType.CONDITIONAL
        record = ResourceRecord(
            code=f"{region.code}-{agency.template.dept}-{number:04d}",
            name=t.name,
            provider=agency.record.code,
            sharing_type=t.sharing.value,
            summary=t.summary.replace("{area}", region.name),
            category=self.v.categories[t.category_code][0],
            category_code=t.category_code,
            format=t.format.value,
            sharing_condition=(t.note or _DEFAULT_CONDITION) if conditional else None,
            legal_basis=t.note if t.sharing is SharingType.NOT_SHARED else None,
            open_to_public=t.open_to_public and unconditional,
            update_cycle=t.update_cycle.value,
            published_at=self.day(_PUBLISHED_FROM, _PUBLISHED_TO),
            aggregated=not t.not_aggregated,
            not_aggregated_reason=t.not_aggregated or None,
            fields=fields,
        )
        resource = _Resource(record, t, agency)
        self.resources.append(resource)
        self.by_name[(region.code, t.name)] = resource
        self.by_agency.setdefault(agency.record.code, []).append(resource)

    def build_updates(self) -> None:
        """Date each resource's last data update against DEMO_AS_OF (after everything else is
        drawn, so the rest of the document does not depend on it)."""
        for resource in self.resources:
            r = resource.record
            published = date.fromisoformat(r.published_at) if r.published_at else _PUBLISHED_FROM
            days = CYCLE_DAYS.get(UpdateCycle(r.update_cycle))
            if days is None:  # 不定期: an update some time since publication, or none yet
                if self.rng.random() < _IRREGULAR_UPDATED_SHARE:
                    r.updated_at = self.day(published, DEMO_AS_OF)
                continue
            late_by = timedelta(days=days + 1)  # last update before this day is overdue
            if self.rng.random() < _OVERDUE_SHARE and published <= DEMO_AS_OF - late_by:
                earliest = max(published, DEMO_AS_OF - late_by - timedelta(days=max(2 * days, 30)))
                r.updated_at = self.day(earliest, DEMO_AS_OF - late_by)
            else:
                r.updated_at = self.day(max(published, DEMO_AS_OF - timedelta(days=days)), DEMO_AS_OF)

    def day(self, first: date, last: date) -> str:
        return date.fromordinal(self.rng.randint(first.toordinal(), last.toordinal())).isoformat()

    def find(self, region: str, name: str) -> _Resource | None:
        """The resource of that name in the region, else the city's."""
        return self.by_name.get((region, name)) or self.by_name.get((CITY_REGION, name))

    def link(self, resource: _Resource) -> None:
        region = resource.agency.region.code
        r = resource.record

        def codes(names: Sequence[str]) -> list[str]:
            found = (self.find(region, name) for name in names)
            return [f.record.code for f in found if f is not None and f.record.code != r.code]

        r.derived_from = codes(resource.template.derived_from)
        related = codes(resource.template.related)
        city = self.by_name.get((CITY_REGION, r.name))
        if region != CITY_REGION and city is not None:
            related.append(city.record.code)  # a county entry relates to the city's
        r.related = list(dict.fromkeys(related))

    def add_services(self, resource: _Resource) -> None:
        r, t = resource.record, resource.template
        if t.sharing is SharingType.NOT_SHARED:
            return
        if t.services:
            kinds = [(kind, ServiceStatus.PUBLISHED) for kind in t.services]
        else:
            kinds = [(kind, self.status()) for kind in self.service_kinds(t)]
        prefix = "" if resource.agency.region.code == CITY_REGION else resource.agency.region.name
        names = [f.name for f in r.fields]
        for number, (kind, status) in enumerate(kinds, start=1):
            service = ServiceRecord(
                code=f"{r.code}-S{number:02d}",
                name=f"{prefix}{r.name}{_SERVICE_SUFFIX[kind]}",
                kind=kind.value,
                fields=self.exposed(kind, names),
                status=status.value,
            )
            r.services.append(service)

    def service_kinds(self, t: ResourceTemplate) -> list[ServiceKind]:
        rng = self.rng
        periodic = t.update_cycle in (UpdateCycle.MONTHLY, UpdateCycle.QUARTERLY, UpdateCycle.YEARLY)
        if rng.random() < 0.75:
            kinds = [ServiceKind.INTERFACE_QUERY]
        elif periodic and rng.random() < 0.5:
            kinds = [ServiceKind.BATCH_ANALYSIS]
        else:
            kinds = [ServiceKind.BATCH_EXPORT]
        key = self.v.items[t.fields[0]]
        identifying = key.data_type is DataType.STRING and re.search(r"号|码|编号", key.name)
        if identifying and rng.random() < 0.4:
            kinds.append(ServiceKind.INTERFACE_VERIFY)
        if ServiceKind.BATCH_ANALYSIS not in kinds and rng.random() < (0.3 if periodic else 0.12):
            kinds.append(ServiceKind.BATCH_ANALYSIS)
        export_share = 0.25 if t.sharing is SharingType.UNCONDITIONAL else 0.1
        if ServiceKind.BATCH_EXPORT not in kinds and rng.random() < export_share:
            kinds.append(ServiceKind.BATCH_EXPORT)
        return kinds

    def status(self) -> ServiceStatus:
        roll = self.rng.random()
        if roll < 0.86:
            return ServiceStatus.PUBLISHED
        return ServiceStatus.CHANGED if roll < 0.96 else ServiceStatus.OFFLINE

    def exposed(self, kind: ServiceKind, names: list[str]) -> list[str]:
        """The fields a service of that kind exposes, in the resource's order."""
        key, rest = names[0], names[1:]
        rng = self.rng
        if kind is ServiceKind.BATCH_EXPORT:
            return list(names)
        if kind is ServiceKind.INTERFACE_VERIFY:
            picked = set(rng.sample(rest[:4], min(len(rest[:4]), rng.randint(1, 3))))
        elif kind is ServiceKind.BATCH_ANALYSIS:
            picked = set(rng.sample(rest, min(len(rest), rng.randint(3, 6))))
            return [n for n in rest if n in picked]
        else:
            picked = {n for n in rest if rng.random() < 0.8}
            if len(picked) < 2:
                picked.update(rest[:2])
        return [key, *(n for n in rest if n in picked)]

    # ---- scenarios and grants

    def build_scenarios(self) -> tuple[list[ScenarioRecord], list[GrantRecord]]:
        scenarios: list[ScenarioRecord] = []
        grants: list[GrantRecord] = []
        numbers: dict[str, int] = {}
        plan: list[tuple[ScenarioTemplate, _Agency]] = []
        for t in self.v.scenarios:
            plan.append((t, self.by_sector[(CITY_REGION, t.sector)]))
        for region in self.counties:
            for t in self.v.scenarios:
                consumer = self.by_sector.get((region.code, t.sector))
                if t.in_counties and consumer and self.rng.random() < _COUNTY_SCENARIO_SHARE:
                    plan.append((t, consumer))
        for t, consumer in plan:
            at = consumer.region.code
            numbers[at] = numbers.get(at, 0) + 1
            scenario = ScenarioRecord(
                code=f"SC-{at}-{numbers[at]:04d}",
                name=t.name,
                agency=consumer.record.code,
                description=f"{consumer.record.name}：{t.description}",
            )
            scenarios.append(scenario)
            grants.extend(self.grants_for(scenario, t, consumer))
        return scenarios, grants

    def grants_for(self, scenario: ScenarioRecord, t: ScenarioTemplate, consumer: _Agency) -> Iterator[GrantRecord]:
        # The first few resources a scenario names are the ones it cannot do without.
        wanted = t.uses[: self.rng.randint(*_SCENARIO_RESOURCES)]
        for resource in dict.fromkeys(self.find(consumer.region.code, n) for n in wanted):
            if resource is None or resource.agency is consumer:
                continue
            service = self.choose_service(t.name, resource.record.services)
            if service is None:
                continue
            status = self.grant_status()
            if service.status == ServiceStatus.OFFLINE.value:
                status = self.rng.choice((GrantStatus.TERMINATED, GrantStatus.SUSPENDED))
            yield GrantRecord(scenario.code, service.code, self.minimal(service.fields), status.value)

    def choose_service(self, scenario: str, services: list[ServiceRecord]) -> ServiceRecord | None:
        live = [s for s in services if s.status != ServiceStatus.OFFLINE.value]
        if not live:
            # Rarely, a grant outlives its service going offline.
            return services[0] if services and self.rng.random() < 0.3 else None
        by_kind = {ServiceKind(s.kind): s for s in live}
        preferred = ServiceKind.INTERFACE_QUERY
        if _VERIFY_HINT.search(scenario) and self.rng.random() < 0.7:
            preferred = ServiceKind.INTERFACE_VERIFY
        elif _ANALYSIS_HINT.search(scenario) and self.rng.random() < 0.7:
            preferred = ServiceKind.BATCH_ANALYSIS
        return by_kind.get(preferred) or live[0]

    def minimal(self, fields: list[str]) -> list[str]:
        """A minimum-necessary subset of a service's fields (最小必要)."""
        if len(fields) <= 2:
            return list(fields)
        kept = {f for f in fields[1:] if self.rng.random() < 0.6} or {fields[1]}
        return [fields[0], *(f for f in fields[1:] if f in kept)]

    def grant_status(self) -> GrantStatus:
        roll = self.rng.random()
        if roll < 0.85:
            return GrantStatus.ACTIVE
        if roll < 0.91:
            return GrantStatus.SUSPENDED
        return GrantStatus.TERMINATED if roll < 0.95 else GrantStatus.EXPIRED

    # ---- projects

    def build_projects(self) -> list[ProjectRecord]:
        plan: list[tuple[ProjectTemplate, _Agency]] = []
        for t in self.v.projects:
            plan.append((t, self.by_sector[(CITY_REGION, t.sector)]))
        eligible = [
            (t, owner)
            for region in self.counties
            for t in self.v.projects
            if t.in_counties and (owner := self.by_sector.get((region.code, t.sector))) and self.declared(t, owner)
        ]
        picked = set(self.rng.sample(range(len(eligible)), min(len(eligible), self.rng.randint(*_COUNTY_PROJECTS))))
        plan.extend(pair for i, pair in enumerate(eligible) if i in picked)
        drafts = [d for d in (self.project_lists(t, owner) for t, owner in plan) if d]
        stages = list(ProjectStage)  # every stage at least once
        stages += self.rng.choices(list(_STAGE_WEIGHTS), list(_STAGE_WEIGHTS.values()), k=max(len(drafts) - 6, 0))
        self.rng.shuffle(stages)
        projects: list[ProjectRecord] = []
        numbers: dict[str, int] = {}
        for (name, owner, supplies, uses), stage in zip(drafts, stages[: len(drafts)], strict=True):
            at = owner.region.code
            numbers[at] = numbers.get(at, 0) + 1
            year = self.rng.randint(*_STAGE_YEARS[stage])
            projects.append(
                ProjectRecord(
                    code=f"XM-{at}-{year}-{numbers[at]:03d}",
                    name=name,
                    owner=owner.record.code,
                    stage=stage.value,
                    supplies=supplies,
                    uses=uses,
                )
            )
        return projects

    def declared(self, t: ProjectTemplate, owner: _Agency) -> list[str]:
        """The codes of the owner's own resources the project declares as its supply list."""
        return [
            r.record.code
            for r in self.by_agency.get(owner.record.code, [])
            if r.template.name in t.supplies and r.template.sharing is not SharingType.NOT_SHARED
        ]

    def project_lists(self, t: ProjectTemplate, owner: _Agency) -> tuple[str, _Agency, list[str], list[str]] | None:
        supplies = self.declared(t, owner)
        if not supplies:
            return None
        uses = []
        for name in t.uses:
            found = self.find(owner.region.code, name)
            if found is not None and found.agency is not owner:
                uses.append(found.record.code)
        return t.name.replace("{area}", owner.region.name), owner, supplies, uses


def build_demo_catalog(seed: int = DEFAULT_SEED) -> CatalogDocument:
    """A realistic, deterministic catalog of Jining city (same seed, same document)."""
    builder = _Builder(seed, load_vocabulary())
    builder.build_agencies()
    builder.build_resources()
    scenarios, grants = builder.build_scenarios()
    projects = builder.build_projects()
    builder.build_updates()
    # In the order the catalog writers produce (records by code), so a file round-trips equal.
    return CatalogDocument(
        agencies=sorted((a.record for a in builder.agencies), key=lambda a: a.code),
        resources=sorted((r.record for r in builder.resources), key=lambda r: r.code),
        scenarios=sorted(scenarios, key=lambda s: s.code),
        grants=sorted(grants, key=lambda g: (g.scenario, g.service)),
        projects=sorted(projects, key=lambda p: p.code),
    )
