"""Maintaining the synonym dictionary (同义词词典维护): the administrator mutation's types."""

from __future__ import annotations

from enum import StrEnum

import strawberry

from search.synonym_file import SynonymProblemCode


class SynonymErrorCode(StrEnum):
    """Codes of updateSynonyms errors (同义词维护错误代码)."""

    FORBIDDEN = "FORBIDDEN"
    INVALID_TERM = SynonymProblemCode.INVALID_TERM.value
    TERM_TOO_LONG = SynonymProblemCode.TERM_TOO_LONG.value
    TOO_MANY_VARIANTS = SynonymProblemCode.TOO_MANY_VARIANTS.value
    CONFLICT = SynonymProblemCode.CONFLICT.value
    NOT_FOUND = SynonymProblemCode.NOT_FOUND.value
    EMPTY_EDIT = SynonymProblemCode.EMPTY_EDIT.value
    RELOAD_FAILED = "RELOAD_FAILED"


strawberry.enum(
    SynonymErrorCode,
    name="SynonymErrorCode",
    description=(
        "同义词维护错误代码 / Error codes of updateSynonyms. FORBIDDEN: 无管理员权限 not an administrator; "
        "INVALID_TERM: 词条为空或含分隔符 empty term or separators; TERM_TOO_LONG: 词条过长 term too long; "
        "TOO_MANY_VARIANTS: 同义写法过多 too many variants; CONFLICT: 词条已属另一组 term in another group; "
        "NOT_FOUND: 要删除的组不存在 no such group; EMPTY_EDIT: 没有修改 nothing to do; RELOAD_FAILED: "
        "检索索引未能重新加载，已恢复原词典 the index could not reload; the file was restored"
    ),
)


@strawberry.input(description="同义词组 / A synonym group: a canonical name and its variants.")
class SynonymGroupInput:
    canonical: str = strawberry.field(description="标准名称 / Canonical name, e.g. 统一社会信用代码.")
    variants: list[str] = strawberry.field(description="同义写法 / Variants, e.g. 信用代码.")


@strawberry.input(description="同义词词典修改 / An edit of the synonym dictionary.")
class UpdateSynonymsInput:
    add: list[SynonymGroupInput] | None = strawberry.field(
        default=None,
        description="新增的组，或为已有组补充同义写法 / Groups to add, or variants to add to a group.",
    )
    remove: list[str] | None = strawberry.field(
        default=None, description="按标准名称删除的组 / Groups to remove, by canonical name."
    )


@strawberry.type(description="同义词维护错误 / An updateSynonyms error.")
class SynonymError:
    code: SynonymErrorCode = strawberry.field(description="错误代码 / Error code.")
    field: str | None = strawberry.field(description="出错的输入字段 / The input field at fault.")
    message: str = strawberry.field(description="中英文说明 / Message, Chinese and English.")
    message_zh: str = strawberry.field(description="中文说明 / Message in Chinese.")
    message_en: str = strawberry.field(description="英文说明 / Message in English.")


@strawberry.type(description="同义词维护结果 / Result of updateSynonyms.")
class UpdateSynonymsPayload:
    added: list[str] = strawberry.field(description="新增的组（标准名称）/ Groups added (canonical names).")
    extended: list[str] = strawberry.field(
        description="补充了同义写法的组 / Groups that got new variants."
    )
    removed: list[str] = strawberry.field(description="删除的组 / Groups removed.")
    group_count: int | None = strawberry.field(description="修改后的组数 / Groups in the dictionary now.")
    errors: list[SynonymError] = strawberry.field(description="错误（有错误时未修改）/ Errors; nothing changed.")
