"""Shared fixtures: a fresh database per test (SQLite, or PostgreSQL), the app, clients per role.

The suite runs on SQLite by default. With ``GONGZHI_TEST_DATABASE_URL`` set (a PostgreSQL server URL)
and ``GONGZHI_TEST_BACKEND=postgres``, every test marked ``db`` runs on PostgreSQL instead; the
Makefile does both runs. Each test gets its own copy of a template database that already holds the
migrated schema and the demo world, so tests never see each other's data.
"""

from __future__ import annotations

import os
import re
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from gongzhi.app import create_app
from gongzhi.config import Settings
from gongzhi.db.engine import SessionFactory, make_engine, make_session_factory, transaction
from gongzhi.db.migrate import upgrade
from gongzhi.demo import USERS, load_demo
from gongzhi.identity import policy, service
from gongzhi.identity.models import User
from gongzhi.identity.principal import SYSTEM

BACKEND = os.environ.get("GONGZHI_TEST_BACKEND", "sqlite")
PG_SERVER_URL = os.environ.get("GONGZHI_TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
TEST_SECRET = "test-secret-key-not-for-production-0123456789"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test that uses the database with ``db`` (the PostgreSQL run selects ``-m db``)."""
    for item in items:
        if "db_url" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.db)


@dataclass(frozen=True)
class Template:
    """A migrated database with the demo world, and the demo passwords."""

    url: str
    passwords: dict[str, str]


def _worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


def _pg_admin_engine() -> Engine:
    url = make_url(PG_SERVER_URL).set(database="postgres")
    return create_engine(url, isolation_level="AUTOCOMMIT")


def _pg_url(name: str) -> str:
    return make_url(PG_SERVER_URL).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Template]:
    base = tmp_path_factory.mktemp("template")
    if BACKEND == "postgres":
        name = f"gz_tmpl_{_worker()}_{uuid.uuid4().hex[:6]}"
        admin = _pg_admin_engine()
        with admin.connect() as c:
            c.execute(text(f'CREATE DATABASE "{name}"'))
        url = _pg_url(name)
    else:
        url = f"sqlite:///{base / 'template.db'}"
    upgrade(url)
    settings = Settings(database_url=url, data_dir=base / "data", secret_key=TEST_SECRET)
    passwords = load_demo(settings) or {}
    yield Template(url=url, passwords=passwords)
    if BACKEND == "postgres":
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def db_url(template_db: Template, tmp_path: Path) -> Iterator[str]:
    """A fresh database for this test: a copy of the template."""
    if BACKEND == "postgres":
        name = f"gz_t_{_worker()}_{uuid.uuid4().hex[:10]}"
        template_name = make_url(template_db.url).database
        admin = _pg_admin_engine()
        with admin.connect() as c:
            c.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template_name}"'))
        yield _pg_url(name)
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    else:
        source = Path(make_url(template_db.url).database or "")
        target = tmp_path / "gongzhi.db"
        shutil.copyfile(source, target)
        yield f"sqlite:///{target}"


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    return Settings(
        database_url=db_url,
        data_dir=tmp_path / "data",
        secret_key=TEST_SECRET,
        serve_worker=False,
        worker_processes=1,
        job_poll_seconds=0.05,
        job_heartbeat_seconds=0.5,
    )


@pytest.fixture
def engine(settings: Settings) -> Iterator[Engine]:
    eng = make_engine(settings.database_url)
    yield eng
    eng.dispose()


@pytest.fixture
def factory(engine: Engine) -> SessionFactory:
    return make_session_factory(engine)


@pytest.fixture
def session(factory: SessionFactory) -> Iterator[Session]:
    """A session in a transaction that is committed at the end of the test (if it did not fail)."""
    with transaction(factory) as s:
        yield s


@pytest.fixture
def passwords(template_db: Template) -> dict[str, str]:
    return template_db.passwords


@pytest.fixture
def app(settings: Settings) -> Iterator[FastAPI]:
    application = create_app(settings)
    yield application
    application.state.engine.dispose()


class WebClient:
    """A browser-like client: keeps cookies, knows the CSRF token of the last page it loaded."""

    def __init__(self, client: TestClient) -> None:
        self.http = client
        self.csrf = ""

    def page(self, path: str, **kwargs: object) -> str:
        response = self.http.get(path, **kwargs)  # type: ignore[arg-type]
        match = re.search(r'name="csrf_token" value="([0-9a-f]+)"', response.text)
        if match:
            self.csrf = match.group(1)
        return response.text

    def login(self, username: str, password: str) -> None:
        self.page("/login")
        response = self.http.post(
            "/login", data={"username": username, "password": password, "csrf_token": self.csrf}, follow_redirects=False
        )
        assert response.status_code == 303, response.text
        self.page("/")

    def post_form(self, path: str, data: dict[str, object]) -> object:
        return self.http.post(path, data={**data, "csrf_token": self.csrf}, follow_redirects=False)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    """An HTTPS client (so Secure cookies flow as they would in production)."""
    with TestClient(app, base_url="https://testserver") as c:
        yield c


@pytest.fixture
def web(app: FastAPI) -> Iterator[WebClient]:
    with TestClient(app, base_url="https://testserver") as c:
        yield WebClient(c)


def make_token(factory: SessionFactory, username: str, scopes: list[str] | None = None, days: int = 30) -> str:
    """An API token for a demo user (all scopes unless given), made through the service as the operator."""
    with transaction(factory) as s:
        user = s.query(User).filter_by(username=username).one()
        _token, plaintext = service.create_token(
            s, SYSTEM, user_id=user.id, name="test", scopes=scopes or policy.scopes(), expires_in_days=days
        )
    return plaintext


@pytest.fixture
def api_as(app: FastAPI, factory: SessionFactory) -> Iterator[object]:
    """``api_as("xinghe")`` -> a TestClient sending that user's all-scope token; ``api_as(None)`` = public."""
    clients: list[TestClient] = []

    def make(username: str | None, scopes: list[str] | None = None) -> TestClient:
        headers = {"Authorization": f"Bearer {make_token(factory, username, scopes)}"} if username else {}
        c = TestClient(app, base_url="https://testserver", headers=headers)
        clients.append(c)
        return c

    yield make
    for c in clients:
        c.close()


DEMO_USERNAMES = [u.username for u in USERS]
