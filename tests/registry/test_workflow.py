from __future__ import annotations

import pytest

from gongzhi.errors import Conflict
from gongzhi.registry.workflow import TRANSITIONS, FilingState, Transition, allowed, next_state

S, T = FilingState, Transition


def test_the_happy_path_and_the_round_trip_through_changes() -> None:
    state = S.draft
    for transition in (
        T.submit,
        T.start_review,
        T.request_changes,
        T.submit,
        T.start_review,
        T.approve,
        T.suspend,
        T.reinstate,
        T.revoke,
    ):
        state = next_state(state, transition)
    assert state is S.revoked


@pytest.mark.parametrize("state", list(FilingState))
def test_illegal_transitions_name_the_allowed_ones(state: FilingState) -> None:
    for transition in Transition:
        if (state, transition) in TRANSITIONS:
            continue
        with pytest.raises(Conflict) as info:
            next_state(state, transition)
        expected = ", ".join(t.value for t in allowed(state)) or "—"
        assert info.value.params["allowed"] == expected


def test_final_states_allow_nothing() -> None:
    assert allowed(S.rejected) == [] and allowed(S.revoked) == []
