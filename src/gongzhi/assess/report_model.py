"""The published JSON Schema of assessment reports (format ``gongzhi.assess.report@1``).

``AssessmentReportDocument.model_validate(report)`` checks a report; ``report_json_schema()`` is what
``GET /api/v1/assess/report-schema`` serves and what docs/assess.md describes.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Status = Literal["pass", "fail", "error", "skipped", "info", "inconclusive"]
ControlStatus = Literal["pass", "fail", "incomplete", "not_applicable", "not_assessed"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class MessageRef(_Strict):
    message: str = Field(description="English message id (translated in the HTML/PDF reports)")
    params: dict[str, Any] = Field(default_factory=dict)


class ThresholdOutcome(_Strict):
    metric: str
    max: float | None
    min: float | None
    value: float | None
    outcome: Literal["pass", "fail", "undefined"]


class TestResult(_Strict):
    __test__ = False

    key: str
    test: str = Field(description="stable plugin id, e.g. gongzhi.assess.fairness@1")
    family: str | None
    title: str
    controls: list[str]
    params: dict[str, Any]
    status: Status
    metrics: dict[str, float | None]
    thresholds: list[ThresholdOutcome]
    details: dict[str, Any]
    warnings: list[MessageRef]
    error: MessageRef | None
    seconds: float


class ControlResult(_Strict):
    id: str
    title: dict[str, str]
    principle: str
    reference: str | None
    verification: str | None
    status: ControlStatus
    tests: list[str]
    process_checks: list[str]


class PrincipleResult(_Strict):
    id: str
    title: dict[str, str]
    controls: int
    passed: int
    failed: int
    score: float | None


class ProcessCheckResult(_Strict):
    id: str
    control: str
    question: dict[str, str]
    evidence_type: str
    answer: Literal["yes", "no", "not_applicable"] | None
    elaboration: str
    evidence: list[dict[str, Any]]
    status: Literal["pass", "fail", "not_applicable", "unanswered"]


class AssessmentReportDocument(_Strict):
    """One assessment report: the profile, the subject, the summary, principles, controls, tests, process checks."""

    format: Literal["gongzhi.assess.report@1"]
    generated_at: str
    generator: dict[str, str]
    title: str
    profile: dict[str, Any]
    subject: dict[str, Any]
    summary: dict[str, Any]
    principles: list[PrincipleResult]
    controls: list[ControlResult]
    tests: list[TestResult]
    process_checks: list[ProcessCheckResult]


def report_json_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of an assessment report."""
    schema = AssessmentReportDocument.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://gongzhi.dev/schemas/assess/report-1.json"
    return schema
