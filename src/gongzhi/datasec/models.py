"""Data-security tables: sources (数据源), scans, the inventory of data assets (数据资产) and their columns,
overrides of a column's grade, and masking runs. Values are never stored: masked examples only."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from gongzhi.db.base import Base, utcnow


class DataSource(Base):
    """Something to scan: an uploaded file, a server path or a database URL (password never shown)."""

    __tablename__ = "datasec_sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))  # upload | path | database
    #: Upload: the blob's SHA-256; path: the server path; database: the URL (kept server-side only).
    location: Mapped[str] = mapped_column(Text)
    filename: Mapped[str | None] = mapped_column(String(300))
    size_bytes: Mapped[int | None] = mapped_column(Integer)
    org_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    scans: Mapped[list[Scan]] = relationship(back_populates="source", order_by="Scan.id.desc()")


class Scan(Base):
    """One scan of a source with a grading profile; its report's SHA-256 is in the ledger."""

    __tablename__ = "datasec_scans"
    # The job fills these in as it runs; the outcome (report digest) is recorded when it finishes.
    __ledger_exempt_columns__ = frozenset({"state", "job_id"})

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("datasec_sources.id"), index=True)
    org_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    job_id: Mapped[int | None] = mapped_column(ForeignKey("jobs.id"))
    profile_id: Mapped[str] = mapped_column(String(120))
    sample_rows: Mapped[int | None] = mapped_column(Integer)
    options: Mapped[dict[str, Any]] = mapped_column(default=dict)
    state: Mapped[str] = mapped_column(String(20), default="queued")  # queued | running | done | failed
    level: Mapped[str | None] = mapped_column(String(40))
    report_sha256: Mapped[str | None] = mapped_column(String(64))
    summary: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[dt.datetime | None]

    source: Mapped[DataSource] = relationship(back_populates="scans")
    assets: Mapped[list[DataAsset]] = relationship(back_populates="scan", order_by="DataAsset.id")


class DataAsset(Base):
    """A table (or free-text part) of a source as a scan found it: the inventory's unit (数据资产)."""

    __tablename__ = "datasec_assets"

    id: Mapped[int] = mapped_column(primary_key=True)
    scan_id: Mapped[int] = mapped_column(ForeignKey("datasec_scans.id"), index=True)
    org_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(10))  # table | text
    rows_scanned: Mapped[int] = mapped_column(Integer, default=0)
    level: Mapped[str | None] = mapped_column(String(40))
    category: Mapped[str | None] = mapped_column(String(80))
    reason: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[dict[str, Any]] = mapped_column(default=dict)

    scan: Mapped[Scan] = relationship(back_populates="assets")
    columns: Mapped[list[DataColumn]] = relationship(back_populates="asset", order_by="DataColumn.id")


class DataColumn(Base):
    """One column of an asset: entity type, share of cells, category and level (with any override)."""

    __tablename__ = "datasec_columns"
    __table_args__ = (Index("ix_datasec_columns_entity", "entity_type"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    asset_id: Mapped[int] = mapped_column(ForeignKey("datasec_assets.id"), index=True)
    org_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    entity_type: Mapped[str | None] = mapped_column(String(40))
    share: Mapped[float] = mapped_column(Float, default=0.0)
    confidence: Mapped[float] = mapped_column(Float, default=0.0)
    category: Mapped[str | None] = mapped_column(String(80))
    level: Mapped[str | None] = mapped_column(String(40))
    reason: Mapped[str | None] = mapped_column(Text)
    examples: Mapped[list[str]] = mapped_column(default=list)  # masked, never raw
    entities: Mapped[dict[str, Any]] = mapped_column(default=dict)
    override_category: Mapped[str | None] = mapped_column(String(80))
    override_level: Mapped[str | None] = mapped_column(String(40))
    override_justification: Mapped[str | None] = mapped_column(Text)
    overridden_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    overridden_at: Mapped[dt.datetime | None]

    asset: Mapped[DataAsset] = relationship(back_populates="columns")

    @property
    def effective_level(self) -> str | None:
        return self.override_level or self.level

    @property
    def effective_category(self) -> str | None:
        return self.override_category or self.category


class MaskRun(Base):
    """A de-identified copy of a source: the policy, the output's SHA-256 (in the ledger) and where it is."""

    __tablename__ = "datasec_mask_runs"
    __ledger_exempt_columns__ = frozenset({"state", "job_id"})

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("datasec_sources.id"), index=True)
    org_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    job_id: Mapped[int | None] = mapped_column(ForeignKey("jobs.id"))
    policy: Mapped[dict[str, Any]] = mapped_column(default=dict)
    output_format: Mapped[str] = mapped_column(String(10), default="csv")
    state: Mapped[str] = mapped_column(String(20), default="queued")
    output_sha256: Mapped[str | None] = mapped_column(String(64))
    result: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[dt.datetime | None]

    source: Mapped[DataSource] = relationship()
