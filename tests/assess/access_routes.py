"""Access expectations of the assessment API; targets belong to the enterprise "xinghe"."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from gongzhi.assess import service
from gongzhi.assess.models import AssessmentReport
from gongzhi.config import Settings
from gongzhi.identity.auth import principal_for
from gongzhi.identity.models import User
from tests.access import EVERYONE, SIGNED_IN, RouteSpec

CSV = b"sex,approved,predicted\nf,1,1\nm,0,1\nf,0,0\nm,1,1\n"
OWNERS = frozenset({"operator", "xinghe"})


def make_targets(session: Session, settings: Settings) -> dict[str, Any]:
    xinghe = principal_for(session.scalars(select(User).where(User.username == "xinghe")).one())
    data = service.upload_file(session, xinghe, settings, role="data", name="d.csv", stream=[CSV])
    assessment = service.create_assessment(
        session,
        xinghe,
        settings,
        profile_id="gongzhi.assess.cn-tc260-trustworthy@1",
        data_file_id=data.id,
        target="approved",
        prediction="predicted",
        sensitive=["sex"],
    )
    report = AssessmentReport(
        assessment_id=assessment.id,
        org_id=assessment.org_id,
        format="json",
        locale=None,
        sha256=data.sha256,
        size=len(CSV),
    )
    session.add(report)
    session.flush()
    from gongzhi.ledger.service import record

    record(session, actor=xinghe, action="test.report", subject_type="assessment", subject_id=assessment.id, payload={})
    return {"xinghe_file": data.id, "xinghe_assessment": assessment.id, "xinghe_report": report.id}


def _create(t: Any, role: str) -> dict[str, Any]:
    # Each caller uploads its own data first when it can; others point at xinghe's file (and must not see it).
    return {
        "profile_id": "gongzhi.assess.cn-tc260-trustworthy@1",
        "data_file_id": t.xinghe_file,
        "target": "approved",
        "prediction": "predicted",
        "sensitive": ["sex"],
    }


ROUTES: dict[tuple[str, str], RouteSpec] = {
    ("GET", "/api/v1/assess/profiles"): RouteSpec(lambda t: "/api/v1/assess/profiles", EVERYONE),
    ("GET", "/api/v1/assess/profiles/{profile_id}"): RouteSpec(
        lambda t: "/api/v1/assess/profiles/gongzhi.assess.nist-ai-rmf-measure@1", EVERYONE
    ),
    ("GET", "/api/v1/assess/report-schema"): RouteSpec(lambda t: "/api/v1/assess/report-schema", EVERYONE),
    ("POST", "/api/v1/assess/files"): RouteSpec(
        lambda t: "/api/v1/assess/files",
        SIGNED_IN,
        body=lambda t, r: {"role": "data"},
        files=lambda t, r: {"file": ("d.csv", CSV, "text/csv")},
    ),
    ("GET", "/api/v1/assess/files"): RouteSpec(lambda t: "/api/v1/assess/files", SIGNED_IN),
    ("GET", "/api/v1/assess/files/{file_id}"): RouteSpec(lambda t: f"/api/v1/assess/files/{t.xinghe_file}", OWNERS),
    ("POST", "/api/v1/assess/assessments"): RouteSpec(lambda t: "/api/v1/assess/assessments", OWNERS, body=_create),
    ("GET", "/api/v1/assess/assessments"): RouteSpec(lambda t: "/api/v1/assess/assessments", SIGNED_IN),
    ("GET", "/api/v1/assess/assessments/{assessment_id}"): RouteSpec(
        lambda t: f"/api/v1/assess/assessments/{t.xinghe_assessment}", OWNERS
    ),
    ("GET", "/api/v1/assess/reports/{report_id}"): RouteSpec(
        lambda t: f"/api/v1/assess/reports/{t.xinghe_report}", OWNERS
    ),
    ("GET", "/api/v1/assess/reports/{report_id}/download"): RouteSpec(
        lambda t: f"/api/v1/assess/reports/{t.xinghe_report}/download", OWNERS
    ),
}
