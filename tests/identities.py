"""Tokens for the API tests (测试用身份令牌): real tokens, issued in the backends under test."""

from __future__ import annotations

from app.backends import open_backends
from app.config import Settings
from sharing.clock import SystemClock
from sharing.identity import Role
from sharing.tokens import issue_token


async def issue(settings: Settings, *, agency: str, role: Role, person: str) -> str:
    """Issue a token for `person` as `role` of `agency` and return the bearer string.

    Opens the backends of `settings` briefly (embedded or servers alike), so it can be called
    before or while an app on the same settings serves requests.
    """
    async with open_backends(settings) as b:
        issued = await issue_token(b.writer, agency_code=agency, role=role, person=person,
                                   clock=SystemClock())
    return issued.bearer
