"""Assessments through the service, the job and the API: uploads, the run, reports and their ledger digests."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from gongzhi.assess import service
from gongzhi.assess.models import Assessment
from gongzhi.config import Settings
from gongzhi.db.engine import SessionFactory, transaction
from gongzhi.errors import InvalidInput, NotFound
from gongzhi.identity.auth import principal_for
from gongzhi.identity.models import User
from gongzhi.identity.principal import Principal
from gongzhi.jobs import runner
from gongzhi.jobs.models import Job
from gongzhi.jobs.rules import JobState
from gongzhi.ledger.models import LedgerEntry

CN = "gongzhi.assess.cn-tc260-trustworthy@1"


def who(session: Session, username: str) -> Principal:
    return principal_for(session.scalars(select(User).where(User.username == username)).one())


def run_queued_job(factory: SessionFactory, settings: Settings) -> JobState:
    job_id = runner.claim_next(factory, "test-worker")
    assert job_id is not None
    return runner.run_job(factory, settings, job_id)


def test_upload_run_and_report_digests_in_the_ledger(
    factory: SessionFactory, settings: Settings, credit: pl.DataFrame, skops_model: Path
) -> None:
    csv = credit.drop("predicted", "score").write_csv().encode()
    with transaction(factory) as session:
        lab = who(session, "xinghe")
        data = service.upload_file(session, lab, settings, role="data", name="credit.csv", stream=[csv])
        model = service.upload_file(
            session, lab, settings, role="model", name="m.skops", stream=[skops_model.read_bytes()]
        )
        assert data.columns[:2] == ["sex", "region"] and data.rows == credit.height and model.format == "skops"
        assessment = service.create_assessment(
            session,
            lab,
            settings,
            profile_id=CN,
            data_file_id=data.id,
            model_file_id=model.id,
            target="approved",
            sensitive=["sex", "region"],
            answers={"cn.pc.1": service.AnswerInput("yes", "licensed data")},
            locale="zh_CN",
        )
        assessment_id = assessment.id
    assert run_queued_job(factory, settings) is JobState.succeeded
    with transaction(factory) as session:
        lab = who(session, "xinghe")
        item = service.get_assessment(session, lab, assessment_id)
        assert item.status == "succeeded" and item.summary["status"] in ("pass", "fail", "incomplete")
        reports = service.reports_of(session, lab, assessment_id)
        assert {r.format for r in reports} == {"json", "html", "pdf"}
        entry = session.scalars(
            select(LedgerEntry).where(
                LedgerEntry.action == "assessment.report", LedgerEntry.subject_id == str(assessment_id)
            )
        ).one()
        recorded = {r["sha256"] for r in entry.payload["reports"]}
        for r in reports:
            stored, data_bytes = service.report_bytes(session, lab, settings, r.id)
            assert hashlib.sha256(data_bytes).hexdigest() == r.sha256 and r.sha256 in recorded
        html = service.report_bytes(session, lab, settings, next(r.id for r in reports if r.format == "html"))[
            1
        ].decode()
        assert "可信人工智能评估报告" in html
        ref = service.report_for_filing(session, lab, reports[0].id)
        assert ref.profile_id == CN and ref.sha256 == reports[0].sha256 and ref.org_id == lab.org_id
        with pytest.raises(NotFound):
            service.report_for_filing(session, who(session, "qingsong"), reports[0].id)


def test_a_timeout_fails_the_job_and_the_assessment(
    factory: SessionFactory, settings: Settings, credit: pl.DataFrame
) -> None:
    settings = settings.model_copy(update={"assess_endpoint_timeout_seconds": 0.2})
    with transaction(factory) as session:
        lab = who(session, "lab")
        data = service.upload_file(
            session, lab, settings, role="data", name="c.csv", stream=[credit.write_csv().encode()]
        )
        assessment = service.create_assessment(
            session,
            lab,
            settings,
            profile_id=CN,
            data_file_id=data.id,
            target="approved",
            endpoint="http://127.0.0.1:9/predict",
        )
        assessment_id = assessment.id
    assert run_queued_job(factory, settings) is JobState.failed
    with factory() as session:
        row = session.get(Assessment, assessment_id)
        assert (
            row is not None
            and row.status == "failed"
            and row.error
            and "did not answer" in row.error.format(**row.error_params)
        )
        job = session.get(Job, row.job_id)
        assert job is not None and job.error is not None


def test_bad_requests_are_refused(session: Session, settings: Settings) -> None:
    lab = who(session, "lab")
    with pytest.raises(InvalidInput, match="pickle"):
        service.upload_file(session, lab, settings, role="model", name="m.joblib", stream=[b"\x80\x04K\x01."])
    data = service.upload_file(session, lab, settings, role="data", name="d.csv", stream=[b"a,b\n1,0\n"])
    with pytest.raises(InvalidInput, match="Unknown column"):
        service.create_assessment(
            session, lab, settings, profile_id=CN, data_file_id=data.id, target="nope", prediction="b"
        )
    with pytest.raises(NotFound):
        service.create_assessment(
            session, lab, settings, profile_id="x@1", data_file_id=data.id, target="a", prediction="b"
        )
    with pytest.raises(NotFound):  # another organisation's file is not there for this caller
        service.get_file(session, who(session, "xinghe"), data.id)


def test_api_round_trip(
    api_as: Callable[..., Any], factory: SessionFactory, settings: Settings, credit: pl.DataFrame
) -> None:
    client = api_as("xinghe")
    uploaded = client.post(
        "/api/v1/assess/files",
        data={"role": "data"},
        files={"file": ("c.csv", credit.write_csv().encode(), "text/csv")},
    )
    assert uploaded.status_code == 201, uploaded.text
    created = client.post(
        "/api/v1/assess/assessments",
        json={
            "profile_id": "gongzhi.assess.nist-ai-rmf-measure@1",
            "data_file_id": uploaded.json()["id"],
            "target": "approved",
            "prediction": "predicted",
            "score": "score",
            "sensitive": ["sex", "region"],
            "locale": "en",
        },
    )
    assert created.status_code == 202, created.text
    assert run_queued_job(factory, settings.model_copy(update={"assess_pdf_reports": False})) is JobState.succeeded
    detail = client.get(f"/api/v1/assess/assessments/{created.json()['id']}").json()
    assert detail["status"] == "succeeded" and {r["format"] for r in detail["reports"]} == {"json", "html"}
    report = next(r for r in detail["reports"] if r["format"] == "json")
    download = client.get(report["download"])
    assert download.status_code == 200 and download.headers["x-content-sha256"] == report["sha256"]
    assert hashlib.sha256(download.content).hexdigest() == report["sha256"]
    assert download.json()["format"] == "gongzhi.assess.report@1"
    html = next(r for r in detail["reports"] if r["format"] == "html")
    page = client.get(html["download"])
    assert (
        "script-src" not in page.headers["content-security-policy"]
        and "default-src 'none'" in page.headers["content-security-policy"]
    )
    too_big = api_as("xinghe").post(
        "/api/v1/assess/files", data={"role": "data"}, files={"file": ("x.csv", b"a\n" * 10, "text/csv")}
    )
    assert too_big.status_code == 201
