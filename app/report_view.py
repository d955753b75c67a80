"""`GET /projects/{code}/report.xlsx`: a project's data dependency report (项目数据依赖报告).

`?asOf=YYYY-MM-DD` assesses acceptance as of that day (default today, China time).
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from app.backends import Backends
from interchange.project_report import build_report, report_bytes
from resolvers.browse import check_code
from resolvers.lineage import check_day
from schema.errors import CatalogError, not_found

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def report_routes(backends: Callable[[], Backends]) -> list[Route]:
    async def report(request: Request) -> Response:
        try:
            code = check_code(request.path_params["code"])
            day = check_day(request.query_params.get("asOf"))
            found = await build_report(backends().store, code, day)
            if found is None:
                raise not_found("项目", "project", code)
        except CatalogError as error:
            status = 404 if error.code.value == "NOT_FOUND" else 400
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
