"""The assessment job (任务): load the inputs, run the profile with live progress, store the reports.

The reports' SHA-256 digests are recorded in the ledger together with the assessment's outcome. A
clear failure (a model that crashes, an endpoint that times out, a bad column) fails the job with its
message and marks the assessment failed; nothing half-done is stored as a report.
"""

from __future__ import annotations

from typing import Any

from gongzhi import storage
from gongzhi.assess import predictors, report, tables
from gongzhi.assess.engine import Answer, AssessmentInputs, run_profile
from gongzhi.assess.models import Assessment, AssessmentFile, AssessmentReport
from gongzhi.db.base import utcnow
from gongzhi.db.engine import transaction
from gongzhi.errors import GongzhiError, InvalidInput
from gongzhi.i18n import N_
from gongzhi.identity.principal import SYSTEM
from gongzhi.jobs.context import JobContext
from gongzhi.jobs.kinds import JobKind
from gongzhi.ledger.service import record
from gongzhi.reports.render import digest
from gongzhi.standards import loader


def validate(params: Any) -> dict[str, Any]:
    assessment_id = params.get("assessment_id")
    if not isinstance(assessment_id, int) or isinstance(assessment_id, bool):
        raise InvalidInput(N_("assessment_id must be a whole number."), field="assessment_id")
    return {"assessment_id": assessment_id}


def _file(session: Any, file_id: int | None) -> AssessmentFile | None:
    return session.get(AssessmentFile, file_id) if file_id is not None else None


def run(ctx: JobContext) -> dict[str, Any]:
    settings = ctx.settings
    with ctx.factory() as session:
        assessment = session.get(Assessment, ctx.params["assessment_id"])
        if assessment is None:
            raise GongzhiError(N_("No assessment {id}."), id=ctx.params["assessment_id"])
        data, model, train = (
            _file(session, assessment.data_file_id),
            _file(session, assessment.model_file_id),
            _file(session, assessment.train_file_id),
        )
        session.expunge_all()
    assert data is not None
    try:
        profile = loader.get(assessment.profile_id, settings.profile_dirs, kind="assessment")
        if profile.sha256 != assessment.profile_sha256:
            raise GongzhiError(N_("The profile {id} changed since the assessment was requested."), id=profile.id)
        ctx.progress(0.01, N_("Reading the data"))
        frame = tables.read_table(storage.path_of(settings, data.sha256), name=data.name)
        predictor = None
        model_info = None
        if model is not None:
            predictor = predictors.load_model(storage.path_of(settings, model.sha256), name=model.name)
            model_info = {"kind": model.format, "name": model.name, "sha256": model.sha256}
        elif assessment.endpoint:
            predictor = predictors.EndpointPredictor(
                assessment.endpoint,
                features=assessment.params.get("features") or None,
                timeout=settings.assess_endpoint_timeout_seconds,
            )
            model_info = {"kind": "endpoint", "url": assessment.endpoint}
        params = assessment.params
        inputs = AssessmentInputs(
            data=frame,
            target=params["target"],
            prediction=params.get("prediction"),
            score=params.get("score"),
            sensitive=list(params.get("sensitive") or []),
            features=list(params.get("features") or []) or None,
            predictor=predictor,
            train=tables.read_table(storage.path_of(settings, train.sha256), name=train.name) if train else None,
            pos_label=params.get("pos_label"),
            seed=int(params.get("seed") or 0),
            title=assessment.title,
            data_info={"name": data.name, "sha256": data.sha256, "rows": frame.height},
            model_info=model_info,
        )
        answers = {
            k: Answer(
                v["answer"],
                v.get("elaboration", ""),
                [{"name": e["name"], "sha256": e["sha256"]} for e in v.get("evidence", [])],
            )
            for k, v in assessment.answers.items()
        }

        def progress(fraction: float, message: str, params: dict[str, Any]) -> None:
            ctx.progress(0.9 * fraction, message, **params)

        result = run_profile(profile, inputs, answers=answers, progress=progress)
        ctx.progress(0.92, N_("Rendering the reports"))
        outputs: list[tuple[str, str | None, bytes]] = [("json", None, report.json_bytes(result))]
        html = report.render(result, assessment.locale)
        outputs.append(("html", assessment.locale, html))
        if settings.assess_pdf_reports:
            ctx.progress(0.95, N_("Rendering the PDF"))
            outputs.append(("pdf", assessment.locale, report.render(result, assessment.locale, pdf=True)))
    except GongzhiError as exc:
        _fail(ctx, assessment.id, exc.message, exc.params)
        raise
    stored = []
    for fmt, locale, data_bytes in outputs:
        sha, size = storage.put(settings, [data_bytes], max_bytes=max(len(data_bytes), 1))
        assert sha == digest(data_bytes)
        stored.append((fmt, locale, sha, size))
    with transaction(ctx.factory) as session:
        row = session.get(Assessment, assessment.id)
        assert row is not None
        ids = []
        for fmt, locale, sha, size in stored:
            item = AssessmentReport(
                assessment_id=row.id, org_id=row.org_id, format=fmt, locale=locale, sha256=sha, size=size
            )
            session.add(item)
            session.flush()
            ids.append(item.id)
        row.status = "succeeded"
        row.finished_at = utcnow()
        row.summary = {"status": result["summary"]["status"], "tests": result["summary"]["tests"]}
        record(
            session,
            actor=SYSTEM,
            action="assessment.report",
            subject_type="assessment",
            subject_id=row.id,
            payload={
                "status": result["summary"]["status"],
                "profile_id": profile.id,
                "reports": [{"format": f, "locale": loc, "sha256": s} for f, loc, s, _ in stored],
            },
        )
    ctx.result_ref = f"/assess/{assessment.id}"
    return {"assessment_id": assessment.id, "status": result["summary"]["status"], "reports": ids}


def _fail(ctx: JobContext, assessment_id: int, message: str, params: dict[str, Any]) -> None:
    with transaction(ctx.factory) as session:
        row = session.get(Assessment, assessment_id)
        if row is None:
            return
        row.status = "failed"
        row.finished_at = utcnow()
        row.error, row.error_params = message, {k: str(v) for k, v in params.items()}
        record(
            session,
            actor=SYSTEM,
            action="assessment.fail",
            subject_type="assessment",
            subject_id=row.id,
            payload={"status": "failed"},
        )


RUN = JobKind(id="gongzhi.assess.run@1", run=run, resumable=False, validate=validate)

#: The area's job kinds (``Area.job_kinds``).
KINDS: dict[str, JobKind] = {RUN.id: RUN}
