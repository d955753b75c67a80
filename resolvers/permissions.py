"""Who may call what (权限校验): one check every mutation and protected query makes.

`require(info, roles...)` returns the calling actor or raises a typed FORBIDDEN error naming
the roles that would be allowed. Object-level rules (an agency's staff may only change that
agency's resources) are checked by the workflow with `require_agency`.

Fields state their roles declaratively with `allowed(...)`, a strawberry field extension:
`@strawberry.field(description=..., extensions=[allowed(*SIGNED_IN)])`. A refused field
resolves to null with the same FORBIDDEN error, so the rest of the query still answers.

What each role sees (the notice, R4, R5, R11): anonymous callers read the catalog's metadata
only — no contacts, no grants; every signed-in role (bureau administrator, chief
representative, agency staff, planner) reads across the catalog, an agency's own people seeing
only the grants their agency is a party to (`sharing/grant_visibility.py`).
"""

from __future__ import annotations

from typing import Any

from strawberry.permission import BasePermission, PermissionExtension

from resolvers.context import Info
from schema.errors import CatalogError, ErrorCode
from sharing.identity import ROLE_ZH, Actor, Role

# Every role a token can carry: who may read contacts, grants and who uses which data.
SIGNED_IN: tuple[Role, ...] = (
    Role.BUREAU_ADMIN, Role.CHIEF_REPRESENTATIVE, Role.AGENCY_STAFF, Role.PLANNER,
)


def forbidden(roles: tuple[Role, ...], why_zh: str = "", why_en: str = "") -> CatalogError:
    zh = "、".join(ROLE_ZH[r] for r in roles)
    en = ", ".join(r.value for r in roles)
    return CatalogError(
        ErrorCode.FORBIDDEN,
        f"无权限：需要{zh}角色{('（' + why_zh + '）') if why_zh else ''}",
        f"Forbidden: requires role {en}{(' (' + why_en + ')') if why_en else ''}",
        requiredRoles=[r.value for r in roles],
    )


def _refusal(actor: Actor, roles: tuple[Role, ...]) -> CatalogError:
    if actor.is_anonymous:
        return forbidden(
            roles,
            "匿名调用：请在请求头携带 Authorization: Bearer <令牌>",
            "anonymous call: send Authorization: Bearer <token>",
        )
    return forbidden(roles)


def require(info: Info, *roles: Role) -> Actor:
    """The actor, if it has one of `roles`; else FORBIDDEN naming them."""
    actor = info.context.actor
    if actor.role not in roles:
        raise _refusal(actor, roles)
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


class RolesAllowed(BasePermission):
    """Strawberry permission: the caller's role must be one of `roles`.

    The refusal is raised from `has_permission` itself, where the caller is known (strawberry's
    `on_unauthorized` is not told who asked), so one instance serves concurrent requests.
    """

    def __init__(self, *roles: Role) -> None:
        self.roles = roles

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        actor = info.context.actor
        if actor.role not in self.roles:
            raise _refusal(actor, self.roles)
        return True


def allowed(*roles: Role) -> PermissionExtension:
    """A field extension letting only `roles` resolve the field (FORBIDDEN naming them)."""
    return PermissionExtension([RolesAllowed(*roles)], use_directives=False)
