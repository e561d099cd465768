"""Scale-out on a local Ray instance (started here with small resources): same results as the local engine."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl
import pytest
import ray

from gongzhi.config import Settings
from gongzhi.datasec import engine, maskio, synth
from gongzhi.datasec.distributed import ray_mask, ray_scan
from gongzhi.datasec.profiles import grading_profile
from gongzhi.db.engine import SessionFactory, transaction
from gongzhi.identity.principal import SYSTEM
from gongzhi.jobs import runner
from gongzhi.jobs.executor import EXECUTORS
from gongzhi.jobs.kinds import SELFTEST
from gongzhi.jobs.rules import JobState
from gongzhi.jobs.service import submit_job


@pytest.fixture(scope="module")
def local_ray() -> Iterator[Any]:
    ray.init(num_cpus=2, object_store_memory=150 * 1024**2, include_dashboard=False, log_to_driver=False)
    yield ray
    ray.shutdown()


@pytest.fixture
def partitioned(tmp_path: Path) -> Path:
    data, _labels = synth.table(1200, seed=9)
    df = pl.DataFrame(data).with_columns(pl.Series("region", ["east", "west", "north"] * 400))
    root = tmp_path / "people"
    df.write_parquet(root, partition_by=["region"])
    return root


def _strip(report: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in report.items() if k not in ("engine", "started_at", "finished_at")}


def test_ray_scan_equals_local_scan(local_ray: Any, partitioned: Path) -> None:
    profile_id, body = grading_profile(None)
    options = engine.ScanOptions(batch_rows=500)
    local = engine.scan_location(str(partitioned), body=body, profile_id=profile_id, options=options)
    distributed = ray_scan(str(partitioned), body=body, profile_id=profile_id, options=options)
    assert distributed["engine"] == "ray"
    key = {c["name"]: (c["entity_type"], c["share"], c["level"], c["rows"]) for c in local["columns"]}
    assert {c["name"]: (c["entity_type"], c["share"], c["level"], c["rows"]) for c in distributed["columns"]} == key
    assert key["cn_id"][0] == "CN_RESIDENT_ID" and key["cn_id"][3] == 1200 and key["region"][0] is None
    assert local["level"] == distributed["level"]


def test_ray_mask_equals_local_mask(local_ray: Any, partitioned: Path, tmp_path: Path) -> None:
    policy = maskio.MaskPolicy.from_dict({"columns": {"mobile": "pseudonym", "cn_id": "fake"}})
    key = b"k" * 32
    result = ray_mask(str(partitioned), tmp_path / "out", policy, key)
    assert len(result["tables"]) == 3 and sum(t["rows"] for t in result["tables"]) == 1200
    masked = pl.read_parquet(tmp_path / "out", hive_partitioning=True)
    local_out = tmp_path / "local.parquet"
    maskio.mask_location(str(partitioned), local_out, policy, key)
    local = pl.read_parquet(local_out)
    cols = ["uuid", "mobile", "cn_id", "bank_card"]
    assert masked.select(cols).sort("uuid").equals(local.select(cols).sort("uuid"))
    assert masked["mobile"][0].startswith("CN_MOBILE_")


def test_ray_executor_runs_jobs(local_ray: Any, factory: SessionFactory, settings: Settings) -> None:
    executor = EXECUTORS["ray"](settings)
    with transaction(factory) as s:
        job_id = submit_job(s, SYSTEM, kind=SELFTEST.id, params={"steps": 2, "seconds": 0}).id
    claimed = runner.claim_next(factory, "ray-test")
    assert claimed == job_id
    state = executor.submit(job_id).result(timeout=120)
    assert state is JobState.succeeded
    executor.shutdown()
    assert ray.is_initialized()  # it joined the running instance and leaves it alone
    assert dt.datetime.now(dt.UTC)
