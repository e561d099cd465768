from __future__ import annotations

import datetime as dt

import pytest

from gongzhi.errors import InvalidInput
from gongzhi.identity.rules import (
    hash_password,
    mint_token,
    normalise_username,
    split_token,
    throttle_wait,
    token_matches,
    verify_password,
)


def test_password_hash_is_argon2id_and_verifies() -> None:
    h = hash_password("a-good-password-1")
    assert h.startswith("$argon2id$")
    assert verify_password(h, "a-good-password-1")
    assert not verify_password(h, "a-good-password-2")
    assert not verify_password("not a hash", "whatever-123")


@pytest.mark.parametrize("weak", ["short-1", "onlyletters", "1234567890123", "x" * 300])
def test_weak_passwords_are_refused(weak: str) -> None:
    with pytest.raises(InvalidInput):
        hash_password(weak)


@pytest.mark.parametrize(("raw", "ok"), [("Zhang.Wei", "zhang.wei"), (" lab-01 ", "lab-01")])
def test_usernames_are_normalised(raw: str, ok: str) -> None:
    assert normalise_username(raw) == ok


@pytest.mark.parametrize("bad", ["ab", "-lead", "trail-", "空格 名", "a" * 65, "semi;colon"])
def test_bad_usernames_are_refused(bad: str) -> None:
    with pytest.raises(InvalidInput):
        normalise_username(bad)


def test_tokens_are_random_prefixed_and_checked_in_constant_time() -> None:
    a, b = mint_token(), mint_token()
    assert a.plaintext != b.plaintext and a.prefix != b.prefix
    assert split_token(a.plaintext) == a.prefix
    assert token_matches(a.token_hash, a.plaintext) and not token_matches(a.token_hash, b.plaintext)
    assert split_token("gz_abc_def") is None and split_token("bearer") is None


def test_throttle_waits_until_the_oldest_counted_failure_leaves_the_window() -> None:
    now = dt.datetime(2026, 1, 1, 12, tzinfo=dt.UTC)
    window = dt.timedelta(minutes=15)
    fails = [now - dt.timedelta(minutes=m) for m in (14, 10, 5, 1)]
    assert throttle_wait(fails, now=now, max_failures=5, window=window) == 0
    fails.append(now)
    wait = throttle_wait(fails, now=now, max_failures=5, window=window)
    assert 60 <= wait <= 62  # the 14-minute-old failure expires in a minute
    assert throttle_wait([now - dt.timedelta(hours=1)] * 10, now=now, max_failures=5, window=window) == 0
