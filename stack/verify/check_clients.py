"""Client-level smoke test for the local stack (official Python drivers).

    python stack/verify/check_clients.py        # needs: pip install neo4j "elasticsearch>=8,<9"

Uses CATALOG_GRAPH_URL / CATALOG_SEARCH_URL (defaults: bolt://127.0.0.1:7687, http://127.0.0.1:9200).
Creates and removes its own data (label StackCheck, index stackcheck-py-*).
"""

import os
import sys

from elasticsearch import Elasticsearch, helpers
from neo4j import GraphDatabase

GRAPH = os.environ.get("CATALOG_GRAPH_URL", "bolt://127.0.0.1:7687")
SEARCH = os.environ.get("CATALOG_SEARCH_URL", "http://127.0.0.1:9200")


def check_neo4j():
    with GraphDatabase.driver(GRAPH, auth=None) as driver:  # auth is disabled on the stack server
        driver.verify_connectivity()
        info = driver.get_server_info()
        with driver.session(database="neo4j") as s:
            s.run("CREATE CONSTRAINT stackcheck_urn IF NOT EXISTS FOR (n:StackCheck) REQUIRE n.urn IS UNIQUE").consume()
            s.run("CREATE CONSTRAINT stackcheck_urn IF NOT EXISTS FOR (n:StackCheck) REQUIRE n.urn IS UNIQUE").consume()
            rows = [{"urn": f"urn:sc:{i}", "name": f"t{i}"} for i in range(500)]
            s.execute_write(
                lambda tx: tx.run(
                    "UNWIND $rows AS r MERGE (n:StackCheck {urn: r.urn}) SET n.name = r.name", rows=rows
                ).consume()
            )
            s.run(
                "UNWIND range(0, 498) AS i MATCH (a:StackCheck {urn: 'urn:sc:' + i}), (b:StackCheck {urn: 'urn:sc:' + (i + 1)}) "
                "MERGE (a)-[:FEEDS]->(b)"
            ).consume()
            n = s.run("MATCH (n:StackCheck) RETURN count(n) AS c").single()["c"]
            path = s.run(
                "MATCH p = (:StackCheck {urn: 'urn:sc:0'})-[:FEEDS*1..5]->(x) RETURN max(length(p)) AS d"
            ).single()["d"]
            s.run("MATCH (n:StackCheck) DETACH DELETE n").consume()
            s.run("DROP CONSTRAINT stackcheck_urn IF EXISTS").consume()
        assert n == 500 and path == 5, (n, path)
        print(
            f"ok   neo4j {info.agent} bolt {info.protocol_version}: constraint IF NOT EXISTS, UNWIND $rows MERGE, var-length paths"
        )


def check_es():
    es = Elasticsearch(SEARCH, request_timeout=30)
    info = es.info()  # the 8.x client rejects servers without the X-Elastic-Product header
    assert info["version"]["number"].startswith("8."), info
    es.indices.put_index_template(
        name="stackcheck-py",
        index_patterns=["stackcheck-py-*"],
        template={
            "settings": {
                "number_of_shards": 1,
                "number_of_replicas": 0,
                "analysis": {
                    "filter": {"syn": {"type": "synonym_graph", "synonyms": ["customer, client"]}},
                    "analyzer": {
                        "idx": {"tokenizer": "whitespace", "filter": ["lowercase"]},
                        "srch": {"tokenizer": "whitespace", "filter": ["lowercase", "syn"]},
                    },
                },
            },
            "mappings": {
                "properties": {
                    "name": {
                        "type": "text",
                        "analyzer": "idx",
                        "search_analyzer": "srch",
                        "fields": {"keyword": {"type": "keyword"}},
                    },
                    "platform": {"type": "keyword"},
                }
            },
        },
    )
    for idx in ("stackcheck-py-1", "stackcheck-py-2"):
        if es.indices.exists(index=idx):
            es.indices.delete(index=idx)
    es.indices.create(index="stackcheck-py-1")
    ok, errors = helpers.bulk(
        es,
        (
            {
                "_index": "stackcheck-py-1",
                "_id": str(i),
                "name": f"Customer table {i}",
                "platform": "pg" if i % 2 else "bq",
            }
            for i in range(200)
        ),
        refresh="wait_for",
    )
    assert ok == 200 and not errors
    es.indices.update_aliases(actions=[{"add": {"index": "stackcheck-py-1", "alias": "stackcheck-py"}}])
    r = es.search(
        index="stackcheck-py",
        query={"match": {"name": "client"}},
        size=3,
        aggs={"p": {"terms": {"field": "platform"}}},
        highlight={"fields": {"name": {}}},
    )
    assert r["hits"]["total"]["value"] == 200 and "<em>Customer</em>" in r["hits"]["hits"][0]["highlight"]["name"][0], r
    assert sorted(b["key"] for b in r["aggregations"]["p"]["buckets"]) == ["bq", "pg"]
    assert es.count(index="stackcheck-py")["count"] == 200
    es.indices.create(index="stackcheck-py-2")
    es.indices.update_aliases(
        actions=[
            {"remove": {"index": "stackcheck-py-1", "alias": "stackcheck-py"}},
            {"add": {"index": "stackcheck-py-2", "alias": "stackcheck-py"}},
        ]
    )
    assert list(es.indices.get_alias(name="stackcheck-py").body) == ["stackcheck-py-2"]
    es.indices.delete(index="stackcheck-py-1,stackcheck-py-2")
    es.indices.delete_index_template(name="stackcheck-py")
    print(
        f"ok   elasticsearch {info['version']['number']} via python client: info, template, bulk helper, "
        "match+synonyms, terms agg, highlight, count, alias swap"
    )


if __name__ == "__main__":
    failed = False
    for name, fn in (("neo4j", check_neo4j), ("elasticsearch", check_es)):
        try:
            fn()
        except Exception as e:  # report both
            failed = True
            print(f"FAIL {name}: {type(e).__name__}: {e}", file=sys.stderr)
    sys.exit(1 if failed else 0)
