"""The store snapshot the refused-call checks compare sees every relationship."""

from __future__ import annotations

from graph.model import Rel
from tests.store_snapshot import SOURCES


def test_every_relationship_is_read_from_the_labels_it_leaves() -> None:
    assert set(SOURCES) == set(Rel)
    assert all(SOURCES.values())
