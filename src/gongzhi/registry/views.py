"""Register pages: the public register; my systems and the filing wizard (enterprise); the queue with
assignment and decision (regulator); my reviews (expert)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any, TypeVar

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile

from gongzhi.errors import InvalidInput
from gongzhi.i18n import N_
from gongzhi.identity import policy
from gongzhi.identity.principal import Principal
from gongzhi.ledger import service as ledger
from gongzhi.registry import fields, filings, register, reminders, reviews, service
from gongzhi.registry.api import upload_chunks
from gongzhi.registry.forms import FilingForm, missing_required
from gongzhi.registry.schemas import SystemCreate
from gongzhi.registry.workflow import PUBLIC_STATES, FilingState
from gongzhi.web.deps import DB, Caller, csrf_protect, get_settings
from gongzhi.web.forms import submit
from gongzhi.web.templating import render

CSRF = [Depends(csrf_protect)]
PRODUCT_ROWS = 3
BOOL_FIELDS = (
    "public_opinion",
    "social_mobilisation",
    "processes_personal_info",
    "processes_sensitive_personal_info",
    "automated_decisions",
    "interacts_with_people",
    "general_purpose_model",
)


def labels() -> dict[str, Any]:
    return {
        "algorithm_types": fields.ALGORITHM_TYPE_LABELS,
        "sectors": fields.SECTOR_LABELS,
        "scopes": fields.SCOPE_LABELS,
        "model_kinds": fields.MODEL_KIND_LABELS,
        "eu_areas": fields.EU_AREA_LABELS,
        "eu_practices": fields.EU_PRACTICE_LABELS,
        "state_labels": STATE_LABELS,
        "decision_labels": DECISION_LABELS,
    }


DECISION_LABELS = {
    "approve": N_("Approve"),
    "reject": N_("Reject"),
    "request_changes": N_("Request changes"),
    "suspend": N_("Suspend"),
    "reinstate": N_("Reinstate"),
    "revoke": N_("Revoke"),
}

STATE_LABELS = {
    "draft": N_("Draft"),
    "submitted": N_("Submitted"),
    "under_review": N_("Under review"),
    "changes_requested": N_("Changes requested"),
    "approved": N_("Approved"),
    "rejected": N_("Rejected"),
    "suspended": N_("Suspended"),
    "revoked": N_("Revoked"),
}


def system_from_form(form: Any) -> SystemCreate:
    """A SystemCreate from an HTML form (checkboxes are present only when ticked)."""
    data: dict[str, Any] = {
        k: str(form.get(k, "")).strip()
        for k in (
            "name",
            "name_en",
            "purpose",
            "sector",
            "deployment_scope",
            "region",
            "expected_users",
            "model_kind",
            "algorithm_type",
            "data_sources",
            "technical_contact",
            "internal_notes",
            "version",
        )
    }
    data["name_en"] = data["name_en"] or None
    data["version"] = data["version"] or "1.0"
    for name in BOOL_FIELDS:
        data[name] = form.get(name) == "on"
    data["eu_annex_iii_area"] = str(form.get("eu_annex_iii_area", "")) or None
    data["eu_practices"] = [str(p) for p in form.getlist("eu_practices")]
    mau = str(form.get("monthly_active_users", "")).strip()
    data["monthly_active_users"] = int(mau) if mau.isdigit() else None
    try:
        return SystemCreate.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise InvalidInput(
            N_("The form field {field} is not valid: {error}"), field=str(first["loc"][-1]), error=first["msg"]
        ) from None


def filing_form_from(form: Any) -> dict[str, Any]:
    """The nested filing form from flat HTML field names like ``entity.uscc`` and ``products-0-name``."""
    data: dict[str, Any] = FilingForm().model_dump(mode="json")
    for key, value in form.multi_items():
        if "." not in key or key == "csrf_token":
            continue
        node = data
        *parents, leaf = key.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        if leaf in ("input_modalities", "output_modalities"):
            node[leaf] = [v.strip() for v in str(value).split(",") if v.strip()]
        else:
            node[leaf] = str(value)
    if not data["algorithm"].get("launch_date"):
        data["algorithm"]["launch_date"] = None
    products = []
    for i in range(PRODUCT_ROWS):
        name = str(form.get(f"products-{i}-name", "")).strip()
        if name:
            products.append(
                {
                    "name": name,
                    "service_form": str(form.get(f"products-{i}-service_form", "")),
                    "access_url": str(form.get(f"products-{i}-access_url", "")),
                    "target_users": str(form.get(f"products-{i}-target_users", "")),
                    "real_name_required": form.get(f"products-{i}-real_name_required") == "on",
                }
            )
    data["products"] = products
    return data


E = TypeVar("E", bound=StrEnum)


def choice(enum: type[E], value: str, field: str) -> E | None:
    """An optional enum value from a query string ("" means none)."""
    if not value:
        return None
    try:
        return enum(value)
    except ValueError:
        raise InvalidInput(N_("Unknown value {value} for {field}."), field=field, value=value[:40]) from None


def router() -> APIRouter:
    r = APIRouter(include_in_schema=False)

    # --------------------------------------------------------------------- public register

    @r.get("/register")
    def public_register(
        request: Request,
        caller: Caller,
        session: DB,
        q: str | None = Query(None, max_length=100),
        algorithm_type_: str = Query("", alias="algorithm_type", max_length=40),
        sector_: str = Query("", alias="sector", max_length=40),
        state_: str = Query("", alias="state", max_length=40),
        cursor: str | None = None,
    ) -> Response:
        # The filter form sends "" for "all"; anything else must be a known value.
        algorithm_type = choice(fields.AlgorithmType, algorithm_type_, "algorithm_type")
        sector = choice(fields.Sector, sector_, "sector")
        state = choice(FilingState, state_, "state")
        page, total = register.search(
            session,
            caller,
            q=q,
            algorithm_type=algorithm_type,
            sector=sector,
            state=state,
            cursor=cursor,
            limit=25,
            with_total=True,
        )
        query = {
            "q": q or "",
            "algorithm_type": algorithm_type.value if algorithm_type else "",
            "sector": sector.value if sector else "",
            "state": state.value if state else "",
        }
        return render(
            request,
            "registry/register.html",
            entries=page.items,
            next_cursor=page.next_cursor,
            total=total,
            query=query,
            public_states=sorted(s.value for s in PUBLIC_STATES),
            **labels(),
        )

    @r.get("/register/{filing_id}")
    def public_entry(filing_id: int, request: Request, caller: Caller, session: DB) -> Response:
        entry = register.get_entry(session, caller, filing_id)
        return render(request, "registry/register_entry.html", entry=entry, **labels())

    # --------------------------------------------------------------------------- systems

    @r.get("/registry/systems")
    def my_systems(request: Request, caller: Caller, session: DB) -> Response:
        page = service.list_systems(session, caller, mine=True, limit=500)
        mine = filings.list_filings(session, caller, mine=True, limit=500).items
        return render(
            request,
            "registry/systems.html",
            systems=page.items,
            filings=mine,
            reminders=reminders.for_user(session, caller),
            **labels(),
        )

    @r.get("/registry/systems/new")
    def new_system(request: Request, caller: Caller) -> Response:
        policy.authorize(caller, "system.create")
        return render(request, "registry/system_form.html", error=None, form={}, **labels())

    @r.post("/registry/systems", dependencies=CSRF)
    async def create_system(request: Request, caller: Caller, session: DB) -> Response:
        form = await request.form()
        settings = get_settings(request)

        def create() -> int:
            profiles = service.configured_tiering_profiles(settings)
            return service.create_system(session, caller, data=system_from_form(form), profiles=profiles).id

        out = submit(request, session, create)
        if out.value is None:
            return render(
                request,
                "registry/system_form.html",
                status_code=out.status,
                error=out.error,
                form=dict(form),
                **labels(),
            )
        return RedirectResponse(f"/registry/systems/{out.value}", status_code=303)

    @r.get("/registry/systems/{system_id}")
    def system_page(system_id: int, request: Request, caller: Caller, session: DB) -> Response:
        system = service.get_system(session, caller, system_id)
        system_filings = [
            f
            for f in filings.list_filings(
                session, caller, mine=not policy.allows(caller, "filing.queue"), limit=500
            ).items
            if f.system_id == system.id
        ]
        return render(
            request,
            "registry/system.html",
            system=system,
            filings=system_filings,
            tiering=service.tiering_history(session, caller, system.id),
            can_edit=policy.allows(caller, "system.update", system),
            trail=ledger.trail(session, caller, "ai_system", system.id),
            **labels(),
        )

    @r.post("/registry/systems/{system_id}/versions", dependencies=CSRF)
    async def add_version(system_id: int, request: Request, caller: Caller, session: DB) -> Response:
        form = await request.form()
        out = submit(
            request,
            session,
            lambda: service.add_version(
                session, caller, system_id, version=str(form.get("version", "")), changes=str(form.get("changes", ""))
            ),
        )
        if out.value is None:
            return render(request, "error.html", status_code=out.status, title=out.error, detail=out.error)
        return RedirectResponse(f"/registry/systems/{system_id}", status_code=303)

    @r.post("/registry/systems/{system_id}/filings", dependencies=CSRF)
    async def start_filing(system_id: int, request: Request, caller: Caller, session: DB) -> Response:
        form = await request.form()
        version = str(form.get("version", "")) or None
        out = submit(
            request, session, lambda: filings.create_filing(session, caller, system_id=system_id, version=version).id
        )
        if out.value is None:
            return render(request, "error.html", status_code=out.status, title=out.error, detail=out.error)
        return RedirectResponse(f"/registry/filings/{out.value}", status_code=303)

    # --------------------------------------------------------------------------- filings

    def filing_page(
        request: Request,
        caller: Principal,
        session: Session,
        filing_id: int,
        *,
        error: str | None = None,
        status_code: int = 200,
    ) -> Response:
        filing = filings.get_filing(session, caller, filing_id)
        view = filings.filing_out(caller, filing)
        parsed = FilingForm.model_validate(filing.form)
        return render(
            request,
            "registry/filing.html",
            status_code=status_code,
            filing=filing,
            view=view,
            error=error,
            form=filing.form,
            missing=missing_required(parsed),
            product_rows=range(PRODUCT_ROWS),
            can_edit=policy.allows(caller, "filing.edit", filing)
            and filing.state.value in ("draft", "changes_requested"),
            can_submit=policy.allows(caller, "filing.submit", filing),
            can_assign=policy.allows(caller, "review.assign", filing),
            can_decide=policy.allows(caller, "filing.decide", filing),
            experts=reviews.eligible_experts(session, caller, filing),
            attachment_kinds=ATTACHMENT_KIND_LABELS,
            trail=ledger.trail(session, caller, "filing", filing.id),
            **labels(),
        )

    @r.get("/registry/filings/{filing_id}")
    def filing_detail(filing_id: int, request: Request, caller: Caller, session: DB) -> Response:
        return filing_page(request, caller, session, filing_id)

    @r.post("/registry/filings/{filing_id}/form", dependencies=CSRF)
    async def save_form(filing_id: int, request: Request, caller: Caller, session: DB) -> Response:
        data = filing_form_from(await request.form())
        out = submit(request, session, lambda: filings.update_form(session, caller, filing_id, form=data))
        if out.value is None:
            return filing_page(request, caller, session, filing_id, error=out.error, status_code=out.status)
        return RedirectResponse(f"/registry/filings/{filing_id}#form", status_code=303)

    @r.post("/registry/filings/{filing_id}/attachments", dependencies=CSRF)
    async def upload(filing_id: int, request: Request, caller: Caller, session: DB) -> Response:
        form = await request.form()
        file = form.get("file")
        kind = str(form.get("kind", ""))
        if not isinstance(file, UploadFile) or not file.filename:
            return filing_page(
                request, caller, session, filing_id, status_code=422, error=_t(request, N_("Choose a file to attach."))
            )
        out = submit(
            request,
            session,
            lambda: filings.add_attachment(
                session,
                caller,
                get_settings(request),
                filing_id,
                kind=kind,
                filename=file.filename or "",
                chunks=upload_chunks(file),
            ),
        )
        if out.value is None:
            return filing_page(request, caller, session, filing_id, error=out.error, status_code=out.status)
        return RedirectResponse(f"/registry/filings/{filing_id}#attachments", status_code=303)

    @r.post("/registry/filings/{filing_id}/reports", dependencies=CSRF)
    async def attach_report(filing_id: int, request: Request, caller: Caller, session: DB) -> Response:
        form = await request.form()
        report_id = str(form.get("report_id", "")).strip()
        out = submit(
            request,
            session,
            lambda: filings.attach_report(
                session,
                caller,
                get_settings(request),
                filing_id,
                report_id=int(report_id) if report_id.isdigit() else _no_report(),
            ),
        )
        if out.value is None:
            return filing_page(request, caller, session, filing_id, error=out.error, status_code=out.status)
        return RedirectResponse(f"/registry/filings/{filing_id}#attachments", status_code=303)

    @r.post("/registry/attachments/{attachment_id}/remove", dependencies=CSRF)
    def remove(attachment_id: int, request: Request, caller: Caller, session: DB) -> Response:
        filing_id = filings.get_attachment(session, caller, attachment_id).filing_id
        filings.remove_attachment(session, caller, attachment_id)
        return RedirectResponse(f"/registry/filings/{filing_id}#attachments", status_code=303)

    @r.post("/registry/filings/{filing_id}/submit", dependencies=CSRF)
    async def submit_filing(filing_id: int, request: Request, caller: Caller, session: DB) -> Response:
        form = await request.form()
        out = submit(
            request,
            session,
            lambda: filings.submit_filing(session, caller, filing_id, declare=form.get("declare") == "on"),
        )
        if out.value is None:
            return filing_page(request, caller, session, filing_id, error=out.error, status_code=out.status)
        return RedirectResponse(f"/registry/filings/{filing_id}", status_code=303)

    @r.post("/registry/filings/{filing_id}/reviewers", dependencies=CSRF)
    async def assign(filing_id: int, request: Request, caller: Caller, session: DB) -> Response:
        form = await request.form()
        ids = [int(str(v)) for v in form.getlist("expert_ids") if str(v).isdigit()]
        out = submit(
            request,
            session,
            lambda: reviews.assign_reviewers(session, caller, get_settings(request), filing_id, expert_ids=ids),
        )
        if out.value is None:
            return filing_page(request, caller, session, filing_id, error=out.error, status_code=out.status)
        return RedirectResponse(f"/registry/filings/{filing_id}", status_code=303)

    @r.post("/registry/filings/{filing_id}/decision", dependencies=CSRF)
    async def decide(filing_id: int, request: Request, caller: Caller, session: DB) -> Response:
        form = await request.form()
        out = submit(
            request,
            session,
            lambda: reviews.decide(
                session,
                caller,
                get_settings(request),
                filing_id,
                decision=str(form.get("decision", "")),
                reason=str(form.get("reason", "")),
            ),
        )
        if out.value is None:
            return filing_page(request, caller, session, filing_id, error=out.error, status_code=out.status)
        return RedirectResponse(f"/registry/filings/{filing_id}", status_code=303)

    @r.get("/registry/queue")
    def queue(request: Request, caller: Caller, session: DB, state: FilingState | None = None) -> Response:
        states = [state] if state else [FilingState.submitted, FilingState.under_review, FilingState.changes_requested]
        page = filings.list_filings(session, caller, mine=False, states=states, limit=500)
        due = [
            f
            for f in filings.list_filings(session, caller, mine=False, states=[FilingState.approved], limit=500).items
            if f.reassessment_due_at and f.reassessment_due_at <= _soon()
        ]
        return render(
            request,
            "registry/queue.html",
            items=page.items,
            state=state,
            reassessment_due=due,
            all_states=[s.value for s in FilingState],
            now=dt.datetime.now(dt.UTC),
            **labels(),
        )

    # --------------------------------------------------------------------------- reviews

    @r.get("/registry/reviews")
    def my_reviews(request: Request, caller: Caller, session: DB) -> Response:
        items = reviews.my_reviews(session, caller, limit=500).items
        return render(
            request,
            "registry/reviews.html",
            items=items,
            reminders=reminders.for_user(session, caller),
            now=dt.datetime.now(dt.UTC),
            **labels(),
        )

    def review_page(
        request: Request,
        caller: Principal,
        session: Session,
        review_id: int,
        *,
        error: str | None = None,
        status_code: int = 200,
    ) -> Response:
        review = reviews.get_review(session, caller, review_id)
        view = filings.filing_out(caller, review.filing)
        return render(
            request,
            "registry/review.html",
            status_code=status_code,
            review=review,
            view=view,
            filing=review.filing,
            error=error,
            **labels(),
        )

    @r.get("/registry/reviews/{review_id}")
    def review_detail(review_id: int, request: Request, caller: Caller, session: DB) -> Response:
        return review_page(request, caller, session, review_id)

    @r.post("/registry/reviews/{review_id}/declaration", dependencies=CSRF)
    async def declare(review_id: int, request: Request, caller: Caller, session: DB) -> Response:
        form = await request.form()
        out = submit(
            request,
            session,
            lambda: reviews.declare_conflict(
                session,
                caller,
                review_id,
                has_conflict=form.get("has_conflict") == "yes",
                statement=str(form.get("statement", "")),
            ),
        )
        if out.value is None:
            return review_page(request, caller, session, review_id, error=out.error, status_code=out.status)
        return RedirectResponse(f"/registry/reviews/{review_id}", status_code=303)

    @r.post("/registry/reviews/{review_id}/opinion", dependencies=CSRF)
    async def opinion(review_id: int, request: Request, caller: Caller, session: DB) -> Response:
        form = await request.form()
        out = submit(
            request,
            session,
            lambda: reviews.give_opinion(
                session, caller, review_id, opinion=str(form.get("opinion", "")), reasons=str(form.get("reasons", ""))
            ),
        )
        if out.value is None:
            return review_page(request, caller, session, review_id, error=out.error, status_code=out.status)
        return RedirectResponse(f"/registry/reviews/{review_id}", status_code=303)

    @r.post("/registry/reminders/{reminder_id}/dismiss", dependencies=CSRF)
    def dismiss(reminder_id: int, request: Request, caller: Caller, session: DB) -> Response:
        reminders.dismiss(session, caller, reminder_id)
        return RedirectResponse(request.headers.get("referer", "/") if _local(request) else "/", status_code=303)

    return r


ATTACHMENT_KIND_LABELS = {
    "self_assessment": N_("Algorithm safety self-assessment report"),
    "model_card": N_("Model card"),
    "assessment_report": N_("Assessment report"),
    "commitment": N_("Commitment letter"),
    "evidence": N_("Other evidence"),
}


def _no_report() -> int:
    raise InvalidInput(N_("Give the number of an assessment report."), field="report_id")


def _soon() -> dt.datetime:
    return dt.datetime.now(dt.UTC) + reminders.REASSESSMENT_WARNING


def _local(request: Request) -> bool:
    referer = request.headers.get("referer", "")
    return referer.startswith(str(request.base_url))


def _t(request: Request, message: str) -> str:
    from gongzhi.i18n import gettext
    from gongzhi.web.deps import request_locale

    return gettext(request_locale(request), message)
