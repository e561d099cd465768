"""Ledger pages: the public record, its signing key, its verification status and each entry's proof."""

from __future__ import annotations

import json

from fastapi import APIRouter, Query, Request
from fastapi.responses import PlainTextResponse, Response

from gongzhi.ledger import keys, merkle, service
from gongzhi.ledger.audit import audit
from gongzhi.ledger.canonical import canonicalize
from gongzhi.ledger.entry import entry_object
from gongzhi.ledger.schemas import AuditOut
from gongzhi.web.deps import DB, Caller, get_settings
from gongzhi.web.templating import render


def router() -> APIRouter:
    r = APIRouter(include_in_schema=False)

    @r.get("/ledger")
    def ledger_page(request: Request, caller: Caller, session: DB, cursor: str | None = None) -> Response:
        settings = get_settings(request)
        service.authorize_read(caller)
        key = keys.for_settings(settings)
        size = service.log_size(session)
        status: AuditOut | None = None
        if size <= settings.ledger_live_verify_limit:
            status = AuditOut.of(audit(session, caller, signing_key_pem=key.public_pem, workers=1))
        last_audit = service.latest_audit_result(session) if status is None else None
        page = service.list_entries(session, caller, cursor=cursor, limit=50, newest_first=True)
        return render(
            request,
            "ledger/index.html",
            key=key,
            size=size,
            status=status,
            last_audit=last_audit,
            head=service.latest_tree_head(session, caller),
            entries=page.items,
            next_cursor=page.next_cursor,
            base_url=str(request.base_url).rstrip("/"),
        )

    @r.get("/ledger/public-key.pem")
    def public_key_pem(request: Request, caller: Caller) -> Response:
        service.authorize_read(caller)
        pem = keys.for_settings(get_settings(request)).public_pem
        return PlainTextResponse(
            pem,
            media_type="application/x-pem-file",
            headers={"Content-Disposition": 'attachment; filename="gongzhi-ledger-key.pem"'},
        )

    @r.get("/ledger/entries/{seq}")
    def entry_page(
        seq: int, request: Request, caller: Caller, session: DB, tree_size: int | None = Query(None, ge=1)
    ) -> Response:
        rec, leaf = service.get_entry(session, caller, seq)
        head = service.latest_tree_head(session, caller)
        proof = proof_ok = None
        if head is not None and seq < head.tree_size:
            proof = service.inclusion_proof(session, caller, seq, head.tree_size)
            proof_ok = merkle.verify_inclusion(leaf, seq, head.tree_size, proof.path, head.root_hash)
        canonical = canonicalize(entry_object(rec)).decode()
        return render(
            request,
            "ledger/entry.html",
            rec=rec,
            leaf=leaf.hex(),
            head=head,
            proof=proof,
            proof_ok=proof_ok,
            canonical=canonical,
            pretty=json.dumps(entry_object(rec), ensure_ascii=False, indent=2),
            base_url=str(request.base_url).rstrip("/"),
        )

    return r
