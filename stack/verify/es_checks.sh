#!/usr/bin/env bash
# Feature checks against a running stack Elasticsearch node (curl + jq). Usage: stack/verify/es_checks.sh [URL]
# Creates and deletes indices named stackcheck-*; exits non-zero on the first failed check.
set -euo pipefail
ES="${1:-${CATALOG_SEARCH_URL:-http://127.0.0.1:9200}}"
pass=0
req() { # method path [json-body]
  local m=$1 p=$2
  if [ $# -ge 3 ]; then curl -sS -X "$m" "$ES$p" -H 'Content-Type: application/json' --data-binary "$3"
  else curl -sS -X "$m" "$ES$p"; fi
}
check() { # description jq-filter-that-must-be-true json
  if echo "$3" | jq -e "$2" >/dev/null; then pass=$((pass+1)); echo "ok   $1"
  else echo "FAIL $1"; echo "     filter: $2"; echo "     got: $(echo "$3" | head -c 1500)"; exit 1; fi
}
cleanup() { req DELETE "/stackcheck-v1,stackcheck-v2?ignore_unavailable=true" >/dev/null 2>&1 || true; req DELETE /_index_template/stackcheck >/dev/null 2>&1 || true; }
trap cleanup EXIT
cleanup

r=$(curl -sS -D - -o /dev/null "$ES/")
check "GET / answers with X-Elastic-Product: Elasticsearch" '.' "$(echo "$r" | grep -qi '^x-elastic-product: Elasticsearch' && echo true || echo false)"
check "version 8.x" '.version.number | startswith("8.")' "$(req GET /)"
check "cluster health yellow/green" '.status == "green" or .status == "yellow"' "$(req GET '/_cluster/health?wait_for_status=yellow&timeout=30s')"

r=$(req PUT /_index_template/stackcheck '{
  "index_patterns": ["stackcheck-*"],
  "template": {
    "settings": {
      "number_of_shards": 1, "number_of_replicas": 0,
      "analysis": {
        "char_filter": { "dots": { "type": "mapping", "mappings": [". => _"] } },
        "tokenizer": { "ident": { "type": "pattern", "pattern": "[^\\p{L}\\p{N}]+" } },
        "filter": {
          "syn": { "type": "synonym_graph", "synonyms": ["customer, client", "tx, transaction", "usd => dollar"] },
          "ed": { "type": "edge_ngram", "min_gram": 2, "max_gram": 10 }
        },
        "analyzer": {
          "name_index":  { "type": "custom", "tokenizer": "ident", "filter": ["lowercase", "asciifolding"] },
          "name_search": { "type": "custom", "tokenizer": "ident", "filter": ["lowercase", "asciifolding", "syn"] },
          "ws_lower":    { "type": "custom", "tokenizer": "whitespace", "filter": ["lowercase"] },
          "path":        { "type": "pattern", "pattern": "[./]", "lowercase": true },
          "prefix":      { "type": "custom", "tokenizer": "whitespace", "filter": ["lowercase", "ed"] }
        },
        "normalizer": { "lc": { "type": "custom", "filter": ["lowercase", "asciifolding"] } }
      }
    },
    "mappings": {
      "properties": {
        "urn":         { "type": "keyword" },
        "name":        { "type": "text", "analyzer": "name_index", "search_analyzer": "name_search",
                         "fields": { "keyword": { "type": "keyword" }, "lc": { "type": "keyword", "normalizer": "lc" },
                                     "prefix": { "type": "text", "analyzer": "prefix", "search_analyzer": "ws_lower" } } },
        "qualified":   { "type": "text", "analyzer": "path" },
        "description": { "type": "text", "analyzer": "ws_lower", "search_analyzer": "name_search" },
        "platform":    { "type": "keyword" },
        "tags":        { "type": "keyword" },
        "popularity":  { "type": "integer" },
        "updated":     { "type": "date" }
      }
    }
  }
}')
check "PUT _index_template with custom analyzers (pattern/whitespace tokenizer, lowercase, synonym_graph, edge_ngram, mapping char filter, normalizer)" '.acknowledged == true' "$r"
check "create index from template" '.acknowledged == true' "$(req PUT /stackcheck-v1)"
check "mapping from template applied" '.["stackcheck-v1"].mappings.properties.name.fields.keyword.type == "keyword"' "$(req GET /stackcheck-v1/_mapping)"

check "_analyze whitespace tokenizer + lowercase" '[.tokens[].token] == ["foo","bar-baz"]' \
  "$(req POST /_analyze '{"tokenizer":"whitespace","filter":["lowercase"],"text":"Foo BAR-baz"}')"
check "_analyze built-in whitespace analyzer" '[.tokens[].token] == ["Foo","BAR-baz"]' "$(req POST /_analyze '{"analyzer":"whitespace","text":"Foo BAR-baz"}')"
check "_analyze built-in pattern analyzer" '[.tokens[].token] == ["foo","bar","baz"]' "$(req POST /_analyze '{"analyzer":"pattern","text":"Foo BAR-baz"}')"
check "_analyze index analyzer (pattern analyzer on dots)" '[.tokens[].token] == ["prod","sales","customer_orders"]' \
  "$(req POST /stackcheck-v1/_analyze '{"analyzer":"path","text":"prod.sales/customer_orders"}')"
check "_analyze search analyzer expands synonyms (synonym_graph)" '[.tokens[].token] | (index("client") != null and index("customer") != null)' \
  "$(req POST /stackcheck-v1/_analyze '{"analyzer":"name_search","text":"Client"}')"

bulk=$(cat <<'B'
{"index":{"_index":"stackcheck-v1","_id":"1"}}
{"urn":"urn:ds:1","name":"customer_orders","qualified":"prod.sales.customer_orders","description":"All customer orders in USD","platform":"snowflake","tags":["pii","gold"],"popularity":50,"updated":"2024-01-01"}
{"index":{"_index":"stackcheck-v1","_id":"2"}}
{"urn":"urn:ds:2","name":"Transaction_Log","qualified":"prod.payments.transaction_log","description":"raw payment tx events","platform":"kafka","tags":["raw"],"popularity":5,"updated":"2024-02-01"}
{"index":{"_index":"stackcheck-v1","_id":"3"}}
{"urn":"urn:ds:3","name":"client_dim","qualified":"dev.sales.client_dim","description":"client dimension table","platform":"snowflake","tags":["gold"],"popularity":10,"updated":"2024-03-01"}
{"index":{"_index":"stackcheck-v1","_id":"4"}}
{"urn":"urn:ds:4","name":"Crème_Brûlée","qualified":"dev.misc.creme","description":"dessert recipes","platform":"postgres","tags":[],"popularity":1,"updated":"2024-04-01"}
B
)
r=$(curl -sS -X POST "$ES/_bulk?refresh=wait_for" -H 'Content-Type: application/x-ndjson' --data-binary "$bulk"$'\n')
check "bulk API (4 docs, no errors)" '.errors == false and (.items | length) == 4' "$r"

check "_count" '.count == 4' "$(req GET /stackcheck-v1/_count)"
check "_count with query" '.count == 2' "$(req POST /stackcheck-v1/_count '{"query":{"term":{"platform":"snowflake"}}}')"
check "match with search-time synonym (client -> customer_orders and client_dim)" '[.hits.hits[]._id] | sort == ["1","3"]' \
  "$(req POST /stackcheck-v1/_search '{"query":{"match":{"name":"client"}}}')"
check "match with multi-word synonym target (tx -> Transaction_Log)" '[.hits.hits[]._id] == ["2"]' \
  "$(req POST /stackcheck-v1/_search '{"query":{"match":{"name":"tx"}}}')"
check "asciifolding (creme brulee)" '[.hits.hits[]._id] == ["4"]' "$(req POST /stackcheck-v1/_search '{"query":{"match":{"name":{"query":"creme brulee","operator":"and"}}}}')"
check "keyword normalizer (lc)" '[.hits.hits[]._id] == ["2"]' "$(req POST /stackcheck-v1/_search '{"query":{"term":{"name.lc":"transaction_log"}}}')"
check "edge_ngram prefix subfield" '[.hits.hits[]._id] == ["1"]' "$(req POST /stackcheck-v1/_search '{"query":{"match":{"name.prefix":"custo"}}}')"
check "multi_match best_fields with boosts" '.hits.hits[0]._id == "1" and .hits.total.value >= 2' \
  "$(req POST /stackcheck-v1/_search '{"query":{"multi_match":{"query":"customer orders","fields":["name^3","description","qualified"]}}}')"
check "multi_match cross_fields/phrase_prefix" '.hits.total.value >= 1' \
  "$(req POST /stackcheck-v1/_search '{"query":{"multi_match":{"query":"payment t","type":"phrase_prefix","fields":["description"]}}}')"
check "bool must/filter/should/must_not" '[.hits.hits[]._id] == ["3"]' "$(req POST /stackcheck-v1/_search '{"query":{"bool":{
  "must":[{"match":{"description":"client"}}],"filter":[{"term":{"platform":"snowflake"}},{"range":{"updated":{"gte":"2024-02-15"}}}],
  "should":[{"term":{"tags":"gold"}}],"must_not":[{"term":{"tags":"pii"}}]}}}')"
check "function_score (field_value_factor + weight + gauss decay)" '.hits.hits[0]._id == "1" and (.hits.hits[0]._score > .hits.hits[1]._score)' \
  "$(req POST /stackcheck-v1/_search '{"query":{"function_score":{"query":{"match_all":{}},
  "functions":[{"field_value_factor":{"field":"popularity","modifier":"log1p","missing":1}},{"filter":{"term":{"tags":"gold"}},"weight":2},
  {"gauss":{"updated":{"origin":"2024-04-01","scale":"60d"}}}],"score_mode":"sum","boost_mode":"replace"}}}')"
check "terms aggregation on keyword + keyword subfield" '(.aggregations.platforms.buckets[0] == {"key":"snowflake","doc_count":2}) and (.aggregations.names.buckets | length) == 4' \
  "$(req POST '/stackcheck-v1/_search?size=0' '{"aggs":{"platforms":{"terms":{"field":"platform"}},"names":{"terms":{"field":"name.keyword","size":10}},"tags":{"terms":{"field":"tags"}}}}')"
check "highlighting (unified), incl. synonym hits" '[.hits.hits[].highlight.description[0]] | (any(test("<em>customer</em>")) and any(test("<em>client</em>")))' \
  "$(req POST /stackcheck-v1/_search '{"query":{"match":{"description":"customer"}},"highlight":{"fields":{"description":{}, "name":{}}}}')"
check "highlighting with custom tags" '[.hits.hits[].highlight.name[0]] | any(test("<b>"))' \
  "$(req POST /stackcheck-v1/_search '{"query":{"match":{"name":"client"}},"highlight":{"pre_tags":["<b>"],"post_tags":["</b>"],"fields":{"name":{}}}}')"
check "sort by keyword + search_after" '[.hits.hits[]._id] == ["2","3"]' \
  "$(req POST /stackcheck-v1/_search '{"size":2,"sort":[{"name.keyword":"asc"}],"search_after":["Crème_Brûlée"]}')"

# aliases with an atomic swap
check "add alias" '.acknowledged == true' "$(req POST /_aliases '{"actions":[{"add":{"index":"stackcheck-v1","alias":"stackcheck"}}]}')"
check "search via alias" '.count == 4' "$(req GET /stackcheck/_count)"
req PUT /stackcheck-v2 >/dev/null
r=$(curl -sS -X POST "$ES/_bulk?refresh=true" -H 'Content-Type: application/x-ndjson' --data-binary $'{"index":{"_index":"stackcheck-v2","_id":"9"}}\n{"urn":"urn:ds:9","name":"only_in_v2","platform":"bigquery"}\n')
check "bulk into v2" '.errors == false' "$r"
check "atomic _aliases swap (remove v1 + add v2 in one request)" '.acknowledged == true' \
  "$(req POST /_aliases '{"actions":[{"remove":{"index":"stackcheck-v1","alias":"stackcheck"}},{"add":{"index":"stackcheck-v2","alias":"stackcheck","is_write_index":true}}]}')"
check "alias now points to v2 only" 'keys == ["stackcheck-v2"]' "$(req GET /_alias/stackcheck)"
check "search via swapped alias" '.hits.total.value == 1 and .hits.hits[0]._id == "9"' "$(req POST /stackcheck/_search '{"query":{"match_all":{}}}')"
check "write through alias (is_write_index)" '.result == "created"' "$(req PUT '/stackcheck/_doc/10?refresh=true' '{"name":"via_alias"}')"
check "get/update/delete doc" '.found == true' "$(req GET /stackcheck-v2/_doc/10)"
check "partial update (_update doc)" '.result == "updated"' "$(req POST '/stackcheck-v2/_update/10?refresh=true' '{"doc":{"platform":"x"}}')"
check "mget" '(.docs | length) == 2' "$(req POST /_mget '{"docs":[{"_index":"stackcheck-v2","_id":"9"},{"_index":"stackcheck-v1","_id":"1"}]}')"
check "msearch" '(.responses | length) == 2' "$(curl -sS -X POST "$ES/_msearch" -H 'Content-Type: application/x-ndjson' --data-binary $'{"index":"stackcheck-v1"}\n{"query":{"match_all":{}}}\n{"index":"stackcheck-v2"}\n{"query":{"match_all":{}}}\n')"
check "delete index" '.acknowledged == true' "$(req DELETE /stackcheck-v1)"
echo "all $pass Elasticsearch checks passed against $ES"
