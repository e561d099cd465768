"""Sources, scans as jobs, the inventory, overrides and masked copies through the real API and database."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import select

from gongzhi.config import Settings
from gongzhi.db.engine import SessionFactory, transaction
from gongzhi.jobs import runner
from gongzhi.jobs.models import Job
from gongzhi.jobs.rules import JobState
from gongzhi.ledger.models import LedgerEntry


def run_jobs(factory: SessionFactory, settings: Settings) -> list[JobState]:
    """Run every queued job in this process (what a worker would do)."""
    states = []
    while (job_id := runner.claim_next(factory, "test-worker")) is not None:
        states.append(runner.run_job(factory, settings, job_id))
    return states


def upload(client: Any, path: Path, name: str = "people") -> dict[str, Any]:
    response = client.post(
        "/api/v1/datasec/sources/upload",
        data={"name": name},
        files={"file": (path.name, path.read_bytes(), "text/csv")},
    )
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


def test_upload_scan_inventory_override_and_mask(
    api_as: Callable[..., Any], factory: SessionFactory, settings: Settings, people_csv: Path
) -> None:
    xinghe = api_as("xinghe")
    source = upload(xinghe, people_csv)
    assert source["kind"] == "upload" and source["display_location"] == "people.csv"
    scan = xinghe.post(f"/api/v1/datasec/sources/{source['id']}/scans", json={}).json()
    assert scan["state"] == "queued" and scan["job_id"]
    assert run_jobs(factory, settings) == [JobState.succeeded]
    detail = xinghe.get(f"/api/v1/datasec/scans/{scan['id']}").json()
    assert detail["state"] == "done" and detail["level"] == "general-4"
    columns = {c["name"]: c for a in detail["assets"] for c in a["columns"]}
    assert columns["cn_id"]["entity_type"] == "CN_RESIDENT_ID" and columns["order_no"]["entity_type"] is None
    assert columns["bank_card"]["level"] == "general-4"
    # Masked examples only, never a raw value.
    raw = people_csv.read_text(encoding="utf-8")
    cells = {name: {row[name] for row in csv.DictReader(io.StringIO(raw))} for name in columns}
    for name, c in columns.items():
        assert not set(c["examples"]) & cells[name], name
    report = xinghe.get(f"/api/v1/datasec/scans/{scan['id']}/report").json()
    assert {c["name"] for c in report["columns"]} == set(columns)
    assert "CN_RESIDENT_ID" in xinghe.get(f"/api/v1/datasec/scans/{scan['id']}/report?format=csv").text
    assert "<table>" in xinghe.get(f"/api/v1/datasec/scans/{scan['id']}/report?format=html").text

    # Override with a justification; the justification's digest (not its text) goes to the ledger.
    col = columns["uscc"]
    changed = xinghe.patch(
        f"/api/v1/datasec/columns/{col['id']}",
        json={"level": "general-3", "justification": "内部供应商名录，不对外公开"},
    )
    assert changed.status_code == 200 and changed.json()["effective_level"] == "general-3"
    bad = xinghe.patch(f"/api/v1/datasec/columns/{col['id']}", json={"level": "L9", "justification": "because"})
    assert bad.status_code == 422
    inventory = xinghe.get("/api/v1/datasec/inventory", params={"entity_type": "CN_USCC"}).json()["items"]
    assert [r["level"] for r in inventory] == ["general-3"] and inventory[0]["overridden"]
    exported = list(csv.DictReader(io.StringIO(xinghe.get("/api/v1/datasec/inventory?format=csv").text)))
    assert len(exported) == 24

    mask = xinghe.post(
        f"/api/v1/datasec/sources/{source['id']}/masks",
        json={"policy": {"columns": {"mobile": "pseudonym", "cn_id": "fake"}, "quasi_identifiers": ["plate"], "k": 2}},
    ).json()
    assert run_jobs(factory, settings) == [JobState.succeeded]
    done = xinghe.get(f"/api/v1/datasec/masks/{mask['id']}").json()
    assert done["state"] == "done" and done["result"]["rows"] == 300
    copy = xinghe.get(f"/api/v1/datasec/masks/{mask['id']}/download")
    rows = list(csv.DictReader(io.StringIO(copy.text)))
    original = list(csv.DictReader(io.StringIO(raw)))
    assert len(rows) == 300 and rows[0]["mobile"].startswith("CN_MOBILE_")
    assert rows[0]["cn_id"] != original[0]["cn_id"] and len(rows[0]["cn_id"]) == 18
    assert rows[0]["bank_card"].startswith(original[0]["bank_card"][:6]) and "*" in rows[0]["bank_card"]
    assert rows[0]["order_no"] == original[0]["order_no"]

    with transaction(factory) as s:
        actions = [e.action for e in s.scalars(select(LedgerEntry).where(LedgerEntry.subject_type.like("datasec%")))]
        payloads = " ".join(str(e.payload) for e in s.scalars(select(LedgerEntry)))
    assert {
        "datasec.source.register",
        "datasec.scan.start",
        "datasec.scan.complete",
        "datasec.column.override",
        "datasec.mask.start",
        "datasec.mask.complete",
    } <= set(actions)
    assert "内部供应商" not in payloads and original[0]["cn_id"] not in payloads


def test_other_organisations_cannot_see_or_scan(api_as: Callable[..., Any], people_csv: Path) -> None:
    source = upload(api_as("xinghe"), people_csv)
    other = api_as("qingsong")
    assert other.get(f"/api/v1/datasec/sources/{source['id']}").status_code == 404
    assert other.post(f"/api/v1/datasec/sources/{source['id']}/scans", json={}).status_code == 404
    assert source["id"] not in [s["id"] for s in other.get("/api/v1/datasec/sources").json()["items"]]
    assert api_as("operator").get(f"/api/v1/datasec/sources/{source['id']}").status_code == 200


def test_only_operators_register_server_paths_and_databases(api_as: Callable[..., Any], tmp_path: Path) -> None:
    body = {"name": "server file", "location": str(tmp_path)}
    assert api_as("xinghe").post("/api/v1/datasec/sources", json=body).status_code == 403
    assert api_as("operator").post("/api/v1/datasec/sources", json=body).status_code == 201
    missing = api_as("operator").post("/api/v1/datasec/sources", json={"name": "x", "location": "/no/such/dir"})
    assert missing.status_code == 422


def test_uploads_are_checked(api_as: Callable[..., Any], settings: Settings) -> None:
    client = api_as("xinghe")
    bad = client.post("/api/v1/datasec/sources/upload", files={"file": ("x.exe", b"MZ", "application/octet-stream")})
    assert bad.status_code == 422
    settings.datasec_max_upload_bytes = 4096  # the running app reads its settings at request time
    big = b"a,b\n" + b"1,2\n" * 2000
    too_big = client.post("/api/v1/datasec/sources/upload", files={"file": ("big.csv", big, "text/csv")})
    assert too_big.status_code == 413


def test_unreachable_database_fails_the_job_with_a_clear_error(
    api_as: Callable[..., Any], factory: SessionFactory, settings: Settings
) -> None:
    operator = api_as("operator")
    source = operator.post(
        "/api/v1/datasec/sources",
        json={"name": "gone", "location": "postgresql+psycopg://nobody:secret@127.0.0.1:1/none"},
    ).json()
    assert "secret" not in source["display_location"]
    scan = operator.post(f"/api/v1/datasec/sources/{source['id']}/scans", json={}).json()
    assert run_jobs(factory, settings) == [JobState.failed]
    with transaction(factory) as s:
        job = s.get(Job, scan["job_id"])
        assert job is not None and "cannot reach the database" in str(job.error_params)
        assert "secret" not in str(job.error_params)


def test_scan_text_and_reference(api_as: Callable[..., Any]) -> None:
    client = api_as("lab")
    found = client.post("/api/v1/datasec/scan-text", json={"text": "手机 13812345678"}).json()
    assert found == [
        {
            "start": 3,
            "end": 14,
            "entity_type": "CN_MOBILE",
            "score": found[0]["score"],
            "recognizer": "gongzhi.datasec.cn_mobile@1",
        }
    ]
    names = {e["name"] for e in client.get("/api/v1/datasec/entity-types").json()}
    assert {"CN_RESIDENT_ID", "CN_USCC", "IBAN", "PERSON_NAME"} <= names
    profiles = {p["id"] for p in client.get("/api/v1/datasec/profiles").json()}
    assert profiles >= {
        "cn.gbt43697.v2024@1",
        "cn.pipl.sensitive-pi@1",
        "cn.zj.public-data.v2021@1",
        "cn.jrt0197.v2020@1",
    }
