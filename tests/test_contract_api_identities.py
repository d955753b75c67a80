"""Bearer tokens end to end (身份令牌): issued hashed, authenticate requests, revocable; 401 on bad."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest

from app.backends import open_backends
from app.config import Settings
from graph.model import Label, Rel
from sharing.clock import SystemClock
from sharing.identity import Role
from sharing.tokens import TokenError, TokenProblem, issue_token, list_tokens, revoke_token
from tests.api import Api
from tests.identities import issue
from tests.sample_catalog import DSJ, RC_SCJG, SCJG

VIEWER = "{ viewer { role authenticated person tokenId level agency { code name } } }"


async def test_no_header_is_anonymous(api: Api) -> None:
    viewer = (await api.query(VIEWER))["viewer"]
    assert viewer == {"role": "ANONYMOUS", "authenticated": False, "person": None,
                      "tokenId": None, "level": None, "agency": None}


async def test_a_token_names_role_person_agency_and_level(api: Api, sample_settings: Settings) -> None:
    bearer = await issue(sample_settings, agency=RC_SCJG, role=Role.AGENCY_STAFF, person="赵磊")
    viewer = (await api.as_bearer(bearer).query(VIEWER))["viewer"]
    assert viewer["role"] == "AGENCY_STAFF" and viewer["authenticated"] is True
    assert viewer["person"] == "赵磊" and viewer["level"] == "COUNTY"
    assert viewer["agency"] == {"code": RC_SCJG, "name": "任城区市场监督管理局"}
    assert viewer["tokenId"] == bearer.split(".")[0]
    # the same client without the header is anonymous again
    assert (await api.query(VIEWER))["viewer"]["role"] == "ANONYMOUS"


async def test_tokens_are_stored_hashed_and_listed_without_secrets(sample_settings: Settings) -> None:
    async with open_backends(sample_settings) as b:
        issued = await issue_token(b.writer, agency_code=DSJ, role=Role.BUREAU_ADMIN,
                                   person="李明", clock=SystemClock())
        token_id, secret = issued.bearer.split(".", 1)
        assert issued.id == token_id and issued.level == "CITY" and len(secret) >= 40
        [node] = await b.store.get_nodes(Label.ACCESS_TOKEN, [token_id])
        assert node is not None
        assert secret not in str(node.props) and issued.bearer not in str(node.props)
        assert node.get("secretSha256") == hashlib.sha256(secret.encode()).hexdigest()
        edges = await b.store.edges_from(Label.ACCESS_TOKEN, [token_id], Rel.ISSUED_TO)
        assert [e.dst.key for e in edges] == [DSJ]
        [info] = [t for t in await list_tokens(b.store) if t.id == token_id]
        assert info.active and info.role is Role.BUREAU_ADMIN and info.agency_name == "济宁市大数据局"
        assert secret not in repr(info)
        audit = [n async for batch in b.store.iter_nodes(Label.AUDIT_ENTRY) for n in batch]
        assert [(a.get("action"), a.get("target")) for a in audit] == [
            ("token.issue", f"AccessToken:{token_id}")
        ]
        assert secret not in str(audit[0].props)


@pytest.mark.parametrize(
    ("agency", "role", "problem"),
    [
        (SCJG, Role.BUREAU_ADMIN, TokenProblem.ROLE_NOT_ALLOWED),  # not a big-data bureau
        ("NO-SUCH-AGENCY", Role.AGENCY_STAFF, TokenProblem.UNKNOWN_AGENCY),
        (SCJG, "ANONYMOUS", TokenProblem.UNKNOWN_ROLE),
        (SCJG, "SUPERUSER", TokenProblem.UNKNOWN_ROLE),
    ],
)
async def test_issuing_refuses_unknown_agency_or_role(
    sample_settings: Settings, agency: str, role: Role | str, problem: TokenProblem
) -> None:
    async with open_backends(sample_settings) as b:
        with pytest.raises(TokenError) as refused:
            await issue_token(b.writer, agency_code=agency, role=role, person="张伟",
                              clock=SystemClock())
        assert refused.value.problem is problem
        assert refused.value.message_zh and refused.value.message_en
        assert await b.store.count_nodes(Label.ACCESS_TOKEN) == 0
        assert await b.store.count_nodes(Label.AUDIT_ENTRY) == 0


@pytest.mark.parametrize(
    "header",
    ["Bearer tok_0000000000000000.not-the-secret", "Bearer nonsense", "Bearer ", "Basic dXNlcjpwdw==",
     "Bearer " + "x" * 500],
)
async def test_a_bad_token_is_401_with_a_typed_error(api: Api, header: str) -> None:
    response = await api.client.post("/graphql", json={"query": VIEWER},
                                     headers={"Authorization": header})
    _assert_unauthenticated(response.status_code, response.json())
    assert response.headers["www-authenticate"] == "Bearer"


async def test_a_wrong_secret_for_a_real_token_id_is_401(api: Api, sample_settings: Settings) -> None:
    bearer = await issue(sample_settings, agency=SCJG, role=Role.AGENCY_STAFF, person="张伟")
    token_id = bearer.split(".")[0]
    response = await api.as_bearer(f"{token_id}.{'A' * 43}").raw(VIEWER)
    _assert_unauthenticated(response.status_code, response.json())


async def test_a_revoked_token_is_401(api: Api, sample_settings: Settings) -> None:
    bearer = await issue(sample_settings, agency=SCJG, role=Role.CHIEF_REPRESENTATIVE, person="张伟")
    staff = api.as_bearer(bearer)
    assert (await staff.query(VIEWER))["viewer"]["role"] == "CHIEF_REPRESENTATIVE"
    async with open_backends(sample_settings) as b:
        info = await revoke_token(b.writer, bearer.split(".")[0], clock=SystemClock())
        assert not info.active
        with pytest.raises(TokenError) as again:
            await revoke_token(b.writer, info.id, clock=SystemClock())
        assert again.value.problem is TokenProblem.ALREADY_REVOKED
        actions = [n.get("action") async for batch in b.store.iter_nodes(Label.AUDIT_ENTRY)
                   for n in batch]
        assert sorted(actions) == ["token.issue", "token.revoke"]
    response = await staff.raw(VIEWER)
    _assert_unauthenticated(response.status_code, response.json())


def _assert_unauthenticated(status: int, body: dict[str, Any]) -> None:
    assert status == 401, body
    [error] = body["errors"]
    assert error["extensions"]["code"] == "UNAUTHENTICATED"
    assert error["extensions"]["messageZh"] and error["extensions"]["messageEn"]
    assert body["data"] is None
