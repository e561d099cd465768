"""Access expectations of the data-security API (targets belong to the enterprise "xinghe")."""

from __future__ import annotations

import io
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from gongzhi.config import Settings
from gongzhi.datasec import service
from gongzhi.datasec.models import DataAsset, DataColumn
from gongzhi.db.base import utcnow
from gongzhi.identity.models import User
from gongzhi.identity.principal import OrgKind, Principal, Role
from gongzhi.ledger.service import record
from tests.access import SIGNED_IN, RouteSpec, Targets

OWNERS = frozenset({"operator", "xinghe"})
CSV = "name,mobile\n张伟,13812345678\n李娜,13912345678\n".encode()


def make_targets(session: Session, settings: Settings) -> dict[str, Any]:
    user = session.scalars(select(User).where(User.username == "xinghe")).one()
    actor = Principal(
        kind="user",
        user_id=user.id,
        username="xinghe",
        org_id=user.org_id,
        org_kind=OrgKind.enterprise,
        role=Role.admin,
    )
    source = service.register_upload(session, actor, settings, name="t", filename="t.csv", stream=io.BytesIO(CSV))
    scan = service.start_scan(session, actor, settings, source.id)
    scan.state, scan.level, scan.finished_at = "done", "general-2", utcnow()
    scan.report_sha256 = "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"  # sha256("{}")
    service.report_path(settings, scan.report_sha256).write_text("{}", encoding="utf-8")
    asset = DataAsset(scan_id=scan.id, org_id=scan.org_id, name="t.csv", kind="table", rows_scanned=2)
    session.add(asset)
    session.flush()
    column = DataColumn(
        asset_id=asset.id,
        org_id=scan.org_id,
        name="mobile",
        entity_type="CN_MOBILE",
        share=1.0,
        confidence=0.9,
        category="personal.contact",
        level="general-2",
        examples=["138****5678"],
    )
    session.add(column)
    run = service.start_mask(session, actor, source.id, policy_doc={})
    run.state, run.output_sha256 = "done", "1" * 64
    service.mask_path(settings, run).write_bytes(b"name,mobile\n")
    session.flush()
    record(session, actor=actor, action="test.fixture", subject_type="datasec_scan", subject_id=scan.id, payload={})
    return {
        "ds_source": source.id,
        "ds_scan": scan.id,
        "ds_column": column.id,
        "ds_mask": run.id,
        "ds_dir": str(settings.data_dir),
    }


def _upload(_t: Targets, _role: str) -> dict[str, tuple[str, bytes, str]]:
    return {"file": ("people.csv", CSV, "text/csv")}


ROUTES: dict[tuple[str, str], RouteSpec] = {
    ("GET", "/api/v1/datasec/sources"): RouteSpec(lambda t: "/api/v1/datasec/sources", SIGNED_IN),
    ("POST", "/api/v1/datasec/sources/upload"): RouteSpec(
        lambda t: "/api/v1/datasec/sources/upload", SIGNED_IN, body=lambda t, r: {"name": f"up {r}"}, files=_upload
    ),
    ("POST", "/api/v1/datasec/sources"): RouteSpec(
        lambda t: "/api/v1/datasec/sources", frozenset({"operator"}), lambda t, r: {"name": r, "location": t.ds_dir}
    ),
    ("GET", "/api/v1/datasec/sources/{source_id}"): RouteSpec(
        lambda t: f"/api/v1/datasec/sources/{t.ds_source}", OWNERS
    ),
    ("POST", "/api/v1/datasec/sources/{source_id}/scans"): RouteSpec(
        lambda t: f"/api/v1/datasec/sources/{t.ds_source}/scans", OWNERS, lambda t, r: {"sample_rows": 10}
    ),
    ("GET", "/api/v1/datasec/scans"): RouteSpec(lambda t: "/api/v1/datasec/scans", SIGNED_IN),
    ("GET", "/api/v1/datasec/scans/{scan_id}"): RouteSpec(lambda t: f"/api/v1/datasec/scans/{t.ds_scan}", OWNERS),
    ("GET", "/api/v1/datasec/scans/{scan_id}/report"): RouteSpec(
        lambda t: f"/api/v1/datasec/scans/{t.ds_scan}/report", OWNERS
    ),
    ("PATCH", "/api/v1/datasec/columns/{column_id}"): RouteSpec(
        lambda t: f"/api/v1/datasec/columns/{t.ds_column}",
        OWNERS,
        lambda t, r: {"level": "general-3", "justification": f"reviewed by {r}"},
    ),
    ("GET", "/api/v1/datasec/inventory"): RouteSpec(lambda t: "/api/v1/datasec/inventory", SIGNED_IN),
    ("POST", "/api/v1/datasec/sources/{source_id}/masks"): RouteSpec(
        lambda t: f"/api/v1/datasec/sources/{t.ds_source}/masks", OWNERS, lambda t, r: {"policy": {}}
    ),
    ("GET", "/api/v1/datasec/masks/{mask_id}"): RouteSpec(lambda t: f"/api/v1/datasec/masks/{t.ds_mask}", OWNERS),
    ("GET", "/api/v1/datasec/masks/{mask_id}/download"): RouteSpec(
        lambda t: f"/api/v1/datasec/masks/{t.ds_mask}/download", OWNERS
    ),
    ("POST", "/api/v1/datasec/scan-text"): RouteSpec(
        lambda t: "/api/v1/datasec/scan-text", SIGNED_IN, lambda t, r: {"text": "13812345678"}
    ),
    ("GET", "/api/v1/datasec/entity-types"): RouteSpec(lambda t: "/api/v1/datasec/entity-types", SIGNED_IN),
    ("GET", "/api/v1/datasec/profiles"): RouteSpec(lambda t: "/api/v1/datasec/profiles", SIGNED_IN),
}
