"""Ranking parity of the two search backends on the demo catalog (检索结果一致性对比).

Loads the demo catalog (`interchange.demo.build_demo_catalog`) into an embedded graph and
embedded index, indexes the same documents into Elasticsearch under a fresh temporary alias,
runs realistic queries against both and prints, per query, the overlap of the top ten, whether
the first hits agree, whether the whole top ten is in the same order and the totals. The
alias is dropped afterwards. Run through `scripts/search-parity`.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import uuid
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from graph.embedded import EmbeddedGraphStore
from graph.model import NodeRef
from graph.store import GraphStore
from interchange.demo import build_demo_catalog
from interchange.load import load_document
from interchange.origins import Origins
from search.elasticsearch_index import ElasticsearchIndex
from search.embedded import EmbeddedSearchIndex
from search.index import SearchDoc, SearchIndex, SearchQuery, SearchResult
from search.projection import INDEXED_LABELS, project
from sharing.catalog_writer import CatalogWriter

TOP = 10

# (query, what it exercises)
QUERIES: tuple[tuple[str, str], ...] = (
    ("统一社会信用代码", "exact"),
    ("信用代码", "synonym"),
    ("身份证号", "synonym"),
    ("法人", "synonym"),
    ("手机号", "synonym"),
    ("税号", "synonym"),
    ("注册资金", "synonym"),
    ("户口所在地", "synonym"),
    ("工作单位", "synonym"),
    ("学历", "synonym"),
    ("社保卡号", "abbreviation"),
    ("公积金账号", "abbreviation"),
    ("吊销执照日期", "abbreviation"),
    ("联系方式", "synonym"),
    ("代码", "partial"),
    ("号码", "partial"),
    ("登记", "partial"),
    ("许可证", "partial"),
    ("不动产", "partial"),
    ("车辆", "partial"),
    ("证号", "partial, characters apart"),
    ("tongyishehuixinyongdaima", "pinyin"),
    ("shenfenzheng", "pinyin"),
    ("gongjijin", "pinyin"),
    ("xingming", "pinyin"),
    ("tyshxydm", "initials"),
    ("gmsfhm", "initials"),
    ("bdcqzsh", "initials"),
    ("nsrsbh", "initials"),
    ("統一社會信用代碼", "traditional"),
    ("身份證號碼", "traditional"),
    ("營業執照", "traditional"),
    ("统一社会信用代码信息", "extra words"),
    ("身份证号码号", "extra words"),
    ("纳税人识别号码", "extra words"),
    ("企业名称数据", "extra words"),
    ("不动产权证书号信息", "extra words"),
    ("养老保险", "words and text"),
    ("出生医学证明", "words and text"),
    ("企业开办", "scenario"),
    ("低保", "words and text"),
    ("市场监督管理局", "agency"),
    ("人口基本信息", "resource"),
    ("码", "one character"),
    ("fddbr", "initials"),
    ("tong yi she hui", "pinyin typed apart"),
    ("法定代表人身份证号", "long query, synonym inside"),
    ("企业注册登记统一社会信用代码", "long query"),
)


@dataclass(frozen=True, slots=True)
class Row:
    query: str
    note: str
    overlap: float  # |A ∩ B| / min(TOP, max(|A|, |B|)); 1.0 when both are empty
    top1: bool
    same_order: bool
    total_embedded: int
    total_es: int
    same_details: int  # common top hits with the same reasons and highlight
    common: int
    score_delta: float  # largest |score difference| of a common top hit
    first_difference: str  # "" when the top ten are identical


async def _documents(store: GraphStore) -> AsyncIterator[list[SearchDoc]]:
    for label in INDEXED_LABELS:
        async for nodes in store.iter_nodes(label):
            docs, _ = await project(store, [NodeRef(label, n.key) for n in nodes])
            yield docs


def compare(query: str, note: str, a: SearchResult, b: SearchResult) -> Row:
    ids_a, ids_b = [h.id for h in a.hits[:TOP]], [h.id for h in b.hits[:TOP]]
    size = min(TOP, max(len(ids_a), len(ids_b)))
    overlap = len(set(ids_a) & set(ids_b)) / size if size else 1.0
    difference = ""
    for i, (x, y) in enumerate(zip(ids_a, ids_b, strict=False)):
        if x != y:
            difference = (
                f"#{i + 1}: {a.hits[i].name} ({a.hits[i].score:.3f}) / {b.hits[i].name} ({b.hits[i].score:.3f})"
            )
            break
    else:
        if len(ids_a) != len(ids_b):
            difference = f"{len(ids_a)} vs {len(ids_b)} hits"
    by_id = {h.id: h for h in b.hits[:TOP]}
    common = [(h, by_id[h.id]) for h in a.hits[:TOP] if h.id in by_id]
    same_details = sum(x.reasons == y.reasons and x.highlight == y.highlight for x, y in common)
    delta = max((abs(x.score - y.score) for x, y in common), default=0.0)
    return Row(
        query=query,
        note=note,
        overlap=overlap,
        top1=ids_a[:1] == ids_b[:1],
        same_order=ids_a == ids_b,
        total_embedded=a.total,
        total_es=b.total,
        same_details=same_details,
        common=len(common),
        score_delta=delta,
        first_difference=difference,
    )


async def _compare(text: str, note: str, embedded: SearchIndex, es: SearchIndex) -> Row:
    q = SearchQuery(text, limit=TOP)
    return compare(text, note, await embedded.search(q), await es.search(q))


async def run(
    url: str, user: str | None, password: str | None, queries: Sequence[tuple[str, str]], churn: bool = False
) -> list[Row]:
    """Rows for the queries; with `churn`, then again after a third of the documents were replaced."""
    with tempfile.TemporaryDirectory(prefix="search-parity-") as tmp:
        store = EmbeddedGraphStore(Path(tmp))
        embedded = EmbeddedSearchIndex(Path(tmp) / "search")
        es = ElasticsearchIndex(url, user=user, password=password, alias=f"parity-{uuid.uuid4().hex[:8]}")
        indices: list[SearchIndex] = [embedded, es]
        await store.open()
        try:
            for index in indices:
                await index.open()
            await load_document(build_demo_catalog(), Origins(), "demo", CatalogWriter(store, embedded))
            indexed = await es.rebuild(_documents(store))
            print(f"demo catalog: {await embedded.count()} documents embedded, {indexed} in Elasticsearch", flush=True)
            rows = [await _compare(text, note, embedded, es) for text, note in queries]
            if churn:
                # a third of the documents replaced: Lucene counts the replaced versions in
                # its statistics until segments merge, the embedded index never does
                async for docs in _documents(store):
                    await es.upsert(docs[::3])
                rows += [await _compare(text, f"{note}, replaced", embedded, es) for text, note in queries]
            return rows
        finally:
            try:
                await es.drop()
            finally:
                for index in indices:
                    await index.close()
                await store.close()


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def report(rows: Sequence[Row]) -> str:
    lines = [
        f"{_pad('query', 26)} {_pad('kind', 26)} overlap top1 order  totals (embedded/ES)  "
        "reasons+highlight  max Δscore  first difference",
    ]
    for r in rows:
        lines.append(
            f"{_pad(r.query, 26)} {_pad(r.note, 26)} {r.overlap:7.2f} {'yes' if r.top1 else 'NO':>4} "
            f"{'same' if r.same_order else 'diff':>5}  {r.total_embedded:>7} / {r.total_es:<7}     "
            f"{r.same_details:>6}/{r.common:<6}       {r.score_delta:9.5f}  {r.first_difference}"
        )
    n = max(1, len(rows))
    lines.append(
        f"mean overlap {sum(r.overlap for r in rows) / n:.3f}; top-1 agrees {sum(r.top1 for r in rows)}/{len(rows)}; "
        f"same top-{TOP} order {sum(r.same_order for r in rows)}/{len(rows)}; "
        f"same totals {sum(r.total_embedded == r.total_es for r in rows)}/{len(rows)}; "
        f"same reasons and highlight {sum(r.same_details for r in rows)}/{sum(r.common for r in rows)} common hits; "
        f"max Δscore {max((r.score_delta for r in rows), default=0.0):.5f}"
    )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="embedded vs Elasticsearch ranking on the demo catalog")
    parser.add_argument("--url", default=os.environ.get("CATALOG_SEARCH_URL") or "http://127.0.0.1:9200")
    parser.add_argument("--user", default=os.environ.get("CATALOG_SEARCH_USER"))
    parser.add_argument("--password", default=os.environ.get("CATALOG_SEARCH_PASSWORD"))
    parser.add_argument("--min-overlap", type=float, default=0.0, help="exit 1 when the mean overlap is lower")
    parser.add_argument(
        "--churn",
        action="store_true",
        help="then replace a third of the documents in Elasticsearch and compare again (stale Lucene statistics)",
    )
    args = parser.parse_args(argv)
    rows = asyncio.run(run(args.url, args.user, args.password, QUERIES, args.churn))
    fresh, replaced = rows[: len(QUERIES)], rows[len(QUERIES) :]
    print(report(fresh))
    if replaced:
        print("\nafter replacing a third of the documents:")
        print(report(replaced))
    mean = sum(r.overlap for r in fresh) / max(1, len(fresh))
    return 0 if mean >= args.min_overlap else 1


if __name__ == "__main__":
    sys.exit(main())
