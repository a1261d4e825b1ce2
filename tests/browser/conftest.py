"""Browser tests: start the real app (production build, one port) and drive headless Chromium with Playwright."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
# Flags that keep Chromium from reaching for the network on a closed machine.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = PROJECT_ROOT / "tests" / "screenshots"
STARTUP_TIMEOUT_S = 600


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_served(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the app stopped while starting:\n{log.read_text()[-4000:]}")
        try:
            with urllib.request.urlopen(url + "/ping", timeout=2) as response:
                if response.status == 200:
                    with urllib.request.urlopen(url + "/", timeout=10):
                        return
        except OSError:
            pass
        time.sleep(1)
    raise RuntimeError(f"the app did not start within {STARTUP_TIMEOUT_S}s:\n{log.read_text()[-4000:]}")


@pytest.fixture(scope="session")
def app_url(tmp_path_factory) -> str:
    """The app served on a free localhost port, with its own SQLite database seeded from geodata/."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    workdir = tmp_path_factory.mktemp("app")
    port = _free_port()
    env = dict(os.environ)
    env.update(
        SAMEN030_DB_URL=f"sqlite:///{workdir / 'browser-test.db'}",
        REFLEX_TELEMETRY_ENABLED="false",
        REFLEX_CHECK_LATEST_VERSION="0",
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
    )
    log = workdir / "reflex.log"
    with log.open("w") as log_file:
        process = subprocess.Popen(
            [sys.executable, "-m", "reflex", "run", "--env", "prod", "--frontend-port", str(port), "--backend-port", str(port)],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # so the whole process group (bun, uvicorn) can be stopped
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_served(url, process, log)
        yield url
    finally:
        _stop(process)


def _stop(process: subprocess.Popen) -> None:
    """Stop reflex and everything it started (bun, the backend workers)."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(process.pid, sig)
            process.wait(timeout=20)
            return
        except ProcessLookupError:
            return
        except subprocess.TimeoutExpired:
            continue


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 860}, locale="nl-NL")
    page = context.new_page()
    yield page
    context.close()


def save_screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    return path


def wait_for_map(page, app_url: str, query: str = "") -> None:
    """Open the page and wait until the buurten layer is drawn."""
    page.goto(app_url + "/" + query)
    page.wait_for_function(
        "document.querySelectorAll('.leaflet-buurten-pane path').length >= 111", timeout=60_000
    )
