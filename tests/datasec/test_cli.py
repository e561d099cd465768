"""``gongzhi scan``, ``gongzhi mask`` and ``gongzhi datasec …`` as real processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from gongzhi.datasec import checks


def gz(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GONGZHI_")}
    env.update(GONGZHI_LOCALE="en", GONGZHI_DATA_DIR=str(cwd / ".gongzhi"), COLUMNS="250")
    return subprocess.run(
        [sys.executable, "-m", "gongzhi", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )


@pytest.fixture
def table_csv(tmp_path: Path) -> Path:
    rows = ["c1,c2,c3"]
    for i in range(200):
        body = f"3301061990{(i % 12) + 1:02d}{(i % 28) + 1:02d}{i % 1000:03d}"
        card = f"621700{i:09d}"
        rows.append(f"{body + checks.cn_id_check_char(body)},{card + checks.luhn_check_digit(card)},ORDER-{i:06d}")
    path = tmp_path / "t.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_scan_a_table_writes_json_html_and_csv(table_csv: Path, tmp_path: Path) -> None:
    result = gz("scan", "t.csv", "--json", "t.json", "--html", "t.html", "--csv", "t-columns.csv", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    report = json.loads((tmp_path / "t.json").read_text(encoding="utf-8"))
    assert {c["name"]: c["entity_type"] for c in report["columns"]} == {
        "c1": "CN_RESIDENT_ID",
        "c2": "BANK_CARD",
        "c3": None,
    }
    assert report["level"] == "general-4" and "CN_RESIDENT_ID" in result.stdout
    assert "<table>" in (tmp_path / "t.html").read_text(encoding="utf-8")
    assert "BANK_CARD" in (tmp_path / "t-columns.csv").read_text(encoding="utf-8")


def test_scan_text_records_and_profile_choice(tmp_path: Path) -> None:
    (tmp_path / "x.jsonl").write_text(
        json.dumps({"id": "r1", "text": "客户张伟的手机号是13812345678"}, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    result = gz(
        "scan",
        "x.jsonl",
        "--text-field",
        "text",
        "--id-field",
        "id",
        "--profile",
        "cn.pipl.sensitive-pi@1",
        "--json",
        "x.json",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads((tmp_path / "x.json").read_text(encoding="utf-8"))
    assert report["profile"] == "cn.pipl.sensitive-pi@1" and report["level"] == "personal"
    assert [(f["start"], f["end"], f["entity_type"]) for f in report["records"][0]["findings"]] == [
        (2, 4, "PERSON_NAME"),
        (9, 20, "CN_MOBILE"),
    ]


def test_clear_errors(tmp_path: Path) -> None:
    missing = gz("scan", "nothing.csv", "--json", "o.json", cwd=tmp_path)
    assert missing.returncode == 1 and "no such file" in missing.stderr
    profile = gz("scan", ".", "--profile", "nope@1", "--json", "o.json", cwd=tmp_path)
    assert profile.returncode == 1 and "Unknown grading profile" in profile.stderr
    db = gz("scan", "postgresql+psycopg://u:pw@127.0.0.1:1/x", "--json", "o.json", cwd=tmp_path)
    assert db.returncode == 1 and "cannot reach the database" in db.stderr and ":pw@" not in db.stderr


def test_mask_and_anonymity(table_csv: Path, tmp_path: Path) -> None:
    (tmp_path / "policy.yaml").write_text(
        "columns: {c1: fake, c2: pseudonym}\nquasi_identifiers: [c3]\nk: 2\n", encoding="utf-8"
    )
    result = gz("mask", "t.csv", "out.parquet", "--policy", "policy.yaml", "--report", "r.json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = pl.read_parquet(tmp_path / "out.parquet")
    assert out.height == 200 and all(checks.cn_resident_id_ok(v) for v in out["c1"])
    assert out["c2"][0].startswith("BANK_CARD_") and out["c3"][0] == "ORDER-000000"
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert report["tables"][0]["anonymity"]["k"] == 1 and "k-anonymity" in result.stdout
    # The same key (kept in the instance folder) gives the same pseudonyms next time.
    gz("mask", "t.csv", "again.csv", "--policy", "policy.yaml", cwd=tmp_path)
    assert pl.read_csv(tmp_path / "again.csv", infer_schema=False)["c2"].to_list() == out["c2"].to_list()
    bad = gz("mask", "t.csv", "o.csv", "--policy", '{"columns": {"c1": "encrypt"}}', cwd=tmp_path)
    assert bad.returncode == 1 and "unknown strategy" in bad.stderr
    anon = gz("datasec", "anonymity", "t.csv", "--quasi", "c3", "--k", "1", cwd=tmp_path)
    assert anon.returncode == 0 and json.loads(anon.stdout)["satisfied"] is True


def test_reference_commands(tmp_path: Path) -> None:
    assert "gongzhi.datasec.cn_resident_id@1" in gz("datasec", "entities", cwd=tmp_path).stdout
    assert "cn.gbt43697.v2024@1" in gz("datasec", "profiles", cwd=tmp_path).stdout
