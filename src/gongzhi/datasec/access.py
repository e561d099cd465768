"""Who may do what in data security (deny by default).

Sources, scans, inventories and masked copies belong to the organisation that registered them: its
members see and use them, the platform operators see everything. Registering a server path or a
database URL reads data on the server, so only operators may do it; everyone else uploads files.
"""

from __future__ import annotations

from typing import Any, Protocol

from gongzhi.identity.policy import ALLOW, DENY, HIDE, Decision, action, is_operator, signed_in
from gongzhi.identity.principal import Principal


class Owned(Protocol):
    org_id: int | None


def _member_of(p: Principal, obj: Owned) -> bool:
    return is_operator(p) or (p.is_user and p.org_id is not None and p.org_id == obj.org_id)


def _in_org(p: Principal) -> bool:
    return p.is_system or (p.is_user and p.org_id is not None)


action("datasec.list", scope="datasec:read", description="List one's data sources, scans and inventory")(signed_in)
action("datasec.reference", scope="datasec:read", description="See entity types and grading profiles")(signed_in)


@action("datasec.source.upload", scope="datasec:write", description="Register a data source by uploading a file")
def _upload(p: Principal, _target: Any) -> Decision:
    return ALLOW if _in_org(p) else DENY


@action(
    "datasec.source.register_location",
    scope="datasec:write",
    description="Register a server path or database URL as a data source",
)
def _register_location(p: Principal, _target: Any) -> Decision:
    return ALLOW if is_operator(p) else DENY


@action("datasec.read", scope="datasec:read", description="See a data source, its scans and inventory")
def _read(p: Principal, obj: Owned) -> Decision:
    return ALLOW if _member_of(p, obj) else HIDE


@action("datasec.scan", scope="datasec:write", description="Scan a data source")
def _scan(p: Principal, obj: Owned) -> Decision:
    return ALLOW if _member_of(p, obj) else HIDE


@action(
    "datasec.override", scope="datasec:write", description="Override a column's category or level with a justification"
)
def _override(p: Principal, obj: Owned) -> Decision:
    return ALLOW if _member_of(p, obj) else HIDE


@action("datasec.mask", scope="datasec:write", description="Make a de-identified copy of a data source")
def _mask(p: Principal, obj: Owned) -> Decision:
    return ALLOW if _member_of(p, obj) else HIDE


@action("datasec.scan_text", scope="datasec:read", description="Find sensitive data in a short text")
def _scan_text(p: Principal, _target: Any) -> Decision:
    return ALLOW if p.is_user or p.is_system else DENY
