"""Serve the app in a child process (production build, one port): for browser tests and page benchmarks."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from samen030_map.core.config import PROJECT_ROOT

STARTUP_TIMEOUT_S = 600


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def serve_app(
    db_url: str, log_path: Path, port: int | None = None, build_dir: Path | None = None, extra_env: dict[str, str] | None = None
) -> Iterator[str]:
    """Build and serve the app on a free localhost port; yields its base URL and stops it afterwards.

    `build_dir` keeps the frontend build (Reflex's .web) and its state files out of the project's own
    .web, so a `make run` in the same checkout cannot swap the bundle under a test or a benchmark.
    `extra_env` adds settings, e.g. REFLEX_REDIS_URL and GRANIAN_WORKERS for several workers.
    """
    port = port or free_port()
    env = dict(os.environ)
    if build_dir is not None:
        env.update(REFLEX_WEB_WORKDIR=str(build_dir / "web"), REFLEX_STATES_WORKDIR=str(build_dir / "states"))
    env.update(
        SAMEN030_DB_URL=db_url,
        # The page is opened at 127.0.0.1 (tests) or localhost: both may call the backend.
        SAMEN030_ALLOWED_ORIGINS=f"http://127.0.0.1:{port},http://localhost:{port}",
        REFLEX_TELEMETRY_ENABLED="false",
        REFLEX_CHECK_LATEST_VERSION="0",
        # The virtualenv's bin holds bun (from PyPI); reflex looks for it on PATH.
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
    )
    env.update(extra_env or {})
    command = [sys.executable, "-m", "reflex", "run", "--env", "prod", "--frontend-port", str(port), "--backend-port", str(port)]
    with log_path.open("w") as log_file:
        # A new session, so the whole process group (bun, the backend workers) can be stopped together.
        process = subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_served(url, process, log_path)
        yield url
    finally:
        stop_process_group(process)


def _wait_until_served(url: str, process: subprocess.Popen, log_path: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the app stopped while starting:\n{log_path.read_text()[-4000:]}")
        try:
            with urllib.request.urlopen(url + "/ping", timeout=2) as ping, urllib.request.urlopen(url + "/", timeout=10):
                if ping.status == 200:
                    return
        except OSError:
            pass
        time.sleep(1)
    raise RuntimeError(f"the app did not start within {STARTUP_TIMEOUT_S}s:\n{log_path.read_text()[-4000:]}")


def stop_process_group(process: subprocess.Popen) -> None:
    """Stop a child started with start_new_session=True, and everything it started."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(process.pid, sig)
            process.wait(timeout=20)
            return
        except ProcessLookupError:
            return
        except subprocess.TimeoutExpired:
            continue


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
