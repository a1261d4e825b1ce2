"""A larger deployment on one machine: Redis and PostgreSQL next to several backend workers.

    .venv/bin/python -m samen030_map.scaled [--port 3000] [--workers N]     (what `make run-scaled` does)

Reflex keeps each visitor's state in Redis when REFLEX_REDIS_URL is set, and then runs several
granian workers (GRANIAN_WORKERS, default min(2 x CPU + 1, 8)). The registry lives in PostgreSQL,
which every worker reads; each worker follows the registry revision (server/live.py), so a save in
one worker reaches the pages on all of them.

Here both servers are local and private to this checkout: their data lives under `.scaled/`,
PostgreSQL listens only on a unix socket in that folder and Redis only on 127.0.0.1. Without
PostgreSQL installed the registry is a SQLite file under `.scaled/` (fine for a few workers on one
machine). The same helpers start throwaway servers for tests and benchmarks.
"""

from __future__ import annotations

import argparse
import contextlib
import glob
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from samen030_map.core.config import PROJECT_ROOT

SCALED_DIR = PROJECT_ROOT / ".scaled"
START_TIMEOUT_S = 60


def find_program(name: str) -> str | None:
    """A server program on PATH, or where Debian puts it (/usr/sbin, /usr/lib/postgresql/<version>/bin)."""
    found = shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/local/sbin")
    if found:
        return found
    # Debian keeps initdb and pg_ctl out of PATH, one folder per major version: take the newest.
    versions = {int(match[1]): path for path in glob.glob(f"/usr/lib/postgresql/*/bin/{name}") if (match := re.search(r"/postgresql/(\d+)/", path))}
    return versions[max(versions)] if versions else None


def postgres_problem() -> str | None:
    """Why a local PostgreSQL cannot be started here, or None when it can."""
    if not (find_program("initdb") and find_program("pg_ctl")):
        return "PostgreSQL (initdb/pg_ctl) is niet geïnstalleerd: apt-get install postgresql"
    if importlib.util.find_spec("psycopg") is None:
        return "geen PostgreSQL-driver: installeer psycopg (psycopg[binary])"
    if os.geteuid() == 0 and not (shutil.which("runuser") and _user_exists("postgres")):
        return "draait als root en er is geen gebruiker 'postgres' om PostgreSQL mee te starten"
    return None


def redis_problem() -> str | None:
    """Why a local Redis cannot be started here, or None when it can."""
    if not find_program("redis-server"):
        return "redis-server is niet geïnstalleerd: apt-get install redis-server"
    return None


def _user_exists(name: str) -> bool:
    import pwd

    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


@contextlib.contextmanager
def redis_server(folder: Path, port: int | None = None) -> Iterator[str]:
    """Run redis-server on 127.0.0.1 (a free port), its files in `folder`; yields its redis:// URL."""
    from samen030_map.app_server import free_port, stop_process_group

    folder.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    # The state of open pages only: nothing to keep when the server stops.
    command = [find_program("redis-server") or "redis-server", "--bind", "127.0.0.1", "--port", str(port), "--dir", str(folder), "--save", "", "--appendonly", "no"]
    with (folder / "redis.log").open("w") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"redis://127.0.0.1:{port}/0"
    try:
        _wait_for_redis(url, process, folder / "redis.log")
        yield url
    finally:
        stop_process_group(process)


def _wait_for_redis(url: str, process: subprocess.Popen, log_path: Path) -> None:
    import redis

    client = redis.Redis.from_url(url)
    deadline = time.monotonic() + START_TIMEOUT_S
    try:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"redis-server stopte bij het starten:\n{log_path.read_text()[-2000:]}")
            try:
                if client.ping():
                    return
            except redis.exceptions.ConnectionError:
                time.sleep(0.1)
        raise RuntimeError(f"redis-server startte niet binnen {START_TIMEOUT_S}s")
    finally:
        client.close()


@contextlib.contextmanager
def postgres_server(folder: Path, database: str = "samen030") -> Iterator[str]:
    """Run PostgreSQL with its data in `folder` (created on first use, kept afterwards) and only a unix
    socket in that folder, so it needs no port; yields the SQLAlchemy URL of `database`."""
    initdb, pg_ctl = find_program("initdb"), find_program("pg_ctl")
    # createdb of the same version (Debian's /usr/bin/createdb is a wrapper that looks for clusters).
    same_version = Path(initdb).resolve().parent / "createdb"
    createdb = str(same_version) if same_version.exists() else find_program("createdb")
    run_as: list[str] = []
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        run_as = ["runuser", "-u", "postgres", "--"]
        shutil.chown(folder, "postgres")
    data = folder / "data"
    if not (data / "PG_VERSION").exists():
        # --auth=trust: only this machine's users can reach the socket, which is in this folder.
        made = subprocess.run([*run_as, initdb, "-D", str(data), "-U", "samen030", "--auth=trust", "-E", "UTF8"], capture_output=True, text=True, timeout=120)
        if made.returncode:
            raise RuntimeError(f"initdb in {data} mislukte (kan gebruiker postgres de map bereiken?):\n{made.stderr[-2000:]}")
    options = f"-k {folder} -c listen_addresses=''"
    # The server's output goes to a log file: a pipe would stay open and block the caller.
    start = [*run_as, pg_ctl, "-D", str(data), "-l", str(folder / "server.log"), "-o", options, "-w", "-t", str(START_TIMEOUT_S), "start"]
    if subprocess.run(start, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=START_TIMEOUT_S + 10).returncode:
        log = folder / "server.log"
        raise RuntimeError(f"PostgreSQL startte niet:\n{log.read_text()[-2000:] if log.exists() else ''}")
    try:
        # Exists already on a second start: that is fine.
        subprocess.run([*run_as, createdb, "-h", str(folder), "-U", "samen030", database], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60)
        yield f"postgresql+psycopg://samen030@/{database}?host={folder}"
    finally:
        stop = [*run_as, pg_ctl, "-D", str(data), "-m", "fast", "-w", "stop"]
        subprocess.run(stop, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)


@contextlib.contextmanager
def registry_database(folder: Path) -> Iterator[str]:
    """PostgreSQL in `folder`/postgres where it is installed, else a SQLite file in `folder`."""
    if postgres_problem() is None:
        with postgres_server(folder / "postgres") as url:
            yield url
    else:
        folder.mkdir(parents=True, exist_ok=True)
        yield f"sqlite:///{folder / 'samen030.db'}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m samen030_map.scaled", description="Buurtkaart met Redis, PostgreSQL en meerdere workers")
    parser.add_argument("--port", type=int, default=3000)
    parser.add_argument("--workers", type=int, default=0, help="aantal backend-workers (standaard: Reflex kiest, min(2 x CPU + 1, 8))")
    args = parser.parse_args(argv)
    if problem := redis_problem():
        print(f"FOUT {problem}", file=sys.stderr)
        return 2
    if problem := postgres_problem():
        print(f"let op: {problem}; het register staat nu in {SCALED_DIR / 'samen030.db'} (SQLite)", file=sys.stderr)
    from samen030_map.db import store

    with redis_server(SCALED_DIR / "redis") as redis_url, registry_database(SCALED_DIR) as db_url:
        store.prepare_database(db_url)  # migrate and seed once, before the workers start
        env = dict(os.environ, SAMEN030_DB_URL=db_url, REFLEX_REDIS_URL=redis_url)
        env.setdefault("SAMEN030_ALLOWED_ORIGINS", f"http://localhost:{args.port},http://127.0.0.1:{args.port}")
        if args.workers:
            env["GRANIAN_WORKERS"] = str(args.workers)
        print(f"register: {db_url}\nredis:    {redis_url}\nkaart:    http://localhost:{args.port}", flush=True)
        command = [sys.executable, "-m", "reflex", "run", "--env", "prod", "--frontend-port", str(args.port), "--backend-port", str(args.port)]
        try:
            return subprocess.run(command, cwd=PROJECT_ROOT, env=env).returncode
        except KeyboardInterrupt:  # Ctrl-C stops the app; the servers stop on the way out
            return 0


if __name__ == "__main__":
    sys.exit(main())
