"""Import files, bad and good: every bad file gets its own clear message and leaves the database as it was.

The table BAD_FILES is the one in the note of the issue: case -> file -> the message it must get.
Files are bytes made here; they go through the same reader as the workspace upload and the command line.
"""

from __future__ import annotations

import codecs
import csv
import io
import json

import pytest
import sqlalchemy as sa

from samen030_map.core.importing import MAX_IMPORT_BYTES, read_import
from samen030_map.core.registry import RegistryError
from samen030_map.core.schema import CSV_COLUMNS
from samen030_map.db import accounts, store
from samen030_map.db.models import OUR_TABLE_NAMES

ONDIEP = "BU03440222"
DOMPLEIN = "BU03440611"


def csv_bytes(rows: list[dict], columns=CSV_COLUMNS, delimiter=",", encoding="utf-8") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(c, "") for c in columns])
    return out.getvalue().encode(encoding)


def row(**changes) -> dict:
    base = {"id": "nieuw-in-ondiep", "name": "Nieuw in Ondiep", "kind": "bewonersorganisatie", "area_level": "buurt", "area_codes": ONDIEP, "source_url": "https://example.org/ondiep"}
    return base | changes


def geojson(features, crs=None) -> bytes:
    document = {"type": "FeatureCollection", "features": features}
    if crs:
        document["crs"] = {"type": "name", "properties": {"name": crs}}
    return json.dumps(document).encode()


def point(lon, lat, **properties) -> dict:
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]}, "properties": {"id": "punt", "name": "Punt", "kind": "netwerk", "area_level": "stad"} | properties}


DOMTOREN = (5.1214, 52.0907)
SQUARE = {"type": "Polygon", "coordinates": [[[5.10, 52.10], [5.101, 52.10], [5.101, 52.101], [5.10, 52.101], [5.10, 52.10]]]}

# case id -> (file name, bytes, entity, a regular expression the message must match)
BAD_FILES = {
    "empty": ("leeg.csv", b"", "organisation", r"het bestand is leeg"),
    "only-whitespace": ("leeg.csv", b" \n \n", "organisation", r"het bestand is leeg"),
    "header-only": ("kop.csv", csv_bytes([]), "organisation", r"alleen een kopregel"),
    "pipes-as-separator": ("pijp.csv", "|".join(CSV_COLUMNS).encode() + b"\na|b\n", "organisation", r"onbekende kolom"),
    "latin-1": ("latin.csv", csv_bytes([row(name="Café de Buurt")], encoding="latin-1"), "organisation", r"Latin-1.*UTF-8"),
    "utf-16": ("utf16.csv", codecs.BOM_UTF16_LE + csv_bytes([row()]).decode().encode("utf-16-le"), "organisation", r"UTF-16"),
    "excel": ("lijst.xlsx.csv", b"PK\x03\x04rest-of-a-zip", "organisation", r"Excel"),
    "missing-required-column": ("kort.csv", csv_bytes([row()], columns=[c for c in CSV_COLUMNS if c != "kind"]), "organisation", r"ontbrekende kolom\(men\): kind"),
    "extra-column": ("extra.csv", csv_bytes([row()], columns=[*CSV_COLUMNS, "telefoon"]), "organisation", r"onbekende kolom\(men\): 'telefoon'.*koppel"),
    "duplicate-column": ("dubbel.csv", csv_bytes([row()], columns=[*CSV_COLUMNS, "name"]), "organisation", r"'name' komen meer dan één keer voor"),
    "unknown-buurtcode": ("code.csv", csv_bytes([row(area_codes="BU03449999")]), "organisation", r"rij 2, area_codes: onbekende buurtcode BU03449999"),
    "wijk-of-another-gemeente": ("amsterdam.csv", csv_bytes([row(area_level="wijk", area_codes="WK036301")]), "organisation", r"onbekende wijkcode WK036301"),
    "point-outside-utrecht": ("amersfoort.csv", csv_bytes([row(area_level="stad", area_codes="", lat="52.156", lon="5.387")]), "organisation", r"buiten de gemeente Utrecht"),
    "lat-lon-swapped": ("omgedraaid.csv", csv_bytes([row(area_level="stad", area_codes="", lat="5.1214", lon="52.0907")]), "organisation", r"lat en lon omgewisseld"),
    "nan": ("nan.csv", csv_bytes([row(area_level="stad", area_codes="", lat="nan", lon="5.12")]), "organisation", r"lat/lon: geen geldig getal"),
    "inf": ("inf.csv", csv_bytes([row(area_level="stad", area_codes="", lat="52.09", lon="inf")]), "organisation", r"lat/lon: geen geldig getal"),
    "point-outside-its-werkgebied": ("ergens.csv", csv_bytes([row(lat="52.0907", lon="5.1214")]), "organisation", r"niet in het werkgebied"),
    "megabyte-name": ("lang.csv", csv_bytes([row(name="x" * 1_000_000)]), "organisation", r"langer dan"),
    "duplicate-ids": ("ids.csv", csv_bytes([row(), row(name="Ander")]), "organisation", r"rij 3, id: 'nieuw-in-ondiep' komt al voor in rij 2"),
    "duplicate-rows": ("rijen.csv", csv_bytes([row(), row()]), "organisation", r"komt al voor in rij 2"),
    "impossible-date": ("datum.csv", csv_bytes([row(source_read_on="2026-02-30")]), "organisation", r"source_read_on: '2026-02-30' is geen datum"),
    "future-date": ("toekomst.csv", csv_bytes([row(checked_on="2999-01-01")]), "organisation", r"checked_on: 2999-01-01 ligt in de toekomst"),
    "founded-in-the-future": ("opgericht.csv", csv_bytes([row(founded="2999")]), "organisation", r"founded: 2999 ligt in de toekomst"),
    "javascript-website": ("js.csv", csv_bytes([row(website="javascript:alert(1)")]), "organisation", r"website: 'javascript:alert\(1\)' is geen geldig webadres"),
    "data-url-source": ("data.csv", csv_bytes([row(source_url="data:text/html,<script>x</script>")]), "organisation", r"source_url: .*geen geldig webadres"),
    "formula-cell": ("formule.csv", csv_bytes([row(name='=HYPERLINK("http://evil.example","klik")')]), "organisation", r"name: begint met '=' en lijkt een spreadsheetformule"),
    "embedded-newline": ("regel.csv", csv_bytes([row(name="Eerste\nTweede")]), "organisation", r"name: bevat een regeleinde"),
    "unclosed-quote": ("quote.csv", csv_bytes([row()]) + b'x,"nooit gesloten\n', "organisation", r"aanhalingsteken .*wordt niet gesloten"),
    "ansi-escape-in-name": ("ansi.csv", csv_bytes([row(name="\x1b[31mRood\x1b[0m")]), "organisation", r"U\+001B"),
    "unknown-kind": ("soort.csv", csv_bytes([row(kind="voetbalclub")]), "organisation", r"kind: onbekende soort 'voetbalclub'"),
    "too-many-fields": ("velden.csv", csv_bytes([row()]) + b"a,b,c\n", "organisation", rf"rij 3: verwacht {len(CSV_COLUMNS)} velden, gevonden 3"),
    "too-big": ("groot.csv", b"x" * (MAX_IMPORT_BYTES + 1), "organisation", r"te groot"),
    "truncated-geojson": ("kapot.geojson", geojson([point(*DOMTOREN)])[:-20], "organisation", r"geen geldig GeoJSON.*onvolledig"),
    "json-but-not-geojson": ("lijst.json", b'[{"id": "x"}]', "organisation", r"verwacht een GeoJSON FeatureCollection"),
    "empty-featurecollection": ("leeg.geojson", geojson([]), "organisation", r"geen features"),
    "wrong-crs": ("rd.geojson", geojson([point(136000, 456000)]), "organisation", r"lijken RD \(EPSG:28992\).*crs"),
    "polygon-for-a-place": ("plek.geojson", geojson([{"type": "Feature", "geometry": SQUARE, "properties": {"id": "plek", "name": "Plek", "kind": "buurthuis", "area_level": "stad"}}]), "meeting_place", r"een ontmoetingsplek heeft een punt"),
    "linestring": ("lijn.geojson", geojson([{"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[5.1, 52.1], [5.11, 52.1]]}, "properties": {"id": "l", "name": "L", "kind": "netwerk", "area_level": "stad"}}]), "organisation", r"LineString wordt niet gelezen"),
    "polygon-outside-utrecht": ("ver.geojson", geojson([{"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [[[4.0, 51.0], [4.01, 51.0], [4.01, 51.01], [4.0, 51.0]]]}, "properties": {"id": "v", "name": "V", "kind": "netwerk", "area_level": "stad"}}]), "organisation", r"bedekt geen enkele Utrechtse buurt"),
    "rd-columns-not-numbers": ("xy.csv", csv_bytes([row(area_level="stad", area_codes="") | {"x": "oost", "y": "noord"}], columns=[*CSV_COLUMNS, "x", "y"]), "organisation", r"x/y: .*geen getallen"),
    "meeting-place-kind-for-an-organisation": ("plek.csv", csv_bytes([row(kind="speeltuin")]), "organisation", r"kind: onbekende soort 'speeltuin'"),
}


@pytest.fixture
def db(tmp_path):
    url = f"sqlite:///{tmp_path / 'import.db'}"
    store.prepare_database(url)
    engine = store.engine(url)
    accounts.add_user(engine, "beheer", "een lang wachtwoord", "beheerder")
    return engine


def everything(db) -> str:
    with db.connect() as connection:
        return json.dumps({t: [list(map(str, r)) for r in connection.execute(sa.text(f"SELECT * FROM {t} ORDER BY 1"))] for t in OUR_TABLE_NAMES if t != "login_attempt"})


def test_there_are_at_least_thirty_kinds_of_bad_file():
    assert len(BAD_FILES) >= 30


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_a_bad_file_gets_its_message_and_changes_nothing(db, real_boundaries, tmp_path, case):
    name, data, entity, expected = BAD_FILES[case]
    before = everything(db)
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(RegistryError, match=expected):
        store.import_csv(db, path, entity, real_boundaries, accounts.find_user(db, "beheer"))
    assert everything(db) == before
    # The workspace's reader gives the same message: as the file's problem, or on the row.
    try:
        read = read_import(data, name, entity, real_boundaries)
    except RegistryError as error:
        message = str(error)
    else:
        message = "\n".join(read.problem_texts())
    assert __import__("re").search(expected, message), message


# ---- good files in every accepted shape ---------------------------------------------------------------


def _import(db, real_boundaries, tmp_path, name, data, entity="organisation", column_map=None):
    read = read_import(data, name, entity, real_boundaries, column_map)
    assert read.problems == [], read.problem_texts()
    plan = store.plan_import(db, [e for _, e in read.entries], read.columns, entity, real_boundaries, accounts.find_user(db, "beheer"))
    store.apply_import(db, plan, real_boundaries, accounts.find_user(db, "beheer"))
    return {e.id: e for e in store.load_entries(db, entity)}


def test_a_utf8_file_with_a_byte_order_mark(db, real_boundaries, tmp_path):
    stored = _import(db, real_boundaries, tmp_path, "bom.csv", codecs.BOM_UTF8 + csv_bytes([row(name="Café")]))
    assert stored["nieuw-in-ondiep"].name == "Café"


def test_a_semicolon_file_with_decimal_commas(db, real_boundaries, tmp_path):
    data = csv_bytes([row(area_codes=DOMPLEIN, lat="52,0907", lon="5,1214", location_precision="adres")], delimiter=";")
    stored = _import(db, real_boundaries, tmp_path, "punt.csv", data)
    assert (stored["nieuw-in-ondiep"].lat, stored["nieuw-in-ondiep"].lon) == (52.0907, 5.1214)


def test_rd_coordinates_in_x_and_y_columns(db, real_boundaries, tmp_path):
    data = csv_bytes([row(area_level="stad", area_codes="") | {"x": "136700", "y": "455800"}], columns=[*CSV_COLUMNS, "x", "y"])
    entry = _import(db, real_boundaries, tmp_path, "rd.csv", data)["nieuw-in-ondiep"]
    assert 52.08 < entry.lat < 52.10 and 5.11 < entry.lon < 5.14  # the Domtoren's neighbourhood


def test_geojson_points_in_wgs84_and_in_rd(db, real_boundaries, tmp_path):
    stored = _import(db, real_boundaries, tmp_path, "punten.geojson", geojson([point(*DOMTOREN, id="dom")]))
    assert round(stored["dom"].lat, 4) == 52.0907
    stored = _import(db, real_boundaries, tmp_path, "rd.geojson", geojson([point(136700, 455800, id="dom-rd")], crs="urn:ogc:def:crs:EPSG::28992"))
    assert 52.08 < stored["dom-rd"].lat < 52.10


def test_a_werkgebied_polygon_becomes_the_buurten_it_covers_for_the_most_part(db, real_boundaries, tmp_path):
    ondiep = real_boundaries.buurten.to_crs(4326).loc[ONDIEP].geometry.buffer(-0.0005)
    feature = {"type": "Feature", "geometry": json.loads(__import__("shapely").to_geojson(ondiep)), "properties": {"id": "vlak", "name": "Vlak", "kind": "bewonersorganisatie"}}
    stored = _import(db, real_boundaries, tmp_path, "vlak.geojson", geojson([feature]))
    assert (stored["vlak"].area_level, stored["vlak"].area_codes) == ("buurt", (ONDIEP,))


def test_a_column_map_for_other_headers(db, real_boundaries, tmp_path):
    data = b"Code,Naam,Soort,Gebied\nmijn-groep,Mijn groep,netwerk,stad\n"
    stored = _import(db, real_boundaries, tmp_path, "eigen.csv", data, column_map={"Code": "id", "Naam": "name", "Soort": "kind", "Gebied": "area_level"})
    assert stored["mijn-groep"].name == "Mijn groep"


def test_only_the_good_rows_or_nothing(db, real_boundaries, tmp_path):
    data = csv_bytes([row(), row(id="kapot", area_codes="BU03449999")])
    read = read_import(data, "gemengd.csv", "organisation", real_boundaries)
    assert [n for n, _ in read.entries] == [2] and len(read.problems) == 1
    with pytest.raises(RegistryError):  # all or nothing (the default)
        path = tmp_path / "gemengd.csv"
        path.write_bytes(data)
        store.import_csv(db, path, "organisation", real_boundaries, accounts.find_user(db, "beheer"))
    assert "nieuw-in-ondiep" not in {e.id for e in store.load_entries(db, "organisation")}
    plan = store.plan_import(db, [e for _, e in read.entries], read.columns, "organisation", real_boundaries, accounts.find_user(db, "beheer"))
    _, batch = store.apply_import(db, plan, real_boundaries, accounts.find_user(db, "beheer"))
    assert "nieuw-in-ondiep" in {e.id for e in store.load_entries(db, "organisation")}
    # One batch in the history, undone as a whole.
    store.undo_import(db, batch, real_boundaries, accounts.find_user(db, "beheer"))
    assert "nieuw-in-ondiep" not in {e.id for e in store.load_entries(db, "organisation")}
    assert store.get_stored(db, "organisation", "nieuw-in-ondiep").archived


def test_an_import_only_changes_the_columns_it_has_and_undo_puts_the_old_values_back(db, real_boundaries, tmp_path):
    data = b"id,name,kind,area_level,description\nbuurtwerkkamer-top,BuurtWerkKamer TOP,buurtwerkkamer,buurt,Nieuwe beschrijving\n"
    read = read_import(data, "deel.csv", "organisation", real_boundaries)
    plan = store.plan_import(db, [e for _, e in read.entries], read.columns, "organisation", real_boundaries, accounts.find_user(db, "beheer"))
    assert [changes for _, changes in plan.changed] == [{"description": ["", "Nieuwe beschrijving"]}]
    _, batch = store.apply_import(db, plan, real_boundaries, accounts.find_user(db, "beheer"))
    top = store.get_stored(db, "organisation", "buurtwerkkamer-top").entry
    assert top.description == "Nieuwe beschrijving" and top.area_codes == (ONDIEP,)  # area_codes kept
    store.undo_import(db, batch, real_boundaries, accounts.find_user(db, "beheer"))
    assert store.get_stored(db, "organisation", "buurtwerkkamer-top").entry.description == ""
