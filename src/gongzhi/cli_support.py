"""What every command group shares: settings, a unit of work, messages in the user's language, errors."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any, NoReturn

import typer
from pydantic import ValidationError
from rich.console import Console
from sqlalchemy.orm import Session

from gongzhi.config import Settings
from gongzhi.db.engine import make_engine, make_session_factory, transaction
from gongzhi.errors import GongzhiError
from gongzhi.i18n import gettext, match_locale

console = Console()
err_console = Console(stderr=True)


@lru_cache(maxsize=1)
def cli_locale() -> str:
    """``GONGZHI_LOCALE``, else the language of LC_ALL / LANG when it is zh or en, else zh_CN."""
    for name in ("GONGZHI_LOCALE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name)
        if value:
            found = match_locale(value.split(".")[0])
            if found:
                return found
    return "zh_CN"


def t(message: str, **params: Any) -> str:
    """A message (help text, output) in the command line's language."""
    return gettext(cli_locale(), message, **params)


def load_settings() -> Settings:
    """Settings from the environment and gongzhi.toml, with a clear message when they are wrong."""
    try:
        return Settings()
    except ValidationError as exc:
        fail(t("The configuration is not valid: {error}", error=exc))


def fail(message: str, code: int = 1) -> NoReturn:
    """Print an error and leave with ``code``."""
    label = t("Error")
    err_console.print(f"[bold red]{label}:[/] {message}", highlight=False)
    raise typer.Exit(code)


@contextmanager
def unit_of_work(settings: Settings | None = None) -> Iterator[Session]:
    """A transaction on the configured database; service errors become clear messages and exit 1."""
    settings = settings or load_settings()
    engine = make_engine(settings.database_url)
    try:
        with transaction(make_session_factory(engine)) as session:
            yield session
    except GongzhiError as exc:
        fail(exc.detail(cli_locale()))
    finally:
        engine.dispose()


def read_secret(prompt: str, *, from_stdin: bool, confirm: bool = True) -> str:
    """A password from stdin (for scripts) or an interactive prompt that does not echo."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    value: str = typer.prompt(prompt, hide_input=True, confirmation_prompt=confirm)
    return value
