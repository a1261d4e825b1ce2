"""points_to_buurten: one buurt per point, lowest code on shared borders, None outside; its cached lookup."""

from __future__ import annotations

import gc
import weakref
from collections import Counter

import geopandas as gpd
import numpy as np
import pytest
import shapely
from shapely.geometry import Point

from samen030_map.core import geo
from samen030_map.core.boundaries import load_boundaries
from samen030_map.core.geo import RD_NEW, WGS84, buurt_lookup, points_to_buurten

X0, Y0 = 134000.0, 454000.0  # south-west corner of the tiny layout (see conftest)


def rd_points(coordinates, index=None) -> gpd.GeoDataFrame:
    geometries = [Point(xy) if xy is not None else None for xy in coordinates]
    return gpd.GeoDataFrame(geometry=geometries, index=index, crs=RD_NEW)


def test_points_inside_get_their_buurt(tiny_boundaries):
    points = rd_points([(X0 + 500, Y0 + 500), (X0 + 500, Y0 + 1500), (X0 + 1500, Y0 + 500), (X0 + 1500, Y0 + 1500)])
    codes = points_to_buurten(points, tiny_boundaries.buurten)
    assert codes.tolist() == ["BU03440101", "BU03440102", "BU03440201", "BU03440202"]


def test_point_outside_gets_none(tiny_boundaries):
    codes = points_to_buurten(rd_points([(X0 - 10, Y0 + 500), (X0 + 3000, Y0 + 3000)]), tiny_boundaries.buurten)
    assert codes.tolist() == [None, None]


def test_point_on_a_shared_border_gets_exactly_the_lowest_buurt(tiny_boundaries):
    buurten = tiny_boundaries.buurten
    # The middle of the border between BU03440101 and BU03440201 is a vertex of both squares.
    west = {tuple(c) for c in shapely.get_coordinates(buurten.geometry["BU03440101"])}
    east = {tuple(c) for c in shapely.get_coordinates(buurten.geometry["BU03440201"])}
    shared = sorted(west & east)
    assert shared, "the fixture squares should share vertices"
    border_point = min(shared, key=lambda c: abs(c[1] - (Y0 + 500)))
    points = rd_points([border_point])
    assert len(gpd.sjoin(points, buurten, predicate="intersects")) == 2  # really on the border
    assert points_to_buurten(points, buurten).tolist() == ["BU03440101"]


def test_point_on_the_corner_of_four_buurten_gets_the_lowest(tiny_boundaries):
    buurten = tiny_boundaries.buurten
    corner_sets = [{tuple(c) for c in shapely.get_coordinates(g)} for g in buurten.geometry]
    corner = set.intersection(*corner_sets)
    assert len(corner) == 1
    points = rd_points(list(corner))
    assert len(gpd.sjoin(points, buurten, predicate="intersects")) == 4
    assert points_to_buurten(points, buurten).tolist() == ["BU03440101"]


def test_point_on_a_real_shared_border(real_boundaries):
    buurten = real_boundaries.buurten
    owners: dict[tuple, set] = {}
    for code, geometry in buurten.geometry.items():
        for xy in map(tuple, shapely.get_coordinates(geometry)):
            owners.setdefault(xy, set()).add(code)
    xy, codes = next((xy, codes) for xy, codes in sorted(owners.items()) if len(codes) == 2)
    points = rd_points([xy])
    assert set(gpd.sjoin(points, buurten, predicate="intersects")["buurtcode"]) == codes
    assert points_to_buurten(points, buurten).tolist() == [min(codes)]


def test_index_is_kept_even_when_not_unique_and_other_crs_and_missing_geometry(tiny_boundaries):
    rd = rd_points([(X0 + 1500, Y0 + 500), None, (X0 + 500, Y0 + 500), (X0 - 5000, Y0)], index=["b", "b", "a", "z"])
    lonlat = rd.to_crs(WGS84)
    lonlat.loc[lonlat.index == "z", "geometry"] = Point()  # an empty point
    codes = points_to_buurten(lonlat, tiny_boundaries.buurten)
    assert codes.index.tolist() == ["b", "b", "a", "z"]
    assert codes.tolist() == ["BU03440201", None, "BU03440101", None]


def test_many_points_on_real_data_each_get_one_buurt(real_boundaries):
    buurten = real_boundaries.buurten
    inside = buurten.geometry.representative_point()
    points = gpd.GeoDataFrame(geometry=inside.to_numpy(), crs=RD_NEW)
    codes = points_to_buurten(points, buurten)
    assert codes.tolist() == buurten.index.tolist()
    assert Counter(codes.tolist()).most_common(1)[0][1] == 1


def test_points_without_crs_are_refused(tiny_boundaries):
    with pytest.raises(ValueError, match="CRS"):
        points_to_buurten(gpd.GeoDataFrame(geometry=[Point(X0, Y0)]), tiny_boundaries.buurten)


# --- the cached BuurtLookup -----------------------------------------------------------------


def plain_buurt(point, buurten: gpd.GeoDataFrame):
    """The reference: the lowest buurtcode whose polygon intersects the point, by a plain loop."""
    if point is None or point.is_empty:
        return None
    return min((code for code, polygon in zip(buurten["buurtcode"], buurten.geometry) if polygon.intersects(point)), default=None)


def random_test_points(buurten: gpd.GeoDataFrame, n: int, rng: np.random.Generator) -> list:
    """Points inside and around the buurten (EPSG:28992): uniform in a box around them, on vertices
    shared by several buurten, on outer vertices, far outside, None and empty."""
    owners: dict[tuple, int] = Counter()
    for geometry in buurten.geometry:
        owners.update(set(map(tuple, shapely.get_coordinates(geometry))))
    shared = [xy for xy, count in owners.items() if count > 1]
    single = [xy for xy, count in owners.items() if count == 1]
    west, south, east, north = buurten.total_bounds
    points = []
    for _ in range(n):
        draw = rng.random()
        if draw < 0.05:
            points.append(None)
        elif draw < 0.1:
            points.append(Point())
        elif draw < 0.3:
            points.append(Point(shared[rng.integers(len(shared))]))
        elif draw < 0.4:
            points.append(Point(single[rng.integers(len(single))]))
        elif draw < 0.45:
            points.append(Point(west - rng.uniform(10, 5000), rng.uniform(south, north)))
        else:
            points.append(Point(rng.uniform(west - 300, east + 300), rng.uniform(south - 300, north + 300)))
    return points


@pytest.mark.parametrize("layout", ["tiny", "real"])
def test_random_points_match_a_plain_loop(layout, tiny_boundaries, real_boundaries):
    buurten = (tiny_boundaries if layout == "tiny" else real_boundaries).buurten
    points = random_test_points(buurten, 400, np.random.default_rng(30))
    expected = [plain_buurt(point, buurten) for point in points]
    assert {code for code in expected if code} and None in expected  # inside, outside and missing all drawn
    rd = gpd.GeoDataFrame(geometry=points, crs=RD_NEW)
    assert points_to_buurten(rd, buurten).tolist() == expected
    # Through WGS84 the points move by the reprojection; the loop gets the same reprojected points.
    lonlat = rd.to_crs(WGS84)
    back = lonlat.geometry.to_crs(RD_NEW)
    assert points_to_buurten(lonlat, buurten).tolist() == [plain_buurt(point, buurten) for point in back]


def test_the_lookup_is_built_once_per_frame(real_boundaries):
    buurten = real_boundaries.buurten
    assert buurt_lookup(buurten) is buurt_lookup(buurten)
    assert buurt_lookup(buurten.copy()) is not buurt_lookup(buurten)  # equal content, other frame


def test_boundaries_do_not_share_a_lookup(make_boundary_folder):
    def swap_first_two(buurten, wijken):  # BU03440101 and BU03440102 trade squares
        first, second = buurten["features"][0], buurten["features"][1]
        first["geometry"], second["geometry"] = second["geometry"], first["geometry"]

    plain, swapped = load_boundaries(make_boundary_folder()), load_boundaries(make_boundary_folder(swap_first_two))
    points = rd_points([(X0 + 500, Y0 + 500), (X0 + 500, Y0 + 1500)])
    for _ in range(2):  # alternating, so each call finds the other's lookup cached
        assert points_to_buurten(points, plain.buurten).tolist() == ["BU03440101", "BU03440102"]
        assert points_to_buurten(points, swapped.buurten).tolist() == ["BU03440102", "BU03440101"]


def test_a_frame_changed_in_place_gets_a_fresh_lookup(tiny_boundaries):
    buurten = tiny_boundaries.buurten.copy()
    point = rd_points([(X0 + 500, Y0 + 500)])
    assert points_to_buurten(point, buurten).tolist() == ["BU03440101"]
    buurten.loc["BU03440101", "geometry"] = shapely.box(X0 + 3000, Y0, X0 + 4000, Y0 + 1000)
    assert points_to_buurten(point, buurten).tolist() == [None]
    buurten.loc["BU03440101", "buurtcode"] = "BU03440100"  # a code changed in place
    assert points_to_buurten(rd_points([(X0 + 3500, Y0 + 500)]), buurten).tolist() == ["BU03440100"]


def test_the_lookup_leaves_the_frame_alone_and_goes_with_it(tiny_boundaries):
    buurten = tiny_boundaries.buurten.copy()
    lookup = buurt_lookup(buurten)
    assert not shapely.is_prepared(buurten.geometry.to_numpy()).any()  # the lookup prepared copies
    assert shapely.is_prepared(lookup.polygons).all()
    frame_alive, key = weakref.ref(buurten), id(buurten)
    assert geo._LOOKUPS[key][1] is lookup
    del buurten
    gc.collect()
    assert frame_alive() is None  # the cache does not keep the frame alive ...
    assert key not in geo._LOOKUPS  # ... and forgets its lookup


@pytest.mark.parametrize("layout", ["tiny", "real"])
def test_interior_cells_hold_what_they_claim(layout, tiny_boundaries, real_boundaries):
    """A cell with an owner lies (grown by the margin) inside that buurt and touches no other; an
    OUTSIDE cell touches none. Checked on a sample of cells against the polygons themselves."""
    buurten = (tiny_boundaries if layout == "tiny" else real_boundaries).buurten
    cells = buurt_lookup(buurten).cells
    assert (cells.owner >= 0).any() and (cells.owner == geo.OUTSIDE).any() and (cells.owner == geo.TEST).any()
    rng = np.random.default_rng(11)
    sample = rng.choice(len(cells.owner), size=min(400, len(cells.owner)), replace=False)
    polygons = buurten.geometry.to_numpy()
    for cell in sample:
        row, column = divmod(int(cell), cells.columns)
        x0, y0, m = cells.west + column * cells.size, cells.south + row * cells.size, geo.CELL_MARGIN_M
        grown = shapely.box(x0 - m, y0 - m, x0 + cells.size + m, y0 + cells.size + m)
        touching = set(np.flatnonzero(shapely.intersects(polygons, grown)))
        owner = cells.owner[cell]
        if owner >= 0:
            assert shapely.contains_properly(polygons[owner], grown) and touching == {owner}
        elif owner == geo.OUTSIDE:
            assert not touching
