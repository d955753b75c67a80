"""Editing the synonym dictionary file (同义词文件维护): validated, atomic, comments kept."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from search.synonym_file import ADDED_MARKER, GroupEdit, SynonymEditError, SynonymFile, SynonymProblemCode
from search.synonyms import SYNONYMS_PATH, SynonymDictionary


@pytest.fixture
def file(tmp_path: Path) -> SynonymFile:
    path = tmp_path / "synonyms.tsv"
    shutil.copyfile(SYNONYMS_PATH, path)
    return SynonymFile(path)


def test_a_new_group_is_appended_and_known_at_once(file: SynonymFile) -> None:
    before = file.path.read_text(encoding="utf-8")
    outcome = file.edit(add=[GroupEdit("宠物犬登记证号", ("犬证号", "养犬登记证号"))])
    assert outcome.added == ("宠物犬登记证号",) and outcome.changed
    text = file.path.read_text(encoding="utf-8")
    assert text.startswith(before.rstrip("\n"))  # every earlier line, comments included, kept
    assert ADDED_MARKER in text and text.endswith("宠物犬登记证号\t犬证号;养犬登记证号\n")
    assert file.dictionary().canonical_of("犬证号") == "宠物犬登记证号"
    assert SynonymDictionary(file.path).contains("养犬登记证号")


def test_variants_for_an_existing_group_extend_its_line(file: SynonymFile) -> None:
    outcome = file.edit(add=[GroupEdit("统一社会信用代码", ("信用代码", "企业信用代码"))])
    assert outcome.extended == ("统一社会信用代码",) and not outcome.added
    line = next(x for x in file.path.read_text(encoding="utf-8").splitlines() if x.startswith("统一社会信用代码\t"))
    assert line.endswith(";企业信用代码") and line.count("信用代码;") >= 1


def test_removing_a_group_by_its_canonical_name(file: SynonymFile) -> None:
    assert file.dictionary().contains("税号")
    outcome = file.edit(remove=["纳税人识别号"])
    assert outcome.removed == ("纳税人识别号",)
    assert not file.dictionary().contains("税号")


@pytest.mark.parametrize(
    "add, remove, code",
    [
        ([GroupEdit("新项目", ("信用代码",))], [], SynonymProblemCode.CONFLICT),  # 信用代码 has a group
        ([GroupEdit("信用代码", ("甲",))], [], SynonymProblemCode.CONFLICT),  # a variant as canonical
        ([GroupEdit("😀", ())], [], SynonymProblemCode.INVALID_TERM),
        ([GroupEdit("甲乙", ("丙;丁",))], [], SynonymProblemCode.INVALID_TERM),
        ([GroupEdit("甲" * 51, ())], [], SynonymProblemCode.TERM_TOO_LONG),
        ([], ["不存在的组"], SynonymProblemCode.NOT_FOUND),
    ],
)
def test_an_invalid_edit_writes_nothing(
    file: SynonymFile, add: list[GroupEdit], remove: list[str], code: SynonymProblemCode
) -> None:
    before = file.path.read_text(encoding="utf-8")
    with pytest.raises(SynonymEditError) as caught:
        file.edit(add=[*add, GroupEdit("合法新组", ("合法写法",))], remove=remove)
    assert code in {p.code for p in caught.value.problems}
    assert file.path.read_text(encoding="utf-8") == before


def test_an_empty_edit_is_an_error(file: SynonymFile) -> None:
    with pytest.raises(SynonymEditError) as caught:
        file.edit()
    assert caught.value.problems[0].code is SynonymProblemCode.EMPTY_EDIT


def test_restore_puts_the_previous_text_back(file: SynonymFile) -> None:
    outcome = file.edit(add=[GroupEdit("宠物犬登记证号", ("犬证号",))])
    file.restore(outcome.previous_text)
    assert not file.dictionary().contains("犬证号")


def test_the_bundled_dictionary_has_over_200_groups_each_term_in_one_group() -> None:
    dictionary = SynonymDictionary()
    assert len(dictionary) >= 200
    owners: dict[str, str] = {}
    for group in dictionary.groups:
        for term in group.terms:
            assert owners.setdefault(term, group.canonical) == group.canonical, term


def test_pinyin_and_initials_of_a_term_find_its_group() -> None:
    dictionary = SynonymDictionary()
    assert dictionary.expand("xydm")[0][0] == "统一社会信用代码"  # 信用代码
    assert dictionary.expand("shenfenzheng")[0][0] == "公民身份号码"  # 身份证
    assert not dictionary.contains("xm")  # two-letter initials are too ambiguous
    assert dictionary.rewrite("xydm") is None  # spellings never rewrite text
