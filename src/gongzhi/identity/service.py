"""Identity use cases: organisations, users and API tokens.

Each function takes the session and the acting principal, asks the policy, changes the data and
writes the ledger entry in the same transaction. Callers own the transaction (``db.transaction``).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gongzhi.db.base import utcnow
from gongzhi.db.pagination import Page, paginate
from gongzhi.errors import Conflict, InvalidInput, NotFound
from gongzhi.i18n import N_
from gongzhi.identity import policy
from gongzhi.identity.models import ApiToken, Organisation, User, WebSession
from gongzhi.identity.principal import OrgKind, Principal, Role
from gongzhi.identity.rules import hash_password, mint_token, normalise_username, verify_password
from gongzhi.ledger.service import record

# ------------------------------------------------------------------------------------- organisations


def create_organisation(
    session: Session,
    actor: Principal,
    *,
    name: str,
    kind: OrgKind,
    name_en: str | None = None,
    credit_code: str | None = None,
) -> Organisation:
    """Register a party (单位) of the given kind."""
    policy.authorize(actor, "org.create")
    name = name.strip()
    if not name:
        raise InvalidInput(N_("The name must not be empty."), field="name")
    if session.scalar(select(Organisation.id).where(Organisation.name == name)) is not None:
        raise Conflict(N_("An organisation named {name} already exists."), name=name)
    if (
        credit_code
        and session.scalar(select(Organisation.id).where(Organisation.credit_code == credit_code)) is not None
    ):
        raise Conflict(N_("An organisation with this credit code already exists."))
    org = Organisation(name=name, name_en=(name_en or "").strip() or None, kind=kind, credit_code=credit_code)
    session.add(org)
    session.flush()
    record(
        session,
        actor=actor,
        action="org.create",
        subject_type="organisation",
        subject_id=org.id,
        payload={"name": org.name, "name_en": org.name_en, "kind": org.kind.value},
    )
    return org


def get_organisation(session: Session, actor: Principal, org_id: int) -> Organisation:
    """One organisation."""
    org = session.get(Organisation, org_id)
    if org is None:
        policy.authorize(actor, "org.list")  # the anonymous public learns nothing, not even absence
        raise NotFound(N_("No organisation with id {id}."), id=org_id)
    policy.authorize(actor, "org.read", org)
    return org


def list_organisations(
    session: Session,
    actor: Principal,
    *,
    kind: OrgKind | None = None,
    cursor: str | None = None,
    limit: int = 100,
) -> Page[Organisation]:
    """Organisations, optionally of one kind."""
    policy.authorize(actor, "org.list")
    stmt = select(Organisation)
    if kind is not None:
        stmt = stmt.where(Organisation.kind == kind)
    return paginate(session, stmt, key=Organisation.id, cursor=cursor, limit=limit)


def update_organisation(
    session: Session,
    actor: Principal,
    org_id: int,
    *,
    name: str | None = None,
    name_en: str | None = None,
    active: bool | None = None,
) -> Organisation:
    """Rename or (de)activate an organisation."""
    org = get_organisation(session, actor, org_id)
    policy.authorize(actor, "org.update", org)
    changes: dict[str, object] = {}
    if name is not None and name.strip() != org.name:
        name = name.strip()
        if session.scalar(select(Organisation.id).where(Organisation.name == name)) is not None:
            raise Conflict(N_("An organisation named {name} already exists."), name=name)
        org.name = changes["name"] = name
    if name_en is not None and (name_en.strip() or None) != org.name_en:
        org.name_en = name_en.strip() or None
        changes["name_en"] = org.name_en
    if active is not None and active != org.active:
        org.active = changes["active"] = active
    if changes:
        record(
            session, actor=actor, action="org.update", subject_type="organisation", subject_id=org.id, payload=changes
        )
    return org


# --------------------------------------------------------------------------------------------- users


def create_user(
    session: Session,
    actor: Principal,
    *,
    org_id: int,
    username: str,
    display_name: str,
    password: str,
    role: Role = Role.member,
    email: str | None = None,
    is_platform_admin: bool = False,
) -> User:
    """Add a user to an organisation."""
    org = get_organisation(session, actor, org_id)
    policy.authorize(actor, "user.create", org)
    if is_platform_admin:
        policy.authorize(actor, "user.grant_platform_admin")
    if role is Role.reviewer and org.kind is not OrgKind.expert_committee:
        raise InvalidInput(N_("Only members of an expert committee can be reviewers."), field="role")
    if not org.active:
        raise Conflict(N_("The organisation is deactivated."))
    username = normalise_username(username)
    display_name = display_name.strip()
    if not display_name:
        raise InvalidInput(N_("The display name must not be empty."), field="display_name")
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise Conflict(N_("The username {username} is taken."), username=username)
    user = User(
        username=username,
        display_name=display_name,
        email=(email or "").strip() or None,
        password_hash=hash_password(password),
        org_id=org.id,
        role=role,
        is_platform_admin=is_platform_admin,
    )
    session.add(user)
    session.flush()
    # The ledger is public: it names the account by id, organisation and role, never by personal data.
    record(
        session,
        actor=actor,
        action="user.create",
        subject_type="user",
        subject_id=user.id,
        payload={"org_id": org.id, "role": role.value, "is_platform_admin": is_platform_admin},
    )
    return user


def get_user(session: Session, actor: Principal, user_id: int) -> User:
    """One user, if the actor may see them."""
    user = session.get(User, user_id)
    if user is None:
        policy.authorize(actor, "org.list")
        raise NotFound(N_("No user with id {id}."), id=user_id)
    policy.authorize(actor, "user.read", user)
    return user


def list_users(
    session: Session, actor: Principal, *, org_id: int, cursor: str | None = None, limit: int = 100
) -> Page[User]:
    """The users of one organisation."""
    org = get_organisation(session, actor, org_id)
    policy.authorize(actor, "user.list", org)
    stmt = select(User).where(User.org_id == org.id)
    return paginate(session, stmt, key=User.id, cursor=cursor, limit=limit)


def update_user(
    session: Session,
    actor: Principal,
    user_id: int,
    *,
    display_name: str | None = None,
    role: Role | None = None,
    active: bool | None = None,
    password: str | None = None,
) -> User:
    """Change a user's role, status, name or password (administrators)."""
    user = get_user(session, actor, user_id)
    policy.authorize(actor, "user.manage", user)
    changes: dict[str, object] = {}
    if role is not None and role is not user.role:
        if role is Role.reviewer and user.organisation.kind is not OrgKind.expert_committee:
            raise InvalidInput(N_("Only members of an expert committee can be reviewers."), field="role")
        if user.id == actor.user_id and user.role is Role.admin:
            raise Conflict(N_("You cannot take away your own administrator role."))
        user.role = role
        changes["role"] = role.value
    if active is not None and active != user.active:
        if user.id == actor.user_id and not active:
            raise Conflict(N_("You cannot deactivate your own account."))
        user.active = changes["active"] = active
        if not active:
            _end_all_sessions(session, user.id)
    if display_name is not None and display_name.strip() and display_name.strip() != user.display_name:
        user.display_name = display_name.strip()
        changes["display_name_changed"] = True
    if password is not None:
        user.password_hash = hash_password(password)
        _end_all_sessions(session, user.id)
        changes["password_reset"] = True
    if changes:
        record(session, actor=actor, action="user.update", subject_type="user", subject_id=user.id, payload=changes)
    return user


def change_own_password(session: Session, actor: Principal, *, current_password: str, new_password: str) -> User:
    """A signed-in user changes their own password; their other sessions end."""
    policy.authorize(actor, "user.change_own_password")
    user = session.get(User, actor.user_id)
    if user is None or not verify_password(user.password_hash, current_password):
        raise InvalidInput(N_("The current password is wrong."), field="current_password")
    if current_password == new_password:
        raise InvalidInput(N_("The new password must differ from the current one."), field="new_password")
    user.password_hash = hash_password(new_password)
    _end_all_sessions(session, user.id)
    record(session, actor=actor, action="user.password_change", subject_type="user", subject_id=user.id, payload={})
    return user


def _end_all_sessions(session: Session, user_id: int) -> None:
    for web_session in session.scalars(select(WebSession).where(WebSession.user_id == user_id)):
        session.delete(web_session)


# -------------------------------------------------------------------------------------------- tokens


def create_token(
    session: Session,
    actor: Principal,
    *,
    user_id: int,
    name: str,
    scopes: list[str],
    expires_in_days: int,
) -> tuple[ApiToken, str]:
    """Mint an API token; the plaintext is returned once and never stored."""
    user = get_user(session, actor, user_id)
    policy.authorize(actor, "token.create", user)
    known = set(policy.scopes())
    unknown = sorted(set(scopes) - known)
    if unknown:
        raise InvalidInput(
            N_("Unknown scopes: {scopes}. Known scopes: {known}."),
            field="scopes",
            scopes=", ".join(unknown),
            known=", ".join(sorted(known)),
        )
    if not scopes:
        raise InvalidInput(N_("Give the token at least one scope."), field="scopes")
    if not 1 <= expires_in_days <= 3650:
        raise InvalidInput(N_("A token expires after 1 to 3650 days."), field="expires_in_days")
    if not user.active:
        raise Conflict(N_("The user is deactivated."))
    minted = mint_token()
    token = ApiToken(
        user_id=user.id,
        org_id=user.org_id,
        name=name.strip() or "token",
        prefix=minted.prefix,
        token_hash=minted.token_hash,
        scopes=sorted(set(scopes)),
        expires_at=utcnow() + dt.timedelta(days=expires_in_days),
    )
    session.add(token)
    session.flush()
    record(
        session,
        actor=actor,
        action="token.create",
        subject_type="api_token",
        subject_id=token.id,
        payload={
            "user_id": user.id,
            "prefix": token.prefix,
            "scopes": token.scopes,
            "expires_at": token.expires_at.isoformat(),
        },
    )
    return token, minted.plaintext


def list_tokens(session: Session, actor: Principal, *, user_id: int) -> list[ApiToken]:
    """A user's tokens, newest first (without secrets: only hashes are stored)."""
    user = get_user(session, actor, user_id)
    policy.authorize(actor, "token.list", user)
    return list(session.scalars(select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())))


def revoke_token(session: Session, actor: Principal, token_id: int) -> ApiToken:
    """Revoke a token at once; it can never be used again."""
    token = session.get(ApiToken, token_id)
    if token is None:
        policy.authorize(actor, "org.list")
        raise NotFound(N_("No API token with id {id}."), id=token_id)
    policy.authorize(actor, "token.revoke", token)
    if token.revoked_at is not None:
        raise Conflict(N_("The token was already revoked."))
    token.revoked_at = utcnow()
    record(
        session,
        actor=actor,
        action="token.revoke",
        subject_type="api_token",
        subject_id=token.id,
        payload={"user_id": token.user_id, "prefix": token.prefix},
    )
    return token


def count_users(session: Session) -> int:
    """How many accounts exist (used to decide whether a fresh instance needs the demo world)."""
    return session.scalar(select(func.count(User.id))) or 0
