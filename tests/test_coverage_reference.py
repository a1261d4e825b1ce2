"""analyse_coverage against a slow, plain reference on random registries.

The reference below follows the rules in core/coverage.py's docstrings with Python loops and one
shapely call per (polygon, point) pair: no spatial index, no joins, no caching. The registries are
drawn at random (seeded) on the tiny layout and on the real buurten, with points on shared borders,
outside the city, missing or empty, wijk- and stad-level entries, unknown and doubled codes, ties
between meeting places, other CRSs, filtered frames and repeated index labels.
"""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from samen030_map.core.config import buurt_organisation_kinds, low_population_threshold
from samen030_map.core.coverage import BUURT_COLUMNS, STATUSES, analyse_coverage
from samen030_map.core.geo import RD_NEW, WGS84
from tests.test_geo import random_test_points

ORGANISATION_KINDS = sorted(buurt_organisation_kinds()) + ["netwerk", "sociale_onderneming"]
PLACE_KINDS = ["buurthuis", "speeltuin", "bibliotheek"]


# --- the reference ----------------------------------------------------------------------------


def _missing(point) -> bool:
    return point is None or point.is_empty


def reference_buurten(boundaries, organisations, places, counted_kinds, threshold) -> pd.DataFrame:
    """Per buurt: status, organisation ids/names, meeting place ids and the nearest place."""
    buurten = boundaries.buurten
    orgs = organisations.to_crs(buurten.crs)
    places = places.to_crs(buurten.crs)
    polygons = dict(zip(buurten["buurtcode"], buurten.geometry))

    def point_buurt(point):  # lowest code on shared borders
        return None if _missing(point) else min((c for c, g in polygons.items() if g.intersects(point)), default=None)

    reach_buurt = {code: [] for code in buurten.index}  # rank 0, input order
    reach_wijk = {code: [] for code in buurten.index}  # rank 1
    covered, wijk_covered = set(), set()
    for row, (level, codes, point, kind) in enumerate(
        zip(orgs["area_level"], orgs["area_codes"], orgs.geometry, orgs["kind"])
    ):
        if level == "buurt":
            reached = {c for c in codes if c in polygons} | {point_buurt(point)} - {None}
            for code in reached:
                reach_buurt[code].append(row)
        elif level == "wijk":
            reached = {c for c, w in zip(buurten.index, buurten["wijkcode"]) if w in set(codes)}
            for code in reached:
                reach_wijk[code].append(row)
        else:
            reached = set()
        if kind in counted_kinds:
            (covered if level == "buurt" else wijk_covered).update(reached)

    in_buurt = {code: [] for code in buurten.index}
    for row, (level, codes, point, approximate) in enumerate(
        zip(places["area_level"], places["area_codes"], places.geometry, places["point_is_approximate"])
    ):
        inside = set(c for c in codes if c in polygons) if level == "buurt" else set()
        if not approximate or level == "buurt":
            inside |= {point_buurt(point)} - {None}
        for code in inside:
            in_buurt[code].append(row)

    located = [(pid, approximate, point) for pid, approximate, point in
               zip(places["id"], places["point_is_approximate"], places.geometry) if not _missing(point)]  # fmt: skip
    ids, names, place_ids = list(orgs["id"]), list(orgs["name"]), list(places["id"])
    records = []
    for code, inwoners in zip(buurten.index, buurten["inwoners"]):
        if code in covered:
            status = "gedekt"
        elif math.isnan(inwoners) or inwoners < threshold:
            status = "weinig bewoners"
        elif code in wijk_covered:
            status = "wijkniveau"
        else:
            status = "open"
        rows = reach_buurt[code] + [r for r in reach_wijk[code] if r not in reach_buurt[code]]
        nearest = min(((polygons[code].distance(p), bool(a), pid) for pid, a, p in located), default=(math.nan, False, None))
        records.append({
            "status": status,
            "organisation_ids": tuple(ids[r] for r in rows),
            "organisation_names": tuple(names[r] for r in rows),
            "meeting_place_ids": tuple(place_ids[r] for r in in_buurt[code]),
            "nearest_meeting_place_id": nearest[2],
            "nearest_meeting_place_m": nearest[0],
            "nearest_is_approximate": nearest[1],
        })  # fmt: skip
    return pd.DataFrame(records, index=buurten.index)


def reference_wijken(boundaries, statuses: pd.Series) -> dict:
    """Per wijkcode: buurten, count per status, inwoners and inwoners_open."""
    buurten = boundaries.buurten
    figures = {}
    for wijkcode in boundaries.wijken.index:
        mine = buurten.index[buurten["wijkcode"] == wijkcode]
        known = buurten.loc[mine, "inwoners"].fillna(0)
        figures[wijkcode] = {
            "buurten": len(mine),
            **{status: int((statuses[mine] == status).sum()) for status in STATUSES},
            "inwoners": round(known.sum()),
            "inwoners_open": round(known[statuses[mine] == "open"].sum()),
        }
    return figures


# --- random registries --------------------------------------------------------------------------


def random_codes(boundaries, level: str, rng) -> tuple:
    buurten, wijken = list(boundaries.buurten.index), list(boundaries.wijken.index)
    codes = []
    for _ in range(rng.integers(0, 4)):
        draw = rng.random()
        if draw < 0.08:
            codes.append(str(rng.choice(["BU03449999", "WK034499"])))  # unknown
        elif draw < 0.15:  # a code of the other level
            codes.append(buurten[rng.integers(len(buurten))] if level == "wijk" else wijken[rng.integers(len(wijken))])
        else:
            codes.append(buurten[rng.integers(len(buurten))] if level == "buurt" else wijken[rng.integers(len(wijken))])
    if codes and rng.random() < 0.1:
        codes.append(codes[0])
    return tuple(codes)


def random_frame(boundaries, n: int, entity: str, rng, shared_points=None) -> gpd.GeoDataFrame:
    points = random_test_points(boundaries.buurten, n, rng)
    if shared_points:  # several places on the same few points: ties for the nearest place
        points = [shared_points[rng.integers(len(shared_points))] if rng.random() < 0.5 else p for p in points]
    kinds = ORGANISATION_KINDS if entity == "organisation" else PLACE_KINDS
    rows = []
    for i, point in enumerate(points):
        level = str(rng.choice(["buurt", "wijk", "stad"], p=[0.6, 0.3, 0.1]))
        rows.append({
            "id": f"{entity[0]}{rng.integers(1000):03d}-{i}", "entity": entity, "name": f"Naam {i}",
            "kind": kinds[rng.integers(len(kinds))], "area_level": level,
            "area_codes": random_codes(boundaries, level, rng) if level != "stad" else (),
            "location_precision": "adres", "point_is_approximate": bool(rng.random() < 0.3),
            "buurtcode": None, "geometry": point,
        })  # fmt: skip
    columns = ["id", "entity", "name", "kind", "area_level", "area_codes", "location_precision",
               "point_is_approximate", "buurtcode", "geometry"]  # fmt: skip
    frame = pd.DataFrame(rows, columns=columns).astype({"point_is_approximate": bool})
    return gpd.GeoDataFrame(frame, geometry="geometry", crs=RD_NEW)


@pytest.mark.parametrize("seed", range(12))
def test_random_registries_match_the_reference(seed, make_boundary_folder, real_boundaries):
    from samen030_map.core.boundaries import load_boundaries

    rng = np.random.default_rng(seed)
    if seed % 3 == 0:
        boundaries = load_boundaries(make_boundary_folder(inwoners={"BU03440202": 100, "BU03440102": -99997}))
    else:
        boundaries = real_boundaries
    shared = [p for p in random_test_points(boundaries.buurten, 3, rng) if p is not None and not p.is_empty]
    organisations = random_frame(boundaries, int(rng.choice([0, 5, 60])), "organisation", rng)
    places = random_frame(boundaries, int(rng.choice([0, 1, 30])), "meeting_place", rng, shared)
    if seed % 4 == 1:
        organisations, places = organisations.to_crs(WGS84), places.to_crs(WGS84)
    if seed % 4 == 2 and len(organisations):
        organisations = organisations.iloc[::2].set_axis(np.zeros(len(organisations.iloc[::2]), int))  # filtered, one label
    counted = set(rng.choice(ORGANISATION_KINDS, 4)) if seed % 5 == 4 else buurt_organisation_kinds()
    threshold = float(rng.choice([0, 1000, 5000])) if seed % 2 else low_population_threshold()

    result = analyse_coverage(boundaries, organisations, places, counted, threshold)
    expected = reference_buurten(boundaries, organisations, places, counted, threshold)

    assert list(result.buurten.columns) == list(BUURT_COLUMNS)
    for column in expected.columns:  # distances too: both are GEOS's distance, so exactly equal
        np.testing.assert_array_equal(result.buurten[column].to_numpy(), expected[column].to_numpy(), err_msg=column)
    wijken = reference_wijken(boundaries, result.buurten["status"])
    for wijkcode, figures in wijken.items():
        assert result.wijken.loc[wijkcode, list(figures)].tolist() == list(figures.values()), wijkcode
    assert {s: result.city[s] for s in STATUSES} == {s: int((result.buurten["status"] == s).sum()) for s in STATUSES}
    assert result.city["inwoners_open"] == sum(w["inwoners_open"] for w in wijken.values())


def test_result_dtypes(real_boundaries):
    """The columns keep their types (text, tuples, numbers) whatever the input."""
    organisations = random_frame(real_boundaries, 20, "organisation", np.random.default_rng(1))
    places = random_frame(real_boundaries, 10, "meeting_place", np.random.default_rng(2))
    for orgs, plcs in ((organisations, places), (organisations.iloc[:0], places.iloc[:0])):
        result = analyse_coverage(real_boundaries, orgs, plcs)
        dtypes = result.buurten.dtypes.astype(str).to_dict()
        assert dtypes == {
            "buurtcode": "str", "buurtnaam": "str", "wijkcode": "str", "wijknaam": "str", "status": "str",
            "organisation_ids": "object", "organisation_names": "object", "meeting_place_ids": "object",
            "nearest_meeting_place_id": "object", "nearest_meeting_place_m": "float64", "nearest_is_approximate": "bool",
            "inwoners": "float64", "pct_0_15": "float64", "pct_65_plus": "float64", "huishoudens": "float64",
            "pct_eenpersoons": "float64",
        }  # fmt: skip
        counts = ["buurten", *STATUSES, "inwoners", "inwoners_open"]
        assert (result.wijken[counts].dtypes == "int64").all()
        assert (result.wijken[[f"share_{s}" for s in STATUSES]].dtypes == "float64").all()
        assert all(type(value) in (int, float) for value in result.city.values())
