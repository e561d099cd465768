from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from pydantic import ValidationError

from gongzhi.config import Settings, read_or_create_secret


def test_defaults_are_a_local_sqlite_file_and_chinese() -> None:
    s = Settings(_env_file=None)  # type: ignore[call-arg]
    assert s.database_url == "sqlite:///./gongzhi.db"
    assert s.default_locale == "zh_CN"


def test_environment_overrides_toml_which_overrides_defaults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    toml = tmp_path / "gongzhi.toml"
    toml.write_text('port = 9001\ndefault_locale = "en"\ndatabase_url = "sqlite:///from-toml.db"\n', encoding="utf-8")
    monkeypatch.setenv("GONGZHI_CONFIG_FILE", str(toml))
    monkeypatch.setenv("GONGZHI_PORT", "9002")
    s = Settings()
    assert s.port == 9002 and s.default_locale == "en" and s.database_url == "sqlite:///from-toml.db"


def test_unknown_or_invalid_settings_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    toml = tmp_path / "gongzhi.toml"
    toml.write_text("prot = 80\n", encoding="utf-8")
    monkeypatch.setenv("GONGZHI_CONFIG_FILE", str(toml))
    with pytest.raises(ValidationError):
        Settings()
    monkeypatch.delenv("GONGZHI_CONFIG_FILE")
    monkeypatch.setenv("GONGZHI_PORT", "99999")
    with pytest.raises(ValidationError):
        Settings()


def test_secret_is_created_once_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "secret_key"
    first = read_or_create_secret(path)
    assert len(first) == 64
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert read_or_create_secret(path) == first
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temp files left


def test_instance_folder_is_created_private(tmp_path: Path) -> None:
    s = Settings(data_dir=tmp_path / "inst", secret_key=None)
    key = s.resolved_secret_key()
    assert key and stat.S_IMODE(os.stat(tmp_path / "inst").st_mode) == 0o700
