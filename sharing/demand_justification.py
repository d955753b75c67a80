"""Minimum necessary (最小必要, R9): every demanded item is justified by the scenario.

A consumer asks only for what its scenario needs. A demand therefore names its scenario, and
each item carries a justification (用途说明) saying what the scenario does with it. A
justification that only repeats the item's name, or is a word or two, says nothing and is
refused, as is an item without one. The check is on the text as given, before matching.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from sharing.refusal import Refusal, RefusalCode

MIN_JUSTIFICATION_CHARS = 4  # letters or digits beyond the item's own name
MAX_JUSTIFICATION_CHARS = 500


@dataclass(frozen=True, slots=True)
class JustifiedItem:
    """A demanded item with the reason the scenario needs it (需求信息项及用途说明)."""

    name: str
    justification: str


def _letters(text: str) -> str:
    return "".join(ch for ch in text if unicodedata.category(ch)[0] in "LN")


def check_justified(items: list[JustifiedItem], scenario: str | None) -> list[JustifiedItem]:
    """The items with trimmed justifications; raises a Refusal (all problems in `more`)."""
    if not (scenario or "").strip():
        raise Refusal(
            RefusalCode.SCENARIO_REQUIRED, "scenario",
            "须说明应用场景：需求按最小必要原则对照场景审核", "a scenario is required: items are justified against it",
        )
    problems: list[Refusal] = []
    cleaned: list[JustifiedItem] = []
    for i, item in enumerate(items):
        text = (item.justification or "").strip()
        field = f"items[{i}].justification"
        if not text:
            problems.append(Refusal(
                RefusalCode.JUSTIFICATION_REQUIRED, field,
                f"信息项「{item.name[:40]}」缺少用途说明（该场景为何需要此项）",
                f"item {item.name[:40]!r} has no justification (why the scenario needs it)",
            ))
        elif len(text) > MAX_JUSTIFICATION_CHARS:
            problems.append(Refusal(
                RefusalCode.TOO_LONG, field, f"用途说明过长（最多 {MAX_JUSTIFICATION_CHARS} 个字符）",
                f"justification too long (at most {MAX_JUSTIFICATION_CHARS} characters)",
            ))
        elif len(_letters(text.replace(item.name.strip(), ""))) < MIN_JUSTIFICATION_CHARS:
            problems.append(Refusal(
                RefusalCode.JUSTIFICATION_NOT_SPECIFIC, field,
                f"信息项「{item.name[:40]}」的用途说明过于简单，请说明场景中的具体用途",
                f"the justification of {item.name[:40]!r} says too little; say what the scenario uses it for",
            ))
        cleaned.append(JustifiedItem(item.name, text))
    if problems:
        problems[0].more = problems[1:]
        raise problems[0]
    return cleaned
