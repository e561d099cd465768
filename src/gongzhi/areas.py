"""Areas: the packages that make up Gongzhi, found through the ``gongzhi.areas`` entry points.

Built-in areas register exactly the way a third-party plugin would: a package exposes an ``Area``
object and names it in its ``pyproject.toml``::

    [project.entry-points."gongzhi.areas"]
    registry = "gongzhi.registry:area"

The app mounts each area's routers, the CLI adds its command group, the worker learns its job kinds
and the migrations see its tables (by importing ``models``).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import entry_points
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import typer
    from fastapi import APIRouter
    from pydantic import BaseModel
    from sqlalchemy.orm import Session

    from gongzhi.demo import DemoWorld
    from gongzhi.jobs.kinds import JobKind


@dataclass(frozen=True)
class NavItem:
    """A link in the page navigation, shown to those the policy allows to do ``action``."""

    label: str  # English message id, translated when shown
    path: str
    action: str
    order: int = 100


@dataclass(frozen=True)
class Periodic:
    """A job kind the worker queues every ``every_seconds`` (e.g. reminders, ledger signing)."""

    kind: str
    every_seconds: float


@dataclass(frozen=True)
class Area:
    """What an area contributes. Routers and the CLI are built lazily, so importing an area is cheap."""

    name: str
    models: str | None = None  # module that defines the area's tables
    api: Callable[[], APIRouter] | None = None  # its prefix is /api/v1/<name>
    web: Callable[[], APIRouter] | None = None  # HTML pages
    cli: Callable[[], typer.Typer] | None = None  # `gongzhi <cli_name> ...`
    cli_name: str | None = None
    job_kinds: Callable[[], Mapping[str, JobKind]] | None = None
    nav: tuple[NavItem, ...] = ()
    templates: Path | None = None  # folder with templates/<area>/...
    periodic: tuple[Periodic, ...] = ()
    #: Adds the area's part of the demo world (``gongzhi demo load``); must skip what already exists.
    demo: Callable[[Session, DemoWorld], None] | None = None
    #: Body schemas of the profile kinds this area defines (see gongzhi.standards).
    profile_kinds: Callable[[], Mapping[str, type[BaseModel]]] | None = None


@lru_cache(maxsize=1)
def load_areas() -> tuple[Area, ...]:
    """Every installed area, in a stable order (by name)."""
    found: dict[str, Area] = {}
    for ep in entry_points(group="gongzhi.areas"):
        area = ep.load()
        if not isinstance(area, Area):
            raise TypeError(f"entry point {ep.name!r} does not name a gongzhi Area")
        found[area.name] = area
    return tuple(found[name] for name in sorted(found))


def import_models() -> None:
    """Import every area's tables so that ``Base.metadata`` knows them (migrations, tests)."""
    for area in load_areas():
        if area.models:
            importlib.import_module(area.models)


def job_kinds() -> dict[str, JobKind]:
    """Every job kind, by id."""
    kinds: dict[str, JobKind] = {}
    for area in load_areas():
        if area.job_kinds:
            for kind_id, kind in area.job_kinds().items():
                if kind_id in kinds:
                    raise ValueError(f"job kind {kind_id!r} is contributed twice")
                kinds[kind_id] = kind
    return kinds


def periodic_jobs() -> list[Periodic]:
    """Every area's periodic jobs."""
    return [p for area in load_areas() for p in area.periodic]
