"""Query and mutation resolvers (解析器): thin — check input, call the domain."""
