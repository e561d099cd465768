"""Runnable example: assess a scikit-learn model on a data set shipped with scikit-learn (no download).

    .venv/bin/python docs/examples/assess_diabetes.py /tmp/assess-demo
    cd /tmp/assess-demo && gongzhi assess run --profile gongzhi.assess.cn-tc260-trustworthy@1 \
        --data test.csv --train train.csv --model model.skops --target high_progression \
        --sensitive sex,age_group --answers answers.yaml --out report.html --pdf report.pdf --json report.json

The diabetes data (442 patients) has sex and age among its features; the target is made binary
(disease progression above the median) so that every test of the profile applies.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import polars as pl
import skops.io as sio
from sklearn.compose import make_column_transformer
from sklearn.datasets import load_diabetes
from sklearn.ensemble import RandomForestClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder


def main(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    raw = load_diabetes(as_frame=True, scaled=False)
    frame = pl.from_pandas(raw.frame)
    frame = frame.with_columns(
        pl.when(pl.col("sex") == 1).then(pl.lit("female")).otherwise(pl.lit("male")).alias("sex"),
        pl.when(pl.col("age") < 50).then(pl.lit("under_50")).otherwise(pl.lit("50_plus")).alias("age_group"),
        (pl.col("target") > pl.col("target").median()).cast(pl.Int64).alias("high_progression"),
    ).drop("target")
    rng = np.random.default_rng(7)
    is_test = rng.random(frame.height) < 0.4
    train, test = frame.filter(~pl.Series(is_test)), frame.filter(pl.Series(is_test))
    features = [c for c in frame.columns if c not in ("high_progression", "age_group")]
    model = make_pipeline(
        make_column_transformer((OneHotEncoder(handle_unknown="ignore"), ["sex"]), remainder="passthrough"),
        RandomForestClassifier(n_estimators=60, max_depth=6, random_state=0),
    )
    model.fit(train.select(features).to_pandas(), train["high_progression"].to_numpy())
    sio.dump(model, folder / "model.skops")
    train.write_csv(folder / "train.csv")
    test.write_csv(folder / "test.csv")
    (folder / "answers.yaml").write_text(
        "cn.pc.1: {answer: yes, elaboration: scikit-learn diabetes data, public and licensed for research}\n"
        "cn.pc.4: {answer: no, elaboration: not yet checked before this assessment}\n"
        "cn.pc.8: {answer: not_applicable}\n",
        encoding="utf-8",
    )
    print(f"wrote model.skops, train.csv, test.csv and answers.yaml to {folder}")  # noqa: T201


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "assess-demo"))
