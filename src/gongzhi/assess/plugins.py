"""Assessment tests (评估测试项) as plugins: a stable id and version, parameters, headline metrics, a run function.

Built-in tests register exactly as a third-party package would, through the entry-point group
``gongzhi.assess_tests`` naming a sequence of :class:`AssessmentTest`::

    [project.entry-points."gongzhi.assess_tests"]
    mylab = "mylab.tests:TESTS"

A test reads a :class:`TestContext` and returns a :class:`TestOutcome`: headline ``metrics`` (what
profile thresholds refer to) and JSON ``details`` for the report. It raises :class:`NotApplicable`
when its inputs are missing (e.g. no model) and :class:`TestFailed` for a clear error; anything else
is reported as an unexpected error of that test only.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.metadata import entry_points
from typing import TYPE_CHECKING, Any

import polars as pl
from pydantic import BaseModel

if TYPE_CHECKING:
    from gongzhi.assess.predictors import Predictor

TEST_ID = r"^[a-z0-9][a-z0-9_.\-]*@[0-9]+$"


class NotApplicable(Exception):
    """The test cannot run on these inputs (e.g. it needs a model); the report says why."""

    def __init__(self, message: str, /, **params: Any) -> None:
        super().__init__(message.format(**params) if params else message)
        self.message, self.params = message, params


class TestFailed(Exception):
    """A clear, expected error of a test (a model that crashes, an endpoint that times out)."""

    __test__ = False

    def __init__(self, message: str, /, **params: Any) -> None:
        super().__init__(message.format(**params) if params else message)
        self.message, self.params = message, params


@dataclass
class TestContext:
    """What a test sees: the test rows (predictions filled in), column roles, the model, the training rows."""

    __test__ = False

    data: pl.DataFrame
    target: str
    prediction: str | None
    score: str | None
    sensitive: list[str]
    features: list[str]
    task: str  # "binary" | "multiclass" | "regression"
    pos_label: Any = None
    predictor: Predictor | None = None
    train: pl.DataFrame | None = None
    seed: int = 0
    progress: Callable[[float], None] = field(default=lambda _f: None)

    def need_model(self) -> Predictor:
        from gongzhi.i18n import N_

        if self.predictor is None:
            raise NotApplicable(N_("Needs a model or an endpoint (model mode)."))
        return self.predictor


@dataclass
class TestOutcome:
    """Headline metrics (for thresholds) and details (for the report), plus warnings as message ids."""

    __test__ = False

    metrics: dict[str, float | None]
    details: dict[str, Any]
    warnings: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class AssessmentTest:
    """A registered test: ``id`` like ``gongzhi.assess.fairness@1`` never changes meaning once released."""

    __test__ = False

    id: str
    family: str
    title: str  # English message id
    description: str  # English message id
    params: type[BaseModel]
    metrics: tuple[str, ...]  # the headline metrics it reports (threshold names)
    run: Callable[[TestContext, Any], TestOutcome]
    tasks: tuple[str, ...] = ("binary", "multiclass", "regression")

    def result_schema(self) -> dict[str, Any]:
        """JSON Schema of this test's headline metrics."""
        return {
            "type": "object",
            "properties": {m: {"type": ["number", "null"]} for m in self.metrics},
            "additionalProperties": False,
        }


@lru_cache(maxsize=1)
def registry() -> dict[str, AssessmentTest]:
    """Every installed test by id (built-in and plugins); a duplicate id is an error."""
    found: dict[str, AssessmentTest] = {}
    for ep in entry_points(group="gongzhi.assess_tests"):
        tests: Sequence[AssessmentTest] = ep.load()
        for test in tests:
            if test.id in found:
                raise ValueError(f"assessment test {test.id!r} is registered twice")
            found[test.id] = test
    return found
