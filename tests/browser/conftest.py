"""Browser tests: a real ``gongzhi serve`` process and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Playwright, sync_playwright

CHROMIUM = os.environ.get("GONGZHI_CHROMIUM", "/usr/bin/chromium")
# Chromium as root in a container, with no background traffic to the (closed) network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(db_url: str, tmp_path: Path) -> Iterator[str]:
    """``gongzhi serve`` on a free loopback port, on this test's database."""
    port = free_port()
    env = {
        **os.environ,
        "GONGZHI_DATABASE_URL": db_url,
        "GONGZHI_DATA_DIR": str(tmp_path / "data"),
        "GONGZHI_SECRET_KEY": "browser-test-secret-0123456789abcdef",
        "GONGZHI_LOG_LEVEL": "WARNING",
    }
    log_path = tmp_path / "server.log"
    log = log_path.open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "gongzhi", "serve", "--port", str(port), "--no-worker"],
        cwd=tmp_path,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            log.close()
            raise RuntimeError(f"gongzhi serve did not start:\n{log_path.read_text(errors='replace')}")
        time.sleep(0.2)
    yield url
    process.terminate()
    process.wait(timeout=30)
    log.close()
    errors = [line for line in log_path.read_text(errors="replace").splitlines() if "Traceback" in line]
    assert not errors, f"the server logged errors:\n{log_path.read_text(errors='replace')}"


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: install Debian's chromium (apt-get install chromium) "
            "or set GONGZHI_CHROMIUM; .ci/run installs it."
        )
    b = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    yield b
    b.close()


@pytest.fixture
def worker(server: str, db_url: str, tmp_path: Path) -> Iterator[None]:
    """A job worker next to the test's server (the server fixture runs without one)."""
    env = {
        **os.environ,
        "GONGZHI_DATABASE_URL": db_url,
        "GONGZHI_DATA_DIR": str(tmp_path / "data"),
        "GONGZHI_SECRET_KEY": "browser-test-secret-0123456789abcdef",
        "GONGZHI_JOB_POLL_SECONDS": "0.2",
        "GONGZHI_WORKER_PROCESSES": "1",
        "GONGZHI_ASSESS_PDF_REPORTS": "false",  # PDF rendering is tested elsewhere; keep the run short
    }
    process = subprocess.Popen([sys.executable, "-m", "gongzhi", "worker"], cwd=tmp_path, env=env)
    yield
    process.terminate()
    process.wait(timeout=30)
