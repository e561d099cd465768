"""REST routes of jobs under /api/v1/jobs."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request, status

from gongzhi.jobs import service
from gongzhi.jobs.kinds import SELFTEST
from gongzhi.jobs.rules import JobState
from gongzhi.jobs.schemas import JobPage, JobPublic, SelftestCreate
from gongzhi.web.deps import DB, Caller, request_locale


def router() -> APIRouter:
    r = APIRouter(prefix="/api/v1/jobs", tags=["jobs"])

    @r.get("", response_model=JobPage)
    def list_jobs(
        request: Request,
        caller: Caller,
        session: DB,
        state: JobState | None = None,
        cursor: str | None = None,
        limit: int = Query(50, ge=1, le=500),
    ) -> JobPage:
        page = service.list_jobs(session, caller, state=state, cursor=cursor, limit=limit)
        locale = request_locale(request)
        return JobPage(items=[JobPublic.of(j, locale) for j in page.items], next_cursor=page.next_cursor)

    @r.get("/{job_id}", response_model=JobPublic)
    def get_job(job_id: int, request: Request, caller: Caller, session: DB) -> JobPublic:
        return JobPublic.of(service.get_job(session, caller, job_id), request_locale(request))

    @r.post("/{job_id}/cancel", response_model=JobPublic)
    def cancel_job(job_id: int, request: Request, caller: Caller, session: DB) -> JobPublic:
        return JobPublic.of(service.cancel_job(session, caller, job_id), request_locale(request))

    @r.post("/selftest", response_model=JobPublic, status_code=status.HTTP_202_ACCEPTED)
    def selftest(body: SelftestCreate, request: Request, caller: Caller, session: DB) -> JobPublic:
        """Queue a harmless counting job: checks that a worker is running and reporting progress."""
        job = service.submit_job(session, caller, kind=SELFTEST.id, params=body.model_dump())
        return JobPublic.of(job, request_locale(request))

    return r
