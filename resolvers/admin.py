"""Who may administer the catalog (管理员校验): a big-data bureau administrator's token.

Administrator mutations (updateSynonyms) call `is_bureau_administrator`: the request must carry
a bearer token issued for the BUREAU_ADMIN role (only ever issued to a big-data bureau,
`sharing/tokens.py`). The peer address plays no part, so a reverse proxy changes nothing.
"""

from __future__ import annotations

from resolvers.context import Info
from sharing.identity import Role


def is_bureau_administrator(info: Info) -> bool:
    """Whether the request acts as a big-data bureau administrator (any level)."""
    return info.context.actor.role is Role.BUREAU_ADMIN
