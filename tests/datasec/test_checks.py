"""Check-digit algorithms against SPEC.md's test vectors, scalar and vectorised forms agreeing."""

from __future__ import annotations

import datetime as dt
import random

import numpy as np
import pytest

from gongzhi.datasec import checks


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("11010519491231002X", True),
        ("11010519491231002x", True),
        ("110105194912310021", False),  # wrong check digit
        ("990105194912310021", False),  # no such province
        ("110105194902300025", False),  # 30 February
        ("810000199001010019", True),  # HK residence permit (same algorithm)
    ],
)
def test_resident_id(value: str, ok: bool) -> None:
    assert checks.cn_resident_id_ok(value) is ok


def test_resident_id_birth_date_cannot_be_in_the_future() -> None:
    body = "11010520990101001"
    value = body + checks.cn_id_check_char(body)
    assert not checks.cn_resident_id_ok(value, today=dt.date(2026, 1, 1))


def test_uscc_and_embedded_org_code() -> None:
    assert checks.uscc_ok("91440300708461136T") and checks.uscc_ok("91110114MACY9KQ17M")
    assert not checks.uscc_ok("91440300708461136A")
    assert checks.org_code_ok("70846113-6") and not checks.org_code_ok("70846113-5")


def test_luhn_iban_hkid_ssn() -> None:
    assert checks.luhn_ok("6217000000000006") and not checks.luhn_ok("6217000000000007")
    assert checks.iban_ok("GB82 WEST 1234 5698 7654 32") and not checks.iban_ok("GB82 WEST 1234 5698 7654 33")
    assert checks.hk_id_ok("A123456(3)") and not checks.hk_id_ok("A123456(4)")
    assert checks.us_ssn_ok("123-45-6789") and not checks.us_ssn_ok("666-45-6789") and not checks.us_ssn_ok("900-1-1")


def test_vectorised_forms_agree_with_scalar_ones() -> None:
    r = random.Random(5)
    ids = []
    for _ in range(500):
        region = r.choice(["110105", "330106", "990101"])
        body = f"{region}19{r.randint(10, 99)}{r.randint(1, 13):02d}{r.randint(1, 31):02d}{r.randint(0, 999):03d}"
        ids.append(body + (checks.cn_id_check_char(body) if r.random() < 0.7 else r.choice("0123456789X")))
    vec = checks.cn_resident_id_ok_codes(checks.to_codes(ids, 18))
    assert list(vec) == [checks.cn_resident_id_ok(v) for v in ids]
    cards = ["62" + "".join(r.choice("0123456789") for _ in range(14)) for _ in range(500)]
    assert list(checks.luhn_ok_codes(checks.to_codes(cards, 16))) == [checks.luhn_ok(c) for c in cards]
    ibans = [
        "DE" + checks.iban_check_digits("DE", b) + b
        for b in ["".join(r.choice("0123456789") for _ in range(18)) for _ in range(50)]
    ]
    ibans[3] = ibans[3][:-1] + str((int(ibans[3][-1]) + 1) % 10)
    assert list(checks.iban_ok_codes(checks.to_codes(ibans, 22))) == [checks.iban_ok(i) for i in ibans]
    assert np.sum(checks.iban_ok_codes(checks.to_codes(ibans, 22))) == 49
