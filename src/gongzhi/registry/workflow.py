"""The review workflow of a filing (备案) as a pure state machine.

draft -> submitted -> under_review -> (changes_requested -> submitted) -> approved | rejected;
approved -> suspended -> approved (reinstated) | revoked; approved -> revoked.
"""

from __future__ import annotations

from enum import StrEnum

from gongzhi.errors import Conflict
from gongzhi.i18n import N_


class FilingState(StrEnum):
    draft = "draft"
    submitted = "submitted"
    under_review = "under_review"
    changes_requested = "changes_requested"
    approved = "approved"
    rejected = "rejected"
    suspended = "suspended"
    revoked = "revoked"


class Transition(StrEnum):
    submit = "submit"
    start_review = "start_review"
    request_changes = "request_changes"
    approve = "approve"
    reject = "reject"
    suspend = "suspend"
    reinstate = "reinstate"
    revoke = "revoke"


S, T = FilingState, Transition

#: (from, transition) -> to
TRANSITIONS: dict[tuple[FilingState, Transition], FilingState] = {
    (S.draft, T.submit): S.submitted,
    (S.changes_requested, T.submit): S.submitted,
    (S.submitted, T.start_review): S.under_review,
    (S.under_review, T.request_changes): S.changes_requested,
    (S.under_review, T.approve): S.approved,
    (S.under_review, T.reject): S.rejected,
    (S.approved, T.suspend): S.suspended,
    (S.suspended, T.reinstate): S.approved,
    (S.approved, T.revoke): S.revoked,
    (S.suspended, T.revoke): S.revoked,
}

#: States whose filing appears in the public register (公示).
PUBLIC_STATES = frozenset({S.approved, S.suspended, S.revoked})
#: States in which the enterprise may still edit the form and attachments.
EDITABLE_STATES = frozenset({S.draft, S.changes_requested})
FINAL_STATES = frozenset({S.rejected, S.revoked})


def allowed(state: FilingState) -> list[Transition]:
    """The transitions a filing in ``state`` allows, in a stable order."""
    return [t for (s, t) in TRANSITIONS if s is state]


def next_state(state: FilingState, transition: Transition) -> FilingState:
    """Where ``transition`` leads from ``state``; Conflict naming the allowed transitions otherwise."""
    target = TRANSITIONS.get((state, transition))
    if target is None:
        options = ", ".join(t.value for t in allowed(state)) or "—"
        raise Conflict(
            N_("'{transition}' is not possible for a filing that is {state}; allowed now: {allowed}."),
            state=state.value,
            transition=transition.value,
            allowed=options,
        )
    return target
