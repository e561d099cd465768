"""Running a profile: prepare the inputs, run each test, apply thresholds, score controls and principles.

Pure orchestration (no database, no settings): the CLI calls it directly, the assessment job calls
it inside a worker. The result is the report document (a dict matching ``report_model``), from which
the HTML, PDF and JSON reports are rendered.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import polars as pl

from gongzhi import __version__
from gongzhi.assess.plugins import NotApplicable, TestContext, TestFailed, registry
from gongzhi.assess.predictors import Predictor
from gongzhi.assess.profile import AssessmentProfile
from gongzhi.assess.tables import binary, require_columns
from gongzhi.errors import GongzhiError, InvalidInput
from gongzhi.i18n import N_
from gongzhi.standards.loader import Profile

REPORT_FORMAT = "gongzhi.assess.report@1"
PREDICTION = "__gongzhi_prediction__"
SCORE = "__gongzhi_score__"
Progress = Callable[[float, str, dict[str, Any]], None]
AnswerValue = Literal["yes", "no", "not_applicable"]


@dataclass
class Answer:
    """An answer to a process check (过程核查)."""

    answer: AnswerValue
    elaboration: str = ""
    evidence: list[dict[str, Any]] = field(default_factory=list)  # {"name", "sha256"} of attached files


@dataclass
class AssessmentInputs:
    """Everything an assessment reads; ``data_info``/``model_info`` describe the inputs in the report."""

    data: pl.DataFrame
    target: str
    prediction: str | None = None
    score: str | None = None
    sensitive: list[str] = field(default_factory=list)
    features: list[str] | None = None
    predictor: Predictor | None = None
    train: pl.DataFrame | None = None
    pos_label: Any = None
    task: str | None = None
    seed: int = 0
    title: str = ""
    data_info: dict[str, Any] = field(default_factory=dict)
    model_info: dict[str, Any] | None = None


def detect_task(series: pl.Series) -> str:
    """binary (two values), regression (floats or many integers) or multiclass."""
    distinct = series.drop_nulls().n_unique()
    if distinct <= 2:
        return "binary"
    if series.dtype.is_float() or (series.dtype.is_integer() and distinct > 20):
        return "regression"
    return "multiclass"


def prepare(inputs: AssessmentInputs, progress: Progress) -> TestContext:
    """Check the columns, choose the task, and in model mode fill in the model's predictions."""
    frame = inputs.data
    if frame.height == 0:
        raise InvalidInput(N_("The data has no rows."), field="data")
    named = [inputs.target, *inputs.sensitive]
    named += [c for c in (inputs.prediction, inputs.score) if c]
    require_columns(frame.columns, named)
    task = inputs.task or detect_task(frame[inputs.target])
    if inputs.predictor is None and not inputs.prediction:
        raise InvalidInput(N_("Give a prediction column, a model or an endpoint."), field="prediction")
    pos_label = inputs.pos_label
    if task == "binary":
        _, pos_label = binary(frame[inputs.target], pos_label=inputs.pos_label, role="target")
    prediction, score = inputs.prediction, inputs.score
    features = inputs.features or []
    if inputs.predictor is not None:
        reserved = {inputs.target, inputs.prediction, inputs.score}
        features = inputs.features or inputs.predictor.features or [c for c in frame.columns if c not in reserved]
        require_columns(frame.columns, features)
        progress(0.02, N_("Running the model on {rows} rows"), {"rows": frame.height})
        try:
            predicted = inputs.predictor.predict(frame.select(features))
            proba = inputs.predictor.predict_proba(frame.select(features)) if task == "binary" else None
        except TestFailed as exc:
            raise GongzhiError(exc.message, **exc.params) from None
        if len(predicted) != frame.height:
            raise GongzhiError(
                N_("The model returned {got} predictions for {rows} rows."), got=len(predicted), rows=frame.height
            )
        columns = [pl.Series(PREDICTION, _same_kind(predicted, frame[inputs.target]))]
        prediction = PREDICTION
        if proba is not None and proba.ndim == 1:
            columns.append(pl.Series(SCORE, proba.astype(np.float64)))
            score = SCORE
        frame = frame.with_columns(columns)
        if inputs.train is not None:
            require_columns(inputs.train.columns, [*features, inputs.target])
    return TestContext(
        data=frame,
        target=inputs.target,
        prediction=prediction,
        score=score,
        sensitive=list(inputs.sensitive),
        features=list(features),
        task=task,
        pos_label=pos_label,
        predictor=inputs.predictor,
        train=inputs.train,
        seed=inputs.seed,
    )


def _same_kind(predicted: np.ndarray, target: pl.Series) -> pl.Series:
    """Model output in the target's type, so labels compare equal (e.g. 1.0 from ONNX vs 1)."""
    series = pl.Series(predicted.tolist() if predicted.dtype == object else predicted)
    try:
        return series.cast(target.dtype)
    except Exception:  # noqa: BLE001 - labels of another type stay as they are and are compared as text
        return series


def run_profile(
    profile: Profile,
    inputs: AssessmentInputs,
    *,
    answers: dict[str, Answer] | None = None,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Run every test of ``profile`` on ``inputs``; the report document (JSON-able dict)."""
    report_progress: Progress = progress or (lambda _f, _m, _p: None)
    body: AssessmentProfile = profile.body
    started = time.monotonic()
    ctx = prepare(inputs, report_progress)
    tests = registry()
    results = []
    n = max(len(body.tests), 1)
    for i, spec in enumerate(body.tests):
        plugin = tests.get(spec.test)
        base, span = 0.05 + 0.9 * i / n, 0.9 / n
        report_progress(base, N_("Test {i} of {n}: {test}"), {"i": i + 1, "n": n, "test": spec.test})
        ctx.progress = _scaled(report_progress, base, span, i + 1, n, spec.test)
        results.append(_run_one(plugin, spec, ctx, i))
    checks = _process_checks(body, answers or {})
    controls = _controls(body, results, checks)
    principles = _principles(body, controls)
    counts: dict[str, int] = {}
    for r in results:
        counts[r["status"]] = counts.get(r["status"], 0) + 1
    answered = [c for c in checks if c["answer"] is not None]
    status = "fail" if any(c["status"] == "fail" for c in controls) else "pass"
    if status == "pass" and (
        len(answered) < len(checks) or any(r["status"] in ("error", "inconclusive") for r in results)
    ):
        status = "incomplete"
    report_progress(0.97, N_("Writing the report"), {})
    return {
        "format": REPORT_FORMAT,
        "generated_at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "generator": {"name": "gongzhi", "version": __version__},
        "title": inputs.title,
        "profile": {
            "id": profile.id,
            "version": profile.header.version,
            "title": profile.header.title.model_dump(),
            "sha256": profile.sha256,
            "verification": profile.header.verification,
            "jurisdiction": profile.header.jurisdiction,
            "sources": [s.model_dump() for s in profile.header.sources],
        },
        "subject": {
            "task": ctx.task,
            "target": inputs.target,
            "prediction": inputs.prediction,
            "score": inputs.score,
            "sensitive": list(inputs.sensitive),
            "features": ctx.features,
            "pos_label": _plain(ctx.pos_label),
            "rows": inputs.data.height,
            "data": inputs.data_info,
            "model": inputs.model_info,
            "train_rows": inputs.train.height if inputs.train is not None else None,
        },
        "summary": {
            "status": status,
            "tests": counts,
            "process_checks": {
                "total": len(checks),
                "answered": len(answered),
                "yes": sum(c["answer"] == "yes" for c in checks),
                "no": sum(c["answer"] == "no" for c in checks),
                "not_applicable": sum(c["answer"] == "not_applicable" for c in checks),
            },
            "seconds": round(time.monotonic() - started, 3),
        },
        "principles": principles,
        "controls": controls,
        "tests": results,
        "process_checks": checks,
    }


def _scaled(report: Progress, base: float, span: float, i: int, n: int, test: str) -> Callable[[float], None]:
    """A test's own 0..1 progress mapped into its share of the whole run."""

    def progress(fraction: float) -> None:
        report(
            base + span * min(max(fraction, 0.0), 1.0), N_("Test {i} of {n}: {test}"), {"i": i, "n": n, "test": test}
        )

    return progress


def _plain(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    return value if value is None or isinstance(value, int | float | str | bool) else str(value)


def _run_one(plugin: Any, spec: Any, ctx: TestContext, index: int) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "key": f"t{index + 1}",
        "test": spec.test,
        "family": plugin.family if plugin else None,
        "title": plugin.title if plugin else spec.test,
        "controls": spec.controls,
        "params": spec.params,
        "metrics": {},
        "thresholds": [],
        "details": {},
        "warnings": [],
        "error": None,
    }
    started = time.monotonic()
    try:
        if plugin is None:
            raise TestFailed(N_("No installed test has the id {id}."), id=spec.test)
        if ctx.task not in plugin.tasks:
            raise NotApplicable(N_("This test does not apply to {task} tasks."), task=ctx.task)
        params = plugin.params.model_validate(spec.params)
        outcome = plugin.run(ctx, params)
    except NotApplicable as exc:
        entry.update(status="skipped", error={"message": exc.message, "params": _json(exc.params)})
    except (TestFailed, GongzhiError) as exc:
        entry.update(status="error", error={"message": exc.message, "params": _json(exc.params)})
    except Exception as exc:  # noqa: BLE001 - one broken test must not sink the whole assessment
        entry.update(
            status="error",
            error={
                "message": N_("Unexpected error: {error}"),
                "params": {"error": f"{type(exc).__name__}: {exc}"[:500]},
            },
        )
    else:
        entry["metrics"] = outcome.metrics
        entry["details"] = outcome.details
        entry["warnings"] = [{"message": w["message"], "params": _json(w["params"])} for w in outcome.warnings]
        outcomes = []
        for threshold in spec.thresholds:
            value = outcome.metrics.get(threshold.metric)
            verdict = threshold.check(value)
            outcomes.append(
                {
                    "metric": threshold.metric,
                    "max": threshold.max,
                    "min": threshold.min,
                    "value": value,
                    "outcome": verdict,
                }
            )
        entry["thresholds"] = outcomes
        if not outcomes:
            entry["status"] = "info"
        elif any(o["outcome"] == "fail" for o in outcomes):
            entry["status"] = "fail"
        elif any(o["outcome"] == "undefined" for o in outcomes):
            entry["status"] = "inconclusive"
        else:
            entry["status"] = "pass"
    entry["seconds"] = round(time.monotonic() - started, 3)
    return entry


def _json(params: dict[str, Any]) -> dict[str, Any]:
    return {k: _plain(v) for k, v in params.items()}


def _process_checks(body: AssessmentProfile, answers: dict[str, Answer]) -> list[dict[str, Any]]:
    out = []
    for check in body.process_checks:
        given = answers.get(check.id)
        status = {"yes": "pass", "no": "fail", "not_applicable": "not_applicable"}.get(given.answer) if given else None
        out.append(
            {
                "id": check.id,
                "control": check.control,
                "question": check.question.model_dump(),
                "evidence_type": check.evidence,
                "answer": given.answer if given else None,
                "elaboration": given.elaboration if given else "",
                "evidence": given.evidence if given else [],
                "status": status or "unanswered",
            }
        )
    return out


def _controls(
    body: AssessmentProfile, tests: list[dict[str, Any]], checks: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    out = []
    for control in body.controls:
        evidence = [test for test in tests if control.id in test["controls"]]
        answers = [c for c in checks if c["control"] == control.id]
        statuses = [test["status"] for test in evidence] + [c["status"] for c in answers]
        if "fail" in statuses:
            status = "fail"
        elif any(s in ("error", "inconclusive", "unanswered") for s in statuses):
            status = "incomplete"
        elif "pass" in statuses:
            status = "pass"
        elif statuses and all(s == "not_applicable" for s in statuses):
            status = "not_applicable"
        else:
            status = "not_assessed"
        out.append(
            {
                "id": control.id,
                "title": control.title.model_dump(),
                "principle": control.principle,
                "reference": control.reference,
                "verification": control.verification,
                "status": status,
                "tests": [test["key"] for test in evidence],
                "process_checks": [c["id"] for c in answers],
            }
        )
    return out


def _principles(body: AssessmentProfile, controls: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for principle in body.principles:
        mine = [c for c in controls if c["principle"] == principle.id]
        decided = [c for c in mine if c["status"] in ("pass", "fail", "incomplete")]
        passed = sum(c["status"] == "pass" for c in decided)
        out.append(
            {
                "id": principle.id,
                "title": principle.title.model_dump(),
                "controls": len(mine),
                "passed": passed,
                "failed": sum(c["status"] == "fail" for c in decided),
                "score": round(passed / len(decided), 4) if decided else None,
            }
        )
    return out
