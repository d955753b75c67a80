"""Chinese text analysis shared by every search backend (中文分析).

All index-time tokens are computed here, in Python: the embedded index keeps them in its own
postings, and the Elasticsearch adapter can store the same tokens (joined by spaces, see
`NameAnalysis.as_fields`) in fields with a whitespace analyzer, so both backends match on
exactly the same terms.

Pipeline: `normalise` (NFKC full-width→half-width, lowercase, traditional→simplified with
opencc t2s, punctuation and brackets to spaces, at most MAX_ANALYSED_CHARS) → jieba
`cut_for_search` words, character bigrams and unigrams, and pinyin (full, toneless, joined)
and pinyin initials, of the whole name and of each of its words.

Segmentation uses rjieba (jieba-rs, ~20× faster) when it is importable and segments a sample
(every user-dictionary word and some catalog names) exactly as jieba does, else jieba. Both
take the user dictionary `data/user_dict.tsv` through `add_word` with explicit frequencies;
rjieba cannot read a dictionary file, and the two estimate missing frequencies differently.
"""

from __future__ import annotations

import hashlib
import logging
import re
import sys
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Protocol

from opencc import OpenCC
from pypinyin import lazy_pinyin

__all__ = [
    "ANALYSIS_VERSION",
    "MAX_ANALYSED_CHARS",
    "USER_DICT_PATH",
    "Analyzer",
    "NameAnalysis",
    "QueryAnalysis",
    "bigrams",
    "default_analyzer",
    "is_traditional",
    "normalise",
    "pinyin_full",
    "pinyin_initials",
    "segment",
]

_log = logging.getLogger(__name__)

# Bump when the token output changes, so stored analyses are recomputed on open.
ANALYSIS_VERSION = "1"
MAX_ANALYSED_CHARS = 200
# Raw input is cut before NFKC and opencc so that a 10,000-character string costs no more than
# a short one; punctuation stripping can only shorten it further.
_MAX_RAW_CHARS = 4 * MAX_ANALYSED_CHARS
_CACHED_CHARS = 200  # texts up to this length have their normalisation cached

USER_DICT_PATH = Path(__file__).parent / "data" / "user_dict.tsv"

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_HAN_RE = re.compile(f"[{_HAN}]")
_RUN_RE = re.compile(f"([{_HAN}]+)|([^\\s{_HAN}]+)")
_NON_WORD_RE = re.compile(r"[\W_]+")


def _is_han_text(text: str) -> bool:
    return bool(text) and all(_HAN_RE.match(ch) for ch in text)


@dataclass(frozen=True, slots=True)
class NameAnalysis:
    """Index-time tokens of a name (名称分析结果). Tokens never contain whitespace."""

    normalised: str  # normalised text, single spaces between runs
    key: str  # `normalised` without spaces: what exact matching compares
    words: tuple[str, ...]  # jieba cut_for_search
    grams: tuple[str, ...]  # character bigrams of each Han run (repeats kept: term frequency)
    chars: tuple[str, ...]  # Han characters (unigrams)
    pinyin: tuple[str, ...]  # full-name pinyin first, then the pinyin of each word
    initials: tuple[str, ...]  # full-name initials first, then the initials of each word
    pinyin_full: str  # "tongyishehuixinyongdaima"
    initials_full: str  # "tyshxydm"

    def as_fields(self) -> dict[str, str]:
        """Whitespace-joined token strings, e.g. for Elasticsearch whitespace analyzers."""
        return {
            "name_words": " ".join(self.words),
            "name_grams": " ".join(self.grams),
            "name_chars": " ".join(self.chars),
            "name_pinyin": " ".join(self.pinyin),
            "name_initials": " ".join(self.initials),
        }


@dataclass(frozen=True, slots=True)
class QueryAnalysis:
    """What a query string becomes (查询分析结果)."""

    text: str  # as typed
    normalised: str
    key: str  # normalised without spaces; "" means nothing searchable was typed
    traditional: bool  # typed in traditional characters
    truncated: bool  # longer than MAX_ANALYSED_CHARS and cut
    words: tuple[str, ...]  # cut_for_search, distinct, in order
    coarse: tuple[str, ...]  # jieba cut (the words a text must contain), distinct
    grams: tuple[str, ...]  # distinct bigrams of the Han runs
    chars: tuple[str, ...]  # distinct Han characters
    han_runs: tuple[str, ...]
    latin: tuple[str, ...]  # non-Han tokens (Latin letters, digits): words or pinyin


class _Segmenter(Protocol):
    name: str

    def cut(self, text: str) -> list[str]: ...

    def cut_for_search(self, text: str) -> list[str]: ...


class _RJiebaSegmenter:
    name = "rjieba"

    def __init__(self, words: Sequence[tuple[str, int, str]]) -> None:
        import rjieba

        self._jieba = rjieba.Jieba()
        for word, freq, tag in words:
            self._jieba.add_word(word, freq, tag)

    def cut(self, text: str) -> list[str]:
        return list(self._jieba.cut(text, True))

    def cut_for_search(self, text: str) -> list[str]:
        return list(self._jieba.cut_for_search(text, True))


class _JiebaSegmenter:
    name = "jieba"

    def __init__(self, words: Sequence[tuple[str, int, str]]) -> None:
        import jieba

        logging.getLogger("jieba").setLevel(logging.WARNING)
        # A private tokenizer: the user words must not leak into other users of jieba.
        self._tokenizer = jieba.Tokenizer()
        for word, freq, tag in words:
            self._tokenizer.add_word(word, freq, tag)

    def cut(self, text: str) -> list[str]:
        return [str(w) for w in self._tokenizer.cut(text, HMM=True)]

    def cut_for_search(self, text: str) -> list[str]:
        return [str(w) for w in self._tokenizer.cut_for_search(text, HMM=True)]


# Mixed samples for the rjieba/jieba equivalence check, besides every user-dictionary word.
_VERIFY_SAMPLES = (
    "法定代表人公民身份号码",
    "企业统一社会信用代码信息",
    "不动产权证书号及坐落",
    "参保人员社会保障号码和参保状态",
    "住房公积金个人账户缴存基数",
    "出生医学证明编号与新生儿姓名",
    "纳税人识别号 gis坐标 2023年度",
    "济宁市市场监督管理局企业登记信息",
    "学生学籍号码及毕业证书编号",
    "机动车号牌号码车辆识别代号发动机号",
    "低保对象姓名保障金额发放日期",
    "用水户号用电户号燃气户号缴费日期",
    "太白湖新区经济技术开发区高新区",
    "市场主体名称变更登记核准日期",
    "婚姻登记男方身份证件号码",
)


def read_user_dict(path: Path) -> list[tuple[str, int, str]]:
    """Entries of a user dictionary (`word freq tag`, tab- or space-separated), `#` lines skipped."""
    entries: list[tuple[str, int, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if not parts or parts[0].startswith("#"):
            continue
        word = parts[0]
        freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 100
        tag = parts[2] if len(parts) > 2 else "n"
        entries.append((word, freq, tag))
    return entries


def _load_segmenter(words: Sequence[tuple[str, int, str]]) -> _Segmenter:
    """rjieba when importable and identical to jieba on a sample, jieba otherwise."""
    try:
        fast: _Segmenter = _RJiebaSegmenter(words)
    except ImportError:
        return _JiebaSegmenter(words)
    reference = _JiebaSegmenter(words)
    samples = [w for w, _, _ in words] + list(_VERIFY_SAMPLES)
    for sample in samples:
        if fast.cut_for_search(sample) != reference.cut_for_search(sample) or fast.cut(sample) != reference.cut(sample):
            _log.warning("rjieba segments %r differently from jieba; using jieba", sample)
            return reference
    return fast


class Analyzer:
    """Normalisation, segmentation, n-grams and pinyin with one user dictionary."""

    def __init__(self, user_dict: Path | None = USER_DICT_PATH) -> None:
        self._user_words = read_user_dict(user_dict) if user_dict is not None else []
        self._segmenter: _Segmenter | None = None
        self._t2s = OpenCC("t2s")
        self._t2s_keys = _dictionary_keys(self._t2s)
        self._pinyin_cache: dict[str, list[str]] = {}
        self._normalised_cache: dict[str, tuple[str, bool]] = {}
        digest = hashlib.sha256(ANALYSIS_VERSION.encode())
        for word, freq, tag in self._user_words:
            digest.update(f"{word} {freq} {tag}\n".encode())
        self.version = digest.hexdigest()[:16]
        """Changes whenever the tokens this analyzer produces may change."""

    # -- normalisation ---------------------------------------------------------------

    def simplify(self, text: str) -> str:
        """Traditional → simplified characters (opencc t2s), nothing else."""
        if not text or not self._t2s_may_change(text):
            return text
        return str(self._t2s.convert(text))

    def _t2s_may_change(self, text: str) -> bool:
        # opencc (pure Python) costs ~40 µs a call; most catalog text is simplified already
        # and holds no key of its dictionaries, and then conversion is the identity.
        if self._t2s_keys is None:
            return True
        chars, phrase_starts, phrases = self._t2s_keys
        if chars.search(text):
            return True
        for match in phrase_starts.finditer(text):
            if any(text.startswith(p, match.start()) for p in phrases[match.group()]):
                return True
        return False

    def normalise(self, text: str) -> str:
        """NFKC, lowercase, traditional→simplified, punctuation to spaces, capped length."""
        return self._normalise(text)[0]

    def _fold(self, text: str) -> str:
        folded = unicodedata.normalize("NFKC", text[:_MAX_RAW_CHARS]).lower()
        return " ".join(_NON_WORD_RE.sub(" ", folded).split())

    def _normalise(self, text: str) -> tuple[str, bool]:
        """The normalised text and whether it was cut to MAX_ANALYSED_CHARS.

        Cached for short texts: catalog names (and the provider names every field document
        carries) repeat a lot, and the traditional-character check costs ~20 µs a call."""
        if len(text) > _CACHED_CHARS:
            return self._normalise_uncached(text)
        cache = self._normalised_cache
        found = cache.get(text)
        if found is None:
            if len(cache) > 200_000:
                cache.clear()
            found = cache[text] = self._normalise_uncached(text)
        return found

    def _normalise_uncached(self, text: str) -> tuple[str, bool]:
        cleaned = " ".join(_NON_WORD_RE.sub(" ", self.simplify(self._fold(text))).split())
        truncated = len(text) > _MAX_RAW_CHARS
        if len(cleaned) > MAX_ANALYSED_CHARS:
            cleaned = cleaned[:MAX_ANALYSED_CHARS].rstrip()
            truncated = True
        return cleaned, truncated

    def key(self, text: str) -> str:
        """The normalised text without spaces: what exact matching compares."""
        return self.normalise(text).replace(" ", "")

    def is_traditional(self, text: str) -> bool:
        """Whether the text contains traditional characters that normalisation simplified."""
        folded = self._fold(text)
        return bool(_HAN_RE.search(folded)) and self.simplify(folded) != folded

    # -- segmentation ----------------------------------------------------------------

    @property
    def segmenter_name(self) -> str:
        return self._get_segmenter().name

    def _get_segmenter(self) -> _Segmenter:
        if self._segmenter is None:
            self._segmenter = _load_segmenter(self._user_words)
        return self._segmenter

    def segment(self, normalised: str) -> list[str]:
        """jieba `cut_for_search` words of normalised text (fine and coarse words)."""
        if not normalised:
            return []
        return [w for w in self._get_segmenter().cut_for_search(normalised) if not w.isspace()]

    def cut(self, normalised: str) -> list[str]:
        """jieba `cut` (coarse, non-overlapping) words of normalised text."""
        if not normalised:
            return []
        return [w for w in self._get_segmenter().cut(normalised) if not w.isspace()]

    # -- pinyin ----------------------------------------------------------------------

    def syllables(self, han_run: str) -> list[str]:
        """One toneless pinyin syllable per character of a Han run (the char if it has none).

        Converted word by word (jieba words) with a cache: pypinyin costs ~100 µs a call and
        catalog names reuse few words; polyphones are still read in the context of the word.
        """
        out: list[str] = []
        cache = self._pinyin_cache
        if len(cache) > 200_000:
            cache.clear()
        for word in self._get_segmenter().cut(han_run):
            syllables = cache.get(word)
            if syllables is None:
                syllables = [str(s) for s in lazy_pinyin(word)]
                if len(syllables) != len(word):
                    # characters without pinyin come back grouped; one at a time instead
                    syllables = [str(lazy_pinyin(ch)[0]) for ch in word]
                cache[word] = syllables
            out.extend(syllables)
        return out

    def key_syllables(self, key: str) -> list[str]:
        """One pinyin unit per character of a key: the syllable of a Han character, the
        character itself otherwise (as in `NameAnalysis.pinyin_full`)."""
        out: list[str] = []
        for match in re.finditer(f"[{_HAN}]+|[^{_HAN}]+", key):
            run = match.group()
            out.extend(self.syllables(run) if _HAN_RE.match(run) else list(run))
        return out

    def key_map(self, raw: str) -> tuple[str, list[int]]:
        """The key of `raw` and, for each key character, the index of the raw character it
        comes from (for highlighting matches in the original spelling)."""
        folded: list[str] = []
        owners: list[int] = []
        for index, ch in enumerate(raw[:_MAX_RAW_CHARS]):
            for part in unicodedata.normalize("NFKC", ch).lower():
                folded.append(part)
                owners.append(index)
        text = "".join(folded)
        simplified = self.simplify(text)
        if len(simplified) != len(text):
            simplified = "".join(s if len(s := self.simplify(c)) == 1 else c for c in text)
        key: list[str] = []
        key_owners: list[int] = []
        for ch, owner in zip(simplified, owners, strict=True):
            if not _NON_WORD_RE.match(ch):
                key.append(ch)
                key_owners.append(owner)
        return "".join(key[:MAX_ANALYSED_CHARS]), key_owners[:MAX_ANALYSED_CHARS]

    # -- documents and queries -------------------------------------------------------

    def analyse_name(self, name: str) -> NameAnalysis:
        return self.analyse_normalised(self.normalise(name))

    def analyse_normalised(self, normalised: str) -> NameAnalysis:
        """Tokens of a name already passed through `normalise`."""
        words = self.segment(normalised)
        grams: list[str] = []
        chars: list[str] = []
        full: list[str] = []
        initials: list[str] = []
        word_pinyin: dict[str, str] = {}
        word_initials: dict[str, str] = {}
        han_words = [w for w in dict.fromkeys(words) if len(w) >= 2 and _is_han_text(w)]
        for match in _RUN_RE.finditer(normalised):
            han, other = match.group(1), match.group(2)
            if han:
                chars.extend(han)
                grams.extend(han[i : i + 2] for i in range(len(han) - 1))
                syllables = self.syllables(han)
                full.extend(syllables)
                initials.extend(s[0] for s in syllables)
                for word in han_words:
                    start = han.find(word)
                    if start >= 0 and word not in word_pinyin:
                        part = syllables[start : start + len(word)]
                        word_pinyin[word] = "".join(part)
                        word_initials[word] = "".join(s[0] for s in part)
            elif other:
                full.append(other)
                initials.append(other)
        pinyin_full = "".join(full)
        initials_full = "".join(initials)
        return NameAnalysis(
            normalised=normalised,
            key=normalised.replace(" ", ""),
            words=_interned(words),
            grams=_interned(grams),
            chars=_interned(chars),
            pinyin=_interned(_distinct([pinyin_full, *word_pinyin.values()])),
            initials=_interned(_distinct([initials_full, *word_initials.values()])),
            pinyin_full=pinyin_full,
            initials_full=initials_full,
        )

    def analyse_text(self, text: str) -> tuple[str, ...]:
        """Index-time words of a summary or description."""
        return _interned(self.segment(self.normalise(text)))

    def analyse_query(self, text: str) -> QueryAnalysis:
        normalised, truncated = self._normalise(text)
        han_runs: list[str] = []
        latin: list[str] = []
        for match in _RUN_RE.finditer(normalised):
            if match.group(1):
                han_runs.append(match.group(1))
            elif match.group(2):
                latin.append(match.group(2))
        grams = [run[i : i + 2] for run in han_runs for i in range(len(run) - 1)]
        return QueryAnalysis(
            text=text,
            normalised=normalised,
            key=normalised.replace(" ", ""),
            traditional=self.is_traditional(text),
            truncated=truncated,
            words=_distinct(self.segment(normalised)),
            coarse=_distinct(self.cut(normalised)),
            grams=_distinct(grams),
            chars=_distinct(ch for run in han_runs for ch in run),
            han_runs=tuple(han_runs),
            latin=_distinct(latin),
        )


def _dictionary_keys(
    converter: OpenCC,
) -> tuple[re.Pattern[str], re.Pattern[str], dict[str, list[str]]] | None:
    """Patterns for the single characters and the phrase starts an opencc converter would
    replace, and its phrases by first character; None when its internals are not as expected
    (then every text is converted)."""
    chars: set[str] = set()
    phrases: dict[str, list[str]] = {}
    try:
        for group in converter._dict_chain_data:
            for entry in group:
                for key in entry[2]:
                    if len(key) == 1:
                        chars.add(key)
                    elif key:
                        phrases.setdefault(key[0], []).append(key)
    except (AttributeError, IndexError, TypeError):
        return None
    if not chars:
        return None

    def char_class(members: Iterable[str]) -> re.Pattern[str]:
        return re.compile("[" + "".join(re.escape(c) for c in sorted(members)) + "]")

    return char_class(chars), char_class(phrases) if phrases else re.compile("(?!)"), phrases


def _interned(tokens: Iterable[str]) -> tuple[str, ...]:
    # an index holds the same few thousand tokens many times over: share one object each
    return tuple(map(sys.intern, tokens))


def _distinct(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(i for i in items if i))


@lru_cache(maxsize=1)
def default_analyzer() -> Analyzer:
    """The process-wide analyzer with the bundled user dictionary."""
    return Analyzer()


# Module-level shortcuts over the default analyzer.


def normalise(text: str) -> str:
    return default_analyzer().normalise(text)


def is_traditional(text: str) -> bool:
    return default_analyzer().is_traditional(text)


def segment(text: str) -> list[str]:
    """cut_for_search words of (raw) text, after normalisation."""
    analyzer = default_analyzer()
    return analyzer.segment(analyzer.normalise(text))


def bigrams(text: str) -> list[str]:
    """Character bigrams of the Han runs of normalised text."""
    runs = [m.group(1) for m in _RUN_RE.finditer(normalise(text)) if m.group(1)]
    return [run[i : i + 2] for run in runs for i in range(len(run) - 1)]


def pinyin_full(text: str) -> str:
    """Toneless pinyin joined: 统一社会信用代码 → tongyishehuixinyongdaima."""
    return default_analyzer().analyse_name(text).pinyin_full


def pinyin_initials(text: str) -> str:
    """Pinyin initials: 统一社会信用代码 → tyshxydm."""
    return default_analyzer().analyse_name(text).initials_full
