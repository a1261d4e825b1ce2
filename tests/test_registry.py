"""Registry schema: reading and validating seed CSVs, and display points (real boundaries)."""

from __future__ import annotations

import csv
import dataclasses
from datetime import date
from pathlib import Path

import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from samen030_map.core.config import REGISTRY_DIR
from samen030_map.core.geo import RD_NEW
from samen030_map.core.registry import (
    CSV_COLUMNS,
    FRAME_COLUMNS,
    RegistryEntry,
    RegistryError,
    entries_frame,
    validate_entry,
)
from samen030_map.core.importing import read_seed_csv
from samen030_map.core.safety import has_visible_character, printable

ZUILEN_BUURT = "BU03440231"  # a buurt in wijk Noordwest (WK034402)
OOST = "WK034405"
AMERSFOORT = (52.156, 5.387)
DOMTOREN = (52.0907, 5.1214)  # in the Binnenstad
DOMPLEIN_BUURT = "BU03440611"  # the buurt the Domtoren stands in
HTML_NAME = '<b>Buurt</b> & <script>alert("hoi")</script> \'t Hart'


def org_row(**changes) -> dict:
    """A valid organisations.csv row; keyword arguments replace fields."""
    row = {
        "id": "buurtcooperatie-test",
        "name": "Buurtcoöperatie Test",
        "kind": "buurtcooperatie",
        "themes": "Ontmoeten & samen doen;Wijk & gemeentezaken",
        "pillars": "a;c",
        "area_level": "buurt",
        "area_codes": ZUILEN_BUURT,
        "address": "",
        "postcode": "",
        "lat": "",
        "lon": "",
        "location_precision": "buurt",
        "samen030_relation": "lid",
        "website": "https://example.org",
        "source_url": "https://example.org/over ; https://example.org/nieuws",
        "source_read_on": "2026-11-22",
        "note": "",
    }
    row.update(changes)
    return row


def write_csv(path: Path, rows: list[dict], columns=CSV_COLUMNS) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(columns), extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def problems_of(path: Path, boundaries, entity="organisation") -> list[str]:
    with pytest.raises(RegistryError) as caught:
        read_seed_csv(path, entity, boundaries)
    assert path.name in str(caught.value)
    return caught.value.problems


def entry(**changes) -> RegistryEntry:
    base = RegistryEntry(
        entity="organisation",
        id="test",
        name="Test",
        kind="buurtcooperatie",
        area_level="buurt",
        area_codes=(ZUILEN_BUURT,),
        location_precision="buurt",
        samen030_relation="onbekend",
    )
    return dataclasses.replace(base, **changes)


# --- the shipped seed files -------------------------------------------------------------------


@pytest.mark.parametrize(
    "filename, entity", [("organisations.csv", "organisation"), ("meeting_places.csv", "meeting_place")]
)
def test_shipped_seed_files_are_valid(real_boundaries, filename, entity):
    entries = read_seed_csv(REGISTRY_DIR / filename, entity, real_boundaries)
    assert entries
    assert all(e.entity == entity for e in entries)
    assert len({e.id for e in entries}) == len(entries)


# --- reading ----------------------------------------------------------------------------------


def test_valid_row_is_typed(tmp_path, real_boundaries):
    row = org_row(lat=str(DOMTOREN[0]), lon=str(DOMTOREN[1]), area_codes=DOMPLEIN_BUURT)
    [e] = read_seed_csv(write_csv(tmp_path / "organisations.csv", [row]), "organisation", real_boundaries)
    assert e.entity == "organisation"
    assert e.themes == ("Ontmoeten & samen doen", "Wijk & gemeentezaken")
    assert e.pillars == ("a", "c")
    assert e.area_codes == (DOMPLEIN_BUURT,)
    assert (e.lat, e.lon) == DOMTOREN
    assert e.source_read_on == date(2026, 11, 22)
    assert e.source_url == "https://example.org/over ; https://example.org/nieuws"


def test_unknown_buurtcode_names_file_row_and_field(tmp_path, real_boundaries):
    rows = [org_row(), org_row(id="tweede", area_codes="BU03449999")]
    problems = problems_of(write_csv(tmp_path / "organisations.csv", rows), real_boundaries)
    assert problems == ["organisations.csv rij 3, area_codes: onbekende buurtcode BU03449999"]


def test_all_problems_are_collected(tmp_path, real_boundaries):
    rows = [
        org_row(id="een", kind="voetbalclub"),
        org_row(id="twee"),
        org_row(id="drie", name="", area_codes="BU03449999"),
    ]
    problems = problems_of(write_csv(tmp_path / "organisations.csv", rows), real_boundaries)
    assert len(problems) == 3
    assert problems[0].startswith("organisations.csv rij 2, kind: onbekende soort 'voetbalclub'")
    assert "organisations.csv rij 4, name: naam ontbreekt" in problems
    assert "organisations.csv rij 4, area_codes: onbekende buurtcode BU03449999" in problems


def test_coordinate_outside_utrecht(tmp_path, real_boundaries):
    row = org_row(lat=str(AMERSFOORT[0]), lon=str(AMERSFOORT[1]), location_precision="adres")
    [problem] = problems_of(write_csv(tmp_path / "organisations.csv", [row]), real_boundaries)
    assert problem.startswith("organisations.csv rij 2, lat/lon:")
    assert "buiten de gemeente Utrecht" in problem


def test_swapped_coordinates_get_a_hint(real_boundaries):
    [problem] = validate_entry(entry(lat=DOMTOREN[1], lon=DOMTOREN[0]), real_boundaries)
    assert "omgewisseld" in problem


def test_only_one_coordinate_is_a_problem(real_boundaries):
    assert validate_entry(entry(lat=52.09), real_boundaries) == ["lat/lon: vul beide in of laat beide leeg"]


def test_html_in_name_is_kept_as_plain_text(tmp_path, real_boundaries):
    path = write_csv(tmp_path / "organisations.csv", [org_row(name=HTML_NAME)])
    [e] = read_seed_csv(path, "organisation", real_boundaries)
    assert e.name == HTML_NAME
    assert e.name.encode("utf-8") == HTML_NAME.encode("utf-8")


@pytest.mark.parametrize(
    "field, value",
    [
        ("kind", "buurthuis"),  # a meeting place kind, not an organisation kind
        ("themes", "Sport"),
        ("pillars", "a;d"),
        ("area_level", "provincie"),
        ("location_precision", "exact"),
        ("samen030_relation", "vriend"),
        ("samen030_relation", "vriendje"),
        ("status", "misschien"),
        ("founded", "2019-13"),
        ("founded_is_start", "soms"),
        ("id", "Met Spaties"),
    ],
)
def test_bad_vocabulary_values(tmp_path, real_boundaries, field, value):
    [problem] = problems_of(write_csv(tmp_path / "organisations.csv", [org_row(**{field: value})]), real_boundaries)
    assert problem.startswith(f"organisations.csv rij 2, {field}:")


def test_meeting_place_kinds_are_checked(tmp_path, real_boundaries):
    path = write_csv(tmp_path / "meeting_places.csv", [org_row(kind="buurtcooperatie")])
    [problem] = problems_of(path, real_boundaries, entity="meeting_place")
    assert problem.startswith("meeting_places.csv rij 2, kind: onbekende soort 'buurtcooperatie'")


@pytest.mark.parametrize(
    "level, codes, expected",
    [
        ("wijk", ZUILEN_BUURT, f"{ZUILEN_BUURT} is een buurtcode, maar area_level is wijk"),
        ("buurt", OOST, f"{OOST} is een wijkcode, maar area_level is buurt"),
        ("stad", OOST, "moet leeg zijn bij area_level stad"),
        ("wijk", "", "ontbreekt (verplicht bij area_level wijk)"),
        ("wijk", "WK034499", "onbekende wijkcode WK034499"),
        ("buurt", "Zuilen", "'Zuilen' is geen wijkcode"),
    ],
)
def test_area_codes_must_fit_the_level(real_boundaries, level, codes, expected):
    problems = validate_entry(entry(area_level=level, area_codes=tuple(c for c in codes.split(";") if c)), real_boundaries)
    assert len(problems) == 1
    assert problems[0].startswith("area_codes: ")
    assert expected in problems[0]


def test_duplicate_id_is_a_problem(tmp_path, real_boundaries):
    path = write_csv(tmp_path / "organisations.csv", [org_row(), org_row()])
    assert problems_of(path, real_boundaries) == [
        "organisations.csv rij 3, id: 'buurtcooperatie-test' komt al voor in rij 2"
    ]


# --- broken files -----------------------------------------------------------------------------


def test_missing_column(tmp_path, real_boundaries):
    columns = [c for c in CSV_COLUMNS if c != "name"]
    path = write_csv(tmp_path / "organisations.csv", [org_row()], columns=columns)
    with pytest.raises(RegistryError, match=r"organisations\.csv rij 1 .*ontbrekende kolom\(men\): name"):
        read_seed_csv(path, "organisation", real_boundaries)


def test_garbage_bytes(tmp_path, real_boundaries):
    path = tmp_path / "organisations.csv"
    path.write_bytes(b"\xff\xfe\x00\x81garbage\x00\xc3\x28")
    with pytest.raises(RegistryError, match=r"organisations\.csv: geen geldige UTF-8"):
        read_seed_csv(path, "organisation", real_boundaries)


def test_latin1_file_is_refused(tmp_path, real_boundaries):
    path = tmp_path / "organisations.csv"
    text = ",".join(CSV_COLUMNS) + "\n"
    text += ",".join(org_row(name="Buurtcoöperatie").values()) + "\n"
    path.write_bytes(text.encode("latin-1"))
    with pytest.raises(RegistryError, match="organisations.csv"):
        read_seed_csv(path, "organisation", real_boundaries)


def test_missing_file(tmp_path, real_boundaries):
    with pytest.raises(RegistryError, match="bestaat-niet.csv"):
        read_seed_csv(tmp_path / "bestaat-niet.csv", "organisation", real_boundaries)


@pytest.mark.parametrize(
    "field, value",
    [("lat", "52.0.9"), ("lon", "oost"), ("source_read_on", "22-11-2026")],
)
def test_unparsable_values(tmp_path, real_boundaries, field, value):
    other = {"lat": "52.0907", "lon": "5.1214"}
    row = org_row(**{**other, field: value}) if field in other else org_row(**{field: value})
    problems = problems_of(write_csv(tmp_path / "organisations.csv", [row]), real_boundaries)
    assert problems[0].startswith(f"organisations.csv rij 2, {field}: {value!r} is geen")


def test_row_with_wrong_number_of_fields(tmp_path, real_boundaries):
    path = write_csv(tmp_path / "organisations.csv", [org_row()])
    with path.open("a", encoding="utf-8") as f:
        f.write("kapot,regel\n")
    assert problems_of(path, real_boundaries) == [f"organisations.csv rij 3: verwacht {len(CSV_COLUMNS)} velden, gevonden 2"]


def test_optional_columns_may_be_left_out_and_old_names_are_read(tmp_path, real_boundaries):
    """A file with only some columns is read with the schema's defaults; 'verified_on' is the old name."""
    row = {"id": "kort", "name": "Kort", "kind": "netwerk", "area_level": "stad", "verified_on": "2026-11-22"}
    path = write_csv(tmp_path / "organisations.csv", [row], columns=list(row))
    [read] = read_seed_csv(path, "organisation", real_boundaries)
    assert (read.id, read.status, read.samen030_relation, read.source_read_on) == ("kort", "te_bevestigen", "onbekend", date(2026, 11, 22))


@pytest.mark.parametrize(("founded", "ok"), [("2019", True), ("2019-03", True), ("2019-03-11", True), ("2019-02-30", False), ("19", False), ("2999", False), ("1799", False)])
def test_founded_is_a_year_a_month_or_a_date_in_the_past(real_boundaries, founded, ok):
    problems = validate_entry(entry(founded=founded), real_boundaries, today=date(2026, 12, 1))
    assert (problems == []) is ok, problems


# --- display points ---------------------------------------------------------------------------


def test_entries_frame_display_points(real_boundaries):
    entries = [
        entry(id="buurt"),
        entry(id="wijk", area_level="wijk", area_codes=(OOST,)),
        entry(id="stad", area_level="stad", area_codes=()),
        entry(id="twee-buurten", area_codes=(ZUILEN_BUURT, "BU03440232")),
        entry(id="echt", area_level="stad", area_codes=(), lat=DOMTOREN[0], lon=DOMTOREN[1]),
    ]
    frame = entries_frame(entries, real_boundaries).set_index("id")
    assert frame.crs == RD_NEW
    assert frame.geometry.name == "display_point"

    buurt = frame.loc["buurt"]
    assert buurt.point_is_approximate
    assert buurt.buurtcode == ZUILEN_BUURT
    assert shapely.contains(real_boundaries.buurten.geometry[ZUILEN_BUURT], buurt.display_point)

    wijk = frame.loc["wijk"]
    assert wijk.point_is_approximate
    assert shapely.contains(real_boundaries.wijken.geometry[OOST], wijk.display_point)
    assert real_boundaries.buurten.loc[wijk.buurtcode, "wijkcode"] == OOST

    for no_point in ("stad", "twee-buurten"):
        assert frame.loc[no_point].display_point is None
        assert not frame.loc[no_point].point_is_approximate
        assert frame.loc[no_point].buurtcode is None

    exact = frame.loc["echt"]
    assert not exact.point_is_approximate
    assert real_boundaries.buurten.loc[exact.buurtcode, "wijkcode"] == "WK034406"  # Binnenstad


def test_entries_frame_columns_and_empty(real_boundaries):
    assert tuple(entries_frame([entry()], real_boundaries).columns) == FRAME_COLUMNS
    empty = entries_frame([], real_boundaries)
    assert len(empty) == 0
    assert tuple(empty.columns) == FRAME_COLUMNS
    assert empty.crs == RD_NEW


# --- field content: what an import, the CLI and the forms all refuse -----------------------------


@pytest.mark.parametrize(
    "field, value, reason",
    [
        ("website", "javascript:alert(1)", "geen geldig webadres"),
        ("website", "vbscript:msgbox(1)", "geen geldig webadres"),
        ("website", "data:text/html,<script>alert(1)</script>", "geen geldig webadres"),
        ("website", "www.example.org", "begin met https://"),
        ("source_url", "https://example.org/a ; javascript:alert(1)", "'javascript:alert(1)' is geen geldig webadres"),
        ("source_url", "zie de website", "geen geldig webadres"),
        ("name", "Buurt\x00huis", "stuurtekens (U+0000)"),
        ("name", "\x1b[31mRood\x1b[0m", "U+001B"),
        ("name", "\x07bel", "U+0007"),
        ("name", "Eerste regel\nTweede regel", "regeleinde"),
        ("name", "Eerste\u2028Tweede", "regeleinde"),
        ("name", "Buurt \u202eniuh", "U+202E"),
        ("name", "\u200b\u200b\u200b", "alleen spaties of onzichtbare tekens"),
        ("name", "\u3164\u3164", "alleen spaties of onzichtbare tekens"),
        ("name", "x" * 100_000, "te lang (100000 tekens, hoogstens 200)"),
        ("address", "Straat 1\x1b[2J", "U+001B"),
        ("address", "a" * 201, "hoogstens 200"),
        ("note", "n" * 2001, "hoogstens 2000"),
        ("note", "toelichting\x00", "U+0000"),
        ("postcode", "3531\nAB", "regeleinde"),
        ("source_read_on", "2999-01-01", "ligt in de toekomst"),
        ("source_read_on", "1899-12-31", "te vroeg"),
    ],
)
def test_field_content_is_refused_naming_row_field_and_reason(tmp_path, real_boundaries, field, value, reason):
    problems = problems_of(write_csv(tmp_path / "organisations.csv", [org_row(), org_row(id="tweede", **{field: value})]), real_boundaries)
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"organisations.csv rij 3, {field}: ")
    assert reason in problems[0]
    assert "\x00" not in problems[0] and "\x1b" not in problems[0]  # the message itself is safe to print


@pytest.mark.parametrize(
    "changes",
    [
        {"name": '<b>Vet</b> & "Co" \'t {{7*7}} {% raw %} \\ 👩‍👩‍👧'},
        {"note": "Regel één\nRegel twee\tmet tab"},
        {"source_read_on": date.today()},
        {"source_read_on": date(1900, 1, 1)},
        {"website": "https://example.org/pad?x=1#y", "source_url": "http://a.example ; https://b.example/c"},
        {"name": "x" * 200},
    ],
)
def test_legal_content_is_kept(real_boundaries, changes):
    assert validate_entry(entry(**changes), real_boundaries) == []


def test_source_read_on_today_is_allowed_tomorrow_is_not(real_boundaries):
    today = date(2026, 12, 1)
    assert validate_entry(entry(source_read_on=today), real_boundaries, today=today) == []
    [problem] = validate_entry(entry(source_read_on=date(2026, 12, 2)), real_boundaries, today=today)
    assert problem == "source_read_on: 2026-12-02 ligt in de toekomst (vandaag is 2026-12-01)"


def test_point_outside_the_claimed_buurt_names_the_buurt_it_is_in(real_boundaries):
    [problem] = validate_entry(entry(lat=DOMTOREN[0], lon=DOMTOREN[1]), real_boundaries)  # werkgebied: Zuilen
    assert problem.startswith("lat/lon: ")
    assert "Domplein, Neude, Janskerkhof (BU03440611)" in problem and ZUILEN_BUURT in problem
    assert validate_entry(entry(lat=DOMTOREN[0], lon=DOMTOREN[1], area_codes=(DOMPLEIN_BUURT,)), real_boundaries) == []


def test_point_outside_the_claimed_wijk_names_buurt_and_wijk(real_boundaries):
    outside = entry(area_level="wijk", area_codes=(OOST,), lat=DOMTOREN[0], lon=DOMTOREN[1])
    [problem] = validate_entry(outside, real_boundaries)
    assert "BU03440611" in problem and "wijk Binnenstad (WK034406)" in problem and OOST in problem
    inside = entry(area_level="wijk", area_codes=("WK034406", OOST), lat=DOMTOREN[0], lon=DOMTOREN[1])
    assert validate_entry(inside, real_boundaries) == []


def test_a_stad_wide_entry_may_stand_anywhere_in_utrecht(real_boundaries):
    assert validate_entry(entry(area_level="stad", area_codes=(), lat=DOMTOREN[0], lon=DOMTOREN[1]), real_boundaries) == []


def test_fields_that_are_not_text_are_problems_not_crashes(real_boundaries):
    problems = validate_entry(entry(name=None, website=42, source_url=["https://example.org"]), real_boundaries)
    assert "name: verwacht tekst, geen NoneType" in problems
    assert "website: verwacht tekst, geen int" in problems
    assert "source_url: verwacht tekst, geen list" in problems


# A name is accepted only when it is safe to show anywhere; property test over hostile text.
HOSTILE_TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from("ab <>&\"'{}%#=\\"),
        st.sampled_from(["\x00", "\x1b", "\x9b", "\n", "\r", "\t", "\u2028", "\u202e", "\u200b", "\u3164", "\ufeff"]),
        st.characters(exclude_categories=["Cs"]),
    ),
    max_size=30,
)


@settings(max_examples=60, deadline=None)
@given(name=HOSTILE_TEXT)
def test_an_accepted_name_has_no_characters_that_could_do_harm(real_boundaries, name):
    name = name.strip()
    problems = validate_entry(entry(name=name), real_boundaries)
    if not problems:
        assert printable(name) == name  # no control character, line break or bidi override
        assert has_visible_character(name)
    else:
        assert all(p.startswith("name: ") for p in problems)


# --- files that are not the expected CSV: one message that says what to do ------------------------


def _header() -> str:
    return ",".join(CSV_COLUMNS)


@pytest.mark.parametrize(
    "content, expected",
    [
        (_header().replace(",", ";") + "\n", r"alleen een kopregel en geen rijen"),
        (_header().replace(",", "\t") + "\n", r"alleen een kopregel en geen rijen"),
        ('{"type": "FeatureCollection", "features": []}', r"de FeatureCollection heeft geen features"),
        (_header() + ",name\n", r"rij 1 \(kopregel\): kolom\(men\) 'name' komen meer dan één keer voor"),
        (_header() + '\nid,"nooit gesloten,' + "x," * 15 + "\n", r"rij 2 \(regel 2\): een aanhalingsteken \(\"\) wordt niet gesloten"),
        (_header() + '\n"samen"030,' + "x," * 15 + "x\n", r"rij 2 \(regel 2\): na een afsluitend aanhalingsteken moet het scheidingsteken komen"),
        (_header() + "\n" + "a," * 16 + "a\n" + "b," * 16 + '"' + "x" * 200_000 + '"\n', r"rij 3 \(regel 3\): een veld is langer dan"),
    ],
    ids=["semicolons-header-only", "tabs-header-only", "empty-geojson", "duplicate-column", "unclosed-quote", "stray-quote", "huge-field"],
)
def test_a_file_in_the_wrong_shape_gets_a_message_that_helps(tmp_path, real_boundaries, content, expected):
    path = tmp_path / "organisations.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(RegistryError, match=expected) as caught:
        read_seed_csv(path, "organisation", real_boundaries)
    assert "ontbrekende kolom" not in str(caught.value)
    assert "Error" not in str(caught.value)  # no English exception text


def test_a_semicolon_file_with_dutch_decimal_commas_is_read(tmp_path, real_boundaries):
    """Dutch spreadsheets save CSV with ';' and write 52,09 for 52.09."""
    path = tmp_path / "organisations.csv"
    row = org_row(area_level="buurt", area_codes=DOMPLEIN_BUURT, lat="52,0907", lon="5,1214", location_precision="adres")
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, delimiter=";")
        writer.writerow(CSV_COLUMNS)
        writer.writerow([row.get(c, "") for c in CSV_COLUMNS])
    [read] = read_seed_csv(path, "organisation", real_boundaries)
    assert (read.lat, read.lon, read.area_codes) == (52.0907, 5.1214, (DOMPLEIN_BUURT,))


def test_latin1_file_names_the_line_and_the_remedy(tmp_path, real_boundaries):
    path = tmp_path / "organisations.csv"
    rows = [org_row(id="een", name="Buurt Een"), org_row(id="twee", name="Buurtcoöperatie Zuilen")]
    text = _header() + "\n" + "".join(",".join(row.values()) + "\n" for row in rows)
    path.write_bytes(text.encode("latin-1"))
    with pytest.raises(RegistryError, match=r"organisations\.csv regel 3: geen geldige UTF-8-tekst \(byte 0xF6.*sla het bestand op als 'CSV UTF-8"):
        read_seed_csv(path, "organisation", real_boundaries)


def test_spreadsheet_file_is_refused_with_a_remedy(tmp_path, real_boundaries):
    path = tmp_path / "organisations.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    with pytest.raises(RegistryError, match="Excel- of ander spreadsheetbestand.*CSV UTF-8"):
        read_seed_csv(path, "organisation", real_boundaries)


def test_a_directory_is_not_a_file(tmp_path, real_boundaries):
    with pytest.raises(RegistryError, match="dit is een map, geen bestand"):
        read_seed_csv(tmp_path, "organisation", real_boundaries)

def test_entries_frame_column_types(real_boundaries):
    entries = [entry(), entry(id="echt", area_level="stad", area_codes=(), lat=DOMTOREN[0], lon=DOMTOREN[1])]
    for frame in (entries_frame(entries, real_boundaries), entries_frame([], real_boundaries)):
        dtypes = frame.drop(columns="display_point").dtypes.astype(str).to_dict()
        assert dtypes == {
            "id": "str", "entity": "str", "name": "str", "kind": "str", "area_level": "str",
            "area_codes": "object", "location_precision": "str", "point_is_approximate": "bool", "buurtcode": "object",
        }  # fmt: skip
        assert type(frame.index).__name__ == "RangeIndex"
