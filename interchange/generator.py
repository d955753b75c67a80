"""Generated catalogs at city and province scale (规模化生成目录), for load tests and benchmarks.

`generate_catalog(scale, seed)` is the scaled-up sibling of the hand-curated demo
(`interchange.demo`): the same vocabularies (agencies, resource / scenario / project
templates, data items, name characters) and the same builders (codes, people, services,
grants, update dates), multiplied out to the sizes in `SCALES`:

- agencies: every department of every region (Jining's units at city scale, Shandong's
  sixteen cities and their county units at province scale), topped up with subordinate
  units (事业单位 such as 信息中心) of those departments;
- resources: spread over agencies by a Zipf law (rank r holds ∝ 1 / r), ranks drawn with a
  bias towards city and province departments, so that a few agencies hold most of the
  catalog as in real ones; each resource follows a template of its agency's sector, and
  beyond the templates an agency repeats a template per year, per county or per kind of
  extract (「2024年度…」「…（历史数据）」);
- fields: the template's items, then further items of the sector and the common items, some
  of them under the variant names real catalogs use (the synonym dictionary's
  「身份证号码」 for 公民身份号码);
- scenarios of consumer agencies from the scenario templates, each with grants on the
  resources its template names plus popular ones; projects with a supply list of the
  owner's own resources and dependencies on other agencies' resources.

Everything comes from one `random.Random(seed)` and lists in a fixed order (no set or
hash order is ever iterated), so the same scale and seed give a byte-identical export.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources as package_files

from interchange.demo import (
    CITY_REGION,
    AgencyTemplate,
    DemoDataError,
    Item,
    ProjectTemplate,
    Region,
    ResourceTemplate,
    ScenarioTemplate,
    Vocabulary,
    _Agency,
    _Builder,
    _Resource,
    load_vocabulary,
)
from interchange.records import (
    AgencyRecord,
    CatalogDocument,
    FieldRecord,
    GrantRecord,
    ProjectRecord,
    ScenarioRecord,
)
from search.synonyms import SYNONYMS_PATH
from sharing.terms import GrantStatus, Level, ProjectStage, ServiceStatus, SharingType

GENERATOR_DATA = "generator_data"
PROVINCE_REGION = "370000"


@dataclass(frozen=True, slots=True)
class Scale:
    """The sizes of a generated catalog (生成规模)."""

    name: str
    agencies: int
    resources: int
    fields_per_resource: float  # mean
    scenarios: int
    grants_per_scenario: float  # mean
    projects: int
    province: bool  # all of Shandong (else Jining's units only)


SCALES: dict[str, Scale] = {
    "test": Scale("test", 60, 300, 15.0, 150, 4.0, 30, province=False),
    "city": Scale("city", 200, 10_000, 15.0, 5_000, 4.0, 1_000, province=False),
    "province": Scale("province", 5_000, 100_000, 15.0, 50_000, 4.0, 10_000, province=True),
}

# How likely an agency of each kind is to rank high in the Zipf draw of resource counts.
_RANK_BIAS = {"department": 1.0, "county": 0.35, "unit": 0.2}
_ZIPF_EXPONENT = 1.0
_FIELD_SIGMA = 0.5  # spread of the log-normal field count
_MIN_FIELDS, _MAX_FIELDS = 3, 60
_VARIANT_SHARE = 0.12  # fields named by a synonym variant instead of the canonical name
_YEARS = tuple(range(2016, 2027))
_EXTRACTS = ("历史数据", "存量数据", "增量数据", "统计汇总", "明细", "归档数据", "电子档案")
_SCENARIO_VARIANTS = ("{year}年{name}", "{name}专项行动", "{name}（试点）", "{name}（{area}）", "{name}二期")
_PROJECT_VARIANTS = ("{name}（{year}年）", "{name}二期", "{name}升级改造", "{name}（续建）")
_GRANTS_SPREAD = 2  # grants per scenario: mean ± this
_UNITS = (
    ("信息中心", "XX"), ("综合行政执法支队", "ZF"), ("事务服务中心", "FW"), ("发展研究中心", "YJ"),
    ("档案室", "DA"), ("检验检测中心", "JC"), ("调度指挥中心", "DD"), ("宣传教育中心", "XJ"),
    ("业务受理中心", "SL"), ("数据管理中心", "SJ"),
)  # fmt: skip
_PROJECT_STAGE_WEIGHTS = {
    ProjectStage.PLANNED: 10, ProjectStage.APPROVED: 20, ProjectStage.BUILDING: 30,
    ProjectStage.ACCEPTANCE: 15, ProjectStage.ACCEPTED: 20, ProjectStage.REJECTED: 5,
}  # fmt: skip
_STAGE_YEARS = {
    ProjectStage.PLANNED: (2026, 2026), ProjectStage.APPROVED: (2025, 2026),
    ProjectStage.BUILDING: (2024, 2026), ProjectStage.ACCEPTANCE: (2023, 2025),
    ProjectStage.ACCEPTED: (2022, 2025), ProjectStage.REJECTED: (2022, 2025),
}  # fmt: skip


class UnknownScale(ValueError):
    """A scale name that `SCALES` does not hold (未知规模)."""


# --------------------------------------------------------------------------- vocabulary


@dataclass(frozen=True, slots=True)
class _City:
    region: Region
    counties: tuple[Region, ...]


@cache
def shandong_cities() -> tuple[_City, ...]:
    """Shandong's cities other than Jining, with their county-level units."""
    text = package_files.files("interchange").joinpath(GENERATOR_DATA, "shandong.tsv").read_text("utf-8")
    cities: list[_City] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = [cell.strip() for cell in line.split("\t")]
        if len(cells) != 4 or not all(cells):
            raise DemoDataError(f"{GENERATOR_DATA}/shandong.tsv:{number}: expected 4 tab-separated cells")
        code, name, area, units = cells
        region = Region(code, name, name, "city", area)
        counties = tuple(
            Region(f"{code[:4]}{i:02d}", unit, f"{name}{unit}", "county", area)
            for i, unit in enumerate(units.split(";"), start=1)
        )
        cities.append(_City(region, counties))
    return tuple(cities)


@cache
def synonym_variants() -> dict[str, tuple[str, ...]]:
    """canonical item name → the variant names of its synonym group (bundled dictionary)."""
    variants: dict[str, tuple[str, ...]] = {}
    for line in SYNONYMS_PATH.read_text("utf-8").splitlines():
        if not line.strip() or line.startswith("#") or "\t" not in line:
            continue
        canonical, _, rest = line.partition("\t")
        names = tuple(v.strip() for v in rest.split(";") if v.strip())
        if names:
            variants[canonical.strip()] = names
    return variants


# --------------------------------------------------------------------------- builder


class _Generator(_Builder):
    """The demo's builder, multiplied out to a `Scale`."""

    def __init__(self, scale: Scale, seed: int, vocabulary: Vocabulary) -> None:
        super().__init__(seed, vocabulary)
        self.scale = scale
        self.city_of: dict[str, str] = {}  # region code → its city's code
        self.city_regions: list[Region] = [self.regions["city"]]
        self.county_regions: list[Region] = list(self.counties)
        for r in self.counties:
            self.city_of[r.code] = CITY_REGION
        self.city_of[CITY_REGION] = CITY_REGION
        self.city_of[PROVINCE_REGION] = PROVINCE_REGION
        if scale.province:
            for city in shandong_cities():
                self.city_regions.append(city.region)
                self.city_of[city.region.code] = city.region.code
                for county in city.counties:
                    self.county_regions.append(county)
                    self.city_of[county.code] = city.region.code
        self.kind: dict[str, str] = {}  # agency code → department / county / unit
        self.dept: dict[str, str] = {}  # agency code → the code part of its resource codes
        self.by_template: dict[tuple[str, str], list[_Resource]] = {}  # (region, template name)
        self.shared: list[_Resource] = []  # resources with a live service, grant candidates
        self.items_by_sector: dict[str, list[Item]] = {}
        for item in vocabulary.items.values():
            self.items_by_sector.setdefault(item.sector, []).append(item)

    # ---- agencies

    def build_agencies(self) -> None:
        v = self.v
        city_templates = [t for t in v.agencies if t.level is Level.CITY]
        county_templates = [t for t in v.agencies if t.level is Level.COUNTY]
        departments: list[tuple[AgencyTemplate, Region]] = []
        province = self.regions["province"]
        departments += [(t, province) for t in v.agencies if t.level is Level.PROVINCE]
        if self.scale.province:
            departments += [(_provincial(t), province) for t in city_templates if t.sector != "大数据局"]
        for region in self.city_regions:
            departments += [(_in_city(t, region), region) for t in city_templates]
        county_departments = [
            (t, region) for region in self.county_regions for t in self.pick_departments(county_templates)
        ]
        room = self.scale.agencies - len(departments)
        if len(county_departments) > room:  # a small scale keeps some county departments only
            keep = set(self.rng.sample(range(len(county_departments)), max(room, 0)))
            county_departments = [d for i, d in enumerate(county_departments) if i in keep]
        for t, region in departments + county_departments:
            self.add_agency(t, region)
            code = self.agencies[-1].record.code
            self.kind[code] = "county" if t.level is Level.COUNTY else "department"
            self.dept[code] = t.dept
        for agency in self.agencies:
            agency.record.parent = self.parent_code(agency)
        self.add_units(self.scale.agencies - len(self.agencies))

    def add_units(self, count: int) -> None:
        """Subordinate units (下属事业单位) of randomly chosen departments."""
        parents = list(self.agencies)
        taken: dict[str, int] = {}
        for _ in range(max(count, 0)):
            parent = self.rng.choice(parents)
            n = taken.get(parent.record.code, 0)
            if n >= len(_UNITS):
                continue
            taken[parent.record.code] = n + 1
            suffix, dept = _UNITS[n]
            t = replace(parent.template, org_type="12")
            record = AgencyRecord(
                code=self.uscc("12", parent.region.code),
                name=f"{parent.record.name}{suffix}",
                level=parent.record.level,
                short_name=f"{parent.record.short_name}{suffix}",
                region_code=parent.region.code,
                region_name=parent.region.name,
                parent=parent.record.code,
                contacts=self.contacts(t, parent.region),
            )
            self.agencies.append(_Agency(record, t, parent.region))
            self.kind[record.code] = "unit"
            self.dept[record.code] = f"{self.dept[parent.record.code]}{dept}"

    def parent_code(self, agency: _Agency) -> str | None:
        t = agency.template
        if agency.region.code in (CITY_REGION, PROVINCE_REGION):
            return super().parent_code(agency)
        city = self.city_of[agency.region.code]
        if t.parent is None:
            if t.level is not Level.COUNTY:  # another city's department: the province's
                found = self.by_sector.get((PROVINCE_REGION, t.sector))
            else:
                found = self.by_sector.get((city, t.sector))
        else:
            level, sector = t.parent
            found = self.by_sector.get((PROVINCE_REGION if level is Level.PROVINCE else city, sector))
        return found.record.code if found else None

    # ---- resources

    def build_resources(self) -> None:
        templates: dict[str, list[ResourceTemplate]] = {}
        for t in self.v.resources:
            templates.setdefault(t.sector, []).append(t)
        counts = self.resource_counts()
        for agency, count in zip(self.agencies, counts, strict=True):
            own = templates.get(agency.template.sector) or list(self.v.resources)
            if self.kind[agency.record.code] == "county":
                own = [t for t in own if t.in_counties] or own
            used: dict[str, None] = {}
            for number in range(1, count + 1):
                t = own[number - 1] if number <= len(own) else self.rng.choice(own)
                name = self.resource_name(t, agency, used)
                used[name] = None
                self.add_generated_resource(agency, t, number, name)
        for resource in self.resources:
            self.link(resource)
            self.add_services(resource)
            if any(s.status != ServiceStatus.OFFLINE.value for s in resource.record.services):
                self.shared.append(resource)

    def resource_counts(self) -> list[int]:
        """Resources per agency (in agency order): Zipf over ranks biased towards departments."""
        keys = [self.rng.random() * _RANK_BIAS[self.kind[a.record.code]] for a in self.agencies]
        order = sorted(range(len(self.agencies)), key=lambda i: -keys[i])
        weights = [1 / (rank + 1) ** _ZIPF_EXPONENT for rank in range(len(order))]
        total, spare = sum(weights), self.scale.resources - len(order)  # everyone holds one
        counts = [1] * len(order)
        shares = [spare * w / total for w in weights]
        for rank, share in enumerate(shares):
            counts[order[rank]] += int(share)
        left = self.scale.resources - sum(counts)
        by_remainder = sorted(range(len(order)), key=lambda r: -(shares[r] - int(shares[r])))
        for rank in by_remainder[: max(left, 0)]:
            counts[order[rank]] += 1
        return counts

    def resource_name(self, t: ResourceTemplate, agency: _Agency, used: dict[str, None]) -> str:
        if t.name not in used:
            return t.name
        counties = [r for r in self.county_regions if self.city_of[r.code] == agency.region.code]
        name = t.name
        for _ in range(6):
            roll = self.rng.random()
            if roll < 0.45:
                name = f"{self.rng.choice(_YEARS)}年度{t.name}"
            elif roll < 0.7 and counties:
                name = f"{self.rng.choice(counties).name}{t.name}"
            else:
                name = f"{t.name}（{self.rng.choice(_EXTRACTS)}）"
            if name not in used:
                return name
        return name

    def add_generated_resource(self, agency: _Agency, t: ResourceTemplate, number: int, name: str) -> None:
        self.add_resource(agency, t, number)
        resource = self.resources[-1]
        r = resource.record
        r.code = f"{agency.region.code}-{self.dept[agency.record.code]}-{number:05d}"
        r.name = name
        r.fields = self.fields(t, agency.template.sector, r.fields, t.sharing is SharingType.UNCONDITIONAL)
        self.by_template.setdefault((agency.region.code, t.name), []).append(resource)

    def fields(self, t: ResourceTemplate, sector: str, base: list[FieldRecord], unconditional: bool
               ) -> list[FieldRecord]:
        """The template's fields (some renamed to a variant), then further items, to a
        log-normal count whose mean is the scale's."""
        mean = self.scale.fields_per_resource
        mu = math.log(mean) - _FIELD_SIGMA**2 / 2
        wanted = min(_MAX_FIELDS, max(_MIN_FIELDS, round(self.rng.lognormvariate(mu, _FIELD_SIGMA))))
        fields = base[:wanted] if wanted < len(base) else list(base)
        names = {f.name: None for f in fields}
        items = self.v.items
        pool: Sequence[Item] = self.items_by_sector.get(sector) or ()
        common = self.items_by_sector.get("通用", [])
        for _ in range(3 * (wanted - len(fields))):
            if len(fields) >= wanted:
                break
            source = pool if pool and self.rng.random() < 0.7 else common
            item = self.rng.choice(source)
            if item.name in names:
                continue
            names[item.name] = None
            fields.append(FieldRecord(
                name=item.name, data_type=item.data_type.value, length=item.length,
                description=item.description,
                sharing_type=SharingType.CONDITIONAL.value if unconditional and item.sensitive else None,
            ))  # fmt: skip
        variants = synonym_variants()
        for i, f in enumerate(fields[1:], start=1):  # the key keeps its canonical name
            choices = variants.get(f.name)
            if choices and self.rng.random() < _VARIANT_SHARE:
                variant = self.rng.choice(choices)
                if variant not in names and variant not in items:
                    names[variant] = None
                    fields[i] = replace(f, name=variant)
        return fields

    def find(self, region: str, name: str) -> _Resource | None:
        """The first resource of that template in the region, else its city's, else the province's."""
        for at in (region, self.city_of.get(region, CITY_REGION), PROVINCE_REGION):
            found = self.by_template.get((at, name))
            if found:
                return found[0]
        return None

    def link(self, resource: _Resource) -> None:
        region = resource.agency.region.code
        r, t = resource.record, resource.template

        def codes(names: Sequence[str]) -> list[str]:
            found = (self.find(region, name) for name in names)
            return [f.record.code for f in found if f is not None and f.record.code != r.code]

        r.derived_from = codes(t.derived_from)
        related = codes(t.related)
        first = self.by_template[(region, t.name)][0]
        if first is not resource:
            related.append(first.record.code)  # a yearly or county extract relates to its base entry
        city = self.city_of.get(region, region)
        upper = self.by_template.get((city, t.name)) if city != region else None
        if upper:
            related.append(upper[0].record.code)  # a county entry relates to the city's
        r.related = [c for c in dict.fromkeys(related) if c != r.code]

    # ---- scenarios and grants

    def build_scenarios(self) -> tuple[list[ScenarioRecord], list[GrantRecord]]:
        by_sector: dict[str, list[_Agency]] = {}
        for agency in self.agencies:
            by_sector.setdefault(agency.template.sector, []).append(agency)
        scenarios: list[ScenarioRecord] = []
        grants: list[GrantRecord] = []
        numbers: dict[str, int] = {}
        used: dict[tuple[str, str], None] = {}
        templates = self.v.scenarios
        for _ in range(self.scale.scenarios):
            t = self.rng.choice(templates)
            consumers = by_sector.get(t.sector) or self.agencies
            consumer = self.rng.choice(consumers)
            at = consumer.region.code
            numbers[at] = numbers.get(at, 0) + 1
            name = t.name
            if (consumer.record.code, name) in used:
                pattern = self.rng.choice(_SCENARIO_VARIANTS)
                name = pattern.format(name=t.name, year=self.rng.choice(_YEARS[-5:]), area=consumer.region.name)
            used[(consumer.record.code, name)] = None
            scenario = ScenarioRecord(
                code=f"SC-{at}-{numbers[at]:05d}",
                name=name,
                agency=consumer.record.code,
                description=f"{consumer.record.name}：{t.description}",
            )
            scenarios.append(scenario)
            grants.extend(self.generated_grants(scenario, t, consumer))
        return scenarios, grants

    def generated_grants(self, scenario: ScenarioRecord, t: ScenarioTemplate, consumer: _Agency
                         ) -> list[GrantRecord]:
        mean = self.scale.grants_per_scenario
        wanted = self.rng.randint(max(1, round(mean - _GRANTS_SPREAD)), round(mean + _GRANTS_SPREAD))
        chosen: dict[str, _Resource] = {}
        for name in t.uses:
            found = self.find(consumer.region.code, name)
            if found is not None and found.agency is not consumer and found.record.services:
                chosen.setdefault(found.record.code, found)
        candidates = list(chosen.values())[:wanted]
        for _ in range(3 * wanted):
            if len(candidates) >= wanted or not self.shared:
                break
            # popular resources are granted more: early entries of big agencies come first
            pick = self.shared[int(len(self.shared) * self.rng.random() ** 2)]
            if pick.agency is not consumer and pick not in candidates:
                candidates.append(pick)
        grants: list[GrantRecord] = []
        services: dict[str, None] = {}
        for resource in candidates:
            service = self.choose_service(t.name, resource.record.services)
            if service is None or service.code in services:
                continue
            services[service.code] = None
            status = self.grant_status()
            if service.status == ServiceStatus.OFFLINE.value:
                status = self.rng.choice((GrantStatus.TERMINATED, GrantStatus.SUSPENDED))
            grants.append(GrantRecord(scenario.code, service.code, self.minimal(service.fields), status.value))
        return grants

    # ---- projects

    def build_projects(self) -> list[ProjectRecord]:
        by_sector: dict[str, list[ProjectTemplate]] = {}
        for t in self.v.projects:
            by_sector.setdefault(t.sector, []).append(t)
        owners = [a for a in self.agencies if any(
            r.template.sharing is not SharingType.NOT_SHARED for r in self.by_agency.get(a.record.code, [])
        )]  # fmt: skip
        # agencies with many resources run more projects
        weights = [len(self.by_agency.get(a.record.code, [])) ** 0.5 for a in owners]
        stages = list(_PROJECT_STAGE_WEIGHTS)
        stage_weights = list(_PROJECT_STAGE_WEIGHTS.values())
        numbers: dict[tuple[str, int], int] = {}
        used: dict[tuple[str, str], None] = {}
        projects: list[ProjectRecord] = []
        for owner in self.rng.choices(owners, weights, k=self.scale.projects):
            own = [r for r in self.by_agency[owner.record.code] if r.template.sharing is not SharingType.NOT_SHARED]
            templates = by_sector.get(owner.template.sector) or self.v.projects
            t = self.rng.choice(templates)
            supplies = [r for r in own if r.template.name in t.supplies][:6]
            extra = self.rng.sample(own, min(len(own), self.rng.randint(1, 4)))
            supplies = list(dict.fromkeys([*supplies, *extra]))[:8]
            uses: list[str] = []
            for name in t.uses:
                found = self.find(owner.region.code, name)
                if found is not None and found.agency is not owner:
                    uses.append(found.record.code)
            for _ in range(self.rng.randint(0, 4)):
                if self.shared:
                    pick = self.shared[int(len(self.shared) * self.rng.random() ** 2)]
                    if pick.agency is not owner:
                        uses.append(pick.record.code)
            name = t.name.replace("{area}", owner.region.name)
            if (owner.record.code, name) in used:
                name = self.rng.choice(_PROJECT_VARIANTS).format(name=name, year=self.rng.choice(_YEARS[-6:]))
            used[(owner.record.code, name)] = None
            stage = self.rng.choices(stages, stage_weights)[0]
            year = self.rng.randint(*_STAGE_YEARS[stage])
            key = (owner.region.code, year)
            numbers[key] = numbers.get(key, 0) + 1
            projects.append(ProjectRecord(
                code=f"XM-{owner.region.code}-{year}-{numbers[key]:04d}",
                name=name,
                owner=owner.record.code,
                stage=stage.value,
                supplies=[r.record.code for r in supplies],
                uses=list(dict.fromkeys(uses)),
            ))  # fmt: skip
        return projects


def _in_city(t: AgencyTemplate, region: Region) -> AgencyTemplate:
    """A Jining department template as the same department of another city."""
    if region.code == CITY_REGION:
        return t
    short = region.name.removesuffix("市")
    return replace(
        t,
        name=t.name.replace("济宁市", region.name).replace("济宁", short),
        short_name=t.short_name.replace("济宁", short),
        email_domain=t.email_domain.replace("jining", f"c{region.code[:4]}"),
    )


def _provincial(t: AgencyTemplate) -> AgencyTemplate:
    """A Jining department template as the province's department of that sector."""
    name = t.name.replace("济宁市中级人民法院", "山东省高级人民法院").replace("济宁市", "山东省")
    if t.sector == "供电":
        name = "国网山东省电力公司"
    return replace(
        t,
        level=Level.PROVINCE,
        name=name.replace("济宁", "山东"),
        short_name=t.short_name.replace("市", "省", 1).replace("济宁", "山东"),
        parent=None,
        email_domain="shandong.gov.cn",
    )


def scale_of(name: str) -> Scale:
    try:
        return SCALES[name]
    except KeyError:
        raise UnknownScale(f"unknown scale {name!r}: one of {', '.join(SCALES)}") from None


def generate_catalog(scale: str, seed: int) -> CatalogDocument:
    """A generated catalog of the named scale (`SCALES`); the same seed, the same document."""
    builder = _Generator(scale_of(scale), seed, load_vocabulary())
    builder.build_agencies()
    builder.build_resources()
    scenarios, grants = builder.build_scenarios()
    projects = builder.build_projects()
    builder.build_updates()
    return CatalogDocument(
        agencies=sorted((a.record for a in builder.agencies), key=lambda a: a.code),
        resources=sorted((r.record for r in builder.resources), key=lambda r: r.code),
        scenarios=sorted(scenarios, key=lambda s: s.code),
        grants=sorted(grants, key=lambda g: (g.scenario, g.service)),
        projects=sorted(projects, key=lambda p: p.code),
    )
