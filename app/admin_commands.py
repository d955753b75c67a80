"""Administration commands of `catalog` (管理命令): tokens and the audit export.

    catalog token create --agency CODE --role ROLE --person NAME   # prints the token once
    catalog token revoke ID
    catalog token list [--agency CODE]                              # never prints secrets
    catalog audit-export --format jsonl|xlsx --out FILE [--level L] [--agency CODE] [--action A] [--since D] [--until D]
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from app.backends import open_backends
from app.config import Settings
from sharing.clock import SystemClock
from sharing.identity import Role
from sharing.terms import Level
from sharing.tokens import TokenError, issue_token, list_tokens, revoke_token

Command = Callable[[Settings, argparse.Namespace], Coroutine[Any, Any, int]]


def add_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    t = sub.add_parser("token", help="访问令牌：签发、吊销、列出 / bearer tokens: create, revoke, list")
    ts = t.add_subparsers(dest="token_command", required=True)
    c = ts.add_parser("create", help="签发令牌（只显示一次）/ issue a token (shown once)")
    c.add_argument("--agency", required=True, help="机构代码 / agency code")
    c.add_argument("--role", required=True, help="角色 / role: " + ", ".join(
        r.value for r in Role if r is not Role.ANONYMOUS))
    c.add_argument("--person", required=True, help="持有人姓名 / the person it is issued to")
    rv = ts.add_parser("revoke", help="吊销令牌 / revoke a token")
    rv.add_argument("id", help="令牌编号（tok_…）/ token id")
    ls = ts.add_parser("list", help="列出令牌（不含密钥）/ list tokens (never their secrets)")
    ls.add_argument("--agency", default=None, help="只列此机构 / only this agency")

    a = sub.add_parser("audit-export", help="导出审计记录 / export the audit trail (JSON Lines or XLSX)")
    a.add_argument("--format", choices=["jsonl", "xlsx"], default="jsonl")
    a.add_argument("--out", type=Path, required=True, help="输出文件 / output file")
    a.add_argument("--level", choices=[lv.value for lv in Level], default=None,
                   help="只导出此层级 / only this level's entries (default: every level)")
    a.add_argument("--agency", default=None, help="操作机构代码 / acting agency code")
    a.add_argument("--action", default=None, help="动作，如 token.issue / action, e.g. token.issue")
    a.add_argument("--target", default=None, help="对象 ID，如 DataResource:370800-SCJG-0001 / target id")
    a.add_argument("--since", default=None, help="起始时间（含）ISO 8601 / from (inclusive)")
    a.add_argument("--until", default=None, help="截止时间（不含）ISO 8601 / until (exclusive)")


async def _token(settings: Settings, args: argparse.Namespace) -> int:
    try:
        async with open_backends(settings) as b:
            if args.token_command == "create":
                issued = await issue_token(b.writer, agency_code=args.agency, role=args.role,
                                           person=args.person, clock=SystemClock())
                print(f"令牌编号 / token id: {issued.id}")
                print(f"机构 / agency: {issued.agency_code} ({issued.level.label_zh}); "
                      f"角色 / role: {issued.role.value}; 持有人 / person: {issued.person}")
                print("令牌只显示这一次，请妥善保管；遗失请吊销后重新签发 / "
                      "this token is shown only once: keep it safe; if lost, revoke it and issue a new one:",
                      file=sys.stderr)
                print(issued.bearer)
                return 0
            if args.token_command == "revoke":
                info = await revoke_token(b.writer, args.id, clock=SystemClock())
                print(f"已吊销 / revoked {info.id} ({info.person}, {info.role.value}, {info.agency_code}) "
                      f"at {info.revoked_at}")
                return 0
            tokens = await list_tokens(b.store, agency_code=args.agency)
    except TokenError as exc:
        print(f"{exc.message_zh} / {exc.message_en}", file=sys.stderr)
        return 2
    print("\t".join(["id", "agency", "agency_name", "role", "person", "issued_at", "status"]))
    for t in tokens:
        status = "active" if t.active else f"revoked {t.revoked_at}"
        print("\t".join([t.id, t.agency_code, t.agency_name or "", t.role.value, t.person, t.issued_at,
                         status]))
    return 0


async def _audit_export(settings: Settings, args: argparse.Namespace) -> int:
    from interchange.audit_export import write_audit
    from sharing.audit_trail import AuditFilter, AuditFilterError

    try:
        wanted = AuditFilter.parse(level=Level(args.level) if args.level else None,
                                   agency=args.agency, action=args.action, target=args.target,
                                   since=args.since, until=args.until)
    except AuditFilterError as exc:
        print(f"{exc.message_zh} / {exc.message_en}", file=sys.stderr)
        return 2
    async with open_backends(settings) as b:
        count = await write_audit(b.store, wanted, args.format, args.out)
    print(f"wrote {args.out}: {count} 条审计记录 / audit entries")
    return 0


COMMANDS: dict[str, Command] = {"token": _token, "audit-export": _audit_export}
