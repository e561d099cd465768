"""The access matrix's shared vocabulary: roles, route specs and how each area adds its targets.

Each area keeps its expectations next to its tests, in ``tests/<area>/access_routes.py``:

    ROUTES: dict[tuple[str, str], RouteSpec]          # every API route of the area
    def make_targets(session, settings) -> dict       # optional: ids of objects owned by "xinghe"

``tests/test_api_access.py`` merges them, calls every route as every role and fails when a route
has no expectation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

ROLES = ["anonymous", "operator", "regulator", "officer", "expert1", "xinghe", "qingsong", "lab"]
SIGNED_IN = frozenset(ROLES) - {"anonymous"}
EVERYONE = frozenset(ROLES)
NOBODY: frozenset[str] = frozenset()

#: Attribute access to the targets every area's ``make_targets`` returned (e.g. ``t.xinghe_org``).
Targets = SimpleNamespace


@dataclass(frozen=True)
class RouteSpec:
    """How to call a route, and which roles may get past the policy."""

    path: Callable[[Targets], str]
    allowed: frozenset[str]
    body: Callable[[Targets, str], Any] | None = None
    query: dict[str, str] = field(default_factory=dict)
    #: multipart files for upload routes: name -> (filename, bytes, content type)
    files: Callable[[Targets, str], dict[str, tuple[str, bytes, str]]] | None = None
