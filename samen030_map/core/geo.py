"""CRS constants and spatial helpers shared by the core.

Analysis happens in RD New (EPSG:28992, metres); browsers and GeoJSON files use WGS84 (EPSG:4326).

Finding the buurt of a point goes through a BuurtLookup: an STRtree over prepared copies of the
buurt polygons, built once per buurten frame and cached (see ``buurt_lookup``), so that a lookup
costs the query only, not the spatial index and the polygon preparation.
"""

from __future__ import annotations

import operator
import weakref
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

RD_NEW = "EPSG:28992"
WGS84 = "EPSG:4326"


class OutsideUtrechtError(ValueError):
    """A location that should lie in the municipality of Utrecht lies outside all its buurten."""


@dataclass(frozen=True, eq=False)
class BuurtLookup:
    """Point-in-buurt lookup derived from one buurten frame; build it with ``buurt_lookup``.

    crs: the frame's CRS (EPSG:28992 for Boundaries.buurten); every array is in the frame's row
    order. source: the frame's own geometries (to notice a frame changed in place); codes: buurtcode
    per row (object array); polygons: prepared copies of the geometries (the caller's stay
    untouched); tree: STRtree over ``polygons``; rank: each row's place when the rows are sorted by
    buurtcode (the tie rule: a point in several buurten goes to the lowest code); by_rank: the rows
    in that order, so ``by_rank[rank[row]] == row``.
    """

    crs: object
    source: np.ndarray
    codes: np.ndarray
    polygons: np.ndarray
    tree: shapely.STRtree
    rank: np.ndarray
    by_rank: np.ndarray

    def describes(self, buurten_rd: gpd.GeoDataFrame) -> bool:
        """True when ``buurten_rd`` still has the CRS, geometries and codes this was built from."""
        geometries = buurten_rd.geometry.array
        return (
            geometries.crs is self.crs
            and len(geometries) == len(self.source)
            and all(map(operator.is_, np.asarray(geometries), self.source))
            and bool((buurten_rd["buurtcode"].to_numpy(dtype=object) == self.codes).all())
        )


# id(buurten frame) -> (weak reference to the frame, its lookup). An entry goes when its frame does.
_LOOKUPS: dict[int, tuple[weakref.ref, BuurtLookup]] = {}


def buurt_lookup(buurten_rd: gpd.GeoDataFrame) -> BuurtLookup:
    """The BuurtLookup of ``buurten_rd`` (a frame with ``buurtcode`` and polygons), cached per frame.

    The cache holds the frame weakly and is keyed on the frame object: another frame, even with
    equal content, gets its own lookup. A frame whose CRS, geometries or codes were replaced in
    place since its lookup was built gets a fresh one.
    """
    key = id(buurten_rd)
    cached = _LOOKUPS.get(key)
    if cached is not None and cached[0]() is buurten_rd and cached[1].describes(buurten_rd):
        return cached[1]
    lookup = _build_lookup(buurten_rd)

    def forget(reference: weakref.ref, key: int = key) -> None:
        if _LOOKUPS.get(key, (None,))[0] is reference:
            del _LOOKUPS[key]

    _LOOKUPS[key] = (weakref.ref(buurten_rd, forget), lookup)
    return lookup


def _build_lookup(buurten_rd: gpd.GeoDataFrame) -> BuurtLookup:
    """A new BuurtLookup for ``buurten_rd``: copies and prepares the polygons, builds the tree."""
    geometries = buurten_rd.geometry.array
    source = np.asarray(geometries, dtype=object).copy()
    polygons = shapely.from_wkb(shapely.to_wkb(source))  # exact copies, prepared below
    shapely.prepare(polygons)
    codes = buurten_rd["buurtcode"].to_numpy(dtype=object)
    by_rank = np.argsort(codes, kind="stable")
    rank = np.empty(len(codes), dtype=np.intp)
    rank[by_rank] = np.arange(len(codes))
    return BuurtLookup(
        crs=geometries.crs, source=source, codes=codes, polygons=polygons,
        tree=shapely.STRtree(polygons), rank=rank, by_rank=by_rank,
    )  # fmt: skip


def geometries_in(geometries, crs) -> np.ndarray:
    """The geometries reprojected to ``crs`` (untouched when already in it), as an object array.

    In: a GeoSeries or GeometryArray with a CRS; None and empty geometries stay None and empty.
    """
    if geometries.crs is None:
        raise ValueError("points have no CRS; set one before assigning buurten")
    return np.asarray(geometries.to_crs(crs), dtype=object)


def buurt_rows(geometries: np.ndarray, lookup: BuurtLookup) -> np.ndarray:
    """For each geometry the row (position) of the buurt it lies in, -1 outside every buurt.

    In: an object array of geometries in ``lookup.crs`` (None and empty allowed: -1). "Lies in"
    is ``intersects``: a point on a border shared by several buurten gets the row with the lowest
    buurtcode. Out: an intp array, one row per geometry.
    """
    found, rows = lookup.tree.query(geometries)  # bounding boxes only
    inside = shapely.intersects(lookup.polygons[rows], geometries[found])  # prepared polygons
    outside = len(lookup.rank)  # one past the highest rank
    lowest = np.full(len(geometries), outside, dtype=np.intp)
    np.minimum.at(lowest, found[inside], lookup.rank[rows[inside]])
    return np.append(lookup.by_rank, -1)[lowest]  # rank -> row; ``outside`` -> -1


def points_to_buurten(points: gpd.GeoDataFrame, buurten_rd: gpd.GeoDataFrame) -> pd.Series:
    """The buurtcode each point lies in, index-aligned with ``points``.

    In: ``points`` in any CRS (reprojected to the CRS of ``buurten_rd`` for the join; None or empty
    geometries are allowed), ``buurten_rd`` in EPSG:28992 with a ``buurtcode`` column.
    Out: object Series of buurtcode or None (outside every buurt, or no geometry). A point on a
    border shared by several buurten gets the lowest buurtcode, so every point gets at most one.
    """
    lookup = buurt_lookup(buurten_rd)
    rows = buurt_rows(geometries_in(points.geometry.array, lookup.crs), lookup)
    codes = np.append(lookup.codes, None)[rows]  # row -1 -> None
    return pd.Series(codes, index=points.index, dtype=object)
