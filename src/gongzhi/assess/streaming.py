"""Fairness over data larger than memory: Parquet aggregated by Polars' streaming engine.

The only thing group fairness needs from the rows is the count of every (sensitive values, y, ŷ)
combination. Polars computes those counts batch by batch (``collect(engine="streaming")``), so
100 million rows need memory for the distinct combinations only; the metrics then come from the same
code as in memory (:func:`gongzhi.assess.fairness.fairness_from_counts`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from gongzhi.assess.fairness import fairness_from_counts
from gongzhi.assess.groups import grouping
from gongzhi.assess.tables import binary, require_columns

COUNT = "__gongzhi_rows__"


def aggregate_parquet(path: Path, columns: Sequence[str]) -> pl.DataFrame:
    """Distinct combinations of ``columns`` with their row counts (column ``COUNT``), streamed."""
    require_columns(list(pl.read_parquet_schema(path)), columns)
    lazy = pl.scan_parquet(path).group_by(list(columns)).agg(pl.len().alias(COUNT))
    return lazy.collect(engine="streaming")


def fairness_from_aggregate(
    counts: pl.DataFrame,
    *,
    target: str,
    prediction: str,
    sensitive: Sequence[str],
    pos_label: Any = None,
    **options: Any,
) -> dict[str, Any]:
    """Group fairness from aggregated counts (one row per combination, weight in ``COUNT``)."""
    weights = counts[COUNT].to_numpy().astype(np.float64)
    y, label = binary(counts[target], pos_label=pos_label, role="target")
    y_pred, _ = binary(counts[prediction], pos_label=label, role="prediction")
    group = grouping([counts[name] for name in sensitive])
    cell = (group.codes.astype(np.int64) * 2 + y) * 2 + y_pred
    cm = np.bincount(cell, weights=weights, minlength=group.size * 4).reshape(group.size, 2, 2)
    result = fairness_from_counts(cm, group, **options)
    result["pos_label"] = _plain(label)
    return result


def parquet_fairness(
    path: Path, *, target: str, prediction: str, sensitive: Sequence[str], pos_label: Any = None, **options: Any
) -> dict[str, Any]:
    """Group fairness of a Parquet file of any size, streamed."""
    counts = aggregate_parquet(path, [target, prediction, *sensitive])
    return fairness_from_aggregate(
        counts, target=target, prediction=prediction, sensitive=sensitive, pos_label=pos_label, **options
    )


def _plain(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value
