"""k-anonymity and l-diversity over chosen quasi-identifiers (Polars group-by; batches add up).

>>> import polars as pl
>>> df = pl.DataFrame({"age": ["30-39"] * 3 + ["40-49"], "zip": ["310*"] * 4, "dx": ["a", "b", "a", "c"]})
>>> r = check(df, ["age", "zip"], sensitive="dx", k=2, l=2)
>>> (r["k"], r["violating_classes"], r["l"])
(1, 1, 1)
"""

from __future__ import annotations

from typing import Any

import polars as pl


def class_counts(df: pl.DataFrame, quasi: list[str], sensitive: str | None = None) -> pl.DataFrame:
    """Row counts per equivalence class (and per sensitive value, when given) — partial aggregates to add up."""
    missing = [c for c in [*quasi, *([sensitive] if sensitive else [])] if c not in df.columns]
    if missing:
        raise KeyError(f"no such columns: {missing}")
    keys = [*quasi, sensitive] if sensitive else quasi
    return df.select([pl.col(c).cast(pl.String) for c in keys]).group_by(keys).len(name="n")


def summarise(counts: pl.DataFrame, quasi: list[str], sensitive: str | None, k: int, l: int) -> dict[str, Any]:  # noqa: E741
    """k, l and the classes that break them, from (summed) class counts."""
    keys = [*quasi, sensitive] if sensitive else quasi
    counts = counts.group_by(keys).agg(pl.col("n").sum())
    classes = counts.group_by(quasi).agg(
        pl.col("n").sum().alias("size"), (pl.col(sensitive).n_unique() if sensitive else pl.lit(1)).alias("distinct")
    )
    if classes.height == 0:
        return {
            "quasi_identifiers": quasi,
            "sensitive": sensitive,
            "rows": 0,
            "classes": 0,
            "k": None,
            "l": None,
            "k_target": k,
            "l_target": l,
            "violating_classes": 0,
            "violating_rows": 0,
            "satisfied": True,
        }
    small = classes.filter(pl.col("size") < k)
    low = classes.filter(pl.col("distinct") < l) if sensitive else classes.clear()
    result = {
        "quasi_identifiers": quasi,
        "sensitive": sensitive,
        "rows": int(classes["size"].sum()),
        "classes": classes.height,
        "k": int(classes["size"].min()),  # type: ignore[arg-type]
        "k_target": k,
        "violating_classes": small.height,
        "violating_rows": int(small["size"].sum()) if small.height else 0,
        "l": int(classes["distinct"].min()) if sensitive else None,  # type: ignore[arg-type]
        "l_target": l if sensitive else None,
        "l_violating_classes": low.height if sensitive else 0,
    }
    result["satisfied"] = result["violating_classes"] == 0 and result["l_violating_classes"] == 0
    return result


def check(
    df: pl.DataFrame,
    quasi: list[str],
    *,
    sensitive: str | None = None,
    k: int = 5,
    l: int = 2,  # noqa: E741 - l is the name the literature gives it
) -> dict[str, Any]:
    """k-anonymity (every class of quasi-identifier values has >= k rows) and l-diversity (>= l sensitive values)."""
    return summarise(class_counts(df, quasi, sensitive), quasi, sensitive, k, l)
