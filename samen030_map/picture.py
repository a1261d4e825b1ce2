"""The analysed picture of Utrecht that the app, the CLI and exports share: a live, versioned picture.

sources (geodata/ files, database) → core → this picture → Reflex state / CLI output.

- ``Geography`` comes from the boundary files only: loaded once per process, compiled into the page.
- ``Picture`` adds the registry and its coverage at one registry revision. Every write to the registry
  raises the revision in the database (db/store.py); ``current_picture()`` looks at that number at most
  every REVISION_CHECK_S and rebuilds when it changed, so every process (also each of several backend
  workers) follows the database. Caches on top of the picture are keyed by its revision.
- Nothing here migrates or seeds the database: ``samen030-map init-db`` and the app's start-up task do.
"""

from __future__ import annotations

import functools
import math
import threading
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import geopandas as gpd

from samen030_map.core.boundaries import Boundaries, browser_geojson, load_boundaries
from samen030_map.core.config import BOUNDARIES_DIR, CBS_ATTRIBUTION
from samen030_map.core.coverage import CoverageResult, analyse_coverage
from samen030_map.core.geo import WGS84
from samen030_map.core.registry import RegistryEntry, entries_frame
from samen030_map.db import store

REVISION_CHECK_S = 0.5  # how stale a process's picture may be before it asks the database again


@dataclass(frozen=True)
class Geography:
    """Wijken and buurten: analysis geometry (EPSG:28992) and what the browser gets (EPSG:4326)."""

    boundaries: Boundaries
    buurten_geojson: dict[str, Any]  # simplified, for the browser
    wijken_geojson: dict[str, Any]
    buurt_bounds: dict[str, list[list[float]]]
    wijk_bounds: dict[str, list[list[float]]]
    city_bounds: list[list[float]]
    buurt_wijk: dict[str, str]  # buurtcode -> wijkcode


@functools.cache
def geography(boundaries_dir: Path = BOUNDARIES_DIR) -> Geography:
    boundaries = load_boundaries(boundaries_dir)
    buurten_fc, wijken_fc = browser_geojson(boundaries)
    west, south, east, north = boundaries.buurten.to_crs(WGS84).total_bounds
    return Geography(
        boundaries=boundaries,
        buurten_geojson=buurten_fc,
        wijken_geojson=wijken_fc,
        buurt_bounds=area_bounds(boundaries.buurten),
        wijk_bounds=area_bounds(boundaries.wijken),
        city_bounds=[[round(south, 5), round(west, 5)], [round(north, 5), round(east, 5)]],
        buurt_wijk={code: str(wijk) for code, wijk in boundaries.buurten["wijkcode"].items()},
    )


@dataclass(frozen=True, eq=False)
class Picture:
    """The registry at one revision, with its coverage. Only public fields and published entries.

    `cache` holds what views derive from this picture (filtered views, rows, search index, markers):
    keyed by the picture itself, it is dropped with it when a newer revision replaces it.
    """

    geography: Geography
    revision: int
    organisation_entries: tuple[RegistryEntry, ...]
    meeting_place_entries: tuple[RegistryEntry, ...]
    organisations: gpd.GeoDataFrame  # registry.entries_frame output, EPSG:28992
    meeting_places: gpd.GeoDataFrame
    coverage: CoverageResult
    last_changed: dict = field(default_factory=dict, repr=False)  # entry key -> when it last changed (UTC)
    attribution: str = CBS_ATTRIBUTION
    cache: dict = field(default_factory=dict, repr=False)

    def cached(self, key, compute):
        """compute() once per picture and key (a race computes twice, harmlessly)."""
        if key not in self.cache:
            self.cache[key] = compute()
        return self.cache[key]

    @property
    def boundaries(self) -> Boundaries:
        return self.geography.boundaries

    @property
    def buurten_geojson(self) -> dict[str, Any]:
        return self.geography.buurten_geojson

    @property
    def wijken_geojson(self) -> dict[str, Any]:
        return self.geography.wijken_geojson


def picture_of(geography: Geography, revision: int, organisations: list[RegistryEntry], meeting_places: list[RegistryEntry], last_changed: dict | None = None) -> Picture:
    """Analyse a registry (already loaded) on the geography: display points and coverage."""
    boundaries = geography.boundaries
    organisation_frame = entries_frame(organisations, boundaries)
    place_frame = entries_frame(meeting_places, boundaries)
    coverage = analyse_coverage(boundaries, organisation_frame, place_frame)
    return Picture(geography, revision, tuple(organisations), tuple(meeting_places), organisation_frame, place_frame, coverage, last_changed or {})


def build_picture(boundaries_dir: Path = BOUNDARIES_DIR, db_url: str | None = None) -> Picture:
    """The picture of the database at `db_url` as it is now (the database must be prepared: init-db)."""
    engine = store.engine(db_url)
    revision = store.read_revision(engine)
    organisations = store.load_public_entries(engine, "organisation")
    places = store.load_public_entries(engine, "meeting_place")
    return picture_of(geography(boundaries_dir), revision, organisations, places, store.last_changed(engine))


class _Current:
    """This process's picture, rebuilt when the database holds a newer revision."""

    def __init__(self):
        self.picture: Picture | None = None
        self.checked_at = 0.0
        self.lock = threading.Lock()

    def get(self, min_revision: int = 0, force: bool = False) -> Picture:
        picture = self.picture
        fresh = picture is not None and time.monotonic() - self.checked_at < REVISION_CHECK_S
        if fresh and not force and picture.revision >= min_revision:
            return picture
        with self.lock:  # one rebuild at a time; the others wait for it and take its result
            if self.picture is None or force or time.monotonic() - self.checked_at >= REVISION_CHECK_S or self.picture.revision < min_revision:
                engine = store.engine()
                if self.picture is None or store.read_revision(engine) != self.picture.revision:
                    self.picture = build_picture()
                self.checked_at = time.monotonic()
            return self.picture


_current = _Current()


def current_picture(min_revision: int = 0, force: bool = False) -> Picture:
    """The picture of this process: at most REVISION_CHECK_S old, and never older than `min_revision`.

    `force` asks the database at once (after a write in this process).
    """
    return _current.get(min_revision, force)


def picture_in_year(picture: Picture, year: int) -> Picture:
    """The picture as it was at the end of `year` (the growth view): only the entries started by then
    (core/growth.py's rules: no start year = left out), and their coverage. Exports of a growth view
    draw this picture; it is cached with `picture`, so per revision."""
    from samen030_map.core import growth

    def compute() -> Picture:
        organisations = [e for e in picture.organisation_entries if (growth.start_year(e) or year + 1) <= year]
        places = [e for e in picture.meeting_place_entries if (growth.start_year(e) or year + 1) <= year]
        keep_org = picture.organisations["id"].isin([e.id for e in organisations]).to_numpy()
        keep_place = picture.meeting_places["id"].isin([e.id for e in places]).to_numpy()
        return replace(
            picture,
            organisation_entries=tuple(organisations),
            meeting_place_entries=tuple(places),
            organisations=picture.organisations[keep_org],
            meeting_places=picture.meeting_places[keep_place],
            coverage=growth.coverage_in_year(picture, year=year),
            cache={},
        )

    return picture.cached(("picture-in-year", int(year)), compute)


def plain(value: Any) -> Any:
    """A value that JSON and Reflex state accept: NaN becomes None, numpy scalars become Python ones."""
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):
        return plain(value.item())
    if isinstance(value, tuple):
        return list(value)
    return value


def area_bounds(areas: gpd.GeoDataFrame) -> dict[str, list[list[float]]]:
    """[[south, west], [north, east]] in EPSG:4326 per area (index = code), for zooming the map to it."""
    bounds = {}
    for code, geometry in areas.to_crs(WGS84).geometry.items():
        west, south, east, north = geometry.bounds
        bounds[code] = [[round(south, 5), round(west, 5)], [round(north, 5), round(east, 5)]]
    return bounds


def label_points(areas: gpd.GeoDataFrame, name_column: str) -> dict[str, Any]:
    """A point per area where its name label goes (its representative point, always inside it), as
    GeoJSON in EPSG:4326 with properties {code, name}. In: areas in EPSG:28992, index = code."""
    points = areas.geometry.representative_point().to_crs(WGS84)
    features = [
        {
            "type": "Feature",
            "properties": {"code": code, "name": str(name)},
            "geometry": {"type": "Point", "coordinates": [round(point.x, 6), round(point.y, 6)]},
        }
        for code, name, point in zip(areas.index, areas[name_column], points)
    ]
    return {"type": "FeatureCollection", "features": features}


def marker_rows(frame: gpd.GeoDataFrame) -> list[dict[str, Any]]:
    """Registry entries that have a display point, as small dicts with lat/lon in EPSG:4326."""
    located = frame[frame.geometry.notna() & ~frame.geometry.is_empty]
    if located.empty:
        return []
    points = located.geometry.to_crs(WGS84)
    rows = []
    for (_, entry), point in zip(located.iterrows(), points, strict=True):
        rows.append(
            {
                "id": entry["id"],
                "entity": entry["entity"],
                "name": entry["name"],
                "kind": entry["kind"],
                "lat": round(point.y, 6),
                "lon": round(point.x, 6),
                "approximate": bool(entry["point_is_approximate"]),
                "buurtcode": plain(entry["buurtcode"]) or "",
            }
        )
    return rows
