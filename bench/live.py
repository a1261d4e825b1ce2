"""Benchmark: the live picture (a script, not a test).

    .venv/bin/python bench/live.py

L1  save -> visible: a coordinator saves an item in the workspace (headless Chromium, a real click on
    "Opslaan"); a second, already open public page shows the change (the opened card's description)
    without a reload. SAVES saves; p50/p95/max. Baseline in the same run: what the resident had to do
    before, reload the page until the change shows (navigation -> card text), RELOADS times.
L2  rebuild the picture after one change (load the registry from the database, display points, coverage)
    on the real data and with 1,000 generated organisations; median of REBUILD_RUNS. Baseline in the
    same run: a cold build, boundaries loaded from disk and simplified for the browser as well.

Generated organisations exist only inside this benchmark and are labelled as generated. Results: a
table on stdout and bench/out/live.json.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.stats import percentile  # noqa: E402

from samen030_map.app_server import CHROMIUM, CHROMIUM_ARGS, serve_app  # noqa: E402
from samen030_map.core.boundaries import load_boundaries  # noqa: E402
from samen030_map.core.registry import RegistryEntry  # noqa: E402
from samen030_map.db import accounts, store  # noqa: E402
from samen030_map.picture import build_picture, geography  # noqa: E402
from sqlmodel import Session  # noqa: E402

OUT = ROOT / "bench" / "out"
SAVES = 30
RELOADS = 10
REBUILD_RUNS = 9
GENERATED = 1_000
NAME, PASSWORD = "bench-beheer", "een lang benchwachtwoord"
ITEM = "organisation:buurtwerkkamer-top"
TARGETS = {"L1_p95_s": 1.0, "L2_real_ms": 200.0}



def median_ms(runs: int, fn) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def measure_l1(url: str) -> dict:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        public = browser.new_context().new_page()
        public.goto(url + "/?org=buurtwerkkamer-top")
        public.wait_for_selector("#entry-panel", timeout=60_000)
        coordinator = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
        coordinator.goto(url + "/beheer")
        coordinator.fill("#login-naam", NAME)
        coordinator.fill("#login-wachtwoord", PASSWORD)
        coordinator.click("#login-submit")
        coordinator.wait_for_selector(f'.item-link[data-key="{ITEM}"]', timeout=60_000)
        coordinator.click(f'.item-link[data-key="{ITEM}"]')
        coordinator.wait_for_selector("#field-description")
        live = []
        for index in range(SAVES):
            text = f"Bench-beschrijving {index}"
            coordinator.fill("#field-description", text)
            coordinator.wait_for_function("(t) => document.querySelector('#field-description').value === t", arg=text)
            coordinator.wait_for_timeout(150)  # let the field's debounced change reach the server first
            start = time.perf_counter()
            coordinator.click("#save")
            public.wait_for_function("(t) => document.querySelector('#entry-description')?.innerText === t", arg=text, timeout=15_000)
            live.append(time.perf_counter() - start)
            coordinator.wait_for_function("document.querySelector('#workspace-message')?.innerText.includes('Opgeslagen')")
        reloads = []
        for _ in range(RELOADS):
            start = time.perf_counter()
            public.reload()
            public.wait_for_selector("#entry-description", timeout=60_000)
            reloads.append(time.perf_counter() - start)
        browser.close()
    return {
        "saves": SAVES,
        "live_p50_s": statistics.median(live),
        "live_p95_s": percentile(live, 95),
        "live_max_s": max(live),
        "reload_median_s": statistics.median(reloads),
    }


def generated_organisations(boundaries) -> list[RegistryEntry]:
    """GENERATED generated organisations (benchmark only): a random buurt each, a counted kind."""
    import random

    rng = random.Random(20261201)
    codes = list(boundaries.buurten.index)
    kinds = ("bewonersorganisatie", "buurtcooperatie", "netwerk", "wijkplatform")
    return [
        RegistryEntry(
            entity="organisation", id=f"gegenereerd-{i}", name=f"Gegenereerde organisatie {i} (benchmark)", kind=rng.choice(kinds),
            area_level="buurt", area_codes=(rng.choice(codes),), location_precision="buurt", status="actief", source_url="https://example.org/benchmark",
        )
        for i in range(GENERATED)
    ]


def measure_l2(db_url: str) -> dict:
    engine = store.engine(db_url)
    user = accounts.find_user(engine, NAME)
    boundaries = geography().boundaries
    results = {}

    def one_change_then_rebuild(counter=[0]):
        counter[0] += 1
        store.update_entry(engine, "buurtwerkkamer-top", {"note": f"wijziging {counter[0]}"}, boundaries, "organisation", user)

    def cold():
        geography.cache_clear()
        load_boundaries()
        geography()
        build_picture(db_url=db_url)

    for label in ("real", "generated_1000"):
        if label == "generated_1000":
            with Session(engine) as session:
                for entry in generated_organisations(boundaries):
                    store._save(session, entry, boundaries, user, "toegevoegd")
                session.commit()
        build_picture(db_url=db_url)  # warm
        rebuild = median_ms(REBUILD_RUNS, lambda: (one_change_then_rebuild(), build_picture(db_url=db_url)))
        write_only = median_ms(REBUILD_RUNS, one_change_then_rebuild)
        cold_ms = median_ms(3, cold)
        results[label] = {"rebuild_ms": rebuild - write_only, "save_ms": write_only, "cold_ms": cold_ms}
    return results


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        db_url = f"sqlite:///{Path(folder) / 'live.db'}"
        store.prepare_database(db_url)
        accounts.add_user(store.engine(db_url), NAME, PASSWORD, "beheerder")
        with serve_app(db_url, Path(folder) / "reflex.log", build_dir=ROOT / "bench" / "out" / "build-live") as url:
            l1 = measure_l1(url)
        l2 = measure_l2(db_url)
    results = {"L1": l1, "L2": l2}
    (OUT / "live.json").write_text(json.dumps(results, indent=1))
    print(f"L1 save -> visible in an open public page, {l1['saves']} saves: p50 {l1['live_p50_s']:.3f} s, p95 {l1['live_p95_s']:.3f} s "
          f"(target < {TARGETS['L1_p95_s']} s), max {l1['live_max_s']:.3f} s")
    print(f"   baseline, reload the page: median {l1['reload_median_s']:.3f} s; live / reload = {l1['live_p50_s'] / l1['reload_median_s']:.2f}x")
    for label, row in l2.items():
        name = "real registry" if label == "real" else f"with {GENERATED:,} generated organisations (benchmark only)"
        print(f"L2 rebuild after one change, {name}: {row['rebuild_ms']:.1f} ms (target < {TARGETS['L2_real_ms']:.0f} ms); "
              f"cold build {row['cold_ms']:.1f} ms; rebuild / cold = {row['rebuild_ms'] / row['cold_ms']:.2f}x; the save itself {row['save_ms']:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
