"""Who may call what (权限校验): one check every mutation and protected query makes.

`require(info, roles...)` returns the calling actor or raises a typed FORBIDDEN error naming
the roles that would be allowed. Object-level rules (an agency's staff may only change that
agency's resources) are checked by the workflow with `require_agency`.
"""

from __future__ import annotations

from resolvers.context import Info
from schema.errors import CatalogError, ErrorCode
from sharing.identity import ROLE_ZH, Actor, Role


def forbidden(roles: tuple[Role, ...], why_zh: str = "", why_en: str = "") -> CatalogError:
    zh = "、".join(ROLE_ZH[r] for r in roles)
    en = ", ".join(r.value for r in roles)
    return CatalogError(
        ErrorCode.FORBIDDEN,
        f"无权限：需要{zh}角色{('（' + why_zh + '）') if why_zh else ''}",
        f"Forbidden: requires role {en}{(' (' + why_en + ')') if why_en else ''}",
        requiredRoles=[r.value for r in roles],
    )


def require(info: Info, *roles: Role) -> Actor:
    """The actor, if it has one of `roles`; else FORBIDDEN naming them."""
    actor = info.context.actor
    if actor.role not in roles:
        raise forbidden(roles)
    return actor


def require_agency(actor: Actor, agency_code: str | None, *roles: Role) -> None:
    """Object-level check: the actor must act for `agency_code` (bureau administrators pass)."""
    if actor.role is Role.BUREAU_ADMIN:
        return
    if not actor.acts_for(agency_code):
        raise forbidden(
            roles or (actor.role,),
            f"只能操作本机构（{agency_code}）的数据",
            f"only for agency {agency_code}",
        )
