"""The registry of organisations and meeting places: schema, validation and seed CSV reading.

One `RegistryEntry` is one row of geodata/registry/{organisations,meeting_places}.csv (or of the
database tables that are seeded from them). Validation returns Dutch messages for the people who
maintain the files; codes and names in the code stay English.
"""

from __future__ import annotations

import math
import re
from dataclasses import field, fields, make_dataclass, replace
from datetime import date

import geopandas as gpd
import numpy as np
import pandas as pd

from samen030_map.core.boundaries import Boundaries
from samen030_map.core.geo import RD_NEW, WGS84, points_to_buurten
from samen030_map.core.safety import clean_text, has_visible_character, is_http_url, text_problems
from samen030_map.core.schema import (  # noqa: F401  (vocabularies re-exported for the rest of the app)
    AREA_LEVELS,
    COLUMN_ALIASES,
    CSV_COLUMNS,
    ENTITIES,
    FIELDS,
    FIELDS_BY_NAME,
    LIST_FIELDS,
    MAX_URL_LENGTH,
    ORG_KINDS,
    PARTIAL_DATE,
    PILLARS,
    PLACE_KINDS,
    PRECISIONS,
    PRIVATE_FIELDS,
    PUBLISHED_STATUSES,
    RELATIONS,
    REQUIRED_COLUMNS,
    STATUSES,
    THEMES,
    FieldSpec,
    choices_for,
    parse_cell,
    split_list,
)

# The schema (fields, vocabularies, CSV columns) is stated once, in core/schema.py.
EARLIEST_DATE = date(1900, 1, 1)
EARLIEST_FOUNDED_YEAR = 1800

_ID_PATTERN = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
_BUURTCODE = re.compile(r"^BU\d{8}$")
_WIJKCODE = re.compile(r"^WK\d{6}$")
_TEXT_KINDS = ("id", "text", "longtext", "choice", "url", "urls", "partial_date")


class RegistryError(ValueError):
    """A registry file or entry is invalid. The message names file, row and field;
    `problems` holds every problem found (validation never stops at the first one)."""

    def __init__(self, message: str, problems: list[str] | tuple[str, ...] = ()):
        super().__init__(message)
        self.problems = list(problems) or [message]


def _entry_class():
    """RegistryEntry, made from schema.FIELDS: entity first, then every field with its type and default."""
    columns = [("entity", str)]
    for spec in FIELDS:
        if spec.name in ("id", "name", "kind"):
            columns.append((spec.name, spec.python_type))
        else:
            columns.append((spec.name, spec.python_type, field(default=spec.default_value)))
    doc = (
        "One organisation or meeting place (entity 'organisation' | 'meeting_place'); fields: see "
        "core/schema.py. Text is kept exactly as given (a name with HTML in it is just text)."
    )
    return make_dataclass("RegistryEntry", columns, namespace={"__doc__": doc, "__module__": __name__})


RegistryEntry = _entry_class()


def public_copy(entry):
    """The entry without its coordinator-only fields (contact, notes): what may be shown or exported."""
    return replace(entry, **{name: FIELDS_BY_NAME[name].default_value for name in PRIVATE_FIELDS})


# --- validation ------------------------------------------------------------------------------


def validate_entry(entry: RegistryEntry, boundaries: Boundaries, today: date | None = None) -> list[str]:
    """All problems with one entry, as Dutch messages "field: problem" (empty list = valid).

    This is the one place that judges a field's content; the CSV import, the CLI and the forms all
    call it. Text is expected to be cleaned already (clean_entry: surrounding whitespace only).
    `today` (default: the date today) is the latest allowed date (source_read_on, checked_on, founded).
    """
    problems: list[str] = []
    today = today or date.today()
    if entry.entity not in ENTITIES:
        problems.append(f"entity: onbekend type {entry.entity!r} (kies uit {', '.join(ENTITIES)})")
    for spec in FIELDS:
        problems += [f"{spec.name}: {problem}" for problem in _field_problems(spec, getattr(entry, spec.name), entry.entity, today)]
    if isinstance(entry.id, str) and entry.id and not _ID_PATTERN.match(entry.id):
        problems.append(
            f"id: {_shown(entry.id)} is geen geldige id (alleen kleine letters, cijfers, '-' en '_')"
        )
    area_problems = _check_area(entry, boundaries)
    problems += area_problems
    problems += _check_coordinates(entry, boundaries, check_area=not area_problems)
    return problems


def validate_fields(entry: RegistryEntry, names, today: date | None = None) -> list[str]:
    """Problems of some fields on their own ("field: problem"), for a file that has only those columns;
    the checks across fields (werkgebied, coordinates) wait until the row is merged with the stored item."""
    today = today or date.today()
    problems = [f"{name}: {p}" for name in names if name in FIELDS_BY_NAME for p in _field_problems(FIELDS_BY_NAME[name], getattr(entry, name), entry.entity, today)]
    if "id" in names and isinstance(entry.id, str) and entry.id and not _ID_PATTERN.match(entry.id):
        problems.append(f"id: {_shown(entry.id)} is geen geldige id (alleen kleine letters, cijfers, '-' en '_')")
    return problems


def _field_problems(spec: FieldSpec, value, entity: str, today: date) -> list[str]:
    """What is wrong with one field's value by itself (schema rules: type, length, choices, form)."""
    if spec.kind in _TEXT_KINDS:
        problems = text_problems(value, spec.max_length, spec.multiline)
        if problems:
            return problems
        if value.strip() and not has_visible_character(value):
            return ["bevat alleen spaties of onzichtbare tekens"]
        if not value.strip():
            return [f"{spec.label.lower()} ontbreekt"] if spec.required else []
        if spec.kind in ("text", "longtext") and value.startswith("="):
            # What a spreadsheet left behind (=HYPERLINK(...)); as text it is never meant, and dangerous in a CSV.
            return ["begint met '=' en lijkt een spreadsheetformule; haal de '=' weg of typ de tekst zelf"]
        return _content_problems(spec, value, entity, today)
    if spec.kind in ("choices", "codes"):
        if isinstance(value, str):  # a bare string would be checked letter by letter
            return [f"verwacht een lijst, geen tekst {value!r}"]
        if len(";".join(value)) > spec.max_length:
            return [f"te lang (hoogstens {spec.max_length} tekens)"]
        word = {"themes": "thema", "pillars": "pijler"}.get(spec.name, "waarde")
        return [f"onbekend {word} {_shown(v)}" for v in value if spec.kind == "choices" and v not in spec.choices]
    if spec.kind == "date":
        return _check_date(value, today)
    if spec.kind == "bool":
        return [] if isinstance(value, bool) else [f"verwacht ja of nee, geen {_shown(value)}"]
    return []  # float: checked with the coordinates


def _content_problems(spec: FieldSpec, value: str, entity: str, today: date) -> list[str]:
    """Rules for the content of a (non-empty, clean) text field by its kind."""
    choices = choices_for(spec, entity)
    if spec.kind == "choice" and choices and value not in choices:
        what = "soort" if spec.name == "kind" else "waarde"
        return [f"onbekende {what} {_shown(value)} (toegestaan: {', '.join(choices)})"]
    urls = split_list(value) if spec.kind == "urls" else [value] if spec.kind == "url" else []
    bad = [url for url in urls if not is_http_url(url)]
    if bad:
        return [
            f"{_shown(url)} is geen geldig webadres (begin met https:// of http://, zonder spaties, hoogstens {MAX_URL_LENGTH} tekens)"
            for url in bad
        ]
    if spec.kind == "partial_date":
        if not PARTIAL_DATE.match(value):
            return [f"{_shown(value)} is geen jaar of datum (verwacht JJJJ, JJJJ-MM of JJJJ-MM-DD)"]
        # ISO dates sort as text: compare with today cut to the same precision.
        if value > today.isoformat()[: len(value)]:
            return [f"{value} ligt in de toekomst"]
        if int(value[:4]) < EARLIEST_FOUNDED_YEAR:
            return [f"{value} is te vroeg (niet voor {EARLIEST_FOUNDED_YEAR})"]
        if len(value) == 10:
            try:
                date.fromisoformat(value)
            except ValueError:
                return [f"{value} bestaat niet als datum"]
    return []


def clean_entry(entry: RegistryEntry) -> RegistryEntry:
    """The entry with surrounding whitespace removed from its text fields (nothing else changes)."""
    changes = {
        f.name: clean_text(getattr(entry, f.name))
        for f in fields(entry)
        if isinstance(getattr(entry, f.name), str)
    }
    return replace(entry, **changes)


def _shown(value, limit: int = 60) -> str:
    """A value quoted for a message: repr (so control characters show as escapes), cut short."""
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "…"


def _check_date(value, today: date) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, date):
        return [f"{_shown(value)} is geen datum"]
    if value > today:
        return [f"{value.isoformat()} ligt in de toekomst (vandaag is {today.isoformat()})"]
    if value < EARLIEST_DATE:
        return [f"{value.isoformat()} is te vroeg (niet voor {EARLIEST_DATE.year})"]
    return []


def _check_area(entry: RegistryEntry, boundaries: Boundaries) -> list[str]:
    level, codes = entry.area_level, entry.area_codes
    if isinstance(codes, str):
        return [f"area_codes: verwacht een lijst, geen tekst {codes!r}"]
    if level not in AREA_LEVELS:
        return []  # reported with the field itself
    if level == "stad":
        if codes:
            return ["area_codes: moet leeg zijn bij area_level stad"]
        return []
    if not codes:
        return [f"area_codes: ontbreekt (verplicht bij area_level {level})"]

    problems = []
    for code in codes:
        if _BUURTCODE.match(code):
            if code not in boundaries.buurten.index:
                problems.append(f"area_codes: onbekende buurtcode {code}")
            elif level != "buurt":
                problems.append(f"area_codes: {code} is een buurtcode, maar area_level is {level}")
        elif _WIJKCODE.match(code):
            if code not in boundaries.wijken.index:
                problems.append(f"area_codes: onbekende wijkcode {code}")
            elif level != "wijk":
                problems.append(f"area_codes: {code} is een wijkcode, maar area_level is {level}")
        else:
            problems.append(f"area_codes: {_shown(code)} is geen wijkcode (WK…) of buurtcode (BU…)")
    return problems


def _check_coordinates(entry: RegistryEntry, boundaries: Boundaries, check_area: bool = True) -> list[str]:
    """lat/lon: both or neither, numbers, inside Utrecht and (when `check_area`) inside the werkgebied
    that area_level/area_codes claim."""
    lat, lon = entry.lat, entry.lon
    if lat is None and lon is None:
        return []
    if lat is None or lon is None:
        return ["lat/lon: vul beide in of laat beide leeg"]
    numbers = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (lat, lon))
    if not (numbers and math.isfinite(lat) and math.isfinite(lon)):
        return ["lat/lon: geen geldig getal"]
    buurtcode = _buurt_at(lat, lon, boundaries)
    if buurtcode is None:
        hint = " (lat en lon omgewisseld?)" if _buurt_at(lon, lat, boundaries) is not None else ""
        return [f"lat/lon: punt ({lat}, {lon}) ligt buiten de gemeente Utrecht (in geen enkele buurt){hint}"]
    if not check_area or entry.area_level not in ("buurt", "wijk"):
        return []
    buurt = boundaries.buurten.loc[buurtcode]
    inside = buurtcode if entry.area_level == "buurt" else buurt["wijkcode"]
    if inside in entry.area_codes:
        return []
    where = f"buurt {buurt['buurtnaam']} ({buurtcode})"
    if entry.area_level == "wijk":
        where += f", wijk {buurt['wijknaam']} ({buurt['wijkcode']})"
    return [
        f"lat/lon: punt ({lat}, {lon}) ligt in {where}, niet in het werkgebied "
        f"{';'.join(entry.area_codes)}; controleer de coördinaten of area_codes"
    ]


def _buurt_at(lat: float, lon: float, boundaries: Boundaries) -> str | None:
    point = gpd.GeoDataFrame(geometry=gpd.points_from_xy([lon], [lat]), crs=WGS84)
    code = points_to_buurten(point, boundaries.buurten).iloc[0]
    return None if pd.isna(code) else code


# --- reading a row (files are read in core/importing.py) -----------------------------------


def _parse_row(row: dict[str, str], entity: str) -> tuple[RegistryEntry, list[str]]:
    """Turn one CSV row into an entry; returns parse problems ("field: problem").

    Columns the file does not have take the schema's default.
    """
    values, problems = {}, []
    for spec in FIELDS:
        if spec.name not in row:
            continue
        # Surrounding whitespace is spreadsheet noise; the text itself (HTML included) is kept as is.
        text = clean_text(row[spec.name])
        # An empty choice cell means the schema's default (e.g. relation "onbekend"), not "no value".
        value, problem = (spec.default_value, "") if spec.kind == "choice" and not text else parse_cell(spec, text)
        values[spec.name] = value
        if problem:
            problems.append(f"{spec.name}: {problem}")
    return RegistryEntry(entity=entity, **{"id": "", "name": "", "kind": ""} | values), problems


# --- display points --------------------------------------------------------------------------

FRAME_COLUMNS = (
    "id",
    "entity",
    "name",
    "kind",
    "area_level",
    "area_codes",
    "location_precision",
    "display_point",
    "point_is_approximate",
    "buurtcode",
)


def entries_frame(entries: list[RegistryEntry], boundaries: Boundaries) -> gpd.GeoDataFrame:
    """One row per entry (EPSG:28992) with the point to show it at.

    display_point is the real point when lat/lon are given; otherwise the representative point
    of its single buurt or single wijk (point_is_approximate=True); None for stad-level or
    multi-area entries. buurtcode is the buurt the display point lies in (None without a point).
    """
    # Text columns keep a text dtype even when there are no entries.
    text_columns = ("id", "entity", "name", "kind", "area_level", "location_precision")
    columns = {name: pd.Series([getattr(e, name) for e in entries], dtype="str") for name in text_columns}
    columns["area_codes"] = pd.Series([tuple(e.area_codes) for e in entries], dtype=object)

    has_coords = np.array([e.lat is not None and e.lon is not None for e in entries], dtype=bool)
    exact = gpd.points_from_xy(
        [e.lon if e.lon is not None else math.nan for e in entries],
        [e.lat if e.lat is not None else math.nan for e in entries],
        crs=WGS84,
    ).to_crs(RD_NEW)

    # Stand-in point: the representative point of the entry's single buurt or wijk
    # (always inside the area, unlike a centroid); none for stad level or several areas.
    single_area = [
        e.area_codes[0] if e.area_level in ("buurt", "wijk") and len(e.area_codes) == 1 else None
        for e in entries
    ]
    area_points = {}
    for areas in (boundaries.buurten, boundaries.wijken):
        area_points.update(zip(areas.index, areas.geometry.representative_point().to_numpy()))
    approx = np.array([area_points.get(code) for code in single_area], dtype=object)
    has_approx = ~has_coords & pd.notna(approx)

    columns["display_point"] = gpd.GeoSeries(np.where(has_coords, np.asarray(exact), approx), crs=RD_NEW)
    columns["point_is_approximate"] = has_approx
    columns["buurtcode"] = points_to_buurten(columns["display_point"], boundaries.buurten)
    return gpd.GeoDataFrame({name: columns[name] for name in FRAME_COLUMNS}, geometry="display_point", crs=RD_NEW)
