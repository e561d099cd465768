"""Jobs (任务): long work with persisted state and progress, run by a worker through an executor."""

from __future__ import annotations

from pathlib import Path

from gongzhi.areas import Area, NavItem
from gongzhi.i18n import N_

area = Area(
    name="jobs",
    models="gongzhi.jobs.models",
    api="gongzhi.jobs.api:router",
    web="gongzhi.jobs.views:router",
    cli="gongzhi.jobs.cli:app",
    cli_name="jobs",
    job_kinds="gongzhi.jobs.kinds:KINDS",
    nav=(NavItem(label=N_("Jobs"), path="/jobs", action="job.list", order=70),),
    templates=Path(__file__).parent / "templates",
)
