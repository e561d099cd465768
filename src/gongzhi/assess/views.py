"""Assessment pages: the list, a new assessment (upload, profile, columns, process checks), its status and report."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import UploadFile

from gongzhi.assess import service
from gongzhi.assess.api import download_response
from gongzhi.assess.labels import STATUS_LABELS
from gongzhi.assess.schemas import AssessmentPublic
from gongzhi.errors import InvalidInput, NotFound
from gongzhi.i18n import N_
from gongzhi.jobs import service as jobs
from gongzhi.jobs.rules import FINAL_STATES
from gongzhi.jobs.schemas import JobPublic
from gongzhi.web.deps import DB, Caller, csrf_protect, get_settings, request_locale
from gongzhi.web.forms import submit
from gongzhi.web.templating import render


def _text(form: Any, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def _list(form: Any, name: str) -> list[str]:
    return [v.strip() for v in _text(form, name).split(",") if v.strip()]


def _upload(form: Any, name: str) -> UploadFile | None:
    value = form.get(name)
    return value if isinstance(value, UploadFile) and value.filename else None


def router() -> APIRouter:
    r = APIRouter(include_in_schema=False)

    @r.get("/assess")
    def assessments_page(request: Request, caller: Caller, session: DB, cursor: str | None = None) -> Response:
        page = service.list_assessments(session, caller, cursor=cursor, limit=50)
        locale = request_locale(request)
        return render(
            request,
            "assess/list.html",
            assessments=[AssessmentPublic.of(a, locale) for a in page.items],
            next_cursor=page.next_cursor,
            status_labels=STATUS_LABELS,
        )

    def form_page(
        request: Request, caller: Caller, profile_id: str | None, error: str | None = None, status: int = 200
    ) -> Response:
        settings = get_settings(request)
        profiles = service.list_profiles(caller, settings)
        chosen = service.get_profile(caller, settings, profile_id) if profile_id else None
        return render(
            request,
            "assess/new.html",
            status_code=status,
            profiles=profiles,
            chosen=chosen,
            error=error,
        )

    @r.get("/assess/new")
    def new_page(request: Request, caller: Caller, profile: str | None = None) -> Response:
        from gongzhi.identity import policy

        policy.authorize(caller, "assessment.create")
        return form_page(request, caller, profile)

    @r.post("/assess/new", dependencies=[Depends(csrf_protect)])
    async def create(request: Request, caller: Caller, session: DB) -> Response:
        form = await request.form()
        settings = get_settings(request)
        profile_id = _text(form, "profile_id")

        def action() -> Any:
            data = _upload(form, "data")
            if data is None:
                raise InvalidInput(N_("Choose a data file."), field="data")
            data_file = service.upload_file(
                session, caller, settings, role="data", name=data.filename or "data", stream=data.file
            )
            model = _upload(form, "model")
            model_file = (
                service.upload_file(
                    session, caller, settings, role="model", name=model.filename or "model", stream=model.file
                )
                if model
                else None
            )
            train = _upload(form, "train")
            train_file = (
                service.upload_file(
                    session, caller, settings, role="data", name=train.filename or "train", stream=train.file
                )
                if train
                else None
            )
            answers: dict[str, service.AnswerInput] = {}
            chosen = service.get_profile(caller, settings, profile_id)
            for check in chosen.body.process_checks:
                answer = _text(form, f"answer-{check.id}")
                if not answer:
                    continue
                evidence: tuple[int, ...] = ()
                upload = _upload(form, f"evidence-{check.id}")
                if upload is not None:
                    item = service.upload_file(
                        session,
                        caller,
                        settings,
                        role="evidence",
                        name=upload.filename or "evidence",
                        stream=upload.file,
                    )
                    evidence = (item.id,)
                answers[check.id] = service.AnswerInput(answer, _text(form, f"elaboration-{check.id}"), evidence)
            return service.create_assessment(
                session,
                caller,
                settings,
                profile_id=profile_id,
                data_file_id=data_file.id,
                target=_text(form, "target"),
                prediction=_text(form, "prediction") or None,
                score=_text(form, "score") or None,
                sensitive=_list(form, "sensitive"),
                features=_list(form, "features"),
                model_file_id=model_file.id if model_file else None,
                train_file_id=train_file.id if train_file else None,
                endpoint=_text(form, "endpoint") or None,
                pos_label=_text(form, "pos_label") or None,
                answers=answers,
                title=_text(form, "title"),
                locale=_text(form, "locale") or request_locale(request),
            )

        outcome = submit(request, session, action)
        if outcome.error is not None:
            return form_page(request, caller, profile_id or None, outcome.error, outcome.status)
        assert outcome.value is not None
        return RedirectResponse(f"/assess/{outcome.value.id}", status_code=303)

    @r.get("/assess/{assessment_id}")
    def detail(assessment_id: int, request: Request, caller: Caller, session: DB) -> Response:
        item = service.get_assessment(session, caller, assessment_id)
        reports = service.reports_of(session, caller, assessment_id)
        locale = request_locale(request)
        try:
            job = JobPublic.of(jobs.get_job(session, caller, item.job_id), locale) if item.job_id else None
        except NotFound:  # a colleague's job: the assessment's own status is shown instead
            job = None
        context: dict[str, Any] = {
            "assessment": AssessmentPublic.of(item, locale, reports),
            "job": job,
            "final": job is None or job.state in FINAL_STATES,
            "status_labels": STATUS_LABELS,
        }
        if request.headers.get("hx-request"):
            return render(request, "assess/_status.html", **context)
        return render(request, "assess/detail.html", **context)

    @r.get("/assess/reports/{report_id}")
    def report_file(report_id: int, request: Request, caller: Caller, session: DB, download: bool = False) -> Response:
        item, data = service.report_bytes(session, caller, get_settings(request), report_id)
        return download_response(item, data, inline=not download)

    return r
