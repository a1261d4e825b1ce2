"""CRS constants and spatial helpers shared by the core.

Analysis happens in RD New (EPSG:28992, metres); browsers and GeoJSON files use WGS84 (EPSG:4326).
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

RD_NEW = "EPSG:28992"
WGS84 = "EPSG:4326"


class OutsideUtrechtError(ValueError):
    """A location that should lie in the municipality of Utrecht lies outside all its buurten."""


def points_to_buurten(points: gpd.GeoDataFrame, buurten_rd: gpd.GeoDataFrame) -> pd.Series:
    """The buurtcode each point lies in, index-aligned with ``points``.

    In: ``points`` in any CRS (reprojected to the CRS of ``buurten_rd`` for the join; None or empty
    geometries are allowed), ``buurten_rd`` in EPSG:28992 with a ``buurtcode`` column.
    Out: object Series of buurtcode or None (outside every buurt, or no geometry). A point on a
    border shared by several buurten gets the lowest buurtcode, so every point gets at most one.
    """
    if points.crs is None:
        raise ValueError("points have no CRS; set one before assigning buurten")
    # Join on positions: the caller's index may be non-unique.
    located = gpd.GeoDataFrame(geometry=points.geometry.to_crs(buurten_rd.crs).to_numpy(), crs=buurten_rd.crs)
    # Buurten on the left: the spatial index is then built on the points and each buurt polygon is
    # prepared once, several times faster than testing every point against the polygons.
    # Sorted by code, so the left index is the code's rank and ties resolve on integers.
    ordered = buurten_rd[["buurtcode", "geometry"]].sort_values("buurtcode").reset_index(drop=True)
    pairs = gpd.sjoin(ordered, located, how="inner", predicate="intersects")
    first = pairs.sort_index(kind="stable").drop_duplicates("index_right")  # lowest code per point
    codes = pd.Series([None] * len(points), dtype=object)
    codes.iloc[first["index_right"].to_numpy()] = first["buurtcode"].to_numpy(dtype=object)
    codes.index = points.index
    return codes
