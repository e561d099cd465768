"""Fairness benchmark (issue #5): group metrics on 10 M rows vs Fairlearn's MetricFrame, and 100 M rows streamed.

Measures, in one run:
  1. Gongzhi's group fairness (two sensitive features, 4 × 4 = 16 intersectional groups; every per-group
     rate, every disparity, per feature and for the intersection) on ``--rows`` rows held in memory;
  2. Fairlearn's MetricFrame (selection rate, TPR, FPR, count by group) and Gongzhi on the same
     ``--fairlearn-rows`` slice — Fairlearn is too slow for the full size — and checks the numbers agree to 1e-9;
  3. a ``--parquet-rows`` Parquet file streamed (Polars streaming engine) in a child process whose
     peak resident memory is reported.

Usage:
  .venv/bin/python benchmarks/fairness.py --rows 10000000 --fairlearn-rows 1000000 --parquet-rows 100000000
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import polars as pl

REGIONS = np.array(["north", "south", "east", "west"])
AGES = np.array(["18-30", "31-45", "46-60", "60+"])


def make_frame(n: int, seed: int = 0) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    a = rng.integers(0, 4, n)
    b = rng.integers(0, 4, n)
    y = (rng.random(n) < 0.3 + 0.05 * a).astype(np.int8)
    p = (rng.random(n) < 0.25 + 0.05 * b + 0.3 * y).astype(np.int8)
    return pl.DataFrame({"region": REGIONS[a], "age": AGES[b], "y": y, "p": p})


def ours(frame: pl.DataFrame) -> dict[str, object]:
    from gongzhi.assess.fairness import table_fairness

    return table_fairness(frame, target="y", prediction="p", sensitive=["region", "age"])


def median_time(fn: object, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def fairlearn_frame(frame: pl.DataFrame) -> object:
    from fairlearn.metrics import MetricFrame, count, false_positive_rate, selection_rate, true_positive_rate

    pdf = frame.to_pandas()
    return MetricFrame(
        metrics={
            "selection_rate": selection_rate,
            "tpr": true_positive_rate,
            "fpr": false_positive_rate,
            "count": count,
        },
        y_true=pdf["y"],
        y_pred=pdf["p"],
        sensitive_features=pdf[["region", "age"]],
    )


def check_equal(frame: pl.DataFrame) -> float:
    """Largest absolute difference between Gongzhi's and Fairlearn's per-group rates and disparities."""
    from fairlearn.metrics import demographic_parity_difference, equalized_odds_difference

    mine = ours(frame)
    theirs = fairlearn_frame(frame).by_group  # type: ignore[attr-defined]
    worst = 0.0
    for group in mine["groups"]:  # type: ignore[union-attr]
        row = theirs.loc[(group["group"]["region"], group["group"]["age"])]
        for key in ("selection_rate", "tpr", "fpr"):
            worst = max(worst, abs(group[key] - row[key]))
    pdf = frame.to_pandas()
    for key, fn in (
        ("demographic_parity_difference", demographic_parity_difference),
        ("equalized_odds_difference", equalized_odds_difference),
    ):
        want = fn(pdf["y"], pdf["p"], sensitive_features=pdf[["region", "age"]])
        worst = max(worst, abs(mine["by_feature"]["intersection"][key] - want))  # type: ignore[index]
    return worst


def write_parquet(path: Path, rows: int, chunk: int = 10_000_000) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    writer = None
    done = 0
    seed = 1
    while done < rows:
        n = min(chunk, rows - done)
        table = make_frame(n, seed).to_arrow()
        table = table.set_column(0, "region", pa.compute.dictionary_encode(table.column("region")))
        table = table.set_column(1, "age", pa.compute.dictionary_encode(table.column("age")))
        if writer is None:
            writer = pq.ParquetWriter(path, table.schema, compression="zstd")
        writer.write_table(table, row_group_size=1_000_000)
        done += n
        seed += 1
    assert writer is not None
    writer.close()


def stream_child(path: str) -> None:
    """Run in a child process: stream the file, print seconds and peak RSS as JSON."""
    from gongzhi.assess.streaming import parquet_fairness

    start = time.perf_counter()
    result = parquet_fairness(Path(path), target="y", prediction="p", sensitive=["region", "age"])
    seconds = time.perf_counter() - start
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {"seconds": seconds, "peak_mib": peak_kib / 1024, "rows": result["rows"], "groups": len(result["groups"])}
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--fairlearn-rows", type=int, default=1_000_000)
    parser.add_argument("--parquet-rows", type=int, default=100_000_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--stream-child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stream_child:
        stream_child(args.stream_child)
        return

    frame = make_frame(args.rows)
    ours(frame)  # warm-up (imports, Polars thread pool)
    full = median_time(lambda: ours(frame), args.repeats)
    print(f"gongzhi, {args.rows:,} rows, 16 groups: median {full:.3f} s over {args.repeats} runs")

    piece = frame.head(args.fairlearn_rows)
    mine_slice = median_time(lambda: ours(piece), args.repeats)
    theirs_slice = median_time(lambda: fairlearn_frame(piece), max(1, args.repeats // 2))
    print(
        f"slice of {args.fairlearn_rows:,} rows: gongzhi median {mine_slice:.4f} s, "
        f"Fairlearn MetricFrame median {theirs_slice:.3f} s, ratio {theirs_slice / mine_slice:.0f}x"
    )
    print(
        f"Fairlearn extrapolated to {args.rows:,} rows: ~{theirs_slice * args.rows / args.fairlearn_rows:.1f} s, "
        f"ratio vs gongzhi measured on the full size ~{theirs_slice * args.rows / args.fairlearn_rows / full:.0f}x"
    )
    print(f"largest difference from Fairlearn on the slice: {check_equal(piece):.2e}")

    if args.parquet_rows:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "big.parquet"
            start = time.perf_counter()
            write_parquet(path, args.parquet_rows)
            size, took = path.stat().st_size / 2**20, time.perf_counter() - start
            print(f"wrote {args.parquet_rows:,} rows of Parquet ({size:.0f} MiB) in {took:.0f} s")
            out = subprocess.run(
                [sys.executable, __file__, "--stream-child", str(path)], capture_output=True, text=True, check=True
            )
            stats = json.loads(out.stdout.strip().splitlines()[-1])
            print(
                f"streamed {stats['rows']:,} rows from Parquet: {stats['seconds']:.1f} s, "
                f"peak resident memory {stats['peak_mib']:.0f} MiB, {stats['groups']} groups"
            )


if __name__ == "__main__":
    main()
