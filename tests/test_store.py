"""Registry database: migrations, idempotent seeding that keeps people's edits, validated writes."""

from __future__ import annotations

import csv
import dataclasses
import importlib.util
import io
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import Session, SQLModel

from samen030_map.core.config import REGISTRY_DIR
from samen030_map.core.importing import read_seed_csv
from samen030_map.core.registry import CSV_COLUMNS, RegistryEntry, RegistryError
from samen030_map.db import store
from samen030_map.db.models import OUR_TABLE_NAMES, Organisation

OUR_TABLES = set(OUR_TABLE_NAMES)
ZUILEN_BUURT = "BU03440231"
HTML_NAME = '<b>Buurt</b> & <script>alert("hoi")</script> \'t Hart'


def org_row(**changes) -> dict:
    """A valid organisations.csv row; keyword arguments replace fields."""
    row = dict.fromkeys(CSV_COLUMNS, "")
    row.update(
        id="buurtcooperatie-test",
        name="Buurtcoöperatie Test",
        kind="buurtcooperatie",
        area_level="buurt",
        area_codes=ZUILEN_BUURT,
        location_precision="buurt",
        samen030_relation="lid",
        source_read_on="2026-11-22",
    )
    row.update(changes)
    return row


def write_csv(path: Path, rows: list[dict], columns=CSV_COLUMNS) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(columns), extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def org(id="buurtcooperatie-test", **changes) -> RegistryEntry:
    base = RegistryEntry(
        entity="organisation",
        id=id,
        name="Buurtcoöperatie Test",
        kind="buurtcooperatie",
        themes=("Ontmoeten & samen doen",),
        area_level="buurt",
        area_codes=(ZUILEN_BUURT,),
        location_precision="buurt",
        samen030_relation="lid",
    )
    return dataclasses.replace(base, **changes)


def place(id="buurthuis-test", **changes) -> RegistryEntry:
    base = RegistryEntry(
        entity="meeting_place",
        id=id,
        name="Buurthuis Test",
        kind="buurthuis",
        area_level="wijk",
        area_codes=("WK034402",),
        location_precision="wijk",
        samen030_relation="onbekend",
    )
    return dataclasses.replace(base, **changes)


@pytest.fixture
def db_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'nieuw' / 'register.db'}"


@pytest.fixture
def engine(db_url):
    store.migrate(db_url)
    engine = store.engine_for(db_url)
    yield engine
    engine.dispose()


def table_contents(engine) -> dict:
    """Every row of both tables (deleted ones too), to check that nothing changed."""
    with engine.connect() as connection:
        return {
            name: connection.execute(sa.text(f"SELECT * FROM {name} ORDER BY 1")).all() for name in OUR_TABLES
        }


def stored_names(engine, entity="organisation") -> dict[str, str]:
    return {e.id: e.name for e in store.load_entries(engine, entity)}


# --- migrations -------------------------------------------------------------------------------


def test_migrate_creates_sqlite_file_and_tables(tmp_path, db_url):
    path = tmp_path / "nieuw" / "register.db"
    assert not path.exists()
    store.migrate(db_url)
    assert path.exists()
    engine = store.engine_for(db_url)
    assert OUR_TABLES <= set(sa.inspect(engine).get_table_names())

    store.migrate(db_url)  # second run: nothing to do, nothing breaks
    with engine.connect() as connection:
        versions = connection.execute(sa.text("SELECT version_num FROM samen030_alembic_version")).all()
    assert versions == [("0003",)]
    engine.dispose()


def test_migration_matches_models(engine):
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={"compare_type": True, "include_name": lambda name, type_, _: type_ != "table" or name in OUR_TABLES},
        )
        assert compare_metadata(context, SQLModel.metadata) == []


def test_postgresql_migration_sql_renders_without_a_driver():
    # Offline mode (alembic upgrade --sql) needs the dialect only, not a PostgreSQL driver.
    config = store._alembic_config("postgresql://samen030@/samen030?host=/tmp")
    config.output_buffer = io.StringIO()
    command.upgrade(config, "head", sql=True)
    sql = config.output_buffer.getvalue()
    assert "CREATE TABLE organisation" in sql and "CREATE TABLE meeting_place" in sql
    assert "TIMESTAMP WITH TIME ZONE" in sql


# --- seeding ----------------------------------------------------------------------------------


def test_seed_from_shipped_files_twice(engine, real_boundaries):
    organisations = read_seed_csv(REGISTRY_DIR / "organisations.csv", "organisation", real_boundaries)
    places = read_seed_csv(REGISTRY_DIR / "meeting_places.csv", "meeting_place", real_boundaries)

    first = store.seed_from_files(engine, real_boundaries)
    assert first.inserted == len(organisations) + len(places)
    second = store.seed_from_files(engine, real_boundaries)
    assert second.inserted == 0
    assert second.updated == 0
    assert second.unchanged == len(organisations) + len(places)
    assert store.load_entries(engine, "organisation") == sorted(organisations, key=lambda e: e.id)
    assert store.load_entries(engine, "meeting_place") == sorted(places, key=lambda e: e.id)


def test_unedited_row_follows_the_seed(engine, real_boundaries):
    store.seed(engine, [org()], [place()])
    report = store.seed(engine, [org(name="Nieuwe naam")], [place()])
    assert (report.updated, report.unchanged) == (1, 1)
    assert stored_names(engine) == {"buurtcooperatie-test": "Nieuwe naam"}

    # The new content is now "last seeded": a later seed with it changes nothing.
    assert store.seed(engine, [org(name="Nieuwe naam")], []).unchanged == 1


def test_edited_row_is_kept_when_the_seed_changes(engine, real_boundaries):
    store.seed(engine, [org()], [])
    store.update_entry(engine, "buurtcooperatie-test", {"name": "Door bewoner verbeterd"}, real_boundaries)

    report = store.seed(engine, [org(name="Nieuwe naam uit seed")], [])
    assert (report.kept_edited, report.updated) == (1, 0)
    assert stored_names(engine) == {"buurtcooperatie-test": "Door bewoner verbeterd"}
    # ... also on every later run
    assert store.seed(engine, [org(name="Nog een naam")], []).kept_edited == 1
    assert stored_names(engine) == {"buurtcooperatie-test": "Door bewoner verbeterd"}


def test_soft_deleted_row_is_not_resurrected(engine, real_boundaries):
    store.seed(engine, [org(), org(id="blijft")], [])
    store.delete_entry(engine, "buurtcooperatie-test")
    assert set(stored_names(engine)) == {"blijft"}

    report = store.seed(engine, [org(), org(id="blijft")], [])
    assert (report.kept_deleted, report.inserted, report.unchanged) == (1, 0, 1)
    report = store.seed(engine, [org(name="Veranderd in seed")], [])
    assert (report.kept_deleted, report.updated) == (1, 0)
    assert set(stored_names(engine)) == {"blijft"}
    with Session(engine) as session:
        row = session.get(Organisation, "buurtcooperatie-test")
        assert row.archived and row.name == "Buurtcoöperatie Test"


def test_hand_made_row_with_a_seed_id_is_left_alone(engine, real_boundaries):
    store.add_entry(engine, org(name="Met de hand"), real_boundaries)
    report = store.seed(engine, [org()], [])
    assert (report.inserted, report.kept_edited) == (0, 1)
    assert stored_names(engine) == {"buurtcooperatie-test": "Met de hand"}


# --- writes that validate first ---------------------------------------------------------------


def test_html_name_is_stored_byte_for_byte(engine, real_boundaries):
    store.add_entry(engine, org(name=HTML_NAME), real_boundaries)
    assert stored_names(engine) == {"buurtcooperatie-test": HTML_NAME}
    with engine.connect() as connection:
        raw = connection.execute(sa.text("SELECT name FROM organisation")).scalar_one()
    assert raw.encode("utf-8") == HTML_NAME.encode("utf-8")


def test_add_entry_refuses_invalid_entries(engine, real_boundaries):
    store.add_entry(engine, org(), real_boundaries)
    before = table_contents(engine)
    invalid = [
        org(id="x", area_codes=("BU03449999",)),
        org(id="x", lat=52.156, lon=5.387),  # Amersfoort
        org(id="x", kind="voetbalclub"),
        org(),  # id already used
    ]
    for entry in invalid:
        with pytest.raises(RegistryError):
            store.add_entry(engine, entry, real_boundaries)
    assert table_contents(engine) == before


def test_update_entry_validates_first(engine, real_boundaries):
    store.seed(engine, [org()], [place()])
    before = table_contents(engine)
    bad_changes = [
        {"area_codes": "BU03449999"},
        {"themes": ["Sport"]},
        {"lat": 52.156, "lon": 5.387},
        {"id": "andere-id"},
        {"bestaat_niet": 1},
    ]
    for changes in bad_changes:
        with pytest.raises(RegistryError):
            store.update_entry(engine, "buurtcooperatie-test", changes, real_boundaries)
    with pytest.raises(RegistryError, match="onbekend-id"):
        store.update_entry(engine, "onbekend-id", {"name": "x"}, real_boundaries)
    assert table_contents(engine) == before

    updated = store.update_entry(
        engine, "buurtcooperatie-test", {"area_codes": "BU03440231;BU03440232", "pillars": ["a"]}, real_boundaries
    )
    assert updated.area_codes == ("BU03440231", "BU03440232")
    assert store.load_entries(engine, "organisation") == [updated]


# --- importing a CSV --------------------------------------------------------------------------


def test_import_csv_inserts_valid_file(engine, real_boundaries, tmp_path):
    path = write_csv(tmp_path / "extra.csv", [org_row(id="een"), org_row(id="twee", name=HTML_NAME)])
    report = store.import_csv(engine, path, "organisation", real_boundaries)
    assert report.inserted == 2
    assert stored_names(engine) == {"een": "Buurtcoöperatie Test", "twee": HTML_NAME}


@pytest.mark.parametrize(
    "make_file, expected",
    [
        (
            lambda path: write_csv(path, [org_row(id="nieuw"), org_row(id="kapot", area_codes="BU03449999")]),
            r"import\.csv rij 3, area_codes: onbekende buurtcode BU03449999",
        ),
        (
            lambda path: write_csv(path, [org_row(id="nieuw")], columns=[c for c in CSV_COLUMNS if c != "kind"]),
            r"import\.csv rij 1 .*kind",
        ),
        (lambda path: path.write_bytes(b"id,name\n\xff\xfe\x00garbage"), r"import\.csv"),
        (
            lambda path: write_csv(path, [org_row(id="nieuw"), org_row(id="kapot", lat="noord", lon="5.1")]),
            r"import\.csv rij 3, lat:",
        ),
        (
            lambda path: write_csv(path, [org_row(id="buurtcooperatie-test", name="Nieuw"), org_row(id="kapot", website="javascript:alert(1)")]),
            r"import\.csv rij 3, website: 'javascript:alert\(1\)' is geen geldig webadres",
        ),
        (
            lambda path: write_csv(path, [org_row(id="nieuw"), org_row(id="kapot", name="\x1b[2J\x1b[31mWeg")]),
            r"import\.csv rij 3, name: bevat onzichtbare stuurtekens \(U\+001B\)",
        ),
        (lambda path: write_csv(path, [org_row(id="nieuw", source_read_on="2999-01-01")]), r"rij 2, source_read_on: .*toekomst"),
        (lambda path: path.write_text(",".join(CSV_COLUMNS).replace(",", ";") + "\n", encoding="utf-8"), r"alleen een kopregel"),
        (lambda path: path.write_text(",".join(CSV_COLUMNS) + ",note\n", encoding="utf-8"), r"'note' komen meer dan één keer voor"),
        (lambda path: path.mkdir(), r"dit is een map"),
    ],
    ids=["unknown-buurtcode", "missing-column", "garbage", "bad-lat", "script-url", "ansi-name", "future-date",
         "semicolons", "duplicate-column", "directory"],
)
def test_broken_import_changes_nothing(engine, real_boundaries, tmp_path, make_file, expected):
    store.seed(engine, [org()], [place()])
    before = table_contents(engine)
    path = tmp_path / "import.csv"
    make_file(path)
    with pytest.raises(RegistryError, match=expected):
        store.import_csv(engine, path, "organisation", real_boundaries)
    assert table_contents(engine) == before


def test_an_imported_edit_of_a_seeded_row_survives_every_later_seeding(engine, real_boundaries, tmp_path):
    store.seed(engine, [org()], [place()])
    path = write_csv(tmp_path / "import.csv", [org_row(name="Nieuwe naam uit de import")])
    assert store.import_csv(engine, path, "organisation", real_boundaries).updated == 1

    for _ in range(2):  # the next command seeds again, and the one after that
        report = store.seed(engine, [org()], [place()])
        assert (report.kept_edited, report.updated) == (1, 0)
        assert stored_names(engine) == {"buurtcooperatie-test": "Nieuwe naam uit de import"}
    # Also when the seed file itself changes the row later: the import is people's work.
    assert store.seed(engine, [org(name="Nieuw in de seed")], []).kept_edited == 1
    assert stored_names(engine) == {"buurtcooperatie-test": "Nieuwe naam uit de import"}


def test_an_imported_new_row_is_not_taken_over_by_a_seed_row_with_its_id(engine, real_boundaries, tmp_path):
    path = write_csv(tmp_path / "import.csv", [org_row(name="Eerst geïmporteerd")])
    assert store.import_csv(engine, path, "organisation", real_boundaries).inserted == 1
    assert store.seed(engine, [org()], []).kept_edited == 1
    assert stored_names(engine) == {"buurtcooperatie-test": "Eerst geïmporteerd"}


def test_import_reports_unchanged_rows_and_leaves_deleted_rows_deleted(engine, real_boundaries, tmp_path):
    store.import_csv(engine, write_csv(tmp_path / "a.csv", [org_row(), org_row(id="weg")]), "organisation", real_boundaries)
    store.delete_entry(engine, "weg")
    report = store.import_csv(engine, write_csv(tmp_path / "b.csv", [org_row(), org_row(id="weg", name="Terug?")]), "organisation", real_boundaries)
    assert (report.unchanged, report.kept_deleted, report.updated, report.inserted) == (1, 1, 0, 0)
    assert set(stored_names(engine)) == {"buurtcooperatie-test"}


def test_add_and_update_normalise_surrounding_whitespace_only(engine, real_boundaries):
    store.add_entry(engine, org(name="  <b>Naam</b>  \t"), real_boundaries)
    assert stored_names(engine) == {"buurtcooperatie-test": "<b>Naam</b>"}
    store.update_entry(engine, "buurtcooperatie-test", {"name": " Andere naam "}, real_boundaries)
    assert stored_names(engine) == {"buurtcooperatie-test": "Andere naam"}
    before = table_contents(engine)
    with pytest.raises(RegistryError, match="name: bevat een regeleinde"):
        store.update_entry(engine, "buurtcooperatie-test", {"name": "Twee\nregels"}, real_boundaries)
    assert table_contents(engine) == before


def test_broken_seed_file_changes_nothing(engine, real_boundaries, tmp_path):
    shutil.copy(REGISTRY_DIR / "meeting_places.csv", tmp_path / "meeting_places.csv")
    write_csv(tmp_path / "organisations.csv", [org_row(), org_row(id="kapot", kind="voetbalclub")])
    before = table_contents(engine)
    with pytest.raises(RegistryError, match=r"organisations\.csv rij 3, kind"):
        store.seed_from_files(engine, real_boundaries, registry_dir=tmp_path)
    assert table_contents(engine) == before
    assert before["organisation"] == [] and store.read_revision(engine) == 1


# --- PostgreSQL -------------------------------------------------------------------------------


def _postgres_driver() -> str | None:
    for module, dialect in (("psycopg", "postgresql+psycopg"), ("psycopg2", "postgresql+psycopg2")):
        if importlib.util.find_spec(module) is not None:
            return dialect
    return None


@pytest.mark.postgres
def test_postgresql_migrate_and_seed(real_boundaries):
    initdb, pg_ctl = shutil.which("initdb"), shutil.which("pg_ctl")
    if not (initdb and pg_ctl):
        pytest.skip("PostgreSQL (initdb/pg_ctl) is niet geïnstalleerd")
    dialect = _postgres_driver()
    if dialect is None:
        pytest.skip("geen PostgreSQL-driver: installeer psycopg (psycopg[binary]) of psycopg2")
    run_as: list[str] = []
    if os.geteuid() == 0:  # initdb refuses to run as root
        if not shutil.which("runuser") or not _user_exists("postgres"):
            pytest.skip("draait als root en er is geen gebruiker 'postgres' om PostgreSQL mee te starten")
        run_as = ["runuser", "-u", "postgres", "--"]

    # Not tmp_path: the postgres user must be able to reach the folder.
    folder = Path(tempfile.mkdtemp(prefix="samen030-pg-"))
    data = folder / "data"
    if run_as:
        shutil.chown(folder, "postgres")
    try:
        init = [*run_as, initdb, "-D", str(data), "-U", "samen030", "--auth=trust"]
        subprocess.run(init, check=True, capture_output=True, timeout=120)
        # Only a unix socket in our own folder: no port conflicts with another server.
        # The server's output goes to a log file: a pipe would stay open and block this test.
        options = f"-k {folder} -c listen_addresses=''"
        start = [*run_as, pg_ctl, "-D", str(data), "-l", str(folder / "server.log"), "-o", options, "-w", "start"]
        subprocess.run(start, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)
        try:
            url = f"{dialect}://samen030@/postgres?host={folder}"
            store.migrate(url)
            store.migrate(url)
            engine = store.engine_for(url)
            try:
                assert OUR_TABLES <= set(sa.inspect(engine).get_table_names())
                first = store.seed_from_files(engine, real_boundaries)
                second = store.seed_from_files(engine, real_boundaries)
                assert first.inserted > 0 and second.inserted == 0
                store.add_entry(engine, org(id="html", name=HTML_NAME), real_boundaries)
                assert stored_names(engine)["html"] == HTML_NAME
            finally:
                engine.dispose()
        finally:
            stop = [*run_as, pg_ctl, "-D", str(data), "-m", "immediate", "-w", "stop"]
            subprocess.run(stop, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _user_exists(name: str) -> bool:
    import pwd

    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True
