"""CRS constants and spatial helpers shared by the core.

Analysis happens in RD New (EPSG:28992, metres); browsers and GeoJSON files use WGS84 (EPSG:4326).

Finding the buurt of a point goes through a BuurtLookup, built once per buurten frame and cached
(see ``buurt_lookup``): a grid of cells that know which buurt they lie in (InteriorCells) answers
for most points at once; the rest are tested against prepared copies of the buurt polygons found
through an STRtree.
"""

from __future__ import annotations

import dataclasses
import math
import operator
import weakref
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

RD_NEW = "EPSG:28992"
WGS84 = "EPSG:4326"
WEB_MERCATOR = "EPSG:3857"  # what Leaflet draws in (the static first-paint map uses it too)

# InteriorCells: the finest cells are CELL_M wide, the coarsest CELL_M * 2**CELL_LEVELS (400 m).
# With 50 m cells about 6 in 7 points in Utrecht need no polygon test; building the cells for
# Utrecht's 111 buurten takes some 60-100 ms, once per buurten frame.
CELL_M = 50.0
CELL_LEVELS = 3
CELL_MARGIN_M = 1.0  # a cell counts as free of borders only with this much room on every side
TEST, OUTSIDE = -1, -2  # InteriorCells.owner values besides a buurt row


class OutsideUtrechtError(ValueError):
    """A location that should lie in the municipality of Utrecht lies outside all its buurten."""


@dataclass(frozen=True, eq=False)
class InteriorCells:
    """A grid of square cells over the buurten, with per cell what every point in it lies in.

    owner per cell, row after row from the south-west: a buurt row when no border passes through
    the cell and the cell lies in that buurt (and in no buurt with a lower code); OUTSIDE when no
    border passes and it lies in no buurt; TEST when a border passes, so that a point in it has to
    be tested against the polygons. "A border passes" is decided on the cell grown by
    CELL_MARGIN_M, so rounding in finding a point's cell cannot matter. Coordinates in the
    buurten's CRS (metres): west, south the grid's lower-left corner, size the cell side, columns
    and rows the grid's shape. Built by _interior_cells.
    """

    west: float
    south: float
    size: float
    columns: int
    rows: int
    owner: np.ndarray

    def owners(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Per coordinate pair the owner of its cell; TEST off the grid."""
        column = np.floor((x - self.west) / self.size)
        row = np.floor((y - self.south) / self.size)
        on_grid = (column >= 0) & (column < self.columns) & (row >= 0) & (row < self.rows)
        cell = np.where(on_grid, row * self.columns + column, 0).astype(np.intp)
        return np.where(on_grid, self.owner[cell], TEST)


@dataclass(frozen=True, eq=False)
class BuurtLookup:
    """Point-in-buurt lookup derived from one buurten frame; build it with ``buurt_lookup``.

    crs: the frame's CRS (EPSG:28992 for Boundaries.buurten); every array is in the frame's row
    order. source: the frame's own geometries (to notice a frame changed in place); codes: buurtcode
    per row (object array); polygons: prepared copies of the geometries (the caller's stay
    untouched); tree: STRtree over ``polygons``; cells: their InteriorCells; rank: each
    row's place when the rows are sorted by buurtcode (the tie rule: a point in several buurten goes
    to the lowest code); by_rank: the rows in that order, so ``by_rank[rank[row]] == row``.
    """

    crs: object
    source: np.ndarray
    codes: np.ndarray
    polygons: np.ndarray
    tree: shapely.STRtree
    cells: InteriorCells | None  # None only while the lookup is being built
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
    """A new BuurtLookup for ``buurten_rd``: copies and prepares the polygons, builds the tree,
    then works out the interior cells with the lookup's own polygon test."""
    geometries = buurten_rd.geometry.array
    source = np.asarray(geometries, dtype=object).copy()
    polygons = shapely.from_wkb(shapely.to_wkb(source))  # exact copies, prepared below
    shapely.prepare(polygons)
    codes = buurten_rd["buurtcode"].to_numpy(dtype=object)
    by_rank = np.argsort(codes, kind="stable")
    rank = np.empty(len(codes), dtype=np.intp)
    rank[by_rank] = np.arange(len(codes))
    without_cells = BuurtLookup(
        crs=geometries.crs, source=source, codes=codes, polygons=polygons, tree=shapely.STRtree(polygons),
        cells=None, rank=rank, by_rank=by_rank,
    )  # fmt: skip
    return dataclasses.replace(without_cells, cells=_interior_cells(without_cells))


def _interior_cells(lookup: BuurtLookup) -> InteriorCells:
    """The InteriorCells of the lookup's polygons, coarse to fine: cells of CELL_M * 2**CELL_LEVELS
    first; a cell a border passes through is split into four, CELL_LEVELS times. A cell without
    a border keeps its owner for all its quarters (they lie within it, margin included)."""
    west, south, east, north = shapely.total_bounds(lookup.polygons)
    size = CELL_M * 2**CELL_LEVELS
    rows, columns = max(1, math.ceil((north - south) / size)), max(1, math.ceil((east - west) / size))
    borders = shapely.STRtree(_border_segments(lookup.polygons))
    owner = _cell_owners(lookup, borders, west, south, size, *(i.ravel() for i in np.indices((rows, columns))))
    owner = owner.reshape(rows, columns)
    for _ in range(CELL_LEVELS):
        size /= 2
        owner = owner.repeat(2, axis=0).repeat(2, axis=1)
        row, column = np.nonzero(owner == TEST)
        owner[row, column] = _cell_owners(lookup, borders, west, south, size, row, column)
    rows, columns = owner.shape
    return InteriorCells(west=west, south=south, size=size, columns=columns, rows=rows, owner=owner.ravel())


def _cell_owners(
    lookup: BuurtLookup, borders: shapely.STRtree, west: float, south: float, size: float,
    row: np.ndarray, column: np.ndarray,
) -> np.ndarray:  # fmt: skip
    """InteriorCells owners of the cells at (``row``, ``column``) of a grid of ``size`` m from
    (west, south); ``borders`` is an STRtree of the polygons' border segments. A cell without a
    border lies wholly inside or outside each buurt, so its centre decides which."""
    x0, y0 = west + column * size, south + row * size
    m = CELL_MARGIN_M
    crossed = np.zeros(len(x0), dtype=bool)
    grown = shapely.box(x0 - m, y0 - m, x0 + size + m, y0 + size + m)
    crossed[borders.query(grown, predicate="intersects")[0]] = True
    owner = np.full(len(x0), TEST, dtype=np.intp)
    free = np.flatnonzero(~crossed)
    centre = _lowest_code_rows(shapely.points(x0[free] + size / 2, y0[free] + size / 2), lookup)
    owner[free] = np.where(centre >= 0, centre, OUTSIDE)
    return owner


def _border_segments(polygons: np.ndarray) -> np.ndarray:
    """Every segment of every ring (outer and holes) of the polygons, as two-point linestrings."""
    rings = shapely.get_rings(shapely.get_parts(polygons))
    coordinates, ring = shapely.get_coordinates(rings, return_index=True)
    within_ring = ring[1:] == ring[:-1]
    return shapely.linestrings(np.stack([coordinates[:-1][within_ring], coordinates[1:][within_ring]], axis=1))


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
    buurtcode. Points in an interior cell get its owner; the rest are tested against the polygons.
    Out: an intp array, one row per geometry.
    """
    rows = np.full(len(geometries), -1, dtype=np.intp)
    xy, at = shapely.get_coordinates(geometries, return_index=True)
    point = (np.bincount(at, minlength=len(geometries)) == 1)[at]  # a point (or a one-point collection)
    owner = lookup.cells.owners(xy[point, 0], xy[point, 1])
    rows[at[point]] = np.where(owner == OUTSIDE, -1, owner)
    tested = np.ones(len(geometries), dtype=bool)
    tested[at[point][owner != TEST]] = False
    tested = np.flatnonzero(tested)  # no point (None, empty, lines ...), off the grid, or near a border
    rows[tested] = _lowest_code_rows(geometries[tested], lookup)
    return rows


def _lowest_code_rows(geometries: np.ndarray, lookup: BuurtLookup) -> np.ndarray:
    """buurt_rows by polygon tests only: of all buurten a geometry intersects, the row with the
    lowest buurtcode; -1 for none."""
    found, rows = lookup.tree.query(geometries)  # bounding boxes first
    inside = shapely.intersects(lookup.polygons[rows], geometries[found])  # then the prepared polygons
    found, rows = found[inside], rows[inside]
    outside = len(lookup.rank)  # one past the highest rank
    lowest = np.full(len(geometries), outside, dtype=np.intp)
    np.minimum.at(lowest, found, lookup.rank[rows])
    return np.append(lookup.by_rank, -1)[lowest]  # rank -> row; ``outside`` -> -1


def points_to_buurten(points: gpd.GeoDataFrame | gpd.GeoSeries, buurten_rd: gpd.GeoDataFrame) -> pd.Series:
    """The buurtcode each point lies in, index-aligned with ``points``.

    In: ``points`` (GeoDataFrame or GeoSeries) in any CRS (reprojected to the CRS of ``buurten_rd``
    for the lookup; None or empty geometries are allowed), ``buurten_rd`` in EPSG:28992 with a
    ``buurtcode`` column.
    Out: object Series of buurtcode or None (outside every buurt, or no geometry). A point on a
    border shared by several buurten gets the lowest buurtcode, so every point gets at most one.
    """
    lookup = buurt_lookup(buurten_rd)
    rows = buurt_rows(geometries_in(points.geometry.array, lookup.crs), lookup)
    codes = np.append(lookup.codes, None)[rows]  # row -1 -> None
    return pd.Series(codes, index=points.index, dtype=object)
