"""The GraphQL schema (GraphQL 模式): strawberry types, inputs, enums; no storage code."""
