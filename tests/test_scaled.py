"""Several backend workers (issue 11): Redis keeps the pages' state, PostgreSQL the registry.

The app runs with two granian workers and a throwaway redis-server and PostgreSQL. Pages are opened
over the app's own websocket protocol (samen030_map.page_client) until they sit on both workers:
Reflex's Redis token manager records, per page, the worker (instance id) holding its socket. Then a
change is saved in the registry through the store (the path every save takes, from the workspace or
the command line), and every page, on either worker, must show it without a reload: each worker
follows the database revision and pushes to its own pages (server/live.py).
"""

from __future__ import annotations

import asyncio
import pickle
import shutil
import tempfile
from collections import Counter
from pathlib import Path

import tests.app_env  # noqa: F401  (first: a throwaway database for the imports below)

import pytest

from samen030_map.app_server import serve_app
from samen030_map.core.boundaries import load_boundaries
from samen030_map.db import store
from samen030_map.page_client import PageClient
from samen030_map.scaled import postgres_problem, postgres_server, redis_problem, redis_server
from samen030_map.state.dashboard import DashboardState
from tests.app_env import run_coroutine

PROJECT_ROOT = Path(__file__).resolve().parents[1]
ITEM = "buurtwerkkamer-top"
MAX_PAGES = 16  # pages opened at most to find both workers
WAIT_S = 30  # generous: a bound for a failing run, not a speed target


@pytest.fixture(scope="module")
def scaled_app():
    for problem in (redis_problem(), postgres_problem()):
        if problem:
            pytest.skip(problem)
    folder = Path(tempfile.mkdtemp(prefix="samen030-scaled-"))
    # Its own folder, not under tmp_path: PostgreSQL runs as user postgres when the tests run as root.
    postgres_folder = Path(tempfile.mkdtemp(prefix="samen030-pg-"))
    try:
        with redis_server(folder / "redis") as redis_url, postgres_server(postgres_folder) as db_url:
            store.prepare_database(db_url)
            env = {"REFLEX_REDIS_URL": redis_url, "GRANIAN_WORKERS": "2"}
            with serve_app(db_url, folder / "reflex.log", build_dir=PROJECT_ROOT / ".build-test-scaled", extra_env=env) as url:
                yield url, redis_url, db_url
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        shutil.rmtree(postgres_folder, ignore_errors=True)


def worker_of(redis_url: str, token: str) -> str:
    """The worker holding this page's socket, as Reflex's Redis token manager records it."""
    import redis

    client = redis.Redis.from_url(redis_url)
    try:
        record = client.get(f"token_manager_socket_record_{token}")
    finally:
        client.close()
    assert record is not None, f"no socket record for page {token}"
    return pickle.loads(record).instance_id


async def open_pages_on_both_workers(url: str, redis_url: str, pages: list) -> dict:
    """Open pages (into `pages`) until both workers hold two or more; returns page -> worker."""
    workers = {}
    while not (len(counts := Counter(workers.values())) == 2 and min(counts.values()) >= 2) and len(pages) < MAX_PAGES:
        page = PageClient(url, query={"org": ITEM})
        await page.open()
        pages.append(page)
        workers[page] = worker_of(redis_url, page.token)
    return workers


async def change_reaches_every_page(url: str, redis_url: str, db_url: str) -> tuple[int, Counter, list[str]]:
    """Open pages on both workers, save a change, and name the workers of the pages that never showed it."""
    pages = []
    try:
        workers = await open_pages_on_both_workers(url, redis_url, pages)
        text = "Beschrijving gewijzigd terwijl de pagina's open staan"
        await asyncio.to_thread(store.update_entry, store.engine(db_url), ITEM, {"description": text}, load_boundaries(), "organisation")
        waits = [page.wait_for(lambda page=page: page.state(DashboardState).get("entry", {}).get("description") == text, WAIT_S) for page in pages]
        results = await asyncio.gather(*waits, return_exceptions=True)
        missed = [workers[page] for page, result in zip(pages, results) if isinstance(result, Exception)]
        return len(pages), Counter(workers.values()), missed
    finally:
        await asyncio.gather(*(page.close() for page in pages), return_exceptions=True)


@pytest.mark.postgres
def test_a_save_reaches_pages_on_every_worker(scaled_app):
    url, redis_url, db_url = scaled_app
    opened, workers, missed = run_coroutine(change_reaches_every_page(url, redis_url, db_url))
    assert len(workers) == 2 and min(workers.values()) >= 2, f"{opened} pages did not spread over both workers: {list(workers.values())}"
    assert missed == [], f"pages on worker(s) {set(missed)} never showed the change ({len(missed)} of {opened})"
