"""The assembled schema with its protections (组装后的模式及其防护).

Limits are part of the API: query depth, aliases and tokens are capped so one request cannot
make the server walk the whole graph.
"""

from __future__ import annotations

import strawberry
from strawberry.extensions import MaxAliasesLimiter, MaxTokensLimiter, QueryDepthLimiter
from strawberry.schema.config import StrawberryConfig

from schema.agency import Agency
from schema.error_codes import ErrorCodes
from schema.field import Field
from schema.grant import Grant
from schema.project import Project
from schema.query import Query
from schema.resource import DataResource
from schema.scenario import Scenario
from schema.service import DataService

MAX_DEPTH = 12
MAX_ALIASES = 30
MAX_TOKENS = 3000


def build_schema() -> strawberry.Schema:
    return strawberry.Schema(
        query=Query,
        types=[Agency, DataResource, Field, DataService, Scenario, Grant, Project],
        extensions=[
            lambda: QueryDepthLimiter(max_depth=MAX_DEPTH),
            lambda: MaxAliasesLimiter(max_alias_count=MAX_ALIASES),
            lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
            ErrorCodes,
        ],
        config=StrawberryConfig(auto_camel_case=True),
    )
