"""Coverage rules: which buurten have a resident-run organisation, and which are open.

The rules live in one place, ``_status``:

1. gedekt          a counted-kind organisation works on the buurt: its werkgebied (area_level
                   buurt) lists the buurt, or it has area_level buurt and its display point
                   (exact or approximate) lies in the buurt.
2. weinig bewoners otherwise, if the buurt has fewer inhabitants than the threshold or CBS
                   withheld the number (NaN).
3. wijkniveau      otherwise, if a counted-kind organisation works on the buurt's wijk (area_level wijk).
4. open            otherwise.

Organisations with area_level stad never cover a buurt: the city cooperative is the fallback, not
coverage. Everything is computed in EPSG:28992 on arrays of integer positions (see "Links" below):
werkgebied codes are looked up once per distinct value, display points through the buurten's
cached BuurtLookup (geo.buurt_lookup), the nearest meeting place with an STRtree of the places,
measuring only the places that can be nearest.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import chain
from typing import NamedTuple

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from samen030_map.core.boundaries import Boundaries
from samen030_map.core import config
from samen030_map.core.geo import BuurtLookup, buurt_lookup, buurt_rows, geometries_in

STATUSES = ("gedekt", "wijkniveau", "weinig bewoners", "open")
# Inside the analysis a status is its position in STATUSES; STATUS_NAMES turns positions into names.
GEDEKT, WIJKNIVEAU, WEINIG_BEWONERS, OPEN = range(len(STATUSES))
STATUS_NAMES = np.array(STATUSES, dtype=object)
# Far more than the rounding error of a distance in metres at Utrecht's RD coordinates (~1e-10 m).
HAIR_M = 1e-6

REQUIRED_COLUMNS = ("id", "name", "kind", "area_level", "area_codes", "point_is_approximate")
BUURT_COLUMNS = (
    "buurtcode", "buurtnaam", "wijkcode", "wijknaam", "status",
    "organisation_ids", "organisation_names", "meeting_place_ids",
    "nearest_meeting_place_id", "nearest_meeting_place_m", "nearest_is_approximate",
    "inwoners", "pct_0_15", "pct_65_plus", "huishoudens", "pct_eenpersoons",
)  # fmt: skip


@dataclass
class CoverageResult:
    """Coverage per buurt, per wijk and for the whole city.

    buurten: DataFrame, index = buurtcode values, columns BUURT_COLUMNS. organisation_ids/names list
        every organisation (any kind, stad level excluded) whose werkgebied reaches the buurt, buurt
        level before wijk level, then in input order; meeting_place_ids the places in the buurt.
        nearest_meeting_place_m is the distance in metres from the buurt polygon (0 when inside), NaN
        when there are no meeting places.
    wijken: DataFrame, index = wijkcode values, columns wijkcode, wijknaam, buurten (count), one
        count column per status (named as the status), ``share_<status>`` (fraction 0..1),
        inwoners and inwoners_open (inhabitants, unknowns left out of the sum).
    city: the same figures as the wijken columns, for all of Utrecht, as plain Python numbers.
    """

    buurten: pd.DataFrame
    wijken: pd.DataFrame
    city: dict


def analyse_coverage(
    boundaries: Boundaries,
    organisations: gpd.GeoDataFrame,
    meeting_places: gpd.GeoDataFrame,
    counted_kinds: Iterable[str] | None = None,
    low_population_threshold: float | None = None,
) -> CoverageResult:
    """Coverage status of every buurt, with per-wijk and city aggregates.

    In: boundaries (EPSG:28992); organisations and meeting_places shaped like
    registry.entries_frame (id, name, kind, area_level, area_codes tuple, point_is_approximate and
    an active geometry column holding the display point, possibly None/empty), in any CRS; their
    points are reprojected to the buurten's CRS for the joins. Out: CoverageResult (no geometry).
    counted_kinds and low_population_threshold default to the settings in core.config.
    """
    if counted_kinds is None:
        counted_kinds = config.buurt_organisation_kinds()
    if low_population_threshold is None:
        low_population_threshold = config.low_population_threshold()
    _check_columns(organisations, "organisations")
    _check_columns(meeting_places, "meeting_places")
    buurten = boundaries.buurten
    lookup = buurt_lookup(buurten)  # cached per buurten frame
    n = len(buurten)
    inwoners = buurten["inwoners"].to_numpy(dtype=float)

    organisation_links = _organisation_links(organisations, buurten, lookup)
    counted = organisations["kind"].isin(frozenset(counted_kinds)).to_numpy()[organisation_links.entry]
    by_buurt_level = organisation_links.rank == 0
    status = _status(
        inwoners,
        covered=_flags(organisation_links.buurt[counted & by_buurt_level], n),
        wijk_covered=_flags(organisation_links.buurt[counted & ~by_buurt_level], n),
        threshold=low_population_threshold,
    )
    place_links = _meeting_place_links(meeting_places, buurten, lookup)
    nearest_id, nearest_m, nearest_is_approximate = _nearest_meeting_places(meeting_places, lookup)

    result = _buurt_table(
        buurten,
        {
            "status": (STATUS_NAMES[status], "str"),
            "organisation_ids": (_gather(organisation_links, organisations["id"], n), object),
            "organisation_names": (_gather(organisation_links, organisations["name"], n), object),
            "meeting_place_ids": (_gather(place_links, meeting_places["id"], n), object),
            "nearest_meeting_place_id": (nearest_id, object),
            "nearest_meeting_place_m": (nearest_m, float),
            "nearest_is_approximate": (nearest_is_approximate, bool),
        },
    )
    wijk_rows = boundaries.wijken.index.get_indexer(buurten["wijkcode"])
    return CoverageResult(
        buurten=result,
        wijken=_wijk_summary(boundaries.wijken, wijk_rows, status, inwoners),
        city=_city_summary(status, inwoners),
    )


def _check_columns(frame: gpd.GeoDataFrame, name: str) -> None:
    """Fail early, with the missing column names, on input of the wrong shape."""
    missing = [column for column in REQUIRED_COLUMNS if column not in frame.columns]
    if missing:
        raise ValueError(f"{name} lacks columns {missing}")


def _status(inwoners: np.ndarray, covered: np.ndarray, wijk_covered: np.ndarray, threshold: float) -> np.ndarray:
    """The coverage rules, in order of precedence (see the module docstring); arrays per buurt.

    Out: per buurt the position of its status in STATUSES (STATUS_NAMES[out] gives the names).
    """
    few = np.isnan(inwoners) | (inwoners < threshold)
    return np.select([covered, few, wijk_covered], [GEDEKT, WEINIG_BEWONERS, WIJKNIVEAU], default=OPEN)


def _flags(positions: np.ndarray, n: int) -> np.ndarray:
    """A boolean array of length ``n``, True at the given buurt positions."""
    flags = np.zeros(n, dtype=bool)
    flags[positions] = True
    return flags


# Links are arrays of integer positions: buurt (row in boundaries.buurten), entry (row in the
# organisations or meeting places), rank (0 = reaches the buurt itself, 1 = via its wijk). Integers
# keep sorting and de-duplicating fast; names and ids are looked up at the end.


class Links(NamedTuple):
    """Parallel intp arrays: link i joins buurt row ``buurt[i]`` and entry row ``entry[i]``."""

    buurt: np.ndarray
    entry: np.ndarray
    rank: np.ndarray

    @classmethod
    def of(cls, buurt: np.ndarray, entry: np.ndarray, rank: int) -> Links:
        """Links with one rank for all."""
        buurt, entry = np.asarray(buurt, dtype=np.intp), np.asarray(entry, dtype=np.intp)
        return cls(buurt, entry, np.full(len(buurt), rank, dtype=np.intp))

    def where(self, keep: np.ndarray) -> Links:
        """The links where the boolean array ``keep`` is True."""
        return Links(self.buurt[keep], self.entry[keep], self.rank[keep])


def _organisation_links(organisations: gpd.GeoDataFrame, buurten: gpd.GeoDataFrame, lookup: BuurtLookup) -> Links:
    """Which organisation reaches which buurt.

    A buurt-level organisation reaches the buurten it lists and the buurt its display point lies
    in (rank 0); a wijk-level one reaches every buurt of the wijken it lists (rank 1); stad level
    reaches none.
    """
    level = organisations["area_level"].to_numpy(dtype=object)
    by_buurt, by_wijk = level == "buurt", level == "wijk"
    listed = _listed_links(organisations, by_buurt, by_wijk, buurten)
    return _unique_links([listed, _point_links(organisations, by_buurt, lookup)])


def _meeting_place_links(meeting_places: gpd.GeoDataFrame, buurten: gpd.GeoDataFrame, lookup: BuurtLookup) -> Links:
    """Which meeting place lies in which buurt.

    A place is in a buurt when its werkgebied (area_level buurt) lists the buurt, or when its
    point lies in the buurt and is exact or stands in for that buurt. An approximate point
    standing in for a whole wijk says nothing about the buurt.
    """
    by_buurt = meeting_places["area_level"].to_numpy(dtype=object) == "buurt"
    listed = _listed_links(meeting_places, by_buurt, np.zeros(len(by_buurt), dtype=bool), buurten)
    trusted = ~meeting_places["point_is_approximate"].to_numpy(dtype=bool) | by_buurt  # exact, or for the buurt
    return _unique_links([listed, _point_links(meeting_places, trusted, lookup)])


def _listed_links(
    entries: gpd.GeoDataFrame, by_buurt: np.ndarray, by_wijk: np.ndarray, buurten: gpd.GeoDataFrame
) -> Links:
    """Links from werkgebied codes: the buurt codes of the entries where ``by_buurt`` (rank 0),
    and every buurt of the wijk codes of the entries where ``by_wijk`` (rank 1); the masks say
    which entries have area_level buurt and wijk. Unknown codes link nothing.

    A registry repeats a few werkgebieden many times, so each distinct area_codes value is looked
    up once (_value_links) and its links are then handed to the entries that have it.
    """
    value_of, values = _factorized(entries["area_codes"].to_numpy(dtype=object))
    to_buurt, to_wijk = _value_links(values, buurten)
    return _concat_links(
        [
            _entry_links(to_buurt, len(values), value_of, by_buurt, rank=0),
            _entry_links(to_wijk, len(values), value_of, by_wijk, rank=1),
        ]
    )


def _factorized(area_codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(per entry the position of its value among the distinct values or -1 when it is missing,
    the distinct values). A list or other list-like counts as the tuple of its items."""
    try:
        return pd.factorize(area_codes)
    except TypeError:  # unhashable values, such as lists
        hashable = (tuple(codes) if pd.api.types.is_list_like(codes) else codes for codes in area_codes)
        return pd.factorize(np.fromiter(hashable, dtype=object, count=len(area_codes)))


def _value_links(values: np.ndarray, buurten: gpd.GeoDataFrame) -> tuple[Links, Links]:
    """For distinct area_codes values, the buurten their codes name, as links whose ``entry`` is
    the value's position: (buurt codes: the buurt itself, wijk codes: every buurt of the wijk)."""
    value, code = _exploded_codes(values)
    row_of = {buurtcode: row for row, buurtcode in enumerate(buurten.index.to_numpy(dtype=object))}
    by_buurt = Links.of([row_of.get(c, -1) for c in code], value, rank=0)
    number_of: dict = {}  # wijkcode -> wijk number, in order of appearance
    wijkcodes = buurten["wijkcode"].to_numpy(dtype=object)
    member_of = np.array([number_of.setdefault(w, len(number_of)) for w in wijkcodes], dtype=np.intp)
    wijk = np.array([number_of.get(c, -1) for c in code], dtype=np.intp)
    known = wijk >= 0
    pair, buurt = np.nonzero(wijk[known, None] == member_of[None, :])
    return by_buurt.where(by_buurt.buurt >= 0), Links.of(buurt, value[known][pair], rank=1)


def _entry_links(value_links: Links, n_values: int, value_of: np.ndarray, use: np.ndarray, rank: int) -> Links:
    """The links of each value, given to every entry where ``use`` that has the value."""
    order = np.argsort(value_links.entry, kind="stable")
    rows = value_links.buurt[order]
    bounds = np.searchsorted(value_links.entry[order], np.arange(n_values + 1))  # value v: bounds[v]:bounds[v + 1]
    entries = np.flatnonzero(use & (value_of >= 0))
    first, counts = bounds[value_of[entries]], np.diff(bounds)[value_of[entries]]
    # For each entry the positions first .. first + count - 1, one after the other.
    positions = np.arange(counts.sum()) + np.repeat(first - (np.cumsum(counts) - counts), counts)
    return Links.of(rows[positions], np.repeat(entries, counts), rank)


def _exploded_codes(area_codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(position, code) per listed code, like ``Series.explode().dropna()``: a tuple or other
    list-like gives its items, a scalar itself; missing values are left out."""
    tuples = [codes if type(codes) is tuple else _as_tuple(codes) for codes in area_codes]
    lengths = np.fromiter(map(len, tuples), dtype=np.intp, count=len(tuples))
    codes = np.fromiter(chain.from_iterable(tuples), dtype=object, count=int(lengths.sum()))
    position = np.repeat(np.arange(len(tuples), dtype=np.intp), lengths)
    present = ~pd.isna(codes)
    return position[present], codes[present]


def _as_tuple(codes) -> tuple:
    """A list-like's items, or a scalar (a string, None, NaN) alone."""
    return tuple(codes) if pd.api.types.is_list_like(codes) else (codes,)


def _point_links(entries: gpd.GeoDataFrame, use: np.ndarray, lookup: BuurtLookup) -> Links:
    """Links from display points (via the BuurtLookup) for the entries where ``use``; rank 0."""
    positions = np.flatnonzero(use)
    if not len(positions):  # no reprojection, so no CRS needed
        return Links.of([], [], rank=0)
    points = geometries_in(entries.geometry.array[positions], lookup.crs)
    return Links.of(buurt_rows(points, lookup), positions, rank=0)


def _concat_links(parts: list[Links]) -> Links:
    """The links of all parts, in order."""
    return Links(*(np.concatenate(arrays) for arrays in zip(*parts)))


def _unique_links(parts: list[Links]) -> Links:
    """One link per (buurt, entry), the lowest rank kept, links to no buurt (-1) dropped;
    sorted by buurt, rank, entry."""
    links = _concat_links(parts)
    links = links.where(links.buurt >= 0)
    bits = int(links.entry.max(initial=0)).bit_length()  # entry < 2**bits; rank is one bit
    entry_mask = (1 << bits) - 1
    by_pair = np.sort((links.buurt << (bits + 1)) | (links.entry << 1) | links.rank)  # by buurt, entry, rank
    kept = by_pair[_first_of_runs(by_pair >> 1)]  # the first link of each pair has its lowest rank
    buurt, entry, rank = kept >> (bits + 1), (kept >> 1) & entry_mask, kept & 1
    ordered = np.sort((buurt << (bits + 1)) | (rank << bits) | entry)  # by buurt, rank, entry
    return Links(ordered >> (bits + 1), ordered & entry_mask, (ordered >> bits) & 1)


def _first_of_runs(values: np.ndarray) -> np.ndarray:
    """True where a sorted array's value differs from the one before (and at the start)."""
    first = np.ones(len(values), dtype=bool)
    first[1:] = values[1:] != values[:-1]
    return first


def _gather(links: Links, values: pd.Series, n: int) -> list[tuple]:
    """Per buurt (rows 0..n-1) the tuple of ``values`` its links point to, in link order."""
    taken = values.to_numpy(dtype=object)[links.entry].tolist()
    bounds = np.searchsorted(links.buurt, np.arange(n + 1)).tolist()  # links are sorted by buurt
    return [tuple(taken[start:stop]) for start, stop in zip(bounds[:-1], bounds[1:])]


def _nearest_meeting_places(meeting_places: gpd.GeoDataFrame, lookup: BuurtLookup) -> tuple[np.ndarray, ...]:
    """Per buurt the nearest meeting place, measured from the polygon (0 m when inside).

    In: meeting places in any CRS (reprojected to the buurten's CRS, EPSG:28992), the buurten's
    lookup. Every place at the least distance takes part (see _places_at_least_distance); ties
    prefer exact points, then the lowest id. Out, per buurt row: id (object, None if no places),
    distance in metres (NaN if none), is-approximate (bool).
    """
    n = len(lookup.source)
    ids, distances, approximate = np.full(n, None, dtype=object), np.full(n, np.nan), np.zeros(n, dtype=bool)
    geometries = meeting_places.geometry.array
    located = ~(shapely.is_missing(np.asarray(geometries)) | shapely.is_empty(np.asarray(geometries)))
    if not located.any():
        return ids, distances, approximate
    points = geometries_in(geometries[located], lookup.crs)
    place_ids = meeting_places["id"].to_numpy(dtype=object)[located]
    place_is_approximate = meeting_places["point_is_approximate"].to_numpy(dtype=bool)[located]

    buurt, place, distance = _places_at_least_distance(points, lookup)
    id_order = np.unique(place_ids, return_inverse=True)[1].ravel()
    preferred = np.lexsort((id_order[place], place_is_approximate[place], distance, buurt))
    chosen = preferred[_first_of_runs(buurt[preferred])]
    rows = buurt[chosen]
    ids[rows] = place_ids[place[chosen]]
    distances[rows] = distance[chosen]
    approximate[rows] = place_is_approximate[place[chosen]]
    return ids, distances, approximate


def _places_at_least_distance(points: np.ndarray, lookup: BuurtLookup) -> tuple[np.ndarray, ...]:
    """For every buurt, every place at the least (GEOS) distance from its polygon: what an STRtree
    of the places, ``query_nearest(polygons, all_matches=True)``, gives; but that query measures
    the exact distance to every place near a polygon, so only likely candidates are measured here.

    1. A buurt with a place on or in it (prepared ``intersects``) is 0 m from that place, as GEOS
       measures it too. Another place can measure 0 m only when it lies within a hair of the
       polygon (prepared ``dwithin``); those are measured.
    2. Every other buurt: the distance to the place nearest to the middle of its bounding box
       bounds the least distance; the places within that bound (prepared ``dwithin``, plus a hair
       for rounding) are measured.

    In: place points (no None or empty) in ``lookup.crs``. Out: parallel arrays of buurt rows,
    place positions and distances in metres.
    """
    tree = shapely.STRtree(points)
    # 1. Places on or in a buurt, and the places within a hair of such a buurt.
    near_buurt, near_place = tree.query(lookup.source)  # bounding boxes overlap
    on_or_in = shapely.intersects(lookup.polygons[near_buurt], points[near_place])
    touched = _flags(near_buurt[on_or_in], len(lookup.source))
    close = np.flatnonzero(touched[near_buurt] & ~on_or_in)
    close = close[shapely.dwithin(lookup.polygons[near_buurt[close]], points[near_place[close]], HAIR_M)]
    # 2. Every other buurt: the places within the distance to a first guess.
    others = np.flatnonzero(~touched)
    west, south, east, north = shapely.bounds(lookup.source[others]).T
    _, guess = tree.query_nearest(shapely.points((west + east) / 2, (south + north) / 2), all_matches=False)
    bound = shapely.distance(lookup.source[others], points[guess])
    within, within_place = tree.query(lookup.polygons[others], predicate="dwithin", distance=bound + HAIR_M)

    buurt = np.concatenate([near_buurt[on_or_in], near_buurt[close], others[within]])
    place = np.concatenate([near_place[on_or_in], near_place[close], within_place])
    measured = slice(int(on_or_in.sum()), None)
    distance = np.zeros(len(buurt))
    distance[measured] = shapely.distance(lookup.source[buurt[measured]], points[place[measured]])
    least = np.full(len(lookup.source), np.inf)
    np.minimum.at(least, buurt, distance)
    nearest = distance == least[buurt]
    return buurt[nearest], place[nearest], distance[nearest]


def _buurt_table(buurten: gpd.GeoDataFrame, computed: dict[str, tuple]) -> pd.DataFrame:
    """The CoverageResult.buurten frame: BUURT_COLUMNS in order, index = buurten.index.

    In: ``computed`` maps a column name to (values per buurt row, dtype); every other column is
    taken from ``buurten`` as it is.
    """
    columns = {
        name: pd.Series(computed[name][0], index=buurten.index, dtype=computed[name][1])
        if name in computed
        else buurten[name]
        for name in BUURT_COLUMNS
    }
    return pd.DataFrame(columns, index=buurten.index)


def _wijk_summary(
    wijken: gpd.GeoDataFrame, wijk_rows: np.ndarray, status: np.ndarray, inwoners: np.ndarray
) -> pd.DataFrame:
    """Counts and shares per status, inhabitants and inhabitants in open buurten, per wijk.

    In: per buurt its row in ``wijken`` (-1: left out), its status (position in STATUSES) and its
    inhabitants (NaN = unknown, left out of the sums; whole numbers, so the sums are exact).
    Out: index = wijken.index.
    """
    m, k = len(wijken), len(STATUSES)
    inside = wijk_rows >= 0
    wijk_rows, status, known = wijk_rows[inside], status[inside], np.nan_to_num(inwoners[inside], nan=0.0)
    counts = np.bincount(wijk_rows * k + status, minlength=m * k).reshape(m, k)
    total = counts.sum(axis=1)
    shares = counts / np.where(total == 0, np.nan, total)[:, None]
    summary = {"wijkcode": wijken["wijkcode"].array.copy(), "wijknaam": wijken["wijknaam"].array.copy(), "buurten": total}
    summary.update({name: counts[:, i] for i, name in enumerate(STATUSES)})
    summary.update({f"share_{name}": shares[:, i] for i, name in enumerate(STATUSES)})
    summary["inwoners"] = _rounded(np.bincount(wijk_rows, weights=known, minlength=m))
    open_known = np.where(status == OPEN, known, 0.0)
    summary["inwoners_open"] = _rounded(np.bincount(wijk_rows, weights=open_known, minlength=m))
    return pd.DataFrame(summary, index=wijken.index, copy=False)  # all new arrays


def _rounded(sums: np.ndarray) -> np.ndarray:
    """Sums of inhabitants as whole numbers (int64)."""
    return np.round(sums).astype(np.int64)


def _city_summary(status: np.ndarray, inwoners: np.ndarray) -> dict:
    """The wijk figures for the whole city, as a dict of plain Python numbers.

    In: per buurt its status (position in STATUSES) and inhabitants (NaN = unknown, left out).
    """
    counts = np.bincount(status, minlength=len(STATUSES))
    total = len(status)
    city: dict = {"buurten": total}
    city.update({name: int(counts[i]) for i, name in enumerate(STATUSES)})
    city.update({f"share_{name}": (city[name] / total if total else float("nan")) for name in STATUSES})
    city["inwoners"] = int(round(np.nansum(inwoners)))
    city["inwoners_open"] = int(round(np.nansum(np.where(status == OPEN, inwoners, np.nan))))
    return city
