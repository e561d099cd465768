"""Model probes: robustness (鲁棒性), explainability (可解释性) and privacy (隐私保护) measurements.

Each function takes a predictor and test rows and returns JSON-able numbers; they know nothing of
profiles or reports. Work is bounded by sampling (``max_rows``), so a probe's cost does not grow with
the data set.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, cast

import numpy as np
import polars as pl

from gongzhi.assess.plugins import TestFailed
from gongzhi.assess.predictors import Predictor

Score = Callable[[np.ndarray], float]


def sample(frame: pl.DataFrame, max_rows: int, seed: int) -> pl.DataFrame:
    """At most ``max_rows`` rows, drawn without replacement (reproducibly)."""
    return frame if frame.height <= max_rows else frame.sample(n=max_rows, seed=seed)


def numeric_columns(frame: pl.DataFrame, columns: Sequence[str]) -> list[str]:
    return [c for c in columns if frame[c].dtype.is_numeric() and frame[c].dtype != pl.Boolean]


def perturb(frame: pl.DataFrame, columns: Sequence[str], kind: str, strength: float, seed: int) -> pl.DataFrame:
    """A copy with numeric noise (σ = strength × column std), category swaps or missing values (rate = strength)."""
    rng = np.random.default_rng(seed)
    n = frame.height
    out = []
    numeric = set(numeric_columns(frame, columns))
    for name in columns:
        column = frame[name]
        hit = rng.random(n) < strength
        if kind == "noise" and name in numeric:
            std = float(cast(float, column.cast(pl.Float64).std()) or 0.0)
            values = column.cast(pl.Float64).to_numpy() + rng.normal(0.0, strength * std, n)
            if column.dtype.is_integer():
                values = np.round(values)
            out.append(pl.Series(name, values).cast(column.dtype))
        elif kind == "swap" and name not in numeric:
            levels = column.drop_nulls().unique().to_list()
            if len(levels) > 1:
                replacement = pl.Series(name, [levels[i] for i in rng.integers(0, len(levels), n)], dtype=column.dtype)
                out.append(
                    pl.select(pl.when(pl.Series(hit)).then(replacement).otherwise(column)).to_series().alias(name)
                )
        elif kind == "missing":
            out.append(pl.select(pl.when(pl.Series(hit)).then(None).otherwise(column)).to_series().alias(name))
    return frame.with_columns(out) if out else frame


def robustness(
    predictor: Predictor,
    frame: pl.DataFrame,
    features: Sequence[str],
    score: Score,
    *,
    kinds: Sequence[str],
    strengths: Sequence[float],
    seed: int,
    progress: Callable[[float], None],
) -> dict[str, Any]:
    """Performance and prediction-flip rate under each perturbation at each strength.

    A perturbation the model cannot handle (e.g. it crashes on missing values) is recorded as that
    case's error, not as a number.
    """
    base = predictor.predict(frame)
    baseline = score(base)
    cases = []
    total = len(kinds) * len(strengths)
    for k, kind in enumerate(kinds):
        for s, strength in enumerate(strengths):
            changed = perturb(frame, features, kind, strength, seed + 7 * k + s)
            case: dict[str, Any] = {"perturbation": kind, "strength": strength}
            try:
                predicted = predictor.predict(changed)
            except TestFailed as exc:
                case.update(error=exc.message, error_params=exc.params, score=None, flip_rate=None, drop=None)
            else:
                value = score(predicted)
                case.update(score=value, drop=baseline - value, flip_rate=float(np.mean(predicted != base)))
            cases.append(case)
            progress((k * len(strengths) + s + 1) / total)
    ok = [c for c in cases if c["score"] is not None]
    return {
        "baseline": baseline,
        "cases": cases,
        "max_flip_rate": max((c["flip_rate"] for c in ok), default=None),
        "max_drop": max((c["drop"] for c in ok), default=None),
        "failed_cases": len(cases) - len(ok),
    }


def permutation_importance(
    predictor: Predictor,
    frame: pl.DataFrame,
    features: Sequence[str],
    score: Score,
    *,
    repeats: int,
    seed: int,
    progress: Callable[[float], None],
) -> list[dict[str, Any]]:
    """Mean and spread of the score's drop when each feature's values are shuffled (any model)."""
    rng = np.random.default_rng(seed)
    baseline = score(predictor.predict(frame))
    rows = []
    for i, name in enumerate(features):
        drops = []
        for _ in range(repeats):
            shuffled = frame.with_columns(frame[name].gather(rng.permutation(frame.height)).alias(name))
            drops.append(baseline - score(predictor.predict(shuffled)))
        rows.append({"feature": name, "importance": float(np.mean(drops)), "std": float(np.std(drops))})
        progress((i + 1) / max(len(features), 1))
    return sorted(rows, key=lambda r: -r["importance"])


def partial_dependence(predictor: Predictor, frame: pl.DataFrame, feature: str, *, grid: int = 10) -> dict[str, Any]:
    """Average model output (positive-class probability, else prediction) as one feature is set to each grid value."""
    column = frame[feature]
    if column.dtype.is_numeric() and column.dtype != pl.Boolean:
        values = sorted(set(np.nanquantile(column.cast(pl.Float64).drop_nulls().to_numpy(), np.linspace(0, 1, grid))))
        points: list[Any] = [float(v) for v in values]
    else:
        points = column.drop_nulls().value_counts(sort=True).head(grid)[feature].to_list()
    averages = []
    for value in points:
        changed = frame.with_columns(pl.lit(value, dtype=column.dtype).alias(feature))
        proba = predictor.predict_proba(changed)
        output = proba if proba is not None else predictor.predict(changed).astype(np.float64)
        averages.append(float(np.mean(output)))
    return {"feature": feature, "values": [v if isinstance(v, float) else str(v) for v in points], "average": averages}


def tree_shap(predictor: Any, frame: pl.DataFrame, features: Sequence[str]) -> list[dict[str, Any]] | None:
    """Mean |SHAP value| per input feature for tree models (``shap.TreeExplainer``); None for other models."""
    found = predictor.tree_model() if hasattr(predictor, "tree_model") else None
    if found is None:
        return None
    import shap  # type: ignore[import-untyped]

    model, before = found
    data = frame.select(list(features)).to_pandas()
    matrix = before.transform(data) if before is not None else data
    names = list(before.get_feature_names_out()) if before is not None else list(features)
    if hasattr(matrix, "toarray"):
        matrix = matrix.toarray()
    values = shap.TreeExplainer(model).shap_values(np.asarray(matrix, dtype=np.float64), check_additivity=False)
    array = np.asarray(values)
    if isinstance(values, list):  # older shap: one array per class
        array = np.asarray(values[-1])
    elif array.ndim == 3:  # (rows, features, classes): explain the positive class
        array = array[:, :, -1]
    mean_abs = np.abs(array).mean(axis=0)
    rows = [{"feature": str(n), "mean_abs_shap": float(v)} for n, v in zip(names, mean_abs, strict=True)]
    return sorted(rows, key=lambda r: -r["mean_abs_shap"])


def membership_inference(true_conf_members: np.ndarray, true_conf_others: np.ndarray) -> dict[str, Any]:
    """Advantage (max TPR − FPR over thresholds) and AUC of the confidence-threshold attack.

    The attacker calls a row a training member when the model's confidence in its true label is at
    least a threshold; advantage 0 means the model leaks nothing this attack can see.
    """
    n_in, n_out = len(true_conf_members), len(true_conf_others)
    if n_in == 0 or n_out == 0:
        return {"advantage": None, "attack_auc": None, "members": n_in, "non_members": n_out}
    scores = np.concatenate([true_conf_members, true_conf_others])
    member = np.concatenate([np.ones(n_in, bool), np.zeros(n_out, bool)])
    order = np.argsort(-scores, kind="stable")
    s, m = scores[order], member[order]
    tpr = np.cumsum(m) / n_in
    fpr = np.cumsum(~m) / n_out
    last = np.r_[s[1:] != s[:-1], True]  # evaluate only where the threshold can fall
    advantage = float(np.max(tpr[last] - fpr[last]))
    ranks = pl.Series(scores).rank("average").to_numpy()
    auc = float((ranks[member].sum() - n_in * (n_in + 1) / 2) / (n_in * n_out))
    return {"advantage": max(advantage, 0.0), "attack_auc": auc, "members": n_in, "non_members": n_out}
