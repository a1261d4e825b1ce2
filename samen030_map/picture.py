"""The analysed picture of Utrecht that the app, the CLI and exports share.

sources (geodata/ files, database) → core → this picture → Reflex state / CLI output.
It is built once per process: geometry and analysis are module-level, never per-user state.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd

from samen030_map.core.boundaries import Boundaries, browser_geojson, load_boundaries
from samen030_map.core.config import BOUNDARIES_DIR, CBS_ATTRIBUTION
from samen030_map.core.coverage import CoverageResult, analyse_coverage
from samen030_map.core.geo import WGS84
from samen030_map.core.registry import RegistryEntry, entries_frame
from samen030_map.db import store


@dataclass(frozen=True)
class Picture:
    boundaries: Boundaries
    organisation_entries: tuple[RegistryEntry, ...]
    meeting_place_entries: tuple[RegistryEntry, ...]
    organisations: gpd.GeoDataFrame  # registry.entries_frame output, EPSG:28992
    meeting_places: gpd.GeoDataFrame
    coverage: CoverageResult
    buurten_geojson: dict[str, Any]  # EPSG:4326, simplified, for the browser
    wijken_geojson: dict[str, Any]
    attribution: str = CBS_ATTRIBUTION


def build_picture(boundaries_dir: Path = BOUNDARIES_DIR, db_url: str | None = None) -> Picture:
    """Load boundaries, make sure the database is migrated and seeded, and run the coverage analysis."""
    boundaries = load_boundaries(boundaries_dir)
    engine = store.engine_for(db_url)
    store.migrate(db_url)
    store.seed_from_files(engine, boundaries)
    organisation_entries = tuple(store.load_entries(engine, "organisation"))
    meeting_place_entries = tuple(store.load_entries(engine, "meeting_place"))
    organisations = entries_frame(list(organisation_entries), boundaries)
    meeting_places = entries_frame(list(meeting_place_entries), boundaries)
    coverage = analyse_coverage(boundaries, organisations, meeting_places)
    buurten_fc, wijken_fc = browser_geojson(boundaries)
    return Picture(
        boundaries, organisation_entries, meeting_place_entries, organisations, meeting_places, coverage, buurten_fc, wijken_fc
    )


@functools.cache
def current_picture() -> Picture:
    """The picture of this process (configuration from core.config / environment)."""
    return build_picture()


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


def city_bounds(picture: Picture) -> list[list[float]]:
    """[[south, west], [north, east]] in EPSG:4326 around all buurten: the map's first view."""
    west, south, east, north = picture.boundaries.buurten.to_crs(WGS84).total_bounds
    return [[round(south, 5), round(west, 5)], [round(north, 5), round(east, 5)]]


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
