"""Authentication: password sign-in with throttling, browser sessions, and API tokens -> Principal."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from gongzhi.db.base import utcnow
from gongzhi.db.engine import SessionFactory, transaction
from gongzhi.errors import NotAuthenticated, TooManyRequests
from gongzhi.i18n import N_
from gongzhi.identity.models import ApiToken, LoginAttempt, User, WebSession
from gongzhi.identity.principal import Principal
from gongzhi.identity.rules import (
    DUMMY_PASSWORD_HASH,
    hash_token,
    mint_session_secret,
    split_token,
    throttle_wait,
    token_matches,
    verify_password,
)

#: Per client address, this many times the per-account limit (a shared office NAT has many users).
CLIENT_FACTOR = 4


def principal_for(user: User, *, scopes: frozenset[str] | None = None, token_id: int | None = None) -> Principal:
    """The principal of a signed-in user (or of one of their tokens)."""
    return Principal(
        kind="user",
        user_id=user.id,
        username=user.username,
        org_id=user.org_id,
        org_kind=user.organisation.kind,
        role=user.role,
        is_platform_admin=user.is_platform_admin,
        scopes=scopes,
        token_id=token_id,
    )


def sign_in(
    factory: SessionFactory,
    *,
    username: str,
    password: str,
    client: str,
    user_agent: str | None,
    max_failures: int,
    window: dt.timedelta,
    session_ttl: dt.timedelta,
) -> tuple[Principal, str]:
    """Check a username and password and open a browser session; returns the principal and cookie value.

    Throttles repeated failures per account and per client. Raises NotAuthenticated with one message
    for every kind of failure (no account enumeration) and TooManyRequests while throttled. The attempt
    is kept in ``login_attempts`` even when it fails, so this function owns its transaction.
    """
    with transaction(factory) as session:
        user = check_password(
            session, username=username, password=password, client=client, max_failures=max_failures, window=window
        )
        if user is not None:
            return principal_for(user), start_session(session, user, ttl=session_ttl, user_agent=user_agent)
    raise NotAuthenticated(N_("Wrong username or password."))


def check_password(
    session: Session,
    *,
    username: str,
    password: str,
    client: str,
    max_failures: int,
    window: dt.timedelta,
    now: dt.datetime | None = None,
) -> User | None:
    """The user whose password this is, or None; records the attempt; TooManyRequests while throttled."""
    now = now or utcnow()
    name = username.strip().lower()[:64]
    client = client[:64]
    since = now - window
    by_name = list(
        session.scalars(
            select(LoginAttempt.at).where(
                LoginAttempt.username == name, LoginAttempt.at >= since, LoginAttempt.success.is_(False)
            )
        )
    )
    by_client = list(
        session.scalars(
            select(LoginAttempt.at).where(
                LoginAttempt.client == client, LoginAttempt.at >= since, LoginAttempt.success.is_(False)
            )
        )
    )
    wait = max(
        throttle_wait(by_name, now=now, max_failures=max_failures, window=window),
        throttle_wait(by_client, now=now, max_failures=max_failures * CLIENT_FACTOR, window=window),
    )
    if wait:
        raise TooManyRequests(
            N_("Too many failed sign-ins. Try again in {seconds} seconds."), retry_after=wait, seconds=wait
        )
    user = session.scalar(select(User).where(User.username == name))
    ok = verify_password(user.password_hash if user else DUMMY_PASSWORD_HASH, password)
    ok = ok and user is not None and user.active and user.organisation.active
    session.add(LoginAttempt(username=name, client=client, at=now, success=ok))
    return user if ok else None


def start_session(session: Session, user: User, *, ttl: dt.timedelta, user_agent: str | None) -> str:
    """Open a browser session; returns the cookie value (only its hash is stored)."""
    value, digest = mint_session_secret()
    now = utcnow()
    session.add(
        WebSession(
            session_hash=digest,
            user_id=user.id,
            created_at=now,
            last_seen_at=now,
            expires_at=now + ttl,
            user_agent=(user_agent or "")[:300] or None,
        )
    )
    # Housekeeping: drop this user's expired sessions.
    session.execute(delete(WebSession).where(WebSession.user_id == user.id, WebSession.expires_at < now))
    return value


def end_session(session: Session, cookie_value: str) -> None:
    """Sign out: forget the session."""
    session.execute(delete(WebSession).where(WebSession.session_hash == hash_token(cookie_value)))


def principal_from_session(session: Session, cookie_value: str) -> Principal | None:
    """The user behind a session cookie, or None when it is unknown, expired or the user is disabled."""
    web_session = session.scalar(select(WebSession).where(WebSession.session_hash == hash_token(cookie_value)))
    if web_session is None or web_session.expires_at <= utcnow():
        return None
    user = web_session.user
    if not user.active or not user.organisation.active:
        return None
    return principal_for(user)


#: A token's last use is written at most this often, so that reads stay reads.
TOUCH_INTERVAL = dt.timedelta(minutes=1)


def principal_from_token(session: Session, plaintext: str) -> tuple[Principal, bool]:
    """The principal of an API token, and whether its last-use time is due to be written.

    NotAuthenticated with the reason when the token cannot be used.
    """
    prefix = split_token(plaintext)
    if prefix is None:
        raise NotAuthenticated(N_("The API token is malformed."))
    token = session.scalar(select(ApiToken).where(ApiToken.prefix == prefix))
    if token is None or not token_matches(token.token_hash, plaintext):
        raise NotAuthenticated(N_("The API token is not valid."))
    if token.revoked_at is not None:
        raise NotAuthenticated(N_("The API token has been revoked."))
    if token.expires_at <= utcnow():
        raise NotAuthenticated(N_("The API token has expired."))
    user = token.user
    if not user.active or not user.organisation.active:
        raise NotAuthenticated(N_("The account behind this API token is deactivated."))
    due = token.last_used_at is None or utcnow() - token.last_used_at > TOUCH_INTERVAL
    return principal_for(user, scopes=frozenset(token.scopes), token_id=token.id), due


def touch_token(session: Session, token_id: int) -> None:
    """Note when a token was last used (skipped when it was noted less than TOUCH_INTERVAL ago)."""
    now = utcnow()
    session.execute(
        update(ApiToken)
        .where(ApiToken.id == token_id)
        .where(or_(ApiToken.last_used_at.is_(None), ApiToken.last_used_at < now - TOUCH_INTERVAL))
        .values(last_used_at=now)
    )
