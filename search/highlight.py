"""Which characters of a name a query matched, shared by both backends (高亮标记).

The embedded index and the Elasticsearch adapter must mark the same characters, so the
marking rules live here once: phrases found in the normalised key, and pinyin or initials
typed for a run of Chinese characters.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from search.analysis import Analyzer


def occurrences(haystack: str, needle: str) -> Iterator[int]:
    """Every start of `needle` in `haystack`, overlapping ones included."""
    if not needle:
        return
    at = haystack.find(needle)
    while at >= 0:
        yield at
        at = haystack.find(needle, at + 1)


def mark_phrases(key: str, marked: list[bool], phrases: Iterable[str]) -> None:
    for phrase in dict.fromkeys(phrases):
        for at in occurrences(key, phrase):
            marked[at : at + len(phrase)] = [True] * len(phrase)


def mark_pinyin(analyzer: Analyzer, key: str, marked: list[bool], latin: Sequence[str]) -> None:
    """Mark the characters whose initials or full pinyin a Latin query token spells."""
    syllables = analyzer.key_syllables(key)
    if len(syllables) != len(key):
        return
    initials = "".join(s[0] for s in syllables)
    starts: dict[int, int] = {}
    offset = 0
    for i, syllable in enumerate(syllables):
        starts[offset] = i
        offset += len(syllable)
    full = "".join(syllables)
    tokens = list(latin)
    if len(tokens) > 1:
        tokens.append("".join(tokens))
    for token in tokens:
        for at in occurrences(initials, token):
            marked[at : at + len(token)] = [True] * len(token)
        for at in occurrences(full, token):
            first = starts.get(at)
            if first is None:
                continue
            i = first
            while i < len(key) and sum(len(s) for s in syllables[first:i]) < len(token):
                i += 1
            if at + len(token) <= len(full):
                marked[first:i] = [True] * (i - first)
