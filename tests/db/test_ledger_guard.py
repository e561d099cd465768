"""The guard refuses to commit a change that has no ledger entry, ORM or Core, and lets operational writes by."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, update

from gongzhi.db.engine import SessionFactory, transaction
from gongzhi.db.ledger_guard import UnledgeredChange
from gongzhi.identity.models import ApiToken, LoginAttempt, Organisation
from gongzhi.identity.principal import SYSTEM, OrgKind
from gongzhi.jobs.models import Job
from gongzhi.ledger.service import record


def org_count(factory: SessionFactory) -> int:
    with factory() as s:
        return s.scalar(select(func.count(Organisation.id))) or 0


def test_orm_insert_without_ledger_entry_is_refused(factory: SessionFactory) -> None:
    before = org_count(factory)
    with pytest.raises(UnledgeredChange, match="organisations"), transaction(factory) as s:
        s.add(Organisation(name="无记录单位", kind=OrgKind.enterprise))
    assert org_count(factory) == before


def test_core_update_without_ledger_entry_is_refused(factory: SessionFactory) -> None:
    with pytest.raises(UnledgeredChange), transaction(factory) as s:
        s.execute(update(Organisation).values(active=False))
    with factory() as s:
        assert all(s.scalars(select(Organisation.active)))


def test_the_same_change_with_its_entry_commits(factory: SessionFactory) -> None:
    with transaction(factory) as s:
        s.add(Organisation(name="有记录单位", kind=OrgKind.enterprise))
        record(s, actor=SYSTEM, action="org.create", subject_type="organisation", subject_id="x", payload={})


def test_operational_writes_need_no_entry(factory: SessionFactory) -> None:
    with transaction(factory) as s:
        s.add(LoginAttempt(username="a", client="b", success=False))
        s.execute(update(ApiToken).values(last_used_at=func.now()))
        s.execute(update(Job).values(progress=0.5))


def test_a_savepoint_inside_a_ledgered_transaction_is_fine(factory: SessionFactory) -> None:
    with transaction(factory) as s:
        with s.begin_nested():
            s.add(Organisation(name="保存点单位", kind=OrgKind.enterprise))
        record(s, actor=SYSTEM, action="org.create", subject_type="organisation", subject_id="y", payload={})
    with pytest.raises(UnledgeredChange), transaction(factory) as s:
        with s.begin_nested():
            s.add(Organisation(name="保存点单位二", kind=OrgKind.enterprise))


def test_a_refused_change_in_a_savepoint_leaves_no_trace(factory: SessionFactory) -> None:
    """The form pattern: a rule violation rolls the savepoint back; the request then commits cleanly."""
    with transaction(factory) as s:
        try:
            with s.begin_nested():
                s.add(Organisation(name="回滚单位", kind=OrgKind.enterprise))
                s.flush()
                raise ValueError("rule violated")
        except ValueError:
            pass
    assert org_count(factory) == 8
