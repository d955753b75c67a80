"""The Elasticsearch index (Elasticsearch 检索索引): the embedded index's answers, versioned
indices behind an alias, rebuilds without downtime, synonyms without reindexing.

Runs when `CATALOG_TEST_SEARCH_URL` is set (`scripts/stack up elasticsearch`); with
`CATALOG_TEST_REQUIRE_SERVERS=1` a missing URL is a failure. Every test uses its own alias
`test-<random>` and drops its indices and template afterwards.
"""

from __future__ import annotations

import asyncio
import os
import re
import socket
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from elasticsearch import AsyncElasticsearch

from search import elasticsearch_index
from search.elasticsearch_index import ElasticsearchIndex, SearchIndexError, SearchUnavailableError
from search.embedded import EmbeddedSearchIndex
from search.index import DocKind, MatchReason, SearchDoc, SearchFilter, SearchQuery, SearchResult
from search.synonyms import SYNONYMS_PATH
from tests.backends import REQUIRE
from tests.test_search_embedded import DOCS, GA, RC_SCJG, SCJG, SW, field

URL = os.environ.get("CATALOG_TEST_SEARCH_URL")
if not URL and REQUIRE:
    raise RuntimeError("CATALOG_TEST_REQUIRE_SERVERS=1 but CATALOG_TEST_SEARCH_URL is not set")
pytestmark = pytest.mark.skipif(not URL, reason="CATALOG_TEST_SEARCH_URL is not set")

SCORE_TOLERANCE = 1e-3  # Elasticsearch scores are 32-bit floats


def _alias() -> str:
    return f"test-{uuid.uuid4().hex[:8]}"


def _synonyms_copy(tmp_path: Path) -> Path:
    path = tmp_path / "synonyms.tsv"
    path.write_text(SYNONYMS_PATH.read_text(encoding="utf-8"), encoding="utf-8")
    return path


@pytest.fixture
async def es(tmp_path: Path) -> AsyncIterator[ElasticsearchIndex]:
    """An empty index under a fresh alias, with its own copy of the synonym file."""
    assert URL
    ix = ElasticsearchIndex(URL, alias=_alias(), synonyms_path=_synonyms_copy(tmp_path))
    await ix.open()
    try:
        yield ix
    finally:
        await ix.drop()
        await ix.close()


@pytest.fixture
async def loaded(es: ElasticsearchIndex) -> ElasticsearchIndex:
    await es.upsert(DOCS)
    return es


# Spellings that normalisation changes: highlighting must still mark the right characters.
ODD_SPELLINGS = [
    field("tw-gmsfhm", "公民身份號碼", GA, "人口基本資訊"),
    field("fw-gis", "ＧＩＳ坐标（WGS84）", SCJG, "企业登记信息", text="经营场所的ＧＩＳ坐标"),
]


@pytest.fixture
async def both(es: ElasticsearchIndex, tmp_path: Path) -> AsyncIterator[tuple[ElasticsearchIndex, EmbeddedSearchIndex]]:
    """The same documents in Elasticsearch and in an embedded index."""
    ix = EmbeddedSearchIndex(tmp_path / "embedded")
    await ix.open()
    for target in (es, ix):
        await target.upsert(DOCS)
        await target.upsert(ODD_SPELLINGS)
    yield es, ix
    await ix.close()


async def search(ix: ElasticsearchIndex | EmbeddedSearchIndex, text: str, **kwargs: Any) -> SearchResult:
    return await ix.search(SearchQuery(text, **kwargs))


def ids(result: SearchResult) -> list[str]:
    return [h.id for h in result.hits]


async def raw_client() -> AsyncElasticsearch:
    assert URL
    return AsyncElasticsearch(URL, request_timeout=10)


async def serving(client: AsyncElasticsearch, alias: str) -> list[str]:
    response = await client.options(ignore_status=404).indices.get_alias(name=alias)
    return [] if response.meta.status == 404 else sorted(response.body)


async def versions(client: AsyncElasticsearch, alias: str) -> list[str]:
    return sorted((await client.indices.get(index=f"{alias}-v*")).body)


async def docs_in(batches: list[list[SearchDoc]]) -> AsyncIterator[list[SearchDoc]]:
    for batch in batches:
        yield batch


# -- the same answers as the embedded index ----------------------------------------------

PARITY_QUERIES: list[tuple[str, dict[str, Any]]] = [
    ("信用代码", {}),
    ("统一社会信用代码", {}),
    ("代码", {"limit": 50}),
    ("代码", {"offset": 3, "limit": 3}),
    ("代码", {"filter": SearchFilter(provider_codes=["SW", "JRJ"])}),
    ("统一社会信用代码", {"filter": SearchFilter(levels=["COUNTY"])}),
    ("信息", {"filter": SearchFilter(kinds=[DocKind.RESOURCE])}),
    ("身份", {"filter": SearchFilter(categories=["SOCIAL"], sharing_types=["UNCONDITIONAL"])}),
    ("tyshxydm", {}),
    ("tongyishehuixinyongdaima", {}),
    ("TYSHXYDM", {}),
    ("tong yi she hui xin yong dai ma", {}),
    ("tysh", {}),
    ("統一社會信用代碼", {}),
    ("身份证号", {}),
    ("税号", {}),
    ("统一社会信用代码信息", {}),
    ("身份证号码号", {}),
    ("纳税人识别号码", {}),
    ("证号", {}),
    ("户籍地址", {}),
    ("开办", {}),
    ("法人", {"limit": 50}),
    ("姓名", {}),
    ("不动产", {}),
    ("备注", {}),
    ("企业", {"limit": 50}),
    ("证", {"limit": 50}),
    ("市场监督管理局", {}),
    ("zzzzqqqq", {}),
    ("身份号码", {}),
    ("号码", {"limit": 50}),
    ("身份", {}),
    ("gis", {}),
    ("GIS坐标", {}),
    ("坐标", {}),
    ("wgs84", {}),
    ("经营场所", {}),
]


@pytest.mark.parametrize(
    ("text", "options"), PARITY_QUERIES, ids=[f"{q}-{i}" for i, (q, _) in enumerate(PARITY_QUERIES)]
)
async def test_same_answers_as_the_embedded_index(
    both: tuple[ElasticsearchIndex, EmbeddedSearchIndex], text: str, options: dict[str, Any]
) -> None:
    es, embedded = both
    expected = await search(embedded, text, explain=True, **options)
    got = await search(es, text, explain=True, **options)
    assert got.total == expected.total
    assert got.facets == expected.facets
    assert ids(got) == ids(expected)
    for mine, theirs in zip(got.hits, expected.hits, strict=True):
        assert (mine.kind, mine.name, mine.reasons, mine.highlight) == (
            theirs.kind,
            theirs.name,
            theirs.reasons,
            theirs.highlight,
        ), mine.id
        assert mine.score == pytest.approx(theirs.score, abs=SCORE_TOLERANCE), mine.id
        assert [c.rule for c in mine.explanation] == [c.rule for c in theirs.explanation], mine.id
        for a, b in zip(mine.explanation, theirs.explanation, strict=True):
            assert a.score == pytest.approx(b.score, abs=SCORE_TOLERANCE), (mine.id, a.rule)


@pytest.mark.parametrize(
    "prefix", ["tysh", "统一", "tongyi", "TYSH", "統一", "企业", "qy", "x", "gis", "公民", "😀", ""]
)
async def test_same_suggestions_as_the_embedded_index(
    both: tuple[ElasticsearchIndex, EmbeddedSearchIndex], prefix: str
) -> None:
    es, embedded = both
    assert await es.suggest(prefix) == await embedded.suggest(prefix)
    assert await es.suggest(prefix, limit=2) == await embedded.suggest(prefix, limit=2)


# -- the embedded index's rules, on Elasticsearch ----------------------------------------


async def test_variant_ranks_canonical_fields_first_authority_then_level(loaded: ElasticsearchIndex) -> None:
    result = await search(loaded, "信用代码", explain=True)
    assert ids(result)[:3] == ["Field:scjg-tyshxydm", "Field:rc-tyshxydm", "Field:sw-tyshxydm"]
    first = result.hits[0]
    assert first.reasons[0] is MatchReason.SYNONYM
    rules = [c.rule for c in first.explanation]
    assert "authority:市场监督管理局" in rules and "level:CITY" in rules
    assert not any(c.rule.startswith("authority") for c in result.hits[2].explanation)
    assert ids(result).index("Field:scjg-fr-tyshxydm") == 3


async def test_explain_contributions_add_up_to_the_score(loaded: ElasticsearchIndex) -> None:
    for query in ["信用代码", "代码", "tysh", "证号", "户籍地址", "法人", "統一社會信用代碼"]:
        result = await search(loaded, query, explain=True, limit=50)
        assert result.hits, query
        for hit in result.hits:
            assert hit.explanation, (query, hit.id)
            total = sum(c.score for c in hit.explanation)
            assert total == pytest.approx(hit.score, abs=SCORE_TOLERANCE), (query, hit.id)
    assert all(h.explanation == () for h in (await search(loaded, "信用代码")).hits)


async def test_ties_are_broken_by_name_then_id(loaded: ElasticsearchIndex) -> None:
    await loaded.upsert([field("zz-xm", "姓名", GA, "人口基本信息"), field("aa-xm", "姓名", GA, "人口基本信息")])
    result = await search(loaded, "姓名")
    tied = [h for h in result.hits if h.score == result.hits[0].score]
    assert [h.id for h in tied] == sorted(h.id for h in tied)
    assert len(tied) == 3


async def test_writes_are_visible_to_the_next_search(es: ElasticsearchIndex) -> None:
    await es.upsert([field("new", "欠税金额", SW, "纳税人登记信息")])
    assert ids(await search(es, "欠税金额")) == ["Field:new"]
    await es.delete(["Field:new", "Field:missing"])
    assert (await search(es, "欠税金额")).total == 0
    assert await es.count() == 0


async def test_delete_replace_and_clear(loaded: ElasticsearchIndex) -> None:
    await loaded.delete(["Field:jr-zqdm"])
    assert "Field:jr-zqdm" not in ids(await search(loaded, "代码", limit=50))
    assert "JRJ" not in {f.value for f in (await search(loaded, "代码")).facets["provider"]}
    await loaded.upsert([field("sw-nsrsbh", "欠税金额", SW, "纳税人登记信息")])
    assert "Field:sw-nsrsbh" not in ids(await search(loaded, "纳税人识别号", limit=50))
    assert (await search(loaded, "欠税金额")).hits[0].id == "Field:sw-nsrsbh"
    assert await loaded.count() == len(DOCS) - 1
    assert await loaded.all_ids() == {d.id for d in DOCS} - {"Field:jr-zqdm"}
    await loaded.clear()
    assert await loaded.count() == 0 and await loaded.all_ids() == set()
    assert (await search(loaded, "代码")).total == 0


async def test_all_ids_pages_through_every_document(
    loaded: ElasticsearchIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(elasticsearch_index, "IDS_PAGE", 4)
    assert await loaded.all_ids() == {d.id for d in DOCS}


async def test_bad_documents_are_rejected_and_nothing_is_written(es: ElasticsearchIndex) -> None:
    with pytest.raises(ValueError):
        await es.upsert([field("ok", "新字段", SCJG, "企业登记信息"), SearchDoc(id="", kind=DocKind.FIELD, name="x")])
    assert await es.all_ids() == set()


@pytest.mark.parametrize("query", ["", "   ", "😀🎉", "！？。，、", "<script>", "\x00\x01"])
async def test_nothing_searchable_gives_an_honest_empty_result(loaded: ElasticsearchIndex, query: str) -> None:
    result = await search(loaded, query)
    assert result.total == 0 and result.hits == []
    assert set(result.facets) == {"kind", "sharingType", "category", "provider", "level"}


async def test_very_long_queries_do_not_hang(loaded: ElasticsearchIndex) -> None:
    started = time.perf_counter()
    for query in ["x" * 10_000, "统一社会信用代码" * 1250, "代" * 10_000, "统一社会信用代码" + "😀" * 10_000]:
        await search(loaded, query, explain=True)
    assert time.perf_counter() - started < 10.0
    assert (await search(loaded, "统一社会信用代码" + "😀" * 10_000)).hits[0].id == "Field:scjg-tyshxydm"


async def test_deep_pages_are_empty_not_errors(loaded: ElasticsearchIndex) -> None:
    result = await search(loaded, "代码", offset=10**6)
    assert result.hits == [] and result.total == 7


async def test_closed_index_refuses_work() -> None:
    assert URL
    ix = ElasticsearchIndex(URL, alias=_alias())
    with pytest.raises(RuntimeError):
        await ix.search(SearchQuery("代码"))


# -- versioned indices behind the alias ------------------------------------------------------


async def test_open_creates_one_versioned_index_behind_the_alias(tmp_path: Path) -> None:
    assert URL
    alias = _alias()
    first, second = ElasticsearchIndex(URL, alias=alias), ElasticsearchIndex(URL, alias=alias)
    client = await raw_client()
    try:
        await asyncio.gather(first.open(), second.open())  # concurrent opens: still one version
        await first.open()  # idempotent
        (name,) = await serving(client, alias)
        assert re.fullmatch(rf"{alias}-v\d+", name)
        assert await versions(client, alias) == [name]
        await first.upsert(DOCS[:3])
        assert await second.count() == 3  # one alias, one index, whichever process writes
        reopened = ElasticsearchIndex(URL, alias=alias)
        await reopened.open()
        assert await serving(client, alias) == [name] and await reopened.count() == 3
        await reopened.close()
    finally:
        await first.drop()
        await asyncio.gather(first.close(), second.close(), client.close())
    check = await raw_client()
    try:
        assert not await check.indices.exists_index_template(name=f"{alias}-catalog")
        assert await serving(check, alias) == []
    finally:
        await check.close()


async def test_clear_swaps_in_an_empty_version(loaded: ElasticsearchIndex) -> None:
    client = await raw_client()
    try:
        (before,) = await serving(client, loaded.alias)
        await loaded.clear()
        (after,) = await serving(client, loaded.alias)
        assert after != before and await versions(client, loaded.alias) == [after]
        await loaded.clear()  # already empty: nothing to do
        assert await serving(client, loaded.alias) == [after]
    finally:
        await client.close()


async def test_rebuild_keeps_serving_the_old_version_until_the_swap(loaded: ElasticsearchIndex) -> None:
    client = await raw_client()
    old_ids = {d.id for d in DOCS}
    new_docs = [field("n1", "欠税金额", SW, "纳税人登记信息"), field("n2", "缴费基数", RC_SCJG, "社保缴费")]
    try:
        (before,) = await serving(client, loaded.alias)
        seen_during: list[tuple[set[str], int]] = []

        async def batches() -> AsyncIterator[list[SearchDoc]]:
            yield [*new_docs[:1], DOCS[0]]
            # the serving version still answers, untouched, while the new one loads
            seen_during.append((await loaded.all_ids(), (await search(loaded, "信用代码")).total))
            # writes meanwhile reach both versions; a delete is not undone by the rebuild
            await loaded.upsert([field("live", "住房公积金账号", SCJG, "公积金")])
            await loaded.delete([DOCS[0].id])
            yield [*new_docs[1:], DOCS[0]]

        assert await loaded.rebuild(batches()) == 4
        assert seen_during[0][0] == old_ids
        assert seen_during[0][1] == (await search_total_of(DOCS, "信用代码"))
        (after,) = await serving(client, loaded.alias)
        assert after != before and await versions(client, loaded.alias) == [after]
        assert await serving(client, loaded.building_alias) == []
        assert await loaded.all_ids() == {"Field:n1", "Field:n2", "Field:live"}
        assert ids(await search(loaded, "欠税金额")) == ["Field:n1"]
    finally:
        await client.close()


async def search_total_of(docs: list[SearchDoc], text: str) -> int:
    """What a fresh embedded index over `docs` counts for a query."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        ix = EmbeddedSearchIndex(tmp)
        await ix.open()
        await ix.upsert(docs)
        total = (await ix.search(SearchQuery(text))).total
        await ix.close()
    return total


async def test_failed_rebuild_keeps_the_serving_version(loaded: ElasticsearchIndex) -> None:
    client = await raw_client()
    try:
        (before,) = await serving(client, loaded.alias)

        async def batches() -> AsyncIterator[list[SearchDoc]]:
            yield [field("n1", "欠税金额", SW, "纳税人登记信息")]
            raise OSError("the graph went away")

        with pytest.raises(OSError):
            await loaded.rebuild(batches())
        assert await serving(client, loaded.alias) == [before]
        assert await versions(client, loaded.alias) == [before]  # the half-built one is gone
        assert await loaded.all_ids() == {d.id for d in DOCS}

        with pytest.raises(ValueError):  # a bad document aborts the rebuild the same way
            await loaded.rebuild(docs_in([[SearchDoc(id="", kind=DocKind.FIELD, name="x")]]))
        assert await versions(client, loaded.alias) == [before]
    finally:
        await client.close()


async def test_an_index_named_like_the_alias_is_refused() -> None:
    assert URL
    name = _alias()
    client = await raw_client()
    try:
        await client.indices.create(index=name)
        ix = ElasticsearchIndex(URL, alias=name)
        with pytest.raises(SearchIndexError, match="alias"):
            await ix.open()
        await ix.close()
    finally:
        await client.options(ignore_status=404).indices.delete(index=name)
        await client.options(ignore_status=404).indices.delete_index_template(name=f"{name}-catalog")
        await client.close()


async def test_an_index_built_by_other_analysis_is_flagged_stale(loaded: ElasticsearchIndex) -> None:
    assert URL
    client = await raw_client()
    try:
        await client.indices.put_mapping(index=loaded.alias, meta={"mapping_version": 0, "analysis_version": "old"})
        other = ElasticsearchIndex(URL, alias=loaded.alias)
        await other.open()
        assert other.stale
        assert await other.rebuild(docs_in([DOCS])) == len(DOCS)
        assert not other.stale
        await other.close()
    finally:
        await client.close()


def test_alias_names_are_checked() -> None:
    for bad in ["", "Catalog", "a b", "*", "-x", "a/b"]:
        with pytest.raises(ValueError):
            ElasticsearchIndex("http://127.0.0.1:9200", alias=bad)


# -- synonyms ------------------------------------------------------------------------------


async def test_synonyms_reload_without_reindex(loaded: ElasticsearchIndex, tmp_path: Path) -> None:
    client = await raw_client()
    try:
        (index,) = await serving(client, loaded.alias)
        assert (await search(loaded, "主体识别码")).total == 0
        with (tmp_path / "synonyms.tsv").open("a", encoding="utf-8") as f:
            f.write("纳税人识别号\t主体识别码\n")
        await loaded.reload_synonyms()
        result = await search(loaded, "主体识别码")
        assert result.hits[0].id == "Field:sw-nsrsbh"
        assert result.hits[0].reasons[0] is MatchReason.SYNONYM and result.hits[0].score >= 50
        assert await serving(client, loaded.alias) == [index]  # nothing was reindexed
    finally:
        await client.close()


# -- failures ------------------------------------------------------------------------------


def _closed_port() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{s.getsockname()[1]}"


async def test_an_unreachable_node_fails_fast_with_a_clear_error() -> None:
    ix = ElasticsearchIndex(_closed_port(), alias=_alias(), request_timeout=2)
    started = time.perf_counter()
    with pytest.raises(SearchUnavailableError, match="unreachable"):
        await ix.open()
    assert time.perf_counter() - started < 15


async def test_a_node_gone_away_fails_writes_and_searches_clearly(loaded: ElasticsearchIndex) -> None:
    live = loaded._client
    dead = AsyncElasticsearch(_closed_port(), request_timeout=2, max_retries=0)
    loaded._client = dead  # as if the node had stopped
    try:
        with pytest.raises(SearchUnavailableError):
            await loaded.upsert(DOCS[:1])
        with pytest.raises(SearchUnavailableError):
            await loaded.delete([DOCS[0].id])
        with pytest.raises(SearchUnavailableError):
            await loaded.search(SearchQuery("代码"))
        with pytest.raises(SearchUnavailableError):
            await loaded.count()
    finally:
        loaded._client = live
        await dead.close()
    assert (await search(loaded, "代码")).total == 7  # and recovers with the node
