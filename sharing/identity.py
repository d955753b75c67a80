"""Who is calling (调用者身份): roles and the actor a request acts as.

A bearer token resolves to an `Actor`; a request without one acts as `ANONYMOUS`. Roles follow
the notice (R4, R5): the big-data bureau per level administers the catalog, each agency's chief
representative (首席代表) reviews requests for its data, agency staff maintain their agency's
entries and file demands and applications, planners read across the catalog.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sharing.terms import Level


class Role(StrEnum):
    BUREAU_ADMIN = "BUREAU_ADMIN"  # 大数据工作主管部门管理员（按层级）
    CHIEF_REPRESENTATIVE = "CHIEF_REPRESENTATIVE"  # 首席代表
    AGENCY_STAFF = "AGENCY_STAFF"  # 机构工作人员
    PLANNER = "PLANNER"  # 规划人员（全目录只读）
    ANONYMOUS = "ANONYMOUS"  # 匿名（仅目录元数据）

    @property
    def label_zh(self) -> str:
        return ROLE_ZH[self]


ROLE_ZH: dict[Role, str] = {
    Role.BUREAU_ADMIN: "大数据局管理员",
    Role.CHIEF_REPRESENTATIVE: "首席代表",
    Role.AGENCY_STAFF: "机构工作人员",
    Role.PLANNER: "规划人员",
    Role.ANONYMOUS: "匿名用户",
}


@dataclass(frozen=True, slots=True)
class Actor:
    """The identity a request acts as (请求身份)."""

    role: Role
    agency_code: str | None = None  # the agency the token was issued for (None for anonymous)
    person: str | None = None  # the named person (审计记录的“谁”)
    token_id: str | None = None  # the token's public id (never the secret)
    level: Level | None = None  # the agency's level; for a bureau administrator, the level it administers

    @property
    def is_anonymous(self) -> bool:
        return self.role is Role.ANONYMOUS

    def acts_for(self, agency_code: str | None) -> bool:
        """Whether this actor belongs to the given agency."""
        return agency_code is not None and self.agency_code == agency_code


ANONYMOUS = Actor(Role.ANONYMOUS)
