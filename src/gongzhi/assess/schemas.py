"""Shapes of assessments at the edges (API and pages)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from gongzhi.assess.models import Assessment, AssessmentFile, AssessmentReport
from gongzhi.i18n import gettext
from gongzhi.standards.loader import Profile


class FilePublic(BaseModel):
    id: int
    role: str
    name: str
    sha256: str
    size: int
    format: str
    columns: list[str]
    rows: int | None
    created_at: dt.datetime

    @classmethod
    def of(cls, item: AssessmentFile) -> FilePublic:
        return cls.model_validate(item, from_attributes=True)


class FilePage(BaseModel):
    items: list[FilePublic]
    next_cursor: str | None


class AnswerIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    answer: Literal["yes", "no", "not_applicable"]
    elaboration: str = Field(default="", max_length=4000)
    evidence: list[int] = Field(default_factory=list, description="ids of uploaded evidence files")


class AssessmentCreate(BaseModel):
    """Start an assessment: a profile, uploaded test data and either prediction columns, a model or an endpoint."""

    model_config = ConfigDict(extra="forbid")

    profile_id: str
    data_file_id: int
    target: str
    prediction: str | None = None
    score: str | None = None
    sensitive: list[str] = Field(default_factory=list)
    features: list[str] = Field(default_factory=list)
    model_file_id: int | None = None
    train_file_id: int | None = None
    endpoint: str | None = Field(default=None, max_length=500)
    pos_label: str | None = None
    answers: dict[str, AnswerIn] = Field(default_factory=dict)
    title: str = Field(default="", max_length=200)
    locale: Literal["zh_CN", "en"] = "zh_CN"
    seed: int = 0


class ReportPublic(BaseModel):
    id: int
    assessment_id: int
    format: str
    locale: str | None
    sha256: str
    size: int
    created_at: dt.datetime
    download: str

    @classmethod
    def of(cls, item: AssessmentReport) -> ReportPublic:
        return cls(
            id=item.id,
            assessment_id=item.assessment_id,
            format=item.format,
            locale=item.locale,
            sha256=item.sha256,
            size=item.size,
            created_at=item.created_at,
            download=f"/api/v1/assess/reports/{item.id}/download",
        )


class AssessmentPublic(BaseModel):
    id: int
    title: str
    profile_id: str
    profile_sha256: str
    data_file_id: int
    model_file_id: int | None
    train_file_id: int | None
    endpoint: str | None
    params: dict[str, Any]
    locale: str
    status: str
    job_id: int | None
    summary: dict[str, Any]
    error: str | None
    created_at: dt.datetime
    finished_at: dt.datetime | None
    reports: list[ReportPublic] = Field(default_factory=list)

    @classmethod
    def of(cls, item: Assessment, locale: str, reports: list[AssessmentReport] | None = None) -> AssessmentPublic:
        return cls(
            id=item.id,
            title=item.title,
            profile_id=item.profile_id,
            profile_sha256=item.profile_sha256,
            data_file_id=item.data_file_id,
            model_file_id=item.model_file_id,
            train_file_id=item.train_file_id,
            endpoint=item.endpoint,
            params=item.params,
            locale=item.locale,
            status=item.status,
            job_id=item.job_id,
            summary=item.summary,
            error=gettext(locale, item.error, **item.error_params) if item.error else None,
            created_at=item.created_at,
            finished_at=item.finished_at,
            reports=[ReportPublic.of(r) for r in reports or []],
        )


class AssessmentPage(BaseModel):
    items: list[AssessmentPublic]
    next_cursor: str | None


class ProfileSummary(BaseModel):
    id: str
    title: str
    jurisdiction: str | None
    verification: str
    tests: list[str]
    process_checks: int
    sha256: str

    @classmethod
    def of(cls, profile: Profile, locale: str) -> ProfileSummary:
        return cls(
            id=profile.id,
            title=profile.header.title.get(locale),
            jurisdiction=profile.header.jurisdiction,
            verification=profile.header.verification,
            tests=[t.test for t in profile.body.tests],
            process_checks=len(profile.body.process_checks),
            sha256=profile.sha256,
        )
