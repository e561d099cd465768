"""REST routes of data security under /api/v1/datasec: HTTP to service calls, nothing more."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Request, UploadFile, status
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, PlainTextResponse, Response

from gongzhi.datasec import service
from gongzhi.datasec.export import inventory_rows, render_inventory
from gongzhi.datasec.models import DataSource
from gongzhi.datasec.profiles import grading_profiles
from gongzhi.datasec.report import columns_csv, report_html
from gongzhi.datasec.schemas import (
    ColumnPublic,
    EntityTypePublic,
    LocationCreate,
    MaskCreate,
    MaskPublic,
    OverrideCreate,
    ProfilePublic,
    ScanCreate,
    ScanDetail,
    ScanPublic,
    SourcePublic,
    TextFinding,
    TextScanIn,
)
from gongzhi.i18n import gettext
from gongzhi.schemas import PageOut
from gongzhi.web.deps import DB, Caller, get_settings, request_locale


def source_public(source: DataSource) -> SourcePublic:
    return SourcePublic.model_validate(
        {
            **{k: getattr(source, k) for k in ("id", "name", "kind", "filename", "size_bytes", "org_id", "created_at")},
            "display_location": service.display_location(source),
        }
    )


def router() -> APIRouter:
    r = APIRouter(prefix="/api/v1/datasec", tags=["datasec"])

    @r.get("/sources", response_model=PageOut[SourcePublic])
    def list_sources(
        caller: Caller, session: DB, cursor: str | None = None, limit: int = Query(100, ge=1, le=500)
    ) -> PageOut[SourcePublic]:
        page = service.list_sources(session, caller, cursor=cursor, limit=limit)
        return PageOut[SourcePublic](items=[source_public(s) for s in page.items], next_cursor=page.next_cursor)

    @r.post("/sources/upload", response_model=SourcePublic, status_code=status.HTTP_201_CREATED)
    def upload(
        request: Request,
        caller: Caller,
        session: DB,
        file: Annotated[UploadFile, File()],
        name: Annotated[str, Form(max_length=200)] = "",
    ) -> SourcePublic:
        """Upload a data file (CSV/TSV, Excel, Parquet, JSON Lines, text) as a source."""
        source = service.register_upload(
            session, caller, get_settings(request), name=name, filename=file.filename or "", stream=file.file
        )
        return source_public(source)

    @r.post("/sources", response_model=SourcePublic, status_code=status.HTTP_201_CREATED)
    def register(body: LocationCreate, caller: Caller, session: DB) -> SourcePublic:
        """Register a server path or a database URL (operators)."""
        return source_public(service.register_location(session, caller, name=body.name, location=body.location))

    @r.get("/sources/{source_id}", response_model=SourcePublic)
    def get_source(source_id: int, caller: Caller, session: DB) -> SourcePublic:
        return source_public(service.get_source(session, caller, source_id))

    @r.post("/sources/{source_id}/scans", response_model=ScanPublic, status_code=status.HTTP_202_ACCEPTED)
    def start_scan(source_id: int, body: ScanCreate, request: Request, caller: Caller, session: DB) -> ScanPublic:
        """Queue a scan job; follow it at /api/v1/jobs/{job_id} or /api/v1/datasec/scans/{id}."""
        scan = service.start_scan(
            session,
            caller,
            get_settings(request),
            source_id,
            profile=body.profile,
            sample_rows=body.sample_rows,
            text_field=body.text_field,
            id_field=body.id_field,
        )
        return ScanPublic.model_validate(scan)

    @r.get("/scans", response_model=PageOut[ScanPublic])
    def list_scans(
        caller: Caller,
        session: DB,
        source_id: int | None = None,
        cursor: str | None = None,
        limit: int = Query(100, ge=1, le=500),
    ) -> PageOut[ScanPublic]:
        return PageOut.of(
            service.list_scans(session, caller, source_id=source_id, cursor=cursor, limit=limit), ScanPublic
        )

    @r.get("/scans/{scan_id}", response_model=ScanDetail)
    def get_scan(scan_id: int, caller: Caller, session: DB) -> ScanDetail:
        return ScanDetail.model_validate(service.get_scan(session, caller, scan_id))

    @r.get("/scans/{scan_id}/report")
    def scan_report(
        scan_id: int,
        request: Request,
        caller: Caller,
        session: DB,
        format: str = Query("json", pattern="^(json|csv|html)$"),
    ) -> Response:
        """The scan report as JSON, CSV (columns) or HTML."""
        report = service.scan_report(session, caller, get_settings(request), scan_id)
        if format == "csv":
            return PlainTextResponse(columns_csv(report["columns"]), media_type="text/csv; charset=utf-8")
        if format == "html":
            return HTMLResponse(report_html(report, request_locale(request)))
        return JSONResponse(report)

    @r.patch("/columns/{column_id}", response_model=ColumnPublic)
    def override(column_id: int, body: OverrideCreate, request: Request, caller: Caller, session: DB) -> ColumnPublic:
        """Override a column's level/category with a justification (recorded)."""
        column = service.override_column(
            session,
            caller,
            get_settings(request),
            column_id,
            level=body.level,
            category=body.category,
            justification=body.justification,
        )
        return ColumnPublic.model_validate(column)

    @r.get("/inventory")
    def inventory(
        request: Request,
        caller: Caller,
        session: DB,
        level: str | None = None,
        entity_type: str | None = None,
        format: str = Query("json", pattern="^(json|csv|html)$"),
    ) -> Response:
        """The data inventory (newest scan of every source): JSON, CSV or HTML."""
        rows = inventory_rows(service.inventory(session, caller, level=level, entity_type=entity_type))
        return render_inventory(rows, format, request_locale(request))

    @r.post("/sources/{source_id}/masks", response_model=MaskPublic, status_code=status.HTTP_202_ACCEPTED)
    def start_mask(source_id: int, body: MaskCreate, caller: Caller, session: DB) -> MaskPublic:
        """Queue a de-identified copy of the source."""
        run = service.start_mask(session, caller, source_id, policy_doc=body.policy, output_format=body.output_format)
        return MaskPublic.model_validate(run)

    @r.get("/masks/{mask_id}", response_model=MaskPublic)
    def get_mask(mask_id: int, caller: Caller, session: DB) -> MaskPublic:
        return MaskPublic.model_validate(service.get_mask(session, caller, mask_id))

    @r.get("/masks/{mask_id}/download")
    def download(mask_id: int, request: Request, caller: Caller, session: DB) -> FileResponse:
        path, name = service.mask_output(session, caller, get_settings(request), mask_id)
        return FileResponse(path, filename=name)

    @r.post("/scan-text", response_model=list[TextFinding])
    def scan_text(body: TextScanIn, caller: Caller) -> list[TextFinding]:
        """Find sensitive values in a short text (character offsets)."""
        return [TextFinding.model_validate(f.as_dict()) for f in service.find_in_text(caller, body.text)]

    @r.get("/entity-types", response_model=list[EntityTypePublic])
    def entity_types(request: Request, caller: Caller) -> list[EntityTypePublic]:
        locale = request_locale(request)
        return [
            EntityTypePublic.model_validate({**e, "label": gettext(locale, e["label"])})
            for e in service.entity_types(caller)
        ]

    @r.get("/profiles", response_model=list[ProfilePublic])
    def profiles(request: Request, caller: Caller) -> list[ProfilePublic]:
        service.entity_types(caller)  # the same reference permission
        locale = request_locale(request)
        out: list[dict[str, Any]] = []
        for p in grading_profiles(get_settings(request).profile_dirs):
            out.append(
                {
                    "id": p.id,
                    "title": p.header.title.get(locale),
                    "verification": p.header.verification,
                    "levels": [
                        {
                            "id": lv.id,
                            "label": lv.label.get(locale),
                            "rank": lv.rank,
                            "sharing": lv.sharing,
                            "opening": lv.opening,
                        }
                        for lv in p.body.levels
                    ],
                    "categories": [{"id": c.id, "label": c.label.get(locale)} for c in p.body.categories],
                }
            )
        return [ProfilePublic.model_validate(o) for o in out]

    return r
