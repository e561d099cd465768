"""Finding, validating and caching profiles (pure: files in, validated objects out).

Profiles come from three places, in this order (a later one with the same id is refused):
the profiles shipped with Gongzhi (``gongzhi/standards/profiles/**.yaml``), packs installed as
plugins (entry points ``gongzhi.profiles`` naming a folder), and the instance's own folder of local
rules (setting ``profile_dirs``). Each file is YAML with the envelope of ``schema.ProfileFile``; its
body is checked by the schema its kind registered. YAML is read with the safe loader only.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from gongzhi.standards.schema import ProfileFile, ProfileHeader

SHIPPED = Path(__file__).parent / "profiles"
log = logging.getLogger(__name__)


class ProfileError(ValueError):
    """A profile file that cannot be used, with the file and the reason."""


@dataclass(frozen=True)
class Profile:
    """A validated profile: its header, its typed body and the SHA-256 of the file it came from."""

    header: ProfileHeader
    body: Any
    sha256: str
    path: Path

    @property
    def id(self) -> str:
        return self.header.id

    @property
    def kind(self) -> str:
        return self.header.kind


BodySchemas = Mapping[str, type[BaseModel]]


def read_profile(path: Path, schemas: BodySchemas) -> Profile:
    """Read and validate one YAML profile; ProfileError names the file and what is wrong."""
    raw = path.read_bytes()
    try:
        data = yaml.safe_load(raw.decode("utf-8"))
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ProfileError(f"{path}: not readable UTF-8 YAML: {exc}") from None
    if not isinstance(data, dict):
        raise ProfileError(f"{path}: a profile is a YAML mapping")
    try:
        envelope = ProfileFile.model_validate(data)
    except ValidationError as exc:
        raise ProfileError(f"{path}: {_first_error(exc)}") from None
    schema = schemas.get(envelope.kind)
    if schema is None:
        raise ProfileError(f"{path}: unknown profile kind {envelope.kind!r} (known: {', '.join(sorted(schemas))})")
    try:
        body = schema.model_validate(envelope.body)
    except ValidationError as exc:
        raise ProfileError(f"{path}: body: {_first_error(exc)}") from None
    header = ProfileHeader.model_validate(envelope.model_dump(exclude={"body"}))
    return Profile(header=header, body=body, sha256=hashlib.sha256(raw).hexdigest(), path=path)


def _first_error(exc: ValidationError) -> str:
    error = exc.errors()[0]
    where = ".".join(str(p) for p in error.get("loc", ()))
    return f"{where}: {error.get('msg')}" if where else str(error.get("msg"))


def profile_files(extra_dirs: Iterable[Path] = ()) -> list[Path]:
    """Every profile file: shipped, from plugins, then local folders."""
    folders = [SHIPPED]
    for ep in entry_points(group="gongzhi.profiles"):
        located = ep.load()
        folders.append(Path(located() if callable(located) else located))
    folders += list(extra_dirs)
    files: list[Path] = []
    for folder in folders:
        if folder.is_dir():
            files += sorted(p for p in folder.rglob("*.yaml") if p.is_file())
    return files


def load_all(schemas: BodySchemas, extra_dirs: Iterable[Path] = (), *, strict: bool = True) -> dict[str, Profile]:
    """Every profile by id; a duplicate id is an error (a change of rules needs a new version).

    With ``strict=False`` a file that cannot be used is left out and its error kept in ``PROBLEMS``, so one
    broken local rule does not take every other standard down with it.
    """
    found: dict[str, Profile] = {}
    problems: list[str] = []
    for path in profile_files(extra_dirs):
        try:
            profile = read_profile(path, schemas)
            if profile.id in found:
                raise ProfileError(f"{path}: profile id {profile.id} is also defined in {found[profile.id].path}")
        except ProfileError as exc:
            if strict:
                raise
            log.error("profile skipped: %s", exc)
            problems.append(str(exc))
            continue
        found[profile.id] = profile
    PROBLEMS[tuple(extra_dirs)] = problems
    return found


#: Errors of the profile files left out, per set of local folders (see ``load_all(strict=False)``).
PROBLEMS: dict[tuple[Path, ...], list[str]] = {}


def body_schemas() -> dict[str, type[BaseModel]]:
    """The body schema of every profile kind, from the areas that define them."""
    from gongzhi.areas import load_areas

    schemas: dict[str, type[BaseModel]] = {}
    for area in load_areas():
        for kind, schema in area.profile_kind_map().items():
            if kind in schemas:
                raise ProfileError(f"profile kind {kind!r} is defined twice")
            schemas[kind] = schema
    return schemas


@lru_cache(maxsize=8)
def _catalog(extra: tuple[Path, ...]) -> dict[str, Profile]:
    return load_all(body_schemas(), extra, strict=False)


def problems(extra_dirs: Iterable[Path] = ()) -> list[str]:
    """Why profile files were left out of the catalog (empty when all are fine)."""
    catalog(extra_dirs)
    return list(PROBLEMS.get(tuple(extra_dirs), []))


def catalog(extra_dirs: Iterable[Path] = ()) -> dict[str, Profile]:
    """All profiles (cached per set of local folders); call ``reload()`` after editing local rules."""
    return _catalog(tuple(extra_dirs))


def reload() -> None:
    """Forget cached profiles (local rules were edited)."""
    _catalog.cache_clear()


def of_kind(kind: str, extra_dirs: Iterable[Path] = ()) -> list[Profile]:
    """Profiles of one kind, sorted by id."""
    return sorted((p for p in catalog(extra_dirs).values() if p.kind == kind), key=lambda p: p.id)


def get(profile_id: str, extra_dirs: Iterable[Path] = (), *, kind: str | None = None) -> Profile:
    """One profile by id (and, optionally, of the expected kind); ProfileError when unknown."""
    profile = catalog(extra_dirs).get(profile_id)
    if profile is None or (kind is not None and profile.kind != kind):
        known = ", ".join(p.id for p in of_kind(kind, extra_dirs)) if kind else ", ".join(sorted(catalog(extra_dirs)))
        broken = problems(extra_dirs)
        note = f" ({len(broken)} profile files could not be read: {broken[0]})" if broken else ""
        raise ProfileError(f"unknown profile {profile_id!r}; known: {known}{note}")
    return profile


ProfileKinds = Callable[[], Mapping[str, type[BaseModel]]]
