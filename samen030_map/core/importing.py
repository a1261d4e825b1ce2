"""Reading a file of organisations or meeting places for an import: CSV or GeoJSON, in memory.

One reader for the command line and the workspace. It never stops at the first problem: every row is
read, and each problem is a `Problem` with its row (spreadsheet numbering, header = row 1; for GeoJSON
the feature number), column, value and a Dutch reason. Rows without problems come back as entries;
what happens with them (all or nothing, or only the good rows) is decided by the caller (db/store.py).

What is read:
- CSV with commas or semicolons (Dutch spreadsheets use ';') or tabs, UTF-8 with or without a byte
  order mark; Latin-1/Windows-1252 is recognised and refused with the remedy (saving as UTF-8);
- coordinates as lat/lon (WGS84) or x/y (RD New, EPSG:28992, e.g. 136000/456000);
- GeoJSON (a FeatureCollection): a Point is the location; for an organisation a (Multi)Polygon is its
  werkgebied, the buurten it covers for most of their area; EPSG:28992 when the file says so (`crs`);
- a column map (file column -> schema field) when the file's headers are not the schema's.
A file that cannot be read at all raises RegistryError with one message that says what to do.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import math
import re
from dataclasses import dataclass, field
from datetime import date

import geopandas as gpd
import shapely
from shapely.geometry import shape

from samen030_map.core.boundaries import Boundaries
from samen030_map.core.geo import RD_NEW, WGS84
from samen030_map.core.registry import (
    COLUMN_ALIASES,
    CSV_COLUMNS,
    REQUIRED_COLUMNS,
    RegistryEntry,
    RegistryError,
    _parse_row,
    _shown,
    validate_entry,
    validate_fields,
)

MAX_IMPORT_BYTES = 5_000_000
SAVE_AS_CSV = "sla het bestand op als 'CSV UTF-8 (door komma's gescheiden)'"
RD_COLUMNS = (("x", "y"), ("rd_x", "rd_y"))
MOST_OF_ITS_AREA = 0.5  # a polygon's werkgebied: the buurten it covers for more than half
_CSV_ERRORS = {
    "unexpected end of data": "een aanhalingsteken (\") wordt niet gesloten; sluit het veld af met \"",
    "expected after": "na een afsluitend aanhalingsteken moet het scheidingsteken komen; schrijf een \" binnen een veld als \"\"",
    "field larger than field limit": f"een veld is langer dan {csv.field_size_limit()} tekens",
}


@dataclass(frozen=True)
class Problem:
    """One problem of one row: where (row, column), what was there (value) and why (reason)."""

    row: int | None
    column: str
    value: str
    reason: str

    def text(self, filename: str) -> str:
        where = f"{filename} rij {self.row}" if self.row is not None else filename
        return f"{where}, {self.column}: {self.reason}" if self.column else f"{where}: {self.reason}"


@dataclass
class ImportRead:
    """What was read: entries without problems (with their row), the columns present, every problem."""

    filename: str
    entries: list[tuple[int, RegistryEntry]] = field(default_factory=list)  # (row, entry)
    columns: tuple[str, ...] = ()
    problems: list[Problem] = field(default_factory=list)
    rows: int = 0

    def problem_texts(self) -> list[str]:
        return [problem.text(self.filename) for problem in self.problems]


def read_import(
    data: bytes,
    filename: str,
    entity: str,
    boundaries: Boundaries,
    column_map: dict[str, str] | None = None,
    today: date | None = None,
) -> ImportRead:
    """Read an import file (bytes, parsed in memory) into entries and problems (see the module docstring)."""
    if len(data) > MAX_IMPORT_BYTES:
        raise RegistryError(f"{filename}: het bestand is te groot ({len(data) // 1000} kB, hoogstens {MAX_IMPORT_BYTES // 1_000_000} MB); splits het op")
    if not data.strip():
        raise RegistryError(f"{filename}: het bestand is leeg")
    text = _decode(data, filename)
    if text.lstrip()[:1] in ("{", "["):
        records, positions = _geojson_records(text, filename, entity, boundaries)
    else:
        records, positions = _csv_rows(text, filename)
    return _entries(records, positions, filename, entity, boundaries, column_map or {}, today)


def _decode(data: bytes, filename: str) -> str:
    if data.startswith(b"PK\x03\x04"):  # a zip archive: .xlsx or .ods
        raise RegistryError(f"{filename}: dit lijkt een Excel- of ander spreadsheetbestand; deze import verwacht CSV of GeoJSON: {SAVE_AS_CSV}")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise RegistryError(f"{filename}: geen geldige UTF-8-tekst maar UTF-16 ('Unicode-tekst'); {SAVE_AS_CSV}")
    try:
        return data.decode("utf-8-sig")  # a spreadsheet export often starts with a byte order mark
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise RegistryError(
            f"{filename} regel {line}: geen geldige UTF-8-tekst (byte 0x{data[error.start]:02X} op positie {error.start}); "
            f"het bestand is waarschijnlijk opgeslagen als Latin-1/Windows-1252: {SAVE_AS_CSV}"
        ) from None


def column_map_from_text(text: str) -> dict[str, str]:
    """'Naam=name; Soort=kind' -> {'Naam': 'name', 'Soort': 'kind'}: a file column -> a schema field."""
    pairs = [part.split("=", 1) for part in re.split(r"[;\n]", text) if "=" in part]
    return {column.strip(): field.strip() for column, field in pairs if column.strip() and field.strip()}


# --- CSV --------------------------------------------------------------------------------------------


def _csv_rows(text: str, filename: str) -> tuple[list[dict[str, str]], list[int]]:
    """(one dict per data row, their spreadsheet row numbers); the separator is read off the header."""
    first_line = text.splitlines()[0] if text.splitlines() else ""
    separator = max((",", ";", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=True)
    records: list[list[str]] = []
    try:
        for record in reader:
            records.append(record)
    except csv.Error as error:
        reason = next((dutch for english, dutch in _CSV_ERRORS.items() if english in str(error)), f"geen geldige CSV ({error})")
        raise RegistryError(f"{filename} rij {len(records) + 1} (regel {reader.line_num}): {reason}") from None
    if not records:
        raise RegistryError(f"{filename}: bestand is leeg (kopregel ontbreekt)")
    header = [cell.strip() for cell in records[0]]
    rows, positions = [], []
    for number, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue  # a blank line
        if len(record) != len(header):
            rows.append({"__fout__": f"verwacht {len(header)} velden, gevonden {len(record)}"})
        else:
            rows.append(dict(zip(header, record)))
        positions.append(number)
    if not rows:
        rows.append({"__kop__": ",".join(header)})  # header only: reported below with the columns
        positions.append(1)
    return [{"__kolommen__": header}, *rows], [1, *positions]


# --- GeoJSON ----------------------------------------------------------------------------------------


def _geojson_records(text: str, filename: str, entity: str, boundaries: Boundaries) -> tuple[list[dict], list[int]]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise RegistryError(f"{filename} regel {error.lineno}, kolom {error.colno}: geen geldig GeoJSON ({error.msg}); is het bestand onvolledig?") from None
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection" or not isinstance(document.get("features"), list):
        raise RegistryError(f"{filename}: verwacht een GeoJSON FeatureCollection met 'features'")
    rd = "28992" in json.dumps(document.get("crs", ""))
    columns: list[str] = []
    rows, positions = [], []
    for number, feature in enumerate(document["features"], start=1):
        properties = feature.get("properties") if isinstance(feature, dict) else None
        row = {str(k): "" if v is None else str(v) for k, v in (properties or {}).items()}
        for key in row:
            if key not in columns:
                columns.append(key)
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        row |= _geometry_cells(geometry, rd, entity, boundaries)
        rows.append(row)
        positions.append(number)
    if not rows:
        raise RegistryError(f"{filename}: de FeatureCollection heeft geen features")
    extra = [c for c in ("lat", "lon", "area_level", "area_codes") if any(c in row for row in rows) and c not in columns]
    return [{"__kolommen__": columns + extra}, *rows], [0, *positions]


def _geometry_cells(geometry, rd: bool, entity: str, boundaries: Boundaries) -> dict[str, str]:
    """lat/lon for a point; area_level/area_codes for an organisation's polygon; or a problem."""
    if geometry is None:
        return {}
    try:
        geom = shape(geometry)
    except Exception:
        return {"__fout__": "de geometrie is geen geldige GeoJSON-geometrie"}
    crs = RD_NEW if rd else WGS84
    if geom.geom_type == "Point":
        if not rd and (abs(geom.x) > 180 or abs(geom.y) > 90):
            return {"__fout__": f"coördinaten ({geom.x:.0f}, {geom.y:.0f}) lijken RD (EPSG:28992), maar het bestand noemt geen CRS en GeoJSON is dan WGS84; zet \"crs\" op EPSG:28992"}
        point = gpd.GeoSeries([geom], crs=crs).to_crs(WGS84).iloc[0]
        return {"lat": repr(round(point.y, 7)), "lon": repr(round(point.x, 7))}
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        if entity != "organisation":
            return {"__fout__": f"een ontmoetingsplek heeft een punt (Point) als plek, geen vlak ({geom.geom_type})"}
        area = gpd.GeoSeries([geom], crs=crs).to_crs(boundaries.buurten.crs).iloc[0]
        buurten = boundaries.buurten
        covered = shapely.area(shapely.intersection(buurten.geometry.to_numpy(), area)) / buurten.geometry.area.to_numpy()
        codes = [code for code, share in zip(buurten.index, covered) if share > MOST_OF_ITS_AREA]
        if not codes:
            return {"__fout__": "het vlak bedekt geen enkele Utrechtse buurt voor het grootste deel"}
        return {"area_level": "buurt", "area_codes": ";".join(codes)}
    return {"__fout__": f"geometrie {geom.geom_type} wordt niet gelezen (verwacht Point, of Polygon voor een werkgebied)"}


# --- from rows to entries ---------------------------------------------------------------------------


def _entries(records, positions, filename, entity, boundaries, column_map, today) -> ImportRead:
    """Map the columns, check them, then read and validate every row."""
    raw_columns = records[0]["__kolommen__"]
    mapped = [COLUMN_ALIASES.get(column_map.get(c, c).strip(), column_map.get(c, c).strip()) for c in raw_columns]
    result = ImportRead(filename)
    rd = next(((x, y) for x, y in RD_COLUMNS if x in mapped and y in mapped), None)
    known = [c for c in mapped if c in CSV_COLUMNS or (rd and c in rd)]
    _check_columns(raw_columns, mapped, filename)
    result.columns = tuple(dict.fromkeys([c for c in known if c in CSV_COLUMNS] + (["lat", "lon"] if rd else [])))
    complete = set(CSV_COLUMNS) <= set(result.columns)
    first_row_of_id: dict[str, int] = {}
    for record, number in zip(records[1:], positions[1:]):
        if "__kop__" in record:
            raise RegistryError(f"{filename}: het bestand heeft alleen een kopregel en geen rijen")
        result.rows += 1
        if "__fout__" in record and len(record) == 1:
            result.problems.append(Problem(number, "", "", record["__fout__"]))
            continue
        row = {mapped[raw_columns.index(k)] if k in raw_columns else k: v for k, v in record.items() if k != "__fout__"}
        problems = [Problem(number, "geometry", "", record["__fout__"])] if "__fout__" in record else []
        if rd:
            problems += _rd_to_latlon(row, rd, number)
        entry, parse_problems = _parse_row(row, entity)
        # A file with only some columns updates stored items: the checks across fields then run on the
        # merged item (db/store.py plan_import), here only the columns it has.
        checks = validate_entry(entry, boundaries, today) if complete else validate_fields(entry, result.columns, today)
        for text in [*parse_problems, *checks]:
            column, _, reason = text.partition(": ")
            problems.append(Problem(number, column, _shown(row.get(column.split("/")[0], "")) if column else "", reason))
        if entry.id and entry.id in first_row_of_id:
            problems.append(Problem(number, "id", _shown(entry.id), f"{entry.id!r} komt al voor in rij {first_row_of_id[entry.id]}"))
        first_row_of_id.setdefault(entry.id, number)
        if problems:
            result.problems += problems
        else:
            result.entries.append((number, entry))
    return result


def _check_columns(raw_columns: list[str], mapped: list[str], filename: str) -> None:
    where = f"{filename} rij 1 (kopregel)"
    if len(raw_columns) == 1 and (";" in raw_columns[0] or "\t" in raw_columns[0]):
        raise RegistryError(f"{where}: het scheidingsteken is niet te herkennen; gebruik komma's of puntkomma's; {SAVE_AS_CSV}")
    doubled = sorted({c for c in mapped if mapped.count(c) > 1})
    if doubled:
        raise RegistryError(f"{where}: kolom(men) {', '.join(_shown(c) for c in doubled)} komen meer dan één keer voor; laat elke kolom één keer staan")
    rd_names = {name for pair in RD_COLUMNS for name in pair}
    unknown = [raw for raw, name in zip(raw_columns, mapped) if name not in CSV_COLUMNS and name not in rd_names]
    missing = [c for c in REQUIRED_COLUMNS if c not in mapped]
    parts = []
    if missing:
        parts.append(f"ontbrekende kolom(men): {', '.join(missing)}")
    if unknown:
        parts.append(f"onbekende kolom(men): {', '.join(_shown(c) for c in unknown)} (koppel ze aan een veld, of laat ze weg)")
    if parts:
        raise RegistryError(f"{where}: {'; '.join(parts)}")


def _rd_to_latlon(row: dict[str, str], columns: tuple[str, str], number: int) -> list[Problem]:
    """x/y in RD New (metres) -> lat/lon (WGS84) in the row; a problem for text that is no number."""
    x_name, y_name = columns
    x_text, y_text = row.pop(x_name, "").strip(), row.pop(y_name, "").strip()
    if not x_text and not y_text:
        return []
    try:
        x, y = float(x_text.replace(",", ".")), float(y_text.replace(",", "."))
    except ValueError:
        return [Problem(number, f"{x_name}/{y_name}", _shown(f"{x_text} {y_text}"), "geen getallen (RD-coördinaten in meters, bijvoorbeeld 136000 en 456000)")]
    if not (math.isfinite(x) and math.isfinite(y)):
        return [Problem(number, f"{x_name}/{y_name}", _shown(f"{x_text} {y_text}"), "geen geldig getal")]
    point = gpd.GeoSeries(gpd.points_from_xy([x], [y]), crs=RD_NEW).to_crs(WGS84).iloc[0]
    row["lat"], row["lon"] = repr(round(point.y, 7)), repr(round(point.x, 7))
    return []


# --- files on disk (the command line and the seed files) --------------------------------------------


def read_file(path, entity: str, boundaries: Boundaries, column_map: dict[str, str] | None = None, today: date | None = None) -> ImportRead:
    """read_import of a file on disk; a file that cannot be opened gets one message that says why."""
    from pathlib import Path

    path = Path(path)
    fname = path.name
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise RegistryError(f"{fname}: bestand niet gevonden ({path})") from None
    except IsADirectoryError:
        raise RegistryError(f"{fname}: dit is een map, geen bestand; geef het pad van een CSV- of GeoJSON-bestand ({path})") from None
    except PermissionError:
        raise RegistryError(f"{fname}: geen toestemming om dit bestand te lezen ({path})") from None
    except OSError as error:
        raise RegistryError(f"{fname}: bestand kan niet worden gelezen ({error.strerror or error})") from None
    return read_import(data, fname, entity, boundaries, column_map, today)


def read_registry_csv(path, entity: str, boundaries: Boundaries, today: date | None = None, column_map: dict[str, str] | None = None) -> ImportRead:
    """An import file read all or nothing: any problem raises one RegistryError listing every problem."""
    if entity not in ("organisation", "meeting_place"):
        raise ValueError(f"entity must be organisation or meeting_place, not {entity!r}")
    read = read_file(path, entity, boundaries, column_map, today)
    if read.problems:
        problems = read.problem_texts()
        count = f"{len(problems)} probleem" if len(problems) == 1 else f"{len(problems)} problemen"
        raise RegistryError(f"{read.filename}: {count}:\n" + "\n".join(problems), problems)
    return read


def read_seed_csv(path, entity: str, boundaries: Boundaries, today: date | None = None) -> list[RegistryEntry]:
    """The entries of a registry file (see read_registry_csv)."""
    return [entry for _, entry in read_registry_csv(path, entity, boundaries, today).entries]
