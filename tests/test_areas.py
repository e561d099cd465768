"""Areas name their parts as ``module:attribute``; every installed area's parts resolve, bad names fail clearly."""

from __future__ import annotations

import pytest
import typer
from fastapi import APIRouter

from gongzhi.areas import Area, job_kinds, load_areas
from gongzhi.identity import policy


def test_every_installed_area_resolves_its_parts() -> None:
    for area in load_areas():
        if area.api:
            assert area.api_router().prefix == f"/api/v1/{area.name}"
        if area.web:
            assert isinstance(area.web_router(), APIRouter)
        if area.cli:
            assert isinstance(area.cli_app(), typer.Typer)
        assert all(kind_id == kind.id for kind_id, kind in area.job_kind_map().items())
        assert all(isinstance(kind, str) for kind in area.profile_kind_map())
    assert {"gongzhi.jobs.selftest@1", "gongzhi.assess.run@1", "gongzhi.registry.reminders@1"} <= set(job_kinds())
    # the actions an area declares in its access module are known to the policy
    assert {"filing.submit", "assessment.create", "datasec.list"} <= set(policy.actions())


def test_a_malformed_target_names_the_area_and_field() -> None:
    with pytest.raises(ValueError, match="area 'x': cli must be 'module:attribute'"):
        Area(name="x", cli="gongzhi.jobs.cli").cli_app()


def test_an_api_router_with_another_prefix_is_refused() -> None:
    with pytest.raises(TypeError, match="prefix /api/v1/x"):
        Area(name="x", api="gongzhi.jobs.api:router").api_router()


def test_job_kinds_must_be_a_mapping() -> None:
    with pytest.raises(TypeError, match="job_kinds must name a mapping"):
        Area(name="x", job_kinds="gongzhi.jobs.kinds:SELFTEST").job_kind_map()
