"""Data-security pages: sources, scans with live progress, the inventory, overrides, masked copies."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from gongzhi.datasec import service
from gongzhi.datasec.entities import ENTITY_TYPES
from gongzhi.datasec.export import inventory_rows
from gongzhi.datasec.profiles import grading_profile, grading_profiles
from gongzhi.errors import InvalidInput
from gongzhi.i18n import N_
from gongzhi.identity import policy
from gongzhi.identity.principal import Principal
from gongzhi.jobs import service as jobs
from gongzhi.ledger import service as ledger
from gongzhi.web.deps import DB, Caller, csrf_protect, get_settings
from gongzhi.web.forms import submit
from gongzhi.web.templating import render

CSRF = [Depends(csrf_protect)]


def _int_or_none(value: str, field: str) -> int | None:
    value = value.strip()
    if not value:
        return None
    if not value.isdigit() or int(value) < 1:
        raise InvalidInput(N_("Enter a whole number of rows, or leave it empty."), field=field)
    return int(value)


def _policy(text: str) -> dict[str, object]:
    try:
        value = json.loads(text or "{}")
    except json.JSONDecodeError:
        raise InvalidInput(N_("The masking policy must be JSON."), field="policy") from None
    if not isinstance(value, dict):
        raise InvalidInput(N_("The masking policy must be JSON."), field="policy")
    return value


def router() -> APIRouter:
    r = APIRouter(include_in_schema=False)

    def home(
        request: Request, caller: Principal, session: Session, *, error: str | None = None, status_code: int = 200
    ) -> Response:
        page = service.list_sources(session, caller, limit=200)
        rows = service.inventory(session, caller)
        levels: dict[str, int] = {}
        for _s, _sc, _a, c in rows:
            if c.entity_type:
                levels[c.effective_level or "-"] = levels.get(c.effective_level or "-", 0) + 1
        return render(
            request,
            "datasec/home.html",
            status_code=status_code,
            sources=page.items,
            display=service.display_location,
            levels=levels,
            can_upload=policy.allows(caller, "datasec.source.upload"),
            can_register=policy.allows(caller, "datasec.source.register_location"),
            error=error,
        )

    @r.get("/datasec")
    def datasec_home(request: Request, caller: Caller, session: DB) -> Response:
        return home(request, caller, session)

    @r.post("/datasec/sources/upload", dependencies=CSRF)
    def upload(
        request: Request,
        caller: Caller,
        session: DB,
        file: Annotated[UploadFile, File()],
        name: Annotated[str, Form(max_length=200)] = "",
    ) -> Response:
        settings = get_settings(request)
        out = submit(
            request,
            session,
            lambda: service.register_upload(
                session, caller, settings, name=name, filename=file.filename or "", stream=file.file
            ),
        )
        if out.value is None:
            return home(request, caller, session, error=out.error, status_code=out.status)
        return RedirectResponse(f"/datasec/sources/{out.value.id}", status_code=303)

    @r.post("/datasec/sources", dependencies=CSRF)
    def register(
        request: Request,
        caller: Caller,
        session: DB,
        name: Annotated[str, Form(max_length=200)],
        location: Annotated[str, Form(max_length=2000)],
    ) -> Response:
        out = submit(request, session, lambda: service.register_location(session, caller, name=name, location=location))
        if out.value is None:
            return home(request, caller, session, error=out.error, status_code=out.status)
        return RedirectResponse(f"/datasec/sources/{out.value.id}", status_code=303)

    def source_page(
        request: Request,
        caller: Principal,
        session: Session,
        source_id: int,
        *,
        error: str | None = None,
        status_code: int = 200,
    ) -> Response:
        source = service.get_source(session, caller, source_id)
        settings = get_settings(request)
        return render(
            request,
            "datasec/source.html",
            status_code=status_code,
            source=source,
            location=service.display_location(source),
            scans=service.list_scans(session, caller, source_id=source_id, limit=50).items,
            profiles=grading_profiles(settings.profile_dirs),
            error=error,
            trail=ledger.trail(session, caller, "datasec_source", source_id),
        )

    @r.get("/datasec/sources/{source_id}")
    def source_detail(source_id: int, request: Request, caller: Caller, session: DB) -> Response:
        return source_page(request, caller, session, source_id)

    @r.post("/datasec/sources/{source_id}/scans", dependencies=CSRF)
    def start_scan(
        source_id: int,
        request: Request,
        caller: Caller,
        session: DB,
        profile: Annotated[str, Form(max_length=120)] = "",
        sample_rows: Annotated[str, Form()] = "",
        text_field: Annotated[str, Form(max_length=200)] = "",
        id_field: Annotated[str, Form(max_length=200)] = "",
    ) -> Response:
        settings = get_settings(request)
        out = submit(
            request,
            session,
            lambda: service.start_scan(
                session,
                caller,
                settings,
                source_id,
                profile=profile or None,
                sample_rows=_int_or_none(sample_rows, "sample_rows"),
                text_field=text_field or None,
                id_field=id_field or None,
            ),
        )
        if out.value is None:
            return source_page(request, caller, session, source_id, error=out.error, status_code=out.status)
        return RedirectResponse(f"/datasec/scans/{out.value.id}", status_code=303)

    @r.post("/datasec/sources/{source_id}/masks", dependencies=CSRF)
    def start_mask(
        source_id: int,
        request: Request,
        caller: Caller,
        session: DB,
        policy_json: Annotated[str, Form(alias="policy", max_length=20000)] = "{}",
        output_format: Annotated[str, Form(max_length=10)] = "csv",
    ) -> Response:
        out = submit(
            request,
            session,
            lambda: service.start_mask(
                session, caller, source_id, policy_doc=_policy(policy_json), output_format=output_format
            ),
        )
        if out.value is None:
            return source_page(request, caller, session, source_id, error=out.error, status_code=out.status)
        return RedirectResponse(f"/datasec/masks/{out.value.id}", status_code=303)

    def scan_page(
        request: Request,
        caller: Principal,
        session: Session,
        scan_id: int,
        *,
        error: str | None = None,
        status_code: int = 200,
    ) -> Response:
        scan = service.get_scan(session, caller, scan_id)
        settings = get_settings(request)
        try:
            _pid, body = grading_profile(scan.profile_id, settings.profile_dirs)
            levels, categories = body.levels, body.categories
        except InvalidInput:
            levels, categories = [], []
        job = jobs.get_job(session, caller, scan.job_id) if scan.job_id else None
        return render(
            request,
            "datasec/scan.html",
            status_code=status_code,
            scan=scan,
            job=job,
            levels=levels,
            categories=categories,
            entity_types=ENTITY_TYPES,
            error=error,
            trail=ledger.trail(session, caller, "datasec_scan", scan_id),
        )

    @r.get("/datasec/scans/{scan_id}")
    def scan_detail(scan_id: int, request: Request, caller: Caller, session: DB) -> Response:
        return scan_page(request, caller, session, scan_id)

    @r.get("/datasec/scans/{scan_id}/status")
    def scan_status(scan_id: int, request: Request, caller: Caller, session: DB) -> Response:
        scan = service.get_scan(session, caller, scan_id)
        job = jobs.get_job(session, caller, scan.job_id) if scan.job_id else None
        response = render(request, "datasec/_status.html", scan=scan, job=job, url=f"/datasec/scans/{scan_id}/status")
        if scan.state in ("done", "failed") or (job is not None and job.finished_at is not None):
            response.headers["HX-Refresh"] = "true"
        return response

    @r.post("/datasec/columns/{column_id}/override", dependencies=CSRF)
    def override(
        column_id: int,
        request: Request,
        caller: Caller,
        session: DB,
        justification: Annotated[str, Form(max_length=4000)],
        level: Annotated[str, Form(max_length=40)] = "",
        category: Annotated[str, Form(max_length=80)] = "",
    ) -> Response:
        settings = get_settings(request)
        out = submit(
            request,
            session,
            lambda: service.override_column(
                session,
                caller,
                settings,
                column_id,
                level=level or None,
                category=category or None,
                justification=justification,
            ),
        )
        if out.value is None:
            from gongzhi.datasec.models import DataColumn

            column = session.get(DataColumn, column_id)
            scan_id = column.asset.scan_id if column is not None else 0
            return scan_page(request, caller, session, scan_id, error=out.error, status_code=out.status)
        return RedirectResponse(f"/datasec/scans/{out.value.asset.scan_id}#column-{column_id}", status_code=303)

    @r.get("/datasec/inventory")
    def inventory(
        request: Request, caller: Caller, session: DB, level: str | None = None, entity_type: str | None = None
    ) -> Response:
        rows = inventory_rows(service.inventory(session, caller, level=level or None, entity_type=entity_type or None))
        return render(
            request,
            "datasec/inventory.html",
            rows=rows,
            level=level or "",
            entity_type=entity_type or "",
            entity_types=ENTITY_TYPES,
        )

    @r.get("/datasec/masks/{mask_id}")
    def mask_detail(mask_id: int, request: Request, caller: Caller, session: DB) -> Response:
        run = service.get_mask(session, caller, mask_id)
        job = jobs.get_job(session, caller, run.job_id) if run.job_id else None
        return render(
            request, "datasec/mask.html", run=run, job=job, trail=ledger.trail(session, caller, "datasec_mask", mask_id)
        )

    @r.get("/datasec/masks/{mask_id}/status")
    def mask_status(mask_id: int, request: Request, caller: Caller, session: DB) -> Response:
        run = service.get_mask(session, caller, mask_id)
        job = jobs.get_job(session, caller, run.job_id) if run.job_id else None
        response = render(request, "datasec/_status.html", scan=run, job=job, url=f"/datasec/masks/{mask_id}/status")
        if run.state in ("done", "failed") or (job is not None and job.finished_at is not None):
            response.headers["HX-Refresh"] = "true"
        return response

    return r
