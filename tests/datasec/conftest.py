"""Helpers for the data-security tests: small labelled files made here."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from gongzhi.datasec import synth


@pytest.fixture
def people_csv(tmp_path: Path) -> Path:
    """A small CSV of labelled columns (synth.TABLE_COLUMNS), 300 rows."""
    data, _labels = synth.table(300, seed=3)
    path = tmp_path / "people.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(list(data))
        w.writerows(zip(*data.values(), strict=True))
    return path
