"""Chinese analysis, synonyms and authorities of the search package (中文分析、同义词、权威来源)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from search import analysis
from search.analysis import (
    MAX_ANALYSED_CHARS,
    USER_DICT_PATH,
    Analyzer,
    bigrams,
    default_analyzer,
    is_traditional,
    normalise,
    pinyin_full,
    pinyin_initials,
    read_user_dict,
    segment,
)
from search.authority import AUTHORITIES_PATH, AuthorityError, AuthorityRegistry
from search.synonyms import SYNONYMS_PATH, SynonymDictionary, SynonymError, SynonymKind, suffix_candidates

SHARED_VOCAB = Path("/work/shared/vocab")


def _tsv_rows(path: Path) -> list[tuple[str, list[str]]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            head, _, tail = line.partition("\t")
            rows.append((head, [t for t in tail.split(";") if t]))
    return rows


# -- normalisation ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ＧＩＳ坐标２０２３", "gis坐标2023"),  # full-width → half-width, lowercase
        ("統一社會信用代碼", "统一社会信用代码"),  # traditional → simplified
        ("「统一社会信用代码」（必填）", "统一社会信用代码 必填"),  # brackets and punctuation
        ("  企业\t名称\n", "企业 名称"),
        ("😀🎉！！", ""),
        ("", ""),
    ],
)
def test_normalise(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


def test_normalise_caps_long_input_quickly() -> None:
    started = time.perf_counter()
    result = normalise("统一社会信用代码" * 1250)  # 10,000 characters
    assert len(result) == MAX_ANALYSED_CHARS
    assert time.perf_counter() - started < 1.0


def test_is_traditional() -> None:
    assert is_traditional("統一社會信用代碼")
    assert is_traditional("身份證號")
    assert not is_traditional("统一社会信用代码")
    assert not is_traditional("「统一社会信用代码」")  # t2s rewrites the brackets; not traditional
    assert not is_traditional("gmsfhm")
    assert not is_traditional("")


def test_simplify_matches_opencc_on_mixed_text() -> None:
    from opencc import OpenCC

    to_traditional, to_simplified = OpenCC("s2t"), OpenCC("t2s")
    words = [w for _, variants in _tsv_rows(SYNONYMS_PATH) for w in variants]
    analyzer = default_analyzer()
    for word in words + [to_traditional.convert(w) for w in words]:
        assert analyzer.simplify(word) == to_simplified.convert(word), word


# -- segmentation ----------------------------------------------------------------------


def test_user_dictionary_keeps_data_items_whole() -> None:
    words = segment("法定代表人公民身份号码")
    assert "公民身份号码" in words
    assert "法定代表人" in words
    assert {"公民", "身份", "号码"} <= set(words)  # the parts still match
    assert "统一社会信用代码" in segment("统一社会信用代码")
    assert {"不动产权证书号", "不动产", "证书"} <= set(segment("不动产权证书号"))


def test_rjieba_segments_exactly_like_jieba() -> None:
    pytest.importorskip("rjieba")
    words = read_user_dict(USER_DICT_PATH)
    fast = analysis._RJiebaSegmenter(words)
    reference = analysis._JiebaSegmenter(words)
    samples = [w for w, _, _ in words] + list(analysis._VERIFY_SAMPLES)
    samples += [t for _, items in _tsv_rows(SHARED_VOCAB / "data-items.tsv") for t in items]
    for sample in samples:
        assert fast.cut_for_search(sample) == reference.cut_for_search(sample), sample
        assert fast.cut(sample) == reference.cut(sample), sample
    assert default_analyzer().segmenter_name == "rjieba"


def test_bigrams_let_part_of_a_word_find_the_whole() -> None:
    assert "代码" in bigrams("证券代码")
    assert "代码" in bigrams("统一社会信用代码")
    assert bigrams("码") == []


# -- pinyin ----------------------------------------------------------------------------


def test_pinyin_full_and_initials() -> None:
    assert pinyin_full("统一社会信用代码") == "tongyishehuixinyongdaima"
    assert pinyin_initials("统一社会信用代码") == "tyshxydm"
    assert pinyin_initials("公民身份号码") == "gmsfhm"
    assert pinyin_full("银行账号") == "yinhangzhanghao"  # polyphone read in its word


def test_name_analysis_fields_are_whitespace_tokens() -> None:
    result = default_analyzer().analyse_name("法定代表人（公民身份号码）GIS")
    assert result.key == "法定代表人公民身份号码gis"
    assert result.pinyin[0] == result.pinyin_full
    assert result.initials[0] == result.initials_full == "fddbrgmsfhmgis"
    assert "gmsfhm" in result.initials  # a word's initials
    for field_name, joined in result.as_fields().items():
        tokens = joined.split(" ")
        assert all(tokens) and all(not any(c.isspace() for c in t) for t in tokens), field_name


def test_query_analysis() -> None:
    analyzer = default_analyzer()
    q = analyzer.analyse_query("統一社會信用代碼")
    assert (q.key, q.traditional, q.truncated) == ("统一社会信用代码", True, False)
    assert "代码" in q.grams and "统一社会信用代码" in q.words
    assert analyzer.analyse_query("😀").key == ""
    long = analyzer.analyse_query("x" * 10_000)
    assert long.truncated and len(long.key) == MAX_ANALYSED_CHARS
    assert analyzer.analyse_query("tong yi").latin == ("tong", "yi")


def test_analyzer_version_follows_the_user_dictionary(tmp_path: Path) -> None:
    custom = tmp_path / "dict.txt"
    custom.write_text("共享类型 300 n\n", encoding="utf-8")
    assert Analyzer(custom).version != default_analyzer().version
    assert Analyzer(custom).version == Analyzer(custom).version


# -- synonyms --------------------------------------------------------------------------


def test_synonym_file_is_large_clean_and_seeded_from_the_shared_file() -> None:
    synonyms = SynonymDictionary()
    assert len(synonyms) >= 200
    seen: dict[str, str] = {}
    canonicals = {g.canonical for g in synonyms.groups}
    for group in synonyms.groups:
        for variant in group.variants:
            assert variant not in seen, f"{variant} in {seen.get(variant)} and {group.canonical}"
            assert variant not in canonicals, variant
            seen[variant] = group.canonical
    key = default_analyzer().key
    for canonical, variants in _tsv_rows(SHARED_VOCAB / "synonyms.tsv"):
        expanded = dict(synonyms.expand(key(canonical)))
        assert expanded.get(key(canonical)) is SynonymKind.CANONICAL, canonical
        for variant in variants:
            assert expanded.get(key(variant)) is SynonymKind.VARIANT, variant


def test_expand_puts_the_canonical_name_first() -> None:
    synonyms = SynonymDictionary()
    expanded = synonyms.expand("信用代码")
    assert expanded[0] == ("统一社会信用代码", SynonymKind.CANONICAL)
    assert ("社会信用代码", SynonymKind.VARIANT) in expanded
    assert synonyms.canonical_of("身份证号") == "公民身份号码"
    assert synonyms.canonical_of("公民身份号码") == "公民身份号码"
    assert synonyms.canonical_of("不是同义词") is None
    assert synonyms.expand("不是同义词") == []


def test_rewrite_replaces_variants_inside_a_query() -> None:
    synonyms = SynonymDictionary()
    assert synonyms.rewrite("企业法人名称") == "企业法定代表人名称"
    assert synonyms.rewrite("统一社会信用代码") is None


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("统一社会信用代码信息", "统一社会信用代码"),
        ("身份证号码号", "身份证号码"),
        ("纳税人识别号码", "纳税人识别号"),
        ("社保号码", "社保号"),
    ],
)
def test_suffix_candidates(query: str, first: str) -> None:
    assert suffix_candidates(query)[0] == first


def test_suffix_candidates_leave_short_words_alone() -> None:
    assert "" not in suffix_candidates("信息")
    assert all(len(c) >= 2 for c in suffix_candidates("号码"))


def test_synonyms_reload_from_an_edited_file(tmp_path: Path) -> None:
    path = tmp_path / "synonyms.tsv"
    path.write_text("# test\n统一社会信用代码\t信用代码\n", encoding="utf-8")
    synonyms = SynonymDictionary(path)
    assert synonyms.canonical_of("企业代码") is None
    path.write_text("统一社会信用代码\t信用代码;企业代码\n", encoding="utf-8")
    synonyms.reload()
    assert synonyms.canonical_of("企业代码") == "统一社会信用代码"
    path.write_text("no tab on this line\n", encoding="utf-8")
    with pytest.raises(SynonymError):
        synonyms.reload()
    assert synonyms.canonical_of("企业代码") == "统一社会信用代码"  # the old dictionary stays


# -- authorities -----------------------------------------------------------------------


def test_authorities_seeded_from_data_items() -> None:
    registry = AuthorityRegistry()
    key = default_analyzer().key
    for department, items in _tsv_rows(SHARED_VOCAB / "data-items.tsv"):
        for item in items:
            names = [d.name for d in registry.departments_for(key(item))]
            assert department in names, (item, department)


def test_authoritative_department_is_found_in_provider_names() -> None:
    registry = AuthorityRegistry()
    key = default_analyzer().key
    found = registry.authoritative(("统一社会信用代码",), key("济宁市市场监督管理局"))
    assert found is not None and found.name == "市场监督管理局"
    assert registry.authoritative(("统一社会信用代码",), key("国家税务总局济宁市税务局")) is None
    found = registry.authoritative(("公民身份号码",), key("济宁市公安局"))
    assert found is not None and found.name == "公安局"
    assert registry.authoritative(("公民身份号码",), "") is None


def test_authorities_reject_a_broken_file(tmp_path: Path) -> None:
    path = tmp_path / "authorities.tsv"
    path.write_text("市场监督管理局\t统一社会信用代码\n", encoding="utf-8")
    registry = AuthorityRegistry(path)
    path.write_text("only a department\n", encoding="utf-8")
    with pytest.raises(AuthorityError):
        registry.reload()
    assert registry.departments_for("统一社会信用代码")
    assert AUTHORITIES_PATH.exists()
