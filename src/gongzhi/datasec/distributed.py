"""Scale-out on Ray (``gongzhi[dist]``): scan and mask partitioned Parquet, one task per file.

Each task scans its file's batches with the same ``TableScan`` the local engine uses and returns the
counts; counts merge exactly, so a Ray scan reports the same columns, shares and levels as a local one.
Masking writes one output file per input file (the same partition layout). Ray is imported lazily:
the default install does not need it.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from gongzhi.datasec import engine, maskio, sources
from gongzhi.datasec.grading import GradingBody
from gongzhi.datasec.tables import TableScan


def _ray() -> Any:
    try:
        import ray
    except ImportError:
        raise sources.SourceError("the ray engine needs Ray: pip install 'gongzhi[dist]'") from None
    return ray


def ensure_ray(address: str | None = None, *, num_cpus: int | None = None) -> Any:
    """Connect to ``address`` or start a small local Ray instance (once per process)."""
    ray = _ray()
    if not ray.is_initialized():
        kwargs: dict[str, Any] = {"include_dashboard": False, "logging_level": logging.ERROR, "log_to_driver": False}
        if address:
            ray.init(address=address, **kwargs)
        else:
            ray.init(num_cpus=num_cpus, object_store_memory=200 * 1024**2, **kwargs)
    return ray


def parquet_files(location: str) -> list[Path]:
    """The Parquet files of a file or partitioned folder, in a stable order."""
    path = Path(location)
    if path.is_file() and path.suffix.lower() in (".parquet", ".pq"):
        return [path]
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.suffix.lower() in (".parquet", ".pq") and p.is_file())
        if files:
            return files
    raise sources.SourceError(f"the ray engine reads Parquet files or partitioned folders of them: {location}")


def _partition_values(root: Path, file: Path) -> dict[str, str]:
    """Hive partition columns (``key=value`` folders) of one file, as the local reader adds them."""
    values = {}
    for part in file.relative_to(root).parts[:-1] if root.is_dir() else ():
        if "=" in part:
            key, _, value = part.partition("=")
            values[key] = value
    return values


def _file_batches(root: str, file: str, batch_rows: int) -> Any:
    import polars as pl
    import pyarrow.parquet as pq

    extra = _partition_values(Path(root), Path(file))
    for record_batch in pq.ParquetFile(file).iter_batches(batch_size=batch_rows):
        df = pl.from_arrow(record_batch)
        assert isinstance(df, pl.DataFrame)
        missing = {k: v for k, v in extra.items() if k not in df.columns}
        if missing:
            df = df.with_columns([pl.lit(v).alias(k) for k, v in missing.items()])
        yield df


def scan_file(root: str, file: str, batch_rows: int) -> TableScan:
    """Scan one Parquet file (a Ray task's work)."""
    scan = TableScan()
    for df in _file_batches(root, file, batch_rows):
        scan.add(df)
    return scan


def ray_scan(
    location: str,
    *,
    body: GradingBody,
    profile_id: str,
    options: engine.ScanOptions = engine.ScanOptions(),
    address: str | None = None,
    locale: str = "en",
    progress: Callable[[float, str], None] | None = None,
) -> dict[str, Any]:
    """Scan partitioned Parquet on Ray; the report equals the local engine's (counts merge exactly)."""
    if options.sample:
        raise sources.SourceError("the ray engine scans every row; use the local engine for samples")
    started = dt.datetime.now(dt.UTC)
    files = parquet_files(location)
    ray = ensure_ray(address)
    task = ray.remote(scan_file)
    pending = [task.remote(location, str(f), options.batch_rows) for f in files]
    total = TableScan()
    done = 0
    while pending:
        ready, pending = ray.wait(pending, num_returns=1)
        total.merge(ray.get(ready[0]))
        done += 1
        if progress is not None:
            progress(done / len(files), Path(location).name)
    notes = sources.Notes()
    name = Path(location).name
    table = engine.table_report(name, total, body, locale, notes, sampled=None)
    return engine.build_report(location, profile_id, body, [table], [], [], options, started, locale, engine="ray")


def mask_file(
    root: str,
    file: str,
    out_root: str,
    policy: dict[str, Any],
    key: bytes,
    batch_rows: int,
    detected: tuple[dict[str, str | None], list[str]],
) -> dict[str, Any]:
    """Mask one Parquet file into the same relative place under ``out_root`` (a Ray task's work)."""
    rel = Path(file).relative_to(root) if Path(root).is_dir() else Path(Path(file).name)
    part = sources.TablePart(str(rel), lambda: _file_batches(root, file, batch_rows))
    return maskio.mask_part(
        part, Path(out_root) / rel, maskio.MaskPolicy.from_dict(policy), key, detected=(detected[0], set(detected[1]))
    )


def ray_mask(
    location: str,
    out: Path,
    policy: maskio.MaskPolicy,
    key: bytes,
    *,
    address: str | None = None,
    progress: Callable[[float, str], None] | None = None,
    batch_rows: int = sources.DEFAULT_BATCH_ROWS,
) -> dict[str, Any]:
    """De-identify partitioned Parquet on Ray, one output file per input file (same layout)."""
    files = parquet_files(location)
    # Detect column types once, on the first file, so every partition is masked the same way.
    first = sources.TablePart(files[0].name, lambda: _file_batches(location, str(files[0]), batch_rows))
    columns, text_columns = maskio.detect(first)
    ray = ensure_ray(address)
    task = ray.remote(mask_file)
    pending = [
        task.remote(location, str(f), str(out), policy.as_dict(), key, batch_rows, (columns, sorted(text_columns)))
        for f in files
    ]
    results = []
    while pending:
        ready, pending = ray.wait(pending, num_returns=1)
        results.append(ray.get(ready[0]))
        if progress is not None:
            progress(len(results) / len(files), Path(location).name)
    results.sort(key=lambda r: r["table"])
    return {"source": location, "policy": policy.as_dict(), "tables": results, "skipped": [], "engine": "ray"}
