"""Documentation keeps up with the code: every setting and every command is documented."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer.main

from gongzhi.cli import app
from gongzhi.config import Settings

DOCS = Path(__file__).parent.parent / "docs"
README = Path(__file__).parent.parent / "README.md"


def test_every_setting_is_in_the_admin_guide() -> None:
    guide = (DOCS / "admin-guide.md").read_text(encoding="utf-8")
    missing = [name for name in Settings.model_fields if f"`{name}`" not in guide]
    assert not missing, f"document these settings in docs/admin-guide.md: {missing}"


def command_paths(group: Any, prefix: str = "gongzhi") -> list[str]:
    """Every leaf command, as ``gongzhi group command`` (Typer may bring its own click, so duck-type)."""
    paths = []
    for name, command in group.commands.items():
        path = f"{prefix} {name}"
        paths += command_paths(command, path) if hasattr(command, "commands") else [path]
    return paths


def test_every_command_is_documented() -> None:
    text = "\n".join(p.read_text(encoding="utf-8") for p in [README, *DOCS.glob("*.md")])
    root = typer.main.get_command(app)
    missing = [path for path in command_paths(root) if path not in text]
    assert not missing, f"document these commands in docs/: {missing}"


def test_readme_shows_the_two_commands_in_both_languages() -> None:
    readme = README.read_text(encoding="utf-8")
    assert readme.count("make run") >= 2 and readme.count("make test") >= 2
    assert "## 中文" in readme and "## English" in readme
