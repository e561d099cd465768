"""Masking strategies, streamed copies and k-anonymity / l-diversity."""

from __future__ import annotations

import csv
from pathlib import Path

import polars as pl
import pytest

from gongzhi.datasec import anonymity, checks, masking
from gongzhi.datasec.maskio import MaskPolicy, PolicyError, mask_location
from gongzhi.datasec.text import scan_text

KEY = b"test-key-0123456789abcdef0123456789"


def test_partial_masks_keep_the_usual_visible_characters() -> None:
    assert masking.partial("CN_MOBILE", "13812345678") == "138****5678"
    assert masking.partial("CN_RESIDENT_ID", "11010519491231002X") == "110105************"  # check digit masked
    assert masking.partial("BANK_CARD", "6217 0000 0000 0006") == "621700******0006"
    assert masking.partial("EMAIL", "zhangwei@example.com") == "z*******@example.com"
    assert (
        masking.partial("PERSON_NAME", "欧阳娜娜") == "欧阳**"
        and masking.partial("PERSON_NAME", "John Smith") == "J*** S****"
    )
    assert masking.example("CN_USCC", "91440300708461136T") != "91440300708461136T"


def test_fakes_pass_the_same_checks_and_are_consistent() -> None:
    for entity, value, check in [
        ("CN_RESIDENT_ID", "11010519491231002X", checks.cn_resident_id_ok),
        ("BANK_CARD", "6217000000000006", checks.luhn_ok),
        ("CREDIT_CARD", "4111111111111111", checks.luhn_ok),
        ("CN_USCC", "91440300708461136T", checks.uscc_ok),
        ("IBAN", "GB82WEST12345698765432", checks.iban_ok),
    ]:
        fake = masking.fake(KEY, entity, value)
        assert fake != value and check(fake), (entity, fake)
        assert masking.fake(KEY, entity, value) == fake
        assert masking.fake(b"another-key-000000000000000000000", entity, value) != fake
    mobile = masking.fake(KEY, "CN_MOBILE", "13812345678")
    assert [f.entity for f in scan_text(f"手机 {mobile}")] == ["CN_MOBILE"]


def test_pseudonyms_are_keyed_and_stable() -> None:
    a = masking.pseudonym(KEY, "CN_MOBILE", "13812345678")
    assert a == masking.pseudonym(KEY, "CN_MOBILE", " 13812345678 ") and a.startswith("CN_MOBILE_")
    assert a != masking.pseudonym(b"x" * 32, "CN_MOBILE", "13812345678")
    assert "13812345678" not in a


def test_generalisation() -> None:
    assert masking.generalise("DATE_OF_BIRTH", "1990-05-17") == "1990"
    assert masking.generalise("ADDRESS", "浙江省杭州市西湖区文三路90号") == "浙江省杭州市西湖区"
    assert masking.generalise("GPS_COORDINATES", "30.274100,120.155100") == "30.3,120.2"
    assert masking.generalise(None, "37") == "30-39"


def write_csv(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)


def test_streamed_copy_is_consistent_across_files(tmp_path: Path) -> None:
    rows = [
        {
            "phone": f"1381234{i % 50:04d}",
            "id_no": "11010519491231002X",
            "note": f"请联系13912345678 第{i}次",
            "city": ["杭州", "宁波"][i % 2],
            "dx": ["a", "b", "c"][i % 3],
        }
        for i in range(300)
    ]
    write_csv(tmp_path / "a.csv", rows)
    write_csv(tmp_path / "b.csv", rows[::-1])
    policy = MaskPolicy.from_dict(
        {
            "columns": {"phone": "pseudonym", "id_no": "fake", "city": "keep"},
            "quasi_identifiers": ["city"],
            "sensitive": "dx",
            "k": 100,
            "l": 3,
        }
    )
    first = mask_location(str(tmp_path / "a.csv"), tmp_path / "a-out.parquet", policy, KEY, batch_rows=64)
    mask_location(str(tmp_path / "b.csv"), tmp_path / "b-out.csv", policy, KEY, batch_rows=64)
    a = pl.read_parquet(tmp_path / "a-out.parquet")
    b = pl.read_csv(tmp_path / "b-out.csv", infer_schema=False)
    assert a.height == 300 and a["phone"].to_list() == b["phone"].to_list()[::-1]
    assert checks.cn_resident_id_ok(a["id_no"][0]) and a["id_no"][0] != "11010519491231002X"
    assert a["note"][0] == "请联系139****5678 第0次"
    anon = first["tables"][0]["anonymity"]
    assert anon["k"] == 150 and anon["satisfied"] and anon["l"] == 3


def test_policy_errors_are_clear(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match="unknown strategy"):
        MaskPolicy.from_dict({"columns": {"a": "encrypt"}})
    with pytest.raises(PolicyError, match="unknown policy keys"):
        MaskPolicy.from_dict({"colums": {}})
    write_csv(tmp_path / "a.csv", [{"x": "1"}])
    with pytest.raises(PolicyError, match="does not have"):
        mask_location(
            str(tmp_path / "a.csv"), tmp_path / "o.csv", MaskPolicy.from_dict({"columns": {"y": "keep"}}), KEY
        )


def test_k_anonymity_and_l_diversity() -> None:
    df = pl.DataFrame({"age": ["30-39"] * 4 + ["40-49"], "zip": ["310*"] * 5, "dx": ["a", "a", "b", "b", "c"]})
    result = anonymity.check(df, ["age", "zip"], sensitive="dx", k=2, l=2)
    assert (result["k"], result["violating_classes"], result["violating_rows"], result["l"]) == (1, 1, 1, 1)
    assert not result["satisfied"]
    assert anonymity.check(df.head(4), ["age"], sensitive="dx", k=2, l=2)["satisfied"]
    with pytest.raises(KeyError):
        anonymity.check(df, ["nope"])
