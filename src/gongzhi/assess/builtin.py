"""The built-in assessment tests, registered through the ``gongzhi.assess_tests`` entry point like any plugin.

Ids are stable: a change of meaning gets a new version (``@2``) and the old one keeps working, so a
stored report never points at a test that means something else.
"""

from __future__ import annotations

import importlib
from typing import Any

import numpy as np
import polars as pl
from pydantic import BaseModel, ConfigDict, Field

from gongzhi.assess import fairness, performance, probes
from gongzhi.assess.plugins import AssessmentTest, NotApplicable, TestContext, TestFailed, TestOutcome
from gongzhi.assess.tables import binary
from gongzhi.i18n import N_


class _Params(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- performance ------------------------------------------------------------------------------


class PerformanceParams(_Params):
    calibration_bins: int = Field(default=10, ge=2, le=100)


def _labels(ctx: TestContext) -> tuple[np.ndarray, np.ndarray]:
    assert ctx.prediction is not None
    y, label = binary(ctx.data[ctx.target], pos_label=ctx.pos_label, role="target")
    y_pred, _ = binary(ctx.data[ctx.prediction], pos_label=label, role="prediction")
    return y, y_pred


def _score_values(ctx: TestContext) -> np.ndarray | None:
    if not ctx.score:
        return None
    values = ctx.data[ctx.score].cast(pl.Float64).to_numpy()
    if np.isnan(values).any() or values.min() < 0 or values.max() > 1:
        raise TestFailed(N_("The score column {column} must hold probabilities between 0 and 1."), column=ctx.score)
    return values


def run_performance(ctx: TestContext, params: PerformanceParams) -> TestOutcome:
    if ctx.prediction is None:
        raise NotApplicable(N_("Needs a prediction column or a model."))
    if ctx.task == "regression":
        y = ctx.data[ctx.target].cast(pl.Float64).to_numpy()
        details = performance.regression(y, ctx.data[ctx.prediction].cast(pl.Float64).to_numpy())
        return TestOutcome(metrics={k: details[k] for k in ("mae", "rmse", "r2")}, details=details)
    if ctx.task == "multiclass":
        details = performance.multiclass_classification(ctx.data[ctx.target], ctx.data[ctx.prediction])
        return TestOutcome(metrics={k: details[k] for k in ("accuracy", "precision", "recall", "f1")}, details=details)
    y, y_pred = _labels(ctx)
    score = _score_values(ctx)
    details = performance.binary_classification(y, y_pred, score)
    if score is not None:
        details["calibration"] = performance.calibration(y, score, params.calibration_bins)
        details["expected_calibration_error"] = details["calibration"]["ece"]
    keys = ("accuracy", "precision", "recall", "f1", "roc_auc", "log_loss", "expected_calibration_error", "brier")
    return TestOutcome(metrics={k: details.get(k) for k in keys}, details=details)


PERFORMANCE = AssessmentTest(
    id="gongzhi.assess.performance@1",
    family="performance",
    title=N_("Performance"),
    description=N_("Accuracy, precision, recall, F1, ROC AUC, log loss, calibration; MAE, RMSE and R² for regression."),
    params=PerformanceParams,
    metrics=(
        "accuracy",
        "precision",
        "recall",
        "f1",
        "roc_auc",
        "log_loss",
        "expected_calibration_error",
        "brier",
        "mae",
        "rmse",
        "r2",
    ),
    run=run_performance,
)


# --- fairness ---------------------------------------------------------------------------------


class FairnessParams(_Params):
    bootstrap: int = Field(default=200, ge=0, le=10_000)
    confidence: float = Field(default=0.95, gt=0, lt=1)
    min_group_size: int = Field(default=30, ge=1)
    four_fifths: float = Field(default=0.8, gt=0, le=1)


_WORST_MAX = (
    "demographic_parity_difference",
    "equalized_odds_difference",
    "equal_opportunity_difference",
    "accuracy_difference",
)
_WORST_MIN = ("demographic_parity_ratio", "equalized_odds_ratio", "disparate_impact")


def run_fairness(ctx: TestContext, params: FairnessParams) -> TestOutcome:
    if ctx.prediction is None:
        raise NotApplicable(N_("Needs a prediction column or a model."))
    if not ctx.sensitive:
        raise NotApplicable(N_("Needs at least one sensitive feature."))
    if ctx.task == "regression":
        y = ctx.data[ctx.target].cast(pl.Float64).to_numpy()
        details = fairness.error_parity(
            y, ctx.data[ctx.prediction].cast(pl.Float64).to_numpy(), [ctx.data[c] for c in ctx.sensitive]
        )
        blocks = [details["by_feature"][c] for c in ctx.sensitive]
        parity: dict[str, float | None] = {
            "mae_difference": max(float(b["mae_difference"] or 0.0) for b in blocks),
            "rmse_difference": max(float(b["rmse_difference"] or 0.0) for b in blocks),
            "mae_ratio": min(float(b["mae_ratio"] if b["mae_ratio"] is not None else 1.0) for b in blocks),
        }
        return TestOutcome(metrics=parity, details=details)
    if ctx.task == "multiclass":
        raise NotApplicable(N_("Group fairness metrics need a binary target or a regression."))
    details = fairness.table_fairness(
        ctx.data,
        target=ctx.target,
        prediction=ctx.prediction,
        sensitive=ctx.sensitive,
        score=ctx.score,
        pos_label=ctx.pos_label,
        bootstrap=params.bootstrap,
        alpha=1 - params.confidence,
        min_group_size=params.min_group_size,
        four_fifths=params.four_fifths,
        seed=ctx.seed,
    )
    singles = [details["by_feature"][c] for c in ctx.sensitive]
    metrics: dict[str, float | None] = {}
    for name in _WORST_MAX:
        values = [b[name] for b in singles if b[name] is not None]
        metrics[name] = max(values) if values else None
    for name in _WORST_MIN:
        values = [b[name] for b in singles if b[name] is not None]
        metrics[name] = min(values) if values else None
    inter = details["by_feature"].get(fairness.INTERSECTION)
    if inter is not None:
        metrics["intersection_demographic_parity_difference"] = inter["demographic_parity_difference"]
        metrics["intersection_equalized_odds_difference"] = inter["equalized_odds_difference"]
    warnings = [
        {"message": _FAIRNESS_WARNINGS[w["code"]], "params": w}
        for block in details["by_feature"].values()
        for w in block["warnings"]
    ]
    return TestOutcome(metrics=metrics, details=details, warnings=warnings)


_FAIRNESS_WARNINGS = {
    "small_group": N_("Group {group} has only {count} rows (fewer than {min}); its rates are uncertain."),
    "no_positives": N_("Group {group} has no positive cases, so its {metric} is undefined and left out."),
    "no_negatives": N_("Group {group} has no negative cases, so its {metric} is undefined and left out."),
    "no_predicted_positives": N_("Group {group} has no positive predictions, so its {metric} is undefined."),
}

FAIRNESS = AssessmentTest(
    id="gongzhi.assess.fairness@1",
    family="fairness",
    title=N_("Group fairness"),
    description=N_(
        "Selection rate, TPR, FPR, FNR, PPV and accuracy per group and per intersection of sensitive "
        "features; demographic parity, equalized odds, equal opportunity, disparate impact (four-fifths "
        "rule) with bootstrap confidence intervals; error parity for regression."
    ),
    params=FairnessParams,
    metrics=(*_WORST_MAX, *_WORST_MIN)
    + (
        "intersection_demographic_parity_difference",
        "intersection_equalized_odds_difference",
        "mae_difference",
        "rmse_difference",
        "mae_ratio",
    ),
    run=run_fairness,
)


# --- data quality ----------------------------------------------------------------------------


class QualityParams(_Params):
    min_group_size: int = Field(default=30, ge=1)


def run_quality(ctx: TestContext, params: QualityParams) -> TestOutcome:
    frame = ctx.data.select([c for c in ctx.data.columns if not c.startswith("__gongzhi")])
    rows = max(frame.height, 1)
    missing: list[dict[str, Any]] = []
    for name in frame.columns:
        column = frame[name]
        n = column.null_count() + (int(column.is_nan().sum()) if column.dtype.is_float() else 0)
        missing.append({"column": name, "missing": n, "share": n / rows})
    target = frame[ctx.target]
    classes = target.value_counts(sort=True)
    balance: list[dict[str, Any]] = [
        {"value": str(v), "count": int(c), "share": int(c) / rows} for v, c in classes.iter_rows()
    ]
    groups: list[dict[str, Any]] = []
    for name in ctx.sensitive:
        for value, count in frame[name].value_counts(sort=True).iter_rows():
            groups.append(
                {
                    "feature": name,
                    "group": "(missing)" if value is None else str(value),
                    "count": int(count),
                    "share": int(count) / rows,
                    "small": int(count) < params.min_group_size,
                }
            )
    shares = [float(m["share"]) for m in missing]
    class_shares = [float(b["share"]) for b in balance]
    group_shares = [float(g["share"]) for g in groups]
    metrics: dict[str, float | None] = {
        "max_missing_share": max(shares, default=0.0),
        "minority_class_share": min(class_shares, default=None) if ctx.task != "regression" else None,
        "min_group_share": min(group_shares, default=None),
        "small_groups": float(sum(1 for g in groups if g["small"])),
    }
    details = {"rows": frame.height, "missing": missing, "class_balance": balance, "groups": groups}
    return TestOutcome(metrics=metrics, details=details)


DATA_QUALITY = AssessmentTest(
    id="gongzhi.assess.data_quality@1",
    family="data_quality",
    title=N_("Data quality"),
    description=N_("Missing values per column, class balance and the representation of each group."),
    params=QualityParams,
    metrics=("max_missing_share", "minority_class_share", "min_group_share", "small_groups"),
    run=run_quality,
)


# --- model probes ------------------------------------------------------------------------------


def _scorer(ctx: TestContext) -> probes.Score:
    """The probe score: accuracy for classification, R² for regression (higher is better)."""
    truth = ctx.data[ctx.target]
    if ctx.task == "regression":
        y = truth.cast(pl.Float64).to_numpy()

        def r2(predicted: np.ndarray) -> float:
            return performance.regression(y, predicted.astype(np.float64))["r2"] or 0.0

        return r2
    as_text = truth.cast(pl.String).to_numpy()
    numeric = truth.dtype.is_numeric()
    y_num = truth.cast(pl.Float64).to_numpy() if numeric else None

    def accuracy(predicted: np.ndarray) -> float:
        if y_num is not None and np.issubdtype(predicted.dtype, np.number):
            return float(np.mean(predicted.astype(np.float64) == y_num))
        return float(np.mean(predicted.astype(str) == as_text))

    return accuracy


class RobustnessParams(_Params):
    perturbations: list[str] = Field(default_factory=lambda: ["noise", "swap", "missing"])
    strengths: list[float] = Field(default_factory=lambda: [0.05, 0.1, 0.2])
    max_rows: int = Field(default=2000, ge=10)


def run_robustness(ctx: TestContext, params: RobustnessParams) -> TestOutcome:
    predictor = ctx.need_model()
    unknown = set(params.perturbations) - {"noise", "swap", "missing"}
    if unknown:
        raise TestFailed(N_("Unknown perturbation {name}."), name=", ".join(sorted(unknown)))
    frame = probes.sample(ctx.data, params.max_rows, ctx.seed)
    details = probes.robustness(
        predictor,
        frame,
        ctx.features,
        _scorer(ctx),
        kinds=params.perturbations,
        strengths=params.strengths,
        seed=ctx.seed,
        progress=ctx.progress,
    )
    metrics = {k: details[k] for k in ("max_flip_rate", "max_drop")}
    metrics["failed_cases"] = float(details["failed_cases"])
    return TestOutcome(metrics=metrics, details=details)


ROBUSTNESS = AssessmentTest(
    id="gongzhi.assess.robustness@1",
    family="robustness",
    title=N_("Robustness"),
    description=N_("Performance and prediction-flip rate under numeric noise, category swaps and missing values."),
    params=RobustnessParams,
    metrics=("max_flip_rate", "max_drop", "failed_cases"),
    run=run_robustness,
)


class ImportanceParams(_Params):
    repeats: int = Field(default=3, ge=1, le=50)
    max_rows: int = Field(default=2000, ge=10)
    partial_dependence: int = Field(default=3, ge=0, le=20, description="features to show partial dependence for")


def _sensitive_share(rows: list[dict[str, Any]], key: str, sensitive: list[str]) -> float | None:
    total = sum(max(r[key], 0.0) for r in rows)
    if total <= 0:
        return None
    hits = sum(
        max(r[key], 0.0)
        for r in rows
        if any(r["feature"] == s or r["feature"].startswith(f"{s}_") or f"__{s}" in r["feature"] for s in sensitive)
    )
    return float(hits / total)


def run_importance(ctx: TestContext, params: ImportanceParams) -> TestOutcome:
    predictor = ctx.need_model()
    frame = probes.sample(ctx.data, params.max_rows, ctx.seed)
    rows = probes.permutation_importance(
        predictor, frame, ctx.features, _scorer(ctx), repeats=params.repeats, seed=ctx.seed, progress=ctx.progress
    )
    pdp = [probes.partial_dependence(predictor, frame, r["feature"]) for r in rows[: params.partial_dependence]]
    share = _sensitive_share(rows, "importance", ctx.sensitive)
    return TestOutcome(
        metrics={"sensitive_importance_share": share},
        details={"permutation_importance": rows, "partial_dependence": pdp, "repeats": params.repeats},
    )


IMPORTANCE = AssessmentTest(
    id="gongzhi.assess.explainability@1",
    family="explainability",
    title=N_("Feature importance and partial dependence"),
    description=N_("Permutation importance for any model and partial dependence of the most important features."),
    params=ImportanceParams,
    metrics=("sensitive_importance_share",),
    run=run_importance,
)


class ShapParams(_Params):
    max_rows: int = Field(default=1000, ge=10)


def run_shap(ctx: TestContext, params: ShapParams) -> TestOutcome:
    predictor = ctx.need_model()
    frame = probes.sample(ctx.data, params.max_rows, ctx.seed)
    rows = probes.tree_shap(predictor, frame, ctx.features)
    if rows is None:
        raise NotApplicable(N_("SHAP values are computed for tree models loaded from skops files."))
    return TestOutcome(
        metrics={"sensitive_shap_share": _sensitive_share(rows, "mean_abs_shap", ctx.sensitive)},
        details={"shap": rows, "rows": frame.height},
    )


SHAP = AssessmentTest(
    id="gongzhi.assess.shap@1",
    family="explainability",
    title=N_("SHAP values (tree models)"),
    description=N_("Mean absolute SHAP value of each feature, from shap's TreeExplainer."),
    params=ShapParams,
    metrics=("sensitive_shap_share",),
    run=run_shap,
    tasks=("binary", "regression"),
)


class MembershipParams(_Params):
    max_rows: int = Field(default=5000, ge=10)


def run_membership(ctx: TestContext, params: MembershipParams) -> TestOutcome:
    predictor = ctx.need_model()
    if ctx.train is None:
        raise NotApplicable(N_("Needs the training data (model mode with training data)."))
    if ctx.task != "binary":
        raise NotApplicable(N_("The confidence-threshold attack is implemented for binary classifiers."))
    n = min(params.max_rows, ctx.train.height, ctx.data.height)
    members = probes.sample(ctx.train, n, ctx.seed)
    others = probes.sample(ctx.data, n, ctx.seed + 1)

    def true_confidence(frame: pl.DataFrame) -> np.ndarray:
        proba = predictor.predict_proba(frame.select(ctx.features))
        if proba is None:
            raise NotApplicable(N_("The model gives no probabilities, which the attack needs."))
        y, _ = binary(frame[ctx.target], pos_label=ctx.pos_label, role="target")
        return np.where(y, proba, 1 - proba)

    details = probes.membership_inference(true_confidence(members), true_confidence(others))
    return TestOutcome(
        metrics={"membership_advantage": details["advantage"], "attack_auc": details["attack_auc"]}, details=details
    )


MEMBERSHIP = AssessmentTest(
    id="gongzhi.assess.membership_inference@1",
    family="privacy",
    title=N_("Membership inference"),
    description=N_("Advantage of a confidence-threshold attack telling training rows from test rows."),
    params=MembershipParams,
    metrics=("membership_advantage", "attack_auc"),
    run=run_membership,
)


class PersonalInfoParams(_Params):
    max_rows: int = Field(default=1000, ge=1)


def datasec_scanner() -> Any | None:
    """The data-security area's table scanner (``gongzhi.datasec.tables.scan_table``), when installed."""
    try:
        module = importlib.import_module("gongzhi.datasec.tables")
    except ImportError:
        return None
    scanner = getattr(module, "scan_table", None)
    return scanner if callable(scanner) else None


def run_personal_info(ctx: TestContext, params: PersonalInfoParams) -> TestOutcome:
    scanner = datasec_scanner()
    if scanner is None:
        raise NotApplicable(N_("The data-security scanner (gongzhi.datasec) is not available."))
    frame = probes.sample(ctx.data.select(ctx.features or ctx.data.columns), params.max_rows, ctx.seed)
    try:
        found = scanner(frame)
    except Exception as exc:  # noqa: BLE001 - another area's scanner failing is reported, not fatal
        raise TestFailed(N_("The data-security scanner failed: {error}"), error=str(exc)[:300]) from None
    columns = _scanner_columns(found)
    return TestOutcome(metrics={"personal_information_columns": float(len(columns))}, details={"columns": columns})


def _scanner_columns(found: Any) -> list[dict[str, Any]]:
    items = found.get("columns", []) if isinstance(found, dict) else getattr(found, "columns", found)
    out = []
    for item in items or []:
        data = item if isinstance(item, dict) else getattr(item, "__dict__", {})
        entity = data.get("entity_type")
        if entity and entity != "NONE":
            column = {"column": str(data.get("name") or data.get("column")), "entity_type": str(entity)}
            if data.get("level"):
                column["level"] = str(data["level"])
            out.append(column)
    return out


PERSONAL_INFO = AssessmentTest(
    id="gongzhi.assess.personal_information@1",
    family="privacy",
    title=N_("Personal information in the inputs"),
    description=N_("Columns the data-security scanner recognises as personal information."),
    params=PersonalInfoParams,
    metrics=("personal_information_columns",),
    run=run_personal_info,
)


TESTS: tuple[AssessmentTest, ...] = (
    PERFORMANCE,
    FAIRNESS,
    DATA_QUALITY,
    ROBUSTNESS,
    IMPORTANCE,
    SHAP,
    MEMBERSHIP,
    PERSONAL_INFO,
)
