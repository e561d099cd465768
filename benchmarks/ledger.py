"""Ledger benchmarks (issue: tamper-evident ledger).

Measures, on a fresh database of the chosen backend:
  1. append rate, one writer, each entry its own committed transaction;
  2. append rate, one writer, batched (``record_many``, one transaction per batch);
  3. inclusion and consistency proofs (median and p99) in a log of ``--size`` entries;
  4. exporting that log and verifying the export offline.

Usage:
  .venv/bin/python benchmarks/ledger.py --backend sqlite --size 1000000
  .venv/bin/python benchmarks/ledger.py --backend postgres --size 1000000 \
      --pg-url postgresql+psycopg://postgres@127.0.0.1:5432/postgres
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from gongzhi.config import Settings
from gongzhi.db.engine import make_engine, make_session_factory, transaction
from gongzhi.db.migrate import upgrade
from gongzhi.identity.principal import SYSTEM, Principal
from gongzhi.ledger import keys, merkle, service
from gongzhi.ledger.verify import verify_export

ACTOR = Principal(kind="user", user_id=42, org_id=7)


def payload(i: int) -> dict[str, object]:
    return {"state": "approved", "filing": f"ZJ-2026-{i:07d}", "digest": f"{i:064x}", "reviewers": [3, 5, 8]}


def fresh_database(backend: str, pg_url: str, workdir: Path) -> tuple[str, callable]:  # type: ignore[valid-type]
    if backend == "sqlite":
        return f"sqlite:///{workdir / 'bench.db'}", lambda: None
    name = f"gz_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(make_url(pg_url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return make_url(pg_url).set(database=name).render_as_string(hide_password=False), drop


def rate(label: str, count: int, seconds: float) -> float:
    per_second = count / seconds
    print(f"{label}: {count} entries in {seconds:.2f} s = {per_second:,.0f} entries/s")
    return per_second


def timed_ms(fn: callable, repeats: int) -> tuple[float, float]:  # type: ignore[valid-type]
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.99) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--pg-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--size", type=int, default=1_000_000, help="log size for proofs and verification")
    parser.add_argument("--single", type=int, default=5_000, help="entries appended one transaction each")
    parser.add_argument("--batch", type=int, default=1_000, help="entries per transaction when batched")
    parser.add_argument("--proofs", type=int, default=1_000, help="proofs timed")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        url, drop = fresh_database(args.backend, args.pg_url, workdir)
        try:
            upgrade(url)
            settings = Settings(database_url=url, data_dir=workdir / "data")
            engine = make_engine(url)
            factory = make_session_factory(engine)
            print(f"backend: {args.backend}")

            start = time.perf_counter()
            for i in range(args.single):
                with transaction(factory) as s:
                    service.record(
                        s, actor=ACTOR, action="filing.decide", subject_type="filing", subject_id=i, payload=payload(i)
                    )
            rate("append, one transaction per entry", args.single, time.perf_counter() - start)

            done = args.single
            batched = min(100_000, max(args.batch, args.size - done))
            start = time.perf_counter()
            while done < args.single + batched:
                n = min(args.batch, args.single + batched - done)
                with transaction(factory) as s:
                    service.record_many(
                        s,
                        [
                            service.Change(ACTOR, "filing.decide", "filing", i, payload(i))
                            for i in range(done, done + n)
                        ],
                    )
                done += n
            rate(f"append, batched ({args.batch} per transaction)", batched, time.perf_counter() - start)

            start = time.perf_counter()
            while done < args.size:  # fill the rest quickly to reach the log size for proofs
                n = min(10_000, args.size - done)
                with transaction(factory) as s:
                    service.record_many(
                        s,
                        [
                            service.Change(ACTOR, "filing.decide", "filing", i, payload(i))
                            for i in range(done, done + n)
                        ],
                    )
                done += n
            print(f"filled the log to {done} entries in {time.perf_counter() - start:.1f} s")

            key = keys.for_settings(settings)
            sth = service.ensure_tree_head(factory, key)
            size = sth.tree_size
            rng = random.Random(7)
            with factory() as s:
                seqs = [rng.randrange(size) for _ in range(args.proofs)]
                it = iter(seqs)
                med, p99 = timed_ms(lambda: service.inclusion_proof(s, SYSTEM, next(it), size), args.proofs)
                print(f"inclusion proof in a {size}-entry log: median {med:.3f} ms, p99 {p99:.3f} ms")
                proof = service.inclusion_proof(s, SYSTEM, seqs[0], size)
                assert merkle.verify_inclusion(proof.leaf_hash, seqs[0], size, proof.path, sth.root_hash)
                olds = iter([rng.randrange(1, size) for _ in range(args.proofs)])
                med, p99 = timed_ms(lambda: service.consistency_proof(s, SYSTEM, next(olds), size), args.proofs)
                print(f"consistency proof to a {size}-entry log: median {med:.3f} ms, p99 {p99:.3f} ms")

                export = workdir / "ledger.jsonl"
                start = time.perf_counter()
                with export.open("wb") as f:
                    for line in service.export_lines(s, SYSTEM, key.public_pem):
                        f.write(line)
                print(
                    f"export of {size} entries: {time.perf_counter() - start:.1f} s, "
                    f"{export.stat().st_size / 1e6:.0f} MB"
                )
            start = time.perf_counter()
            with export.open("rb") as f:
                report = verify_export(f, key.public)
            elapsed = time.perf_counter() - start
            assert report.ok, report.summary()
            print(f"verify export of {report.entries} entries: {elapsed:.2f} s ({report.entries / elapsed:,.0f}/s)")
            engine.dispose()
        finally:
            drop()


if __name__ == "__main__":
    main()
