"""Job kinds of data security: a scan and a masking run, each recording its outcome in the ledger."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from gongzhi.errors import InvalidInput
from gongzhi.i18n import N_
from gongzhi.jobs.context import JobContext
from gongzhi.jobs.kinds import JobKind


def _ids(params: Mapping[str, Any], name: str) -> dict[str, Any]:
    value = params.get(name)
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise InvalidInput(N_("{name} must be a positive whole number."), field=name, name=name)
    return {name: value}


def run_scan(ctx: JobContext) -> dict[str, Any]:
    """Scan the source of ``scan_id`` and store its inventory."""
    from gongzhi.datasec import runs

    return runs.run_scan_job(ctx)


def run_mask(ctx: JobContext) -> dict[str, Any]:
    """Write the de-identified copy of ``mask_id``."""
    from gongzhi.datasec import runs

    return runs.run_mask_job(ctx)


SCAN = JobKind(id="gongzhi.datasec.scan@1", run=run_scan, resumable=True, validate=lambda p: _ids(p, "scan_id"))
MASK = JobKind(id="gongzhi.datasec.mask@1", run=run_mask, resumable=True, validate=lambda p: _ids(p, "mask_id"))
KINDS: dict[str, JobKind] = {SCAN.id: SCAN, MASK.id: MASK}
