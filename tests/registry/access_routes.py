"""Access expectations of the register API (targets belong to the enterprise "xinghe")."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from gongzhi.config import Settings
from gongzhi.registry import filings, reviews
from gongzhi.registry.demo import DEMO_PDF
from tests.access import EVERYONE, NOBODY, SIGNED_IN, RouteSpec, Targets
from tests.registry.helpers import as_user, new_system, ready_filing

REGULATORS = frozenset({"operator", "regulator", "officer"})
DECIDERS = frozenset({"operator", "regulator"})


def make_targets(session: Session, settings: Settings) -> dict[str, Any]:
    owner = as_user(session, "xinghe")
    system = new_system(session, owner, name="访问测试系统")
    draft = ready_filing(session, settings, owner, system)
    submitted_system = new_system(session, owner, name="访问测试系统二")
    submitted = ready_filing(session, settings, owner, submitted_system)
    filings.submit_filing(session, owner, submitted.id, declare=True)
    (review,) = reviews.assign_reviewers(
        session,
        as_user(session, "regulator"),
        settings,
        submitted.id,
        expert_ids=[as_user(session, "expert1").user_id or 0],
    )
    reviews.declare_conflict(session, as_user(session, "expert1"), review.id, has_conflict=False)
    return {
        "system": system.id,
        "draft": draft.id,
        "submitted": submitted.id,
        "review": review.id,
        "attachment": draft.attachments[0].id,
    }


def _system_body(_t: Targets, role: str) -> dict[str, Any]:
    return {
        "name": f"新系统-{role}",
        "purpose": "测试",
        "sector": "general",
        "deployment_scope": "internal",
        "region": "示范市",
        "model_kind": "other",
        "algorithm_type": "search_filtering",
    }


def _pdf(_t: Targets, _role: str) -> dict[str, tuple[str, bytes, str]]:
    return {"file": ("a.pdf", DEMO_PDF, "application/pdf")}


ROUTES: dict[tuple[str, str], RouteSpec] = {
    ("POST", "/api/v1/registry/systems"): RouteSpec(
        lambda t: "/api/v1/registry/systems", frozenset({"xinghe", "qingsong"}), _system_body
    ),
    ("GET", "/api/v1/registry/systems"): RouteSpec(
        lambda t: "/api/v1/registry/systems", frozenset({"xinghe", "qingsong"})
    ),
    ("GET", "/api/v1/registry/systems/{system_id}"): RouteSpec(
        lambda t: f"/api/v1/registry/systems/{t.system}", REGULATORS | {"xinghe"}
    ),
    ("PATCH", "/api/v1/registry/systems/{system_id}"): RouteSpec(
        lambda t: f"/api/v1/registry/systems/{t.system}", frozenset({"xinghe"}), lambda t, r: {"region": r}
    ),
    ("POST", "/api/v1/registry/systems/{system_id}/versions"): RouteSpec(
        lambda t: f"/api/v1/registry/systems/{t.system}/versions",
        frozenset({"xinghe"}),
        lambda t, r: {"version": "9.0"},
    ),
    ("GET", "/api/v1/registry/systems/{system_id}/tiering"): RouteSpec(
        lambda t: f"/api/v1/registry/systems/{t.system}/tiering", REGULATORS | {"xinghe"}
    ),
    ("POST", "/api/v1/registry/systems/{system_id}/tiering"): RouteSpec(
        lambda t: f"/api/v1/registry/systems/{t.system}/tiering", REGULATORS | {"xinghe"}
    ),
    ("POST", "/api/v1/registry/filings"): RouteSpec(
        lambda t: "/api/v1/registry/filings", frozenset({"xinghe"}), lambda t, r: {"system_id": t.system}
    ),
    ("GET", "/api/v1/registry/filings"): RouteSpec(
        lambda t: "/api/v1/registry/filings", frozenset({"xinghe", "qingsong"})
    ),
    ("GET", "/api/v1/registry/filings/{filing_id}"): RouteSpec(
        lambda t: f"/api/v1/registry/filings/{t.draft}", REGULATORS | {"xinghe"}
    ),
    ("PUT", "/api/v1/registry/filings/{filing_id}/form"): RouteSpec(
        lambda t: f"/api/v1/registry/filings/{t.draft}/form", frozenset({"xinghe"}), lambda t, r: {"form": {}}
    ),
    ("POST", "/api/v1/registry/filings/{filing_id}/attachments"): RouteSpec(
        lambda t: f"/api/v1/registry/filings/{t.draft}/attachments",
        frozenset({"xinghe"}),
        lambda t, r: {"kind": "evidence"},
        files=_pdf,
    ),
    # The report does not exist: xinghe gets past the policy to a 404 of the assessment area; others are refused.
    ("POST", "/api/v1/registry/filings/{filing_id}/reports"): RouteSpec(
        lambda t: f"/api/v1/registry/filings/{t.draft}/reports", frozenset(), lambda t, r: {"report_id": 999999}
    ),
    ("DELETE", "/api/v1/registry/attachments/{attachment_id}"): RouteSpec(
        lambda t: f"/api/v1/registry/attachments/{t.attachment}", frozenset({"xinghe"})
    ),
    ("GET", "/api/v1/registry/attachments/{attachment_id}"): RouteSpec(
        lambda t: f"/api/v1/registry/attachments/{t.attachment}", REGULATORS | {"xinghe"}
    ),
    ("POST", "/api/v1/registry/filings/{filing_id}/submit"): RouteSpec(
        lambda t: f"/api/v1/registry/filings/{t.draft}/submit", frozenset({"xinghe"}), lambda t, r: {"declare": True}
    ),
    ("POST", "/api/v1/registry/filings/{filing_id}/reviewers"): RouteSpec(
        lambda t: f"/api/v1/registry/filings/{t.submitted}/reviewers", REGULATORS, lambda t, r: {"expert_ids": [5]}
    ),
    ("POST", "/api/v1/registry/filings/{filing_id}/decision"): RouteSpec(
        lambda t: f"/api/v1/registry/filings/{t.submitted}/decision",
        DECIDERS,
        lambda t, r: {"decision": "request_changes", "reason": "补充"},
    ),
    ("GET", "/api/v1/registry/reviews"): RouteSpec(lambda t: "/api/v1/registry/reviews", frozenset({"expert1"})),
    ("POST", "/api/v1/registry/reviews/{review_id}/declaration"): RouteSpec(
        lambda t: f"/api/v1/registry/reviews/{t.review}/declaration",
        frozenset({"expert1"}),
        lambda t, r: {"has_conflict": False},
    ),
    ("POST", "/api/v1/registry/reviews/{review_id}/opinion"): RouteSpec(
        lambda t: f"/api/v1/registry/reviews/{t.review}/opinion",
        frozenset({"expert1"}),
        lambda t, r: {"opinion": "approve", "reasons": "可以"},
    ),
    ("GET", "/api/v1/registry/public/entries"): RouteSpec(lambda t: "/api/v1/registry/public/entries", EVERYONE),
    ("GET", "/api/v1/registry/public/entries/{filing_id}"): RouteSpec(
        lambda t: "/api/v1/registry/public/entries/1", EVERYONE
    ),
    ("GET", "/api/v1/registry/public/export"): RouteSpec(lambda t: "/api/v1/registry/public/export", EVERYONE),
}
_ = (NOBODY, SIGNED_IN)
