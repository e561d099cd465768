"""Fairness metrics equal Fairlearn's to 1e-9, in memory and streamed from Parquet; undefined rates are named."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import polars as pl
import pytest
from fairlearn.metrics import (
    MetricFrame,
    demographic_parity_difference,
    demographic_parity_ratio,
    equal_opportunity_difference,
    equalized_odds_difference,
    equalized_odds_ratio,
    false_positive_rate,
    selection_rate,
    true_positive_rate,
)

from gongzhi.assess import fairness, streaming
from gongzhi.errors import InvalidInput

FAIRLEARN = {
    "demographic_parity_difference": demographic_parity_difference,
    "demographic_parity_ratio": demographic_parity_ratio,
    "equalized_odds_difference": equalized_odds_difference,
    "equalized_odds_ratio": equalized_odds_ratio,
    "equal_opportunity_difference": equal_opportunity_difference,
}


def random_data(n: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    a = np.array(["north", "south", "east", "west"])[rng.integers(0, 4, n)]
    b = np.array(["18-30", "31-45", "46-60", "60+"])[rng.integers(0, 4, n)]
    y = rng.random(n) < 0.35 + 0.1 * (a == "north")
    p = rng.random(n) < 0.3 + 0.15 * (b == "60+") + 0.2 * y
    return a, b, y, p


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_every_disparity_equals_fairlearn(seed: int) -> None:
    a, b, y, p = random_data(20_000, seed)
    out = fairness.group_fairness(y, p, [pl.Series("a", a), pl.Series("b", b)])
    yt, yp = y.astype(int), p.astype(int)
    for key, features in (("a", a), ("b", b), ("intersection", pd.DataFrame({"a": a, "b": b}))):
        for name, fn in FAIRLEARN.items():
            want = fn(yt, yp, sensitive_features=features)
            assert out["by_feature"][key][name] == pytest.approx(want, abs=1e-9), (key, name)
    frame = MetricFrame(
        metrics={"sr": selection_rate, "tpr": true_positive_rate, "fpr": false_positive_rate},
        y_true=yt,
        y_pred=yp,
        sensitive_features=pd.DataFrame({"a": a, "b": b}),
    )
    by_group = frame.by_group
    for group in out["groups"]:
        row = by_group.loc[(group["group"]["a"], group["group"]["b"])]
        assert group["selection_rate"] == pytest.approx(row["sr"], abs=1e-9)
        assert group["tpr"] == pytest.approx(row["tpr"], abs=1e-9)
        assert group["fpr"] == pytest.approx(row["fpr"], abs=1e-9)
    assert len(out["groups"]) == 16


def test_streamed_parquet_equals_in_memory(tmp_path: Path) -> None:
    a, b, y, p = random_data(50_000, 5)
    frame = pl.DataFrame({"a": a, "b": b, "y": y.astype(int), "p": p.astype(int)})
    path = tmp_path / "d.parquet"
    frame.write_parquet(path, row_group_size=7_000)
    streamed = streaming.parquet_fairness(path, target="y", prediction="p", sensitive=["a", "b"])
    memory = fairness.table_fairness(frame, target="y", prediction="p", sensitive=["a", "b"])
    for key in ("a", "b", "intersection"):
        for name in fairness.DISPARITIES:
            assert streamed["by_feature"][key][name] == pytest.approx(memory["by_feature"][key][name], abs=1e-12)
    assert streamed["rows"] == 50_000


def test_a_group_without_positives_is_named_not_counted_as_zero() -> None:
    y = np.array([1, 0, 1, 0, 0, 0], bool)
    p = np.array([1, 0, 0, 0, 1, 0], bool)
    out = fairness.group_fairness(y, p, [pl.Series("g", ["a", "a", "a", "b", "b", "b"])], min_group_size=1)
    block = out["by_feature"]["g"]
    b = next(g for g in block["groups"] if g["label"] == "b")
    assert b["tpr"] is None
    assert {"code": "no_positives", "group": "b", "metric": "tpr"} in block["warnings"]
    # TPR difference comes from group a alone (0.5 - 0.5), never from a 0 for group b.
    assert block["equal_opportunity_difference"] == 0.0


def test_bootstrap_interval_surrounds_the_estimate() -> None:
    a, b, y, p = random_data(5_000, 9)
    out = fairness.group_fairness(y, p, [pl.Series("a", a)], bootstrap=300, seed=1)
    block = out["by_feature"]["a"]
    low, high = block["confidence_intervals"]["demographic_parity_difference"]
    assert low <= block["demographic_parity_difference"] <= high
    assert high - low < 0.1
    again = fairness.group_fairness(y, p, [pl.Series("a", a)], bootstrap=300, seed=1)
    assert again["by_feature"]["a"]["confidence_intervals"] == block["confidence_intervals"]


def test_four_fifths_rule() -> None:
    y = np.zeros(10, bool)
    p = np.array([1, 1, 1, 1, 1, 1, 1, 0, 0, 0], bool)
    out = fairness.group_fairness(y, p, [pl.Series("g", ["a"] * 5 + ["b"] * 5)])
    assert out["by_feature"]["g"]["disparate_impact"] == pytest.approx(0.4)
    assert out["by_feature"]["g"]["four_fifths_rule"] is False


def test_error_parity_for_regression() -> None:
    y = np.array([1.0, 2.0, 3.0, 4.0])
    p = np.array([1.5, 2.0, 2.0, 4.0])
    out = fairness.error_parity(y, p, [pl.Series("g", ["a", "a", "b", "b"])])
    block = out["by_feature"]["g"]
    assert [g["mae"] for g in block["groups"]] == [0.25, 0.5]
    assert block["mae_difference"] == 0.25 and block["mae_ratio"] == 0.5


def test_table_errors_are_clear(credit: pl.DataFrame) -> None:
    with pytest.raises(InvalidInput, match="Unknown column nope"):
        fairness.table_fairness(credit, target="approved", prediction="predicted", sensitive=["nope"])
    with pytest.raises(InvalidInput, match="distinct values"):
        fairness.table_fairness(credit, target="region", prediction="predicted", sensitive=["sex"])
    with pytest.raises(InvalidInput, match="missing values"):
        broken = credit.with_columns(
            pl.when(pl.col("age") > 60).then(None).otherwise(pl.col("predicted")).alias("predicted")
        )
        fairness.table_fairness(broken, target="approved", prediction="predicted", sensitive=["sex"])


def test_scores_give_each_group_its_auc(credit: pl.DataFrame) -> None:
    from sklearn.metrics import roc_auc_score

    out = fairness.table_fairness(credit, target="approved", prediction="predicted", sensitive=["sex"], score="score")
    for group in out["by_feature"]["sex"]["groups"]:
        rows = credit.filter(pl.col("sex") == group["label"])
        assert group["roc_auc"] == pytest.approx(roc_auc_score(rows["approved"], rows["score"]), abs=1e-12)
