"""REST routes of assessments under /api/v1/assess."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, File, Form, Query, Request, UploadFile, status
from fastapi.responses import Response

from gongzhi.assess import service
from gongzhi.assess.report_model import report_json_schema
from gongzhi.assess.schemas import (
    AssessmentCreate,
    AssessmentPage,
    AssessmentPublic,
    FilePage,
    FilePublic,
    ProfileSummary,
    ReportPublic,
)
from gongzhi.web.deps import DB, Caller, get_settings, request_locale

MEDIA = {"json": "application/json", "html": "text/html; charset=utf-8", "pdf": "application/pdf"}
#: A downloaded HTML report may style itself but never run anything.
REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'"


def download_response(report: Any, data: bytes, *, inline: bool) -> Response:
    """A report file with its digest in a header; HTML under a CSP that forbids every script."""
    name = f"assessment-{report.assessment_id}-report-{report.id}.{report.format}"
    disposition = "inline" if inline else "attachment"
    headers = {
        "Content-Disposition": f'{disposition}; filename="{name}"',
        "X-Content-SHA256": report.sha256,
        "Content-Security-Policy": REPORT_CSP,
    }
    return Response(data, media_type=MEDIA[report.format], headers=headers)


def router() -> APIRouter:
    r = APIRouter(prefix="/api/v1/assess", tags=["assess"])

    @r.get("/profiles", response_model=list[ProfileSummary])
    def profiles(request: Request, caller: Caller) -> list[ProfileSummary]:
        locale = request_locale(request)
        return [ProfileSummary.of(p, locale) for p in service.list_profiles(caller, get_settings(request))]

    @r.get("/profiles/{profile_id}")
    def profile(profile_id: str, request: Request, caller: Caller) -> dict[str, Any]:
        """The whole profile: header, principles, controls, tests with thresholds, process checks."""
        found = service.get_profile(caller, get_settings(request), profile_id)
        return {**found.header.model_dump(), "sha256": found.sha256, "body": found.body.model_dump()}

    @r.get("/report-schema")
    def report_schema() -> dict[str, Any]:
        """The JSON Schema every JSON assessment report validates against (format gongzhi.assess.report@1)."""
        return report_json_schema()

    @r.post("/files", response_model=FilePublic, status_code=status.HTTP_201_CREATED)
    def upload(
        request: Request,
        caller: Caller,
        session: DB,
        file: UploadFile = File(...),
        role: str = Form("data"),
    ) -> FilePublic:
        """Upload test or training data (CSV, Excel, Parquet), a model (skops, ONNX) or evidence."""
        item = service.upload_file(
            session, caller, get_settings(request), role=role, name=file.filename or "upload", stream=file.file
        )
        return FilePublic.of(item)

    @r.get("/files", response_model=FilePage)
    def files(
        caller: Caller,
        session: DB,
        role: str | None = None,
        cursor: str | None = None,
        limit: int = Query(50, ge=1, le=500),
    ) -> FilePage:
        page = service.list_files(session, caller, role=role, cursor=cursor, limit=limit)
        return FilePage(items=[FilePublic.of(f) for f in page.items], next_cursor=page.next_cursor)

    @r.get("/files/{file_id}", response_model=FilePublic)
    def file_detail(file_id: int, caller: Caller, session: DB) -> FilePublic:
        return FilePublic.of(service.get_file(session, caller, file_id))

    @r.post("/assessments", response_model=AssessmentPublic, status_code=status.HTTP_202_ACCEPTED)
    def create(body: AssessmentCreate, request: Request, caller: Caller, session: DB) -> AssessmentPublic:
        """Queue an assessment; follow its job, then fetch its reports."""
        data = body.model_dump(exclude={"answers"})
        answers = {k: service.AnswerInput(v.answer, v.elaboration, tuple(v.evidence)) for k, v in body.answers.items()}
        item = service.create_assessment(session, caller, get_settings(request), answers=answers, **data)
        return AssessmentPublic.of(item, request_locale(request))

    @r.get("/assessments", response_model=AssessmentPage)
    def assessments(
        request: Request, caller: Caller, session: DB, cursor: str | None = None, limit: int = Query(50, ge=1, le=500)
    ) -> AssessmentPage:
        page = service.list_assessments(session, caller, cursor=cursor, limit=limit)
        locale = request_locale(request)
        return AssessmentPage(items=[AssessmentPublic.of(a, locale) for a in page.items], next_cursor=page.next_cursor)

    @r.get("/assessments/{assessment_id}", response_model=AssessmentPublic)
    def assessment(assessment_id: int, request: Request, caller: Caller, session: DB) -> AssessmentPublic:
        item = service.get_assessment(session, caller, assessment_id)
        reports = service.reports_of(session, caller, assessment_id)
        return AssessmentPublic.of(item, request_locale(request), reports)

    @r.get("/reports/{report_id}", response_model=ReportPublic)
    def report(report_id: int, caller: Caller, session: DB) -> ReportPublic:
        return ReportPublic.of(service.get_report(session, caller, report_id))

    @r.get("/reports/{report_id}/download")
    def download(report_id: int, request: Request, caller: Caller, session: DB) -> Response:
        item, data = service.report_bytes(session, caller, get_settings(request), report_id)
        return download_response(item, data, inline=False)

    return r
