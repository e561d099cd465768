"""Assessment use cases: upload files, list profiles, start an assessment, read it and its reports.

Every function takes the session and the acting principal, asks the policy, and records each change
in the ledger in the same transaction. Reports are attachable to a filing through
:func:`report_for_filing` (metadata the actor may see) and :func:`report_bytes` (the file).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, BinaryIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from gongzhi import storage
from gongzhi.assess import predictors, tables
from gongzhi.assess.access import can_see
from gongzhi.assess.models import Assessment, AssessmentFile, AssessmentReport
from gongzhi.config import Settings
from gongzhi.db.pagination import Page, paginate
from gongzhi.errors import InvalidInput, NotFound
from gongzhi.i18n import N_
from gongzhi.identity import policy
from gongzhi.identity.principal import Principal
from gongzhi.jobs.service import submit_job
from gongzhi.ledger.service import record
from gongzhi.standards import loader

RUN_KIND = "gongzhi.assess.run@1"
ROLES = ("data", "model", "evidence")


def list_profiles(actor: Principal, settings: Settings) -> list[loader.Profile]:
    """The assessment profiles (published standards: readable by everyone)."""
    policy.authorize(actor, "assessment.profiles")
    return loader.of_kind("assessment", settings.profile_dirs)


def get_profile(actor: Principal, settings: Settings, profile_id: str) -> loader.Profile:
    policy.authorize(actor, "assessment.profiles")
    try:
        return loader.get(profile_id, settings.profile_dirs, kind="assessment")
    except loader.ProfileError:
        raise NotFound(N_("No assessment profile {id}."), id=profile_id) from None


def upload_file(
    session: Session,
    actor: Principal,
    settings: Settings,
    *,
    role: str,
    name: str,
    stream: BinaryIO | Iterable[bytes],
) -> AssessmentFile:
    """Store an uploaded file by its SHA-256 and describe it; models are checked (pickles refused)."""
    policy.authorize(actor, "assessment.upload")
    if role not in ROLES:
        raise InvalidInput(N_("The file role must be data, model or evidence."), field="role")
    name = (name or "upload").replace("/", "_").replace("\\", "_")[-200:]
    chunks = iter(lambda: stream.read(storage.CHUNK), b"") if hasattr(stream, "read") else stream
    sha, size = storage.put(settings, chunks, max_bytes=settings.assess_max_upload_bytes)
    path = storage.path_of(settings, sha)
    columns: list[str] = []
    rows: int | None = None
    if role == "data":
        fmt = tables.detect_format(path, name=name)
        if fmt == "parquet":
            columns, rows = tables.table_columns(path), tables.parquet_rows(path)
        else:
            frame = tables.read_table(path, name=name)
            columns, rows = frame.columns, frame.height
    elif role == "model":
        fmt = predictors.model_kind(path, name=name)
    else:
        fmt = "other"
    item = AssessmentFile(
        org_id=actor.org_id,
        created_by_id=actor.user_id,
        role=role,
        name=name,
        sha256=sha,
        size=size,
        format=fmt,
        columns=columns,
        rows=rows,
    )
    session.add(item)
    session.flush()
    record(
        session,
        actor=actor,
        action="assessment.upload",
        subject_type="assessment_file",
        subject_id=item.id,
        payload={"role": role, "sha256": sha, "size": size, "format": fmt},
    )
    return item


def get_file(session: Session, actor: Principal, file_id: int) -> AssessmentFile:
    item = session.get(AssessmentFile, file_id)
    if item is None:
        policy.authorize(actor, "assessment.list")
        raise NotFound(N_("No uploaded file {id}."), id=file_id)
    policy.authorize(actor, "assessment.read", item)
    return item


def list_files(
    session: Session, actor: Principal, *, role: str | None = None, cursor: str | None = None, limit: int = 50
) -> Page[AssessmentFile]:
    policy.authorize(actor, "assessment.list")
    stmt = select(AssessmentFile)
    if not policy.is_operator(actor):
        stmt = stmt.where(AssessmentFile.org_id == actor.org_id)
    if role:
        stmt = stmt.where(AssessmentFile.role == role)
    return paginate(session, stmt, key=AssessmentFile.id, cursor=cursor, limit=limit)


@dataclass(frozen=True)
class AnswerInput:
    answer: str
    elaboration: str = ""
    evidence: tuple[int, ...] = ()


def create_assessment(
    session: Session,
    actor: Principal,
    settings: Settings,
    *,
    profile_id: str,
    data_file_id: int,
    target: str,
    prediction: str | None = None,
    score: str | None = None,
    sensitive: list[str] | None = None,
    features: list[str] | None = None,
    model_file_id: int | None = None,
    train_file_id: int | None = None,
    endpoint: str | None = None,
    pos_label: str | None = None,
    answers: dict[str, AnswerInput] | None = None,
    title: str = "",
    locale: str = "zh_CN",
    seed: int = 0,
) -> Assessment:
    """Check the request and queue the assessment job (任务); its report comes when the job ends."""
    policy.authorize(actor, "assessment.create")
    profile = get_profile(actor, settings, profile_id)
    data = get_file(session, actor, data_file_id)
    if data.role != "data":
        raise InvalidInput(N_("File {id} is not a data file."), field="data_file_id", id=data_file_id)
    sensitive = [s for s in (sensitive or []) if s]
    features = [f for f in (features or []) if f]
    tables.require_columns(data.columns, [target, *sensitive, *features, *[c for c in (prediction, score) if c]])
    if model_file_id is not None and endpoint:
        raise InvalidInput(N_("Give either a model or an endpoint, not both."), field="endpoint")
    if model_file_id is None and not endpoint and not prediction:
        raise InvalidInput(N_("Give a prediction column, a model or an endpoint."), field="prediction")
    if model_file_id is not None and get_file(session, actor, model_file_id).role != "model":
        raise InvalidInput(N_("File {id} is not a model."), field="model_file_id", id=model_file_id)
    if train_file_id is not None and get_file(session, actor, train_file_id).role != "data":
        raise InvalidInput(N_("File {id} is not a data file."), field="train_file_id", id=train_file_id)
    if endpoint and not endpoint.startswith(("http://", "https://")):
        raise InvalidInput(N_("The endpoint must be an http:// or https:// URL."), field="endpoint")
    if locale not in ("zh_CN", "en"):
        raise InvalidInput(N_("The report language must be zh_CN or en."), field="locale")
    checks = {c.id for c in profile.body.process_checks}
    stored: dict[str, Any] = {}
    for check_id, given in (answers or {}).items():
        if check_id not in checks:
            raise InvalidInput(N_("The profile has no process check {id}."), field="answers", id=check_id)
        if given.answer not in ("yes", "no", "not_applicable"):
            raise InvalidInput(
                N_("Answer of {check} must be yes, no or not_applicable."), field="answers", check=check_id
            )
        evidence = []
        for file_id in given.evidence:
            item = get_file(session, actor, file_id)
            evidence.append({"file_id": item.id, "name": item.name, "sha256": item.sha256})
        stored[check_id] = {"answer": given.answer, "elaboration": given.elaboration[:4000], "evidence": evidence}
    assessment = Assessment(
        org_id=actor.org_id,
        created_by_id=actor.user_id,
        title=title[:200],
        profile_id=profile.id,
        profile_sha256=profile.sha256,
        data_file_id=data.id,
        model_file_id=model_file_id,
        train_file_id=train_file_id,
        endpoint=endpoint or None,
        params={
            "target": target,
            "prediction": prediction or None,
            "score": score or None,
            "sensitive": sensitive,
            "features": features,
            "pos_label": pos_label or None,
            "seed": seed,
        },
        answers=stored,
        locale=locale,
        status="queued",
    )
    session.add(assessment)
    session.flush()
    job = submit_job(session, actor, kind=RUN_KIND, params={"assessment_id": assessment.id})
    assessment.job_id = job.id
    record(
        session,
        actor=actor,
        action="assessment.create",
        subject_type="assessment",
        subject_id=assessment.id,
        payload={
            "profile_id": profile.id,
            "profile_sha256": profile.sha256,
            "data_sha256": data.sha256,
            "job_id": job.id,
        },
    )
    return assessment


def get_assessment(session: Session, actor: Principal, assessment_id: int) -> Assessment:
    assessment = session.get(Assessment, assessment_id)
    if assessment is None:
        policy.authorize(actor, "assessment.list")
        raise NotFound(N_("No assessment {id}."), id=assessment_id)
    policy.authorize(actor, "assessment.read", assessment)
    return assessment


def list_assessments(
    session: Session, actor: Principal, *, cursor: str | None = None, limit: int = 50
) -> Page[Assessment]:
    """The assessments of the actor's organisation (all of them for the operators), newest last."""
    policy.authorize(actor, "assessment.list")
    stmt = select(Assessment)
    if not policy.is_operator(actor):
        stmt = stmt.where(Assessment.org_id == actor.org_id)
    return paginate(session, stmt, key=Assessment.id, cursor=cursor, limit=limit)


def reports_of(session: Session, actor: Principal, assessment_id: int) -> list[AssessmentReport]:
    assessment = get_assessment(session, actor, assessment_id)
    return list(
        session.scalars(
            select(AssessmentReport)
            .where(AssessmentReport.assessment_id == assessment.id)
            .order_by(AssessmentReport.id)
        )
    )


def get_report(session: Session, actor: Principal, report_id: int) -> AssessmentReport:
    report = session.get(AssessmentReport, report_id)
    if report is None:
        policy.authorize(actor, "assessment.list")
        raise NotFound(N_("No report {id}."), id=report_id)
    policy.authorize(actor, "assessment.read", report)
    return report


@dataclass(frozen=True)
class ReportRef:
    """What a filing needs to cite a report (评估报告): its digest, title, profile, time and owner."""

    report_id: int
    assessment_id: int
    sha256: str
    title: str
    profile_id: str
    format: str
    locale: str | None
    created_at: dt.datetime
    org_id: int | None


def report_for_filing(session: Session, actor: Principal, report_id: int) -> ReportRef:
    """A report the actor may see, described for attaching to a filing (备案). NotFound otherwise."""
    report = get_report(session, actor, report_id)
    assessment = session.get(Assessment, report.assessment_id)
    assert assessment is not None
    return ReportRef(
        report_id=report.id,
        assessment_id=assessment.id,
        sha256=report.sha256,
        title=assessment.title or assessment.profile_id,
        profile_id=assessment.profile_id,
        format=report.format,
        locale=report.locale,
        created_at=report.created_at,
        org_id=report.org_id,
    )


def report_bytes(
    session: Session, actor: Principal, settings: Settings, report_id: int
) -> tuple[AssessmentReport, bytes]:
    """The report file itself (checked against its recorded SHA-256)."""
    report = get_report(session, actor, report_id)
    with storage.open_blob(settings, report.sha256) as f:
        data = f.read()
    return report, data


def visible(actor: Principal, item: Any) -> bool:
    """Whether the actor may see an assessment, file or report (for links on other areas' pages)."""
    return can_see(actor, item)
