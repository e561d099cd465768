"""Builders for register tests: a system, a complete draft filing, a filing taken through review."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from gongzhi.config import Settings
from gongzhi.identity.auth import principal_for
from gongzhi.identity.models import User
from gongzhi.identity.principal import Principal
from gongzhi.registry import filings, reviews, service
from gongzhi.registry.demo import DEMO_PDF, FORM
from gongzhi.registry.models import AISystem, Filing
from gongzhi.registry.schemas import SystemCreate

#: Sentinel values for every confidential field, so a leak is easy to find in any page or response.
SECRETS = {
    "data_sources": "SECRET-DATA-SOURCES-7f3a",
    "technical_contact": "SECRET-CONTACT-7f3a",
    "internal_notes": "SECRET-NOTES-7f3a",
    "monthly_active_users": 987654321,
}
FORM_SECRETS = {
    ("entity", "address"): "SECRET-ADDRESS-7f3a",
    ("entity", "algorithm_safety_officer", "name"): "SECRET-OFFICER-7f3a",
    ("entity", "algorithm_safety_officer", "mobile"): "13900007777",
    ("entity", "algorithm_safety_officer", "email"): "secret-officer-7f3a@example.cn",
    ("entity", "legal_representative", "name"): "SECRET-LEGAL-REP-7f3a",
    ("entity", "legal_representative", "id_number"): "330106199001011234",
    ("algorithm", "model_and_training_data"): "SECRET-TRAINING-DATA-7f3a",
    ("algorithm", "strategy"): "SECRET-STRATEGY-7f3a",
    ("algorithm", "risks_and_safeguards"): "SECRET-RISKS-7f3a",
}


def as_user(session: Session, username: str) -> Principal:
    return principal_for(session.scalars(select(User).where(User.username == username)).one())


def new_system(session: Session, owner: Principal, name: str = "测试智能推荐系统", **overrides: Any) -> AISystem:
    data = SystemCreate.model_validate(
        {
            "name": name,
            "purpose": "为用户推荐资讯内容",
            "sector": "media",
            "deployment_scope": "public_service",
            "region": "示范市",
            "model_kind": "recommender",
            "algorithm_type": "personalised_push",
            "public_opinion": True,
            **SECRETS,
            **overrides,
        }
    )
    return service.create_system(session, owner, data=data)


def secret_form() -> dict[str, Any]:
    form: dict[str, Any] = {k: (dict(v) if isinstance(v, dict) else v) for k, v in FORM.items()}
    form["entity"] = {
        **FORM["entity"],
        "algorithm_safety_officer": dict(FORM["entity"]["algorithm_safety_officer"]),
        "legal_representative": {},
    }
    form["algorithm"] = dict(FORM["algorithm"])
    for path, value in FORM_SECRETS.items():
        node = form
        for part in path[:-1]:
            node = node.setdefault(part, {})
        node[path[-1]] = value
    return form


def ready_filing(session: Session, settings: Settings, owner: Principal, system: AISystem) -> Filing:
    filing = filings.create_filing(session, owner, system_id=system.id)
    filings.update_form(session, owner, filing.id, form=secret_form())
    filings.add_attachment(
        session, owner, settings, filing.id, kind="self_assessment", filename="自评估.pdf", chunks=[DEMO_PDF]
    )
    return filing


def approved_filing(
    session: Session, settings: Settings, username: str = "xinghe", name: str = "测试智能推荐系统"
) -> Filing:
    owner = as_user(session, username)
    filing = ready_filing(session, settings, owner, new_system(session, owner, name))
    filings.submit_filing(session, owner, filing.id, declare=True)
    regulator = as_user(session, "regulator")
    experts = [as_user(session, "expert1"), as_user(session, "expert2")]
    assigned = reviews.assign_reviewers(
        session, regulator, settings, filing.id, expert_ids=[e.user_id or 0 for e in experts]
    )
    for review, expert in zip(assigned, experts, strict=True):
        reviews.declare_conflict(session, expert, review.id, has_conflict=False)
        reviews.give_opinion(session, expert, review.id, opinion="approve", reasons="符合要求")
    return reviews.decide(session, regulator, settings, filing.id, decision="approve", reason="予以备案")
