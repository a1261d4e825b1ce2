"""points_to_buurten: one buurt per point, lowest code on shared borders, None outside."""

from __future__ import annotations

from collections import Counter

import geopandas as gpd
import pytest
import shapely
from shapely.geometry import Point

from samen030_map.core.geo import RD_NEW, WGS84, points_to_buurten

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
