"""Register use cases for AI systems: create, edit, versions, risk tiering with history."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gongzhi.config import Settings
from gongzhi.db.base import utcnow
from gongzhi.db.pagination import Page, paginate
from gongzhi.errors import Conflict, InvalidInput, NotFound
from gongzhi.i18n import N_
from gongzhi.identity import policy
from gongzhi.identity.principal import Principal
from gongzhi.ledger.service import record
from gongzhi.registry import rules
from gongzhi.registry.fields import EuAnnexIIIArea, EuPractice
from gongzhi.registry.models import AISystem, Filing, SystemVersion, TieringRecord
from gongzhi.registry.schemas import SystemCreate, SystemUpdate
from gongzhi.registry.tiering import TieringBody, tier
from gongzhi.registry.workflow import FilingState
from gongzhi.standards import loader
from gongzhi.standards.loader import ProfileError


def system_digest(system: AISystem) -> str:
    """SHA-256 of the system's full record (confidential fields included): the ledger's proof of content."""
    data = {name: getattr(system, name) for name in SystemCreate.model_fields if name != "version"}
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str, ensure_ascii=False).encode()).hexdigest()


def _check_eu(data: dict[str, Any]) -> None:
    area = data.get("eu_annex_iii_area")
    if area and area not in EuAnnexIIIArea.__members__:
        raise InvalidInput(N_("Unknown Annex III area {area}."), field="eu_annex_iii_area", area=area)
    for practice in data.get("eu_practices") or []:
        if practice not in EuPractice.__members__:
            raise InvalidInput(N_("Unknown Art. 5 practice {practice}."), field="eu_practices", practice=practice)


def create_system(
    session: Session,
    actor: Principal,
    *,
    data: SystemCreate,
    org_id: int | None = None,
    profiles: Sequence[loader.Profile] = (),
) -> AISystem:
    """Register an AI system (人工智能系统) of the actor's organisation with its first version; tier it."""
    policy.authorize(actor, "system.create")
    owner = actor.org_id if actor.is_user else org_id
    if owner is None:
        raise InvalidInput(N_("Name the organisation that provides the system."), field="org_id")
    fields = data.model_dump(exclude={"version"})
    _check_eu(fields)
    version = rules.check_version(data.version)
    fields["name"] = fields["name"].strip()
    if session.scalar(select(AISystem.id).where(AISystem.org_id == owner, AISystem.name == fields["name"])):
        raise Conflict(N_("Your organisation already registered a system named {name}."), name=fields["name"])
    system = AISystem(org_id=owner, **fields)
    session.add(system)
    session.flush()
    session.add(SystemVersion(system_id=system.id, version=version))
    session.flush()
    record(
        session,
        actor=actor,
        action="system.create",
        subject_type="ai_system",
        subject_id=system.id,
        payload={
            "org_id": owner,
            "algorithm_type": system.algorithm_type.value,
            "version": version,
            "digest": system_digest(system),
        },
    )
    _retier(session, actor, system, profiles)
    return system


def get_system(session: Session, actor: Principal, system_id: int) -> AISystem:
    """One system's full record, if the actor may see it."""
    system = session.get(AISystem, system_id)
    if system is None:
        policy.authorize(actor, "site.signed_in")  # the public is asked to sign in, whether or not it exists
        raise NotFound(N_("No AI system with id {id}."), id=system_id)
    policy.authorize(actor, "system.read", system)
    return system


def list_systems(
    session: Session, actor: Principal, *, mine: bool = True, cursor: str | None = None, limit: int = 100
) -> Page[AISystem]:
    """The actor's organisation's systems, or (regulator) every system."""
    stmt = select(AISystem)
    if mine:
        policy.authorize(actor, "system.list_own")
        stmt = stmt.where(AISystem.org_id == actor.org_id)
    else:
        policy.authorize(actor, "system.list_all")
    return paginate(session, stmt, key=AISystem.id, cursor=cursor, limit=limit)


def update_system(
    session: Session,
    actor: Principal,
    system_id: int,
    *,
    data: SystemUpdate,
    profiles: Sequence[loader.Profile] = (),
) -> AISystem:
    """Edit a system's record (each change is recorded, with a digest of the new content), re-tiered by ``profiles``."""
    system = get_system(session, actor, system_id)
    policy.authorize(actor, "system.update", system)
    changes = data.model_dump(exclude_unset=True)
    _check_eu(changes)
    changed = [name for name, value in changes.items() if getattr(system, name) != value]
    if changed:
        _apply_update(session, actor, system, changes, changed)
    _retier(session, actor, system, profiles)
    return system


def _apply_update(
    session: Session, actor: Principal, system: AISystem, changes: dict[str, Any], changed: list[str]
) -> None:
    for name in changed:
        setattr(system, name, changes[name])
    system.updated_at = utcnow()
    from gongzhi.registry.register import search_text  # the register module imports this one

    for filing in session.scalars(select(Filing).where(Filing.system_id == system.id, Filing.search_text != "")):
        filing.search_text = search_text(filing)
    record(
        session,
        actor=actor,
        action="system.update",
        subject_type="ai_system",
        subject_id=system.id,
        payload={"fields": sorted(changed), "digest": system_digest(system)},
    )


def add_version(
    session: Session,
    actor: Principal,
    system_id: int,
    *,
    version: str,
    changes: str = "",
    released_on: Any = None,
) -> SystemVersion:
    """Add a version; a new major version makes approved filings due for re-assessment now."""
    system = get_system(session, actor, system_id)
    policy.authorize(actor, "system.update", system)
    label = rules.check_version(version)
    if any(v.version == label for v in system.versions):
        raise Conflict(N_("Version {version} is already registered."), version=label)
    new = SystemVersion(system_id=system.id, version=label, changes=changes.strip(), released_on=released_on)
    session.add(new)
    session.flush()
    due: list[int] = []
    for filing in session.scalars(
        select(Filing).where(Filing.system_id == system.id, Filing.state == FilingState.approved)
    ):
        if rules.is_major_change(filing.version.version, label):
            filing.reassessment_due_at = utcnow()
            due.append(filing.id)
    record(
        session,
        actor=actor,
        action="system.version_add",
        subject_type="ai_system",
        subject_id=system.id,
        payload={"version": label, "reassessment_due_filings": due},
    )
    return new


# ------------------------------------------------------------------------------------------- tiering


def tiering_profiles(profile_dirs: Sequence[Path], profile_ids: Sequence[str]) -> list[loader.Profile]:
    """The tiering profiles in use (unknown ids are a configuration error with a clear message)."""
    try:
        return [loader.get(pid, profile_dirs, kind="tiering") for pid in profile_ids]
    except ProfileError as exc:
        raise InvalidInput(N_("The tiering configuration is not valid: {error}"), error=str(exc)) from exc


def configured_tiering_profiles(settings: Settings) -> list[loader.Profile]:
    """The tiering profiles this instance is configured to use (``registry_tiering_profiles``)."""
    return tiering_profiles(settings.profile_dirs, settings.registry_tiering_profiles)


def retier_system(
    session: Session, actor: Principal, system_id: int, *, profiles: Sequence[loader.Profile]
) -> list[TieringRecord]:
    """Apply every tiering profile to one system; a new history row whenever the facts or the profile changed."""
    system = get_system(session, actor, system_id)
    if not policy.allows(actor, "tiering.rerun_all"):  # the regulator may re-tier any system, owners their own
        policy.authorize(actor, "system.update", system)
    return _retier(session, actor, system, profiles)


def _retier(
    session: Session, actor: Principal, system: AISystem, profiles: Sequence[loader.Profile]
) -> list[TieringRecord]:
    facts = rules.facts_of(system)
    facts_hash = hashlib.sha256(json.dumps(facts, sort_keys=True, default=str).encode()).hexdigest()
    out: list[TieringRecord] = []
    for profile in profiles:
        body: TieringBody = profile.body
        result = tier(body, facts)
        last = latest_tiering(session, system.id, profile.id)
        if last is not None and last.profile_sha256 == profile.sha256 and last.facts_sha256 == facts_hash:
            out.append(last)  # same rules, same facts: same outcome; nothing new to record
            continue
        system.tiers = {**system.tiers, profile.id: result.tier}
        row = TieringRecord(
            system_id=system.id,
            profile_id=profile.id,
            profile_sha256=profile.sha256,
            tier=result.tier,
            rank=result.rank,
            result=result.as_json(),
            facts_sha256=facts_hash,
        )
        session.add(row)
        session.flush()
        record(
            session,
            actor=actor,
            action="system.tier",
            subject_type="ai_system",
            subject_id=system.id,
            payload={
                "profile": profile.id,
                "profile_sha256": profile.sha256,
                "tier": result.tier,
                "rules": [f.id for f in result.fired],
                "previous": last.tier if last else None,
            },
        )
        out.append(row)
    return out


def retier_all(session: Session, actor: Principal, *, profiles: Sequence[loader.Profile]) -> int:
    """Re-tier every system (after a profile changed); returns how many outcomes changed."""
    policy.authorize(actor, "tiering.rerun_all")
    before = session.scalar(select(func.count(TieringRecord.id))) or 0
    for system in session.scalars(select(AISystem).order_by(AISystem.id)):
        _retier(session, actor, system, profiles)
    return (session.scalar(select(func.count(TieringRecord.id))) or 0) - before


def latest_tiering(session: Session, system_id: int, profile_id: str) -> TieringRecord | None:
    """The newest tiering of a system by one profile."""
    return session.scalars(
        select(TieringRecord)
        .where(TieringRecord.system_id == system_id, TieringRecord.profile_id == profile_id)
        .order_by(TieringRecord.id.desc())
        .limit(1)
    ).first()


def tiering_history(session: Session, actor: Principal, system_id: int) -> list[TieringRecord]:
    """Every tiering of a system, newest first."""
    system = get_system(session, actor, system_id)
    return list(
        session.scalars(
            select(TieringRecord).where(TieringRecord.system_id == system.id).order_by(TieringRecord.id.desc())
        )
    )
