"""The scale benchmark (性能基准): the catalog side by side with its raw backends, one table."""
