"""The `samen030-map` command line: output formats, data checks, and bad input that changes nothing."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from samen030_map.cli import main
from samen030_map.core.boundaries import load_boundaries
from samen030_map.core.config import BOUNDARIES_DIR, REGISTRY_DIR
from samen030_map.core.coverage import STATUSES
from samen030_map.db import accounts, store


@pytest.fixture
def db_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'cli.db'}"


def make_account(db_url: str, name: str = "coordinator", role: str = "beheerder", wijken=()) -> str:
    """An account in the database at db_url (prepared first); returns its name for --als."""
    store.prepare_database(db_url)
    accounts.add_user(store.engine(db_url), name, "een lang wachtwoord", role, wijken)
    return name


def run_cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_coverage_json_lists_111_buurten_with_a_status(capsys, db_url):
    code, out, _ = run_cli(capsys, "--db-url", db_url, "coverage", "--format", "json")
    assert code == 0
    data = json.loads(out)
    buurten = data["buurten"]
    assert len(buurten) == 111
    assert {b["status"] for b in buurten} <= set(STATUSES)
    assert len({b["buurtcode"] for b in buurten}) == 111
    ondiep = next(b for b in buurten if b["buurtcode"] == "BU03440222")
    assert ondiep["buurtnaam"] == "Ondiep" and ondiep["wijknaam"] == "Noordwest"
    assert "BuurtWerkKamer TOP" in ondiep["organisaties"]
    assert ondiep["status"] == "gedekt"
    # CBS withheld or zero: De Wetering has 0 inhabitants and is not a gap.
    wetering = next(b for b in buurten if b["buurtcode"] == "BU03440911")
    assert wetering["status"] == "weinig bewoners"
    assert data["attribution"] == "Bron: CBS Wijken en Buurten 2025 (CC BY 4.0)"
    assert sum(data["city"][status] for status in STATUSES) == 111


def test_coverage_csv_and_table(capsys, db_url):
    _, out, _ = run_cli(capsys, "--db-url", db_url, "coverage", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 111
    assert list(rows[0]) == ["buurtcode", "buurtnaam", "wijkcode", "wijknaam", "status", "organisaties", "inwoners"]
    _, table, _ = run_cli(capsys, "--db-url", db_url, "coverage")
    assert "Ondiep" in table and "Inwoners in open buurten" in table and "Bron: CBS" in table


def test_check_data_passes_on_shipped_data_and_lists_every_problem(capsys, db_url, tmp_path):
    code, out, _ = run_cli(capsys, "--db-url", db_url, "check-data")
    assert code == 0, out
    assert "111 buurten" in out
    broken = tmp_path / "registry"
    shutil.copytree(REGISTRY_DIR, broken)
    text = (broken / "organisations.csv").read_text(encoding="utf-8")
    # Two problems in one file: an unknown kind and an unknown wijk code; both must be listed.
    text = text.replace(",wijkcooperatie,", ",onzin-soort,", 1).replace("WK034405", "WK034499", 1)
    (broken / "organisations.csv").write_text(text, encoding="utf-8")
    code, out, _ = run_cli(capsys, "--db-url", db_url, "check-data", "--registry", str(broken), "--skip-db")
    assert code == 1
    assert "FOUT" in out and "organisations.csv" in out
    assert "onzin-soort" in out and "WK034499" in out


def test_refresh_from_a_broken_folder_keeps_the_boundaries(capsys, tmp_path):
    dest = tmp_path / "boundaries"
    shutil.copytree(BOUNDARIES_DIR, dest)
    before = (dest / "buurten.geojson").read_bytes()
    source = tmp_path / "broken"
    source.mkdir()
    (source / "buurten.geojson").write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8")
    shutil.copy(BOUNDARIES_DIR / "wijken.geojson", source / "wijken.geojson")
    code, _, err = run_cli(capsys, "refresh-boundaries", "--from-folder", str(source), "--dest", str(dest))
    assert code == 1
    assert "buurten.geojson" in err and "niet veranderd" in err
    assert (dest / "buurten.geojson").read_bytes() == before


def test_import_of_a_broken_file_changes_nothing(capsys, db_url, tmp_path):
    assert run_cli(capsys, "--db-url", db_url, "init-db")[0] == 0
    engine = store.engine_for(db_url)
    before = [entry.name for entry in store.load_entries(engine, "organisation")]
    bad = tmp_path / "bad.csv"
    header = (REGISTRY_DIR / "organisations.csv").read_text(encoding="utf-8").splitlines()[0]
    row = {"id": "nieuw", "name": "<b>Nieuw</b>", "kind": "buurtwerkkamer", "area_level": "buurt", "area_codes": "BU03449999", "source_url": "https://example.org"}
    bad.write_text(header + "\n" + ",".join(row.get(column, "") for column in header.split(",")) + "\n", encoding="utf-8")
    als = make_account(db_url)
    code, _, err = run_cli(capsys, "--db-url", db_url, "--als", als, "import", "organisations", str(bad))
    assert code == 1
    assert "BU03449999" in err and "niets opgeslagen" in err
    assert [entry.name for entry in store.load_entries(engine, "organisation")] == before


def test_export_html_writes_an_offline_map(capsys, db_url, tmp_path):
    target = tmp_path / "kaart.html"
    code, out, _ = run_cli(capsys, "--db-url", db_url, "export-html", str(target))
    assert code == 0 and target.exists()
    html = target.read_text(encoding="utf-8")
    assert "BU03440222" in html and "Bron: CBS Wijken en Buurten 2025 (CC BY 4.0)" in html
    assert '<script src="http' not in html


def test_picture_handout_and_exports_follow_the_link(capsys, db_url, tmp_path):
    from pypdf import PdfReader

    link = "/?wijk=WK034402&soort=speeltuin"
    code, out, _ = run_cli(capsys, "--db-url", db_url, "picture", "--link", link, str(tmp_path / "kaart.pdf"))
    assert code == 0 and "Filter: Soort: Speeltuin" in out and "Bron: CBS" in out
    text = PdfReader(tmp_path / "kaart.pdf").pages[0].extract_text()
    assert "Wijk Noordwest" in text and "Soort: Speeltuin" in text
    assert run_cli(capsys, "--db-url", db_url, "picture", str(tmp_path / "kaart.png"))[0] == 0
    assert (tmp_path / "kaart.png").read_bytes()[:4] == b"\x89PNG"
    assert run_cli(capsys, "--db-url", db_url, "picture", "--format", "svg", str(tmp_path / "kaart.afbeelding"))[0] == 0
    assert (tmp_path / "kaart.afbeelding").read_text(encoding="utf-8").lstrip().startswith("<?xml")
    assert run_cli(capsys, "--db-url", db_url, "handout", "--link", "?lang=en", str(tmp_path / "handout.pdf"))[0] == 0
    assert len(PdfReader(tmp_path / "handout.pdf").pages) == 11
    for kind in ("buurten-csv", "organisaties-csv", "plekken-csv", "buurten-geojson", "punten-geojson", "hsds"):
        target = tmp_path / f"export-{kind}"
        code, out, _ = run_cli(capsys, "--db-url", db_url, "export", "--link", link, kind, str(target))
        assert code == 0 and target.stat().st_size > 0, kind
    places = list(csv.DictReader(io.StringIO((tmp_path / "export-plekken-csv").read_text(encoding="utf-8-sig"))))
    assert places and {row["kind"] for row in places} == {"speeltuin"}
    assert json.loads((tmp_path / "export-punten-geojson").read_text(encoding="utf-8"))["filters"] == "Soort: Speeltuin"
    code, out, _ = run_cli(capsys, "--db-url", db_url, "export-html", "--link", link, str(tmp_path / "kaart.html"))
    assert code == 0 and "Soort: Speeltuin" in (tmp_path / "kaart.html").read_text(encoding="utf-8")


def test_installed_script_runs(db_url):
    script = Path(sys.executable).parent / "samen030-map"
    result = subprocess.run([str(script), "--db-url", db_url, "coverage", "--format", "json"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)["buurten"]) == 111


# --- an import's edit is people's work: no later command undoes it ------------------------------


def test_an_imported_edit_of_a_seed_row_survives_the_next_commands(capsys, db_url, tmp_path):
    assert run_cli(capsys, "--db-url", db_url, "init-db")[0] == 0
    lines = (REGISTRY_DIR / "organisations.csv").read_text(encoding="utf-8").splitlines()
    header, samen030 = lines[0], next(line for line in lines if line.startswith("samen030,"))
    changed = tmp_path / "samen030.csv"
    changed.write_text(header + "\n" + samen030.replace(",SAMEN030,", ",SAMEN030 Stadscoöperatie,", 1) + "\n", encoding="utf-8")
    als = make_account(db_url)
    code, out, _ = run_cli(capsys, "--db-url", db_url, "--als", als, "import", "organisations", str(changed))
    assert code == 0 and "1 bijgewerkt" in out
    engine = store.engine_for(db_url)
    for command in (["coverage"], ["init-db"], ["export-html", str(tmp_path / "kaart.html")], ["coverage", "--format", "csv"]):
        assert run_cli(capsys, "--db-url", db_url, *command)[0] == 0
        names = {entry.id: entry.name for entry in store.load_entries(engine, "organisation")}
        assert names["samen030"] == "SAMEN030 Stadscoöperatie", command


# --- settings and databases that cannot be used: one Dutch line, no traceback --------------------


def _one_line_error(err: str) -> str:
    assert "Traceback" not in err
    assert err.startswith("FOUT ") and err.strip().count("\n") == 0, err
    return err


@pytest.mark.parametrize(
    "command",
    [
        ["coverage"], ["init-db"], ["import", "organisations", str(REGISTRY_DIR / "organisations.csv")], ["export-html", "kaart.html"],
        ["picture", "kaart.html"], ["handout", "kaart.html"], ["export", "hsds", "kaart.html"],
    ],
    ids=["coverage", "init-db", "import", "export-html", "picture", "handout", "export"],
)
def test_a_database_setting_that_is_not_a_url(capsys, monkeypatch, command, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SAMEN030_DB_URL", "mijn database")
    code, _, err = run_cli(capsys, *command)
    assert code == 2
    assert "geen database-URL: 'mijn database'" in _one_line_error(err)
    assert not (tmp_path / "kaart.html").exists()


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _text_file(tmp_path: Path, cleanup=None) -> str:
    path = tmp_path / "notities.txt"
    path.write_text("Dit is geen database, maar een boodschappenlijst.\n" * 100, encoding="utf-8")
    return f"sqlite:///{path}"


def _locked_database(tmp_path: Path, cleanup: contextlib.ExitStack) -> str:
    url = f"sqlite:///{tmp_path / 'bezet.db'}"
    store.migrate(url)
    holder = cleanup.enter_context(contextlib.closing(sqlite3.connect(tmp_path / "bezet.db", isolation_level=None)))
    holder.execute("BEGIN EXCLUSIVE")  # another program is writing: nobody else may read or write
    return url + "?timeout=0.2"  # SQLite's wait for the lock, short so the test stays fast


@pytest.fixture
def cleanup():
    with contextlib.ExitStack() as stack:
        yield stack


@pytest.mark.parametrize(
    "make_url, expected",
    [
        (lambda tmp_path, cleanup: f"sqlite:///{tmp_path}", "kan niet worden geopend of gemaakt: is het pad een map"),
        (_text_file, "dit bestand is geen SQLite-database"),
        (
            lambda tmp_path, cleanup: f"postgresql+psycopg://samen030@127.0.0.1:{_free_port()}/samen030?connect_timeout=5",
            "geen verbinding met de databaseserver",
        ),
        (_locked_database, "de database is vergrendeld"),
        (lambda tmp_path, cleanup: "mysql+nietbestaand://x@localhost/db", "onbekend soort database"),
    ],
    ids=["directory", "text-file", "postgres-closed-port", "locked", "unknown-dialect"],
)
def test_a_database_that_cannot_be_used(capsys, tmp_path, cleanup, make_url, expected):
    url = make_url(tmp_path, cleanup)
    for command in (["coverage"], ["init-db"]):
        code, _, err = run_cli(capsys, "--db-url", url, *command)
        assert code in (1, 2)
        assert expected in _one_line_error(err)
        assert f"database {url.split('?')[0]}" in err  # names which database


def test_a_password_in_the_url_is_not_shown(capsys):
    url = f"postgresql+psycopg://samen030:geheim@127.0.0.1:{_free_port()}/samen030?connect_timeout=5"
    _, _, err = run_cli(capsys, "--db-url", url, "coverage")
    assert "geheim" not in _one_line_error(err) and "samen030:***@127.0.0.1" in err


def test_check_data_reports_an_unusable_database_as_a_problem(capsys, tmp_path):
    code, out, _ = run_cli(capsys, "--db-url", _text_file(tmp_path), "check-data")
    assert code == 1
    assert "FOUT database sqlite:///" in out and "geen SQLite-database" in out and "Traceback" not in out


def test_a_directory_as_import_file(capsys, db_url, tmp_path):
    als = make_account(db_url)
    code, _, err = run_cli(capsys, "--db-url", db_url, "--als", als, "import", "organisations", str(tmp_path))
    assert code == 1
    assert "dit is een map, geen bestand" in err and "niets opgeslagen" in err and "Traceback" not in err


@pytest.mark.parametrize("value", ["driehonderd", "-5"])
def test_a_bad_threshold_setting(capsys, monkeypatch, db_url, value):
    monkeypatch.setenv("SAMEN030_LOW_POPULATION_THRESHOLD", value)
    code, _, err = run_cli(capsys, "--db-url", db_url, "coverage")
    assert code == 2
    assert "instelling ongeldig: SAMEN030_LOW_POPULATION_THRESHOLD" in _one_line_error(err)


def test_the_installed_script_reports_a_bad_setting_without_a_traceback(db_url):
    script = Path(sys.executable).parent / "samen030-map"
    env = {**os.environ, "SAMEN030_LOW_POPULATION_THRESHOLD": "veel", "SAMEN030_DB_URL": db_url}
    result = subprocess.run([str(script), "coverage"], capture_output=True, text=True, timeout=120, env=env)
    assert result.returncode == 2
    assert "moet een heel getal zijn" in _one_line_error(result.stderr)


# --- what the CLI writes is safe in a spreadsheet and in a terminal -------------------------------

FORMULA_NAMES = ['=HYPERLINK("https://evil.example","klik")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)"]


def test_coverage_csv_neutralises_formula_cells(capsys, db_url):
    boundaries = load_boundaries()
    store.migrate(db_url)
    engine = store.engine_for(db_url)
    store.seed_from_files(engine, boundaries)
    from sqlmodel import Session

    from samen030_map.db.models import Organisation

    # Straight into the table: the import refuses a leading "=" now, but rows stored before may hold one.
    with Session(engine) as session:
        for number, name in enumerate(FORMULA_NAMES):
            session.add(Organisation(
                id=f"formule-{number}", name=name, kind="bewonersorganisatie", status="actief",
                area_level="buurt", area_codes=f"BU0344{1011 + number}", location_precision="buurt",
            ))  # fmt: skip
        session.commit()
    code, out, _ = run_cli(capsys, "--db-url", db_url, "coverage", "--format", "csv")
    assert code == 0
    rows = list(csv.reader(io.StringIO(out)))
    assert not [cell for row in rows for cell in row if cell.startswith(("=", "+", "-", "@", "\t", "\r"))]
    cells = {cell for row in rows for cell in row}
    assert {"'" + name for name in FORMULA_NAMES} <= cells


def test_coverage_table_shows_control_characters_as_escapes(capsys, db_url):
    # A row stored before validation was strict (written straight into the table).
    run_cli(capsys, "--db-url", db_url, "init-db")
    engine = store.engine_for(db_url)
    with engine.begin() as connection:
        connection.execute(
            sa.text("UPDATE organisation SET name = :name WHERE id = 'buurtwerkkamer-top'"),
            {"name": "\x1b[2J\x1b[31mTOP\x07\u202e"},
        )
    code, out, _ = run_cli(capsys, "--db-url", db_url, "coverage")
    assert code == 0
    assert not any(c in out for c in "\x1b\x07\u202e")
    assert "\\x1b[2J\\x1b[31mTOP\\x07\\u202e" in out


# --- refresh-boundaries: the division must not shrink or grow by accident ------------------------


def _changed_copies(tmp_path: Path, change_buurten) -> tuple[Path, Path, dict]:
    """(dest, source, dest's bytes): dest a copy of the shipped boundaries, source one whose buurten
    `change_buurten(collection)` has altered."""
    dest, source = tmp_path / "boundaries", tmp_path / "nieuw"
    shutil.copytree(BOUNDARIES_DIR, dest)
    shutil.copytree(BOUNDARIES_DIR, source)
    buurten = json.loads((source / "buurten.geojson").read_text(encoding="utf-8"))
    change_buurten(buurten)
    (source / "buurten.geojson").write_text(json.dumps(buurten), encoding="utf-8")
    return dest, source, {name: (dest / name).read_bytes() for name in ("buurten.geojson", "wijken.geojson")}


def test_refresh_refuses_a_division_with_another_count(capsys, tmp_path):
    def drop_ondiep(buurten):
        buurten["features"] = [f for f in buurten["features"] if f["properties"]["buurtcode"] != "BU03440222"]

    dest, source, before = _changed_copies(tmp_path, drop_ondiep)
    code, _, err = run_cli(capsys, "refresh-boundaries", "--from-folder", str(source), "--dest", str(dest))
    assert code == 1
    assert "buurten 111 → 110, weg: BU03440222" in err and "--allow-count-change" in err and "niet veranderd" in err
    assert {name: (dest / name).read_bytes() for name in before} == before

    code, out, _ = run_cli(capsys, "refresh-boundaries", "--from-folder", str(source), "--dest", str(dest), "--allow-count-change")
    assert code == 0
    assert "Let op, de indeling is veranderd: buurten 111 → 110, weg: BU03440222" in out and "110 buurten" in out


def test_refresh_refuses_text_where_a_figure_should_be(capsys, tmp_path):
    def text_for_inhabitants(buurten):
        buurten["features"][0]["properties"]["aantal_inwoners"] = "veel"

    dest, source, before = _changed_copies(tmp_path, text_for_inhabitants)
    code, _, err = run_cli(capsys, "refresh-boundaries", "--from-folder", str(source), "--dest", str(dest))
    assert code == 1
    first = json.loads((source / "buurten.geojson").read_text(encoding="utf-8"))["features"][0]["properties"]["buurtcode"]
    assert f"feature {first}: aantal_inwoners 'veel' is geen getal" in err
    assert {name: (dest / name).read_bytes() for name in before} == before


@pytest.mark.parametrize("command", [["export-html"], ["picture"], ["handout"], ["export", "buurten-csv"]], ids=lambda c: c[0])
def test_export_to_a_directory_is_a_clear_error(capsys, db_url, tmp_path, command):
    code, _, err = run_cli(capsys, "--db-url", db_url, *command, str(tmp_path))
    assert code == 1
    assert f"{tmp_path}: is een map; geef een bestandsnaam" in _one_line_error(err)


def test_a_database_path_under_a_file_is_a_clear_error(capsys, tmp_path):
    (tmp_path / "bestand").write_text("x", encoding="utf-8")
    code, _, err = run_cli(capsys, "--db-url", f"sqlite:///{tmp_path / 'bestand' / 'cli.db'}", "init-db")
    assert code == 1
    assert f"{tmp_path / 'bestand'}: bestaat al als bestand, maar hier is een map nodig" in _one_line_error(err)


# --- accounts and who may write -----------------------------------------------------------------


def test_the_first_beheerder_is_made_without_an_account_later_ones_need_one(capsys, monkeypatch, db_url):
    monkeypatch.setattr("sys.stdin", io.StringIO("een heel lang wachtwoord\n"))
    code, out, _ = run_cli(capsys, "--db-url", db_url, "user", "add", "Anna", "--role", "beheerder")
    assert code == 0 and "anna" in out
    monkeypatch.setattr("sys.stdin", io.StringIO("een heel lang wachtwoord\n"))
    code, _, err = run_cli(capsys, "--db-url", db_url, "user", "add", "bert", "--role", "coordinator")
    assert code == 1 and "--als" in err
    monkeypatch.setattr("sys.stdin", io.StringIO("een heel lang wachtwoord\n"))
    code, out, _ = run_cli(capsys, "--db-url", db_url, "--als", "anna", "user", "add", "bert", "--role", "coordinator", "--wijken", "WK034402")
    assert code == 0 and "WK034402" in out
    # A coordinator may not make accounts; a password is never accepted as an argument.
    monkeypatch.setattr("sys.stdin", io.StringIO("een heel lang wachtwoord\n"))
    code, _, err = run_cli(capsys, "--db-url", db_url, "--als", "bert", "user", "add", "cees", "--role", "beheerder")
    assert code == 1 and "beheerder" in err
    with pytest.raises(SystemExit):
        main(["--db-url", db_url, "user", "add", "dirk", "--role", "coordinator", "--password", "x"])
    names = [user["name"] for user in accounts.list_users(store.engine(db_url))]
    assert names == ["anna", "bert"]


@pytest.mark.parametrize(("password", "reason"), [("kort", "minstens"), ("x" * 300, "hoogstens")])
def test_a_weak_or_absurd_password_is_refused(capsys, monkeypatch, db_url, password, reason):
    monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
    code, _, err = run_cli(capsys, "--db-url", db_url, "user", "add", "anna", "--role", "beheerder")
    assert code == 1 and reason in err
    assert accounts.list_users(store.engine(db_url)) == []


def _one_row_file(tmp_path, **values) -> str:
    header = (REGISTRY_DIR / "organisations.csv").read_text(encoding="utf-8").splitlines()[0]
    path = tmp_path / "een.csv"
    path.write_text(header + "\n" + ",".join(values.get(column, "") for column in header.split(",")) + "\n", encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(
    ("who", "allowed"),
    [(None, False), ("onbekend-account", False), ("noordwest", True), ("oost", False), ("beheer", True)],
    ids=["anonymous", "unknown-account", "coordinator-own-wijk", "coordinator-other-wijk", "beheerder"],
)
def test_import_checks_who_writes(capsys, db_url, tmp_path, who, allowed):
    make_account(db_url, "beheer", "beheerder")
    make_account(db_url, "noordwest", "coordinator", ["WK034402"])
    make_account(db_url, "oost", "coordinator", ["WK034405"])
    path = _one_row_file(tmp_path, id="nieuw-in-ondiep", name="Nieuw in Ondiep", kind="bewonersorganisatie", area_level="buurt", area_codes="BU03440222", source_url="https://example.org")
    engine = store.engine(db_url)
    before = store.read_revision(engine)
    code, _, err = run_cli(capsys, "--db-url", db_url, *(["--als", who] if who else []), "import", "organisations", path)
    ids = {entry.id for entry in store.load_entries(engine, "organisation")}
    assert (code == 0) is allowed, err
    assert ("nieuw-in-ondiep" in ids) is allowed
    assert (store.read_revision(engine) > before) is allowed
