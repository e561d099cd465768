"""Models under test: scikit-learn via skops (trusted types only), ONNX Runtime, or a REST endpoint.

Uploaded models are data, never code: a pickle or joblib file is refused (unpickling runs arbitrary
code), a skops file is loaded only when every type in it is on the explicit trusted list below.

REST endpoint protocol (JSON over HTTP POST, one batch per request)::

    request:  {"instances": [{"age": 41, "income": 5200.0, ...}, ...]}
    response: {"predictions": [1, 0, ...], "probabilities": [0.83, 0.12, ...]}

``probabilities`` is optional: the positive-class probability (binary) or one list per row with a
probability per class. Each request has a timeout; connection errors, timeouts and 5xx answers are
retried with a back-off; a 4xx answer or a malformed body is an error at once.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import polars as pl

from gongzhi.assess.plugins import TestFailed
from gongzhi.errors import InvalidInput
from gongzhi.i18n import N_

#: Types a skops file may contain beyond skops' own defaults (scikit-learn estimators, numpy arrays).
#: Each is plain data in scikit-learn's fitted models; anything else is refused.
TRUSTED_TYPES: tuple[str, ...] = (
    "numpy.dtype",
    "sklearn.tree._tree.Tree",
    "sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor",
    "sklearn.ensemble._hist_gradient_boosting.binning._BinMapper",
    "sklearn._loss.loss.HalfBinomialLoss",
    "sklearn._loss.loss.HalfMultinomialLoss",
    "sklearn._loss.loss.HalfSquaredError",
    "sklearn._loss.link.LogitLink",
    "sklearn._loss.link.IdentityLink",
    "sklearn._loss.link.MultinomialLogit",
    "collections.OrderedDict",
)

PICKLE_EXTENSIONS = (".pkl", ".pickle", ".joblib", ".sav", ".dill")
PICKLE_ADVICE = N_(
    "The model file {name} is a pickle/joblib file. Gongzhi does not load pickles: opening one runs "
    'whatever code it contains. Convert it where you trust it: `skops.io.dump(model, "model.skops")` '
    "(scikit-learn) or export it to ONNX (skl2onnx, torch.onnx, paddle2onnx), then upload that file."
)


class Predictor(Protocol):
    """What the tests need from a model."""

    kind: str
    features: list[str] | None  # input columns the model expects, when it says so

    def predict(self, frame: pl.DataFrame) -> np.ndarray: ...

    def predict_proba(self, frame: pl.DataFrame) -> np.ndarray | None: ...


def model_kind(path: Path, *, name: str | None = None) -> str:
    """skops, onnx — or InvalidInput for a pickle/joblib or unknown file (``name``: the uploaded file name)."""
    with path.open("rb") as f:
        head = f.read(16)
    name = name or path.name
    suffix = Path(name).suffix.lower()
    if suffix in PICKLE_EXTENSIONS or head[:1] == b"\x80" or head[:2] in (b"x\x9c", b"\x1f\x8b"):
        raise InvalidInput(PICKLE_ADVICE, field="model", name=name)
    if head.startswith(b"PK\x03\x04"):
        return "skops"
    if suffix == ".onnx" or head[:1] == b"\x08":  # ModelProto starts with field 1 (ir_version)
        return "onnx"
    raise InvalidInput(
        N_("The model file {name} is neither a skops (.skops) nor an ONNX (.onnx) file."), field="model", name=name
    )


def load_model(path: Path, *, name: str | None = None) -> Predictor:
    """A predictor for a skops or ONNX file (checked and refused as :func:`model_kind` says)."""
    kind = model_kind(path, name=name)
    return SkopsPredictor(path) if kind == "skops" else OnnxPredictor(path)


def _positive_column(proba: np.ndarray) -> np.ndarray:
    return proba[:, 1] if proba.ndim == 2 and proba.shape[1] == 2 else proba


class SkopsPredictor:
    """A scikit-learn model saved with skops, loaded with the explicit trusted-type list."""

    kind = "skops"

    def __init__(self, path: Path) -> None:
        import skops.io as sio  # type: ignore[import-untyped]

        try:
            untrusted = sio.get_untrusted_types(file=path)
        except Exception as exc:  # noqa: BLE001 - a corrupt archive is the file's fault
            raise InvalidInput(
                N_("The skops file {name} cannot be read: {error}"), field="model", name=path.name, error=str(exc)[:300]
            ) from None
        refused = sorted(set(untrusted) - set(TRUSTED_TYPES))
        if refused:
            raise InvalidInput(
                N_("The skops file {name} contains types that are not trusted: {types}."),
                field="model",
                name=path.name,
                types=", ".join(refused)[:500],
            )
        self.model: Any = sio.load(path, trusted=list(untrusted))
        names = getattr(self.model, "feature_names_in_", None)
        self.features: list[str] | None = [str(n) for n in names] if names is not None else None
        self.classes: list[Any] | None = list(getattr(self.model, "classes_", [])) or None

    def _frame(self, frame: pl.DataFrame) -> Any:
        columns = self.features or frame.columns
        return frame.select(columns).to_pandas()

    def predict(self, frame: pl.DataFrame) -> np.ndarray:
        try:
            return np.asarray(self.model.predict(self._frame(frame)))
        except Exception as exc:  # noqa: BLE001 - the model's own failure, reported as such
            raise TestFailed(
                N_("The model failed to predict: {error}"), error=f"{type(exc).__name__}: {exc}"[:500]
            ) from None

    def predict_proba(self, frame: pl.DataFrame) -> np.ndarray | None:
        if not hasattr(self.model, "predict_proba"):
            return None
        try:
            return _positive_column(np.asarray(self.model.predict_proba(self._frame(frame)), dtype=np.float64))
        except Exception as exc:  # noqa: BLE001
            raise TestFailed(
                N_("The model failed to predict: {error}"), error=f"{type(exc).__name__}: {exc}"[:500]
            ) from None

    def tree_model(self) -> tuple[Any, Any] | None:
        """(tree estimator, transformer before it or None) when the model is tree-based, for SHAP."""
        model, before = self.model, None
        if hasattr(model, "steps"):
            model, before = model.steps[-1][1], (model[:-1] if len(model.steps) > 1 else None)
        name = type(model).__name__
        tree_like = ("Forest", "Tree", "GradientBoosting", "ExtraTrees")
        return (model, before) if any(t in name for t in tree_like) else None


class OnnxPredictor:
    """An ONNX model (covers PyTorch, PaddlePaddle and MindSpore exports) run by ONNX Runtime on CPU."""

    kind = "onnx"

    def __init__(self, path: Path) -> None:
        import onnxruntime as ort  # type: ignore[import-untyped]

        try:
            self.session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
        except Exception as exc:  # noqa: BLE001
            raise InvalidInput(
                N_("The ONNX file {name} cannot be loaded: {error}"),
                field="model",
                name=path.name,
                error=str(exc)[:300],
            ) from None
        self.inputs = self.session.get_inputs()
        self.outputs = [o.name for o in self.session.get_outputs()]
        # One input per column (skl2onnx with named inputs) or one matrix input of all features.
        self.per_column = len(self.inputs) > 1
        self.features: list[str] | None = [i.name for i in self.inputs] if self.per_column else None

    def _feed(self, frame: pl.DataFrame) -> dict[str, np.ndarray]:
        if self.per_column:
            feed = {}
            for i in self.inputs:
                column = frame[i.name]
                if "string" in i.type:
                    feed[i.name] = column.cast(pl.String).to_numpy().astype(object).reshape(-1, 1)
                elif "int64" in i.type:
                    feed[i.name] = column.cast(pl.Int64).to_numpy().reshape(-1, 1)
                else:
                    feed[i.name] = column.cast(pl.Float32).to_numpy().reshape(-1, 1)
            return feed
        matrix = frame.select(pl.all().cast(pl.Float32)).to_numpy()
        return {self.inputs[0].name: matrix}

    def _run(self, frame: pl.DataFrame) -> list[Any]:
        try:
            result: list[Any] = self.session.run(None, self._feed(frame))
            return result
        except Exception as exc:  # noqa: BLE001
            raise TestFailed(
                N_("The model failed to predict: {error}"), error=f"{type(exc).__name__}: {exc}"[:500]
            ) from None

    def predict(self, frame: pl.DataFrame) -> np.ndarray:
        return np.asarray(self._run(frame)[0]).reshape(-1)

    def predict_proba(self, frame: pl.DataFrame) -> np.ndarray | None:
        out = self._run(frame)
        if len(out) < 2:
            return None
        proba = out[1]
        if isinstance(proba, list) and proba and isinstance(proba[0], dict):  # ZipMap: one dict per row
            keys = sorted(proba[0])
            proba = np.array([[row[k] for k in keys] for row in proba])
        return _positive_column(np.asarray(proba, dtype=np.float64))


class EndpointPredictor:
    """A REST prediction endpoint speaking the JSON batch protocol in this module's docstring."""

    kind = "endpoint"

    def __init__(
        self,
        url: str,
        *,
        features: Sequence[str] | None = None,
        batch_size: int = 256,
        timeout: float = 10.0,
        retries: int = 3,
        backoff: float = 0.5,
        headers: dict[str, str] | None = None,
    ) -> None:
        if not url.startswith(("http://", "https://")):
            raise InvalidInput(N_("The endpoint must be an http:// or https:// URL."), field="endpoint")
        self.url = url
        self.features = list(features) if features else None
        self.batch_size, self.timeout, self.retries, self.backoff = batch_size, timeout, retries, backoff
        self.headers = headers or {}
        self._cache: tuple[int, np.ndarray, np.ndarray | None] | None = None

    def _post(self, client: Any, rows: list[dict[str, Any]]) -> dict[str, Any]:
        import httpx

        last = ""
        for attempt in range(self.retries + 1):
            try:
                response = client.post(self.url, json={"instances": rows}, headers=self.headers)
            except httpx.TimeoutException:
                last = "timeout"
            except httpx.HTTPError as exc:
                last = f"{type(exc).__name__}"
            else:
                if response.status_code >= 500:
                    last = f"HTTP {response.status_code}"
                elif response.status_code >= 400:
                    raise TestFailed(
                        N_("The endpoint refused the request (HTTP {status}): {body}"),
                        status=response.status_code,
                        body=response.text[:300],
                    )
                else:
                    try:
                        body = response.json()
                    except ValueError:
                        body = None
                    if not isinstance(body, dict) or not isinstance(body.get("predictions"), list):
                        raise TestFailed(N_("The endpoint's answer is not JSON with a list of predictions."))
                    if len(body["predictions"]) != len(rows):
                        raise TestFailed(
                            N_("The endpoint answered {got} predictions for {sent} rows."),
                            got=len(body["predictions"]),
                            sent=len(rows),
                        )
                    return body
            if attempt < self.retries:
                time.sleep(self.backoff * (2**attempt))
        raise TestFailed(
            N_("The endpoint {url} did not answer ({error}) after {n} attempts of {timeout} s each."),
            url=self.url,
            error=last,
            n=self.retries + 1,
            timeout=self.timeout,
        )

    def _call(self, frame: pl.DataFrame) -> tuple[np.ndarray, np.ndarray | None]:
        import httpx

        key = hash((frame.height, tuple(frame.columns), frame.hash_rows().sum()))
        if self._cache is not None and self._cache[0] == key:
            return self._cache[1], self._cache[2]
        columns = self.features or frame.columns
        rows = frame.select(columns).to_dicts()
        predictions: list[Any] = []
        probabilities: list[Any] = []
        with httpx.Client(timeout=self.timeout) as client:
            for start in range(0, len(rows), self.batch_size):
                body = self._post(client, rows[start : start + self.batch_size])
                predictions += body["predictions"]
                if isinstance(body.get("probabilities"), list):
                    probabilities += body["probabilities"]
        proba = None
        if probabilities and len(probabilities) == len(predictions):
            proba = _positive_column(np.asarray(probabilities, dtype=np.float64))
        result = (np.asarray(predictions), proba)
        self._cache = (key, *result)
        return result

    def predict(self, frame: pl.DataFrame) -> np.ndarray:
        return self._call(frame)[0]

    def predict_proba(self, frame: pl.DataFrame) -> np.ndarray | None:
        return self._call(frame)[1]
