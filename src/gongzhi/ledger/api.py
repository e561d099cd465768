"""REST routes of the ledger under /api/v1/ledger — public: anyone may read and check the record."""

from __future__ import annotations

from collections.abc import Iterator

from fastapi import APIRouter, Query, Request, status
from fastapi.responses import StreamingResponse

from gongzhi.identity.principal import Principal
from gongzhi.jobs import service as jobs
from gongzhi.jobs.schemas import JobPublic
from gongzhi.ledger import keys, service
from gongzhi.ledger.audit import audit
from gongzhi.ledger.kinds import AUDIT
from gongzhi.ledger.schemas import (
    AuditOut,
    ConsistencyProofOut,
    EntryOut,
    EntryPage,
    InclusionProofOut,
    PublicKeyOut,
    TreeHeadOut,
    TreeHeadPage,
)
from gongzhi.ledger.signing import SignedTreeHead
from gongzhi.web.deps import DB, Caller, get_settings, request_locale


def latest_signed(request: Request) -> SignedTreeHead:
    """The signed head of the log at its current size (signed now if the newest one is older)."""
    return service.ensure_tree_head(request.app.state.factory, keys.for_settings(get_settings(request)))


def router() -> APIRouter:
    r = APIRouter(prefix="/api/v1/ledger", tags=["ledger"])

    @r.get("/public-key", response_model=PublicKeyOut)
    def public_key(request: Request, caller: Caller) -> PublicKeyOut:
        """The Ed25519 key that signs tree heads; pin it to verify exports independently."""
        service.authorize_read(caller)
        key = keys.for_settings(get_settings(request))
        return PublicKeyOut(key_id=key.key_id, public_key_pem=key.public_pem)

    @r.get("/tree-heads/latest", response_model=TreeHeadOut)
    def latest_tree_head(request: Request, caller: Caller) -> TreeHeadOut:
        service.authorize_read(caller)
        return TreeHeadOut.of(latest_signed(request))

    @r.get("/tree-heads", response_model=TreeHeadPage)
    def tree_heads(
        caller: Caller, session: DB, cursor: str | None = None, limit: int = Query(100, ge=1, le=500)
    ) -> TreeHeadPage:
        page = service.list_tree_heads(session, caller, cursor=cursor, limit=limit)
        return TreeHeadPage(
            items=[TreeHeadOut.of(service.sth_of(row)) for row in page.items], next_cursor=page.next_cursor
        )

    @r.get("/tree-heads/{tree_size}", response_model=TreeHeadOut)
    def tree_head(tree_size: int, caller: Caller, session: DB) -> TreeHeadOut:
        return TreeHeadOut.of(service.tree_head_at(session, caller, tree_size))

    @r.get("/entries", response_model=EntryPage)
    def entries(
        caller: Caller,
        session: DB,
        subject_type: str | None = None,
        subject_id: str | None = None,
        action: str | None = None,
        cursor: str | None = None,
        limit: int = Query(100, ge=1, le=500),
    ) -> EntryPage:
        page = service.list_entries(
            session, caller, subject_type=subject_type, subject_id=subject_id, action=action, cursor=cursor, limit=limit
        )
        return EntryPage(
            items=[EntryOut.of(service.record_of(e), bytes(e.leaf_hash)) for e in page.items],
            next_cursor=page.next_cursor,
        )

    @r.get("/entries/{seq}", response_model=EntryOut)
    def entry(seq: int, caller: Caller, session: DB) -> EntryOut:
        return EntryOut.of(*service.get_entry(session, caller, seq))

    @r.get("/proofs/inclusion", response_model=InclusionProofOut)
    def inclusion(
        request: Request, caller: Caller, seq: int = Query(ge=0), tree_size: int | None = Query(None, ge=1)
    ) -> InclusionProofOut:
        """Audit path of entry ``seq``; by default against the newest signed tree head (signed now if needed)."""
        service.authorize_read(caller)
        sth = latest_signed(request) if tree_size is None else None
        size = sth.tree_size if sth is not None else int(tree_size or 0)
        with request.app.state.read_factory() as session:  # a fresh snapshot that includes the new head
            proof = service.inclusion_proof(session, caller, seq, size)
        return InclusionProofOut.of(proof, sth)

    @r.get("/proofs/consistency", response_model=ConsistencyProofOut)
    def consistency(
        caller: Caller, session: DB, first: int = Query(ge=0), second: int = Query(ge=0)
    ) -> ConsistencyProofOut:
        return ConsistencyProofOut.of(service.consistency_proof(session, caller, first, second))

    @r.get("/export", response_class=StreamingResponse)
    def export(request: Request, caller: Caller) -> StreamingResponse:
        """The whole ledger as JSON Lines, to verify offline with `gongzhi ledger verify --export FILE`."""
        service.authorize_read(caller)
        latest_signed(request)
        key = keys.for_settings(get_settings(request))
        factory = request.app.state.read_factory

        def lines(principal: Principal = caller) -> Iterator[bytes]:
            with factory() as session:
                yield from service.export_lines(session, principal, key.public_pem)

        return StreamingResponse(
            lines(),
            media_type="application/x-ndjson",
            headers={"Content-Disposition": 'attachment; filename="gongzhi-ledger.jsonl"'},
        )

    @r.get("/audit", response_model=AuditOut)
    def audit_now(request: Request, caller: Caller, session: DB) -> AuditOut:
        """Verify the whole ledger now (for logs up to ``ledger_live_verify_limit`` entries)."""
        settings = get_settings(request)
        service.authorize_read(caller)
        service.check_live_audit_size(session, settings.ledger_live_verify_limit)
        key = keys.for_settings(settings)
        return AuditOut.of(audit(session, caller, signing_key_pem=key.public_pem, workers=1))

    @r.post("/audit-jobs", response_model=JobPublic, status_code=status.HTTP_202_ACCEPTED)
    def audit_job(request: Request, caller: Caller, session: DB) -> JobPublic:
        """Verify the whole ledger as a job (any size); the job's result is the audit report."""
        job = jobs.submit_job(session, caller, kind=AUDIT.id, params={})
        return JobPublic.of(job, request_locale(request))

    return r
