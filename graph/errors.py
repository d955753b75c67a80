"""Errors a graph store raises (图存储错误)."""


class StoreError(Exception):
    """A store could not do what was asked."""


class StoreUnavailable(StoreError):
    """The backend cannot be reached (后端不可达)."""


class IntegrityError(StoreError):
    """A write broke a rule of the graph, e.g. an edge to a missing node (完整性错误)."""


class AlreadyExists(IntegrityError):
    """A node a write had to create was already there (已存在): a create-if-absent lost."""

    def __init__(self, refs: list[str]) -> None:
        super().__init__(f"already exists: {', '.join(sorted(refs)[:5])}")
        self.refs = sorted(refs)
