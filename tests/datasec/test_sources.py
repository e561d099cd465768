"""Every kind of source, sampled scans and bad input: a clear error or a reported part, never a crash."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import create_engine, text

from gongzhi.datasec import engine, sources, synth
from gongzhi.datasec.profiles import grading_profile

PROFILE_ID, BODY = grading_profile(None)


def scan(location: str, **options: object) -> dict[str, object]:
    return engine.scan_location(location, body=BODY, profile_id=PROFILE_ID, options=engine.ScanOptions(**options))  # type: ignore[arg-type]


def typed(report: dict[str, object]) -> dict[str, str | None]:
    return {c["name"]: c["entity_type"] for c in report["columns"]}  # type: ignore[attr-defined,index]


def small_frame(rows: int = 200) -> pl.DataFrame:
    data, _ = synth.table(rows, seed=4)
    return pl.DataFrame({k: data[k] for k in ("cn_id", "mobile", "姓名", "地址", "order_no")})


def test_gbk_csv_is_detected(tmp_path: Path) -> None:
    path = tmp_path / "gbk.csv"
    path.write_bytes(small_frame().write_csv().encode("gbk"))
    report = scan(str(path))
    assert typed(report) == {
        "cn_id": "CN_RESIDENT_ID",
        "mobile": "CN_MOBILE",
        "姓名": "PERSON_NAME",
        "地址": "ADDRESS",
        "order_no": None,
    }
    assert report["tables"][0]["notes"] == []  # type: ignore[index]


def test_excel_parquet_folder_and_jsonl_tables(tmp_path: Path) -> None:
    from openpyxl import Workbook

    df = small_frame(60)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(df.columns)
    for row in df.iter_rows():
        sheet.append(list(row))
    book.save(tmp_path / "book.xlsx")
    assert typed(scan(str(tmp_path / "book.xlsx")))["cn_id"] == "CN_RESIDENT_ID"
    parts = tmp_path / "ds"
    df.with_columns(pl.Series("year", ["2024", "2025"] * 30)).write_parquet(parts, partition_by=["year"])
    report = scan(str(parts))
    assert typed(report)["mobile"] == "CN_MOBILE" and report["tables"][0]["rows_scanned"] == 60  # type: ignore[index]
    (tmp_path / "rows.jsonl").write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in df.to_dicts()), encoding="utf-8"
    )
    assert typed(scan(str(tmp_path / "rows.jsonl")))["地址"] == "ADDRESS"


def test_plain_text_and_jsonl_text(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("第一行没有\n请联系13812345678\n", encoding="utf-8")
    records = scan(str(tmp_path / "notes.txt"))["records"]
    assert records[1] == {
        "id": "2",
        "findings": [
            {
                "start": 3,
                "end": 14,
                "entity_type": "CN_MOBILE",  # type: ignore[index]
                "score": records[1]["findings"][0]["score"],  # type: ignore[index]
                "recognizer": "gongzhi.datasec.cn_mobile@1",
            }
        ],
    }
    (tmp_path / "x.jsonl").write_text('{"id": "a", "text": "邮箱 a@b.cn"}\nnot json\n{"id": "b"}\n', encoding="utf-8")
    report = scan(str(tmp_path / "x.jsonl"), text_field="text", id_field="id")
    assert [r["id"] for r in report["records"]] == ["a"]  # type: ignore[attr-defined]
    kinds = {n["kind"] for n in report["texts"][0]["notes"]}  # type: ignore[index]
    assert kinds == {"bad_lines", "missing_text_field"}


def test_sqlite_database_every_table_and_a_sample(tmp_path: Path) -> None:
    db = tmp_path / "crm.db"
    with sqlite3.connect(db) as conn:
        conn.execute("create table customers (name text, phone text, note text)")
        conn.executemany(
            "insert into customers values (?, ?, ?)", [(f"客户{i}", f"1391234{i:04d}", "ok") for i in range(500)]
        )
        conn.execute("create table empty_table (x int)")
    report = scan(f"sqlite:///{db}", sample=50)
    tables = {t["name"]: t for t in report["tables"]}  # type: ignore[attr-defined]
    assert set(tables) == {"customers", "empty_table"}
    assert tables["customers"]["rows_scanned"] == 50 and tables["customers"]["sampled"] == 50
    assert {c["name"]: c["entity_type"] for c in tables["customers"]["columns"]}["phone"] == "CN_MOBILE"


@pytest.mark.db
def test_the_test_backends_database(db_url: str) -> None:
    """A database URL on the suite's backend (PostgreSQL in the CI's second pass): every table is scanned."""
    eng = create_engine(db_url)
    try:
        with eng.begin() as conn:
            conn.execute(text("create table crm_contacts (id_no text, email text)"))
            conn.execute(text("insert into crm_contacts values ('11010519491231002X', 'a@example.com')"))
        report = scan(db_url, batch_rows=10)
    finally:
        eng.dispose()
    cols = {(c["table"], c["name"]): c["entity_type"] for c in report["columns"]}  # type: ignore[attr-defined]
    assert cols[("crm_contacts", "id_no")] == "CN_RESIDENT_ID" and cols[("crm_contacts", "email")] == "EMAIL"


def test_unreachable_database_is_a_clear_error() -> None:
    with pytest.raises(sources.SourceError, match="cannot reach the database") as info:
        scan("postgresql+psycopg://someone:hunter2@127.0.0.1:1/nothing")
    assert "hunter2" not in str(info.value)


def test_bad_files_are_reported_not_fatal(tmp_path: Path) -> None:
    (tmp_path / "empty.csv").write_bytes(b"")
    (tmp_path / "ragged.csv").write_text("a,b\n13812345678,1\n1,2,3,4\n13912345678,2\n", encoding="utf-8")
    (tmp_path / "broken.csv").write_bytes(b"phone,x\n13812345678,\xff\xfe\x00ok\n13912345678,fine\n")
    huge = "1" * 300_000
    (tmp_path / "huge.csv").write_text(f"big,phone\n{huge},13812345678\nsmall,13912345678\n", encoding="utf-8")
    (tmp_path / "model.pkl").write_bytes(b"\x80\x04K\x01.")
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    report = scan(str(tmp_path))
    skipped = {s["name"]: s["reason"] for s in report["skipped"]}  # type: ignore[attr-defined]
    assert skipped["empty.csv"] == "empty file"
    assert "unsupported" in skipped["model.pkl"] and ".xlsx" in skipped["old.xls"]
    tables = {t["name"]: t for t in report["tables"]}  # type: ignore[attr-defined]
    assert {"ragged.csv", "broken.csv", "huge.csv"} <= set(tables)
    assert tables["ragged.csv"]["notes"] == [{"kind": "ragged_rows", "count": 1}]
    assert tables["ragged.csv"]["rows_scanned"] == 2
    assert any(n["kind"] == "undecodable_cells" for n in tables["broken.csv"]["notes"])
    assert {c["name"]: c["entity_type"] for c in tables["huge.csv"]["columns"]}["phone"] == "CN_MOBILE"
    with pytest.raises(sources.SourceError, match="no such file"):
        scan(str(tmp_path / "missing.csv"))


def test_reservoir_sample_is_uniform_and_bounded() -> None:
    batches = (pl.DataFrame({"i": list(range(start, start + 1000))}) for start in range(0, 10_000, 1000))
    sample = pl.concat(list(sources.reservoir(batches, 500, seed=1)))
    assert sample.height == 500 and sample["i"].n_unique() == 500
    assert 3500 < sample["i"].mean() < 6500  # type: ignore[operator]
