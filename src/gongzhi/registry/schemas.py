"""Shapes of register data at the edges. ``*Public`` models carry only public fields (公示)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from gongzhi.registry.fields import AlgorithmType, DeploymentScope, ModelKind, Sector
from gongzhi.registry.workflow import FilingState


class SystemCreate(BaseModel):
    """A new AI system record (and its first version)."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    name_en: str | None = Field(default=None, max_length=200)
    purpose: str = Field(min_length=1, max_length=4000)
    sector: Sector
    deployment_scope: DeploymentScope
    region: str = Field(min_length=1, max_length=200)
    expected_users: str = Field(default="", max_length=300)
    model_kind: ModelKind
    algorithm_type: AlgorithmType
    public_opinion: bool = False
    social_mobilisation: bool = False
    processes_personal_info: bool = False
    processes_sensitive_personal_info: bool = False
    automated_decisions: bool = False
    interacts_with_people: bool = False
    general_purpose_model: bool = False
    eu_annex_iii_area: str | None = None
    eu_practices: list[str] = Field(default_factory=list, max_length=20)
    data_sources: str = Field(default="", max_length=8000)
    monthly_active_users: int | None = Field(default=None, ge=0)
    technical_contact: str = Field(default="", max_length=300)
    internal_notes: str = Field(default="", max_length=8000)
    version: str = Field(default="1.0", max_length=40)


class SystemUpdate(BaseModel):
    """Fields to change; omitted fields stay as they are."""

    model_config = ConfigDict(extra="forbid")

    name_en: str | None = Field(default=None, max_length=200)
    purpose: str | None = Field(default=None, min_length=1, max_length=4000)
    sector: Sector | None = None
    deployment_scope: DeploymentScope | None = None
    region: str | None = Field(default=None, min_length=1, max_length=200)
    expected_users: str | None = Field(default=None, max_length=300)
    model_kind: ModelKind | None = None
    algorithm_type: AlgorithmType | None = None
    public_opinion: bool | None = None
    social_mobilisation: bool | None = None
    processes_personal_info: bool | None = None
    processes_sensitive_personal_info: bool | None = None
    automated_decisions: bool | None = None
    interacts_with_people: bool | None = None
    general_purpose_model: bool | None = None
    eu_annex_iii_area: str | None = None
    eu_practices: list[str] | None = Field(default=None, max_length=20)
    data_sources: str | None = Field(default=None, max_length=8000)
    monthly_active_users: int | None = Field(default=None, ge=0)
    technical_contact: str | None = Field(default=None, max_length=300)
    internal_notes: str | None = Field(default=None, max_length=8000)


class VersionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: str = Field(max_length=40)
    changes: str = Field(default="", max_length=4000)
    released_on: dt.date | None = None


class VersionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    version: str
    released_on: dt.date | None
    changes: str
    created_at: dt.datetime


class TieringOut(BaseModel):
    """A tiering outcome: the tier, its obligations and the rules that fired (the reason)."""

    model_config = ConfigDict(from_attributes=True)

    profile_id: str
    profile_sha256: str
    tier: str
    rank: int
    result: dict[str, Any]
    computed_at: dt.datetime


class SystemPublicFields(BaseModel):
    """The public fields of a system (公示内容)."""

    model_config = ConfigDict(from_attributes=True)

    name: str
    name_en: str | None
    purpose: str
    sector: Sector
    deployment_scope: DeploymentScope
    region: str
    expected_users: str
    model_kind: ModelKind
    algorithm_type: AlgorithmType
    public_opinion: bool
    social_mobilisation: bool
    processes_personal_info: bool
    processes_sensitive_personal_info: bool
    automated_decisions: bool
    interacts_with_people: bool
    general_purpose_model: bool
    eu_annex_iii_area: str | None
    eu_practices: list[str]


class SystemOut(SystemPublicFields):
    """The full record, for the provider, the regulator and cleared reviewers."""

    id: int
    org_id: int
    data_sources: str
    monthly_active_users: int | None
    technical_contact: str
    internal_notes: str
    created_at: dt.datetime
    updated_at: dt.datetime
    versions: list[VersionOut]


class SystemPage(BaseModel):
    items: list[SystemOut]
    next_cursor: str | None


class FilingCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    system_id: int
    version: str | None = Field(default=None, description="a registered version; the newest when omitted")


class FilingFormUpdate(BaseModel):
    """The filing form (see ``registry.forms.FilingForm``); replaces the stored form."""

    model_config = ConfigDict(extra="forbid")

    form: dict[str, Any]


class Declaration(BaseModel):
    model_config = ConfigDict(extra="forbid")

    declare: Literal[True] = Field(description="the enterprise administrator's declaration that the filing is true")


class ReportAttach(BaseModel):
    model_config = ConfigDict(extra="forbid")

    report_id: int = Field(description="an assessment report's id (see /api/v1/assess)")


class AttachmentOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: str
    filename: str
    content_type: str
    size: int
    sha256: str
    report_ref: str | None
    created_at: dt.datetime


class ReviewOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    filing_id: int
    expert_id: int
    assigned_at: dt.datetime
    due_at: dt.datetime
    conflict: bool | None
    declared_at: dt.datetime | None
    opinion: str | None
    reasons: str | None
    opinion_at: dt.datetime | None
    revision: int | None


class FilingOut(BaseModel):
    """A filing as the provider, the regulator and cleared reviewers see it."""

    id: int
    system_id: int
    system_name: str
    org_id: int
    version: str
    state: FilingState
    revision: int
    form: dict[str, Any]
    filing_number: str | None
    submitted_at: dt.datetime | None
    decided_at: dt.datetime | None
    decision_reason: str | None
    review_due_at: dt.datetime | None
    reassessment_due_at: dt.datetime | None
    allowed_transitions: list[str]
    attachments: list[AttachmentOut]
    reviews: list[ReviewOut]
    confidential_hidden: bool = Field(description="true when confidential parts were left out for this caller")


class FilingPage(BaseModel):
    items: list[FilingOut]
    next_cursor: str | None


class AssignReviewers(BaseModel):
    model_config = ConfigDict(extra="forbid")

    expert_ids: list[int] = Field(min_length=1, max_length=20)
    due_days: int | None = Field(default=None, ge=1, le=365)


class ConflictDeclaration(BaseModel):
    model_config = ConfigDict(extra="forbid")

    has_conflict: bool
    statement: str = Field(default="", max_length=4000)


class Opinion(BaseModel):
    model_config = ConfigDict(extra="forbid")

    opinion: Literal["approve", "request_changes", "reject"]
    reasons: str = Field(min_length=1, max_length=8000)


class Decision(BaseModel):
    model_config = ConfigDict(extra="forbid")

    decision: Literal["approve", "reject", "request_changes", "suspend", "reinstate", "revoke"]
    reason: str = Field(min_length=1, max_length=8000)


class RegisterBase(BaseModel):
    filing_id: int
    filing_number: str
    state: FilingState
    provider: str
    provider_en: str | None
    version: str
    approved_at: dt.datetime | None = Field(description="when the regulator decided")
    tiers: dict[str, str] = Field(description="the current tier by tiering profile id")
    ledger_seq: int | None = Field(description="the ledger entry of the latest decision")
    proof_url: str | None


class RegisterSummary(RegisterBase):
    """An entry of the public register in lists and searches."""

    system_name: str
    system_name_en: str | None
    algorithm_type: AlgorithmType
    sector: Sector
    region: str


class RegisterEntry(RegisterBase):
    """One entry of the public register (公示): public fields only, with its ledger proof."""

    system: SystemPublicFields
    form: dict[str, Any] = Field(description="the public parts of the filing form")


class RegisterPage(BaseModel):
    items: list[RegisterSummary]
    next_cursor: str | None
    total: int | None = Field(description="how many entries match (only with ?count=true)")
