"""Errors a graph store raises (图存储错误)."""


class StoreError(Exception):
    """A store could not do what was asked."""


class StoreUnavailable(StoreError):
    """The backend cannot be reached (后端不可达)."""


class IntegrityError(StoreError):
    """A write broke a rule of the graph, e.g. an edge to a missing node (完整性错误)."""
