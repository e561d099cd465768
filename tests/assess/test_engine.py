"""Running profiles: predictions mode and model mode, thresholds, controls, reports in zh and en."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from gongzhi.assess import predictors, report
from gongzhi.assess.engine import Answer, AssessmentInputs, run_profile
from gongzhi.assess.plugins import registry
from gongzhi.assess.report_model import AssessmentReportDocument, report_json_schema
from gongzhi.standards import loader

CN = "gongzhi.assess.cn-tc260-trustworthy@1"


def profile(profile_id: str = CN) -> loader.Profile:
    return loader.get(profile_id, kind="assessment")


def test_every_shipped_profile_names_installed_tests_and_metrics() -> None:
    tests = registry()
    profiles = loader.of_kind("assessment")
    assert {p.id for p in profiles} >= {
        CN,
        "gongzhi.assess.nist-ai-rmf-measure@1",
        "gongzhi.assess.eu-ai-act-high-risk@1",
        "gongzhi.assess.iso-42001-annex-a@1",
    }
    for p in profiles:
        for spec in p.body.tests:
            assert spec.test in tests, (p.id, spec.test)
            tests[spec.test].params.model_validate(spec.params)
            for threshold in spec.thresholds:
                assert threshold.metric in tests[spec.test].metrics, (p.id, threshold.metric)
    iso = profile("gongzhi.assess.iso-42001-annex-a@1")
    assert len(iso.body.controls) == 38 and len(iso.body.process_checks) == 38


def test_predictions_mode(credit: pl.DataFrame) -> None:
    seen: list[float] = []
    inputs = AssessmentInputs(
        data=credit, target="approved", prediction="predicted", score="score", sensitive=["sex", "region"]
    )
    result = run_profile(
        profile(), inputs, answers={"cn.pc.1": Answer("yes", "licensed")}, progress=lambda f, m, p: seen.append(f)
    )
    AssessmentReportDocument.model_validate(result)
    by_id = {t["test"]: t for t in result["tests"]}
    assert by_id["gongzhi.assess.performance@1"]["status"] in ("pass", "fail")
    assert by_id["gongzhi.assess.fairness@1"]["metrics"]["intersection_demographic_parity_difference"] is not None
    assert by_id["gongzhi.assess.robustness@1"]["status"] == "skipped"  # needs a model
    assert seen == sorted(seen) and seen[-1] > 0.9
    pc = next(c for c in result["process_checks"] if c["id"] == "cn.pc.1")
    assert pc["status"] == "pass" and pc["elaboration"] == "licensed"
    assert result["summary"]["status"] in ("fail", "incomplete")


def test_thresholds_decide_pass_and_fail(credit: pl.DataFrame) -> None:
    biased = credit.with_columns(pl.when(pl.col("sex") == "male").then(1).otherwise(0).alias("predicted"))
    result = run_profile(
        profile(), AssessmentInputs(data=biased, target="approved", prediction="predicted", sensitive=["sex"])
    )
    fair = next(t for t in result["tests"] if t["test"] == "gongzhi.assess.fairness@1")
    assert fair["status"] == "fail"
    assert {
        "metric": "demographic_parity_difference",
        "max": 0.1,
        "min": None,
        "value": 1.0,
        "outcome": "fail",
    } in fair["thresholds"]
    control = next(c for c in result["controls"] if c["id"] == "F1.I.MA.b")
    assert control["status"] == "fail"
    assert result["summary"]["status"] == "fail"


def test_model_mode_runs_every_probe(credit: pl.DataFrame, skops_model: Path) -> None:
    inputs = AssessmentInputs(
        data=credit.drop("predicted", "score"),
        target="approved",
        sensitive=["sex", "region"],
        predictor=predictors.load_model(skops_model),
        train=credit,
        model_info={"kind": "skops", "name": "model.skops"},
    )
    result = run_profile(profile(), inputs)
    by_id = {t["test"]: t for t in result["tests"]}
    for test_id in (
        "gongzhi.assess.robustness@1",
        "gongzhi.assess.explainability@1",
        "gongzhi.assess.shap@1",
        "gongzhi.assess.membership_inference@1",
    ):
        assert by_id[test_id]["status"] not in ("error", "skipped"), by_id[test_id]
    shap_features = {r["feature"] for r in by_id["gongzhi.assess.shap@1"]["details"]["shap"]}
    assert any("income" in f for f in shap_features)
    advantage = by_id["gongzhi.assess.membership_inference@1"]["metrics"]["membership_advantage"]
    assert 0 <= advantage <= 1


def test_a_crashing_model_is_a_clear_error(credit: pl.DataFrame) -> None:
    class Broken:
        kind, features = "test", None

        def predict(self, frame: pl.DataFrame) -> object:
            from gongzhi.assess.plugins import TestFailed

            raise TestFailed("The model failed to predict: {error}", error="boom")

        def predict_proba(self, frame: pl.DataFrame) -> None:
            return None

    from gongzhi.errors import GongzhiError

    with pytest.raises(GongzhiError, match="boom"):
        run_profile(profile(), AssessmentInputs(data=credit, target="approved", predictor=Broken()))  # type: ignore[arg-type]


def test_reports_in_both_languages(credit: pl.DataFrame) -> None:
    inputs = AssessmentInputs(data=credit, target="approved", prediction="predicted", score="score", sensitive=["sex"])
    result = run_profile(profile(), inputs)
    zh = report.render(result, "zh_CN").decode()
    en = report.render(result, "en").decode()
    assert "可信人工智能评估报告" in zh and "公平性" in zh and "人口均等差异" in zh
    assert "Trustworthy-AI assessment report" in en and "Demographic parity difference" in en
    for html in (zh, en):
        assert (
            "<svg" in html
            and "<script" not in html
            and "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
        )
    data = report.json_bytes(result)
    assert report.json_bytes(result) == data  # canonical


def test_published_schema_is_json_schema() -> None:
    schema = report_json_schema()
    assert schema["$schema"].endswith("2020-12/schema")
    assert "tests" in schema["properties"]


def test_personal_information_test_uses_the_data_security_scanner(credit: pl.DataFrame) -> None:
    from gongzhi.assess.builtin import PERSONAL_INFO, PersonalInfoParams
    from gongzhi.assess.plugins import TestContext

    phones = [f"1{3 + i % 6}{i:09d}"[:11] for i in range(credit.height)]
    emails = [f"user{i}@example.cn" for i in range(credit.height)]
    data = credit.with_columns(pl.Series("mobile", phones), pl.Series("email", emails))
    ctx = TestContext(
        data=data, target="approved", prediction="predicted", score="score", sensitive=["sex"],
        features=["sex", "region", "income", "age", "mobile", "email"], task="binary",
    )  # fmt: skip
    outcome = PERSONAL_INFO.run(ctx, PersonalInfoParams(max_rows=500))
    found = {c["column"]: c["entity_type"] for c in outcome.details["columns"]}
    # the scanner grades an "income" column as financial information by its header; sex and region are not PI
    assert found == {"mobile": "CN_MOBILE", "email": "EMAIL", "income": "SENSITIVE_FINANCE"}
    assert outcome.metrics["personal_information_columns"] == 3.0
    assert "example.cn" not in str(outcome.details)  # the report names columns, never their values
