"""The assembled schema with its protections (组装后的模式及其防护).

Limits are part of the API: query depth, aliases and tokens are capped so one request cannot
make the server walk the whole graph.
"""

from __future__ import annotations

import strawberry
from strawberry.extensions import (
    AddValidationRules,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
    ValidationCache,
)
from strawberry.file_uploads import Upload
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types

from resolvers.detail_reads import RecordDetailReads
from schema.agency import Agency
from schema.audit import AuditQuery
from schema.demand import Demand
from schema.error_codes import ErrorCodes
from schema.error_logging import CatalogSchema
from schema.field import Field
from schema.grant import Grant
from schema.identity import IdentityQuery
from schema.lineage import LineageQuery
from schema.mutation import Mutation
from schema.project import Project
from schema.query import Query
from schema.query_cache import ParseCache
from schema.resource import DataResource
from schema.scenario import Scenario
from schema.service import DataService
from schema.workflows.application_api import UPLOAD_SCALAR, ApplicationMutation, ApplicationQuery
from schema.workflows.catalog_upkeep_api import CatalogUpkeepMutation, SupplyListQuery
from schema.workflows.follow_up_api import FollowUpMutation, FollowUpQuery
from schema.workflows.grants import GrantMutation, GrantQuery

MAX_DEPTH = 12
MAX_ALIASES = 30
MAX_TOKENS = 3000
QUERY_CACHE = 512  # distinct query texts whose parse and validation are remembered

# The limit rules are built once: a rule class made per request would be a new key of the
# validation cache every time. Parsing and validating a query cost more than answering a
# small one, and clients send the same few texts again and again.
_LIMIT_RULES = (
    *QueryDepthLimiter(max_depth=MAX_DEPTH).validation_rules,
    *MaxAliasesLimiter(max_alias_count=MAX_ALIASES).validation_rules,
)


def _merged(name: str, *types: type) -> type:
    """The root types merged into one, described as the first one is."""
    merged = merge_types(name, types)
    merged.__strawberry_definition__.description = types[0].__strawberry_definition__.description  # type: ignore[attr-defined]
    return merged


# The root types, merged: one line per module so each workflow adds its own.
QUERY_TYPES: tuple[type, ...] = (
    Query,
    LineageQuery,
    IdentityQuery,
    AuditQuery,
    ApplicationQuery,
    GrantQuery,
    SupplyListQuery,
    FollowUpQuery,
)
MUTATION_TYPES: tuple[type, ...] = (
    Mutation,
    ApplicationMutation,
    GrantMutation,
    CatalogUpkeepMutation,
    FollowUpMutation,
)


def build_schema() -> strawberry.Schema:
    return CatalogSchema(
        query=_merged("Query", *QUERY_TYPES),
        mutation=_merged("Mutation", *MUTATION_TYPES),
        types=[Agency, DataResource, Field, DataService, Scenario, Grant, Project, Demand],
        extensions=[
            lambda: AddValidationRules(list(_LIMIT_RULES)),
            lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
            lambda: ParseCache(maxsize=QUERY_CACHE),
            lambda: ValidationCache(maxsize=QUERY_CACHE),
            RecordDetailReads,
            ErrorCodes,
        ],
        config=StrawberryConfig(auto_camel_case=True, scalar_map={Upload: UPLOAD_SCALAR}),
    )
