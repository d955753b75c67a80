"""Which catalog a benchmark runs on (基准目录): the demo catalog or a generated one."""

from __future__ import annotations

import importlib
from typing import Any

from interchange.records import CatalogDocument

SCALES = ("demo", "test", "city", "province")


def build_catalog(scale: str, seed: int) -> CatalogDocument:
    """The deterministic catalog of a scale: `demo` is the Jining demo catalog, `city` and
    `province` come from the catalog generator (`interchange/generator.py`)."""
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r}; choose one of {', '.join(SCALES)}")
    if scale == "demo":
        from interchange.demo import build_demo_catalog

        return build_demo_catalog(seed)
    try:
        generator: Any = importlib.import_module("interchange.generator")
    except ModuleNotFoundError as exc:
        raise RuntimeError(
            f"scale {scale!r} needs the catalog generator (interchange/generator.py), which is not "
            "installed here; run with --scale demo"
        ) from exc
    doc: CatalogDocument = generator.generate_catalog(scale, seed)
    return doc
