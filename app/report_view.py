"""`GET /projects/{code}/report.xlsx`: a project's data dependency report (项目数据依赖报告).

`?asOf=YYYY-MM-DD` assesses acceptance as of that day (default today, China time).
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from app.authentication import Unauthenticated, request_actor, unauthenticated_response
from app.backends import Backends
from interchange.project_report import build_report, report_bytes
from resolvers.browse import check_code
from resolvers.lineage import check_day
from resolvers.permissions import SIGNED_IN, forbidden
from schema.errors import CatalogError, ErrorCode, not_found

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def report_routes(backends: Callable[[], Backends]) -> list[Route]:
    async def report(request: Request) -> Response:
        store = backends().store
        try:
            viewer = await request_actor(store, request.headers)
        except Unauthenticated:
            return unauthenticated_response()
        try:
            if viewer.role not in SIGNED_IN:  # the report lists grants and who uses the data
                raise forbidden(SIGNED_IN, "项目报告含授权与使用情况，需携带令牌",
                                "the report lists grants and consumers: send a bearer token")
            code = check_code(request.path_params["code"])
            day = check_day(request.query_params.get("asOf"))
            found = await build_report(store, code, day)
            if found is None:
                raise not_found("项目", "project", code)
        except CatalogError as error:
            status = {ErrorCode.NOT_FOUND: 404, ErrorCode.FORBIDDEN: 403}.get(error.code, 400)
            return JSONResponse({"errors": [{"message": error.message, "extensions": error.extensions}]},
                                status_code=status)
        name = quote(found.filename)
        return Response(
            report_bytes(found),
            media_type=XLSX,
            headers={"Content-Disposition": f"attachment; filename=\"{found.project.key}.xlsx\"; "
                                            f"filename*=UTF-8''{name}", "Cache-Control": "no-store"},
        )

    return [Route("/projects/{code}/report.xlsx", report)]
