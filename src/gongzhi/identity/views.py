"""Identity pages: organisations and their users (administration), one's own API tokens and password."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from gongzhi.errors import InvalidInput, NotAuthenticated
from gongzhi.i18n import N_
from gongzhi.identity import policy, service
from gongzhi.identity.principal import OrgKind, Principal, Role
from gongzhi.ledger import service as ledger
from gongzhi.web.deps import DB, Caller, csrf_protect, get_settings
from gongzhi.web.forms import submit
from gongzhi.web.templating import render

CSRF = [Depends(csrf_protect)]


def signed_in_user_id(caller: Principal) -> int:
    """The caller's user id; NotAuthenticated (-> sign-in page) for the public."""
    if not caller.is_user or caller.user_id is None:
        raise NotAuthenticated(N_("Please sign in first."))
    return caller.user_id


def parse_role(value: str) -> Role:
    try:
        return Role(value)
    except ValueError:
        raise InvalidInput(N_("Unknown role {role}."), field="role", role=value) from None


def parse_kind(value: str) -> OrgKind:
    try:
        return OrgKind(value)
    except ValueError:
        raise InvalidInput(N_("Choose a kind of organisation."), field="kind") from None


def parse_days(value: str, default: int) -> int:
    try:
        return int(value) if value.strip() else default
    except ValueError:
        raise InvalidInput(N_("A token expires after 1 to 3650 days."), field="expires_in_days") from None


def router() -> APIRouter:
    r = APIRouter(include_in_schema=False)

    # ------------------------------------------------------------------ organisations

    def orgs_page(
        request: Request,
        caller: Principal,
        session: Session,
        *,
        error: str | None = None,
        form: dict[str, str] | None = None,
        status_code: int = 200,
    ) -> Response:
        page = service.list_organisations(session, caller, limit=500)
        return render(
            request,
            "identity/orgs.html",
            status_code=status_code,
            orgs=page.items,
            kinds=list(OrgKind),
            can_create=policy.allows(caller, "org.create"),
            error=error,
            form=form or {},
        )

    @r.get("/admin/orgs")
    def orgs(request: Request, caller: Caller, session: DB) -> Response:
        return orgs_page(request, caller, session)

    @r.post("/admin/orgs", dependencies=CSRF)
    def create_org(
        request: Request,
        caller: Caller,
        session: DB,
        name: Annotated[str, Form(max_length=200)],
        kind: Annotated[str, Form(max_length=40)] = "",
        name_en: Annotated[str, Form(max_length=200)] = "",
    ) -> Response:
        out = submit(
            request,
            session,
            lambda: service.create_organisation(session, caller, name=name, kind=parse_kind(kind), name_en=name_en),
        )
        if out.value is None:
            return orgs_page(
                request,
                caller,
                session,
                status_code=out.status,
                error=out.error,
                form={"name": name, "name_en": name_en, "kind": kind},
            )
        return RedirectResponse(f"/admin/orgs/{out.value.id}", status_code=303)

    @r.get("/admin/my-org")
    def my_org(caller: Caller) -> Response:
        signed_in_user_id(caller)
        return RedirectResponse(f"/admin/orgs/{caller.org_id}", status_code=303)

    def org_page(
        request: Request,
        caller: Principal,
        session: Session,
        org_id: int,
        *,
        error: str | None = None,
        form: dict[str, str] | None = None,
        status_code: int = 200,
    ) -> Response:
        org = service.get_organisation(session, caller, org_id)
        can_list = policy.allows(caller, "user.list", org)
        users = service.list_users(session, caller, org_id=org.id, limit=500).items if can_list else []
        roles = [r for r in Role if r is not Role.reviewer or org.kind is OrgKind.expert_committee]
        return render(
            request,
            "identity/org.html",
            status_code=status_code,
            org=org,
            users=users,
            can_list=can_list,
            trail=ledger.trail(session, caller, "organisation", org.id),
            roles=roles,
            can_add=policy.allows(caller, "user.create", org),
            can_manage={u.id: policy.allows(caller, "user.manage", u) for u in users},
            error=error,
            form=form or {},
        )

    @r.get("/admin/orgs/{org_id}")
    def org_detail(org_id: int, request: Request, caller: Caller, session: DB) -> Response:
        return org_page(request, caller, session, org_id)

    @r.post("/admin/orgs/{org_id}/users", dependencies=CSRF)
    def add_user(
        org_id: int,
        request: Request,
        caller: Caller,
        session: DB,
        username: Annotated[str, Form(max_length=64)],
        display_name: Annotated[str, Form(max_length=200)],
        password: Annotated[str, Form(max_length=256)],
        role: Annotated[str, Form(max_length=20)] = Role.member.value,
        email: Annotated[str, Form(max_length=254)] = "",
    ) -> Response:
        out = submit(
            request,
            session,
            lambda: service.create_user(
                session,
                caller,
                org_id=org_id,
                username=username,
                display_name=display_name,
                password=password,
                role=parse_role(role),
                email=email or None,
            ),
        )
        if out.value is None:
            form = {"username": username, "display_name": display_name, "email": email, "role": role}
            return org_page(request, caller, session, org_id, status_code=out.status, form=form, error=out.error)
        return RedirectResponse(f"/admin/orgs/{org_id}", status_code=303)

    @r.post("/admin/users/{user_id}", dependencies=CSRF)
    def manage_user(
        user_id: int,
        request: Request,
        caller: Caller,
        session: DB,
        role: Annotated[str, Form(max_length=20)] = "",
        active: Annotated[str, Form(max_length=5)] = "",
        password: Annotated[str, Form(max_length=256)] = "",
    ) -> Response:
        user = service.get_user(session, caller, user_id)
        out = submit(
            request,
            session,
            lambda: service.update_user(
                session,
                caller,
                user_id,
                role=parse_role(role) if role else None,
                active={"yes": True, "no": False}.get(active),
                password=password or None,
            ),
        )
        if out.value is None:
            return org_page(request, caller, session, user.org_id, status_code=out.status, error=out.error)
        return RedirectResponse(f"/admin/orgs/{user.org_id}", status_code=303)

    # ------------------------------------------------------------------ own account

    def tokens_page(
        request: Request,
        caller: Principal,
        session: Session,
        *,
        new_token: str | None = None,
        error: str | None = None,
        status_code: int = 200,
    ) -> Response:
        user_id = signed_in_user_id(caller)
        return render(
            request,
            "identity/tokens.html",
            status_code=status_code,
            tokens=service.list_tokens(session, caller, user_id=user_id),
            scopes=policy.scopes(),
            new_token=new_token,
            error=error,
            default_days=get_settings(request).token_default_days,
        )

    @r.get("/account/tokens")
    def tokens(request: Request, caller: Caller, session: DB) -> Response:
        return tokens_page(request, caller, session)

    @r.post("/account/tokens", dependencies=CSRF)
    def create_token(
        request: Request,
        caller: Caller,
        session: DB,
        name: Annotated[str, Form(max_length=100)],
        scopes: Annotated[list[str], Form(max_length=50)] = [],  # noqa: B006 - FastAPI copies form defaults
        expires_in_days: Annotated[str, Form(max_length=10)] = "",
    ) -> Response:
        user_id = signed_in_user_id(caller)
        default_days = get_settings(request).token_default_days
        out = submit(
            request,
            session,
            lambda: service.create_token(
                session,
                caller,
                user_id=user_id,
                name=name,
                scopes=scopes,
                expires_in_days=parse_days(expires_in_days, default_days),
            ),
        )
        if out.value is None:
            return tokens_page(request, caller, session, status_code=out.status, error=out.error)
        return tokens_page(request, caller, session, new_token=out.value[1])

    @r.post("/account/tokens/{token_id}/revoke", dependencies=CSRF)
    def revoke_token(token_id: int, caller: Caller, session: DB) -> Response:
        service.revoke_token(session, caller, token_id)
        return RedirectResponse("/account/tokens", status_code=303)

    @r.get("/account/password")
    def password_form(request: Request, caller: Caller) -> Response:
        signed_in_user_id(caller)
        return render(request, "identity/password.html", error=None)

    @r.post("/account/password", dependencies=CSRF)
    def change_password(
        request: Request,
        caller: Caller,
        session: DB,
        current_password: Annotated[str, Form(max_length=256)],
        new_password: Annotated[str, Form(max_length=256)],
    ) -> Response:
        signed_in_user_id(caller)
        out = submit(
            request,
            session,
            lambda: service.change_own_password(
                session, caller, current_password=current_password, new_password=new_password
            ),
        )
        if out.value is None:
            return render(request, "identity/password.html", status_code=out.status, error=out.error)
        # Changing the password ends every session, this one included: sign in again.
        return RedirectResponse("/login?next=/", status_code=303)

    return r
