"""Bearer tokens (访问令牌): issued for an agency, a role and a person; stored hashed; revocable.

A token reads `<id>.<secret>`. The id is public (listed, audited, revoked by); the secret is
256 bits from `secrets` and only its SHA-256 is stored, so the plain token exists only in the
answer to `issue_token`. Checking a token is a key lookup by id and a constant-time comparison
of hashes. A bureau-administrator token can only be issued for a big-data bureau
(大数据工作主管部门, `sharing/bureaus.py`); the actor's level is its agency's level.

Issuing and revoking are recorded in the audit trail in the same write as the token.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from graph.model import ChangeSet, Label, Node, NodeRef, Rel
from graph.store import GraphStore
from sharing.audit import audit_entry, record
from sharing.bureaus import is_big_data_bureau
from sharing.catalog_writer import CatalogWriter
from sharing.clock import Clock
from sharing.identity import ROLE_ZH, Actor, Role
from sharing.terms import Level

ID_PREFIX = "tok_"
MAX_BEARER_CHARS = 200  # longer header values are refused unread
MAX_PERSON_CHARS = 50
ISSUABLE_ROLES = tuple(r for r in Role if r is not Role.ANONYMOUS)

# Who issues and revokes from the server's command line: whoever has a shell on the server
# administers it, so the audit trail records them as a bureau administrator of no agency.
COMMAND_LINE = Actor(Role.BUREAU_ADMIN, person="命令行操作员 / command-line operator")


class TokenProblem(StrEnum):
    """Why a token cannot be issued or revoked (令牌问题)."""

    UNKNOWN_AGENCY = "UNKNOWN_AGENCY"  # 机构不存在
    UNKNOWN_ROLE = "UNKNOWN_ROLE"  # 角色不存在或不可签发
    ROLE_NOT_ALLOWED = "ROLE_NOT_ALLOWED"  # 该机构不能持有该角色
    INVALID_PERSON = "INVALID_PERSON"  # 持有人姓名为空或过长
    UNKNOWN_TOKEN = "UNKNOWN_TOKEN"  # 令牌不存在
    ALREADY_REVOKED = "ALREADY_REVOKED"  # 令牌已吊销


class TokenError(ValueError):
    """A token request that cannot be carried out (令牌请求不合法)."""

    def __init__(self, problem: TokenProblem, zh: str, en: str) -> None:
        super().__init__(en)
        self.problem = problem
        self.message_zh = zh
        self.message_en = en


@dataclass(frozen=True, slots=True)
class IssuedToken:
    """A freshly issued token. `bearer` is shown once and never stored."""

    id: str
    bearer: str
    agency_code: str
    role: Role
    person: str
    level: Level


@dataclass(frozen=True, slots=True)
class TokenInfo:
    """What is known of a token without its secret (令牌信息)."""

    id: str
    agency_code: str
    agency_name: str | None
    role: Role
    person: str
    issued_at: str
    revoked_at: str | None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def parse_role(value: str | Role) -> Role:
    """A role by its name (`BUREAU_ADMIN`, case-insensitive); TokenError if none or anonymous."""
    try:
        role = value if isinstance(value, Role) else Role(value.strip().upper())
    except ValueError:
        role = None
    if role is None or role not in ISSUABLE_ROLES:
        names = ", ".join(r.value for r in ISSUABLE_ROLES)
        raise TokenError(
            TokenProblem.UNKNOWN_ROLE,
            f"角色「{value}」不可签发令牌；可选：{names}",
            f"role {str(value)!r} cannot be issued a token; choose one of: {names}",
        )
    return role


def _writer_parts(store_or_writer: GraphStore | CatalogWriter) -> tuple[GraphStore, CatalogWriter | None]:
    if isinstance(store_or_writer, CatalogWriter):
        return store_or_writer.store, store_or_writer
    return store_or_writer, None


async def _write(store: GraphStore, writer: CatalogWriter | None, changes: ChangeSet) -> None:
    if writer is not None:
        await writer.apply(changes)
    else:
        await store.write(changes)


async def issue_token(
    store_or_writer: GraphStore | CatalogWriter,
    *,
    agency_code: str,
    role: Role | str,
    person: str,
    clock: Clock,
    by: Actor = COMMAND_LINE,
) -> IssuedToken:
    """Issue a token for `person` acting as `role` of the agency `agency_code`."""
    store, writer = _writer_parts(store_or_writer)
    role = parse_role(role)
    person = (person or "").strip()
    if not person or len(person) > MAX_PERSON_CHARS:
        raise TokenError(
            TokenProblem.INVALID_PERSON,
            f"持有人姓名不能为空且不超过 {MAX_PERSON_CHARS} 个字符",
            f"the person's name must be non-empty and at most {MAX_PERSON_CHARS} characters",
        )
    code = (agency_code or "").strip()
    [agency] = await store.get_nodes(Label.AGENCY, [code]) if code else [None]
    if agency is None:
        raise TokenError(
            TokenProblem.UNKNOWN_AGENCY,
            f"机构「{code[:40]}」不存在",
            f"agency {code[:40]!r} does not exist",
        )
    if role is Role.BUREAU_ADMIN and not is_big_data_bureau(agency):
        raise TokenError(
            TokenProblem.ROLE_NOT_ALLOWED,
            f"「{agency.get('name')}」不是大数据工作主管部门，不能签发{ROLE_ZH[role]}令牌",
            f"{agency.get('name')} is not a big-data bureau; a {role.value} token needs one",
        )
    token_id = ID_PREFIX + secrets.token_hex(8)
    secret = secrets.token_urlsafe(32)
    at = clock.now()
    props = {
        "tokenId": token_id,
        "agencyCode": code,
        "role": role.value,
        "person": person,
        "issuedAt": at.isoformat(),
        "revokedAt": None,
    }
    node = Node(Label.ACCESS_TOKEN, token_id, {**props, "secretSha256": _digest(secret)})
    changes = ChangeSet(upserts=[node])
    changes.set_edges(node.ref, Rel.ISSUED_TO, [agency.ref])
    record(changes, audit_entry(by, "token.issue", node.ref, at, after=props, level=Level(agency.get("level"))))
    await _write(store, writer, changes)
    return IssuedToken(token_id, f"{token_id}.{secret}", code, role, person, Level(agency.get("level")))


async def revoke_token(
    store_or_writer: GraphStore | CatalogWriter,
    token_id: str,
    *,
    clock: Clock,
    by: Actor = COMMAND_LINE,
) -> TokenInfo:
    """Revoke a token by its id; from then on it authenticates no request."""
    store, writer = _writer_parts(store_or_writer)
    token_id = (token_id or "").strip()
    [node] = await store.get_nodes(Label.ACCESS_TOKEN, [token_id]) if token_id else [None]
    if node is None:
        raise TokenError(
            TokenProblem.UNKNOWN_TOKEN,
            f"令牌「{token_id[:40]}」不存在",
            f"token {token_id[:40]!r} does not exist",
        )
    if node.get("revokedAt"):
        raise TokenError(
            TokenProblem.ALREADY_REVOKED,
            f"令牌「{token_id}」已于 {node.get('revokedAt')} 吊销",
            f"token {token_id!r} was already revoked at {node.get('revokedAt')}",
        )
    at = clock.now()
    revoked = Node(Label.ACCESS_TOKEN, token_id, {**node.props, "revokedAt": at.isoformat()})
    [agency] = await store.get_nodes(Label.AGENCY, [str(node.get("agencyCode"))])
    changes = ChangeSet(upserts=[revoked])
    record(changes, audit_entry(
        by, "token.revoke", node.ref, at,
        before={"revokedAt": None}, after={"revokedAt": at.isoformat()},
        level=Level(agency.get("level")) if agency else None,
    ))
    await _write(store, writer, changes)
    [info] = await _infos(store, [revoked])
    return info


async def _infos(store: GraphStore, nodes: Sequence[Node]) -> list[TokenInfo]:
    codes = [str(n.get("agencyCode")) for n in nodes]
    agencies = await store.get_nodes(Label.AGENCY, codes) if codes else []
    return [
        TokenInfo(
            id=n.key,
            agency_code=str(n.get("agencyCode")),
            agency_name=str(a.get("name")) if a else None,
            role=Role(n.get("role")),
            person=str(n.get("person")),
            issued_at=str(n.get("issuedAt")),
            revoked_at=n.get("revokedAt"),
        )
        for n, a in zip(nodes, agencies, strict=True)
    ]


async def list_tokens(store: GraphStore, *, agency_code: str | None = None) -> list[TokenInfo]:
    """Every token (never its secret), in id order; optionally of one agency."""
    nodes: list[Node] = []
    async for batch in store.iter_nodes(Label.ACCESS_TOKEN):
        nodes.extend(n for n in batch if agency_code is None or n.get("agencyCode") == agency_code)
    return await _infos(store, nodes)


async def authenticate(store: GraphStore, bearer: str) -> Actor | None:
    """The actor a bearer token stands for; None if it is malformed, unknown, wrong or revoked."""
    if not bearer or len(bearer) > MAX_BEARER_CHARS:
        return None
    token_id, sep, secret = bearer.strip().partition(".")
    if not sep or not token_id.startswith(ID_PREFIX) or not secret:
        return None
    [node] = await store.get_nodes(Label.ACCESS_TOKEN, [token_id])
    if node is None or node.get("revokedAt"):
        return None
    if not hmac.compare_digest(str(node.get("secretSha256") or ""), _digest(secret)):
        return None
    [agency] = await store.get_nodes(Label.AGENCY, [str(node.get("agencyCode"))])
    if agency is None:
        return None
    return Actor(
        role=Role(node.get("role")),
        agency_code=agency.key,
        person=str(node.get("person")),
        token_id=token_id,
        level=Level(agency.get("level")),
    )


def token_ref(token_id: str) -> NodeRef:
    return NodeRef(Label.ACCESS_TOKEN, token_id)
