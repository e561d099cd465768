"""REST routes of the register under /api/v1/registry (the public register under .../public)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, File, Form, Query, Request, UploadFile, status
from fastapi.responses import FileResponse, Response, StreamingResponse
from starlette.datastructures import UploadFile as StarletteUploadFile

from gongzhi.db.engine import SessionFactory
from gongzhi.errors import NotFound
from gongzhi.i18n import N_
from gongzhi.identity.principal import Principal
from gongzhi.registry import filings, register, reviews, service
from gongzhi.registry.fields import AlgorithmType, Sector
from gongzhi.registry.schemas import (
    AssignReviewers,
    AttachmentOut,
    ConflictDeclaration,
    Decision,
    Declaration,
    FilingCreate,
    FilingFormUpdate,
    FilingOut,
    FilingPage,
    Opinion,
    RegisterEntry,
    RegisterPage,
    ReportAttach,
    ReviewOut,
    SystemCreate,
    SystemOut,
    SystemPage,
    SystemUpdate,
    TieringOut,
    VersionCreate,
    VersionOut,
)
from gongzhi.registry.workflow import FilingState
from gongzhi.storage import CHUNK, path_of
from gongzhi.web.deps import DB, Caller, get_settings


def upload_chunks(upload: StarletteUploadFile) -> Iterator[bytes]:
    """Read an upload in chunks (it was spooled to disk by the server, never held whole in memory)."""
    while chunk := upload.file.read(CHUNK):
        yield chunk


def router() -> APIRouter:
    r = APIRouter(prefix="/api/v1/registry", tags=["registry"])

    # ------------------------------------------------------------------------------- systems

    @r.post("/systems", response_model=SystemOut, status_code=status.HTTP_201_CREATED)
    def create_system(body: SystemCreate, request: Request, caller: Caller, session: DB) -> SystemOut:
        profiles = service.configured_tiering_profiles(get_settings(request))
        system = service.create_system(session, caller, data=body, profiles=profiles)
        return SystemOut.model_validate(system)

    @r.get("/systems", response_model=SystemPage)
    def list_systems(
        caller: Caller,
        session: DB,
        scope: Literal["mine", "all"] = "mine",
        cursor: str | None = None,
        limit: int = Query(100, ge=1, le=500),
    ) -> SystemPage:
        page = service.list_systems(session, caller, mine=scope == "mine", cursor=cursor, limit=limit)
        return SystemPage(items=[SystemOut.model_validate(s) for s in page.items], next_cursor=page.next_cursor)

    @r.get("/systems/{system_id}", response_model=SystemOut)
    def get_system(system_id: int, caller: Caller, session: DB) -> SystemOut:
        return SystemOut.model_validate(service.get_system(session, caller, system_id))

    @r.patch("/systems/{system_id}", response_model=SystemOut)
    def update_system(system_id: int, body: SystemUpdate, request: Request, caller: Caller, session: DB) -> SystemOut:
        profiles = service.configured_tiering_profiles(get_settings(request))
        system = service.update_system(session, caller, system_id, data=body, profiles=profiles)
        return SystemOut.model_validate(system)

    @r.post("/systems/{system_id}/versions", response_model=VersionOut, status_code=status.HTTP_201_CREATED)
    def add_version(system_id: int, body: VersionCreate, caller: Caller, session: DB) -> VersionOut:
        version = service.add_version(
            session, caller, system_id, version=body.version, changes=body.changes, released_on=body.released_on
        )
        return VersionOut.model_validate(version)

    @r.get("/systems/{system_id}/tiering", response_model=list[TieringOut])
    def tiering(system_id: int, caller: Caller, session: DB) -> list[TieringOut]:
        """The tiering history of a system, newest first: tier, obligations and the rules that fired."""
        return [TieringOut.model_validate(t) for t in service.tiering_history(session, caller, system_id)]

    @r.post("/systems/{system_id}/tiering", response_model=list[TieringOut])
    def retier(system_id: int, request: Request, caller: Caller, session: DB) -> list[TieringOut]:
        """Apply the configured tiering profiles now (a new history row only when the outcome changes)."""
        settings = get_settings(request)
        rows = service.retier_system(
            session,
            caller,
            system_id,
            profiles=service.configured_tiering_profiles(settings),
        )
        return [TieringOut.model_validate(t) for t in rows]

    # ------------------------------------------------------------------------------- filings

    @r.post("/filings", response_model=FilingOut, status_code=status.HTTP_201_CREATED)
    def create_filing(body: FilingCreate, caller: Caller, session: DB) -> FilingOut:
        filing = filings.create_filing(session, caller, system_id=body.system_id, version=body.version)
        return filings.filing_out(caller, filing)

    @r.get("/filings", response_model=FilingPage)
    def list_filings(
        caller: Caller,
        session: DB,
        scope: Literal["mine", "queue"] = "mine",
        state: list[FilingState] | None = Query(None),
        cursor: str | None = None,
        limit: int = Query(100, ge=1, le=500),
    ) -> FilingPage:
        page = filings.list_filings(session, caller, mine=scope == "mine", states=state, cursor=cursor, limit=limit)
        return FilingPage(items=[filings.filing_out(caller, f) for f in page.items], next_cursor=page.next_cursor)

    @r.get("/filings/{filing_id}", response_model=FilingOut)
    def get_filing(filing_id: int, caller: Caller, session: DB) -> FilingOut:
        return filings.filing_out(caller, filings.get_filing(session, caller, filing_id))

    @r.put("/filings/{filing_id}/form", response_model=FilingOut)
    def update_form(filing_id: int, body: FilingFormUpdate, caller: Caller, session: DB) -> FilingOut:
        return filings.filing_out(caller, filings.update_form(session, caller, filing_id, form=body.form))

    @r.post("/filings/{filing_id}/attachments", response_model=AttachmentOut, status_code=status.HTTP_201_CREATED)
    def add_attachment(
        filing_id: int,
        request: Request,
        caller: Caller,
        session: DB,
        kind: Annotated[str, Form(max_length=40)],
        file: Annotated[UploadFile, File()],
    ) -> AttachmentOut:
        attachment = filings.add_attachment(
            session,
            caller,
            get_settings(request),
            filing_id,
            kind=kind,
            filename=file.filename or "",
            chunks=upload_chunks(file),
        )
        return AttachmentOut.model_validate(attachment)

    @r.post("/filings/{filing_id}/reports", response_model=AttachmentOut, status_code=status.HTTP_201_CREATED)
    def attach_report(
        filing_id: int, body: ReportAttach, request: Request, caller: Caller, session: DB
    ) -> AttachmentOut:
        """Attach an assessment report made on this platform (its SHA-256 is already in the ledger)."""
        attachment = filings.attach_report(session, caller, get_settings(request), filing_id, report_id=body.report_id)
        return AttachmentOut.model_validate(attachment)

    @r.delete("/attachments/{attachment_id}", status_code=status.HTTP_204_NO_CONTENT)
    def remove_attachment(attachment_id: int, caller: Caller, session: DB) -> None:
        filings.remove_attachment(session, caller, attachment_id)

    @r.get("/attachments/{attachment_id}", response_class=FileResponse)
    def download_attachment(attachment_id: int, request: Request, caller: Caller, session: DB) -> Response:
        """The attachment's bytes, always as a download (never rendered by the browser)."""
        attachment = filings.get_attachment(session, caller, attachment_id)
        path = path_of(get_settings(request), attachment.sha256)
        if not path.exists():
            raise NotFound(N_("No stored file {sha256}."), sha256=attachment.sha256)
        headers = {
            "Content-Disposition": _attachment_header(attachment.filename),
            "X-Content-SHA256": attachment.sha256,
        }
        return FileResponse(path, media_type=attachment.content_type, headers=headers)

    @r.post("/filings/{filing_id}/submit", response_model=FilingOut)
    def submit(filing_id: int, body: Declaration, caller: Caller, session: DB) -> FilingOut:
        return filings.filing_out(caller, filings.submit_filing(session, caller, filing_id, declare=body.declare))

    @r.post("/filings/{filing_id}/reviewers", response_model=list[ReviewOut], status_code=status.HTTP_201_CREATED)
    def assign(filing_id: int, body: AssignReviewers, request: Request, caller: Caller, session: DB) -> list[ReviewOut]:
        added = reviews.assign_reviewers(
            session, caller, get_settings(request), filing_id, expert_ids=body.expert_ids, due_days=body.due_days
        )
        return [ReviewOut.model_validate(x) for x in added]

    @r.post("/filings/{filing_id}/decision", response_model=FilingOut)
    def decide(filing_id: int, body: Decision, request: Request, caller: Caller, session: DB) -> FilingOut:
        filing = reviews.decide(
            session, caller, get_settings(request), filing_id, decision=body.decision, reason=body.reason
        )
        return filings.filing_out(caller, filing)

    # ------------------------------------------------------------------------------- reviews

    @r.get("/reviews", response_model=list[ReviewOut])
    def my_reviews(caller: Caller, session: DB) -> list[ReviewOut]:
        return [ReviewOut.model_validate(x) for x in reviews.my_reviews(session, caller, limit=500).items]

    @r.post("/reviews/{review_id}/declaration", response_model=ReviewOut)
    def declare(review_id: int, body: ConflictDeclaration, caller: Caller, session: DB) -> ReviewOut:
        return ReviewOut.model_validate(
            reviews.declare_conflict(
                session, caller, review_id, has_conflict=body.has_conflict, statement=body.statement
            )
        )

    @r.post("/reviews/{review_id}/opinion", response_model=ReviewOut)
    def opinion(review_id: int, body: Opinion, caller: Caller, session: DB) -> ReviewOut:
        return ReviewOut.model_validate(
            reviews.give_opinion(session, caller, review_id, opinion=body.opinion, reasons=body.reasons)
        )

    # ------------------------------------------------------------------------ public register

    @r.get("/public/entries", response_model=None, responses={200: {"model": RegisterPage}})
    async def public_entries(
        caller: Caller,
        session: DB,
        q: str | None = Query(None, max_length=100),
        algorithm_type: AlgorithmType | None = None,
        sector: Sector | None = None,
        state: FilingState | None = None,
        region: str | None = Query(None, max_length=100),
        provider_id: int | None = None,
        cursor: str | None = None,
        limit: int = Query(50, ge=1, le=500),
        count: bool = Query(False, description="also count every match (slower)"),
    ) -> Response:
        """Search the public register (公示): approved, suspended and revoked filings, public fields only."""
        # async on purpose: one short indexed query; running it on the event loop saves the worker-thread
        # hand-off, which costs more than the query on the public register's hot path.
        page, total = register.search(
            session,
            caller,
            q=q,
            algorithm_type=algorithm_type,
            sector=sector,
            state=state,
            region=region,
            provider_id=provider_id,
            cursor=cursor,
            limit=limit,
            with_total=count,
        )
        # Serialised once here (the model was built from trusted rows); FastAPI would validate it again.
        body = RegisterPage(items=page.items, next_cursor=page.next_cursor, total=total).model_dump_json()
        return Response(body, media_type="application/json")

    @r.get("/public/entries/{filing_id}", response_model=RegisterEntry)
    async def public_entry(filing_id: int, caller: Caller, session: DB) -> RegisterEntry:
        return register.get_entry(session, caller, filing_id)

    @r.get("/public/export", response_class=StreamingResponse)
    def public_export(
        request: Request,
        caller: Caller,
        format: Literal["json", "csv"] = "json",
        q: str | None = Query(None, max_length=100),
        algorithm_type: AlgorithmType | None = None,
        sector: Sector | None = None,
        state: FilingState | None = None,
    ) -> Response:
        """The whole (filtered) public register as JSON or CSV (UTF-8)."""
        filters = {"q": q, "algorithm_type": algorithm_type, "sector": sector, "state": state}
        factory = request.app.state.read_factory
        stream = _csv_stream(factory, caller, filters) if format == "csv" else _json_stream(factory, caller, filters)
        media = "text/csv; charset=utf-8" if format == "csv" else "application/json"
        return StreamingResponse(
            stream,
            media_type=media,
            headers={"Content-Disposition": f'attachment; filename="gongzhi-register.{format}"'},
        )

    return r


def _json_stream(factory: SessionFactory, caller: Principal, filters: dict[str, Any]) -> Iterator[str]:
    with factory() as session:
        yield '{"items": ['
        for i, entry in enumerate(register.export_all(session, caller, **filters)):
            yield ("," if i else "") + entry.model_dump_json()
        yield "]}"


def _csv_stream(factory: SessionFactory, caller: Principal, filters: dict[str, Any]) -> Iterator[str]:
    with factory() as session:
        yield from register.to_csv(register.export_all(session, caller, **filters))


def _attachment_header(filename: str) -> str:
    ascii_name = filename.encode("ascii", "replace").decode().replace('"', "_") or "attachment"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
