"""The checked-in schema.graphql matches the code, and everything is documented (模式文档)."""

from __future__ import annotations

import re
from pathlib import Path

from graphql import (
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
)

from app.cli import sdl
from schema.build import build_schema

ROOT = Path(__file__).resolve().parent.parent
HAN = re.compile(r"[\u4e00-\u9fff]")
LATIN = re.compile(r"[A-Za-z]{3,}")


def test_checked_in_schema_is_current() -> None:
    current = sdl(build_schema())
    checked_in = (ROOT / "schema.graphql").read_text(encoding="utf-8")
    assert checked_in == current, "run `catalog export-schema` and commit schema.graphql"


def _bilingual(text: str | None) -> bool:
    return bool(text and HAN.search(text) and LATIN.search(text))


def test_every_type_field_and_argument_is_described_in_chinese_and_english() -> None:
    schema = build_schema()._schema
    missing: list[str] = []
    for name, t in schema.type_map.items():
        if name.startswith("__") or name in {"String", "Int", "Float", "Boolean", "ID"}:
            continue
        if not _bilingual(t.description):
            missing.append(name)
        if isinstance(t, GraphQLObjectType | GraphQLInterfaceType | GraphQLInputObjectType):
            for fname, f in t.fields.items():
                if not _bilingual(f.description):
                    missing.append(f"{name}.{fname}")
                for aname, a in getattr(f, "args", {}).items():
                    if not _bilingual(a.description):
                        missing.append(f"{name}.{fname}({aname})")
    assert missing == []
