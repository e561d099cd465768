"""Performance metrics (classification and regression), vectorised; checked against scikit-learn in tests.

>>> import numpy as np
>>> y = np.array([0, 0, 1, 1]); s = np.array([0.1, 0.4, 0.35, 0.8])
>>> roc_auc(y.astype(bool), s)
0.75
"""

from __future__ import annotations

from typing import Any

import numpy as np
import polars as pl


def _safe(num: float, den: float) -> float | None:
    return None if den == 0 else float(num / den)


def binary_classification(y: np.ndarray, y_pred: np.ndarray, score: np.ndarray | None = None) -> dict[str, Any]:
    """Accuracy, precision, recall, F1, confusion matrix; with scores also ROC AUC, log loss, calibration."""
    tp = int(np.count_nonzero(y & y_pred))
    fp = int(np.count_nonzero(~y & y_pred))
    fn = int(np.count_nonzero(y & ~y_pred))
    tn = len(y) - tp - fp - fn
    precision = _safe(tp, tp + fp)
    recall = _safe(tp, tp + fn)
    f1 = None if precision is None or recall is None else _safe(2 * tp, 2 * tp + fp + fn)
    out: dict[str, Any] = {
        "rows": len(y),
        "accuracy": _safe(tp + tn, len(y)),
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "confusion_matrix": {"labels": ["negative", "positive"], "matrix": [[tn, fp], [fn, tp]]},
    }
    if score is not None:
        out["roc_auc"] = roc_auc(y, score)
        out["log_loss"] = log_loss(y, score)
        out["brier"] = float(np.mean((score - y) ** 2)) if len(y) else None
        out["calibration"] = calibration(y, score)
        out["expected_calibration_error"] = out["calibration"]["ece"]
    return out


def roc_auc(y: np.ndarray, score: np.ndarray) -> float | None:
    """Area under the ROC curve (Mann–Whitney with average ranks for ties); None with one class only."""
    n_pos = int(np.count_nonzero(y))
    n_neg = len(y) - n_pos
    if n_pos == 0 or n_neg == 0:
        return None
    ranks = pl.Series(score).rank("average").to_numpy()
    return float((ranks[y].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def grouped_roc_auc(y: np.ndarray, score: np.ndarray, codes: np.ndarray, n_groups: int) -> np.ndarray:
    """ROC AUC per group code (NaN for a group with one class), with ranks computed within each group."""
    frame = pl.DataFrame({"g": codes, "s": score, "y": y})
    ranked = frame.with_columns(pl.col("s").rank("average").over("g").alias("r"))
    stats = ranked.group_by("g").agg(
        pl.col("y").sum().alias("pos"), pl.len().alias("n"), pl.col("r").filter(pl.col("y")).sum().alias("rsum")
    )
    out = np.full(n_groups, np.nan)
    for g, pos, n, rsum in stats.iter_rows():
        neg = n - pos
        if pos and neg:
            out[g] = (rsum - pos * (pos + 1) / 2) / (pos * neg)
    return out


def log_loss(y: np.ndarray, score: np.ndarray) -> float | None:
    """Mean cross-entropy of the positive-class probability (clipped like scikit-learn)."""
    if len(y) == 0:
        return None
    eps = np.finfo(np.float64).eps
    p = np.clip(score.astype(np.float64), eps, 1 - eps)
    return float(-np.mean(np.where(y, np.log(p), np.log1p(-p))))


def calibration(y: np.ndarray, score: np.ndarray, bins: int = 10) -> dict[str, Any]:
    """Reliability table in ``bins`` equal-width bins and the expected calibration error (ECE)."""
    index = np.clip((score * bins).astype(np.int64), 0, bins - 1)
    n = np.bincount(index, minlength=bins).astype(np.float64)
    mean_score = np.bincount(index, weights=score, minlength=bins)
    positives = np.bincount(index, weights=y.astype(np.float64), minlength=bins)
    rows = []
    ece = 0.0
    for b in range(bins):
        if n[b]:
            conf, freq = mean_score[b] / n[b], positives[b] / n[b]
            ece += n[b] / len(y) * abs(conf - freq)
            rows.append({"bin": b, "count": int(n[b]), "mean_score": float(conf), "positive_rate": float(freq)})
    return {"bins": bins, "table": rows, "ece": float(ece) if len(y) else None}


def multiclass_classification(y: pl.Series, y_pred: pl.Series) -> dict[str, Any]:
    """Accuracy, macro precision/recall/F1 and the confusion matrix of a multi-class prediction."""
    labels = sorted(set(y.cast(pl.String).to_list()) | set(y_pred.cast(pl.String).to_list()))
    index = {v: i for i, v in enumerate(labels)}
    yt = np.array([index[v] for v in y.cast(pl.String).to_list()])
    yp = np.array([index[v] for v in y_pred.cast(pl.String).to_list()])
    k = len(labels)
    matrix = np.bincount(yt * k + yp, minlength=k * k).reshape(k, k)
    tp = np.diag(matrix).astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        precision = np.where(matrix.sum(0) > 0, tp / matrix.sum(0), 0.0)
        recall = np.where(matrix.sum(1) > 0, tp / matrix.sum(1), 0.0)
        f1 = np.where(precision + recall > 0, 2 * precision * recall / (precision + recall), 0.0)
    return {
        "rows": len(yt),
        "accuracy": float(tp.sum() / len(yt)) if len(yt) else None,
        "precision": float(precision.mean()),
        "recall": float(recall.mean()),
        "f1": float(f1.mean()),
        "confusion_matrix": {"labels": labels, "matrix": matrix.tolist()},
    }


def regression(y: np.ndarray, y_pred: np.ndarray) -> dict[str, Any]:
    """MAE, RMSE and R² of a regression."""
    err = y_pred.astype(np.float64) - y.astype(np.float64)
    ss_tot = float(np.sum((y - y.mean()) ** 2)) if len(y) else 0.0
    return {
        "rows": len(y),
        "mae": float(np.mean(np.abs(err))) if len(y) else None,
        "rmse": float(np.sqrt(np.mean(err**2))) if len(y) else None,
        "r2": None if ss_tot == 0 else float(1 - np.sum(err**2) / ss_tot),
    }
