"""授权 Grant: a service granted to a scenario for some fields (R10, R11)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import strawberry

from graph.model import Direction, Label, Rel
from resolvers.context import Info
from schema.enums import GrantStatus
from schema.node import NodeInterface
from schema.workflow_step import WorkflowStep
from sharing.clock import today
from sharing.grants import effective_status

if TYPE_CHECKING:
    from schema.agency import Agency
    from schema.field import Field
    from schema.scenario import Scenario
    from schema.service import DataService


@strawberry.type(description="授权的一步（暂停、恢复、终止）/ One step of a grant's history.")
class GrantStep(WorkflowStep):
    @strawberry.field(description="之后的状态 / Status after.")
    def to_status(self) -> GrantStatus:
        return GrantStatus(str(self._d.get("to")))


@strawberry.type(description="授权 / A grant of a data service to a scenario.")
class Grant(NodeInterface):
    @strawberry.field(
        description="授权状态（过了有效期即为已过期，按业务时钟）/ Status; EXPIRED once past validUntil "
        "(workflow clock)."
    )
    def status(self, info: Info) -> GrantStatus:
        return effective_status(self._node, today(info.context.clock))

    @strawberry.field(description="有效期至（含，未限定为 null）/ Valid until (inclusive; null: unlimited).")
    def valid_until(self) -> str | None:
        return self.text("validUntil")

    @strawberry.field(description="授权时间 / Granted at (ISO 8601; null for imported grants).")
    def granted_at(self) -> str | None:
        return self.text("grantedAt")

    @strawberry.field(description="暂停、恢复或终止的理由 / Reason of the last suspension, resumption or termination.")
    def status_reason(self) -> str | None:
        return self.text("statusReason")

    @strawberry.field(description="授权记录（按时间）/ The grant's history, in order.")
    def history(self) -> list[GrantStep]:
        return [GrantStep(_d=d) for d in json.loads(self.prop("history") or "[]")]

    @strawberry.field(description="使用机构（场景所属机构）/ The consumer agency (the scenario's).")
    async def consumer(self, info: Info) -> Annotated[Agency, strawberry.lazy("schema.agency")] | None:
        from schema.agency import Agency

        code = self.prop("consumerCode")
        if not code:
            scenario = await info.context.loaders.nodes(Label.SCENARIO).load(str(self.prop("scenarioCode")))
            code = scenario.get("agencyCode") if scenario else None
        node = await info.context.loaders.nodes(Label.AGENCY).load(str(code)) if code else None
        return Agency(_node=node) if node else None

    @strawberry.field(description="提供机构（资源所属机构）/ The providing agency (the resource's).")
    async def provider(self, info: Info) -> Annotated[Agency, strawberry.lazy("schema.agency")] | None:
        from schema.agency import Agency

        code = self.prop("providerCode")
        if not code and self.prop("resourceCode"):
            resource = await info.context.loaders.nodes(Label.RESOURCE).load(str(self.prop("resourceCode")))
            code = resource.get("providerCode") if resource else None
        node = await info.context.loaders.nodes(Label.AGENCY).load(str(code)) if code else None
        return Agency(_node=node) if node else None

    @strawberry.field(description="来源申请的编号（导入的授权为 null）/ Code of the application it came from.")
    def application_code(self) -> str | None:
        return self.text("applicationKey")

    @strawberry.field(description="应用场景 / The scenario.")
    async def scenario(self, info: Info) -> Annotated[Scenario, strawberry.lazy("schema.scenario")]:
        from schema.scenario import Scenario

        node = await info.context.loaders.nodes(Label.SCENARIO).load(str(self.prop("scenarioCode")))
        assert node is not None, "a grant's scenario always exists"
        return Scenario(_node=node)

    @strawberry.field(description="授权的数据服务 / The granted service.")
    async def service(self, info: Info) -> Annotated[DataService, strawberry.lazy("schema.service")]:
        from schema.service import DataService

        node = await info.context.loaders.nodes(Label.SERVICE).load(str(self.prop("serviceCode")))
        assert node is not None, "a grant's service always exists"
        return DataService(_node=node)

    @strawberry.field(description="授权的信息项 / The granted fields.")
    async def fields(self, info: Info) -> list[Annotated[Field, strawberry.lazy("schema.field")]]:
        from schema.field import Field

        loader = info.context.loaders.neighbors(Label.GRANT, Rel.COVERS_FIELD, Direction.OUT)
        return [Field(_node=n) for n in await loader.load(self._node.key)]
