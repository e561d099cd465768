"""The ``gongzhi`` command: serve, worker, db, demo — and each area's own command group."""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable
from types import FrameType
from typing import TYPE_CHECKING, Annotated

import typer

from gongzhi import __version__
from gongzhi.areas import load_areas
from gongzhi.cli_support import console, fail, load_settings, t

if TYPE_CHECKING:
    from gongzhi.config import Settings
    from gongzhi.jobs.executor import Worker

app = typer.Typer(
    name="gongzhi",
    help=t("Gongzhi: a platform for the multi-party governance of AI systems."),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help=t("Database: migrations."), no_args_is_help=True)
demo_app = typer.Typer(help=t("The demo world of parties and logins."), no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(demo_app, name="demo")


def _version(value: bool) -> None:
    if value:
        console.print(f"gongzhi {__version__}", highlight=False)
        raise typer.Exit()


@app.callback()
def main_callback(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help=t("Show the version and exit."))
    ] = False,
) -> None:
    """Gongzhi (共治)."""


@db_app.command("upgrade", help=t("Bring the database up to the newest schema (creates the SQLite file when needed)."))
def db_upgrade() -> None:
    from gongzhi.db.migrate import upgrade

    settings = load_settings()
    upgrade(settings.database_url)
    console.print(t("The database is up to date."))


@db_app.command("current", help=t("Show the database's schema revision and the newest one."))
def db_current() -> None:
    from gongzhi.db.engine import make_engine
    from gongzhi.db.migrate import current_revisions, head_revisions

    settings = load_settings()
    engine = make_engine(settings.database_url)
    try:
        console.print(
            t(
                "Database revision: {current}; newest: {head}",
                current=", ".join(sorted(current_revisions(engine))) or "-",
                head=", ".join(sorted(head_revisions(settings.database_url))),
            )
        )
    finally:
        engine.dispose()


@demo_app.command(
    "load", help=t("Create the demo world: a regulator, an expert committee, enterprises, a lab and an association.")
)
def demo_load(
    if_empty: Annotated[bool, typer.Option("--if-empty", help=t("Do nothing when users already exist."))] = False,
) -> None:
    from gongzhi.cli_support import cli_locale
    from gongzhi.demo import credentials_file, load_demo, print_credentials
    from gongzhi.errors import GongzhiError

    settings = load_settings()
    try:
        created = load_demo(settings, only_if_empty=if_empty)
    except GongzhiError as exc:
        fail(exc.detail(cli_locale()))
    if created is None:
        console.print(t("Users exist already; the demo world was not loaded."))
    print_credentials(credentials_file(settings))


@app.command("serve", help=t("Serve the web pages and the API (and, by default, run jobs)."))
def serve(
    host: Annotated[str | None, typer.Option(help=t("Address to listen on."))] = None,
    port: Annotated[int | None, typer.Option(help=t("Port to listen on."))] = None,
    worker: Annotated[bool, typer.Option("--worker/--no-worker", help=t("Also run the job worker."))] = True,
    processes: Annotated[
        int, typer.Option(min=1, max=64, help=t("Web server processes (each with its own database connections)."))
    ] = 1,
) -> None:
    import uvicorn

    from gongzhi.app import create_app
    from gongzhi.db.migrate import is_up_to_date

    settings = load_settings()
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if not is_up_to_date(settings.database_url):
        fail(t("The database schema is not up to date. Run: gongzhi db upgrade"))
    settings.resolved_secret_key()  # made once here, so that every process signs CSRF tokens with the same key
    stop_worker = _start_worker_thread(settings) if worker and settings.serve_worker else None
    try:
        common = {
            "host": host or settings.host,
            "port": port or settings.port,
            "log_level": settings.log_level.lower(),
            "proxy_headers": False,
        }
        if processes > 1:  # each process builds its app from the same environment and gongzhi.toml
            uvicorn.run("gongzhi.app:create_app", factory=True, workers=processes, **common)  # type: ignore[arg-type]
        else:
            uvicorn.run(create_app(settings), **common)  # type: ignore[arg-type]
    finally:
        if stop_worker is not None:
            stop_worker()


@app.command("worker", help=t("Run jobs from the queue until stopped (Ctrl-C or SIGTERM)."))
def worker() -> None:
    from gongzhi.db.migrate import is_up_to_date

    settings = load_settings()
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if not is_up_to_date(settings.database_url):
        fail(t("The database schema is not up to date. Run: gongzhi db upgrade"))
    job_worker = _make_worker(settings)

    def on_signal(_signum: int, _frame: FrameType | None) -> None:
        job_worker.stop()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    console.print(t("Worker {id} is waiting for jobs.", id=job_worker.worker_id))
    job_worker.run()


def _make_worker(settings: Settings) -> Worker:
    from gongzhi.db.engine import make_engine, make_session_factory
    from gongzhi.jobs.executor import EXECUTORS, Worker

    factory = make_session_factory(make_engine(settings.database_url))
    return Worker(settings, factory, EXECUTORS[settings.job_executor](settings))


def _start_worker_thread(settings: Settings) -> Callable[[], None]:
    job_worker = _make_worker(settings)
    thread = threading.Thread(target=job_worker.run, name="gongzhi-worker", daemon=True)
    thread.start()

    def stop() -> None:
        job_worker.stop()
        thread.join(timeout=30)

    return stop


def _add_area_commands() -> None:
    for area in load_areas():
        if area.cli is None:
            continue
        sub = area.cli_app()
        if area.cli_name:
            app.add_typer(sub, name=area.cli_name)
        else:
            app.add_typer(sub)


_add_area_commands()


def main() -> None:
    """Entry point of the ``gongzhi`` script."""
    app()
