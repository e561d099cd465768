"""The ``gongzhi`` command, run as a real process against a real database file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from gongzhi import __version__


def gz(*args: str, cwd: Path, env: dict[str, str], stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gongzhi", *args],
        cwd=cwd,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def cli_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GONGZHI_")}
    env.update(GONGZHI_DATABASE_URL=f"sqlite:///{tmp_path / 'cli.db'}", GONGZHI_LOCALE="en")
    return env


def test_version(tmp_path: Path, cli_env: dict[str, str]) -> None:
    result = gz("--version", cwd=tmp_path, env=cli_env)
    assert result.returncode == 0 and result.stdout.strip() == f"gongzhi {__version__}"


def test_operator_sets_up_an_instance_from_the_command_line(tmp_path: Path, cli_env: dict[str, str]) -> None:
    assert gz("db", "upgrade", cwd=tmp_path, env=cli_env).returncode == 0
    assert "0001" in gz("db", "current", cwd=tmp_path, env=cli_env).stdout
    org = gz("orgs", "create", "测试企业", "--kind", "enterprise", "--name-en", "Test Co", cwd=tmp_path, env=cli_env)
    assert org.returncode == 0, org.stderr
    user = gz(
        "users",
        "create",
        "tester",
        "--org",
        "测试企业",
        "--role",
        "admin",
        "--password-stdin",
        cwd=tmp_path,
        env=cli_env,
        stdin="a-good-password-7\n",
    )
    assert user.returncode == 0, user.stderr
    token = gz(
        "tokens",
        "create",
        "--user",
        "tester",
        "--name",
        "ci",
        "--scope",
        "identity:read",
        "--days",
        "3",
        cwd=tmp_path,
        env=cli_env,
    )
    assert token.returncode == 0, token.stderr
    plaintext = token.stdout.strip().splitlines()[-1]
    assert plaintext.startswith("gz_")
    listed = gz("tokens", "list", "--user", "tester", cwd=tmp_path, env=cli_env)
    assert plaintext not in listed.stdout and "identity:read" in listed.stdout


def test_errors_are_clear_and_exit_non_zero(tmp_path: Path, cli_env: dict[str, str]) -> None:
    gz("db", "upgrade", cwd=tmp_path, env=cli_env)
    weak = gz(
        "users", "create", "x1y", "--org", "nowhere", "--password-stdin", cwd=tmp_path, env=cli_env, stdin="short\n"
    )
    assert weak.returncode == 1 and "No organisation nowhere" in weak.stderr
    gz("orgs", "create", "单位甲", "--kind", "regulator", cwd=tmp_path, env=cli_env)
    again = gz("orgs", "create", "单位甲", "--kind", "regulator", cwd=tmp_path, env=cli_env)
    assert again.returncode == 1 and "already exists" in again.stderr
    bad_scope = gz("tokens", "create", "--user", "nobody", "--name", "x", "--scope", "x", cwd=tmp_path, env=cli_env)
    assert bad_scope.returncode == 1 and "No user nobody" in bad_scope.stderr


def test_demo_load_is_idempotent_and_prints_the_logins(tmp_path: Path, cli_env: dict[str, str]) -> None:
    gz("db", "upgrade", cwd=tmp_path, env=cli_env)
    first = gz("demo", "load", "--if-empty", cwd=tmp_path, env=cli_env)
    assert first.returncode == 0, first.stderr
    for username in ("regulator", "expert1", "expert2", "expert3", "xinghe", "qingsong", "yunfan", "lab", "alliance"):
        assert username in first.stdout
    logins = tmp_path / ".gongzhi" / "demo-logins.txt"
    assert oct(logins.stat().st_mode & 0o777) == "0o600"
    second = gz("demo", "load", "--if-empty", cwd=tmp_path, env=cli_env)
    assert second.returncode == 0 and "not loaded" in second.stdout
    assert len(logins.read_text(encoding="utf-8").splitlines()) == 12


def test_serve_refuses_an_old_schema(tmp_path: Path, cli_env: dict[str, str]) -> None:
    result = gz("serve", cwd=tmp_path, env=cli_env)
    assert result.returncode == 1 and "gongzhi db upgrade" in result.stderr


def test_help_is_in_chinese_by_default(tmp_path: Path, cli_env: dict[str, str]) -> None:
    env = {**cli_env, "GONGZHI_LOCALE": "zh_CN"}
    assert "治理" in gz("--help", cwd=tmp_path, env=env).stdout
