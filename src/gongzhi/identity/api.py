"""REST routes of identity under /api/v1/identity: they translate HTTP to service calls, nothing more."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request, status

from gongzhi.identity import service
from gongzhi.identity.models import Organisation, User
from gongzhi.identity.principal import OrgKind
from gongzhi.identity.schemas import (
    Me,
    OrganisationCreate,
    OrganisationPublic,
    OrganisationUpdate,
    PasswordChange,
    TokenCreate,
    TokenCreated,
    TokenPublic,
    UserCreate,
    UserPublic,
    UserUpdate,
)
from gongzhi.schemas import PageOut
from gongzhi.web.deps import DB, Caller, get_settings


def router() -> APIRouter:
    r = APIRouter(prefix="/api/v1/identity", tags=["identity"])

    @r.get("/me", response_model=Me)
    def me(caller: Caller, session: DB) -> Me:
        user = org = None
        if caller.is_user and caller.user_id is not None:
            found = service.get_user(session, caller, caller.user_id)
            user, org = UserPublic.model_validate(found), OrganisationPublic.model_validate(found.organisation)
        return Me(
            kind=caller.kind,
            user=user,
            organisation=org,
            scopes=sorted(caller.scopes) if caller.scopes is not None else None,
        )

    @r.get("/organisations", response_model=PageOut[OrganisationPublic])
    def list_organisations(
        caller: Caller,
        session: DB,
        kind: OrgKind | None = None,
        cursor: str | None = None,
        limit: int = Query(100, ge=1, le=500),
    ) -> PageOut[OrganisationPublic]:
        page = service.list_organisations(session, caller, kind=kind, cursor=cursor, limit=limit)
        return PageOut.of(page, OrganisationPublic)

    @r.post("/organisations", response_model=OrganisationPublic, status_code=status.HTTP_201_CREATED)
    def create_organisation(body: OrganisationCreate, caller: Caller, session: DB) -> Organisation:
        return service.create_organisation(session, caller, **body.model_dump())

    @r.get("/organisations/{org_id}", response_model=OrganisationPublic)
    def get_organisation(org_id: int, caller: Caller, session: DB) -> Organisation:
        return service.get_organisation(session, caller, org_id)

    @r.patch("/organisations/{org_id}", response_model=OrganisationPublic)
    def update_organisation(org_id: int, body: OrganisationUpdate, caller: Caller, session: DB) -> Organisation:
        return service.update_organisation(session, caller, org_id, **body.model_dump(exclude_unset=True))

    @r.get("/organisations/{org_id}/users", response_model=PageOut[UserPublic])
    def list_users(
        org_id: int,
        caller: Caller,
        session: DB,
        cursor: str | None = None,
        limit: int = Query(100, ge=1, le=500),
    ) -> PageOut[UserPublic]:
        page = service.list_users(session, caller, org_id=org_id, cursor=cursor, limit=limit)
        return PageOut.of(page, UserPublic)

    @r.post("/organisations/{org_id}/users", response_model=UserPublic, status_code=status.HTTP_201_CREATED)
    def create_user(org_id: int, body: UserCreate, caller: Caller, session: DB) -> User:
        return service.create_user(session, caller, org_id=org_id, **body.model_dump())

    @r.get("/users/{user_id}", response_model=UserPublic)
    def get_user(user_id: int, caller: Caller, session: DB) -> User:
        return service.get_user(session, caller, user_id)

    @r.patch("/users/{user_id}", response_model=UserPublic)
    def update_user(user_id: int, body: UserUpdate, caller: Caller, session: DB) -> User:
        return service.update_user(session, caller, user_id, **body.model_dump(exclude_unset=True))

    @r.post("/me/password", status_code=status.HTTP_204_NO_CONTENT)
    def change_password(body: PasswordChange, caller: Caller, session: DB) -> None:
        service.change_own_password(
            session, caller, current_password=body.current_password, new_password=body.new_password
        )

    @r.get("/users/{user_id}/tokens", response_model=list[TokenPublic])
    def list_tokens(user_id: int, caller: Caller, session: DB) -> list[TokenPublic]:
        return [TokenPublic.model_validate(t) for t in service.list_tokens(session, caller, user_id=user_id)]

    @r.post("/users/{user_id}/tokens", response_model=TokenCreated, status_code=status.HTTP_201_CREATED)
    def create_token(user_id: int, body: TokenCreate, request: Request, caller: Caller, session: DB) -> TokenCreated:
        days = body.expires_in_days or get_settings(request).token_default_days
        token, plaintext = service.create_token(
            session, caller, user_id=user_id, name=body.name, scopes=body.scopes, expires_in_days=days
        )
        return TokenCreated.model_validate({**TokenPublic.model_validate(token).model_dump(), "token": plaintext})

    @r.post("/tokens/{token_id}/revoke", response_model=TokenPublic)
    def revoke_token(token_id: int, caller: Caller, session: DB) -> TokenPublic:
        return TokenPublic.model_validate(service.revoke_token(session, caller, token_id))

    return r
