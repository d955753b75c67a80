"""The embedded search index (内嵌检索索引) on a small catalog of several agencies."""

from __future__ import annotations

import sqlite3
import time
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from search.embedded import DB_FILE, EmbeddedSearchIndex
from search.index import DocKind, MatchReason, SearchDoc, SearchFilter, SearchQuery, SearchResult
from search.synonyms import SYNONYMS_PATH

SCJG = ("SCJG", "济宁市市场监督管理局", "CITY")
RC_SCJG = ("RCSCJG", "任城区市场监督管理局", "COUNTY")
SW = ("SW", "国家税务总局济宁市税务局", "CITY")
GA = ("GA", "济宁市公安局", "CITY")
JR = ("JRJ", "济宁市地方金融监督管理局", "CITY")
ZR = ("ZR", "济宁市自然资源和规划局", "CITY")


def field(
    key: str,
    name: str,
    agency: tuple[str, str, str],
    resource: str,
    sharing: str = "CONDITIONAL",
    category: str = "ECONOMIC",
    text: str = "",
) -> SearchDoc:
    code, provider, level = agency
    return SearchDoc(
        id=f"Field:{key}",
        kind=DocKind.FIELD,
        name=name,
        text=text,
        sharing_type=sharing,
        category=category,
        provider_code=code,
        provider_name=provider,
        level=level,
        resource_code=f"R-{code}",
        resource_name=resource,
    )


def agency(agency: tuple[str, str, str]) -> SearchDoc:
    code, name, level = agency
    return SearchDoc(id=f"Agency:{code}", kind=DocKind.AGENCY, name=name, level=level)


DOCS = [
    field("rc-tyshxydm", "统一社会信用代码", RC_SCJG, "市场主体登记信息"),
    field("scjg-tyshxydm", "统一社会信用代码", SCJG, "企业登记信息"),
    field("sw-tyshxydm", "统一社会信用代码", SW, "纳税人登记信息"),
    field("scjg-qymc", "企业名称", SCJG, "企业登记信息"),
    field("scjg-fddbr", "法定代表人", SCJG, "企业登记信息"),
    field("scjg-fr-tyshxydm", "法人统一社会信用代码", SCJG, "股东信息"),
    field("sw-nsrsbh", "纳税人识别号", SW, "纳税人登记信息", text="税务登记时赋予纳税人的识别号"),
    field("jr-zqdm", "证券代码", JR, "上市企业信息"),
    field("ga-gmsfhm", "公民身份号码", GA, "人口基本信息", sharing="UNCONDITIONAL", category="SOCIAL"),
    field("ga-xm", "姓名", GA, "人口基本信息", sharing="UNCONDITIONAL", category="SOCIAL"),
    field("zr-bdcqzsh", "不动产权证书号", ZR, "不动产登记信息", category="BASIC"),
    field("zr-html", "<b>代码</b>&备注", ZR, "不动产登记信息", category="BASIC"),
    SearchDoc(
        id="DataResource:R-SCJG",
        kind=DocKind.RESOURCE,
        name="企业登记信息",
        text="市场主体登记的统一社会信用代码、企业名称、法定代表人等",
        sharing_type="CONDITIONAL",
        category="ECONOMIC",
        provider_code="SCJG",
        provider_name="济宁市市场监督管理局",
        level="CITY",
    ),
    SearchDoc(
        id="DataResource:R-GA",
        kind=DocKind.RESOURCE,
        name="人口基本信息",
        text="户籍人口的姓名、公民身份号码、户籍地址",
        sharing_type="UNCONDITIONAL",
        category="SOCIAL",
        provider_code="GA",
        provider_name="济宁市公安局",
        level="CITY",
    ),
    agency(SCJG),
    agency(RC_SCJG),
    agency(GA),
    SearchDoc(id="Scenario:kb", kind=DocKind.SCENARIO, name="企业开办一件事", text="企业开办时核验法定代表人身份"),
]


@pytest.fixture
async def index(tmp_path: Path) -> AsyncIterator[EmbeddedSearchIndex]:
    ix = EmbeddedSearchIndex(tmp_path / "search")
    await ix.open()
    await ix.upsert(DOCS)
    yield ix
    await ix.close()


async def search(ix: EmbeddedSearchIndex, text: str, **kwargs: object) -> SearchResult:
    return await ix.search(SearchQuery(text, **kwargs))  # type: ignore[arg-type]


def ids(result: SearchResult) -> list[str]:
    return [h.id for h in result.hits]


# -- matching and ranking --------------------------------------------------------------


async def test_part_of_a_word_finds_the_whole(index: EmbeddedSearchIndex) -> None:
    found = ids(await search(index, "代码"))
    assert "Field:jr-zqdm" in found
    assert {"Field:scjg-tyshxydm", "Field:rc-tyshxydm", "Field:sw-tyshxydm"} <= set(found)


async def test_variant_ranks_canonical_fields_first_authority_then_level(index: EmbeddedSearchIndex) -> None:
    result = await search(index, "信用代码", explain=True)
    assert ids(result)[:3] == ["Field:scjg-tyshxydm", "Field:rc-tyshxydm", "Field:sw-tyshxydm"]
    first = result.hits[0]
    assert first.reasons[0] is MatchReason.SYNONYM
    rules = [c.rule for c in first.explanation]
    assert "authority:市场监督管理局" in rules and "level:CITY" in rules
    tax = result.hits[2]
    assert not any(c.rule.startswith("authority") for c in tax.explanation)
    # a field that only contains the item ranks below the exact-grade ones
    assert ids(result).index("Field:scjg-fr-tyshxydm") == 3


async def test_exact_name_ranks_above_everything(index: EmbeddedSearchIndex) -> None:
    result = await search(index, "统一社会信用代码")
    exact = {"Field:scjg-tyshxydm", "Field:rc-tyshxydm", "Field:sw-tyshxydm"}
    assert set(ids(result)[:3]) == exact
    assert result.hits[0].reasons[0] is MatchReason.EXACT
    assert min(h.score for h in result.hits[:3]) > max(h.score for h in result.hits[3:])


@pytest.mark.parametrize(
    "query", ["tyshxydm", "tongyishehuixinyongdaima", "TYSHXYDM", "tong yi she hui xin yong dai ma"]
)
async def test_pinyin_and_initials_find_the_item(index: EmbeddedSearchIndex, query: str) -> None:
    result = await search(index, query)
    assert result.hits and result.hits[0].id == "Field:scjg-tyshxydm"
    assert MatchReason.PINYIN in result.hits[0].reasons
    assert result.hits[0].highlight == "<em>统一社会信用代码</em>"


async def test_traditional_query(index: EmbeddedSearchIndex) -> None:
    result = await search(index, "統一社會信用代碼")
    assert result.hits[0].id == "Field:scjg-tyshxydm"
    assert MatchReason.TRADITIONAL in result.hits[0].reasons
    assert all(MatchReason.TRADITIONAL in h.reasons for h in result.hits)
    assert MatchReason.TRADITIONAL not in (await search(index, "统一社会信用代码")).hits[0].reasons


async def test_synonym_finds_the_standard_name(index: EmbeddedSearchIndex) -> None:
    result = await search(index, "身份证号")
    assert result.hits[0].id == "Field:ga-gmsfhm"
    assert result.hits[0].reasons == (MatchReason.SYNONYM,)
    assert (await search(index, "税号")).hits[0].id == "Field:sw-nsrsbh"


async def test_synonym_group_members_are_exact_grade(index: EmbeddedSearchIndex) -> None:
    stats = ("TJJ", "济宁市统计局", "CITY")
    await index.upsert([field("tj-shxydm", "社会信用代码", stats, "名录库")])
    for query in ["统一社会信用代码", "统一信用代码"]:  # the canonical name, and a sibling variant
        hits = {h.id: h for h in (await search(index, query, limit=50)).hits}
        variant = hits["Field:tj-shxydm"]
        assert variant.score >= 50 and variant.reasons[0] is MatchReason.SYNONYM, query
        assert hits["Field:scjg-tyshxydm"].score > variant.score  # the authoritative source first


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("统一社会信用代码信息", "Field:scjg-tyshxydm"),
        ("身份证号码号", "Field:ga-gmsfhm"),
        ("纳税人识别号码", "Field:sw-nsrsbh"),
    ],
)
async def test_extra_words_are_stripped(index: EmbeddedSearchIndex, query: str, expected: str) -> None:
    result = await search(index, query)
    assert result.hits[0].id == expected
    assert result.hits[0].score >= 50  # exact grade


async def test_two_characters_apart_are_a_partial_match(index: EmbeddedSearchIndex) -> None:
    result = await search(index, "证号")  # 不动产权证书号: 证…号
    assert ids(result)[0] == "Field:zr-bdcqzsh"
    assert result.hits[0].reasons == (MatchReason.PARTIAL,)
    assert result.hits[0].highlight == "不动产权<em>证</em>书<em>号</em>"


async def test_text_only_matches_rank_last(index: EmbeddedSearchIndex) -> None:
    result = await search(index, "户籍地址")
    assert ids(result) == ["DataResource:R-GA"]
    assert result.hits[0].reasons == (MatchReason.TEXT,)
    assert "<em>户籍地址</em>" in result.hits[0].highlight
    opened = await search(index, "开办")
    assert opened.hits[0].id == "Scenario:kb"


async def test_ties_are_broken_by_name_then_id(index: EmbeddedSearchIndex) -> None:
    await index.upsert([field("zz-xm", "姓名", GA, "人口基本信息"), field("aa-xm", "姓名", GA, "人口基本信息")])
    result = await search(index, "姓名")
    tied = [h for h in result.hits if h.score == result.hits[0].score]
    assert [h.id for h in tied] == sorted(h.id for h in tied)
    assert len(tied) == 3


# -- facets, filters, paging -----------------------------------------------------------


async def test_facets_count_every_match(index: EmbeddedSearchIndex) -> None:
    result = await search(index, "信用代码", limit=100)
    assert result.total == len(result.hits)
    by_key = {key: {f.value: f.count for f in counts} for key, counts in result.facets.items()}
    assert set(by_key) == {"kind", "sharingType", "category", "provider", "level"}
    docs = {d.id: d for d in DOCS}
    hits = [docs[h.id] for h in result.hits]
    assert by_key["kind"] == Counter(d.kind.value for d in hits)
    assert by_key["provider"] == Counter(d.provider_code for d in hits if d.provider_code)
    assert by_key["level"] == Counter(d.level for d in hits if d.level)
    assert by_key["provider"]["SCJG"] == 3  # 统一社会信用代码, 法人统一社会信用代码, the resource's text
    assert [f.count for f in result.facets["provider"]] == sorted(
        (f.count for f in result.facets["provider"]), reverse=True
    )


async def test_filters_limit_hits_total_and_facets(index: EmbeddedSearchIndex) -> None:
    county = await search(index, "统一社会信用代码", filter=SearchFilter(levels=["COUNTY"]))
    assert ids(county) == ["Field:rc-tyshxydm"]
    assert county.total == 1
    assert county.facets["level"][0].value == "COUNTY" and county.facets["level"][0].count == 1
    resources = await search(index, "信息", filter=SearchFilter(kinds=[DocKind.RESOURCE]))
    assert resources.total == 2 and all(h.kind is DocKind.RESOURCE for h in resources.hits)
    by_provider = await search(index, "代码", filter=SearchFilter(provider_codes=["SW", "JRJ"]))
    assert set(ids(by_provider)) == {"Field:sw-tyshxydm", "Field:jr-zqdm"}
    none = await search(index, "代码", filter=SearchFilter(sharing_types=["NOT_SHARED"]))
    assert none.total == 0 and none.hits == []
    mixed = await search(index, "身份", filter=SearchFilter(categories=["SOCIAL"], sharing_types=["UNCONDITIONAL"]))
    assert ids(mixed)[0] == "Field:ga-gmsfhm"


async def test_offset_and_limit_page_through_the_same_order(index: EmbeddedSearchIndex) -> None:
    full = ids(await search(index, "代码", limit=50))
    assert len(full) >= 6
    pages = ids(await search(index, "代码", limit=3)) + ids(await search(index, "代码", offset=3, limit=3))
    assert pages == full[:6]
    empty_page = await search(index, "代码", limit=0)
    assert empty_page.hits == [] and empty_page.total == len(full)
    assert (await search(index, "代码", facets=False)).facets == {}


# -- highlight and explain -------------------------------------------------------------


async def test_highlight_marks_matched_characters(index: EmbeddedSearchIndex) -> None:
    hits = {h.id: h.highlight for h in (await search(index, "代码", limit=50)).hits}
    assert hits["Field:jr-zqdm"] == "证券<em>代码</em>"
    assert hits["Field:scjg-tyshxydm"] == "统一社会信用<em>代码</em>"
    assert hits["Field:zr-html"] == "&lt;b&gt;<em>代码</em>&lt;/b&gt;&amp;备注"
    exact = (await search(index, "证券代码")).hits[0]
    assert exact.highlight == "<em>证券代码</em>"  # adjacent characters merged


async def test_explain_contributions_add_up_to_the_score(index: EmbeddedSearchIndex) -> None:
    for query in ["信用代码", "代码", "tysh", "证号", "户籍地址", "法人"]:
        result = await search(index, query, explain=True, limit=50)
        assert result.hits, query
        for hit in result.hits:
            assert hit.explanation, (query, hit.id)
            assert sum(c.score for c in hit.explanation) == pytest.approx(hit.score, abs=1e-5), (query, hit.id)
    plain = await search(index, "信用代码")
    assert all(h.explanation == () for h in plain.hits)


# -- persistence and writes ------------------------------------------------------------


async def test_results_survive_close_and_reopen(tmp_path: Path) -> None:
    ix = EmbeddedSearchIndex(tmp_path)
    await ix.open()
    await ix.upsert(DOCS)
    queries = ["信用代码", "代码", "tyshxydm", "身份证号", "信息", "tysh"]
    before = [await search(ix, q, limit=50) for q in queries]
    suggestions = await ix.suggest("tysh")
    await ix.close()
    assert (tmp_path / DB_FILE).exists()
    reopened = EmbeddedSearchIndex(tmp_path)
    await reopened.open()
    await reopened.open()  # idempotent
    assert await reopened.count() == len(DOCS)
    assert await reopened.all_ids() == {d.id for d in DOCS}
    for query, expected in zip(queries, before, strict=True):
        assert await search(reopened, query, limit=50) == expected, query
    assert await reopened.suggest("tysh") == suggestions
    await reopened.close()


async def test_reopen_with_a_changed_analyzer_reanalyses(tmp_path: Path) -> None:
    ix = EmbeddedSearchIndex(tmp_path)
    await ix.open()
    await ix.upsert(DOCS)
    expected = await search(ix, "信用代码")
    await ix.close()
    with sqlite3.connect(tmp_path / DB_FILE) as conn:
        conn.execute("UPDATE meta SET value = 'stale' WHERE key = 'analysis'")
        conn.execute("UPDATE names SET words = '', grams = ''")  # stale tokens must not be used
    reopened = EmbeddedSearchIndex(tmp_path)
    await reopened.open()
    assert await search(reopened, "信用代码") == expected
    await reopened.close()


async def test_delete_and_replace(index: EmbeddedSearchIndex, tmp_path: Path) -> None:
    await index.delete(["Field:jr-zqdm", "Field:missing"])
    assert "Field:jr-zqdm" not in ids(await search(index, "代码", limit=50))
    assert await index.count() == len(DOCS) - 1
    provider_facet = {f.value for f in (await search(index, "代码")).facets["provider"]}
    assert "JRJ" not in provider_facet
    renamed = field("sw-nsrsbh", "欠税金额", SW, "纳税人登记信息")
    await index.upsert([renamed])
    assert "Field:sw-nsrsbh" not in ids(await search(index, "纳税人识别号", limit=50))
    assert (await search(index, "欠税金额")).hits[0].id == "Field:sw-nsrsbh"
    assert await index.count() == len(DOCS) - 1
    await index.close()
    await index.open()
    assert "Field:jr-zqdm" not in await index.all_ids()
    assert (await search(index, "欠税金额")).hits[0].id == "Field:sw-nsrsbh"
    await index.clear()
    assert await index.count() == 0
    assert (await search(index, "代码")).total == 0


async def test_bad_documents_are_rejected_and_nothing_is_written(index: EmbeddedSearchIndex) -> None:
    with pytest.raises(ValueError):
        await index.upsert(
            [field("ok", "新字段", SCJG, "企业登记信息"), SearchDoc(id="", kind=DocKind.FIELD, name="x")]
        )
    assert "Field:ok" not in await index.all_ids()


async def test_closed_index_refuses_work(tmp_path: Path) -> None:
    ix = EmbeddedSearchIndex(tmp_path)
    with pytest.raises(RuntimeError):
        await ix.search(SearchQuery("代码"))


async def test_rebuild_replaces_everything(index: EmbeddedSearchIndex) -> None:
    async def batches() -> AsyncIterator[list[SearchDoc]]:
        yield DOCS[:5]
        yield DOCS[5:8]

    assert await index.rebuild(batches()) == 8
    assert await index.all_ids() == {d.id for d in DOCS[:8]}


# -- synonyms reload -------------------------------------------------------------------


async def test_synonyms_reload_without_reindex(tmp_path: Path) -> None:
    synonyms = tmp_path / "synonyms.tsv"
    synonyms.write_text(SYNONYMS_PATH.read_text(encoding="utf-8"), encoding="utf-8")
    ix = EmbeddedSearchIndex(tmp_path / "ix", synonyms_path=synonyms)
    await ix.open()
    await ix.upsert(DOCS)
    assert (await search(ix, "主体识别码")).total == 0
    with synonyms.open("a", encoding="utf-8") as f:
        f.write("纳税人识别号\t主体识别码\n")
    await ix.reload_synonyms()
    result = await search(ix, "主体识别码")
    assert result.hits[0].id == "Field:sw-nsrsbh"
    assert result.hits[0].reasons[0] is MatchReason.SYNONYM and result.hits[0].score >= 50
    await ix.close()


# -- suggestions -----------------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["tysh", "统一", "tongyi", "TYSH", "統一"])
async def test_suggest_by_prefix_pinyin_and_initials(index: EmbeddedSearchIndex, prefix: str) -> None:
    suggestions = await index.suggest(prefix)
    assert [s.text for s in suggestions] == ["统一社会信用代码"]  # three documents, one suggestion
    assert suggestions[0].id == "Field:scjg-tyshxydm" and suggestions[0].kind is DocKind.FIELD


async def test_suggest_orders_by_frequency(index: EmbeddedSearchIndex) -> None:
    await index.upsert(
        [field("x1", "企业类型", SCJG, "企业登记信息"), field("x2", "企业类型", RC_SCJG, "企业登记信息")]
    )
    assert [s.text for s in await index.suggest("企业")] == ["企业类型", "企业名称", "企业开办一件事", "企业登记信息"]
    assert [s.text for s in await index.suggest("qy", limit=2)] == ["企业类型", "企业名称"]
    assert await index.suggest("") == [] and await index.suggest("😀") == []
    assert await index.suggest("企业", limit=0) == []


# -- hostile input ---------------------------------------------------------------------


@pytest.mark.parametrize("query", ["", "   ", "😀🎉", "！？。，、", "<script>", "\x00\x01"])
async def test_nothing_searchable_gives_an_honest_empty_result(index: EmbeddedSearchIndex, query: str) -> None:
    result = await search(index, query)
    assert result.total == 0 and result.hits == []
    assert set(result.facets) == {"kind", "sharingType", "category", "provider", "level"}


async def test_very_long_queries_do_not_hang(index: EmbeddedSearchIndex) -> None:
    started = time.perf_counter()
    for query in ["x" * 10_000, "统一社会信用代码" * 1250, "代" * 10_000, "统一社会信用代码" + "😀" * 10_000]:
        await search(index, query, explain=True)
    assert time.perf_counter() - started < 2.0
    assert (await search(index, "统一社会信用代码" + "😀" * 10_000)).hits[0].id == "Field:scjg-tyshxydm"
