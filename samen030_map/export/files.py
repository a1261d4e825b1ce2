"""Files of the filtered set of a view: CSV, GeoJSON and an Open Referral (HSDS 3.0) data package.

What each file holds (all of one `MapView`; the selection only zooms pictures, it never narrows a file):
- buurten.csv / buurten.geojson: the buurten the view shows (status filter and hidden statuses), with
  their status, CBS figures, and the organisations and places the view lists in each buurt.
- organisaties.csv / plekken.csv: the organisations and places the view lists (filters, hidden kinds),
  every public registry field plus where they are drawn; punten.geojson: those of them that have a
  point on the map, at that point (`approximate` says when it is the middle of a buurt or wijk).
- hsds.zip: datapackage.json with organizations.csv, services.csv, locations.csv,
  service_at_location.csv and addresses.csv (HSDS 3.0, tabular), see `hsds_package`.

Only published entries, and only public fields: rows are built from schema.PUBLIC_FIELDS, so contact and
notes cannot leave even if an entry still held them. Every CSV goes through core.safety (cells that a
spreadsheet would run as a formula start with '). The CBS attribution travels in every file: a `bron`
column in each CSV row (a comment line would not be valid CSV), a top-level `attribution` member in
each GeoJSON file, and the `sources` of the data package.
"""

from __future__ import annotations

import io
import json
import uuid
import zipfile
from datetime import date, datetime, timezone
from typing import Any

import shapely
from shapely.geometry import mapping

from samen030_map.core.geo import WGS84
from samen030_map.core.safety import safe_csv_writer
from samen030_map.core.schema import FIELDS_BY_NAME, PUBLIC_FIELDS, format_cell
from samen030_map.export.mapview import MapView
from samen030_map.i18n import translate
from samen030_map.labels import KIND_LABELS, PILLAR_LABELS, PRECISION_LABELS, STATUS_LABELS
from samen030_map.picture import plain
from samen030_map.view import entry_area_buurten, entry_key, entry_row

# Fixed for this project: the same entry gets the same UUID in every export (uuid5 of this + its key).
HSDS_NAMESPACE = uuid.UUID("e11be738-cda6-4393-b71a-07ac3e5e0a22")
ZIP_DATE = (2025, 1, 1, 0, 0, 0)  # zip members carry a fixed date: the same data gives the same bytes
COORDINATE_DECIMALS = 6  # about 0.1 m

BUURT_COLUMNS = (
    "buurtcode", "buurtnaam", "wijkcode", "wijknaam", "status", "status_tekst",
    "inwoners", "pct_0_15", "pct_65_plus", "huishoudens", "pct_eenpersoons",
    "aantal_organisaties", "organisaties", "aantal_ontmoetingsplekken", "ontmoetingsplekken",
    "dichtstbijzijnde_plek", "afstand_dichtstbijzijnde_plek_m", "bron",
)  # fmt: skip
# After the public registry fields: what the map makes of them.
ENTRY_EXTRA_COLUMNS = ("key", "soort_tekst", "werkgebied", "wijken", "kaart_lat", "kaart_lon", "kaart_bij_benadering", "bron")


# --- shared ------------------------------------------------------------------------------------


def _csv(header, rows, bom: bool = True) -> bytes:
    """CSV (UTF-8, comma, header row) through the formula-safe writer; with a byte order mark so that
    spreadsheets read the accents right."""
    out = io.StringIO(newline="")
    writer = safe_csv_writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return (out.getvalue()).encode("utf-8-sig" if bom else "utf-8")


def _cell(value) -> Any:
    value = plain(value)
    return "" if value is None else value


def _figure(value) -> Any:
    """A CBS figure: whole numbers without ".0" (CBS publishes them rounded); None when withheld."""
    value = plain(value)
    return int(value) if isinstance(value, float) and value.is_integer() else value


def public_values(entry) -> dict[str, Any]:
    """The entry's public fields only, in schema order (contact and notes can never be among them)."""
    return {name: getattr(entry, name) for name in PUBLIC_FIELDS}


def _json_value(value) -> Any:
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, date):
        return value.isoformat()
    return plain(value)


def _display_points(picture) -> dict[tuple[str, str], tuple[float, float, bool]]:
    """(entity, id) -> (lat, lon, approximate) of every entry drawn on the map (EPSG:4326)."""
    points = {}
    for frame in (picture.organisations, picture.meeting_places):
        located = frame[frame.geometry.notna() & ~frame.geometry.is_empty]
        if located.empty:
            continue
        for entity, entry_id, point, approximate in zip(located["entity"], located["id"], located.geometry.to_crs(WGS84), located["point_is_approximate"]):
            points[(entity, entry_id)] = (round(point.y, COORDINATE_DECIMALS), round(point.x, COORDINATE_DECIMALS), bool(approximate))
    return points


def _wijk_names(entry, picture) -> list[str]:
    buurten, wijken = picture.boundaries.buurten, picture.boundaries.wijken
    codes = entry.area_codes if entry.area_level == "wijk" else sorted({buurten.at[c, "wijkcode"] for c in entry_area_buurten(entry, picture)})
    return [str(wijken.at[code, "wijknaam"]) for code in codes if code in wijken.index]


def _collection(name: str, features: list, picture, mapview: MapView) -> bytes:
    data = {
        "type": "FeatureCollection",
        "name": name,
        "attribution": picture.attribution,
        "filters": mapview.describe(),
        "link": mapview.link(),
        "features": features,
    }
    return json.dumps(data, ensure_ascii=False, indent=1, allow_nan=False).encode("utf-8")


# --- buurten -----------------------------------------------------------------------------------


def _buurt_records(picture, mapview: MapView) -> list[dict[str, Any]]:
    """One dict per buurt that the view shows, in CBS code order."""
    lang = mapview.lang
    visible = set(mapview.visible_statuses())
    kept = {(e.entity, e.id): e for e in mapview.kept_entries(picture)}
    records = []
    for code, buurt in picture.coverage.buurten.sort_index().iterrows():
        if buurt["status"] not in visible:
            continue
        organisations = [kept[("organisation", i)].name for i in buurt["organisation_ids"] if ("organisation", i) in kept]
        places = [kept[("meeting_place", i)].name for i in buurt["meeting_place_ids"] if ("meeting_place", i) in kept]
        nearest = next((e.name for e in picture.meeting_place_entries if e.id == buurt["nearest_meeting_place_id"]), "")
        distance = plain(buurt["nearest_meeting_place_m"])
        records.append(
            {
                "buurtcode": code,
                "buurtnaam": buurt["buurtnaam"],
                "wijkcode": buurt["wijkcode"],
                "wijknaam": buurt["wijknaam"],
                "status": buurt["status"],
                "status_tekst": translate(STATUS_LABELS.get(buurt["status"], ""), lang),
                "inwoners": _figure(buurt["inwoners"]),
                "pct_0_15": _figure(buurt["pct_0_15"]),
                "pct_65_plus": _figure(buurt["pct_65_plus"]),
                "huishoudens": _figure(buurt["huishoudens"]),
                "pct_eenpersoons": _figure(buurt["pct_eenpersoons"]),
                "aantal_organisaties": len(organisations),
                "organisaties": organisations,
                "aantal_ontmoetingsplekken": len(places),
                "ontmoetingsplekken": places,
                "dichtstbijzijnde_plek": nearest,
                "afstand_dichtstbijzijnde_plek_m": None if distance is None else round(distance),
                "bron": picture.attribution,
            }
        )
    return records


def buurten_csv(picture, mapview: MapView | None = None) -> bytes:
    """The buurten the view shows: status, CBS figures, organisations and places ("; " between names)."""
    mapview = mapview or MapView()
    rows = []
    for record in _buurt_records(picture, mapview):
        rows.append(["; ".join(v) if isinstance(v, list) else _cell(v) for v in (record[c] for c in BUURT_COLUMNS)])
    return _csv(BUURT_COLUMNS, rows)


def buurten_geojson(picture, mapview: MapView | None = None) -> bytes:
    """The buurten the view shows as polygons (EPSG:4326) with status, CBS figures and names."""
    mapview = mapview or MapView()
    records = _buurt_records(picture, mapview)
    geometries = picture.boundaries.buurten.geometry.to_crs(WGS84)
    geometries = dict(zip(geometries.index, shapely.set_precision(geometries.to_numpy(), 10 ** -COORDINATE_DECIMALS)))
    features = [
        {"type": "Feature", "id": record["buurtcode"], "properties": {k: v for k, v in record.items() if k != "bron"}, "geometry": mapping(geometries[record["buurtcode"]])}
        for record in records
    ]
    return _collection("buurten", features, picture, mapview)


# --- organisations and places ------------------------------------------------------------------


def _entry_csv(picture, mapview: MapView, entity: str) -> bytes:
    lang = mapview.lang
    points = _display_points(picture)
    header = (*PUBLIC_FIELDS, *ENTRY_EXTRA_COLUMNS)
    rows = []
    for entry in mapview.kept_entries(picture, entity):
        values = [format_cell(FIELDS_BY_NAME[name], value) for name, value in public_values(entry).items()]
        lat, lon, approximate = points.get((entry.entity, entry.id), (None, None, False))
        card = entry_row(entry, picture, lang)
        values += [
            entry_key(entry.entity, entry.id),
            card["kind_label"],
            card["area"],
            "; ".join(_wijk_names(entry, picture)),
            _cell(lat),
            _cell(lon),
            ("ja" if approximate else "nee") if lat is not None else "",
            picture.attribution,
        ]
        rows.append(values)
    return _csv(header, rows)


def organisations_csv(picture, mapview: MapView | None = None) -> bytes:
    """The organisations the view lists: every public registry field, then the map's point and names."""
    return _entry_csv(picture, mapview or MapView(), "organisation")


def places_csv(picture, mapview: MapView | None = None) -> bytes:
    """The meeting places the view lists, in the same columns as organisations_csv."""
    return _entry_csv(picture, mapview or MapView(), "meeting_place")


def points_geojson(picture, mapview: MapView | None = None) -> bytes:
    """The listed organisations and places that have a point on the map, at that point (EPSG:4326)."""
    mapview = mapview or MapView()
    points = _display_points(picture)
    features = []
    for entry in mapview.kept_entries(picture):
        if (entry.entity, entry.id) not in points:
            continue
        lat, lon, approximate = points[(entry.entity, entry.id)]
        card = entry_row(entry, picture, mapview.lang)
        properties = {name: _json_value(value) for name, value in public_values(entry).items()}
        properties |= {
            "key": entry_key(entry.entity, entry.id),
            "entity": entry.entity,
            "kind_label": card["kind_label"],
            "area_text": card["area"],
            "approximate": approximate,
            "precision_label": card["precision_label"],
        }
        features.append({"type": "Feature", "id": properties["key"], "properties": properties, "geometry": {"type": "Point", "coordinates": [lon, lat]}})
    return _collection("organisaties en ontmoetingsplekken", features, picture, mapview)


# --- Open Referral HSDS 3.0 ----------------------------------------------------------------------

# (name, type, format, required, description) per table, in HSDS 3.0's order; the fields HSDS defines
# for these tables (left empty when the registry does not know them), then this project's own.
_HSDS_TABLES: dict[str, tuple[str, str, tuple]] = {
    "organization": ("organizations.csv", "De organisaties (ook elke ontmoetingsplek: wie haar draagt is niet bekend).", (
        ("id", "string", "uuid", True, "uuid5 van de vaste naamruimte van dit project en de sleutel van het item"),
        ("name", "string", "", True, ""),
        ("alternate_name", "string", "", False, ""),
        ("description", "string", "", True, ""),
        ("email", "string", "email", False, ""),
        ("website", "string", "uri", False, ""),
        ("tax_status", "string", "", False, ""),
        ("tax_id", "string", "", False, ""),
        ("year_incorporated", "number", "", False, ""),
        ("legal_status", "string", "", False, ""),
        ("logo", "string", "", False, ""),
        ("uri", "string", "uri", False, ""),
        ("parent_organization_id", "string", "uuid", False, ""),
        ("samen030_key", "string", "", True, "Eigen veld: de sleutel van het item in de SAMEN030 Buurtkaart (<soort item>:<id>)"),
        ("sources", "string", "", False, "Eigen veld: de openbare bronnen van dit item (webadressen, gescheiden door '; ')"),
        ("source_read_on", "date", "", False, "Eigen veld: wanneer de gegevens uit de bron zijn overgenomen"),
        ("checked_on", "date", "", False, "Eigen veld: wanneer een coördinator het laatst heeft nagekeken dat het klopt"),
    )),
    "service": ("services.csv", "Wat elke organisatie of plek biedt: één dienst per item.", (
        ("id", "string", "uuid", True, ""),
        ("organization_id", "string", "uuid", True, ""),
        ("program_id", "string", "uuid", False, ""),
        ("name", "string", "", True, ""),
        ("alternate_name", "string", "", False, ""),
        ("description", "string", "", False, ""),
        ("url", "string", "uri", False, ""),
        ("email", "string", "email", False, ""),
        ("status", "string", "", True, ""),
        ("interpretation_services", "string", "", False, ""),
        ("application_process", "string", "", False, ""),
        ("fees_description", "string", "", False, ""),
        ("wait_time", "string", "", False, ""),
        ("fees", "string", "", False, ""),
        ("accreditations", "string", "", False, ""),
        ("eligibility_description", "string", "", False, ""),
        ("minimum_age", "number", "", False, ""),
        ("maximum_age", "number", "", False, ""),
        ("assured_date", "date", "", False, ""),
        ("assurer_email", "string", "email", False, ""),
        ("licenses", "string", "", False, ""),
        ("alert", "string", "", False, ""),
        ("last_modified", "datetime", "", False, ""),
    )),
    "location": ("locations.csv", "Waar een item op de kaart staat; de beschrijving zegt hoe precies.", (
        ("id", "string", "uuid", True, ""),
        ("location_type", "string", "", True, ""),
        ("url", "string", "uri", False, ""),
        ("organization_id", "string", "uuid", False, ""),
        ("name", "string", "", False, ""),
        ("alternate_name", "string", "", False, ""),
        ("description", "string", "", False, ""),
        ("transportation", "string", "", False, ""),
        ("latitude", "number", "", False, "WGS84; bij benadering als de beschrijving dat zegt (midden van de buurt of wijk)"),
        ("longitude", "number", "", False, "WGS84"),
        ("external_identifier", "string", "", False, "De CBS-code van het werkgebied (buurt of wijk), als dat één gebied is"),
        ("external_identifier_type", "string", "", False, ""),
    )),
    "service_at_location": ("service_at_location.csv", "Welke dienst op welke plek.", (
        ("id", "string", "uuid", True, ""),
        ("service_id", "string", "uuid", True, ""),
        ("location_id", "string", "uuid", True, ""),
        ("description", "string", "", False, ""),
    )),
    "address": ("addresses.csv", "Adressen, alleen waar het register een adres met postcode heeft.", (
        ("id", "string", "uuid", True, ""),
        ("location_id", "string", "uuid", False, ""),
        ("attention", "string", "", False, ""),
        ("address_1", "string", "", True, ""),
        ("address_2", "string", "", False, ""),
        ("city", "string", "", True, ""),
        ("region", "string", "", False, ""),
        ("state_province", "string", "", True, ""),
        ("postal_code", "string", "", True, ""),
        ("country", "string", "", True, ""),
        ("address_type", "string", "", True, ""),
    )),
}
_ENUMS = {("service", "status"): ["active", "inactive", "defunct", "temporarily closed"],
          ("location", "location_type"): ["physical", "postal", "virtual"],
          ("address", "address_type"): ["physical", "postal", "virtual"]}
_FOREIGN_KEYS = {
    "service": [("organization_id", "organization")],
    "location": [("organization_id", "organization")],
    "service_at_location": [("service_id", "service"), ("location_id", "location")],
    "address": [("location_id", "location")],
}


def hsds_id(key: str, table: str) -> str:
    """The stable UUID of an entry's row in an HSDS table (the same in every export)."""
    return str(uuid.uuid5(HSDS_NAMESPACE, f"{key}#{table}"))


def _hsds_rows(picture, mapview: MapView) -> dict[str, list[dict[str, Any]]]:
    """The rows of every HSDS table for the entries the view lists (public fields only)."""
    lang = mapview.lang
    points = _display_points(picture)
    rows: dict[str, list[dict[str, Any]]] = {table: [] for table in _HSDS_TABLES}
    for entry in mapview.kept_entries(picture):
        values = public_values(entry)
        key = entry_key(entry.entity, entry.id)
        card = entry_row(entry, picture, lang)
        kind = translate(KIND_LABELS.get(entry.kind, entry.kind), lang)
        organisation_id, service_id = hsds_id(key, "organization"), hsds_id(key, "service")
        about = f"{kind}. {card['area_heading']}: {card['area']}."
        rows["organization"].append({
            "id": organisation_id,
            "name": values["name"],
            "description": values["description"] or about,
            "website": values["website"],
            "samen030_key": key,
            "sources": "; ".join(url.strip() for url in values["source_url"].split(";") if url.strip()),
            "source_read_on": values["source_read_on"].isoformat() if values["source_read_on"] else "",
            "checked_on": values["checked_on"].isoformat() if values["checked_on"] else "",
        })
        offers = [kind + "."]
        if card["themes"]:
            offers.append(f"{translate('Thema', lang)}: {', '.join(card['themes'])}.")
        offers += [translate(PILLAR_LABELS[p], lang) + "." for p in values["pillars"] if p in PILLAR_LABELS]
        if values["description"]:
            offers.append(values["description"])
        rows["service"].append({
            "id": service_id, "organization_id": organisation_id, "name": values["name"],
            "description": " ".join(offers), "url": values["website"], "status": "active",
        })
        point = points.get((entry.entity, entry.id))
        has_address = bool(values["address"] and values["postcode"])
        if point is None and not has_address:
            continue  # a city-wide entry without an address has no location
        location_id = hsds_id(key, "location")
        precision = translate(PRECISION_LABELS.get(values["location_precision"], ""), lang)
        description = f"{precision}. {card['area_heading']}: {card['area']}."
        if values["address"] and not has_address:
            description += f" {translate('Adres', lang)}: {values['address']} ({translate('postcode onbekend', lang)})."
        single_area = values["area_codes"][0] if entry.area_level in ("buurt", "wijk") and len(values["area_codes"]) == 1 else ""
        rows["location"].append({
            "id": location_id, "location_type": "physical", "organization_id": organisation_id, "name": values["name"],
            "description": description,
            "latitude": point[0] if point else "", "longitude": point[1] if point else "",
            "external_identifier": single_area,
            "external_identifier_type": ("CBS-buurtcode" if entry.area_level == "buurt" else "CBS-wijkcode") if single_area else "",
        })
        rows["service_at_location"].append({"id": hsds_id(key, "service_at_location"), "service_id": service_id, "location_id": location_id})
        if has_address:
            rows["address"].append({
                "id": hsds_id(key, "address"), "location_id": location_id, "address_1": values["address"], "city": "Utrecht",
                "state_province": "Utrecht", "postal_code": values["postcode"], "country": "NL", "address_type": "physical",
            })
    return rows


def _hsds_descriptor(picture, mapview: MapView, created: datetime) -> dict[str, Any]:
    resources = []
    for table, (path, description, fields) in _HSDS_TABLES.items():
        schema_fields = []
        for name, kind, fmt, required, about in fields:
            spec: dict[str, Any] = {"name": name, "type": kind}
            if fmt:
                spec["format"] = fmt
            if about:
                spec["description"] = about
            constraints: dict[str, Any] = {"required": True} if required else {}
            if name == "id":
                constraints["unique"] = True
            if (table, name) in _ENUMS:
                constraints["enum"] = _ENUMS[(table, name)]
            if constraints:
                spec["constraints"] = constraints
            schema_fields.append(spec)
        schema: dict[str, Any] = {"fields": schema_fields, "primaryKey": ["id"]}
        if table in _FOREIGN_KEYS:
            schema["foreignKeys"] = [{"fields": [column], "reference": {"resource": target, "fields": ["id"]}} for column, target in _FOREIGN_KEYS[table]]
        resources.append({
            "name": table, "path": path, "profile": "tabular-data-resource", "format": "csv", "mediatype": "text/csv",
            "encoding": "utf-8", "description": description, "schema": schema,
        })
    return {
        "profile": "tabular-data-package",
        "name": "samen030-buurtkaart-hsds",
        "title": "SAMEN030 Buurtkaart: organisaties en ontmoetingsplekken in Utrecht (Open Referral HSDS 3.0)",
        "description": (
            f"Gepubliceerde organisaties en ontmoetingsplekken uit de SAMEN030 Buurtkaart. Filter: {mapview.describe('nl')}. "
            f"Wijk- en buurtgrenzen en -codes: {picture.attribution}. Tekens = + - @ aan het begin van een cel krijgen een ' ervoor."
        ),
        "created": created.isoformat(timespec="seconds"),
        "hsds_version": "3.0",
        "sources": [
            {"title": picture.attribution},
            {"title": "SAMEN030 Buurtkaart-register, overgenomen uit openbare bronnen (per organisatie in de kolom sources)"},
        ],
        "resources": resources,
    }


def hsds_package(picture, mapview: MapView | None = None, created: datetime | None = None) -> bytes:
    """A zip with an Open Referral HSDS 3.0 tabular data package of the entries the view lists.

    Mapping: every published organisation and meeting place is one organization (a place's operator is
    not in the registry) with one service (what it offers: kind, themes, pillars; status "active"); a
    location where the map draws it (latitude/longitude of the display point, its precision and
    werkgebied in the description, the CBS code of a single werkgebied as external identifier) with a
    service_at_location; an address only where the registry has both an address and a postcode (HSDS
    requires a postal code). IDs are uuid5(HSDS_NAMESPACE, "<key>#<table>"): stable across exports.
    Own fields (allowed by HSDS, documented in datapackage.json): samen030_key, sources,
    source_read_on, checked_on on organizations.
    """
    mapview = mapview or MapView()
    created = created or datetime.now(timezone.utc)
    rows = _hsds_rows(picture, mapview)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        descriptor = _hsds_descriptor(picture, mapview, created)
        archive.writestr(zipfile.ZipInfo("datapackage.json", ZIP_DATE), json.dumps(descriptor, ensure_ascii=False, indent=1), zipfile.ZIP_DEFLATED)
        for table, (path, _, fields) in _HSDS_TABLES.items():
            header = [name for name, *_ in fields]
            data = _csv(header, ([_cell(row.get(name, "")) for name in header] for row in rows[table]), bom=False)
            archive.writestr(zipfile.ZipInfo(path, ZIP_DATE), data, zipfile.ZIP_DEFLATED)
    return out.getvalue()


# --- by name (CLI and buttons) ---------------------------------------------------------------------

EXPORTS = {
    # name: (function, file name, MIME type)
    "buurten-csv": (buurten_csv, "buurten.csv", "text/csv"),
    "organisaties-csv": (organisations_csv, "organisaties.csv", "text/csv"),
    "plekken-csv": (places_csv, "plekken.csv", "text/csv"),
    "buurten-geojson": (buurten_geojson, "buurten.geojson", "application/geo+json"),
    "punten-geojson": (points_geojson, "punten.geojson", "application/geo+json"),
    "hsds": (hsds_package, "hsds.zip", "application/zip"),
}


def export_file(picture, mapview: MapView | None, name: str) -> tuple[bytes, str, str]:
    """(data, file name, MIME type) of the export called `name` (see EXPORTS)."""
    function, filename, mime_type = EXPORTS[name]
    return function(picture, mapview or MapView()), filename, mime_type
