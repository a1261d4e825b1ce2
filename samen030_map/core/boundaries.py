"""Utrecht's wijken and buurten (CBS Wijken en Buurten 2025): load, validate, simplify, refresh.

Files are GeoJSON FeatureCollections in the shape the PDOK OGC API returns (EPSG:4326, one feature
per wijk or buurt, CBS properties). In memory everything is RD New (EPSG:28992) so that areas and
distances are in metres.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import tempfile
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.validation import explain_validity

from samen030_map.core.config import BOUNDARIES_DIR, CBS_ATTRIBUTION, GEMEENTECODE
from samen030_map.core.geo import RD_NEW, WGS84

PDOK_BASE_URL = "https://api.pdok.nl/cbs/wijken-en-buurten-2025/ogc/v1"
BUURTEN_FILE = "buurten.geojson"
WIJKEN_FILE = "wijken.geojson"

BUURT_CODE = re.compile(r"BU0344\d{4}")
WIJK_CODE = re.compile(r"WK0344\d{2}")
BUURT_REQUIRED = ("buurtcode", "buurtnaam", "wijkcode", "gemeentecode")
WIJK_REQUIRED = ("wijkcode", "gemeentecode")

# Our column name -> CBS property. Negative values (CBS -99997 "withheld") become NaN.
BUURT_FIGURES = {
    "inwoners": "aantal_inwoners",
    "pct_0_15": "percentage_personen_0_tot_15_jaar",
    "pct_65_plus": "percentage_personen_65_jaar_en_ouder",
    "huishoudens": "aantal_huishoudens",
    "pct_eenpersoons": "percentage_eenpersoonshuishoudens",
    "pct_met_kinderen": "percentage_huishoudens_met_kinderen",
}
WIJK_FIGURES = {"inwoners": "aantal_inwoners"}

# Names a GeoJSON "crs" member may use for longitude/latitude WGS84 (RFC 7946 files have none).
WGS84_CRS_NAMES = frozenset(
    {
        "urn:ogc:def:crs:OGC:1.3:CRS84",
        "urn:ogc:def:crs:OGC::CRS84",
        "http://www.opengis.net/def/crs/OGC/1.3/CRS84",
        "EPSG:4326",
        "urn:ogc:def:crs:EPSG::4326",
    }
)
# Longitude/latitude box around the Netherlands; coordinates outside it mean another CRS.
NETHERLANDS_LONLAT = (3.0, 50.5, 7.5, 53.8)
# A buurt may stick out of its wijk by this share of its area (rounding of shared borders).
NESTING_TOLERANCE = 0.01
MAX_LISTED_PROBLEMS = 25


class BoundaryError(ValueError):
    """Boundary data that cannot be used; the message names the file and the feature."""


@dataclass(frozen=True, eq=False)
class Boundaries:
    """Validated wijken and buurten, both GeoDataFrames in EPSG:28992.

    buurten: index = buurtcode values; columns buurtcode, buurtnaam, wijkcode, wijknaam (short),
        postcode (4-digit str or None), inwoners, pct_0_15, pct_65_plus, huishoudens,
        pct_eenpersoons, pct_met_kinderen (floats, NaN = unknown), geometry.
    wijken: index = wijkcode values; columns wijkcode, wijknaam (short), inwoners, geometry.
    The indexes are left unnamed so that ``sjoin``/``merge`` on the code columns stay unambiguous.
    """

    buurten: gpd.GeoDataFrame
    wijken: gpd.GeoDataFrame


# --- loading and validation ---------------------------------------------------------------


def load_boundaries(folder: Path = BOUNDARIES_DIR) -> Boundaries:
    """Read and validate ``folder``/buurten.geojson and wijken.geojson (EPSG:4326).

    Out: Boundaries in EPSG:28992. Raises BoundaryError naming the file and feature(s) on broken
    JSON, missing properties, bad codes, another gemeente, duplicate codes, invalid or empty
    geometry, a wrong CRS, a buurt in an unknown wijk or a buurt that does not lie in its wijk.
    """
    folder = Path(folder)
    wijken_path, buurten_path = folder / WIJKEN_FILE, folder / BUURTEN_FILE
    wijken = _wijken_frame(_read_collection(wijken_path), wijken_path)
    buurten = _buurten_frame(_read_collection(buurten_path), buurten_path, wijken)
    _check_nesting(buurten, wijken, buurten_path)
    return Boundaries(buurten=buurten, wijken=wijken)


def _read_collection(path: Path) -> dict:
    """The parsed FeatureCollection at ``path``; checks JSON, structure and declared CRS."""
    try:
        with open(path, encoding="utf-8") as handle:
            collection = json.load(handle)
    except FileNotFoundError:
        raise BoundaryError(f"{path}: file not found") from None
    except (OSError, UnicodeDecodeError) as error:
        raise BoundaryError(f"{path}: cannot read file: {error}") from None
    except json.JSONDecodeError as error:
        raise BoundaryError(f"{path}: not valid JSON: {error}") from None
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        raise BoundaryError(f"{path}: not a GeoJSON FeatureCollection")
    if not isinstance(collection.get("features"), list) or not collection["features"]:
        raise BoundaryError(f"{path}: FeatureCollection has no features")
    _check_declared_crs(collection, path)
    return collection


def _check_declared_crs(collection: dict, path: Path) -> None:
    """Reject a (pre-RFC 7946) ``crs`` member that names anything but WGS84 longitude/latitude."""
    crs = collection.get("crs")
    if crs is None:
        return
    name = crs.get("properties", {}).get("name") if isinstance(crs, dict) else None
    if name not in WGS84_CRS_NAMES:
        raise BoundaryError(f"{path}: wrong CRS {name!r}; expected WGS84 longitude/latitude (EPSG:4326)")


def _wijken_frame(collection: dict, path: Path) -> gpd.GeoDataFrame:
    """Validated wijken as a GeoDataFrame in EPSG:28992, index = wijkcode values."""
    features = collection["features"]
    labels = [_label(feature, "wijkcode", number) for number, feature in enumerate(features)]
    problems = _property_problems(features, labels, WIJK_REQUIRED, "wijkcode", WIJK_CODE)
    for feature, label in zip(features, labels):
        properties = _properties(feature)
        if not (properties.get("wijknaam_kort") or properties.get("wijknaam")):
            problems.append(f"feature {label}: missing property 'wijknaam_kort' or 'wijknaam'")
    problems += _figure_problems(features, labels, WIJK_FIGURES)
    geometries = _geometries(features, labels, problems)
    _raise_if_problems(path, problems)

    properties = [_properties(feature) for feature in features]
    frame = pd.DataFrame(
        {
            "wijkcode": [p["wijkcode"] for p in properties],
            "wijknaam": [_short_wijknaam(p) for p in properties],
        }
    )
    frame = frame.join(_figures(properties, WIJK_FIGURES))
    return _to_rd_frame(frame, geometries, "wijkcode")


def _buurten_frame(collection: dict, path: Path, wijken: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Validated buurten as a GeoDataFrame in EPSG:28992, index = buurtcode values."""
    features = collection["features"]
    labels = [_label(feature, "buurtcode", number) for number, feature in enumerate(features)]
    problems = _property_problems(features, labels, BUURT_REQUIRED, "buurtcode", BUURT_CODE)
    for feature, label in zip(features, labels):
        wijkcode = _properties(feature).get("wijkcode")
        if wijkcode and wijkcode not in wijken.index:
            problems.append(f"feature {label}: wijkcode {wijkcode!r} is not among the wijken")
    problems += _figure_problems(features, labels, BUURT_FIGURES)
    geometries = _geometries(features, labels, problems)
    _raise_if_problems(path, problems)

    properties = [_properties(feature) for feature in features]
    frame = pd.DataFrame(
        {
            "buurtcode": [p["buurtcode"] for p in properties],
            "buurtnaam": [p["buurtnaam"] for p in properties],
            "wijkcode": [p["wijkcode"] for p in properties],
        }
    )
    frame["wijknaam"] = frame["wijkcode"].map(wijken["wijknaam"])
    frame["postcode"] = pd.Series([_postcode(p) for p in properties], dtype=object)
    frame = frame.join(_figures(properties, BUURT_FIGURES))
    return _to_rd_frame(frame, geometries, "buurtcode")


def _properties(feature) -> dict:
    """A feature's properties, or an empty dict when it has none."""
    if isinstance(feature, dict) and isinstance(feature.get("properties"), dict):
        return feature["properties"]
    return {}


def _label(feature, code_property: str, number: int) -> str:
    """How to name a feature in a message: its code, else its id, else its position."""
    code = _properties(feature).get(code_property)
    if code:
        return str(code)
    if isinstance(feature, dict) and feature.get("id") is not None:
        return f"id={feature['id']}"
    return f"#{number}"


def _property_problems(features, labels, required, code_property, code_pattern) -> list[str]:
    """Missing properties, badly formed or duplicate codes and codes of another gemeente."""
    problems = []
    seen = set()
    for feature, label in zip(features, labels):
        properties = _properties(feature)
        for name in required:
            if properties.get(name) in (None, ""):
                problems.append(f"feature {label}: missing property {name!r}")
        code = properties.get(code_property)
        if code and not code_pattern.fullmatch(str(code)):
            problems.append(f"feature {label}: {code_property} {code!r} is not of the form {code_pattern.pattern}")
        if code and code in seen:
            problems.append(f"feature {label}: duplicate {code_property} {code!r}")
        seen.add(code)
        wijkcode = properties.get("wijkcode")
        if code_property != "wijkcode" and wijkcode and not WIJK_CODE.fullmatch(str(wijkcode)):
            problems.append(f"feature {label}: wijkcode {wijkcode!r} is not of the form {WIJK_CODE.pattern}")
        gemeentecode = properties.get("gemeentecode")
        if gemeentecode and gemeentecode != GEMEENTECODE:
            problems.append(f"feature {label}: gemeentecode {gemeentecode!r} is not Utrecht ({GEMEENTECODE})")
    return problems


def _geometries(features, labels, problems: list[str]) -> list:
    """Shapely geometries of the features (EPSG:4326); appends a problem for each unusable one."""
    geometries = []
    for feature, label in zip(features, labels):
        geometry, problem = _parse_geometry(feature)
        if problem:
            problems.append(f"feature {label}: {problem}")
        geometries.append(geometry)
    return geometries


def _parse_geometry(feature) -> tuple[object, str | None]:
    """(geometry, None) for a valid, non-empty (Multi)Polygon in lon/lat, else (None, reason)."""
    raw = feature.get("geometry") if isinstance(feature, dict) else None
    if not raw:
        return None, "geometry is missing"
    try:
        geometry = shapely.geometry.shape(raw)
    except Exception as error:  # shapely raises several types for malformed coordinates
        return None, f"geometry cannot be read: {error}"
    if geometry.geom_type not in ("Polygon", "MultiPolygon"):
        return None, f"geometry is a {geometry.geom_type}, expected a Polygon or MultiPolygon"
    if geometry.is_empty:
        return None, "geometry is empty"
    if not geometry.is_valid:
        return None, f"invalid geometry: {explain_validity(geometry)}"
    west, south, east, north = geometry.bounds
    min_lon, min_lat, max_lon, max_lat = NETHERLANDS_LONLAT
    if west < min_lon or east > max_lon or south < min_lat or north > max_lat:
        return None, "coordinates are not longitude/latitude in the Netherlands: wrong CRS (expected EPSG:4326)"
    return geometry, None


def _raise_if_problems(path: Path, problems: list[str]) -> None:
    """Raise one BoundaryError listing every problem found in ``path``."""
    if not problems:
        return
    listed = problems[:MAX_LISTED_PROBLEMS]
    if len(problems) > len(listed):
        listed.append(f"... and {len(problems) - len(listed)} more")
    raise BoundaryError(f"{path}: " + f"\n{path}: ".join(listed))


def _short_wijknaam(properties: dict) -> str:
    """'West' from wijknaam_kort, or from 'Wijk 01 West' when there is no short name."""
    short = properties.get("wijknaam_kort")
    if short:
        return str(short)
    return re.sub(r"^Wijk\s+\d+\s+", "", str(properties["wijknaam"]))


def _postcode(properties: dict) -> str | None:
    """The most common 4-digit postcode of a buurt, or None."""
    value = properties.get("meest_voorkomende_postcode")
    text = str(value).strip() if value is not None else ""
    return text if re.fullmatch(r"\d{4}", text) else None


def _figure_problems(features, labels, columns: dict[str, str]) -> list[str]:
    """CBS figures that are there but are not a finite number (text such as "veel", true, a list).
    A missing figure or null is fine: CBS leaves some out, and _figures makes them NaN."""
    problems = []
    for feature, label in zip(features, labels):
        properties = _properties(feature)
        for cbs in columns.values():
            value = properties.get(cbs)
            number = isinstance(value, (int, float)) and not isinstance(value, bool)
            if value is not None and not (number and np.isfinite(value)):
                problems.append(f"feature {label}: {cbs} {value!r} is geen getal")
    return problems


def _figures(properties: list[dict], columns: dict[str, str]) -> pd.DataFrame:
    """CBS figures as float columns; missing and negative (-99997: withheld) values are NaN."""
    frame = pd.DataFrame(
        {ours: pd.to_numeric(pd.Series([p.get(cbs) for p in properties], dtype=object), errors="coerce")
         for ours, cbs in columns.items()}
    ).astype(float)
    return frame.where(frame >= 0)


def _to_rd_frame(frame: pd.DataFrame, geometries: list, code_column: str) -> gpd.GeoDataFrame:
    """GeoDataFrame from lon/lat geometries, reprojected to EPSG:28992, indexed and sorted by code."""
    gdf = gpd.GeoDataFrame(frame, geometry=geometries, crs=WGS84).to_crs(RD_NEW)
    gdf.index = pd.Index(gdf[code_column].to_numpy(dtype=object))
    return gdf.sort_index()


def _check_nesting(buurten: gpd.GeoDataFrame, wijken: gpd.GeoDataFrame, path: Path) -> None:
    """Every buurt lies in its wijk, up to NESTING_TOLERANCE of its area (EPSG:28992)."""
    buurt_geometries = buurten.geometry.to_numpy()
    wijk_geometries = wijken.geometry.reindex(buurten["wijkcode"]).to_numpy()
    outside = shapely.area(shapely.difference(buurt_geometries, wijk_geometries))
    share = outside / shapely.area(buurt_geometries)
    problems = [
        f"feature {code}: {fraction:.0%} of the buurt lies outside its wijk {wijkcode}"
        for code, wijkcode, fraction in zip(buurten.index, buurten["wijkcode"], share)
        if fraction > NESTING_TOLERANCE
    ]
    _raise_if_problems(path, problems)


# --- output for the browser -------------------------------------------------------------------


def browser_geojson(boundaries: Boundaries, tolerance_m: float = 5.0) -> tuple[dict, dict]:
    """Small GeoJSON FeatureCollections for the map: (buurten, wijken).

    In: Boundaries in EPSG:28992. The buurten are simplified together as one coverage (shared borders
    stay identical, so no slivers or gaps appear between neighbours); ``tolerance_m`` is roughly the
    size in metres of the details that are dropped. The wijken are the union of their simplified
    buurten, so wijk outlines lie exactly on buurt borders. Out: EPSG:4326, counter-clockwise outer
    rings, 6 decimals (~0.1 m), properties buurten {code, name, wijkcode, wijknaam}, wijken {code, name}.
    """
    buurten, wijken = boundaries.buurten, boundaries.wijken
    simplified_buurten = buurten.geometry.simplify_coverage(tolerance_m)
    simplified_wijken = simplified_buurten.groupby(buurten["wijkcode"].to_numpy()).agg(shapely.union_all).reindex(wijken["wijkcode"].to_numpy())
    buurt_properties = [
        {"code": code, "name": name, "wijkcode": wijkcode, "wijknaam": wijknaam}
        for code, name, wijkcode, wijknaam in zip(
            buurten["buurtcode"], buurten["buurtnaam"], buurten["wijkcode"], buurten["wijknaam"]
        )
    ]
    wijk_properties = [{"code": code, "name": name} for code, name in zip(wijken["wijkcode"], wijken["wijknaam"])]
    return (
        _feature_collection(buurt_properties, _browser_geometries(simplified_buurten)),
        _feature_collection(wijk_properties, _browser_geometries(gpd.GeoSeries(simplified_wijken.to_numpy(), crs=buurten.crs))),
    )


def _browser_geometries(geometries_rd: gpd.GeoSeries) -> list[dict]:
    """EPSG:28992 geometries -> EPSG:4326, RFC 7946 ring order, 6 decimals, as dicts."""
    in_wgs84 = geometries_rd.to_crs(WGS84).to_numpy()
    oriented = shapely.orient_polygons(in_wgs84, exterior_cw=False)
    rounded = shapely.transform(oriented, lambda coordinates: np.round(coordinates, 6))
    return [json.loads(text) for text in shapely.to_geojson(rounded)]


def _feature_collection(properties: list[dict], geometries: list[dict]) -> dict:
    """A GeoJSON FeatureCollection with each feature's id set to its code."""
    features = [
        {"type": "Feature", "id": props["code"], "properties": props, "geometry": geometry}
        for props, geometry in zip(properties, geometries)
    ]
    return {"type": "FeatureCollection", "features": features}


# --- refreshing the shipped copy --------------------------------------------------------------


def fetch_from_pdok(
    dest: Path, base_url: str = PDOK_BASE_URL, timeout: float = 30, allow_count_change: bool = False
) -> list[str]:
    """Download Utrecht's buurten and wijken from the PDOK OGC API into ``dest``.

    Pages are followed through their rel="next" links. The download is written to a temporary
    folder and validated with load_boundaries first; only valid data replaces the files in
    ``dest`` (EPSG:4326 GeoJSON in the PDOK shape). Raises BoundaryError and leaves ``dest``
    untouched when the download fails or is invalid, or when it has another number of wijken or
    buurten than the current copy and not ``allow_count_change``. Returns division_changes().
    """
    collections = {}
    for name, code_property, filename in (("buurten", "buurtcode", BUURTEN_FILE), ("wijken", "wijkcode", WIJKEN_FILE)):
        query = urllib.parse.urlencode({"f": "json", "gemeentecode": GEMEENTECODE, "limit": 1000})
        features = _download_features(f"{base_url.rstrip('/')}/collections/{name}/items?{query}", timeout)
        collections[filename] = _pdok_collection(name, features, code_property)
    try:
        return _replace_validated(Path(dest), collections, allow_count_change)
    except BoundaryError as error:
        raise BoundaryError(f"download from {base_url} rejected, {dest} left unchanged:\n{error}") from None


def _download_features(url: str, timeout: float) -> list[dict]:
    """All features of an OGC API items query, following rel="next" links."""
    features: list[dict] = []
    seen: set[str] = set()
    next_url: str | None = url
    while next_url:
        if next_url in seen:
            raise BoundaryError(f"{next_url}: the next link points back to a page already read")
        seen.add(next_url)
        page = _get_json(next_url, timeout)
        if not isinstance(page, dict) or not isinstance(page.get("features"), list):
            raise BoundaryError(f"{next_url}: the response is not a GeoJSON FeatureCollection")
        features.extend(page["features"])
        next_url = _next_link(page, next_url)
    return features


def _get_json(url: str, timeout: float):
    """GET ``url`` and parse its JSON body; network, HTTP and JSON errors become BoundaryError."""
    request = urllib.request.Request(
        url, headers={"Accept": "application/geo+json, application/json", "User-Agent": "samen030-map"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.load(response)
    # URLError (and HTTPError) are OSErrors, JSONDecodeError is a ValueError.
    except (OSError, http.client.HTTPException, ValueError) as error:
        raise BoundaryError(f"{url}: download failed: {error}") from None


def _next_link(page: dict, page_url: str) -> str | None:
    """The absolute URL of the page's JSON rel="next" link, or None on the last page."""
    for link in page.get("links") or []:
        if not isinstance(link, dict) or link.get("rel") != "next" or not link.get("href"):
            continue
        if "json" in (link.get("type") or "json"):
            return urllib.parse.urljoin(page_url, link["href"])
    return None


def _pdok_collection(name: str, features: list[dict], code_property: str) -> dict:
    """Downloaded features as a FeatureCollection shaped like the local copy (id = code)."""
    shaped = [
        {
            "type": "Feature",
            "id": _properties(feature).get(code_property, feature.get("id") if isinstance(feature, dict) else None),
            "properties": _properties(feature),
            "geometry": feature.get("geometry") if isinstance(feature, dict) else None,
        }
        for feature in features
    ]
    return {"type": "FeatureCollection", "name": f"utrecht_{name}_cbs_2025", "features": shaped}


def write_processed_copy(src: Path, dest: Path, allow_count_change: bool = False) -> list[str]:
    """Validate the boundary files in ``src`` and write them, with attribution, to ``dest``.

    Geometry (EPSG:4326, full resolution) and all CBS properties are kept as they are; the
    collections get a top-level "attribution" member. Files are written compactly and only
    replace ``dest``'s files after the written copy has been validated too, and (unless
    ``allow_count_change``) has as many wijken and buurten as the current copy. Returns
    division_changes() against the current copy.
    """
    src = Path(src)
    load_boundaries(src)
    collections = {}
    for filename in (BUURTEN_FILE, WIJKEN_FILE):
        collection = _read_collection(src / filename)
        collections[filename] = {
            "type": "FeatureCollection",
            "name": collection.get("name", filename.removesuffix(".geojson")),
            "attribution": CBS_ATTRIBUTION,
            "features": collection["features"],
        }
    return _replace_validated(Path(dest), collections, allow_count_change)


def _replace_validated(dest: Path, collections: dict[str, dict], allow_count_change: bool) -> list[str]:
    """Write ``collections`` (filename -> FeatureCollection) to a temporary folder beside
    ``dest``, validate them with load_boundaries, compare them with the current copy in ``dest``,
    then move them into ``dest``. Returns division_changes()."""
    current = _current_division(dest)
    dest.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=dest.parent, prefix=f".{dest.name}-") as temporary:
        staging = Path(temporary)
        for filename, collection in collections.items():
            _write_compact_json(staging / filename, collection)
        new = load_boundaries(staging)
        changes = division_changes(current, new) if current is not None else []
        counts_differ = current is not None and (
            len(current.buurten) != len(new.buurten) or len(current.wijken) != len(new.wijken)
        )
        # A lost or extra buurt changes every coverage figure: only on purpose.
        if counts_differ and not allow_count_change:
            raise BoundaryError(
                f"de nieuwe indeling heeft een ander aantal wijken of buurten dan de huidige in {dest}: "
                + "; ".join(changes)
                + ". Klopt dat (heeft het CBS de indeling veranderd)? Ververs dan opnieuw met --allow-count-change."
            )
        for filename in collections:
            os.replace(staging / filename, dest / filename)
    return changes


def _current_division(dest: Path) -> Boundaries | None:
    """The boundaries now in ``dest``, or None when there is no usable copy yet (nothing to compare)."""
    if not all((dest / name).is_file() for name in (BUURTEN_FILE, WIJKEN_FILE)):
        return None
    try:
        return load_boundaries(dest)
    except BoundaryError:
        return None


def division_changes(old: Boundaries, new: Boundaries, listed: int = 10) -> list[str]:
    """How ``new`` differs from ``old`` in wijken and buurten: counts and the codes that went or came."""
    changes = []
    for label, before, after in (("wijken", old.wijken, new.wijken), ("buurten", old.buurten, new.buurten)):
        gone = sorted(set(before.index) - set(after.index))
        added = sorted(set(after.index) - set(before.index))
        if not (gone or added):
            continue
        text = f"{label} {len(before)} → {len(after)}"
        for word, codes in (("weg", gone), ("nieuw", added)):
            if codes:
                more = f" en {len(codes) - listed} meer" if len(codes) > listed else ""
                text += f", {word}: {', '.join(codes[:listed])}{more}"
        changes.append(text)
    return changes


def _write_compact_json(path: Path, data: dict) -> None:
    """JSON without indentation or spaces, UTF-8, ending in a newline."""
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(data, handle, ensure_ascii=False, separators=(",", ":"))
        handle.write("\n")
