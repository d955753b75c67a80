"""Pieces of the Neo4j adapter (Neo4j 适配器的组成部分).

`graph.neo4j_store.Neo4jGraphStore` is the adapter; this package holds what it is built from:
`cypher` (whitelisted names and property encoding), `writes` (change sets as batched
statements) and `walk` (bounded lineage walks).
"""
