"""Request dependencies shared by the API and the pages: database session, caller, CSRF check."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from gongzhi.config import Settings
from gongzhi.db.engine import transaction
from gongzhi.errors import PermissionDenied
from gongzhi.i18n import N_, negotiate_locale
from gongzhi.identity.auth import principal_from_session, principal_from_token, touch_token
from gongzhi.identity.principal import ANONYMOUS, Principal
from gongzhi.web.security import (
    CSRF_FIELD,
    CSRF_HEADER,
    LANG_COOKIE,
    SESSION_COOKIE,
    UNSAFE_METHODS,
    csrf_valid,
)


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def db_session(request: Request) -> AsyncIterator[Session]:
    """One transaction per request: committed when the handler returns, rolled back when it raises.

    Safe requests (GET, HEAD) get a read-only session that never takes SQLite's write lock. The session
    is made here without touching the database (it connects when the handler first uses it), so this
    dependency needs no worker thread; a write's commit runs in one, so the event loop never waits on disk.
    """
    state = request.app.state
    write = request.method in UNSAFE_METHODS
    session = (state.factory if write else state.read_factory)()
    try:
        session.begin()
        yield session
        if write:
            await run_in_threadpool(session.commit)
        else:
            session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def request_locale(request: Request) -> str:
    """The caller's language: ``?lang=``, the language cookie, Accept-Language, then the default (zh_CN)."""
    settings = get_settings(request)
    requested = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE)
    return negotiate_locale(requested, request.headers.get("accept-language"), settings.default_locale)


#: The request's session. ``scope="function"`` makes FastAPI commit (leave the dependency) *before*
#: the response is sent, so a failed commit is an error response, never a silent loss after a 2xx.
DB = Annotated[Session, Depends(db_session, scope="function")]


async def current_principal(request: Request, session: DB) -> Principal:
    """Who is calling: an API token (``Authorization: Bearer``), a session cookie, or the public.

    The public needs no database and no worker thread; tokens and cookies are looked up in one.
    """
    cached: Principal | None = getattr(request.state, "principal", None)
    if cached is not None:
        return cached
    if not request.headers.get("authorization") and SESSION_COOKIE not in request.cookies:
        request.state.principal = ANONYMOUS
        return ANONYMOUS
    return await run_in_threadpool(_identify, request, session)


def _identify(request: Request, session: Session) -> Principal:
    principal = ANONYMOUS
    authorization = request.headers.get("authorization", "")
    scheme, _, credentials = authorization.partition(" ")
    if authorization and scheme.lower() == "bearer":
        principal, touch_due = principal_from_token(session, credentials.strip())
        if touch_due and principal.token_id is not None:
            if request.method in UNSAFE_METHODS:
                touch_token(session, principal.token_id)
            else:  # a read's session never writes (on SQLite it could not, after another commit)
                with transaction(request.app.state.factory) as write:
                    touch_token(write, principal.token_id)
    elif (cookie := request.cookies.get(SESSION_COOKIE)) is not None:
        principal = principal_from_session(session, cookie) or ANONYMOUS
        if request.method in UNSAFE_METHODS and principal.is_user:
            # A browser with a session sends the CSRF token with every change, page or API.
            require_csrf_header_or_field(request, getattr(request.state, "form_csrf", None))
    request.state.principal = principal
    request.state.auth_via = "token" if principal.token_id is not None else "cookie"
    return principal


def require_csrf_header_or_field(request: Request, form_value: str | None) -> None:
    """Raise PermissionDenied unless the request carries this browser's CSRF token."""
    secret: bytes = request.app.state.secret_key
    presented = request.headers.get(CSRF_HEADER) or form_value
    if not csrf_valid(secret, request, presented):
        raise PermissionDenied(
            N_("The form has expired or did not come from this site. Reload the page and try again.")
        )


async def csrf_protect(request: Request) -> None:
    """For HTML forms (signed in or not): the form field or header must carry the CSRF token."""
    if request.method not in UNSAFE_METHODS:
        return
    form_value: str | None = None
    if request.headers.get(CSRF_HEADER) is None:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            value = (await request.form()).get(CSRF_FIELD)
            form_value = value if isinstance(value, str) else None
    request.state.form_csrf = form_value
    require_csrf_header_or_field(request, form_value)


Caller = Annotated[Principal, Depends(current_principal)]
