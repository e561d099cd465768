"""Reading data (encodings, formats), performance metrics against scikit-learn, and model loading."""

from __future__ import annotations

import http.server
import json
import pickle
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from sklearn import metrics as skm

from gongzhi.assess import performance, predictors, tables
from gongzhi.assess.plugins import TestFailed
from gongzhi.errors import InvalidInput


def test_csv_in_gbk_is_detected(tmp_path: Path) -> None:
    path = tmp_path / "gbk.csv"
    path.write_bytes("性别,地区,标签\n男,华东,1\n女,华北,0\n".encode("gbk"))
    frame = tables.read_table(path)
    assert frame.columns == ["性别", "地区", "标签"] and frame["性别"].to_list() == ["男", "女"]
    utf8 = tmp_path / "utf8.csv"
    utf8.write_bytes("\ufeff性别,标签\n男,1\n".encode())
    assert tables.read_table(utf8).columns == ["性别", "标签"]


def test_excel_and_parquet(tmp_path: Path, credit: pl.DataFrame) -> None:
    credit.head(50).write_excel(tmp_path / "c.xlsx")
    credit.write_parquet(tmp_path / "c.parquet")
    assert tables.detect_format(tmp_path / "c.xlsx") == "excel"
    assert tables.read_table(tmp_path / "c.xlsx").height == 50
    assert tables.read_table(tmp_path / "c.parquet", columns=["sex"]).columns == ["sex"]
    with pytest.raises(InvalidInput, match="Unknown column"):
        tables.read_table(tmp_path / "c.parquet", columns=["nope"])


def test_binary_labels() -> None:
    y, label = tables.binary(pl.Series("y", ["yes", "no", "yes"]))
    assert label == "yes" and y.tolist() == [True, False, True]
    with pytest.raises(InvalidInput, match="not binary"):
        tables.binary(pl.Series("p", [0, 2]), pos_label=1, role="prediction")


def test_classification_metrics_equal_scikit_learn(credit: pl.DataFrame) -> None:
    y = credit["approved"].to_numpy().astype(bool)
    p = credit["predicted"].to_numpy().astype(bool)
    s = credit["score"].to_numpy()
    out = performance.binary_classification(y, p, s)
    assert out["accuracy"] == pytest.approx(skm.accuracy_score(y, p), abs=1e-12)
    assert out["precision"] == pytest.approx(skm.precision_score(y, p), abs=1e-12)
    assert out["recall"] == pytest.approx(skm.recall_score(y, p), abs=1e-12)
    assert out["f1"] == pytest.approx(skm.f1_score(y, p), abs=1e-12)
    assert out["roc_auc"] == pytest.approx(skm.roc_auc_score(y, s), abs=1e-12)
    assert out["log_loss"] == pytest.approx(skm.log_loss(y, s), abs=1e-9)
    assert out["brier"] == pytest.approx(skm.brier_score_loss(y, s), abs=1e-12)
    assert out["confusion_matrix"]["matrix"] == skm.confusion_matrix(y, p).tolist()


def test_regression_metrics_equal_scikit_learn() -> None:
    rng = np.random.default_rng(0)
    y = rng.normal(size=500)
    p = y + rng.normal(scale=0.3, size=500)
    out = performance.regression(y, p)
    assert out["mae"] == pytest.approx(skm.mean_absolute_error(y, p))
    assert out["rmse"] == pytest.approx(np.sqrt(skm.mean_squared_error(y, p)))
    assert out["r2"] == pytest.approx(skm.r2_score(y, p))


def test_pickle_and_joblib_files_are_refused_with_advice(tmp_path: Path) -> None:
    path = tmp_path / "model.pkl"
    path.write_bytes(pickle.dumps({"not": "a model"}))
    with pytest.raises(InvalidInput) as caught:
        predictors.load_model(path)
    assert "skops.io.dump" in str(caught.value) and "ONNX" in str(caught.value)
    renamed = tmp_path / "model.skops"
    renamed.write_bytes(path.read_bytes())  # a pickle by any other name is still a pickle
    with pytest.raises(InvalidInput, match="pickle"):
        predictors.model_kind(renamed)
    with pytest.raises(InvalidInput, match="pickle"):
        predictors.model_kind(renamed, name="trained.joblib")


def test_skops_model_loads_with_trusted_types(skops_model: Path, credit: pl.DataFrame) -> None:
    model = predictors.load_model(skops_model)
    assert model.kind == "skops" and model.features == ["sex", "region", "income", "age"]
    proba = model.predict_proba(credit)
    assert proba is not None and proba.shape == (credit.height,) and 0 <= proba.min() <= proba.max() <= 1
    assert set(np.unique(model.predict(credit))) <= {0, 1}


def test_onnx_model(tmp_path: Path, credit: pl.DataFrame) -> None:
    from skl2onnx import to_onnx
    from sklearn.linear_model import LogisticRegression

    x = credit.select("income", "age").to_numpy().astype(np.float32)
    clf = LogisticRegression(max_iter=500).fit(x, credit["approved"].to_numpy())
    path = tmp_path / "m.onnx"
    path.write_bytes(to_onnx(clf, x[:1], options={"zipmap": False}).SerializeToString())
    model = predictors.load_model(path)
    assert model.kind == "onnx"
    frame = credit.select("income", "age")
    assert (model.predict(frame) == clf.predict(x)).mean() > 0.99
    proba = model.predict_proba(frame)
    assert proba is not None
    assert np.allclose(proba, clf.predict_proba(x)[:, 1], atol=1e-4)


class _Stub(http.server.BaseHTTPRequestHandler):
    """A local prediction endpoint: ``/ok`` answers, ``/slow`` never in time, ``/flaky`` fails once first."""

    calls: dict[str, int] = {}

    def log_message(self, *args: object) -> None:
        pass

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.calls[self.path] = self.calls.get(self.path, 0) + 1
        if self.path == "/slow":
            time.sleep(1.0)
        if self.path == "/flaky" and self.calls[self.path] == 1:
            self.send_response(503)
            self.end_headers()
            return
        rows = body["instances"]
        answer = {
            "predictions": [int(r["income"] > 5000) for r in rows],
            "probabilities": [min(max((r["income"] - 2000) / 6000, 0.0), 1.0) for r in rows],
        }
        data = json.dumps(answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture
def endpoint() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Stub)
    _Stub.calls = {}
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_endpoint_batches_and_retries(endpoint: str, credit: pl.DataFrame) -> None:
    model = predictors.EndpointPredictor(f"{endpoint}/ok", features=["income", "age"], batch_size=100)
    predicted = model.predict(credit)
    assert predicted.tolist() == (credit["income"] > 5000).cast(int).to_list()
    assert _Stub.calls["/ok"] == 12  # 1200 rows in batches of 100
    flaky = predictors.EndpointPredictor(f"{endpoint}/flaky", features=["income"], backoff=0.01)
    assert len(flaky.predict(credit.head(10))) == 10 and _Stub.calls["/flaky"] == 2


def test_endpoint_timeout_is_a_clear_error(endpoint: str, credit: pl.DataFrame) -> None:
    model = predictors.EndpointPredictor(f"{endpoint}/slow", timeout=0.2, retries=1, backoff=0.01)
    with pytest.raises(TestFailed, match="did not answer") as caught:
        model.predict(credit.head(5))
    assert caught.value.params["n"] == 2
