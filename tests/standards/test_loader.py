"""Profiles: the envelope, the body schema of their kind, clear errors, stable ids."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import BaseModel

from gongzhi.standards import loader


class ToyBody(BaseModel):
    threshold: float


SCHEMAS = {"toy": ToyBody}

GOOD = """\
id: local.toy.rule@1
kind: toy
version: "1.0"
title: {zh_CN: 示例规则, en: Toy rule}
verification: S
sources: [{id: S1, title: A source}]
body: {threshold: 0.8}
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_profile_is_read_validated_and_hashed(tmp_path: Path) -> None:
    profile = loader.read_profile(write(tmp_path, "a.yaml", GOOD), SCHEMAS)
    assert profile.id == "local.toy.rule@1" and profile.body.threshold == 0.8
    assert profile.header.confidence == "medium" and profile.header.title.get("zh_CN") == "示例规则"
    assert len(profile.sha256) == 64


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (GOOD.replace("verification: S", "verification: X"), "verification"),
        (GOOD.replace("local.toy.rule@1", "Local Toy"), "profile ids"),
        (GOOD.replace("kind: toy", "kind: nothing"), "unknown profile kind"),
        (GOOD.replace("threshold: 0.8", "threshold: high"), "body: threshold"),
        (GOOD.replace("version:", "versoin:"), "version"),
        ("- just\n- a list\n", "mapping"),
        ("id: [unclosed\n", "YAML"),
        ("!!python/object/apply:os.system ['true']\n", "YAML"),
    ],
)
def test_bad_profiles_are_refused_with_the_reason(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(loader.ProfileError, match=message):
        loader.read_profile(write(tmp_path, "bad.yaml", text), SCHEMAS)


def test_gbk_file_is_refused_clearly(tmp_path: Path) -> None:
    path = tmp_path / "gbk.yaml"
    path.write_bytes(GOOD.encode("gbk"))
    with pytest.raises(loader.ProfileError, match="UTF-8"):
        loader.read_profile(path, SCHEMAS)


def test_duplicate_ids_are_refused(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", GOOD)
    write(tmp_path, "b.yaml", GOOD)
    with pytest.raises(loader.ProfileError, match="also defined"):
        loader.load_all({**loader.body_schemas(), **SCHEMAS}, [tmp_path])


def test_a_broken_local_profile_is_left_out_with_its_reason(tmp_path: Path) -> None:
    write(tmp_path, "broken.yaml", "id: [unclosed\n")
    profiles = loader.load_all({**loader.body_schemas(), **SCHEMAS}, [tmp_path], strict=False)
    assert "gongzhi.tiering.cn@1" in profiles  # the shipped standards still load
    assert any("broken.yaml" in p for p in loader.PROBLEMS[(tmp_path,)])


def test_every_shipped_profile_is_valid() -> None:
    profiles = loader.load_all(loader.body_schemas())
    for profile in profiles.values():
        assert profile.path.is_relative_to(loader.SHIPPED) or profile.path.exists()
