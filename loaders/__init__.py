"""Per-request DataLoaders (按请求的数据加载器): no GraphQL query does N+1 store calls."""
