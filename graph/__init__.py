"""The graph store: one interface, an embedded SQLite default and a Neo4j adapter.

图存储：一个接口，嵌入式默认实现（SQLite）与 Neo4j 适配器。
"""
