"""Risk tiering (风险分级) as a pure function of facts and a tiering profile.

A tiering profile (kind ``tiering``) lists tiers with a rank and rules. A rule fires when all of its
conditions hold; the result is the highest-ranked tier among the fired rules (or the default), the
union of their obligations, and every fired rule as a reason — so a tier is never unexplained.

>>> body = TieringBody.model_validate({
...     "tiers": [{"id": "low", "rank": 1, "label": {"zh_CN": "低", "en": "Low"}},
...               {"id": "high", "rank": 2, "label": {"zh_CN": "高", "en": "High"}}],
...     "default": {"tier": "low", "reason": {"zh_CN": "默认", "en": "Default"}},
...     "rules": [{"id": "r1", "tier": "high", "when": {"public_opinion": {"eq": True}},
...                "reason": {"zh_CN": "具有舆论属性", "en": "Public-opinion attribute"}}]})
>>> tier(body, {"public_opinion": True}).tier
'high'
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from gongzhi.standards.schema import Localized, Verification

Scalar = str | int | float | bool | None


class Condition(BaseModel):
    """A test of one fact; exactly one operator."""

    model_config = ConfigDict(extra="forbid")

    eq: Scalar = None
    ne: Scalar = None
    in_: list[Scalar] | None = Field(default=None, alias="in")
    not_in: list[Scalar] | None = None
    gte: float | None = None
    lte: float | None = None
    contains: Scalar = None  # the fact is a list that contains this value
    any_of: list[Scalar] | None = None  # the fact is a list sharing at least one value with this one
    present: bool | None = None  # the fact is set (non-empty) / not set

    @model_validator(mode="after")
    def _one_operator(self) -> Condition:
        used = list(self.model_fields_set)
        if len(used) != 1:
            raise ValueError(
                "a condition has exactly one operator (eq, ne, in, not_in, gte, lte, contains, any_of, present)"
            )
        return self

    def holds(self, value: Any) -> bool:
        op = next(iter(self.model_fields_set))
        if op == "eq":
            return bool(value == self.eq)
        if op == "ne":
            return bool(value != self.ne)
        if op == "in_":
            return value in (self.in_ or [])
        if op == "not_in":
            return value not in (self.not_in or [])
        if op == "gte":
            return isinstance(value, int | float) and not isinstance(value, bool) and value >= (self.gte or 0)
        if op == "lte":
            return isinstance(value, int | float) and not isinstance(value, bool) and value <= (self.lte or 0)
        if op == "contains":
            return isinstance(value, list | tuple | set) and self.contains in value
        if op == "any_of":
            return isinstance(value, list | tuple | set) and bool(set(value) & set(self.any_of or []))
        present = value not in (None, "", [], ())
        return present is bool(self.present)


class Obligation(BaseModel):
    """A duty a tier brings, with where it comes from and how sure we are."""

    model_config = ConfigDict(extra="forbid")

    id: str
    text: Localized
    basis: str = Field(description="the rule it comes from, e.g. 'Algorithmic Recommendation Provisions Art. 24'")
    verification: Verification
    #: Assessment profile to run, if the obligation is a test (e.g. the GB/T 45654 safety assessment).
    assessment_profile: str | None = None
    due_days: int | None = Field(default=None, ge=0, description="days after launch or decision, if the rule sets one")


class Rule(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    tier: str
    when: dict[str, Condition] = Field(default_factory=dict)
    #: Alternatives: the rule also fires when every condition of any one of these holds.
    when_any: list[dict[str, Condition]] = Field(default_factory=list)
    reason: Localized
    obligations: list[Obligation] = Field(default_factory=list)
    verification: Verification = "S"


class Tier(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    rank: int
    label: Localized
    description: Localized | None = None


class Default(BaseModel):
    model_config = ConfigDict(extra="forbid")

    tier: str
    reason: Localized
    obligations: list[Obligation] = Field(default_factory=list)


class FactSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: Literal["bool", "enum", "list", "number", "text"]
    label: Localized
    values: list[str] | None = None


class TieringBody(BaseModel):
    """The body of a ``tiering`` profile."""

    model_config = ConfigDict(extra="forbid")

    facts: dict[str, FactSpec] = Field(default_factory=dict, description="the facts the rules read")
    tiers: list[Tier]
    rules: list[Rule]
    default: Default

    @model_validator(mode="after")
    def _consistent(self) -> TieringBody:
        tier_ids = {t.id for t in self.tiers}
        if len(tier_ids) != len(self.tiers):
            raise ValueError("tier ids must be unique")
        for rule in self.rules:
            if rule.tier not in tier_ids:
                raise ValueError(f"rule {rule.id} names unknown tier {rule.tier}")
            if not rule.when and not rule.when_any:
                raise ValueError(f"rule {rule.id} has no conditions")
        if self.default.tier not in tier_ids:
            raise ValueError(f"default names unknown tier {self.default.tier}")
        if len({r.id for r in self.rules}) != len(self.rules):
            raise ValueError("rule ids must be unique")
        return self

    def tier_of(self, tier_id: str) -> Tier:
        return next(t for t in self.tiers if t.id == tier_id)


@dataclass(frozen=True)
class FiredRule:
    id: str
    tier: str
    reason: Localized


@dataclass(frozen=True)
class TieringResult:
    """The tier, its obligations and why (the rules that fired; the default when none did)."""

    tier: str
    rank: int
    label: Localized
    obligations: list[Obligation]
    fired: list[FiredRule]

    def as_json(self) -> dict[str, Any]:
        return {
            "tier": self.tier,
            "rank": self.rank,
            "label": self.label.model_dump(),
            "obligations": [o.model_dump() for o in self.obligations],
            "fired": [{"id": f.id, "tier": f.tier, "reason": f.reason.model_dump()} for f in self.fired],
        }


def _matches(conditions: Mapping[str, Condition], facts: Mapping[str, Any]) -> bool:
    return all(condition.holds(facts.get(name)) for name, condition in conditions.items())


def tier(body: TieringBody, facts: Mapping[str, Any]) -> TieringResult:
    """Apply a tiering profile to the facts about one system."""
    fired: list[Rule] = []
    for rule in body.rules:
        if (rule.when and _matches(rule.when, facts)) or any(_matches(alt, facts) for alt in rule.when_any):
            fired.append(rule)
    if not fired:
        chosen = body.tier_of(body.default.tier)
        return TieringResult(
            tier=chosen.id,
            rank=chosen.rank,
            label=chosen.label,
            obligations=list(body.default.obligations),
            fired=[FiredRule(id="default", tier=chosen.id, reason=body.default.reason)],
        )
    top = max((body.tier_of(r.tier) for r in fired), key=lambda t: t.rank)
    obligations: dict[str, Obligation] = {}
    for rule in fired:
        for obligation in rule.obligations:
            obligations.setdefault(obligation.id, obligation)
    return TieringResult(
        tier=top.id,
        rank=top.rank,
        label=top.label,
        obligations=list(obligations.values()),
        fired=[FiredRule(id=r.id, tier=r.tier, reason=r.reason) for r in fired],
    )


#: The profile kinds this area defines (``Area.profile_kinds``).
PROFILE_KINDS: dict[str, type[BaseModel]] = {"tiering": TieringBody}
