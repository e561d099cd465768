"""Pydantic shapes of the data-security API."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class SourcePublic(BaseModel):
    """A data source as its organisation sees it (a database URL is shown without its password)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    kind: str
    display_location: str
    filename: str | None
    size_bytes: int | None
    org_id: int | None
    created_at: dt.datetime


class LocationCreate(BaseModel):
    """Register a server path or a database URL (operators only)."""

    name: str = Field(min_length=1, max_length=200)
    location: str = Field(min_length=1, max_length=2000)


class ScanCreate(BaseModel):
    """Start a scan of a source."""

    profile: str | None = Field(default=None, description="grading profile id (default GB/T 43697)")
    sample_rows: int | None = Field(default=None, ge=1, le=10_000_000, description="reservoir sample per table")
    text_field: str | None = Field(default=None, max_length=200)
    id_field: str | None = Field(default=None, max_length=200)


class ColumnPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    entity_type: str | None
    share: float
    confidence: float
    category: str | None
    level: str | None
    reason: str | None
    examples: list[str]
    override_category: str | None
    override_level: str | None
    override_justification: str | None
    effective_level: str | None
    effective_category: str | None


class AssetPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    kind: str
    rows_scanned: int
    level: str | None
    category: str | None
    reason: str | None
    notes: dict[str, Any]
    columns: list[ColumnPublic]


class ScanPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    source_id: int
    job_id: int | None
    profile_id: str
    sample_rows: int | None
    state: str
    level: str | None
    report_sha256: str | None
    summary: dict[str, Any]
    created_at: dt.datetime
    finished_at: dt.datetime | None


class ScanDetail(ScanPublic):
    assets: list[AssetPublic]


class OverrideCreate(BaseModel):
    """Change a column's category and/or level; the justification is kept and its digest ledgered."""

    level: str | None = Field(default=None, max_length=40)
    category: str | None = Field(default=None, max_length=80)
    justification: str = Field(min_length=5, max_length=4000)


class MaskCreate(BaseModel):
    """Make a de-identified copy of a source."""

    policy: dict[str, Any] = Field(default_factory=dict, description="columns/entities -> strategy; k-anonymity")
    output_format: Literal["csv", "parquet"] = "csv"


class MaskPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    source_id: int
    job_id: int | None
    state: str
    output_format: str
    output_sha256: str | None
    policy: dict[str, Any]
    result: dict[str, Any]
    created_at: dt.datetime
    finished_at: dt.datetime | None


class TextScanIn(BaseModel):
    text: str = Field(max_length=100_000)


class TextFinding(BaseModel):
    start: int
    end: int
    entity_type: str
    score: float
    recognizer: str


class EntityTypePublic(BaseModel):
    name: str
    label: str
    group: str
    default_strategy: str
    recognizers: list[str]


class ProfilePublic(BaseModel):
    id: str
    title: str
    verification: str
    levels: list[dict[str, Any]]
    categories: list[dict[str, str]]
