"""One recorded step of a workflow's history (流程记录的一步): what grants and applications share."""

from __future__ import annotations

from typing import Any

import strawberry


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


@strawberry.type(description="流程的一步 / One step of a workflow's history.")
class WorkflowStep:
    _d: strawberry.Private[dict[str, Any]]

    @strawberry.field(description="时间 / When (ISO 8601).")
    def at(self) -> str:
        return str(self._d.get("at"))

    @strawberry.field(description="操作 / Action, e.g. application.approve, grant.suspend.")
    def action(self) -> str:
        return str(self._d.get("action"))

    @strawberry.field(description="操作人角色 / The actor's role.")
    def role(self) -> str:
        return str(self._d.get("role"))

    @strawberry.field(description="操作人机构代码 / The actor's agency code.")
    def agency_code(self) -> str | None:
        return _text(self._d.get("agency"))

    @strawberry.field(description="操作人 / The person.")
    def person(self) -> str | None:
        return _text(self._d.get("person"))

    @strawberry.field(description="理由或说明 / Reason or note.")
    def note(self) -> str | None:
        return _text(self._d.get("note"))
