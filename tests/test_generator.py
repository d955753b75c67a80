"""The catalog generator (规模化生成目录): deterministic, sized, skewed, valid, real names."""

from __future__ import annotations

from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from interchange.demo import load_vocabulary
from interchange.generator import SCALES, UnknownScale, generate_catalog, synonym_variants
from interchange.json_format import write_json
from interchange.origins import Origins
from interchange.records import CatalogDocument
from interchange.validation import KnownCodes, validate


@cache
def city() -> CatalogDocument:
    return generate_catalog("city", 2026)


def _json(doc: CatalogDocument, path: Path) -> bytes:
    write_json(doc, path)
    return path.read_bytes()


def test_the_same_seed_gives_a_byte_identical_export(tmp_path: Path) -> None:
    first = _json(generate_catalog("test", 7), tmp_path / "a.json")
    again = _json(generate_catalog("test", 7), tmp_path / "b.json")
    other = _json(generate_catalog("test", 8), tmp_path / "c.json")
    assert first == again
    assert first != other


def test_city_scale_has_the_sizes_of_a_city() -> None:
    doc, scale = city(), SCALES["city"]
    fields = sum(len(r.fields) for r in doc.resources)
    services = sum(len(r.services) for r in doc.resources)
    assert len(doc.agencies) == scale.agencies == 200
    assert len(doc.resources) == scale.resources == 10_000
    assert 140_000 <= fields <= 160_000
    assert len(doc.scenarios) == 5_000
    assert 18_000 <= len(doc.grants) <= 22_000
    assert len(doc.projects) == 1_000
    assert 1.2 * len(doc.resources) <= services <= 2.2 * len(doc.resources)
    assert {a.level for a in doc.agencies} == {"PROVINCE", "CITY", "COUNTY"}


def test_a_few_agencies_hold_most_resources() -> None:
    doc = city()
    held = sorted(Counter(r.provider for r in doc.resources).values(), reverse=True)
    top_tenth = sum(held[: len(doc.agencies) // 10])
    assert top_tenth > 0.5 * len(doc.resources)
    assert len(held) == len(doc.agencies)  # and every agency holds something
    assert held[-1] < 0.1 * held[0]


def test_generated_catalogs_are_valid() -> None:
    for doc in (generate_catalog("test", 3), city()):
        assert validate(doc, "generated", KnownCodes(), Origins()) == []


def test_names_come_from_the_vocabularies() -> None:
    v = load_vocabulary()
    variants = {name for group in synonym_variants().values() for name in group}
    templates = {t.name for t in v.resources}
    doc = city()
    names = Counter(f.name for r in doc.resources for f in r.fields)
    assert set(names) <= set(v.items) | variants
    assert any(name in variants for name in names)  # catalogs use variant names too
    for r in doc.resources:
        assert any(t in r.name for t in templates), r.name
    scenario_templates = {t.name for t in v.scenarios}
    assert all(any(t in s.name for t in scenario_templates) for s in doc.scenarios)
    # names repeat as in real catalogs: far fewer distinct field names than fields
    assert len(names) < sum(names.values()) / 50


def test_references_resolve_within_the_document() -> None:
    doc = generate_catalog("test", 11)
    codes = {r.code for r in doc.resources}
    agencies = {a.code for a in doc.agencies}
    assert all(a.parent in agencies for a in doc.agencies if a.parent)
    assert all(set(p.supplies) | set(p.uses) <= codes for p in doc.projects)
    own = {r.code: r.provider for r in doc.resources}
    assert all(own[c] == p.owner for p in doc.projects for c in p.supplies)
    assert all(p.supplies for p in doc.projects)


def test_an_unknown_scale_is_refused() -> None:
    with pytest.raises(UnknownScale):
        generate_catalog("galaxy", 1)
