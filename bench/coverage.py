"""Benchmark: analyse_coverage against a naive per-point loop (a script, not a test).

    .venv/bin/python bench/coverage.py

Cases, all in one run:

- the real boundaries with the registry seed CSVs (when geodata/registry and core/registry.py
  are there);
- GENERATED registries of 1k, 10k and 100k organisations at random points inside Utrecht's
  buurten. The generated organisations exist only for this benchmark: seeded RNG, exact points,
  area_level buurt with the buurt derived from the point, kinds drawn from counted and
  non-counted kinds; with them a fixed set of 300 generated meeting places;
- "rebuild after one change": what the app does after a save: one entry changed, then
  registry.entries_frame for both registries and analyse_coverage. On the real seed registry,
  and on the real meeting places with 1,000 GENERATED organisations (RegistryEntry objects with
  lat/lon, benchmark only).

The naive baseline computes the same statuses and nearest distances the plain way: for every
organisation point a Python loop over the buurt polygons with shapely ``contains``, and for every
buurt a loop over the meeting places with ``distance``. Both are checked to agree. In the rebuild
cases the baseline is entries_frame for both registries plus the naive loops.

Every figure is the median of several runs; the ratio naive/ours compares two medians measured in
the same run, so it carries over between machines better than the milliseconds do.
"""

from __future__ import annotations

import dataclasses
import statistics
import sys
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from samen030_map.core.boundaries import Boundaries, load_boundaries  # noqa: E402
from samen030_map.core.config import REGISTRY_DIR, buurt_organisation_kinds, low_population_threshold  # noqa: E402
from samen030_map.core.coverage import analyse_coverage  # noqa: E402
from samen030_map.core.geo import RD_NEW, WGS84, points_to_buurten  # noqa: E402

SEED = 20250030
SIZES = (1_000, 10_000, 100_000)
GENERATED_MEETING_PLACES = 300
REBUILD_GENERATED_ORGANISATIONS = 1_000
OURS_RUNS, OURS_RUNS_100K = 21, 7  # runs of analyse_coverage per case; the median is reported
NAIVE_RUNS, NAIVE_RUNS_100K = 5, 3  # runs of the naive loops per case
REBUILD_RUNS, REBUILD_NAIVE_RUNS = 15, 5
NAIVE_SAMPLE = 10_000  # above this many organisations the naive point loop is timed on a sample
GENERATED_KINDS = tuple(sorted(buurt_organisation_kinds())) + ("sociale_onderneming", "netwerk", "belangenorganisatie")


# --- inputs -----------------------------------------------------------------------------------


def random_points_in_utrecht(boundaries: Boundaries, n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` uniformly random points (EPSG:28992) inside the union of the buurten."""
    utrecht = shapely.union_all(boundaries.buurten.geometry.to_numpy())
    shapely.prepare(utrecht)
    west, south, east, north = utrecht.bounds
    kept: list[np.ndarray] = []
    count = 0
    while count < n:
        x = rng.uniform(west, east, 2 * n)
        y = rng.uniform(south, north, 2 * n)
        inside = shapely.contains_xy(utrecht, x, y)
        kept.append(np.column_stack([x[inside], y[inside]]))
        count += int(inside.sum())
    return np.concatenate(kept)[:n]


def generated_entries(boundaries: Boundaries, n: int, entity: str, rng: np.random.Generator) -> gpd.GeoDataFrame:
    """A generated registry frame shaped like registry.entries_frame (EPSG:28992)."""
    xy = random_points_in_utrecht(boundaries, n, rng)
    frame = gpd.GeoDataFrame(
        {
            "id": [f"gen-{entity}-{i:06d}" for i in range(n)],
            "entity": entity,
            "name": [f"Gegenereerd ({entity}) {i}" for i in range(n)],
            "kind": rng.choice(GENERATED_KINDS if entity == "organisation" else ("buurthuis", "speeltuin"), n),
            "area_level": "buurt",
            "location_precision": "adres",
            "point_is_approximate": False,
        },
        geometry=gpd.points_from_xy(xy[:, 0], xy[:, 1]),
        crs=RD_NEW,
    )
    frame["buurtcode"] = points_to_buurten(frame, boundaries.buurten)
    frame["area_codes"] = [(code,) for code in frame["buurtcode"]]
    return frame


def generated_registry_entries(boundaries: Boundaries, n: int, rng: np.random.Generator) -> list:
    """``n`` generated organisations as RegistryEntry objects (lat/lon, area_level buurt), for the
    rebuild case: what the app holds after reading its database."""
    from samen030_map.core.registry import RegistryEntry

    xy = random_points_in_utrecht(boundaries, n, rng)
    points = gpd.GeoDataFrame(geometry=gpd.points_from_xy(xy[:, 0], xy[:, 1]), crs=RD_NEW)
    codes = points_to_buurten(points, boundaries.buurten)
    lonlat = points.to_crs(WGS84).geometry
    kinds = rng.choice(GENERATED_KINDS, n)
    return [
        RegistryEntry(
            entity="organisation", id=f"gen-organisation-{i:06d}", name=f"Gegenereerd (organisation) {i}",
            kind=str(kinds[i]), area_level="buurt", area_codes=(codes.iloc[i],),
            lat=lonlat.iloc[i].y, lon=lonlat.iloc[i].x, location_precision="adres",
        )  # fmt: skip
        for i in range(n)
    ]


def seed_registry(boundaries: Boundaries) -> tuple[list, list] | None:
    """The seed CSVs read through core/registry.py as (organisation entries, meeting place entries),
    or None (with the reason printed) if unavailable."""
    organisations_csv, places_csv = REGISTRY_DIR / "organisations.csv", REGISTRY_DIR / "meeting_places.csv"
    if not (organisations_csv.exists() and places_csv.exists()):
        print(f"(no seed CSVs under {REGISTRY_DIR}; real-registry cases skipped)")
        return None
    try:
        from samen030_map.core.importing import read_seed_csv
    except ImportError as error:
        print(f"(core/registry.py not usable: {error}; real-registry cases skipped)")
        return None
    try:
        return read_seed_csv(organisations_csv, "organisation", boundaries), read_seed_csv(places_csv, "meeting_place", boundaries)
    except ValueError as error:  # RegistryError: the seed does not validate
        print(f"(seed CSVs rejected: {error}; real-registry cases skipped)")
        return None


def frames(boundaries: Boundaries, organisation_entries: list, place_entries: list) -> tuple:
    """registry.entries_frame for both registries: (organisations, meeting places)."""
    from samen030_map.core.registry import entries_frame

    return entries_frame(organisation_entries, boundaries), entries_frame(place_entries, boundaries)


# --- the naive baseline -----------------------------------------------------------------------


def naive_point_buurten(boundaries: Boundaries, points) -> list[str | None]:
    """For each point, loop over the buurt polygons and take the first that contains it."""
    polygons = list(zip(boundaries.buurten["buurtcode"], boundaries.buurten.geometry))
    found = []
    for point in points:
        code = None
        if point is not None and not point.is_empty:
            for buurtcode, polygon in polygons:
                if polygon.contains(point):
                    code = buurtcode
                    break
        found.append(code)
    return found


def naive_rest(boundaries, organisations, point_buurten, places, counted_kinds, threshold) -> tuple[dict, dict]:
    """Statuses and nearest meeting-place distances with plain loops, given each org's point buurt."""
    buurten = boundaries.buurten
    covered, wijk_covered = set(), set()
    for kind, level, codes, point_buurt in zip(
        organisations["kind"], organisations["area_level"], organisations["area_codes"], point_buurten
    ):
        if kind not in counted_kinds:
            continue
        if level == "buurt":
            covered.update(codes)
            if point_buurt:
                covered.add(point_buurt)
        elif level == "wijk":
            wijk_covered.update(codes)
    statuses, nearest = {}, {}
    place_points = [p for p in places.geometry if p is not None and not p.is_empty]
    for code, wijkcode, inwoners, polygon in zip(buurten["buurtcode"], buurten["wijkcode"], buurten["inwoners"], buurten.geometry):
        if code in covered:
            statuses[code] = "gedekt"
        elif np.isnan(inwoners) or inwoners < threshold:
            statuses[code] = "weinig bewoners"
        elif wijkcode in wijk_covered:
            statuses[code] = "wijkniveau"
        else:
            statuses[code] = "open"
        nearest[code] = min((polygon.distance(p) for p in place_points), default=float("nan"))
    return statuses, nearest


def naive_coverage(boundaries: Boundaries, organisations, places) -> tuple[dict, dict]:
    """The whole naive baseline: point loop, then statuses and nearest distances."""
    point_buurten = naive_point_buurten(boundaries, list(organisations.geometry))
    return naive_rest(boundaries, organisations, point_buurten, places, buurt_organisation_kinds(), low_population_threshold())


# --- timing -----------------------------------------------------------------------------------


def median_of(repeats: int, function, *args):
    """(median wall-clock seconds over ``repeats`` runs, result of the last run)."""
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = function(*args)
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def check_agreement(label: str, ours, statuses: dict, nearest: dict) -> None:
    """Ours and the naive baseline give the same statuses and nearest distances."""
    assert statuses == ours.buurten["status"].to_dict(), f"{label}: statuses differ"
    assert np.allclose(list(nearest.values()), ours.buurten["nearest_meeting_place_m"], equal_nan=True), f"{label}: distances differ"


def run_case(label: str, boundaries: Boundaries, organisations, places) -> dict:
    """Time ours and the naive baseline on one registry; check they agree where both ran fully."""
    n = len(organisations)
    ours_s, ours = median_of(OURS_RUNS if n <= 10_000 else OURS_RUNS_100K, analyse_coverage, boundaries, organisations, places)

    sampled = n > NAIVE_SAMPLE
    naive_orgs = organisations.sample(NAIVE_SAMPLE, random_state=SEED) if sampled else organisations
    naive_runs = NAIVE_RUNS if n <= 10_000 else NAIVE_RUNS_100K
    loop_s, point_buurten = median_of(naive_runs, naive_point_buurten, boundaries, list(naive_orgs.geometry))
    rest_s, (statuses, nearest) = median_of(
        naive_runs, naive_rest, boundaries, naive_orgs, point_buurten, places, buurt_organisation_kinds(), low_population_threshold()
    )
    naive_s = loop_s * (n / len(naive_orgs)) + rest_s
    if sampled:
        note = f"naive point loop timed on {len(naive_orgs):,} and scaled x{n / len(naive_orgs):g}"
    else:
        check_agreement(label, ours, statuses, nearest)
        note = "statuses and distances agree"
    return {"case": label, "n": n, "ours": ours_s, "naive": naive_s, "note": note}


def run_rebuild(label: str, boundaries: Boundaries, organisation_entries: list, place_entries: list) -> dict:
    """Time one change + rebuild: entries_frame for both registries and analyse_coverage, against
    entries_frame for both and the naive loops. The change: one organisation is renamed (another
    one every run), as a save in the editor would."""
    entries = list(organisation_entries)
    runs = iter(range(10**6))

    def change() -> list:
        i = next(runs) % len(entries)
        entries[i] = dataclasses.replace(entries[i], name=entries[i].name + " (gewijzigd)")
        return entries

    def ours():
        organisations, places = frames(boundaries, change(), place_entries)
        return analyse_coverage(boundaries, organisations, places)

    def naive():
        organisations, places = frames(boundaries, change(), place_entries)
        return naive_coverage(boundaries, organisations, places)

    ours_s, result = median_of(REBUILD_RUNS, ours)
    naive_s, (statuses, nearest) = median_of(REBUILD_NAIVE_RUNS, naive)
    check_agreement(label, result, statuses, nearest)
    frames_s, _ = median_of(REBUILD_RUNS, lambda: frames(boundaries, change(), place_entries))
    note = f"statuses and distances agree; of ours, entries_frame x2 {frames_s * 1000:.1f} ms"
    return {"case": label, "n": len(entries), "ours": ours_s, "naive": naive_s, "note": note}


def first_call_ms(boundaries: Boundaries, organisations, places, repeats: int = 5) -> float:
    """Median ms of analyse_coverage on a fresh copy of the boundaries: the BuurtLookup is built
    in the call (what the first analysis after loading pays once)."""
    times = []
    for _ in range(repeats):
        fresh = Boundaries(buurten=boundaries.buurten.copy(), wijken=boundaries.wijken)
        start = time.perf_counter()
        analyse_coverage(fresh, organisations, places)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


# --- report -----------------------------------------------------------------------------------


def main() -> None:
    rng = np.random.default_rng(SEED)
    boundaries = load_boundaries()
    print(f"analyse_coverage vs naive loop; {len(boundaries.buurten)} buurten; python {sys.version.split()[0]}, "
          f"geopandas {gpd.__version__}, shapely {shapely.__version__}")  # fmt: skip
    rows, first_call = [], None
    seed = seed_registry(boundaries)
    if seed is not None:
        real_organisations, real_places = frames(boundaries, *seed)
        label = f"real registry ({len(real_organisations)} orgs / {len(real_places)} places)"
        rows.append(run_case(label, boundaries, real_organisations, real_places))
        first_call = first_call_ms(boundaries, real_organisations, real_places)
    places = generated_entries(boundaries, GENERATED_MEETING_PLACES, "meeting_place", rng)
    for n in SIZES:
        organisations = generated_entries(boundaries, n, "organisation", rng)
        rows.append(run_case(f"generated {n // 1000}k orgs", boundaries, organisations, places))
    if seed is not None:
        rows.append(run_rebuild("rebuild: real registry", boundaries, *seed))
        generated = generated_registry_entries(boundaries, REBUILD_GENERATED_ORGANISATIONS, rng)
        rows.append(run_rebuild("rebuild: generated 1k orgs", boundaries, generated, seed[1]))

    print(f"generated = random data made by this script only (seed {SEED}): organisations, and "
          f"{GENERATED_MEETING_PLACES} meeting places for the generated 1k/10k/100k cases; "
          "'rebuild: generated 1k orgs' uses the real meeting places")
    print(f"times are medians: ours of {OURS_RUNS} runs ({OURS_RUNS_100K} at 100k), naive of {NAIVE_RUNS} "
          f"({NAIVE_RUNS_100K} at 100k), rebuilds of {REBUILD_RUNS} / {REBUILD_NAIVE_RUNS}; "
          "rebuild = one change + entries_frame x2 + analyse_coverage (naive: entries_frame x2 + the naive loops)")
    print()
    print(f"{'case':<40} {'n orgs':>8} {'ours ms':>9} {'naive ms':>9} {'naive/ours':>11}  note")
    for row in rows:
        ratio = row["naive"] / row["ours"]
        print(f"{row['case']:<40} {row['n']:>8,} {row['ours'] * 1000:>9.1f} {row['naive'] * 1000:>9.1f} {ratio:>10.1f}x  {row['note']}")
    if first_call is not None:
        print(f"\nfirst analyse_coverage on freshly loaded boundaries (builds the cached lookup), real registry: {first_call:.1f} ms")
    by_case = {row["case"]: row for row in rows}
    real = next((row for row in rows if row["case"].startswith("real registry")), None)
    ten_k = by_case["generated 10k orgs"]
    print("targets (issue 11):", "; ".join(filter(None, [
        real and f"real registry < 20 ms: {'met' if real['ours'] < 0.020 else 'NOT met'}",
        f"10k < 50 ms: {'met' if ten_k['ours'] < 0.050 else 'NOT met'}",
        f"10k >= 20x naive: {'met' if ten_k['naive'] / ten_k['ours'] >= 20 else 'NOT met'}",
        "rebuild (real) < 200 ms: " + ("met" if by_case.get("rebuild: real registry", {"ours": 1})["ours"] < 0.200 else "NOT met"),
    ])))  # fmt: skip


if __name__ == "__main__":
    main()
