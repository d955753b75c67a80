"""updateSynonyms: the administrator edits the synonym dictionary (同义词词典维护)."""

from __future__ import annotations

import logging

from resolvers.admin import is_bureau_administrator
from resolvers.context import Info
from schema.synonyms import SynonymError, SynonymErrorCode, UpdateSynonymsInput, UpdateSynonymsPayload
from search.synonym_file import GroupEdit, SynonymEditError
from sharing.identity import ROLE_ZH, Role

log = logging.getLogger(__name__)


def _payload(errors: list[SynonymError]) -> UpdateSynonymsPayload:
    return UpdateSynonymsPayload(added=[], extended=[], removed=[], group_count=None, errors=errors)


def _error(code: SynonymErrorCode, field: str | None, zh: str, en: str) -> SynonymError:
    return SynonymError(code=code, field=field, message=f"{zh} / {en}", message_zh=zh, message_en=en)


async def update_synonyms(info: Info, input: UpdateSynonymsInput) -> UpdateSynonymsPayload:
    if not is_bureau_administrator(info):
        return _payload([_error(
            SynonymErrorCode.FORBIDDEN, None,
            f"无权限：需要{ROLE_ZH[Role.BUREAU_ADMIN]}角色（请携带大数据局管理员令牌）",
            f"Forbidden: requires role {Role.BUREAU_ADMIN.value} (send a bureau administrator's bearer token)",
        )])
    ctx = info.context
    add = [GroupEdit(g.canonical, tuple(g.variants)) for g in input.add or []]
    try:
        outcome = ctx.synonyms.edit(add=add, remove=list(input.remove or []))
    except SynonymEditError as e:
        return _payload([_error(SynonymErrorCode(p.code.value), p.field, p.message_zh, p.message_en)
                         for p in e.problems])
    if outcome.changed:
        try:
            await ctx.index.reload_synonyms()
        except Exception:
            log.exception("the search index could not reload the synonyms; restoring the file")
            ctx.synonyms.restore(outcome.previous_text)
            try:
                await ctx.index.reload_synonyms()
            except Exception:
                log.exception("the search index could not reload the restored synonyms either")
            return _payload([_error(
                SynonymErrorCode.RELOAD_FAILED, None,
                "检索索引未能加载新词典，已恢复原词典",
                "the search index could not load the new dictionary; it was restored",
            )])
    if outcome.changed:
        await ctx.writer.announce_search_change()
    return UpdateSynonymsPayload(
        added=list(outcome.added), extended=list(outcome.extended), removed=list(outcome.removed),
        group_count=outcome.groups, errors=[],
    )
