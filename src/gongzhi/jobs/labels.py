"""Display names of job states (English message ids)."""

from __future__ import annotations

from gongzhi.i18n import N_

JOB_STATE_LABELS: dict[str, str] = {
    "queued": N_("Queued"),
    "running": N_("Running"),
    "succeeded": N_("Succeeded"),
    "failed": N_("Failed"),
    "cancelled": N_("Cancelled"),
}
