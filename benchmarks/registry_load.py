"""Public register under load: list and search with 100,000 registered systems.

Builds a fresh database (PostgreSQL or SQLite) with the demo world plus ``--systems`` approved filings,
starts ``gongzhi serve`` on loopback and drives it with ``wrk`` (Debian package ``wrk``) for a bounded time.
The filler rows are inserted directly in bulk (they are fixtures for reading, not changes to record).

Usage:
  .venv/bin/python benchmarks/registry_load.py --backend postgres --systems 100000
  .venv/bin/python benchmarks/registry_load.py --backend sqlite --systems 100000
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import httpx
from sqlalchemy import create_engine, func, insert, select, text
from sqlalchemy.engine import make_url

from gongzhi.config import Settings
from gongzhi.db.migrate import upgrade
from gongzhi.demo import load_demo
from gongzhi.identity.models import Organisation
from gongzhi.identity.principal import OrgKind
from gongzhi.registry.models import AISystem, Filing, SystemVersion
from gongzhi.registry.workflow import FilingState

WORDS = ["智能", "推荐", "对话", "风控", "影像", "客服", "调度", "翻译", "搜索", "写作", "导航", "质检", "金融", "医疗"]
TYPES = ["generation_synthesis", "personalised_push", "ranking_selection", "search_filtering", "scheduling_decision"]
SECTORS = ["general", "finance", "healthcare", "education", "transport", "media", "ecommerce"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fill(url: str, systems: int, seed: int = 11) -> None:
    """Insert ``systems`` approved filings (with their systems and versions) in batches."""
    rng = random.Random(seed)
    engine = create_engine(url)
    with engine.begin() as c:
        rows = c.execute(select(Organisation.id, Organisation.name).where(Organisation.kind == OrgKind.enterprise))
        orgs: dict[int, str] = dict(rows.all())
        start_system = (c.scalar(select(func.max(AISystem.id))) or 0) + 1
        start_version = (c.scalar(select(func.max(SystemVersion.id))) or 0) + 1
        start_filing = (c.scalar(select(func.max(Filing.id))) or 0) + 1
    now = dt.datetime.now(dt.UTC)
    batch = 5000
    for offset in range(0, systems, batch):
        n = min(batch, systems - offset)
        sys_rows, ver_rows, fil_rows = [], [], []
        for i in range(offset, offset + n):
            sid, vid, fid = start_system + i, start_version + i, start_filing + i
            name = "".join(rng.sample(WORDS, 3)) + f"系统{i}"
            sys_rows.append(
                {
                    "id": sid,
                    "org_id": rng.choice(list(orgs)),
                    "name": name,
                    "name_en": f"System {i}",
                    "purpose": f"{rng.choice(WORDS)}{rng.choice(WORDS)}服务",
                    "sector": rng.choice(SECTORS),
                    "deployment_scope": "public_service",
                    "region": "示范市",
                    "expected_users": "公众",
                    "model_kind": "other",
                    "algorithm_type": rng.choice(TYPES),
                    "eu_practices": [],
                    "tiers": {"gongzhi.tiering.cn@1": "filing"},
                    "data_sources": "",
                    "technical_contact": "",
                    "internal_notes": "",
                    "created_at": now,
                    "updated_at": now,
                    "public_opinion": False,
                    "social_mobilisation": False,
                    "processes_personal_info": False,
                    "processes_sensitive_personal_info": False,
                    "automated_decisions": False,
                    "interacts_with_people": False,
                    "general_purpose_model": False,
                }
            )
            ver_rows.append({"id": vid, "system_id": sid, "version": "1.0", "changes": "", "created_at": now})
            fil_rows.append(
                {
                    "id": fid,
                    "system_id": sid,
                    "version_id": vid,
                    "org_id": sys_rows[-1]["org_id"],
                    "state": FilingState.approved.value,
                    "form": {},
                    "revision": 1,
                    "filing_number": f"示范算备2026XX{fid:07d}",
                    "created_at": now,
                    "updated_at": now,
                    "decided_at": now,
                    "submitted_at": now,
                }
            )
            system = sys_rows[-1]
            fil_rows[-1]["search_text"] = " | ".join(
                [
                    system["name"],
                    system["name_en"],
                    orgs[system["org_id"]],
                    fil_rows[-1]["filing_number"],
                    system["purpose"],
                ]
            ).lower()
        with engine.begin() as c:
            c.execute(insert(AISystem.__table__), sys_rows)  # type: ignore[arg-type]
            c.execute(insert(SystemVersion.__table__), ver_rows)  # type: ignore[arg-type]
            c.execute(insert(Filing.__table__), fil_rows)  # type: ignore[arg-type]
    with engine.begin() as c:  # PostgreSQL's sequences follow the explicit ids; fresh statistics for the planner
        if engine.dialect.name == "postgresql":
            for table in ("registry_systems", "registry_system_versions", "registry_filings"):
                c.execute(
                    text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
                )
            c.execute(text("ANALYZE"))
        else:
            c.execute(text("ANALYZE"))
    engine.dispose()


def wrk(url: str, seconds: int, connections: int) -> dict[str, float]:
    out = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "5s", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]

    def ms(label: str) -> float:
        match = re.search(rf"\s{label}%\s+([\d.]+)(us|ms|s)", out)
        assert match, out
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": rps, "p50": ms("50"), "p99": ms("99"), "non2xx": float(errors.group(1)) if errors else 0.0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="postgres")
    parser.add_argument("--pg-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--systems", type=int, default=100_000)
    parser.add_argument("--seconds", type=int, default=15, help="duration of each wrk run (bounded)")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--processes", type=int, default=2, help="gongzhi serve --processes")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        drop = None
        if args.backend == "postgres":
            name = f"gz_load_{uuid.uuid4().hex[:8]}"
            admin = create_engine(make_url(args.pg_url).set(database="postgres"), isolation_level="AUTOCOMMIT")
            with admin.connect() as c:
                c.execute(text(f'CREATE DATABASE "{name}"'))
            url = make_url(args.pg_url).set(database=name).render_as_string(hide_password=False)

            def drop() -> None:
                with admin.connect() as c:
                    c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                admin.dispose()
        else:
            url = f"sqlite:///{work / 'load.db'}"
        try:
            upgrade(url)
            settings = Settings(database_url=url, data_dir=work / "data", secret_key="bench-secret-0123456789abcdef")
            load_demo(settings)
            start = time.perf_counter()
            fill(url, args.systems)
            print(
                f"backend {args.backend}: filled {args.systems} approved filings in {time.perf_counter() - start:.0f} s"
            )
            port = free_port()
            env = {
                **os.environ,
                "GONGZHI_DATABASE_URL": url,
                "GONGZHI_DATA_DIR": str(work / "data"),
                "GONGZHI_SECRET_KEY": settings.secret_key.get_secret_value(),  # type: ignore[union-attr]
                "GONGZHI_LOG_LEVEL": "WARNING",
            }
            server = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gongzhi",
                    "serve",
                    "--no-worker",
                    "--port",
                    str(port),
                    "--processes",
                    str(args.processes),
                ],
                env=env,
                cwd=work,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            base = f"http://127.0.0.1:{port}"
            try:
                for _ in range(120):
                    try:
                        if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                            break
                    except httpx.HTTPError:
                        time.sleep(0.5)
                api = f"{base}/api/v1/registry/public/entries"
                cases = {
                    "list (first page, 20)": f"{api}?limit=20",
                    "list filtered by type": f"{api}?limit=20&algorithm_type=generation_synthesis",
                    "search by name": f"{api}?limit=20&q={quote('智能推荐')}",
                    "search by filing number": f"{api}?limit=20&q={quote('示范算备2026XX0054321')}",
                }
                for label, url_ in cases.items():
                    httpx.get(url_, timeout=30).raise_for_status()  # warm up and check it answers
                    result = wrk(url_, args.seconds, args.connections)
                    print(
                        f"{label}: {result['rps']:.0f} req/s, p50 {result['p50']:.1f} ms, p99 {result['p99']:.1f} ms,"
                        f" non-2xx {result['non2xx']:.0f}"
                    )
            finally:
                server.terminate()
                server.wait(timeout=30)
        finally:
            if drop:
                drop()


if __name__ == "__main__":
    main()
