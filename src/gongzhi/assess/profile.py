"""The ``assessment`` profile kind: principles, controls, tests with thresholds, and process checks.

A profile encodes a standard (TC260 framework themes, NIST AI RMF MEASURE, EU AI Act Art. 9-15,
ISO/IEC 42001 Annex A) as data: which tests to run with which parameters, the thresholds that make a
test pass, the controls (控制项) each test and each process check (过程核查) gives evidence for, and
the principles the controls are scored under. Thresholds belong to the profile, never to the code.

>>> Threshold(metric="demographic_parity_difference", max=0.1).check(0.05)
'pass'
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from gongzhi.standards.schema import Localized, Verification

EvidenceType = Literal["document", "record", "log", "screenshot", "policy", "test_report", "other"]
Family = Literal["performance", "fairness", "robustness", "explainability", "privacy", "data_quality", "security"]


class Principle(BaseModel):
    """A heading the profile scores controls under (e.g. 公平性 fairness)."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    title: Localized


class Control(BaseModel):
    """One requirement (控制项) of the standard, with the clause it comes from."""

    model_config = ConfigDict(extra="forbid")

    id: str
    title: Localized
    principle: str
    reference: str | None = Field(default=None, description="clause or article, e.g. 'Art. 15' or 'MEASURE 2.11'")
    verification: Verification | None = Field(default=None, description="how sure we are of this control (SPEC 0.1)")


class Threshold(BaseModel):
    """A bound on one of a test's headline metrics; ``max`` and/or ``min``."""

    model_config = ConfigDict(extra="forbid")

    metric: str
    max: float | None = None
    min: float | None = None

    @model_validator(mode="after")
    def _one_bound(self) -> Threshold:
        if self.max is None and self.min is None:
            raise ValueError("a threshold needs max or min")
        return self

    def check(self, value: float | None) -> str:
        """pass, fail, or undefined (no value to compare)."""
        if value is None:
            return "undefined"
        if self.max is not None and value > self.max:
            return "fail"
        if self.min is not None and value < self.min:
            return "fail"
        return "pass"


class TestSpec(BaseModel):
    """A test the profile runs: the plugin's stable id, its parameters, thresholds and controls."""

    __test__ = False  # not a pytest class

    model_config = ConfigDict(extra="forbid")

    test: str = Field(description="plugin id, e.g. gongzhi.assess.fairness@1")
    params: dict[str, Any] = Field(default_factory=dict)
    thresholds: list[Threshold] = Field(default_factory=list)
    controls: list[str] = Field(default_factory=list)


class ProcessCheck(BaseModel):
    """A questionnaire item (过程核查): answered yes / no / not applicable with elaboration and evidence."""

    model_config = ConfigDict(extra="forbid")

    id: str
    control: str
    question: Localized
    evidence: EvidenceType = "document"
    guidance: Localized | None = None


class AssessmentProfile(BaseModel):
    """Body of a profile of kind ``assessment``."""

    model_config = ConfigDict(extra="forbid")

    principles: list[Principle] = Field(min_length=1)
    controls: list[Control] = Field(min_length=1)
    tests: list[TestSpec] = Field(default_factory=list)
    process_checks: list[ProcessCheck] = Field(default_factory=list)

    @model_validator(mode="after")
    def _references(self) -> AssessmentProfile:
        principles = {p.id for p in self.principles}
        controls = {c.id for c in self.controls}
        if len(principles) != len(self.principles):
            raise ValueError("principle ids must be unique")
        if len(controls) != len(self.controls):
            raise ValueError("control ids must be unique")
        for control in self.controls:
            if control.principle not in principles:
                raise ValueError(f"control {control.id} names unknown principle {control.principle}")
        for spec in self.tests:
            for ref in spec.controls:
                if ref not in controls:
                    raise ValueError(f"test {spec.test} names unknown control {ref}")
        ids = [c.id for c in self.process_checks]
        if len(set(ids)) != len(ids):
            raise ValueError("process check ids must be unique")
        for check in self.process_checks:
            if check.control not in controls:
                raise ValueError(f"process check {check.id} names unknown control {check.control}")
        return self

    def control(self, control_id: str) -> Control:
        return next(c for c in self.controls if c.id == control_id)


#: The profile kinds this area defines (``Area.profile_kinds``).
PROFILE_KINDS: dict[str, type[BaseModel]] = {"assessment": AssessmentProfile}
