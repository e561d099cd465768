"""Access expectations of the ledger API: it is public, anyone may read and check it."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from gongzhi.config import Settings
from gongzhi.ledger import keys
from gongzhi.ledger import service as ledger
from tests.access import EVERYONE, SIGNED_IN, RouteSpec


def make_targets(session: Session, settings: Settings) -> dict[str, Any]:
    return {"tree_size": ledger.sign_tree_head(session, keys.for_settings(settings)).tree_size}


ROUTES: dict[tuple[str, str], RouteSpec] = {
    ("GET", "/api/v1/ledger/public-key"): RouteSpec(lambda t: "/api/v1/ledger/public-key", EVERYONE),
    ("GET", "/api/v1/ledger/tree-heads/latest"): RouteSpec(lambda t: "/api/v1/ledger/tree-heads/latest", EVERYONE),
    ("GET", "/api/v1/ledger/tree-heads"): RouteSpec(lambda t: "/api/v1/ledger/tree-heads", EVERYONE),
    ("GET", "/api/v1/ledger/tree-heads/{tree_size}"): RouteSpec(
        lambda t: f"/api/v1/ledger/tree-heads/{t.tree_size}", EVERYONE
    ),
    ("GET", "/api/v1/ledger/entries"): RouteSpec(lambda t: "/api/v1/ledger/entries", EVERYONE),
    ("GET", "/api/v1/ledger/entries/{seq}"): RouteSpec(lambda t: "/api/v1/ledger/entries/0", EVERYONE),
    ("GET", "/api/v1/ledger/proofs/inclusion"): RouteSpec(
        lambda t: "/api/v1/ledger/proofs/inclusion", EVERYONE, query={"seq": "0"}
    ),
    ("GET", "/api/v1/ledger/proofs/consistency"): RouteSpec(
        lambda t: "/api/v1/ledger/proofs/consistency", EVERYONE, query={"first": "1", "second": "2"}
    ),
    ("GET", "/api/v1/ledger/export"): RouteSpec(lambda t: "/api/v1/ledger/export", EVERYONE),
    ("GET", "/api/v1/ledger/audit"): RouteSpec(lambda t: "/api/v1/ledger/audit", EVERYONE),
    ("POST", "/api/v1/ledger/audit-jobs"): RouteSpec(lambda t: "/api/v1/ledger/audit-jobs", SIGNED_IN),
}
