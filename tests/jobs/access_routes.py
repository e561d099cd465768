"""Access expectations of the jobs API."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from gongzhi.config import Settings
from gongzhi.identity.auth import principal_for
from gongzhi.identity.models import User
from gongzhi.jobs import service as jobs
from gongzhi.jobs.kinds import SELFTEST
from tests.access import SIGNED_IN, RouteSpec


def make_targets(session: Session, settings: Settings) -> dict[str, Any]:
    xinghe = principal_for(session.scalars(select(User).where(User.username == "xinghe")).one())
    job = jobs.submit_job(session, xinghe, kind=SELFTEST.id, params={"steps": 1, "seconds": 0})
    return {"xinghe_job": job.id}


ROUTES: dict[tuple[str, str], RouteSpec] = {
    ("GET", "/api/v1/jobs"): RouteSpec(lambda t: "/api/v1/jobs", SIGNED_IN),
    ("GET", "/api/v1/jobs/{job_id}"): RouteSpec(
        lambda t: f"/api/v1/jobs/{t.xinghe_job}", frozenset({"operator", "xinghe"})
    ),
    ("POST", "/api/v1/jobs/{job_id}/cancel"): RouteSpec(
        lambda t: f"/api/v1/jobs/{t.xinghe_job}/cancel", frozenset({"operator", "xinghe"})
    ),
    ("POST", "/api/v1/jobs/selftest"): RouteSpec(
        lambda t: "/api/v1/jobs/selftest", SIGNED_IN, lambda t, r: {"steps": 1, "seconds": 0}
    ),
}
