"""Answers computed independently of the app: straight from the shipped files with pandas/geopandas.

The view and state tests compare the app's figures with these, so a figure is never checked against
the function that produced it. Only the files (geodata/boundaries/*.geojson, geodata/registry/*.csv)
and the configured rule parameters (counted kinds, low-population threshold) are shared with the app.
"""

from __future__ import annotations

import functools
from collections import Counter

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point

from samen030_map.core.config import (
    BOUNDARIES_DIR,
    REGISTRY_DIR,
    buurt_organisation_kinds,
    low_population_threshold,
)

CBS_WITHHELD = -99997
SEED_FILES = {"organisation": "organisations.csv", "meeting_place": "meeting_places.csv"}


def split(text: str) -> list[str]:
    """'a; b;c' -> ['a', 'b', 'c'] (the seed CSVs' list notation)."""
    return [part.strip() for part in text.split(";") if part.strip()]


@functools.cache
def raw_buurten() -> gpd.GeoDataFrame:
    """geodata/boundaries/buurten.geojson as read by geopandas: CBS figures untouched (-99997 kept)."""
    frame = gpd.read_file(BOUNDARIES_DIR / "buurten.geojson")
    return frame.set_index("buurtcode", drop=False)


@functools.cache
def raw_wijken() -> gpd.GeoDataFrame:
    frame = gpd.read_file(BOUNDARIES_DIR / "wijken.geojson")
    return frame.set_index("wijkcode", drop=False)


def known_inwoners() -> pd.Series:
    """aantal_inwoners per buurt, CBS's withheld (negative) figures as NaN."""
    inwoners = raw_buurten()["aantal_inwoners"].astype(float)
    return inwoners.where(inwoners >= 0)


@functools.cache
def seed(entity: str) -> pd.DataFrame:
    """A seed CSV as text columns ('' for empty cells), with an 'entity' column."""
    frame = pd.read_csv(REGISTRY_DIR / SEED_FILES[entity], dtype=str, keep_default_na=False)
    return frame.assign(entity=entity)


def seed_entries(theme: str = "") -> pd.DataFrame:
    """Organisations and meeting places together, only those with ``theme`` (all when '')."""
    entries = pd.concat([seed("organisation"), seed("meeting_place")], ignore_index=True)
    if theme:
        entries = entries[entries["themes"].map(lambda themes: theme in split(themes))]
    return entries


def expected_statuses() -> dict[str, str]:
    """Coverage status per buurtcode by the documented rules, from the CSVs and the GeoJSON.

    gedekt: a counted-kind buurt-level organisation lists the buurt (or has its own point in it);
    weinig bewoners: otherwise fewer inhabitants than the threshold, or unknown;
    wijkniveau: otherwise a counted-kind wijk-level organisation lists the buurt's wijk;
    open: otherwise. Filters never take part: the map always shows the real coverage.
    """
    buurten = raw_buurten()
    organisations = seed_entries()
    organisations = organisations[organisations["entity"] == "organisation"]
    counted = organisations[organisations["kind"].isin(buurt_organisation_kinds())]

    covered: set[str] = set()
    for _, organisation in counted[counted["area_level"] == "buurt"].iterrows():
        covered |= set(split(organisation["area_codes"]))
        if organisation["lat"] and organisation["lon"]:
            point = Point(float(organisation["lon"]), float(organisation["lat"]))
            covered |= set(buurten.index[buurten.geometry.contains(point)])
    wijken = {code for codes in counted.loc[counted["area_level"] == "wijk", "area_codes"] for code in split(codes)}

    inwoners = known_inwoners()
    statuses = {}
    for code, buurt in buurten.iterrows():
        if code in covered:
            statuses[code] = "gedekt"
        elif pd.isna(inwoners[code]) or inwoners[code] < low_population_threshold():
            statuses[code] = "weinig bewoners"
        elif buurt["wijkcode"] in wijken:
            statuses[code] = "wijkniveau"
        else:
            statuses[code] = "open"
    return statuses


def expected_status_counts() -> dict[str, int]:
    counts = Counter(expected_statuses().values())
    return {status: counts.get(status, 0) for status in ("gedekt", "wijkniveau", "weinig bewoners", "open")}


def dutch_thousands(number: float) -> str:
    """376770 -> '376.770' (written out here, not taken from the app)."""
    whole = str(int(round(number)))
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return ".".join(groups)
