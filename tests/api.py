"""A small GraphQL client for the API tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx


@dataclass
class Api:
    client: httpx.AsyncClient
    headers: dict[str, str] = field(default_factory=dict)  # sent with every request

    def as_bearer(self, token: str) -> Api:
        """The same client, calling with `Authorization: Bearer <token>`."""
        return Api(self.client, {**self.headers, "Authorization": f"Bearer {token}"})

    async def raw(self, query: str, variables: dict[str, Any] | None = None) -> httpx.Response:
        return await self.client.post(
            "/graphql", json={"query": query, "variables": variables}, headers=self.headers
        )

    async def query(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """The `data` of a query that must succeed."""
        response = await self.raw(query, variables)
        assert response.status_code == 200, response.text
        body = response.json()
        assert not body.get("errors"), body["errors"]
        data: dict[str, Any] = body["data"]
        return data

    async def error(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """The first error of a query that must fail; checks it carries a code."""
        response = await self.raw(query, variables)
        assert response.status_code < 500, response.text
        body = response.json()
        assert body.get("errors"), body
        error: dict[str, Any] = body["errors"][0]
        assert error["extensions"]["code"], error
        return error
