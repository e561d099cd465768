"""Column typing: every labelled column of the generated table, hard negatives, grading and profiles."""

from __future__ import annotations

import polars as pl
import pyarrow as pa

from gongzhi.datasec import grading, synth
from gongzhi.datasec.profiles import grading_profile, grading_profiles
from gongzhi.datasec.tables import scan_table


def test_every_generated_column_is_typed_right() -> None:
    data, labels = synth.table(3000, seed=5)
    findings = scan_table(pl.DataFrame(data))
    assert {f.name: f.entity_type for f in findings} == labels
    for f in findings:
        if f.entity_type:
            assert f.share == 1.0 and f.confidence >= 0.6 and f.examples, f


def test_hard_negative_columns_stay_untyped() -> None:
    table = pa.table({
        "order_no": ["202401010000000001", "202401010000000002", "202401010000000003"] * 50,
        "txn_no": ["6217000000000007", "6217000000000015", "6217000000000023"] * 50,
        "ts": ["1700000000123", "1700000000456", "1700000000789"] * 50,
        "uuid": ["550e8400-e29b-41d4-a716-446655440000"] * 150,
        "amount": ["1234.56", "99.00", "0.10"] * 50,
        "code11": ["10123456789", "11123456789", "12123456789"] * 50,
    })  # fmt: skip
    assert {f.name: f.entity_type for f in scan_table(table)} == dict.fromkeys(table.column_names)


def test_column_names_are_evidence() -> None:
    df = pl.DataFrame(
        {
            "出生日期": ["1990-01-02", "1985-12-31"],
            "order_date": ["2024-01-02", "2024-02-03"],
            "诊断": ["2型糖尿病", "高血压"],
            "台胞证号": ["12345678", "87654321"],
        }
    )
    types = {f.name: f.entity_type for f in scan_table(df)}
    assert types == {
        "出生日期": "DATE_OF_BIRTH",
        "order_date": None,
        "诊断": "SENSITIVE_HEALTH",
        "台胞证号": "CN_TW_PERMIT",
    }


def test_profiles_grade_and_combinations_raise_the_level() -> None:
    ids = {p.id for p in grading_profiles()}
    assert {"cn.gbt43697.v2024@1", "cn.pipl.sensitive-pi@1", "cn.zj.public-data.v2021@1", "cn.jrt0197.v2020@1"} <= ids
    _, body = grading_profile("cn.gbt43697.v2024@1")
    assert grading.grade_entity(body, "CN_MOBILE").level == "general-2"
    assert grading.grade_entity(body, None).level == "general-1"
    assert grading.grade_table(body, ["CN_RESIDENT_ID"]).level == "general-3"
    combined = grading.grade_table(body, ["CN_RESIDENT_ID", "CN_MOBILE", None], "zh_CN")
    assert combined.level == "general-4" and "组合" in combined.reason
    _, zj = grading_profile("cn.zj.public-data.v2021@1")
    assert zj.level("L1").opening == "unconditional" and zj.level("L4").opening == "prohibited"
    _, pipl = grading_profile("cn.pipl.sensitive-pi@1")
    assert grading.grade_entity(pipl, "BANK_CARD").level == "sensitive"
    _, fin = grading_profile("cn.jrt0197.v2020@1")
    assert grading.grade_entity(fin, "SENSITIVE_BIOMETRIC").level == "4"
