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
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import entry_points
from pathlib import Path
from typing import TYPE_CHECKING, Any

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
    """What an area contributes, named as ``"module:attribute"`` and imported only when used.

    Importing an area is therefore cheap: the app imports the routers, the CLI the command group, the
    worker the job kinds, and nothing imports what it does not need.
    """

    name: str
    models: str | None = None  # module that defines the area's tables
    access: str | None = None  # module that declares the area's policy actions (gongzhi.identity.policy)
    api: str | None = None  # "module:factory", a function returning the APIRouter; prefix /api/v1/<name>
    web: str | None = None  # "module:factory", a function returning the APIRouter of the HTML pages
    cli: str | None = None  # "module:app", the Typer group, added as `gongzhi <cli_name> ...`
    cli_name: str | None = None  # None: the group's commands are added at the top level
    job_kinds: str | None = None  # "module:KINDS", a mapping of job kind id to JobKind
    nav: tuple[NavItem, ...] = ()
    templates: Path | None = None  # folder with templates/<area>/...
    periodic: tuple[Periodic, ...] = ()
    #: "module:function(session, world)" adding the area's part of the demo world; skips what exists.
    demo: str | None = None
    #: "module:MAPPING" of the profile kinds this area defines to their body schema (see gongzhi.standards).
    profile_kinds: str | None = None

    def api_router(self) -> APIRouter:
        from fastapi import APIRouter

        router = _resolve(self, "api", self.api)()
        if not isinstance(router, APIRouter) or router.prefix != f"/api/v1/{self.name}":
            raise TypeError(f"area {self.name!r}: api must build an APIRouter with the prefix /api/v1/{self.name}")
        return router

    def web_router(self) -> APIRouter:
        from fastapi import APIRouter

        router = _resolve(self, "web", self.web)()
        if not isinstance(router, APIRouter):
            raise TypeError(f"area {self.name!r}: web must build an APIRouter")
        return router

    def cli_app(self) -> typer.Typer:
        import typer

        app = _resolve(self, "cli", self.cli)
        if not isinstance(app, typer.Typer):
            raise TypeError(f"area {self.name!r}: cli must name a typer.Typer")
        return app

    def job_kind_map(self) -> Mapping[str, JobKind]:
        return _mapping(self, "job_kinds", self.job_kinds)

    def profile_kind_map(self) -> Mapping[str, type[BaseModel]]:
        return _mapping(self, "profile_kinds", self.profile_kinds)

    def load_demo(self, session: Session, world: DemoWorld) -> None:
        if self.demo is not None:
            _resolve(self, "demo", self.demo)(session, world)


def _resolve(area: Area, field: str, target: str | None) -> Any:
    """Import ``module:attribute``; a missing or malformed target is the area's error, said so."""
    module_name, _, attribute = (target or "").partition(":")
    if not module_name or not attribute:
        raise ValueError(f"area {area.name!r}: {field} must be 'module:attribute', not {target!r}")
    return getattr(importlib.import_module(module_name), attribute)


def _mapping(area: Area, field: str, target: str | None) -> Mapping[str, Any]:
    if target is None:
        return {}
    found = _resolve(area, field, target)
    if not isinstance(found, Mapping):
        raise TypeError(f"area {area.name!r}: {field} must name a mapping")
    return found


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


def import_access() -> None:
    """Import every area's ``access`` module, which declares its policy actions."""
    for area in load_areas():
        if area.access:
            importlib.import_module(area.access)


def job_kinds() -> dict[str, JobKind]:
    """Every job kind, by id."""
    kinds: dict[str, JobKind] = {}
    for area in load_areas():
        for kind_id, kind in area.job_kind_map().items():
            if kind_id in kinds:
                raise ValueError(f"job kind {kind_id!r} is contributed twice")
            kinds[kind_id] = kind
    return kinds


def periodic_jobs() -> list[Periodic]:
    """Every area's periodic jobs."""
    return [p for area in load_areas() for p in area.periodic]
