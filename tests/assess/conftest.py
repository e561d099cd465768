"""Data for the assessment tests: a synthetic credit table with two sensitive features, and small models."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest


def credit_frame(n: int = 1200, seed: int = 3) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    sex = rng.choice(["female", "male"], n)
    region = rng.choice(["north", "south", "east", "west"], n)
    income = rng.normal(5000, 1500, n).round(0)
    age = rng.integers(20, 70, n)
    logit = (income - 5000) / 1500 + (age - 45) / 20 + np.where(sex == "male", 0.4, 0.0)
    y = (logit + rng.normal(0, 1, n) > 0).astype(int)
    score = 1 / (1 + np.exp(-(logit + rng.normal(0, 0.5, n))))
    return pl.DataFrame(
        {
            "sex": sex,
            "region": region,
            "income": income,
            "age": age,
            "approved": y,
            "predicted": (score > 0.5).astype(int),
            "score": score,
        }
    )


@pytest.fixture
def credit() -> pl.DataFrame:
    return credit_frame()


@pytest.fixture
def skops_model(tmp_path: Path, credit: pl.DataFrame) -> Path:
    import skops.io as sio
    from sklearn.compose import make_column_transformer
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder

    features = ["sex", "region", "income", "age"]
    model = make_pipeline(
        make_column_transformer((OneHotEncoder(handle_unknown="ignore"), ["sex", "region"]), remainder="passthrough"),
        RandomForestClassifier(n_estimators=20, max_depth=5, random_state=0),
    )
    model.fit(credit.select(features).to_pandas(), credit["approved"].to_numpy())
    path = tmp_path / "model.skops"
    sio.dump(model, path)
    return path
