"""The envelope every profile shares: a stable id, bilingual titles, sources and how sure we are.

A profile (标准配置 / 规则包) encodes a standard as data. Its ``body`` is validated by the schema of
its ``kind`` (registered by the area that uses it: ``tiering`` by the registry, ``assessment`` by
assess, ``grading`` by datasec, …). Verification labels follow ``standards/SPEC.md`` section 0.1:
V (verified) and S (secondary) are encoded, R (recalled) only with low confidence, X never.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

PROFILE_ID = re.compile(r"^[a-z0-9][a-z0-9_.\-]*@[0-9]+$")

#: V = verified, S = one secondary source, R = recalled (low confidence). X is never encoded.
Verification = Literal["V", "S", "R"]
CONFIDENCE: dict[str, str] = {"V": "high", "S": "medium", "R": "low"}


class Localized(BaseModel):
    """A text in both languages (zh_CN first)."""

    model_config = ConfigDict(extra="forbid")

    zh_CN: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def get(self, locale: str) -> str:
        return self.zh_CN if locale == "zh_CN" else self.en


class Source(BaseModel):
    """Where a rule comes from (the source register of SPEC.md: S1…, G1…, or an official document)."""

    model_config = ConfigDict(extra="forbid")

    id: str
    title: str
    url: str | None = None


class ProfileHeader(BaseModel):
    """What every profile file declares besides its kind-specific body."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(description="stable id with a version, e.g. gongzhi.tiering.cn@1")
    kind: str
    version: str
    title: Localized
    description: Localized | None = None
    jurisdiction: str | None = Field(default=None, description="CN, CN-ZJ (Zhejiang), EU, US, INT, local…")
    sources: list[Source] = Field(default_factory=list)
    verification: Verification
    effective: str | None = Field(default=None, description="date the encoded rules took effect (YYYY-MM-DD)")

    @field_validator("id")
    @classmethod
    def _id_shape(cls, value: str) -> str:
        if not PROFILE_ID.match(value):
            raise ValueError("profile ids look like gongzhi.kind.name@1 (lower case, a version after '@')")
        return value

    @property
    def confidence(self) -> str:
        return CONFIDENCE[self.verification]


class ProfileFile(ProfileHeader):
    """A profile file as read: the header plus the raw body (validated later by its kind)."""

    body: dict[str, Any]
