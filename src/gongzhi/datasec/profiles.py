"""Finding grading profiles (the ``grading`` kind of ``gongzhi.standards``).

A profile file of another kind that is broken must not stop a scan, so when the whole catalogue
cannot be loaded the grading profiles are read one by one (a broken grading profile is still an error).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import yaml

from gongzhi.datasec.grading import DEFAULT_PROFILE, PROFILE_KIND, GradingBody
from gongzhi.errors import InvalidInput
from gongzhi.i18n import N_
from gongzhi.standards import loader


def _grading_only(extra_dirs: Iterable[Path]) -> list[loader.Profile]:
    found = []
    for path in loader.profile_files(extra_dirs):
        try:
            kind = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("kind")
        except (yaml.YAMLError, UnicodeDecodeError, AttributeError):
            continue
        if kind == PROFILE_KIND:
            found.append(loader.read_profile(path, {PROFILE_KIND: GradingBody}))
    return sorted(found, key=lambda p: p.id)


def grading_profiles(extra_dirs: Iterable[Path] = ()) -> list[loader.Profile]:
    """Every grading profile, sorted by id."""
    extra = list(extra_dirs)
    try:
        return loader.of_kind(PROFILE_KIND, extra)
    except loader.ProfileError:
        return _grading_only(extra)


def grading_profile(profile_id: str | None, extra_dirs: Iterable[Path] = ()) -> tuple[str, GradingBody]:
    """The id and body of a grading profile (the default one when ``profile_id`` is None)."""
    wanted = profile_id or DEFAULT_PROFILE
    try:
        profiles = {p.id: p for p in grading_profiles(extra_dirs)}
    except loader.ProfileError as exc:
        raise InvalidInput(N_("Unknown grading profile: {error}"), field="profile", error=str(exc)) from None
    profile = profiles.get(wanted)
    if profile is None:
        raise InvalidInput(
            N_("Unknown grading profile: {error}"), field="profile", error=f"{wanted} (known: {', '.join(profiles)})"
        )
    body = profile.body
    assert isinstance(body, GradingBody)
    return profile.id, body
