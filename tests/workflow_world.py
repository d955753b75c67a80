"""The app on the demo catalog at a fixed time, with real tokens per agency and role, and
checks that a refused call leaves the store exactly as it was (流程测试环境)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

from app.backends import open_backends
from app.config import Settings
from graph.model import Label
from sharing.clock import CHINA, FixedClock
from sharing.identity import Role
from tests.api import Api
from tests.conftest import _client
from tests.identities import issue
from tests.store_snapshot import snapshot

CITY_BUREAU = "11370800004884472J"  # 济宁市大数据局
COUNTY_BUREAU = "1137081100443982XQ"  # 任城区大数据局
SCJG = "11370800004196725U"  # 济宁市市场监督管理局
CGJ = "11370800004271051R"  # 济宁市城市管理局
RSJ = "1137080000407981XE"  # 济宁市人力资源和社会保障局
XZSP = "11370800004098586M"  # 济宁市行政审批服务局
class World:
    def __init__(self, api: Api, settings: Settings, clock: FixedClock) -> None:
        self.api = api
        self.settings = settings
        self.clock = clock
        self._tokens: dict[tuple[str, Role], str] = {}

    async def as_(self, agency: str, role: Role) -> Api:
        if (agency, role) not in self._tokens:
            self._tokens[(agency, role)] = await issue(
                self.settings, agency=agency, role=role, person=f"{role.value.lower()}@{agency[-6:]}"
            )
        return self.api.as_bearer(self._tokens[(agency, role)])

    def at(self, *when: int) -> None:
        """Move the clock to a date (and hour) in China."""
        y, m, d, *rest = when
        self.clock.set(datetime(y, m, d, rest[0] if rest else 10, tzinfo=CHINA))

    async def ok(self, who: Api, query: str, variables: dict[str, Any], name: str) -> dict[str, Any]:
        payload: dict[str, Any] = (await who.query(query, variables))[name]
        assert payload["errors"] == [], payload
        return payload

    async def refused(self, who: Api, query: str, variables: dict[str, Any], name: str) -> dict[str, Any]:
        """A mutation refused with a payload error, leaving the store unchanged; its first error."""
        before = await snapshot(self.settings)
        payload: dict[str, Any] = (await who.query(query, variables))[name]
        assert payload["errors"], payload
        assert await snapshot(self.settings) == before
        error: dict[str, Any] = payload["errors"][0]
        assert error["messageZh"] and error["messageEn"]
        return error

    async def forbidden(self, who: Api, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        """A call refused with a top-level FORBIDDEN naming the roles, leaving the store unchanged."""
        before = await snapshot(self.settings)
        error = await who.error(query, variables)
        assert error["extensions"]["code"] == "FORBIDDEN", error
        assert error["extensions"]["requiredRoles"]
        assert await snapshot(self.settings) == before
        return error

    async def audit(self, target: str) -> list[str]:
        """The actions audited on `target` (sorted), each checked to carry who and when."""
        async with open_backends(self.settings) as b:
            found = [n async for batch in b.store.iter_nodes(Label.AUDIT_ENTRY) for n in batch
                     if n.get("target") == target]
        for n in found:
            assert n.get("person") and n.get("role") and n.get("at"), n.props
        return sorted(str(n.get("action")) for n in found)


async def world_at(settings: Settings, when: datetime) -> AsyncIterator[World]:
    clock = FixedClock(when)
    async for api in _client(settings, clock=clock):
        yield World(api, settings, clock)
