"""Reminders: reviews and re-assessments coming due (a periodic job fills them in; users dismiss them)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from gongzhi.db.base import utcnow
from gongzhi.i18n import N_
from gongzhi.identity import policy
from gongzhi.identity.models import User
from gongzhi.identity.principal import Principal, Role
from gongzhi.jobs.context import JobContext
from gongzhi.jobs.kinds import JobKind
from gongzhi.registry.models import Filing, Reminder, Review
from gongzhi.registry.workflow import FilingState

REVIEW_WARNING = dt.timedelta(days=3)
REASSESSMENT_WARNING = dt.timedelta(days=30)


def refresh(session: Session, now: dt.datetime | None = None) -> int:
    """Create the reminders now due (once per user and thing); returns how many are new."""
    now = now or utcnow()
    wanted: list[tuple[int, str, str, dict[str, Any], str, dt.datetime]] = []
    reviews = session.scalars(
        select(Review)
        .join(Filing, Review.filing_id == Filing.id)
        .where(
            Filing.state == FilingState.under_review,
            Review.opinion.is_(None),
            Review.conflict.is_not(True),
            Review.due_at <= now + REVIEW_WARNING,
        )
    )
    for review in reviews:
        message = (
            N_("Your review of filing {id} is overdue (due {due}).")
            if review.due_at < now
            else N_("Your review of filing {id} is due on {due}.")
        )
        wanted.append(
            (
                review.expert_id,
                f"review:{review.id}:{review.due_at.date()}",
                message,
                {"id": review.filing_id, "due": review.due_at.date().isoformat()},
                f"/registry/reviews/{review.id}",
                review.due_at,
            )
        )
    filings = session.scalars(
        select(Filing).where(
            Filing.state == FilingState.approved, Filing.reassessment_due_at <= now + REASSESSMENT_WARNING
        )
    )
    for filing in filings:
        due = filing.reassessment_due_at
        assert due is not None
        admins = session.scalars(
            select(User.id).where(User.org_id == filing.org_id, User.role == Role.admin, User.active.is_(True))
        )
        for user_id in admins:
            wanted.append(
                (
                    user_id,
                    f"reassess:{filing.id}:{due.date()}",
                    N_("Filing {number} is due for re-assessment on {due}."),
                    {"number": filing.filing_number or filing.id, "due": due.date().isoformat()},
                    f"/registry/filings/{filing.id}",
                    due,
                )
            )
    existing = {(r.user_id, r.key) for r in session.scalars(select(Reminder))}
    new = 0
    for user_id, key, message, params, link, due_at in wanted:
        if (user_id, key) not in existing:
            session.add(Reminder(user_id=user_id, key=key, message=message, params=params, link=link, due_at=due_at))
            new += 1
    return new


def for_user(session: Session, actor: Principal) -> list[Reminder]:
    """The actor's reminders that were not dismissed, soonest first."""
    policy.authorize(actor, "reminders.read")
    return list(
        session.scalars(
            select(Reminder)
            .where(Reminder.user_id == actor.user_id, Reminder.dismissed_at.is_(None))
            .order_by(Reminder.due_at)
        )
    )


def dismiss(session: Session, actor: Principal, reminder_id: int) -> None:
    """Hide a reminder (it is the actor's own; others' reminders look absent)."""
    policy.authorize(actor, "reminders.read")
    reminder = session.get(Reminder, reminder_id)
    if reminder is not None and reminder.user_id == actor.user_id:
        reminder.dismissed_at = utcnow()


def run_refresh(ctx: JobContext) -> dict[str, Any]:
    with ctx.factory() as session, session.begin():
        new = refresh(session)
    return {"new_reminders": new}


REFRESH = JobKind(id="gongzhi.registry.reminders@1", run=run_refresh)

#: The area's job kinds (``Area.job_kinds``).
KINDS: dict[str, JobKind] = {REFRESH.id: REFRESH}
