"""Job pages: the list and a live status page (HTMX polls the status fragment while it runs)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from gongzhi.jobs import service
from gongzhi.jobs.rules import FINAL_STATES
from gongzhi.jobs.schemas import JobPublic
from gongzhi.ledger import service as ledger
from gongzhi.web.deps import DB, Caller, csrf_protect, request_locale
from gongzhi.web.templating import render


def router() -> APIRouter:
    r = APIRouter(include_in_schema=False)

    @r.get("/jobs")
    def jobs_page(request: Request, caller: Caller, session: DB, cursor: str | None = None) -> Response:
        page = service.list_jobs(session, caller, cursor=cursor, limit=50)
        locale = request_locale(request)
        return render(
            request, "jobs/list.html", jobs=[JobPublic.of(j, locale) for j in page.items], next_cursor=page.next_cursor
        )

    @r.get("/jobs/{job_id}")
    def job_page(job_id: int, request: Request, caller: Caller, session: DB) -> Response:
        job = JobPublic.of(service.get_job(session, caller, job_id), request_locale(request))
        if request.headers.get("hx-request"):
            return render(request, "jobs/_status.html", job=job, final=job.state in FINAL_STATES)
        return render(
            request,
            "jobs/detail.html",
            job=job,
            final=job.state in FINAL_STATES,
            trail=ledger.trail(session, caller, "job", job_id),
        )

    @r.post("/jobs/{job_id}/cancel", dependencies=[Depends(csrf_protect)])
    def cancel(job_id: int, caller: Caller, session: DB) -> Response:
        service.cancel_job(session, caller, job_id)
        return RedirectResponse(f"/jobs/{job_id}", status_code=303)

    return r
