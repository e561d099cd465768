"""Group fairness (公平性) from confusion counts per integer-coded group.

One ``np.bincount`` over ``(group, y, ŷ)`` gives every group's confusion matrix; every metric,
every per-feature marginal and every bootstrap replicate is derived from those counts, so 10 million
rows cost one pass. Definitions follow Fairlearn (``fairlearn.metrics``), and the test-suite checks
the numbers against it to 1e-9:

- *difference* = largest − smallest value over the groups, *ratio* = smallest / largest;
- equalized odds difference = max(TPR difference, FPR difference); its ratio the min of the ratios;
- disparate impact = demographic parity ratio; the four-fifths rule passes when it is ≥ 0.8.

A rate is undefined (``None``) for a group with no rows of its denominator (e.g. TPR of a group with
no positive cases); such a group is left out of that difference and a warning names it, rather than
counting as 0.

>>> import numpy as np, polars as pl
>>> y = np.array([1, 0, 1, 0], bool); p = np.array([1, 0, 0, 0], bool)
>>> out = group_fairness(y, p, [pl.Series("sex", ["f", "f", "m", "m"])])
>>> out["by_feature"]["sex"]["demographic_parity_difference"]
0.5
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import polars as pl

from gongzhi.assess.groups import Grouping, grouping
from gongzhi.errors import InvalidInput
from gongzhi.i18n import N_

#: Per-group metrics reported for classification, in report order.
GROUP_METRICS = ("count", "selection_rate", "tpr", "fpr", "fnr", "ppv", "accuracy")
#: Disparity summaries of one feature (or the intersection).
DISPARITIES = (
    "demographic_parity_difference",
    "demographic_parity_ratio",
    "equalized_odds_difference",
    "equalized_odds_ratio",
    "equal_opportunity_difference",
    "equal_opportunity_ratio",
    "accuracy_difference",
    "disparate_impact",
)
INTERSECTION = "intersection"


def confusion(y: np.ndarray, y_pred: np.ndarray, codes: np.ndarray, n_groups: int) -> np.ndarray:
    """Counts of shape (n_groups, 2, 2): [group, y, ŷ] for boolean ``y`` and ``y_pred``."""
    cell = (codes.astype(np.int64) * 2 + y.astype(np.int64)) * 2 + y_pred.astype(np.int64)
    return np.bincount(cell, minlength=n_groups * 4).reshape(n_groups, 2, 2).astype(np.float64)


def _div(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    out = np.full(np.broadcast(num, den).shape, np.nan)
    np.divide(num, den, out=out, where=den > 0)
    return out


def rates(cm: np.ndarray) -> dict[str, np.ndarray]:
    """Per-group rates from counts of shape (..., G, 2, 2); NaN where a rate is undefined."""
    tn, fp, fn, tp = cm[..., 0, 0], cm[..., 0, 1], cm[..., 1, 0], cm[..., 1, 1]
    n = tn + fp + fn + tp
    return {
        "count": n,
        "selection_rate": _div(tp + fp, n),
        "tpr": _div(tp, tp + fn),
        "fpr": _div(fp, fp + tn),
        "fnr": _div(fn, tp + fn),
        "ppv": _div(tp, tp + fp),
        "accuracy": _div(tp + tn, n),
    }


def spread(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(max − min, min / max) over the last axis, ignoring NaN; NaN when nothing is defined."""
    valid = ~np.isnan(values)
    high = np.max(np.where(valid, values, -np.inf), axis=-1)
    low = np.min(np.where(valid, values, np.inf), axis=-1)
    some = valid.any(axis=-1)
    difference = np.where(some, high - low, np.nan)
    ratio = np.where(some, _div(np.where(some, low, 0.0), np.where(some, high, 0.0)), np.nan)
    return difference, ratio


def disparities(cm: np.ndarray) -> dict[str, np.ndarray]:
    """Every disparity summary from counts of shape (..., G, 2, 2) (groups with no rows dropped first)."""
    r = rates(cm)
    dp_d, dp_r = spread(r["selection_rate"])
    tpr_d, tpr_r = spread(r["tpr"])
    fpr_d, fpr_r = spread(r["fpr"])
    acc_d, _ = spread(r["accuracy"])
    return {
        "demographic_parity_difference": dp_d,
        "demographic_parity_ratio": dp_r,
        "equalized_odds_difference": np.fmax(tpr_d, fpr_d),
        "equalized_odds_ratio": np.fmin(tpr_r, fpr_r),
        "equal_opportunity_difference": tpr_d,
        "equal_opportunity_ratio": tpr_r,
        "accuracy_difference": acc_d,
        "disparate_impact": dp_r,
    }


def _num(value: Any) -> float | None:
    number = float(value)
    return None if np.isnan(number) else number


def _feature_block(
    cm: np.ndarray,
    labels: list[dict[str, str]],
    features: Sequence[str],
    *,
    replicates: np.ndarray | None,
    alpha: float,
    min_group_size: int,
    four_fifths: float,
) -> dict[str, Any]:
    keep = cm.sum(axis=(-2, -1)) > 0  # the intersection may have empty cells: not a group at all
    cm = cm[keep]
    labels = [label for label, k in zip(labels, keep, strict=True) if k]
    r = rates(cm)
    summary = disparities(cm)
    groups = []
    warnings: list[dict[str, Any]] = []
    for i, label in enumerate(labels):
        name = " & ".join(label.values())
        group: dict[str, Any] = {"group": label, "label": name}
        group.update({m: _num(r[m][i]) for m in GROUP_METRICS})
        group["count"] = int(cm[i].sum())
        group["positives"] = int(cm[i, 1].sum())
        group["small"] = group["count"] < min_group_size
        groups.append(group)
        if group["small"]:
            warnings.append({"code": "small_group", "group": name, "count": group["count"], "min": min_group_size})
        for metric, reason in (("tpr", "no_positives"), ("fpr", "no_negatives"), ("ppv", "no_predicted_positives")):
            if group[metric] is None:
                warnings.append({"code": reason, "group": name, "metric": metric})
    block: dict[str, Any] = {"features": list(features), "groups": groups}
    block.update({k: _num(v) for k, v in summary.items()})
    di = block["disparate_impact"]
    block["four_fifths_rule"] = None if di is None else bool(di >= four_fifths)
    if replicates is not None:
        boot = disparities(replicates[:, keep])
        block["confidence_intervals"] = {k: _interval(v, alpha) for k, v in boot.items()}
        block["confidence_level"] = 1 - alpha
    block["warnings"] = warnings
    return block


def _interval(samples: np.ndarray, alpha: float) -> list[float] | None:
    finite = samples[~np.isnan(samples)]
    if len(finite) == 0:
        return None
    low, high = np.quantile(finite, [alpha / 2, 1 - alpha / 2])
    return [float(low), float(high)]


def fairness_from_counts(
    cm: np.ndarray,
    group: Grouping,
    *,
    bootstrap: int = 0,
    seed: int = 0,
    alpha: float = 0.05,
    min_group_size: int = 30,
    four_fifths: float = 0.8,
) -> dict[str, Any]:
    """The fairness result from the intersection's counts (shape (cells, 2, 2)), e.g. summed over batches.

    Bootstrap replicates resample the rows: a row bootstrap's cell counts are multinomial over the
    observed cells, so drawing the counts directly gives the same distribution at no cost per row.
    """
    shape = group.shape
    full = cm.reshape(*shape, 2, 2)
    replicates = None
    if bootstrap > 0:
        total = int(cm.sum())
        rng = np.random.default_rng(seed)
        draws = rng.multinomial(total, cm.ravel() / max(total, 1), size=bootstrap).astype(np.float64)
        replicates = draws.reshape(bootstrap, *shape, 2, 2)
    by_feature: dict[str, Any] = {}
    for i, feature in enumerate(group.features):
        other = tuple(a for a in range(len(shape)) if a != i)
        marginal = full.sum(axis=other) if other else full
        rep = replicates.sum(axis=tuple(a + 1 for a in other)) if replicates is not None and other else replicates
        labels = [{feature: level} for level in group.levels[i]]
        by_feature[feature] = _feature_block(
            marginal,
            labels,
            [feature],
            replicates=rep,
            alpha=alpha,
            min_group_size=min_group_size,
            four_fifths=four_fifths,
        )
    n_cells = group.size
    labels = [group.label(c) for c in range(n_cells)]
    rep_flat = replicates.reshape(bootstrap, n_cells, 2, 2) if replicates is not None else None
    intersection = _feature_block(
        cm.reshape(n_cells, 2, 2),
        labels,
        group.features,
        replicates=rep_flat,
        alpha=alpha,
        min_group_size=min_group_size,
        four_fifths=four_fifths,
    )
    key = INTERSECTION if INTERSECTION not in by_feature else f"{INTERSECTION}*"
    if len(group.features) > 1:
        by_feature[key] = intersection
    overall = rates(cm.sum(axis=0, keepdims=True))
    return {
        "rows": int(cm.sum()),
        "features": list(group.features),
        "overall": {m: _num(overall[m][0]) for m in GROUP_METRICS},
        "by_feature": by_feature,
        "groups": intersection["groups"],
        "settings": {
            "bootstrap": bootstrap,
            "seed": seed,
            "confidence_level": 1 - alpha,
            "min_group_size": min_group_size,
            "four_fifths_threshold": four_fifths,
        },
    }


def group_fairness(
    y: np.ndarray,
    y_pred: np.ndarray,
    sensitive: Sequence[pl.Series],
    **options: Any,
) -> dict[str, Any]:
    """Fairness of boolean predictions ``y_pred`` against ``y`` for each sensitive feature and their intersection.

    ``options`` are those of :func:`fairness_from_counts` (bootstrap, seed, alpha, min_group_size,
    four_fifths).
    """
    group = grouping(sensitive)
    cm = confusion(y, y_pred, group.codes, group.size)
    return fairness_from_counts(cm, group, **options)


# --- regression: error parity -------------------------------------------------------------------


def error_parity(y: np.ndarray, y_pred: np.ndarray, sensitive: Sequence[pl.Series]) -> dict[str, Any]:
    """Per-group MAE, RMSE and mean error (bias) of a regression, with max differences and ratios."""
    group = grouping(sensitive)
    err = y_pred.astype(np.float64) - y.astype(np.float64)
    n = np.bincount(group.codes, minlength=group.size).astype(np.float64)
    sums = {
        "mae": np.bincount(group.codes, weights=np.abs(err), minlength=group.size),
        "mse": np.bincount(group.codes, weights=err * err, minlength=group.size),
        "mean_error": np.bincount(group.codes, weights=err, minlength=group.size),
    }
    by_feature: dict[str, Any] = {}
    shape = group.shape
    blocks: list[tuple[str, np.ndarray, dict[str, np.ndarray], list[dict[str, str]]]] = []
    for i, feature in enumerate(group.features):
        other = tuple(a for a in range(len(shape)) if a != i)
        blocks.append(
            (
                feature,
                n.reshape(shape).sum(axis=other) if other else n,
                {k: v.reshape(shape).sum(axis=other) if other else v for k, v in sums.items()},
                [{feature: level} for level in group.levels[i]],
            )
        )
    if len(group.features) > 1:
        blocks.append((INTERSECTION, n, sums, [group.label(c) for c in range(group.size)]))
    for name, counts, totals, labels in blocks:
        keep = counts > 0
        mae = totals["mae"][keep] / counts[keep]
        rmse = np.sqrt(totals["mse"][keep] / counts[keep])
        bias = totals["mean_error"][keep] / counts[keep]
        kept = [lab for lab, k in zip(labels, keep, strict=True) if k]
        mae_d, mae_r = spread(mae)
        rmse_d, rmse_r = spread(rmse)
        by_feature[name] = {
            "groups": [
                {
                    "group": lab,
                    "label": " & ".join(lab.values()),
                    "count": int(c),
                    "mae": float(a),
                    "rmse": float(r),
                    "mean_error": float(b),
                }
                for lab, c, a, r, b in zip(kept, counts[keep], mae, rmse, bias, strict=True)
            ],
            "mae_difference": _num(mae_d),
            "mae_ratio": _num(mae_r),
            "rmse_difference": _num(rmse_d),
            "rmse_ratio": _num(rmse_r),
        }
    return {"features": list(group.features), "by_feature": by_feature}


# --- from a table -------------------------------------------------------------------------------


def table_fairness(
    frame: pl.DataFrame,
    *,
    target: str,
    prediction: str,
    sensitive: Sequence[str],
    score: str | None = None,
    pos_label: Any = None,
    **options: Any,
) -> dict[str, Any]:
    """Group fairness of a table's prediction column against its target column.

    With ``score`` (the positive-class probability) each group also gets its ROC AUC and mean score.
    """
    from gongzhi.assess.groups import encode
    from gongzhi.assess.performance import grouped_roc_auc
    from gongzhi.assess.tables import binary, require_columns

    if not sensitive:
        raise InvalidInput(N_("Name at least one sensitive feature."), field="sensitive")
    require_columns(frame.columns, [target, prediction, *sensitive, *([score] if score else [])])
    y, label = binary(frame[target], pos_label=pos_label, role="target")
    y_pred, _ = binary(frame[prediction], pos_label=label, role="prediction")
    columns = [frame[name] for name in sensitive]
    group = grouping(columns)
    result = fairness_from_counts(confusion(y, y_pred, group.codes, group.size), group, **options)
    result["pos_label"] = label.item() if isinstance(label, np.generic) else label
    if score:
        s = frame[score].cast(pl.Float64).to_numpy()
        if np.isnan(s).any():
            raise InvalidInput(N_("The score column {column} has missing values."), field="score", column=score)
        for key, block in result["by_feature"].items():
            if key in sensitive:
                codes, levels = encode(frame[key])
                names = levels
            else:
                codes, names = group.codes, [" & ".join(group.label(c).values()) for c in range(group.size)]
            auc = grouped_roc_auc(y, s, np.asarray(codes), len(names))
            sums = np.bincount(codes, weights=s, minlength=len(names))
            counts = np.bincount(codes, minlength=len(names))
            by_label = {n: (a, m / c if c else np.nan) for n, a, m, c in zip(names, auc, sums, counts, strict=True)}
            for g in block["groups"]:
                a, m = by_label[g["label"]]
                g["roc_auc"], g["mean_score"] = _num(a), _num(m)
            block["roc_auc_difference"] = _num(spread(np.array([by_label[g["label"]][0] for g in block["groups"]]))[0])
    return result
