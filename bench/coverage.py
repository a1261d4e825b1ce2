"""Benchmark: analyse_coverage against a naive per-point loop (a script, not a test).

    .venv/bin/python bench/coverage.py

Cases: the real boundaries with the registry seed CSVs (when geodata/registry and
core/registry.py are there), then GENERATED registries of 1k, 10k and 100k organisations at random
points inside Utrecht's buurten. The generated organisations exist only for this benchmark: seeded
RNG, exact points, area_level buurt with the buurt derived from the point, kinds drawn from counted
and non-counted kinds; with them a fixed set of 300 generated meeting places.

The naive baseline computes the same statuses and nearest distances the plain way: for every
organisation point a Python loop over the buurt polygons with shapely ``contains``, and for every
buurt a loop over the meeting places with ``distance``. Both are checked to agree.
"""

from __future__ import annotations

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
from samen030_map.core.geo import RD_NEW, points_to_buurten  # noqa: E402

SEED = 20250030
SIZES = (1_000, 10_000, 100_000)
GENERATED_MEETING_PLACES = 300
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


def seed_registry(boundaries: Boundaries) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame] | None:
    """The seed CSVs through core/registry.py, or None (with the reason printed) if unavailable."""
    organisations_csv, places_csv = REGISTRY_DIR / "organisations.csv", REGISTRY_DIR / "meeting_places.csv"
    if not (organisations_csv.exists() and places_csv.exists()):
        print(f"(no seed CSVs under {REGISTRY_DIR}; real-registry case skipped)")
        return None
    try:
        from samen030_map.core.registry import entries_frame, read_seed_csv
    except ImportError as error:
        print(f"(core/registry.py not usable: {error}; real-registry case skipped)")
        return None
    try:
        organisations = entries_frame(read_seed_csv(organisations_csv, "organisation", boundaries), boundaries)
        places = entries_frame(read_seed_csv(places_csv, "meeting_place", boundaries), boundaries)
    except ValueError as error:  # RegistryError: the seed does not validate
        print(f"(seed CSVs rejected: {error}; real-registry case skipped)")
        return None
    return organisations, places


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


# --- timing -----------------------------------------------------------------------------------


def best_of(repeats: int, function, *args):
    """(best wall-clock seconds over ``repeats`` runs, result of the last run)."""
    best, result = float("inf"), None
    for _ in range(repeats):
        start = time.perf_counter()
        result = function(*args)
        best = min(best, time.perf_counter() - start)
    return best, result


def run_case(label: str, boundaries: Boundaries, organisations, places) -> dict:
    """Time ours and the naive baseline on one registry; check they agree where both ran fully."""
    n = len(organisations)
    ours_s, ours = best_of(3, analyse_coverage, boundaries, organisations, places)

    sampled = n > NAIVE_SAMPLE
    naive_orgs = organisations.sample(NAIVE_SAMPLE, random_state=SEED) if sampled else organisations
    loop_s, point_buurten = best_of(3 if n <= 1_000 else 1, naive_point_buurten, boundaries, list(naive_orgs.geometry))
    rest_s, (statuses, nearest) = best_of(
        1, naive_rest, boundaries, naive_orgs, point_buurten, places, buurt_organisation_kinds(), low_population_threshold()
    )
    naive_s = loop_s * (n / len(naive_orgs)) + rest_s
    note = f"naive point loop timed on {len(naive_orgs):,} and scaled x{n / len(naive_orgs):g}" if sampled else ""
    if not sampled:
        assert statuses == ours.buurten["status"].to_dict(), f"{label}: statuses differ"
        assert np.allclose(list(nearest.values()), ours.buurten["nearest_meeting_place_m"], equal_nan=True)
        note = note or "statuses and distances agree"
    return {"case": label, "n": n, "ours": ours_s, "naive": naive_s, "note": note}


def main() -> None:
    rng = np.random.default_rng(SEED)
    boundaries = load_boundaries()
    print(f"analyse_coverage vs naive loop; {len(boundaries.buurten)} buurten; python {sys.version.split()[0]}, "
          f"geopandas {gpd.__version__}, shapely {shapely.__version__}")  # fmt: skip
    rows = []
    seed = seed_registry(boundaries)
    if seed is not None:
        rows.append(run_case("real seed registry", boundaries, *seed))
    places = generated_entries(boundaries, GENERATED_MEETING_PLACES, "meeting_place", rng)
    for n in SIZES:
        organisations = generated_entries(boundaries, n, "organisation", rng)
        rows.append(run_case("generated", boundaries, organisations, places))
    print(f"generated cases: random organisations (benchmark only, seed {SEED}) + {GENERATED_MEETING_PLACES} generated meeting places")
    print("ours: best of 3 runs; naive: best of 3 up to 1k organisations, 1 run above")
    print()
    print(f"{'case':<20} {'n':>8} {'ours s':>9} {'naive s':>9} {'naive/ours':>11}  note")
    for row in rows:
        ratio = row["naive"] / row["ours"]
        print(f"{row['case']:<20} {row['n']:>8,} {row['ours']:>9.3f} {row['naive']:>9.3f} {ratio:>10.1f}x  {row['note']}")


if __name__ == "__main__":
    main()
