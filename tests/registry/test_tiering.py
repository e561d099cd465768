"""Tiering profiles as data: the shipped Chinese and EU profiles, and the engine's rules."""

from __future__ import annotations

from typing import Any

import pytest

from gongzhi.registry.tiering import TieringBody, tier
from gongzhi.standards import loader

BASE: dict[str, Any] = {
    "algorithm_type": "ranking_selection",
    "deployment_scope": "business",
    "public_opinion": False,
    "social_mobilisation": False,
    "processes_personal_info": False,
    "processes_sensitive_personal_info": False,
    "automated_decisions": False,
    "interacts_with_people": False,
    "general_purpose_model": False,
    "eu_annex_iii_area": None,
    "eu_practices": [],
}


def body(profile_id: str) -> TieringBody:
    result: TieringBody = loader.get(profile_id, kind="tiering").body
    return result


@pytest.mark.parametrize(
    ("facts", "expected", "rule"),
    [
        ({}, "registration", "default"),
        ({"public_opinion": True}, "filing_and_assessment", "cn.public_opinion"),
        ({"social_mobilisation": True}, "filing_and_assessment", "cn.public_opinion"),
        (
            {"algorithm_type": "generation_synthesis", "deployment_scope": "public_service"},
            "filing_and_assessment",
            "cn.genai.public",
        ),
        (
            {"algorithm_type": "generation_synthesis", "deployment_scope": "internal"},
            "registration",
            "cn.generation_synthesis",
        ),
        ({"automated_decisions": True}, "registration", "cn.pipl.automated_decisions"),
    ],
)
def test_chinese_profile(facts: dict[str, Any], expected: str, rule: str) -> None:
    result = tier(body("gongzhi.tiering.cn@1"), {**BASE, **facts})
    assert result.tier == expected
    assert rule in [f.id for f in result.fired]


def test_public_generative_service_gets_the_gbt45654_assessment_and_labelling() -> None:
    result = tier(
        body("gongzhi.tiering.cn@1"),
        {**BASE, "algorithm_type": "generation_synthesis", "deployment_scope": "public_service"},
    )
    ids = [o.id for o in result.obligations]
    assert "cn.genai.gbt45654" in ids and "cn.genai.labelling" in ids
    assert len(ids) == len(set(ids))  # an obligation two rules bring is listed once


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        ({}, "minimal"),
        ({"interacts_with_people": True}, "limited"),
        ({"eu_annex_iii_area": "employment"}, "high_risk"),
        ({"eu_annex_iii_area": "employment", "eu_practices": ["social_scoring"]}, "prohibited"),
        ({"general_purpose_model": True}, "limited"),
    ],
)
def test_eu_profile(facts: dict[str, Any], expected: str) -> None:
    assert tier(body("gongzhi.tiering.eu-ai-act@1"), {**BASE, **facts}).tier == expected


def test_every_shipped_rule_cites_its_basis_and_never_encodes_x() -> None:
    for profile in loader.of_kind("tiering"):
        assert profile.header.verification in ("V", "S", "R") and profile.header.sources
        for rule in profile.body.rules:
            assert rule.reason.zh_CN and rule.reason.en
            for obligation in rule.obligations:
                assert obligation.basis and obligation.verification in ("V", "S", "R")


def test_profile_schema_refuses_inconsistent_rules() -> None:
    good = {
        "tiers": [{"id": "a", "rank": 1, "label": {"zh_CN": "甲", "en": "A"}}],
        "default": {"tier": "a", "reason": {"zh_CN": "默认", "en": "Default"}},
        "rules": [],
    }
    TieringBody.model_validate(good)
    bad_rule = {
        **good,
        "rules": [{"id": "r", "tier": "nope", "when": {"x": {"eq": 1}}, "reason": {"zh_CN": "理由", "en": "Reason"}}],
    }
    with pytest.raises(ValueError, match="unknown tier"):
        TieringBody.model_validate(bad_rule)
    two_ops = {
        **good,
        "rules": [
            {"id": "r", "tier": "a", "when": {"x": {"eq": 1, "ne": 2}}, "reason": {"zh_CN": "理由", "en": "Reason"}}
        ],
    }
    with pytest.raises(ValueError, match="exactly one operator"):
        TieringBody.model_validate(two_ops)


def test_the_local_rule_example_in_the_docs_is_a_valid_profile(tmp_path: Any) -> None:
    from pathlib import Path

    docs = (Path(__file__).parent.parent.parent / "docs" / "registry.md").read_text(encoding="utf-8")
    example = docs.split("```yaml\n")[1].split("```")[0]
    path = tmp_path / "local.yaml"
    path.write_text(example, encoding="utf-8")
    profile = loader.read_profile(path, loader.body_schemas())
    result = tier(profile.body, {**BASE, "sector": "healthcare", "deployment_scope": "public_service"})
    assert result.tier == "key"
