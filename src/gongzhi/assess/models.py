"""Assessment tables: uploaded files (data, models, evidence), assessments and their reports."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from gongzhi.db.base import Base, utcnow


class AssessmentFile(Base):
    """An uploaded file, stored by its SHA-256: test or training data, a model, or process-check evidence."""

    __tablename__ = "assess_files"
    __table_args__ = (Index("ix_assess_files_org_id_id", "org_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    role: Mapped[str] = mapped_column(String(20))  # data | model | evidence
    name: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(BigInteger)
    format: Mapped[str] = mapped_column(String(20))  # csv | excel | parquet | skops | onnx | other
    columns: Mapped[list[str]] = mapped_column(default=list)
    rows: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Assessment(Base):
    """One run of a profile (评估) on data and, in model mode, a model or an endpoint."""

    __tablename__ = "assess_assessments"
    __table_args__ = (Index("ix_assess_assessments_org_id_id", "org_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    title: Mapped[str] = mapped_column(String(200), default="")
    profile_id: Mapped[str] = mapped_column(String(120))
    profile_sha256: Mapped[str] = mapped_column(String(64))
    data_file_id: Mapped[int] = mapped_column(ForeignKey("assess_files.id"))
    model_file_id: Mapped[int | None] = mapped_column(ForeignKey("assess_files.id"))
    train_file_id: Mapped[int | None] = mapped_column(ForeignKey("assess_files.id"))
    endpoint: Mapped[str | None] = mapped_column(String(500))
    params: Mapped[dict[str, Any]] = mapped_column(default=dict)
    answers: Mapped[dict[str, Any]] = mapped_column(default=dict)
    locale: Mapped[str] = mapped_column(String(10), default="zh_CN")
    status: Mapped[str] = mapped_column(String(20), default="queued")  # queued | succeeded | failed
    job_id: Mapped[int | None] = mapped_column(ForeignKey("jobs.id"))
    summary: Mapped[dict[str, Any]] = mapped_column(default=dict)
    error: Mapped[str | None] = mapped_column(Text)
    error_params: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[dt.datetime | None]


class AssessmentReport(Base):
    """A rendered report of an assessment (JSON, or HTML/PDF in one language), kept by its SHA-256."""

    __tablename__ = "assess_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assess_assessments.id"), index=True)
    org_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    format: Mapped[str] = mapped_column(String(10))  # json | html | pdf
    locale: Mapped[str | None] = mapped_column(String(10))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
