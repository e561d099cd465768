"""Jinja2 pages: one environment, per-request language, navigation by the caller's permissions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, pass_context, select_autoescape
from jinja2.runtime import Context
from starlette.requests import Request
from starlette.responses import HTMLResponse

from gongzhi import __version__
from gongzhi.areas import Area, NavItem
from gongzhi.config import SUPPORTED_LOCALES
from gongzhi.i18n import LOCALE_NAMES, gettext, translations
from gongzhi.identity import policy
from gongzhi.identity.labels import ORG_KIND_LABELS, ROLE_LABELS
from gongzhi.identity.principal import ANONYMOUS, Principal
from gongzhi.jobs.labels import JOB_STATE_LABELS
from gongzhi.web.security import CSRF_COOKIE, csrf_browser_value, csrf_token_for, set_cookie

TEMPLATES = Path(__file__).parent / "templates"


@pass_context
def _gettext(context: Context, message: str) -> str:
    return translations(context.get("locale", "zh_CN")).gettext(message)


@pass_context
def _ngettext(context: Context, singular: str, plural: str, n: int) -> str:
    return translations(context.get("locale", "zh_CN")).ngettext(singular, plural, n)


@pass_context
def _translate_with(context: Context, message: str, params: dict[str, Any] | None = None) -> str:
    """Translate a stored message id and fill its ``{name}`` placeholders (e.g. a reminder)."""
    return gettext(context.get("locale", "zh_CN"), message, **(params or {}))


def make_environment(areas: tuple[Area, ...]) -> Environment:
    """The page environment: core templates plus each area's own folder."""
    loaders = [FileSystemLoader(TEMPLATES)]
    loaders += [FileSystemLoader(a.templates) for a in areas if a.templates is not None]
    env = Environment(
        loader=ChoiceLoader(loaders),
        autoescape=select_autoescape(default=True, default_for_string=True),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(_gettext, _ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.globals["version"] = __version__
    env.globals["tr"] = _translate_with
    env.globals["locale_names"] = LOCALE_NAMES
    env.globals["supported_locales"] = SUPPORTED_LOCALES
    env.globals["org_kind_labels"] = ORG_KIND_LABELS
    env.globals["role_labels"] = ROLE_LABELS
    env.globals["job_state_labels"] = JOB_STATE_LABELS
    return env


def navigation(principal: Principal, areas: tuple[Area, ...]) -> list[NavItem]:
    """The links this principal may follow, in order."""
    items = [item for area in areas for item in area.nav]
    return sorted((i for i in items if policy.allows(principal, i.action)), key=lambda i: (i.order, i.path))


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """Render a page with the caller, their language, navigation and the CSRF token in scope."""
    from gongzhi.web.deps import request_locale  # deps imports identity; keep this module light

    app_state = request.app.state
    principal: Principal = getattr(request.state, "principal", None) or ANONYMOUS
    locale = request_locale(request)
    env: Environment = app_state.jinja
    html = env.get_template(template).render(
        request=request,
        locale=locale,
        principal=principal,
        nav=navigation(principal, app_state.areas),
        csrf_token=csrf_token_for(app_state.secret_key, csrf_browser_value(request)),
        current_path=request.url.path,
        **context,
    )
    response = HTMLResponse(html, status_code=status_code)
    new_csrf = getattr(request.state, "new_csrf_value", None)
    if new_csrf:
        set_cookie(response, request, app_state.settings, CSRF_COOKIE, new_csrf, samesite="strict")
    return response
