"""The application factory: ``create_app(settings)`` builds one ASGI app (API, pages, OpenAPI docs).

Nothing is connected at import time; each call makes its own engine, so every test can have its
own app on its own database.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from prometheus_client import CollectorRegistry
from starlette.exceptions import HTTPException as StarletteHTTPException

from gongzhi import __version__
from gongzhi.areas import load_areas
from gongzhi.config import Settings
from gongzhi.db.engine import make_engine, make_session_factory
from gongzhi.errors import GongzhiError, TooManyRequests
from gongzhi.i18n import N_, gettext
from gongzhi.web.deps import request_locale
from gongzhi.web.middleware import PROBLEM_JSON, Metrics, RequestLimits, SecurityAndMetrics
from gongzhi.web.templating import TEMPLATES, make_environment, render

log = logging.getLogger(__name__)
STATIC = TEMPLATES.parent / "static"


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the Gongzhi ASGI application for ``settings`` (read from the environment when omitted)."""
    settings = settings or Settings()
    app = FastAPI(
        title="Gongzhi 共治",
        version=__version__,
        description="Multi-party AI governance platform API. Errors are RFC 9457 problem details.",
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    engine = make_engine(settings.database_url)
    areas = load_areas()
    app.state.settings = settings
    app.state.engine = engine
    app.state.factory = make_session_factory(engine)
    app.state.read_factory = make_session_factory(engine, read_only=True)
    app.state.secret_key = settings.resolved_secret_key()
    app.state.areas = areas
    app.state.jinja = make_environment(areas)
    app.state.metrics_registry = CollectorRegistry()
    metrics = Metrics(app.state.metrics_registry)

    app.add_middleware(SecurityAndMetrics, metrics=metrics)
    app.add_middleware(
        RequestLimits,
        max_body_bytes=settings.max_body_bytes,
        max_upload_bytes=settings.max_upload_bytes,
        default_locale=settings.default_locale,
    )
    _add_error_handlers(app)

    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/api/docs", include_in_schema=False)
    def api_docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/api/openapi.json",
            title="Gongzhi API",
            swagger_js_url="/static/vendor/swagger-ui/swagger-ui-bundle.js",
            swagger_css_url="/static/vendor/swagger-ui/swagger-ui.css",
            swagger_favicon_url="/static/favicon.svg",
        )

    for area in areas:
        if area.api is not None:
            # Each area's router carries its full prefix, so route templates (metrics labels) are complete.
            _add_routes(app, area.api_router())
        if area.web is not None:
            _add_routes(app, area.web_router())

    app.router.add_event_handler("shutdown", engine.dispose)
    return app


def _add_routes(app: FastAPI, router: APIRouter) -> None:
    """Put a router's routes straight into the app's route table.

    ``include_router`` wraps each router in a layer that scans its routes twice per request; with a dozen
    areas that cost milliseconds on every request. The routes already carry their full paths.
    """
    for route in router.routes:
        if isinstance(route, APIRoute) and router.dependencies:
            raise ValueError(f"router of {route.path} has router-level dependencies; declare them on the routes")
        app.router.routes.append(route)


def wants_json(request: Request) -> bool:
    """API paths and clients that ask for JSON get problem details; browsers get a page."""
    if request.url.path.startswith("/api/") or request.url.path in ("/healthz", "/metrics"):
        return True
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def problem(request: Request, status: int, title: str, detail: str, **extra: Any) -> JSONResponse:
    """An RFC 9457 problem-details response."""
    body = {
        "type": "about:blank",
        "title": title,
        "status": status,
        "detail": detail,
        "instance": request.url.path,
        **extra,
    }
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON)


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(GongzhiError)
    def on_gongzhi_error(request: Request, exc: GongzhiError) -> Response:
        locale = request_locale(request)
        headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, TooManyRequests) else {}
        if wants_json(request):
            extra: dict[str, Any] = {"code": exc.code}
            if field := getattr(exc, "field", None):
                extra["field"] = field
            response: Response = problem(request, exc.status, gettext(locale, exc.title), exc.detail(locale), **extra)
        elif exc.status == 401:
            response = RedirectResponse(f"/login?next={quote(request.url.path)}", status_code=303)
        else:
            response = render(
                request,
                "error.html",
                status_code=exc.status,
                title=gettext(locale, exc.title),
                detail=exc.detail(locale),
            )
        response.headers.update(headers)
        return response

    @app.exception_handler(RequestValidationError)
    def on_validation_error(request: Request, exc: RequestValidationError) -> Response:
        locale = request_locale(request)
        errors = [
            {"location": [str(p) for p in e.get("loc", ())], "message": e.get("msg", ""), "type": e.get("type")}
            for e in exc.errors()
        ]
        if any(e["type"] == "json_invalid" for e in errors):
            return problem(
                request,
                400,
                gettext(locale, N_("Bad request")),
                gettext(locale, N_("The request body is not valid JSON.")),
                code="malformed-json",
                errors=errors,
            )
        detail = "; ".join(f"{'.'.join(e['location'])}: {e['message']}" for e in errors)
        if wants_json(request):
            return problem(
                request, 422, gettext(locale, N_("Invalid input")), detail, code="invalid-input", errors=errors
            )
        return render(request, "error.html", status_code=422, title=gettext(locale, N_("Invalid input")), detail=detail)

    @app.exception_handler(StarletteHTTPException)
    def on_http_error(request: Request, exc: StarletteHTTPException) -> Response:
        locale = request_locale(request)
        messages = {
            404: (N_("Not found"), N_("There is nothing at this address.")),
            405: (N_("Method not allowed"), N_("This address does not accept that method.")),
        }
        title, detail = messages.get(exc.status_code, (N_("Error"), str(exc.detail)))
        if wants_json(request):
            return problem(
                request,
                exc.status_code,
                gettext(locale, title),
                gettext(locale, detail),
                code=f"http-{exc.status_code}",
            )
        return render(
            request,
            "error.html",
            status_code=exc.status_code,
            title=gettext(locale, title),
            detail=gettext(locale, detail),
        )

    @app.exception_handler(Exception)
    def on_unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        locale = request_locale(request)
        return problem(
            request,
            500,
            gettext(locale, N_("Internal error")),
            gettext(locale, N_("Something went wrong on our side. The error has been logged.")),
            code="internal-error",
        )
