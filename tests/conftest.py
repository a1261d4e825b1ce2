"""Shared fixtures: the shipped Utrecht boundaries and tiny hand-made boundary folders.

The tiny layout, 1 km squares in RD New (EPSG:28992) written as EPSG:4326 GeoJSON:

    y 456000  +------------+------------+
              | BU03440102 | BU03440202 |
    y 455000  +------------+------------+
              | BU03440101 | BU03440201 |
    y 454000  +------------+------------+
           x 134000     x 135000     x 136000
              wijk WK034401  wijk WK034402

Each square also has a vertex halfway along every side, so the middle of a shared border is a
vertex of both neighbours (a point exactly on the border, without floating-point doubt).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely
from shapely.geometry import Polygon, mapping

from samen030_map.core.boundaries import load_boundaries
from samen030_map.core.config import BOUNDARIES_DIR
from samen030_map.core.geo import RD_NEW, WGS84

ORIGIN_X, ORIGIN_Y, SIZE = 134000.0, 454000.0, 1000.0
TINY_BUURTEN = {  # buurtcode: (buurtnaam, wijkcode, column, row)
    "BU03440101": ("Zuidwesthoek", "WK034401", 0, 0),
    "BU03440102": ("Noordwesthoek", "WK034401", 0, 1),
    "BU03440201": ("Zuidoosthoek", "WK034402", 1, 0),
    "BU03440202": ("Noordoosthoek", "WK034402", 1, 1),
}
TINY_WIJKEN = {"WK034401": "Wijk 01 Westkant", "WK034402": "Wijk 02 Oostkant"}
DEFAULT_INWONERS = {"BU03440101": 1000, "BU03440102": 1000, "BU03440201": 1000, "BU03440202": 1000}


def tiny_square_rd(column: int, row: int) -> Polygon:
    """A 1 km square in EPSG:28992, counter-clockwise, with a vertex at every corner and mid-side."""
    x0, y0 = ORIGIN_X + column * SIZE, ORIGIN_Y + row * SIZE
    h, s = SIZE / 2, SIZE
    offsets = [(0, 0), (h, 0), (s, 0), (s, h), (s, s), (h, s), (0, s), (0, h)]
    return Polygon([(x0 + dx, y0 + dy) for dx, dy in offsets])


def _to_lonlat(geometries_rd: list) -> np.ndarray:
    """EPSG:28992 geometries -> EPSG:4326, rounded to 7 decimals like the CBS/PDOK files."""
    lonlat = gpd.GeoSeries(geometries_rd, crs=RD_NEW).to_crs(WGS84).to_numpy()
    return shapely.transform(lonlat, lambda coordinates: np.round(coordinates, 7))


def _tiny_collections(inwoners: dict | None = None) -> tuple[dict, dict]:
    """(buurten, wijken) FeatureCollections in the PDOK shape for the tiny layout."""
    inwoners = {**DEFAULT_INWONERS, **(inwoners or {})}
    codes = list(TINY_BUURTEN)
    squares = _to_lonlat([tiny_square_rd(column, row) for _, _, column, row in TINY_BUURTEN.values()])
    buurt_features = []
    for code, square in zip(codes, squares):
        name, wijkcode, _, _ = TINY_BUURTEN[code]
        properties = {
            "buurtcode": code,
            "buurtnaam": name,
            "wijkcode": wijkcode,
            "gemeentecode": "GM0344",
            "gemeentenaam": "Utrecht",
            "meest_voorkomende_postcode": "3531",
            "aantal_inwoners": inwoners[code],
            "percentage_personen_0_tot_15_jaar": 20,
            "percentage_personen_65_jaar_en_ouder": 15,
            "aantal_huishoudens": 400,
            "percentage_eenpersoonshuishoudens": 40,
            "percentage_huishoudens_met_kinderen": 30,
        }
        buurt_features.append({"type": "Feature", "id": code, "properties": properties, "geometry": mapping(square)})
    wijk_features = []
    for wijkcode, wijknaam in TINY_WIJKEN.items():
        members = [square for code, square in zip(codes, squares) if TINY_BUURTEN[code][1] == wijkcode]
        known = [inwoners[code] for code in codes if TINY_BUURTEN[code][1] == wijkcode and inwoners[code] >= 0]
        properties = {
            "wijkcode": wijkcode,
            "wijknaam": wijknaam,
            "wijknaam_kort": wijknaam.split(" ", 2)[2],
            "gemeentecode": "GM0344",
            "gemeentenaam": "Utrecht",
            "aantal_inwoners": sum(known),
        }
        geometry = mapping(shapely.union_all(members))
        wijk_features.append({"type": "Feature", "id": wijkcode, "properties": properties, "geometry": geometry})
    # Round-trip through JSON: mapping() gives tuples, a parsed file has lists.
    buurten = json.loads(json.dumps({"type": "FeatureCollection", "features": buurt_features}))
    wijken = json.loads(json.dumps({"type": "FeatureCollection", "features": wijk_features}))
    return buurten, wijken


def write_collections(folder: Path, buurten: dict, wijken: dict) -> Path:
    """Write buurten.geojson and wijken.geojson into ``folder`` and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "buurten.geojson").write_text(json.dumps(buurten), encoding="utf-8")
    (folder / "wijken.geojson").write_text(json.dumps(wijken), encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def real_boundaries():
    """The shipped processed copy in geodata/boundaries (111 buurten, 10 wijken)."""
    return load_boundaries(BOUNDARIES_DIR)


@pytest.fixture
def tiny_collections():
    """Factory: fresh (buurten, wijken) FeatureCollection dicts, free to mutate.

    Call with ``inwoners={"BU03440202": -99997}`` to change aantal_inwoners per buurt.
    """
    cache: dict = {}

    def make(inwoners: dict | None = None) -> tuple[dict, dict]:
        key = json.dumps(inwoners, sort_keys=True)
        if key not in cache:
            cache[key] = _tiny_collections(inwoners)
        return copy.deepcopy(cache[key])

    return make


@pytest.fixture
def make_boundary_folder(tmp_path, tiny_collections):
    """Factory: a folder with the tiny buurten/wijken files; ``mutate(buurten, wijken)`` may break them."""
    counter = iter(range(1000))

    def make(mutate=None, inwoners: dict | None = None, folder: Path | None = None) -> Path:
        buurten, wijken = tiny_collections(inwoners)
        if mutate is not None:
            mutate(buurten, wijken)
        return write_collections(folder or tmp_path / f"boundaries{next(counter)}", buurten, wijken)

    return make


@pytest.fixture
def tiny_boundaries(make_boundary_folder):
    """Boundaries of the tiny layout, all four buurten with 1000 inhabitants."""
    return load_boundaries(make_boundary_folder())


def buurt_feature(collection: dict, code: str) -> dict:
    """The feature with buurtcode/wijkcode ``code`` in a FeatureCollection dict."""
    for feature in collection["features"]:
        properties = feature["properties"]
        if code in (properties.get("buurtcode"), properties.get("wijkcode")):
            return feature
    raise KeyError(code)


@pytest.fixture
def feature_of():
    """The helper ``buurt_feature(collection, code)`` as a fixture."""
    return buurt_feature


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium (Debian's) for the whole run; Playwright allows one sync driver per process."""
    from samen030_map.app_server import CHROMIUM, CHROMIUM_ARGS

    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


# --- a registry with hostile names and coordinator-only secrets, for the exports ------------------------

# Names that must stay text in every export: a spreadsheet formula, HTML, a template, mathtext.
HOSTILE_ORG_NAME = '=HYPERLINK("http://x.example","klik") <b>Vet</b> & {{7*7}} $x^2$'
HOSTILE_PLACE_NAME = "@SUM(A1) </script><script>alert(1)</script> -1+1"
SECRET_CONTACT = "GEHEIM-CONTACT-0612345678"
SECRET_NOTES = "GEHEIM-NOTITIE-sleutel-onder-de-mat"


def hostile_entries() -> list:
    """Two published entries in Ondiep (BU03440222) with hostile names and coordinator-only fields."""
    from samen030_map.core.registry import RegistryEntry

    organisation = RegistryEntry(
        entity="organisation", id="test-hostile-org", name=HOSTILE_ORG_NAME, kind="bewonersorganisatie", status="actief",
        area_level="buurt", area_codes=("BU03440222",), location_precision="buurt", description="+31 6 1234 5678: bel ons",
        source_url="https://example.org/bron", website="https://example.org/", founded="2021", founded_is_start=True,
        contact=SECRET_CONTACT, notes=SECRET_NOTES, themes=("Gezondheid & zorg",),
    )
    place = RegistryEntry(
        entity="meeting_place", id="test-hostile-place", name=HOSTILE_PLACE_NAME, kind="speeltuin", status="actief",
        area_level="buurt", area_codes=("BU03440222",), location_precision="buurt", address="=Kerkstraat 1", postcode="3553 AB",
        contact=SECRET_CONTACT, notes=SECRET_NOTES,
    )
    return [organisation, place]


@pytest.fixture(scope="session")
def hostile_db(tmp_path_factory) -> str:
    """A prepared database (seed registry) with the hostile entries added: its URL."""
    from samen030_map.db import store

    from sqlmodel import Session

    from samen030_map.db.models import TABLES

    db_url = f"sqlite:///{tmp_path_factory.mktemp('exports') / 'exports.db'}"
    store.prepare_database(db_url)
    # Straight into the tables: validation now refuses a leading '=', but rows stored before may hold one,
    # and every export must still make them harmless.
    with Session(store.engine(db_url)) as session:
        for entry in hostile_entries():
            session.add(TABLES[entry.entity](**store._row_values(entry)))
        store._bump_revision(session)
        session.commit()
    return db_url


@pytest.fixture(scope="session")
def hostile_picture(hostile_db):
    """The published picture of that database (contact and notes already left out by the store)."""
    from samen030_map.picture import build_picture

    return build_picture(db_url=hostile_db)


@pytest.fixture(scope="session")
def leaky_picture(hostile_picture, hostile_db):
    """The same picture, but its entries still hold contact and notes: the exports must guard themselves."""
    import dataclasses

    from samen030_map.db import store

    engine = store.engine(hostile_db)
    full = {(e.entity, e.id): e for entity in ("organisation", "meeting_place") for e in store.load_entries(engine, entity)}

    def leaky(entries):
        return tuple(full.get((e.entity, e.id), e) for e in entries)

    picture = dataclasses.replace(
        hostile_picture,
        organisation_entries=leaky(hostile_picture.organisation_entries),
        meeting_place_entries=leaky(hostile_picture.meeting_place_entries),
        cache={},
    )
    assert any(e.contact == SECRET_CONTACT for e in picture.organisation_entries)
    return picture
