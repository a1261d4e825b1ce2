"""Benchmark: many open pages at once (a script, not a test; localhost only, bounded in time and count).

    .venv/bin/python bench/load.py

SESSIONS pages are open together for DURATION_S seconds against the production app, each over the
page's own websocket protocol (samen030_map.page_client: Reflex's socket.io events, hydrate and on_load
first, as the browser does). Each page, with THINK_S between actions as a person would: clicks a buurt,
sets or clears a filter, toggles a legend row, types a search. One event is in flight per page; its
latency runs from sending it to the backend's first answer (an event without an answer within
EVENT_TIMEOUT_S, a failed connection or a dropped page is an error).

Two setups in one run:
  single  the default (`make run`): one worker, Reflex's in-memory state, SQLite
  scaled  REFLEX_REDIS_URL with WORKERS granian workers, the registry in PostgreSQL (throwaway servers)

Per setup: pages held to the end, errors, latency p50/p95/max, memory (RSS, and PSS which counts pages
shared by forked workers once) of each worker and of Redis, and the size of one page's state in Redis.
The client runs on the same machine and shares its CPUs. Results: a table on stdout and
bench/out/load.json; ratios against the single-worker setup of the same run.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.stats import percentile  # noqa: E402

OUT = ROOT / "bench" / "out"
SESSIONS = 100
DURATION_S = 60
THINK_S = (0.5, 1.5)
EVENT_TIMEOUT_S = 10
OPENING_AT_ONCE = 10  # pages that connect at the same moment while the crowd arrives
WORKERS = 3
SEARCHES = ("ond", "lombok", "kanaleneiland", "3552", "speeltuin", "buurthuis", "de uithof", "zuilen")
TARGETS = {"scaled_errors": 0, "scaled_p95_ms": 200.0}



# --- processes and memory, read from /proc ---------------------------------------------------


def _children() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    return children


def _descendants(pid: int) -> list[int]:
    children, found, todo = _children(), [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _memory_mb(pid: int) -> dict[str, float]:
    """RSS now, peak RSS and PSS of one process, in MB."""
    status = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    rollup = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:] if ":" in line)
    kb = lambda text: int(text.split()[0]) / 1024  # noqa: E731
    return {"rss_mb": kb(status["VmRSS"]), "peak_rss_mb": kb(status["VmHWM"]), "pss_mb": kb(rollup["Pss"])}


def _cmdline(pid: int) -> str:
    return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")


def app_processes() -> tuple[int, list[int]]:
    """(the app's supervisor, its backend workers): the `reflex run` started by serve_app, and the
    processes its server forks (they carry the same command line)."""
    ours = [pid for pid in _descendants(os.getpid()) if "reflex run" in _cmdline(pid)]
    ours_set = set(ours)
    supervisors = [pid for pid in ours if int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1]) not in ours_set]
    supervisor = supervisors[0]
    # The leaves of the tree are the workers (granian keeps one process above them).
    children = _children()
    workers = [pid for pid in ours if pid != supervisor and not any(child in ours_set for child in children.get(pid, []))]
    return supervisor, sorted(workers)


def redis_pid() -> int | None:
    for pid in _descendants(os.getpid()):
        if "redis-server" in _cmdline(pid):
            return pid
    return None


# --- the crowd ---------------------------------------------------------------------------------


class Crowd:
    def __init__(self, url: str, dashboard: str, buurten: list[str], kinds: list[str], statuses: list[str]):
        self.url, self.dashboard = url, dashboard
        self.buurten, self.kinds, self.statuses = buurten, kinds, statuses
        self.latencies: list[float] = []
        self.errors: list[str] = []
        self.pages: list = []

    def action(self, rng: random.Random) -> tuple[str, dict]:
        choice = rng.random()
        if choice < 0.4:
            return "select_buurt", {"code": rng.choice(self.buurten)}
        if choice < 0.6:
            return "set_filter", {"field": "kind", "value": rng.choice(["", *self.kinds])}
        if choice < 0.8:
            return "toggle_status", {"status": rng.choice(self.statuses)}
        return "set_search_query", {"query": rng.choice(SEARCHES)}

    async def open_page(self, gate: asyncio.Semaphore):
        from samen030_map.page_client import PageClient

        page = PageClient(self.url)
        async with gate:
            try:
                await page.open(timeout=60)
            except Exception as error:
                self.errors.append(f"open: {type(error).__name__}: {error}")
                await page.close()
                return None
        return page

    async def use(self, page, seed: int, until: float) -> None:
        rng = random.Random(seed)
        while True:
            await asyncio.sleep(rng.uniform(*THINK_S))
            if time.monotonic() >= until:
                return
            handler, payload = self.action(rng)
            try:
                self.latencies.append(await page.send(f"{self.dashboard}.{handler}", timeout=EVENT_TIMEOUT_S, **payload))
            except Exception as error:
                self.errors.append(f"{handler}: {type(error).__name__}: {error}")
                if not page.sio.connected:
                    return

    async def run(self) -> dict:
        # One page first, as a browser would: hydrate and on_load, then each kind of action once.
        first = await self.open_page(asyncio.Semaphore(1))
        if first is None:
            raise RuntimeError(f"the first page did not open: {self.errors}")
        for handler, payload in (("select_buurt", {"code": self.buurten[0]}), ("set_filter", {"field": "kind", "value": self.kinds[0]}),
                                 ("toggle_status", {"status": self.statuses[0]}), ("set_search_query", {"query": SEARCHES[0]})):
            await first.send(f"{self.dashboard}.{handler}", timeout=EVENT_TIMEOUT_S, **payload)
        await first.close()

        gate = asyncio.Semaphore(OPENING_AT_ONCE)
        start = time.monotonic()
        opened = await asyncio.gather(*(self.open_page(gate) for _ in range(SESSIONS)))
        self.pages = [page for page in opened if page is not None]
        open_s = time.monotonic() - start
        until = time.monotonic() + DURATION_S
        await asyncio.gather(*(self.use(page, seed, until) for seed, page in enumerate(self.pages)))
        held = sum(1 for page in self.pages if page.sio.connected)
        return {"sessions": SESSIONS, "opened": len(self.pages), "held": held, "open_all_s": open_s}

    async def close(self) -> None:
        await asyncio.gather(*(page.close() for page in self.pages), return_exceptions=True)


def page_state_kb(redis_url: str, token: str) -> float:
    """The size of one page's stored state in Redis (all its state keys), in KB."""
    import redis

    client = redis.Redis.from_url(redis_url)
    try:
        return sum(client.strlen(key) for key in client.scan_iter(match=f"{token}_*")) / 1024
    finally:
        client.close()


def redis_used_mb(redis_url: str) -> float:
    import redis

    client = redis.Redis.from_url(redis_url)
    try:
        return client.info("memory")["used_memory"] / 1024 / 1024
    finally:
        client.close()


def run_setup(url: str, redis_url: str | None, names: dict) -> dict:
    async def go():
        crowd = Crowd(url, **names)
        try:
            held = await crowd.run()
            supervisor, workers = app_processes()
            memory = {"supervisor": _memory_mb(supervisor), "workers": [_memory_mb(pid) for pid in workers]}
            if redis_url:
                memory["redis"] = {**_memory_mb(redis_pid()), "used_memory_mb": redis_used_mb(redis_url)}
                memory["page_state_kb"] = statistics.median(page_state_kb(redis_url, page.token) for page in crowd.pages[:10])
            return crowd, held, memory
        finally:
            await crowd.close()

    crowd, held, memory = asyncio.run(go())
    ms = [latency * 1000 for latency in crowd.latencies]
    return {
        **held,
        "events": len(ms),
        "errors": len(crowd.errors),
        "error_examples": sorted(set(crowd.errors))[:5],
        "p50_ms": statistics.median(ms) if ms else None,
        "p95_ms": percentile(ms, 95) if ms else None,
        "max_ms": max(ms) if ms else None,
        "memory": memory,
    }


def main() -> int:
    from samen030_map.app_server import serve_app
    from samen030_map.scaled import postgres_problem, postgres_server, redis_problem, redis_server

    for problem in (redis_problem(), postgres_problem()):
        if problem:
            print(f"FOUT {problem}", file=sys.stderr)
            return 2
    OUT.mkdir(parents=True, exist_ok=True)
    build_dir = OUT / "build-load"
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        sqlite_url = f"sqlite:///{Path(folder) / 'load.db'}"
        os.environ["SAMEN030_DB_URL"] = sqlite_url  # before the state is imported (it reads the picture)
        from samen030_map.db import store

        store.prepare_database(sqlite_url)
        names = event_names()
        with serve_app(sqlite_url, Path(folder) / "single.log", build_dir=build_dir) as url:
            results["single"] = run_setup(url, None, names)
        # PostgreSQL runs as user postgres when this runs as root: its folder must be its own.
        postgres_folder = Path(tempfile.mkdtemp(prefix="samen030-pg-"))
        try:
            with redis_server(Path(folder) / "redis") as redis_url, postgres_server(postgres_folder) as db_url:
                store.prepare_database(db_url)
                env = {"REFLEX_REDIS_URL": redis_url, "GRANIAN_WORKERS": str(WORKERS)}
                with serve_app(db_url, Path(folder) / "scaled.log", build_dir=build_dir, extra_env=env) as url:
                    results["scaled"] = run_setup(url, redis_url, names)
        finally:
            import shutil

            shutil.rmtree(postgres_folder, ignore_errors=True)
    single, scaled = results["single"], results["scaled"]
    results["ratios_scaled_vs_single"] = {key: scaled[key] / single[key] for key in ("p50_ms", "p95_ms", "max_ms") if single[key] and scaled[key]}
    results["settings"] = {"sessions": SESSIONS, "duration_s": DURATION_S, "think_s": THINK_S, "workers": WORKERS, "cpus": os.cpu_count()}
    (OUT / "load.json").write_text(json.dumps(results, indent=1))
    print_table(results)
    return 0


def event_names() -> dict:
    """Full event names and valid arguments, from the app's own state and vocabulary."""
    from samen030_map.export.mapview import FILTER_CHOICES
    from samen030_map.labels import STATUS_ORDER
    from samen030_map.page_client import state_name
    from samen030_map.picture import geography
    from samen030_map.state.dashboard import DashboardState

    return {
        "dashboard": state_name(DashboardState),
        "buurten": sorted(geography().buurt_wijk),
        "kinds": list(FILTER_CHOICES["kind"]),
        "statuses": list(STATUS_ORDER),
    }


def print_table(results: dict) -> None:
    print(f"{SESSIONS} pages for {DURATION_S} s each, {THINK_S[0]}-{THINK_S[1]} s between actions; {os.cpu_count()} CPUs shared with the client")
    header = f"{'setup':<34} {'held':>5} {'events':>7} {'errors':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}  memory (RSS / PSS MB)"
    print(header)
    for key, label in (("single", "1 worker, in memory, SQLite"), ("scaled", f"Redis + {WORKERS} workers, PostgreSQL")):
        row = results[key]
        memory = row["memory"]
        workers = ", ".join(f"{w['rss_mb']:.0f}/{w['pss_mb']:.0f}" for w in memory["workers"])
        extra = f"; redis {memory['redis']['rss_mb']:.0f} MB RSS ({memory['redis']['used_memory_mb']:.1f} MB data), one page's state {memory['page_state_kb']:.1f} KB" if "redis" in memory else ""
        fmt = lambda value: f"{value:8.1f}" if value is not None else "       -"  # noqa: E731
        print(f"{label:<34} {row['held']:>5} {row['events']:>7} {row['errors']:>6} {fmt(row['p50_ms'])} {fmt(row['p95_ms'])} {fmt(row['max_ms'])}  workers {workers}{extra}")
        for example in row["error_examples"]:
            print(f"    error: {example}")
    ratios = results["ratios_scaled_vs_single"]
    print("scaled / single: " + ", ".join(f"{key.removesuffix('_ms')} {value:.2f}x" for key, value in ratios.items()))
    scaled = results["scaled"]
    ok = scaled["errors"] == TARGETS["scaled_errors"] and scaled["p95_ms"] is not None and scaled["p95_ms"] < TARGETS["scaled_p95_ms"]
    print(f"target (Redis + {WORKERS} workers): 0 errors and p95 < {TARGETS['scaled_p95_ms']:.0f} ms: {'met' if ok else 'NOT met'}")


if __name__ == "__main__":
    sys.exit(main())
