"""Chinese search over the catalog (中文检索): analysis, one index interface, two backends."""
