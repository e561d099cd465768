"""The ledger in the database: every change recorded, proofs that verify, tampering found and named."""

from __future__ import annotations

import io
import shutil
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete, func, select, text, update
from sqlalchemy.orm import Session

from gongzhi.config import Settings
from gongzhi.db.engine import SessionFactory, transaction
from gongzhi.identity.principal import SYSTEM
from gongzhi.ledger import keys, merkle, service
from gongzhi.ledger.audit import audit
from gongzhi.ledger.models import LedgerEntry, LedgerNode
from gongzhi.ledger.signing import public_key_to_pem, verify_tree_head
from gongzhi.ledger.verify import verify_export


def log_size(factory: SessionFactory) -> int:
    """How many entries the demo world (and whatever a test added) put in the ledger."""
    with factory() as s:
        return service.log_size(s)


def run_audit(factory: SessionFactory, settings: Settings, trusted: str | None = None) -> Any:
    with factory() as s:
        return audit(
            s, SYSTEM, signing_key_pem=keys.for_settings(settings).public_pem, trusted_key_pem=trusted, workers=1
        )


def sign(factory: SessionFactory, settings: Settings) -> Any:
    return service.ensure_tree_head(factory, keys.for_settings(settings))


def test_demo_world_is_in_the_ledger_and_verifies(factory: SessionFactory, settings: Settings) -> None:
    with factory() as s:
        actions = list(s.scalars(select(LedgerEntry.action).order_by(LedgerEntry.seq)))
    assert actions.count("org.create") == 8 and actions.count("user.create") == 12
    sign(factory, settings)
    report = run_audit(factory, settings)
    assert report.ok, report.summary()
    assert report.entries == len(actions) == report.signed_size


def test_sequence_numbers_and_tree_stay_consistent(factory: SessionFactory, settings: Settings) -> None:
    base = log_size(factory)
    with transaction(factory) as s:
        recorded = [
            service.record(s, actor=SYSTEM, action="test.x", subject_type="t", subject_id=i, payload={"i": i})
            for i in range(45)
        ]
    assert [r.seq for r in recorded] == list(range(base, base + 45))
    with factory() as s:
        leaves = [bytes(h) for h in s.scalars(select(LedgerEntry.leaf_hash).order_by(LedgerEntry.seq))]
        assert service.root_at(s, base + 45) == merkle.root_from_leaves(leaves)
        for size in (1, 2, 7, base, base + 13, base + 44, base + 45):
            assert service.root_at(s, size) == merkle.root_from_leaves(leaves[:size])


def test_inclusion_and_consistency_proofs_verify(factory: SessionFactory, settings: Settings) -> None:
    with transaction(factory) as s:
        for i in range(37):
            service.record(s, actor=SYSTEM, action="test.x", subject_type="t", subject_id=i, payload={})
    old = sign(factory, settings)
    with transaction(factory) as s:
        service.record(s, actor=SYSTEM, action="test.y", subject_type="t", subject_id="z", payload={})
    new = sign(factory, settings)
    key = keys.for_settings(settings)
    assert verify_tree_head(key.public, old) and verify_tree_head(key.public, new)
    with factory() as s:
        for seq in (0, 1, 17, 56, new.tree_size - 1):
            proof = service.inclusion_proof(s, SYSTEM, seq, new.tree_size)
            assert merkle.verify_inclusion(proof.leaf_hash, seq, new.tree_size, proof.path, new.root_hash)
        c = service.consistency_proof(s, SYSTEM, old.tree_size, new.tree_size)
        assert merkle.verify_consistency(old.tree_size, new.tree_size, old.root_hash, new.root_hash, c.path)


def test_api_proofs_check_out_against_the_published_key(client: TestClient) -> None:
    from gongzhi.ledger.signing import SignedTreeHead, load_public_key_pem

    pem = client.get("/api/v1/ledger/public-key").json()["public_key_pem"]
    proof = client.get("/api/v1/ledger/proofs/inclusion", params={"seq": 5}).json()
    sth = SignedTreeHead.from_json(proof["tree_head"])
    assert verify_tree_head(load_public_key_pem(pem), sth)
    assert merkle.verify_inclusion(
        bytes.fromhex(proof["leaf_hash"]),
        5,
        sth.tree_size,
        [bytes.fromhex(h) for h in proof["audit_path"]],
        sth.root_hash,
    )
    entry = client.get("/api/v1/ledger/entries/5").json()
    assert entry["leaf_hash"] == proof["leaf_hash"]
    exported = client.get("/api/v1/ledger/export")
    assert exported.status_code == 200
    report = verify_export(exported.content.splitlines(), load_public_key_pem(pem))
    assert report.ok and report.entries == sth.tree_size


def test_invalid_proof_requests_are_clear_errors(client: TestClient) -> None:
    bad = client.get("/api/v1/ledger/proofs/inclusion", params={"seq": 5, "tree_size": 5})
    assert bad.status_code == 422 and "5" in bad.json()["detail"]
    assert client.get("/api/v1/ledger/proofs/consistency", params={"first": 9, "second": 999999}).status_code == 422
    assert client.get("/api/v1/ledger/entries/999999").status_code == 404


# --------------------------------------------------------------------------------------------- tampering


def tamper(factory: SessionFactory, *statements: Any) -> None:
    """Change the tables behind the application's back, as an intruder with database access would."""
    with factory() as s, s.begin():
        for statement in statements:
            s.execute(statement)
        from gongzhi.db.ledger_guard import suspend

        suspend(s)


def payload_of(seq: int) -> Any:
    return select(LedgerEntry.payload).where(LedgerEntry.seq == seq).scalar_subquery()


TAMPERINGS: dict[str, tuple[Callable[[int], list[Any]], str, Callable[[int], int]]] = {
    "edit a payload": (
        lambda n: [update(LedgerEntry).where(LedgerEntry.seq == 7).values(payload={"role": "admin"})],
        "leaf_hash_mismatch",
        lambda n: 7,
    ),
    "delete a row": (lambda n: [delete(LedgerEntry).where(LedgerEntry.seq == 11)], "sequence_gap", lambda n: 11),
    "swap two rows": (
        lambda n: [
            update(LedgerEntry).where(LedgerEntry.seq == 4).values(seq=-4),
            update(LedgerEntry).where(LedgerEntry.seq == 9).values(seq=4),
            update(LedgerEntry).where(LedgerEntry.seq == -4).values(seq=9),
        ],
        "leaf_hash_mismatch",
        lambda n: 4,
    ),
    "insert a row": (
        lambda n: [
            text(
                "INSERT INTO ledger_entries"
                " (seq, time, actor, actor_org, action, subject_type, subject_id, payload, leaf_hash)"
                f" SELECT {n}, time, actor, actor_org, 'user.create', subject_type, '999', payload, leaf_hash"
                f" FROM ledger_entries WHERE seq = {n - 1}"
            )
        ],
        "leaf_hash_mismatch",
        lambda n: n,
    ),
}


@pytest.mark.parametrize("name", sorted(TAMPERINGS))
def test_tampering_fails_verification_naming_the_first_bad_entry(
    name: str, factory: SessionFactory, settings: Settings, client: TestClient
) -> None:
    sign(factory, settings)
    statements, kind, expected_seq = TAMPERINGS[name]
    n = log_size(factory)
    seq = expected_seq(n)
    tamper(factory, *statements(n))
    report = run_audit(factory, settings)
    assert not report.ok
    assert report.problem.kind == kind, report.summary()
    assert report.problem.seq == seq, report.summary()
    # The public page says so too; nothing pretends all is well.
    page = client.get("/ledger")
    assert 'data-ok="false"' in page.text and 'data-ok="true"' not in page.text
    assert client.get("/api/v1/ledger/audit").json()["ok"] is False


def test_recomputed_rewrite_is_caught_by_the_signed_root(factory: SessionFactory, settings: Settings) -> None:
    """An intruder who also recomputes the leaf hash and the stored node still breaks the signed root."""
    sign(factory, settings)
    from gongzhi.ledger.entry import entry_leaf_hash

    with factory() as s:
        rec, _ = service.get_entry(s, SYSTEM, 3)
    forged = rec.__class__(**{**{f: getattr(rec, f) for f in rec.__dataclass_fields__}, "payload": {"forged": 1}})
    leaf = entry_leaf_hash(forged)
    tamper(
        factory,
        update(LedgerEntry).where(LedgerEntry.seq == 3).values(payload={"forged": 1}, leaf_hash=leaf),
        update(LedgerNode).where(LedgerNode.level == 0, LedgerNode.index == 3).values(hash=leaf),
    )
    report = run_audit(factory, settings)
    assert not report.ok and report.problem.kind == "root_mismatch", report.summary()


def test_replaced_key_is_caught_with_the_published_key(factory: SessionFactory, settings: Settings) -> None:
    published = keys.for_settings(settings).public_pem
    sign(factory, settings)
    key_file = settings.resolved_ledger_key_file()
    key_file.unlink()  # the intruder swaps in a key of their own ...
    keys.load_or_create(key_file)
    with transaction(factory) as s:
        service.record(s, actor=SYSTEM, action="test.after", subject_type="t", subject_id="1", payload={})
    sign(factory, settings)  # ... and signs new heads with it
    report = run_audit(factory, settings, trusted=published)
    assert not report.ok and report.problem.kind in {"key_mismatch", "bad_signature"}, report.summary()
    # Even without the published key, the old heads no longer verify under the new key.
    assert not run_audit(factory, settings).ok


def test_exported_file_tampering_is_named_by_the_cli(
    factory: SessionFactory, settings: Settings, tmp_path: Path
) -> None:
    import os
    import subprocess
    import sys

    sign(factory, settings)
    env = {
        **os.environ,
        "GONGZHI_DATABASE_URL": settings.database_url,
        "GONGZHI_DATA_DIR": str(settings.data_dir),
        "GONGZHI_LOCALE": "en",
    }
    out = tmp_path / "l.jsonl"
    subprocess.run(
        [sys.executable, "-m", "gongzhi", "ledger", "export", str(out)], env=env, check=True, capture_output=True
    )
    lines = out.read_text(encoding="utf-8").splitlines()
    lines[13] = (
        lines[13].replace('"role":"admin"', '"role":"member"', 1)
        if '"role":"admin"' in lines[13]
        else lines[13].replace('"seq":12', '"seq":12,"x":1', 1)
    )
    bad = tmp_path / "bad.jsonl"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "gongzhi", "ledger", "verify", "--export", str(bad)],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "FAILED" in result.stderr and "12" in result.stderr
    good = subprocess.run(
        [sys.executable, "-m", "gongzhi", "ledger", "verify", "--export", str(out)],
        env=env,
        capture_output=True,
        text=True,
    )
    assert good.returncode == 0, good.stderr


# ----------------------------------------------------------------------------------------- concurrency


def test_concurrent_writers_get_gap_free_numbers_and_one_tree(factory: SessionFactory, settings: Settings) -> None:
    writers, per_writer = 8, 25
    base = log_size(factory)
    errors: list[BaseException] = []

    def write(n: int) -> None:
        try:
            for i in range(per_writer):
                with transaction(factory) as s:
                    service.record(
                        s,
                        actor=SYSTEM,
                        action="test.concurrent",
                        subject_type="w",
                        subject_id=f"{n}-{i}",
                        payload={"n": n, "i": i},
                    )
        except BaseException as exc:  # noqa: BLE001 - collected and re-raised by the test
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    with factory() as s:
        seqs = list(s.scalars(select(LedgerEntry.seq).order_by(LedgerEntry.seq)))
        assert seqs == list(range(base + writers * per_writer))
        assert (
            s.scalar(select(func.count()).select_from(LedgerEntry).where(LedgerEntry.action == "test.concurrent"))
            == writers * per_writer
        )
    sign(factory, settings)
    assert run_audit(factory, settings).ok


def test_key_file_is_private_and_warns_when_readable(tmp_path: Path) -> None:
    import os
    import stat

    path = tmp_path / "k.pem"
    key = keys.load_or_create(path)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600 and key.warning is None
    os.chmod(path, 0o644)
    assert "chmod 600" in (keys.load_or_create(path).warning or "")
    assert keys.load_or_create(path).key_id == key.key_id
    assert public_key_to_pem(key.public) == key.public_pem
    shutil.rmtree(tmp_path)
    _ = io  # keep imports honest
    _ = Session


def test_record_pages_link_to_their_ledger_entries(web: Any, passwords: dict[str, str]) -> None:
    web.login("xinghe", passwords["xinghe"])
    page = web.page("/admin/my-org")
    assert 'data-testid="trail-entry"' in page and "org.create" in page
    entry_link = page.split('href="/ledger/entries/')[1].split('"')[0]
    entry_page = web.page(f"/ledger/entries/{entry_link}")
    assert "org.create" in entry_page


def test_a_rolled_back_append_and_another_writer_do_not_corrupt_the_tree(
    factory: SessionFactory, settings: Settings
) -> None:
    """The writer's cached head is checked against the table (size and root) before it is trusted."""
    base = log_size(factory)
    from gongzhi.db.engine import make_engine, make_session_factory

    with pytest.raises(RuntimeError), transaction(factory) as s:
        service.record(s, actor=SYSTEM, action="test.rolled_back", subject_type="t", subject_id="1", payload={})
        raise RuntimeError("the change failed after its entry was written")
    other_engine = make_engine(settings.database_url)  # another process, as far as the cache knows
    try:
        with transaction(make_session_factory(other_engine)) as s:
            service.record(s, actor=SYSTEM, action="test.other", subject_type="t", subject_id="2", payload={})
    finally:
        other_engine.dispose()
    with transaction(factory) as s:
        service.record(s, actor=SYSTEM, action="test.next", subject_type="t", subject_id="3", payload={})
    with factory() as s:
        actions = list(s.scalars(select(LedgerEntry.action).where(LedgerEntry.seq >= base).order_by(LedgerEntry.seq)))
    assert actions == ["test.other", "test.next"]
    sign(factory, settings)
    assert run_audit(factory, settings).ok
