"""An assessment report made on the platform can be attached to a filing with its recorded SHA-256."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from gongzhi.assess import service as assess
from gongzhi.config import Settings
from gongzhi.db.engine import SessionFactory, transaction
from gongzhi.errors import NotFound
from gongzhi.jobs import runner
from gongzhi.jobs.rules import JobState
from gongzhi.registry import filings
from tests.assess.conftest import credit_frame
from tests.registry.helpers import as_user, new_system


def make_report(factory: SessionFactory, settings: Settings, username: str) -> int:
    csv = credit_frame(300).write_csv().encode()
    with transaction(factory) as s:
        owner = as_user(s, username)
        data = assess.upload_file(s, owner, settings, role="data", name="credit.csv", stream=[csv])
        assessment = assess.create_assessment(
            s,
            owner,
            settings,
            profile_id="gongzhi.assess.cn-tc260-trustworthy@1",
            data_file_id=data.id,
            target="approved",
            prediction="predicted",
            score="score",
            sensitive=["sex"],
        )
        assessment_id = assessment.id
    job_id = runner.claim_next(factory, "test")
    assert job_id is not None and runner.run_job(factory, settings, job_id) is JobState.succeeded
    with factory() as s:
        reports = assess.reports_of(s, as_user(s, username), assessment_id)
        return next(r.id for r in reports if r.format == "pdf")


def test_a_platform_report_is_attached_with_its_digest(factory: SessionFactory, settings: Settings) -> None:
    report_id = make_report(factory, settings, "xinghe")
    with transaction(factory) as s:
        owner = as_user(s, "xinghe")
        filing = filings.create_filing(s, owner, system_id=new_system(s, owner).id)
        attachment = filings.attach_report(s, owner, settings, filing.id, report_id=report_id)
        ref = assess.report_for_filing(s, owner, report_id)
        assert attachment.sha256 == ref.sha256 and attachment.report_ref == f"assess:{report_id}"
        assert attachment.kind == "assessment_report" and attachment.content_type == "application/pdf"


def test_another_organisations_report_cannot_be_attached(
    session: Session, factory: SessionFactory, settings: Settings
) -> None:
    report_id = make_report(factory, settings, "qingsong")
    owner = as_user(session, "xinghe")
    filing = filings.create_filing(session, owner, system_id=new_system(session, owner).id)
    with pytest.raises(NotFound):
        filings.attach_report(session, owner, settings, filing.id, report_id=report_id)
