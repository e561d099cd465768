"""Classification & grading (分类分级): the ``grading`` profile kind and how a profile grades findings.

A grading profile lists its levels (highest rank = most sensitive, with sharing and opening attributes
where the rule defines them), its categories, and rules mapping entity types to a category and level
with the reason. Combination rules raise a table's level when several kinds of data appear together
(GB/T 43697: data about the same person combined is more harmful). When in doubt the higher level wins
(就高从严).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from gongzhi.datasec.entities import ENTITY_TYPES
from gongzhi.standards.schema import CONFIDENCE, Localized, Verification

PROFILE_KIND = "grading"
DEFAULT_PROFILE = "cn.gbt43697.v2024@1"


class GradeLevel(BaseModel):
    """One level of a grading scheme."""

    model_config = ConfigDict(extra="forbid")

    id: str
    label: Localized
    rank: int = Field(ge=0, description="higher = more sensitive")
    sharing: Literal["unconditional", "conditional", "restricted", "not_shared"] | None = None
    opening: Literal["unconditional", "restricted", "prohibited"] | None = None
    verification: Verification = "S"


class Category(BaseModel):
    """A data category (数据类别)."""

    model_config = ConfigDict(extra="forbid")

    id: str
    label: Localized


class GradingRule(BaseModel):
    """Entity types -> category and level, with the reason and how sure the rule is."""

    model_config = ConfigDict(extra="forbid")

    entity_types: list[str] = Field(min_length=1)
    category: str
    level: str
    reason: Localized
    verification: Verification


class CombinationRule(BaseModel):
    """A table holding entity types of at least ``min_groups`` of these groups is graded at least ``level``."""

    model_config = ConfigDict(extra="forbid")

    any_of: list[list[str]] = Field(min_length=2)
    min_groups: int = Field(ge=2)
    level: str
    reason: Localized
    verification: Verification


class GradingBody(BaseModel):
    """The body of a ``grading`` profile."""

    model_config = ConfigDict(extra="forbid")

    levels: list[GradeLevel] = Field(min_length=2)
    categories: list[Category] = Field(min_length=1)
    rules: list[GradingRule]
    combinations: list[CombinationRule] = Field(default_factory=list)
    default_level: str
    default_category: str
    default_reason: Localized
    notes: Localized | None = None

    @model_validator(mode="after")
    def _references(self) -> GradingBody:
        levels = {lv.id for lv in self.levels}
        cats = {c.id for c in self.categories}
        if self.default_level not in levels or self.default_category not in cats:
            raise ValueError("default_level/default_category must name a declared level and category")
        seen: set[str] = set()
        for rule in self.rules:
            if rule.level not in levels or rule.category not in cats:
                raise ValueError(f"rule for {rule.entity_types} names an unknown level or category")
            unknown = [e for e in rule.entity_types if e not in ENTITY_TYPES]
            if unknown:
                raise ValueError(f"unknown entity types {unknown}")
            again = seen & set(rule.entity_types)
            if again:
                raise ValueError(f"entity types graded twice: {sorted(again)}")
            seen |= set(rule.entity_types)
        for combo in self.combinations:
            if combo.level not in levels:
                raise ValueError(f"combination names an unknown level {combo.level}")
        return self

    def level(self, level_id: str) -> GradeLevel:
        return next(lv for lv in self.levels if lv.id == level_id)

    def category(self, category_id: str) -> Category:
        return next(c for c in self.categories if c.id == category_id)


@dataclass(frozen=True)
class Grade:
    """The grade of one column or table: category, level, the reason and how sure the rule is."""

    category: str
    level: str
    rank: int
    reason: str
    confidence: str


def grade_entity(body: GradingBody, entity: str | None, locale: str = "en") -> Grade:
    """The category and level a profile gives a column holding ``entity`` (None: nothing sensitive found)."""
    if entity is not None:
        for rule in body.rules:
            if entity in rule.entity_types:
                lv = body.level(rule.level)
                return Grade(rule.category, rule.level, lv.rank, rule.reason.get(locale), CONFIDENCE[rule.verification])
    lv = body.level(body.default_level)
    return Grade(
        body.default_category, body.default_level, lv.rank, body.default_reason.get(locale), CONFIDENCE[lv.verification]
    )


def grade_table(body: GradingBody, entities: Iterable[str | None], locale: str = "en") -> Grade:
    """A table's grade: the highest of its columns, raised by combination rules (就高从严)."""
    present = {e for e in entities if e is not None}
    grades = [grade_entity(body, e, locale) for e in present] or [grade_entity(body, None, locale)]
    best = max(grades, key=lambda g: g.rank)
    for combo in body.combinations:
        groups = sum(1 for group in combo.any_of if present & set(group))
        lv = body.level(combo.level)
        if groups >= combo.min_groups and lv.rank > best.rank:
            best = Grade(best.category, combo.level, lv.rank, combo.reason.get(locale), CONFIDENCE[combo.verification])
    return best


#: The profile kinds this area defines (``Area.profile_kinds``).
PROFILE_KINDS: dict[str, type[BaseModel]] = {PROFILE_KIND: GradingBody}
