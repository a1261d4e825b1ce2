"""Files of the filtered set: every export parses back, holds only public fields and published items,
neutralises formula cells, carries the CBS attribution, and the HSDS package validates."""

from __future__ import annotations

import csv
import io
import json
import uuid
import zipfile

import pytest

from samen030_map.core.config import CBS_ATTRIBUTION
from samen030_map.core.schema import PRIVATE_FIELDS, PUBLIC_FIELDS
from samen030_map.export import files
from samen030_map.export.mapview import MapView
from tests.conftest import HOSTILE_ORG_NAME, HOSTILE_PLACE_NAME, SECRET_CONTACT, SECRET_NOTES

SECRETS = (SECRET_CONTACT, SECRET_NOTES, "GEHEIM")


def read_csv(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "a byte order mark, so spreadsheets read the accents right"
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def hsds_members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def every_export_text(picture, mapview=None) -> dict[str, str]:
    """Each export as text (the zip unpacked), to search for what must never be in it."""
    texts = {}
    for name in files.EXPORTS:
        data, _, _ = files.export_file(picture, mapview, name)
        if name == "hsds":
            for member, content in hsds_members(data).items():
                texts[f"hsds/{member}"] = content.decode("utf-8")
        else:
            texts[name] = data.decode("utf-8-sig")
    return texts


def test_buurten_csv_parses_back_with_status_figures_names_and_source(hostile_picture):
    rows = read_csv(files.buurten_csv(hostile_picture))
    assert len(rows) == 111
    assert list(rows[0]) == list(files.BUURT_COLUMNS)
    ondiep = next(row for row in rows if row["buurtcode"] == "BU03440222")
    assert ondiep["buurtnaam"] == "Ondiep" and ondiep["status"] == "gedekt" and ondiep["status_tekst"] == "Buurtorganisatie actief"
    assert "BuurtWerkKamer TOP" in ondiep["organisaties"].split("; ")
    assert int(ondiep["inwoners"]) > 0 and ondiep["inwoners"].isdigit()  # 5220, not 5220.0
    # The hostile name stays text (inside the cell; a cell that starts with "=" is neutralised, see below).
    assert HOSTILE_ORG_NAME in ondiep["organisaties"].split("; ")
    assert {row["bron"] for row in rows} == {CBS_ATTRIBUTION}
    wetering = next(row for row in rows if row["buurtcode"] == "BU03440911")
    assert wetering["status"] == "weinig bewoners" and wetering["inwoners"] in ("0", "")


def test_buurten_follow_the_status_filter_and_hidden_statuses(hostile_picture):
    statuses = hostile_picture.coverage.buurten["status"]
    only_open = read_csv(files.buurten_csv(hostile_picture, MapView.from_link("?status=open")))
    assert {row["status"] for row in only_open} == {"open"} and len(only_open) == int((statuses == "open").sum())
    hidden = read_csv(files.buurten_csv(hostile_picture, MapView.from_link("?verberg=open,weinig bewoners")))
    assert {row["status"] for row in hidden} == {"gedekt", "wijkniveau"}


def test_entry_csvs_hold_every_public_field_and_no_private_one(hostile_picture):
    organisations = read_csv(files.organisations_csv(hostile_picture))
    places = read_csv(files.places_csv(hostile_picture))
    assert len(organisations) == len(hostile_picture.organisation_entries)
    assert len(places) == len(hostile_picture.meeting_place_entries)
    for rows in (organisations, places):
        assert list(rows[0]) == [*PUBLIC_FIELDS, *files.ENTRY_EXTRA_COLUMNS]
        assert not set(rows[0]) & set(PRIVATE_FIELDS)
        assert {row["bron"] for row in rows} == {CBS_ATTRIBUTION}
    hostile = next(row for row in organisations if row["id"] == "test-hostile-org")
    assert hostile["name"] == "'" + HOSTILE_ORG_NAME
    assert hostile["description"] == "'+31 6 1234 5678: bel ons"
    assert hostile["key"] == "organisation:test-hostile-org" and hostile["werkgebied"] == "Ondiep" and hostile["wijken"] == "Noordwest"
    assert hostile["kaart_bij_benadering"] == "ja" and 52.0 < float(hostile["kaart_lat"]) < 52.2
    place = next(row for row in places if row["id"] == "test-hostile-place")
    assert place["name"] == "'" + HOSTILE_PLACE_NAME and place["address"] == "'=Kerkstraat 1"


def test_no_cell_of_any_csv_starts_a_formula(hostile_picture):
    for name in ("buurten-csv", "organisaties-csv", "plekken-csv"):
        data, _, _ = files.export_file(hostile_picture, None, name)
        for row in csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")):
            assert not [cell for cell in row if cell[:1] in ("=", "+", "-", "@", "\t", "\r")], (name, row)
    for member, content in hsds_members(files.hsds_package(hostile_picture)).items():
        if member.endswith(".csv"):
            for row in csv.reader(io.StringIO(content.decode("utf-8"), newline="")):
                assert not [cell for cell in row if cell[:1] in ("=", "+", "-", "@")], (member, row)


def test_filters_choose_the_entries_and_are_named(hostile_picture):
    mapview = MapView.from_link("/?soort=speeltuin&lang=en")
    places = read_csv(files.places_csv(hostile_picture, mapview))
    assert places and {row["kind"] for row in places} == {"speeltuin"}
    assert read_csv(files.organisations_csv(hostile_picture, mapview)) == []
    points = json.loads(files.points_geojson(hostile_picture, mapview))
    assert {f["properties"]["kind"] for f in points["features"]} == {"speeltuin"}
    assert points["filters"] == "Type: Playground" and points["link"] == "/?soort=speeltuin&lang=en"
    hidden = read_csv(files.places_csv(hostile_picture, MapView.from_link("?verberg_soort=speeltuin")))
    assert hidden and "speeltuin" not in {row["kind"] for row in hidden}


def test_geojson_files_parse_back_with_attribution(hostile_picture):
    buurten = json.loads(files.buurten_geojson(hostile_picture))
    assert buurten["type"] == "FeatureCollection" and buurten["attribution"] == CBS_ATTRIBUTION
    assert len(buurten["features"]) == 111
    ondiep = next(f for f in buurten["features"] if f["id"] == "BU03440222")
    assert ondiep["geometry"]["type"] == "MultiPolygon"
    lon, lat = ondiep["geometry"]["coordinates"][0][0][0]
    assert 4.9 < lon < 5.2 and 52.0 < lat < 52.2  # WGS84, lon first
    assert HOSTILE_ORG_NAME in ondiep["properties"]["organisaties"]  # JSON keeps the name exactly
    points = json.loads(files.points_geojson(hostile_picture))
    assert points["attribution"] == CBS_ATTRIBUTION
    keys = {f["properties"]["key"] for f in points["features"]}
    assert {"organisation:test-hostile-org", "meeting_place:test-hostile-place"} <= keys
    # City-wide entries have no point on the map, so they are not in the points file.
    assert all(f["properties"]["area_level"] != "stad" for f in points["features"])
    hostile = next(f for f in points["features"] if f["id"] == "meeting_place:test-hostile-place")
    assert hostile["properties"]["name"] == HOSTILE_PLACE_NAME and hostile["properties"]["approximate"] is True
    assert not set(hostile["properties"]) & set(PRIVATE_FIELDS)


@pytest.mark.parametrize("picture_name", ["hostile_picture", "leaky_picture"])
def test_coordinator_only_fields_never_leave(picture_name, request):
    """Neither from the published picture nor from one whose entries still hold contact and notes."""
    picture = request.getfixturevalue(picture_name)
    for name, text in every_export_text(picture).items():
        assert not any(secret in text for secret in SECRETS), name


def test_only_published_entries(hostile_picture, hostile_db):
    from samen030_map.db import store

    stopped = {e.id for e in store.load_entries(store.engine(hostile_db), "organisation") if e.status == "gestopt"}
    organisations = {row["id"] for row in read_csv(files.organisations_csv(hostile_picture))}
    assert organisations == {e.id for e in hostile_picture.organisation_entries}
    assert not organisations & stopped


def test_hsds_package_validates_with_frictionless(hostile_picture, tmp_path):
    frictionless = pytest.importorskip("frictionless")
    data = files.hsds_package(hostile_picture)
    members = hsds_members(data)
    assert set(members) == {"datapackage.json", "organizations.csv", "services.csv", "locations.csv", "service_at_location.csv", "addresses.csv"}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        archive.extractall(tmp_path)
    limit = csv.field_size_limit()
    try:
        report = frictionless.validate(str(tmp_path / "datapackage.json"))
    finally:  # frictionless raises the csv module's field limit for the whole process; the import relies on it
        csv.field_size_limit(limit)
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
    descriptor = json.loads(members["datapackage.json"])
    assert descriptor["profile"] == "tabular-data-package"
    assert {"title": CBS_ATTRIBUTION} in descriptor["sources"]


def test_hsds_rows_follow_the_spec_and_ids_are_stable(hostile_picture):
    first, second = hsds_members(files.hsds_package(hostile_picture)), hsds_members(files.hsds_package(hostile_picture))
    assert {k: v for k, v in first.items() if k != "datapackage.json"} == {k: v for k, v in second.items() if k != "datapackage.json"}
    tables = {name: list(csv.DictReader(io.StringIO(content.decode("utf-8"), newline=""))) for name, content in first.items() if name.endswith(".csv")}
    organisations = tables["organizations.csv"]
    assert len(organisations) == len(hostile_picture.organisation_entries) + len(hostile_picture.meeting_place_entries)
    assert all(row["id"] and row["name"] and row["description"] for row in organisations)  # required by HSDS
    expected = str(uuid.uuid5(files.HSDS_NAMESPACE, "organisation:test-hostile-org#organization"))
    hostile = next(row for row in organisations if row["samen030_key"] == "organisation:test-hostile-org")
    assert hostile["id"] == expected and hostile["name"] == "'" + HOSTILE_ORG_NAME and hostile["sources"] == "https://example.org/bron"
    assert {row["status"] for row in tables["services.csv"]} == {"active"}
    assert len(tables["services.csv"]) == len(organisations)
    assert {row["location_type"] for row in tables["locations.csv"]} == {"physical"}
    location = next(row for row in tables["locations.csv"] if row["organization_id"] == expected)
    assert location["external_identifier"] == "BU03440222" and "bij benadering" in location["description"]
    # An address only where the registry has an address and a postcode.
    addresses = tables["addresses.csv"]
    assert [row["postal_code"] for row in addresses if row["address_1"] == "'=Kerkstraat 1"] == ["3553 AB"]
    assert all(row["postal_code"] and row["city"] == "Utrecht" and row["country"] == "NL" for row in addresses)
    linked = {row["location_id"] for row in tables["service_at_location.csv"]}
    assert linked == {row["id"] for row in tables["locations.csv"]}


def test_the_cli_offers_every_export():
    from samen030_map.cli import EXPORT_KINDS

    assert EXPORT_KINDS == tuple(files.EXPORTS)
