"""Who may do what in assessments (评估) — deny by default, as every area declares its actions.

Data, models, assessments and reports belong to the organisation that uploaded or ran them: its
members see them, the platform's operators too; anyone else is not told they exist (404). The
profiles are published standards, readable by everyone.
"""

from __future__ import annotations

from typing import Any, Protocol

from gongzhi.identity.policy import ALLOW, DENY, HIDE, Decision, action, everyone, is_operator
from gongzhi.identity.principal import Principal


class Owned(Protocol):
    org_id: int | None


def _signed_in_user(p: Principal, _target: Any = None) -> Decision:
    return ALLOW if p.is_user or p.is_system else DENY


def can_see(p: Principal, item: Owned) -> bool:
    """Members of the owning organisation and the operators."""
    return is_operator(p) or (p.is_user and item.org_id is not None and p.org_id == item.org_id)


action("assessment.profiles", scope="assess:read", description="See the assessment profiles")(everyone)
action("assessment.upload", scope="assess:write", description="Upload test data or a model")(_signed_in_user)
action("assessment.create", scope="assess:write", description="Run an assessment")(_signed_in_user)
action("assessment.list", scope="assess:read", description="List one's organisation's assessments")(_signed_in_user)


@action("assessment.read", scope="assess:read", description="See an assessment, its data and its report")
def _read(p: Principal, item: Owned) -> Decision:
    return ALLOW if can_see(p, item) else HIDE
