"""Identity use cases on the real database: the policy is asked and the ledger written in one transaction."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gongzhi.db.engine import SessionFactory, transaction
from gongzhi.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from gongzhi.identity import service
from gongzhi.identity.auth import principal_for
from gongzhi.identity.models import Organisation, User
from gongzhi.identity.principal import ANONYMOUS, SYSTEM, OrgKind, Principal, Role
from gongzhi.ledger.models import LedgerEntry


def as_user(session: Session, username: str) -> Principal:
    return principal_for(session.scalars(select(User).where(User.username == username)).one())


def last_entry(session: Session) -> LedgerEntry:
    return session.scalars(select(LedgerEntry).order_by(LedgerEntry.seq.desc()).limit(1)).one()


def test_creating_a_user_writes_a_ledger_entry_without_personal_data(session: Session) -> None:
    org = session.scalars(select(Organisation).where(Organisation.kind == OrgKind.enterprise)).first()
    assert org is not None
    user = service.create_user(
        session,
        SYSTEM,
        org_id=org.id,
        username="li.na",
        display_name="李娜",
        email="li.na@example.cn",
        password="li-na-password-1",
        role=Role.member,
    )
    entry = last_entry(session)
    assert (entry.action, entry.subject_type, entry.subject_id) == ("user.create", "user", str(user.id))
    assert entry.payload == {"org_id": org.id, "role": "member", "is_platform_admin": False}
    assert "李娜" not in str(entry.payload) and "li.na" not in str(entry.payload)


def test_refused_change_writes_nothing(factory: SessionFactory) -> None:
    with factory() as s:
        before = s.scalar(select(func.count(LedgerEntry.seq)))
    with pytest.raises(PermissionDenied), transaction(factory) as s:
        service.create_organisation(s, as_user(s, "xinghe"), name="越权单位", kind=OrgKind.enterprise)
    with factory() as s:
        assert s.scalar(select(func.count(LedgerEntry.seq))) == before
        assert s.scalar(select(Organisation.id).where(Organisation.name == "越权单位")) is None


def test_org_admin_cannot_grant_platform_admin(session: Session) -> None:
    admin = as_user(session, "xinghe")
    with pytest.raises(PermissionDenied):
        service.create_user(
            session,
            admin,
            org_id=admin.org_id or 0,
            username="sneaky",
            display_name="S",
            password="sneaky-password-1",
            is_platform_admin=True,
        )


def test_reviewer_role_only_in_expert_committee(session: Session) -> None:
    admin = as_user(session, "xinghe")
    with pytest.raises(InvalidInput):
        service.create_user(
            session,
            admin,
            org_id=admin.org_id or 0,
            username="rev",
            display_name="R",
            password="reviewer-pass-1",
            role=Role.reviewer,
        )


def test_duplicate_username_conflicts(session: Session) -> None:
    admin = as_user(session, "xinghe")
    with pytest.raises(Conflict):
        service.create_user(
            session, admin, org_id=admin.org_id or 0, username="XINGHE", display_name="dup", password="dup-password-1"
        )


def test_admin_cannot_lock_themselves_out(session: Session) -> None:
    admin = as_user(session, "xinghe")
    with pytest.raises(Conflict):
        service.update_user(session, admin, admin.user_id or 0, active=False)
    with pytest.raises(Conflict):
        service.update_user(session, admin, admin.user_id or 0, role=Role.member)


def test_other_organisations_users_are_hidden(session: Session) -> None:
    target = session.scalars(select(User).where(User.username == "yunfan")).one()
    with pytest.raises(NotFound):
        service.get_user(session, as_user(session, "xinghe"), target.id)


def test_public_cannot_list_organisations(session: Session) -> None:
    from gongzhi.errors import NotAuthenticated

    with pytest.raises(NotAuthenticated):
        service.list_organisations(session, ANONYMOUS)


def test_deactivating_a_user_ends_their_sessions_and_blocks_sign_in(session: Session) -> None:
    import datetime as dt

    from gongzhi.identity.auth import principal_from_session, start_session

    user = session.scalars(select(User).where(User.username == "lab")).one()
    cookie = start_session(session, user, ttl=dt.timedelta(hours=1), user_agent="t")
    assert principal_from_session(session, cookie) is not None
    service.update_user(session, SYSTEM, user.id, active=False)
    assert principal_from_session(session, cookie) is None
