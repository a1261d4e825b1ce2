"""The registry of organisations and meeting places: schema, validation and seed CSV reading.

One `RegistryEntry` is one row of geodata/registry/{organisations,meeting_places}.csv (or of the
database tables that are seeded from them). Validation returns Dutch messages for the people who
maintain the files; codes and names in the code stay English.
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from samen030_map.core.boundaries import Boundaries
from samen030_map.core.geo import RD_NEW, WGS84, points_to_buurten

# --- vocabularies (the seed CSV schema is described in geodata/registry/SOURCES.md) ---------------

THEMES = (
    "Gezondheid & zorg",
    "Hulpvragen & initiatieven",
    "Leefstijl & sporten",
    "Ontmoeten & samen doen",
    "Wijk & gemeentezaken",
)
# a = sociale cohesie/inclusie volwassenen, b = pedagogische civil society jeugd,
# c = buurtcentra & speeltuinen
PILLARS = ("a", "b", "c")
ORG_KINDS = (
    "stadscooperatie",
    "wijkcooperatie",
    "buurtcooperatie",
    "buurtwerkkamer",
    "wijkinformatiepunt",
    "bewonersorganisatie",
    "wijkplatform",
    "ondernemerskring",
    "sociale_onderneming",
    "belangenorganisatie",
    "netwerk",
)
PLACE_KINDS = ("buurthuis", "buurtcentrum", "speeltuin", "bibliotheek", "overig")
PRECISIONS = ("adres", "straat", "postcode", "buurt", "wijk", "onbekend")
RELATIONS = ("kernpartner", "lid", "onbekend", "stadscooperatie")
AREA_LEVELS = ("stad", "wijk", "buurt")
ENTITIES = ("organisation", "meeting_place")

# Column order of the seed CSV files.
CSV_COLUMNS = (
    "id",
    "name",
    "kind",
    "themes",
    "pillars",
    "area_level",
    "area_codes",
    "address",
    "postcode",
    "lat",
    "lon",
    "location_precision",
    "samen030_relation",
    "website",
    "source_url",
    "verified_on",
    "note",
)
LIST_FIELDS = ("themes", "pillars", "area_codes")

_KINDS = {"organisation": ORG_KINDS, "meeting_place": PLACE_KINDS}
_ID_PATTERN = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
_BUURTCODE = re.compile(r"^BU\d{8}$")
_WIJKCODE = re.compile(r"^WK\d{6}$")


class RegistryError(ValueError):
    """A registry file or entry is invalid. The message names file, row and field;
    `problems` holds every problem found (validation never stops at the first one)."""

    def __init__(self, message: str, problems: list[str] | tuple[str, ...] = ()):
        super().__init__(message)
        self.problems = list(problems) or [message]


@dataclass
class RegistryEntry:
    """One organisation or meeting place. Text fields are kept exactly as given (a name with
    HTML in it is just text); empty optional text is ""."""

    entity: str  # "organisation" | "meeting_place"
    id: str
    name: str
    kind: str
    themes: tuple[str, ...] = ()
    pillars: tuple[str, ...] = ()
    area_level: str = "stad"
    area_codes: tuple[str, ...] = ()
    address: str = ""
    postcode: str = ""
    lat: float | None = None
    lon: float | None = None
    location_precision: str = "onbekend"
    samen030_relation: str = "onbekend"
    website: str = ""
    source_url: str = ""
    verified_on: date | None = None
    note: str = ""


# --- validation ------------------------------------------------------------------------------


def validate_entry(entry: RegistryEntry, boundaries: Boundaries) -> list[str]:
    """All problems with one entry, as Dutch messages "field: problem" (empty list = valid)."""
    problems: list[str] = []

    if entry.entity not in ENTITIES:
        problems.append(f"entity: onbekend type {entry.entity!r} (kies uit {', '.join(ENTITIES)})")
    if not entry.id:
        problems.append("id: ontbreekt")
    elif not _ID_PATTERN.match(entry.id):
        problems.append(
            f"id: {entry.id!r} is geen geldige id (alleen kleine letters, cijfers, '-' en '_')"
        )
    if not entry.name or not entry.name.strip():
        problems.append("name: naam ontbreekt")

    kinds = _KINDS.get(entry.entity, ())
    if entry.entity in ENTITIES and entry.kind not in kinds:
        problems.append(f"kind: onbekende soort {entry.kind!r} (toegestaan: {', '.join(kinds)})")
    problems += _check_vocabulary("themes", entry.themes, THEMES, "thema")
    problems += _check_vocabulary("pillars", entry.pillars, PILLARS, "pijler")
    if entry.location_precision not in PRECISIONS:
        problems.append(
            f"location_precision: onbekende waarde {entry.location_precision!r} "
            f"(toegestaan: {', '.join(PRECISIONS)})"
        )
    if entry.samen030_relation not in RELATIONS:
        problems.append(
            f"samen030_relation: onbekende waarde {entry.samen030_relation!r} "
            f"(toegestaan: {', '.join(RELATIONS)})"
        )

    if entry.verified_on is not None and not isinstance(entry.verified_on, date):
        problems.append(f"verified_on: {entry.verified_on!r} is geen datum")

    problems += _check_area(entry, boundaries)
    problems += _check_coordinates(entry, boundaries)
    return problems


def _check_vocabulary(field: str, values, allowed, word: str) -> list[str]:
    if isinstance(values, str):  # a bare string would be checked letter by letter
        return [f"{field}: verwacht een lijst, geen tekst {values!r}"]
    return [f"{field}: onbekend {word} {v!r}" for v in values if v not in allowed]


def _check_area(entry: RegistryEntry, boundaries: Boundaries) -> list[str]:
    level, codes = entry.area_level, entry.area_codes
    if isinstance(codes, str):
        return [f"area_codes: verwacht een lijst, geen tekst {codes!r}"]
    if level not in AREA_LEVELS:
        return [f"area_level: onbekende waarde {level!r} (toegestaan: {', '.join(AREA_LEVELS)})"]
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
            problems.append(f"area_codes: {code!r} is geen wijkcode (WK…) of buurtcode (BU…)")
    return problems


def _check_coordinates(entry: RegistryEntry, boundaries: Boundaries) -> list[str]:
    lat, lon = entry.lat, entry.lon
    if lat is None and lon is None:
        return []
    if lat is None or lon is None:
        return ["lat/lon: vul beide in of laat beide leeg"]
    numbers = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (lat, lon))
    if not (numbers and math.isfinite(lat) and math.isfinite(lon)):
        return ["lat/lon: geen geldig getal"]
    if _buurt_at(lat, lon, boundaries) is not None:
        return []
    hint = " (lat en lon omgewisseld?)" if _buurt_at(lon, lat, boundaries) is not None else ""
    return [f"lat/lon: punt ({lat}, {lon}) ligt buiten de gemeente Utrecht (in geen enkele buurt){hint}"]


def _buurt_at(lat: float, lon: float, boundaries: Boundaries) -> str | None:
    point = gpd.GeoDataFrame(geometry=gpd.points_from_xy([lon], [lat]), crs=WGS84)
    code = points_to_buurten(point, boundaries.buurten).iloc[0]
    return None if pd.isna(code) else code


# --- reading seed CSV files -----------------------------------------------------------------


def read_seed_csv(path: Path | str, entity: str, boundaries: Boundaries) -> list[RegistryEntry]:
    """Read and validate a seed CSV (UTF-8, comma, header row) into entries.

    Every row is checked; if anything is wrong a RegistryError lists ALL problems, each as
    "<file> rij <n>, <field>: <problem>" with spreadsheet row numbers (header = row 1).
    """
    path = Path(path)
    fname = path.name
    if entity not in ENTITIES:
        raise ValueError(f"entity must be one of {ENTITIES}, not {entity!r}")
    try:
        # utf-8-sig: a spreadsheet export often starts with a byte order mark
        with path.open(encoding="utf-8-sig", newline="") as f:
            records = list(csv.reader(f, strict=True))
    except FileNotFoundError:
        raise RegistryError(f"{fname}: bestand niet gevonden ({path})") from None
    except UnicodeDecodeError as e:
        raise RegistryError(f"{fname}: geen geldige UTF-8-tekst (byte {e.start})") from None
    except csv.Error as e:
        raise RegistryError(f"{fname}: geen geldig CSV-bestand ({e})") from None

    if not records:
        raise RegistryError(f"{fname}: bestand is leeg (kopregel ontbreekt)")
    header = [h.strip() for h in records[0]]
    missing = [c for c in CSV_COLUMNS if c not in header]
    unknown = [c for c in header if c not in CSV_COLUMNS]
    if missing or unknown:
        parts = []
        if missing:
            parts.append(f"ontbrekende kolom(men): {', '.join(missing)}")
        if unknown:
            parts.append(f"onbekende kolom(men): {', '.join(repr(c) for c in unknown)}")
        raise RegistryError(f"{fname} rij 1 (kopregel): {'; '.join(parts)}")

    entries: list[RegistryEntry] = []
    problems: list[str] = []
    first_row_of_id: dict[str, int] = {}
    for row_number, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue  # blank line
        where = f"{fname} rij {row_number}"
        if len(record) != len(header):
            problems.append(f"{where}: verwacht {len(header)} velden, gevonden {len(record)}")
            continue
        entry, row_problems = _parse_row(dict(zip(header, record)), entity)
        row_problems += validate_entry(entry, boundaries)
        if entry.id in first_row_of_id:
            row_problems.append(f"id: {entry.id!r} komt al voor in rij {first_row_of_id[entry.id]}")
        first_row_of_id.setdefault(entry.id, row_number)
        problems += [f"{where}, {p}" for p in row_problems]
        entries.append(entry)

    if problems:
        count = f"{len(problems)} probleem" if len(problems) == 1 else f"{len(problems)} problemen"
        raise RegistryError(f"{fname}: {count}:\n" + "\n".join(problems), problems)
    return entries


def _parse_row(row: dict[str, str], entity: str) -> tuple[RegistryEntry, list[str]]:
    """Turn one CSV row into an entry; returns parse problems ("field: problem")."""
    # Surrounding whitespace is spreadsheet noise; the text itself (HTML included) is kept as is.
    row = {k: v.strip() for k, v in row.items()}
    problems: list[str] = []

    def number(field: str) -> float | None:
        if not row[field]:
            return None
        try:
            return float(row[field])
        except ValueError:
            problems.append(f"{field}: {row[field]!r} is geen getal (gebruik een punt: 52.09)")
            return None

    verified_on = None
    if row["verified_on"]:
        try:
            verified_on = date.fromisoformat(row["verified_on"])
        except ValueError:
            problems.append(
                f"verified_on: {row['verified_on']!r} is geen datum (verwacht JJJJ-MM-DD)"
            )

    entry = RegistryEntry(
        entity=entity,
        id=row["id"],
        name=row["name"],
        kind=row["kind"],
        themes=split_list(row["themes"]),
        pillars=split_list(row["pillars"]),
        area_level=row["area_level"],
        area_codes=split_list(row["area_codes"]),
        address=row["address"],
        postcode=row["postcode"],
        lat=number("lat"),
        lon=number("lon"),
        location_precision=row["location_precision"],
        samen030_relation=row["samen030_relation"],
        website=row["website"],
        source_url=row["source_url"],
        verified_on=verified_on,
        note=row["note"],
    )
    return entry, problems


def split_list(text: str) -> tuple[str, ...]:
    """"a; b;c" -> ("a", "b", "c"); empty parts are dropped."""
    return tuple(part.strip() for part in text.split(";") if part.strip())


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
