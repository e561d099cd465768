"""Integer-coded groups: turn sensitive-feature columns into dense group codes, fast.

Every group metric in Gongzhi is computed from counts per integer group code (``np.bincount``), so
the cost is one pass over the rows whatever the number of groups. Missing values form a group of
their own, labelled ``MISSING``.

>>> import polars as pl
>>> codes, levels = encode(pl.Series(["b", "a", "b", None]))
>>> codes.tolist(), levels
([2, 1, 2, 0], ['(missing)', 'a', 'b'])
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl

MISSING = "(missing)"


def encode(series: pl.Series) -> tuple[np.ndarray, list[str]]:
    """Dense codes 0..k-1 for a column and the label of each code (sorted; missing first)."""
    has_missing = series.null_count() > 0 or (series.dtype.is_float() and bool(series.is_nan().any()))
    if series.dtype.is_integer() and not has_missing and len(series):
        values = series.to_numpy()
        low, high = int(values.min()), int(values.max())
        if high - low < 5_000_000:  # compact by presence: O(n), no sort of the rows
            shifted = values - low
            present = np.bincount(shifted, minlength=high - low + 1) > 0
            remap = np.cumsum(present) - 1
            levels = [str(v + low) for v in np.flatnonzero(present)]
            return remap[shifted].astype(np.int32), levels
    if series.dtype == pl.Boolean:
        series = series.cast(pl.String).str.to_lowercase()
    elif series.dtype.is_float():
        series = series.fill_nan(None)
    text = series.cast(pl.String) if series.dtype != pl.String else series
    uniques = sorted(text.drop_nulls().unique().to_list())
    physical = text.cast(pl.Enum(uniques)).to_physical().cast(pl.Int32)
    if has_missing:
        return (physical.fill_null(-1) + 1).to_numpy(), [MISSING, *uniques]
    return physical.to_numpy(), uniques


@dataclass(frozen=True)
class Grouping:
    """Rows assigned to the intersection of several features' groups.

    ``codes`` is the row's cell in the full product of levels (row-major over ``features``);
    ``levels[i]`` are the labels of feature ``i``.
    """

    features: tuple[str, ...]
    levels: tuple[tuple[str, ...], ...]
    codes: np.ndarray

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(len(level) for level in self.levels)

    @property
    def size(self) -> int:
        return int(np.prod(self.shape)) if self.levels else 1

    def label(self, cell: int) -> dict[str, str]:
        """The feature values of one cell of the product."""
        index = np.unravel_index(cell, self.shape)
        return {f: self.levels[i][int(index[i])] for i, f in enumerate(self.features)}


def grouping(columns: Sequence[pl.Series]) -> Grouping:
    """Combine several columns into one code per row (the intersection of their groups)."""
    codes = np.zeros(len(columns[0]) if columns else 0, dtype=np.int64)
    levels: list[tuple[str, ...]] = []
    for series in columns:
        column_codes, column_levels = encode(series)
        codes = codes * len(column_levels) + column_codes
        levels.append(tuple(column_levels))
    return Grouping(features=tuple(s.name for s in columns), levels=tuple(levels), codes=codes)
