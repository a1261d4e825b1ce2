"""Registry storage: engine, migrations, seeding and the add/update/import functions.

Seeding is careful with people's work: a seeded row is updated from the seed files only while
it still holds exactly what was seeded last time (checked with seed_hash); a row edited since is
kept, and a soft-deleted row stays deleted. An import is people's work too: it edits rows the way
update_entry does and never touches seed_hash, so the next seeding keeps what was imported.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.util import CommandError
from sqlalchemy import Engine, create_engine, make_url
from sqlalchemy.exc import ArgumentError
from sqlmodel import Session, select

from samen030_map.core.boundaries import Boundaries
from samen030_map.core.config import REGISTRY_DIR, database_url
from samen030_map.core.registry import (
    ENTITIES,
    LIST_FIELDS,
    RegistryEntry,
    RegistryError,
    clean_entry,
    read_seed_csv,
    split_list,
    validate_entry,
)
from samen030_map.db.models import CONTENT_COLUMNS, TABLES, RegistryColumns, utc_now

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
SEED_FILES = {"organisation": "organisations.csv", "meeting_place": "meeting_places.csv"}


@dataclass
class SeedReport:
    """What a seed or import did, counted in rows."""

    inserted: int = 0
    updated: int = 0
    kept_edited: int = 0  # edited since seeding (or made by hand with the same id): left alone
    unchanged: int = 0
    kept_deleted: int = 0  # soft-deleted: left deleted

    def __str__(self) -> str:
        return (
            f"{self.inserted} toegevoegd, {self.updated} bijgewerkt, "
            f"{self.kept_edited} met eigen wijzigingen behouden, {self.unchanged} ongewijzigd, "
            f"{self.kept_deleted} verwijderd gelaten"
        )


# --- engine and migrations -------------------------------------------------------------------


def engine_for(url: str | None = None) -> Engine:
    """A SQLAlchemy engine for `url` (default: core.config.database_url())."""
    url = url or database_url()
    if make_url(url).get_backend_name() == "sqlite":
        # Reflex handles events on worker threads; SQLite's same-thread check would refuse that.
        return create_engine(url, connect_args={"check_same_thread": False})
    return create_engine(url)


def _alembic_config(url: str | None = None) -> Config:
    """Alembic config built in code, so migrations run from an installed package (no ini file)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url:
        # ConfigParser treats % as interpolation (URL-encoded passwords contain it).
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def migrate(url: str | None = None) -> None:
    """Bring the database at `url` to the newest schema (alembic upgrade head).

    A SQLite file (and its folder) is created on first run; running it again changes nothing.
    """
    url = url or database_url()
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = engine_for(url)
    try:
        with engine.begin() as connection:
            config = _alembic_config(url)
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    finally:
        engine.dispose()


# Known database failures: a regular expression for the driver's (English) message, what to do in Dutch.
_DATABASE_PROBLEMS = (
    ("unable to open database file", "het databasebestand kan niet worden geopend of gemaakt: is het pad een map, of mag het programma daar niet schrijven?"),
    ("file is not a database", "dit bestand is geen SQLite-database; kies een ander pad of een nieuw bestand"),
    ("database is locked", "de database is vergrendeld: een ander programma schrijft erin; probeer het zo opnieuw"),
    ("password authentication failed", "aanmelden bij de databaseserver is mislukt; controleer gebruikersnaam en wachtwoord"),
    (r'(database|role) ".*" does not exist', "de database of gebruiker bestaat niet op de databaseserver"),
    ("could not translate host name|name or service not known", "de naam van de databaseserver is onbekend; controleer de host in de URL"),
    ("connection refused|could not connect|connection failed|timeout expired", "geen verbinding met de databaseserver; draait die, en kloppen host en poort?"),
)


def database_problem(error: Exception, url: str | None = None) -> str:
    """One Dutch line for a database error: which database (password hidden), what went wrong, what to do.

    Handles a setting that is not a URL or names no known database (ArgumentError), a missing
    driver (ImportError), errors from the database itself (DBAPIError: unreachable, locked, not a
    database) and a schema Alembic does not know; anything else gets its own message.
    """
    url = url or database_url()
    try:
        where = make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return (
            f"de database-instelling (--db-url of SAMEN030_DB_URL) is geen database-URL: {url!r}; "
            "gebruik bijvoorbeeld sqlite:///pad/naar/samen030.db of postgresql+psycopg://gebruiker@host/database"
        )
    if isinstance(error, ArgumentError):
        return f"database {where}: onbekend soort database in de URL; gebruik sqlite:/// of postgresql+psycopg://"
    if isinstance(error, ImportError):
        return f"database {where}: het stuurprogramma voor deze database is niet geïnstalleerd ({error.name})"
    if isinstance(error, CommandError):
        return f"database {where}: onbekende schemaversie (gemaakt door een nieuwere versie van dit programma?): {error}"
    text = str(getattr(error, "orig", None) or error)
    for pattern, dutch in _DATABASE_PROBLEMS:
        if re.search(pattern, text, re.IGNORECASE):
            return f"database {where}: {dutch}"
    first_line = text.strip().splitlines()[0] if text.strip() else type(error).__name__
    return f"database {where}: databasefout: {first_line}"


# --- converting between entries and rows ------------------------------------------------------


def _row_values(entry: RegistryEntry) -> dict:
    """The content columns of a table row for `entry` (list fields joined with ";")."""
    values = {name: getattr(entry, name) for name in CONTENT_COLUMNS}
    for name in LIST_FIELDS:
        values[name] = ";".join(values[name])
    return values


def _to_entry(row: RegistryColumns, entity: str) -> RegistryEntry:
    values = {name: getattr(row, name) for name in CONTENT_COLUMNS}
    for name in LIST_FIELDS:
        values[name] = split_list(values[name])
    return RegistryEntry(entity=entity, **values)


def _content_hash(values: dict) -> str:
    """Stable hash of a row's content columns (dates as ISO text, None as null)."""
    text = json.dumps({k: values[k] for k in CONTENT_COLUMNS}, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _row_hash(row: RegistryColumns) -> str:
    return _content_hash({name: getattr(row, name) for name in CONTENT_COLUMNS})


def _check_entity(entity: str) -> None:
    if entity not in ENTITIES:
        raise ValueError(f"entity must be one of {ENTITIES}, not {entity!r}")


# --- seeding ----------------------------------------------------------------------------------


def seed(
    engine: Engine,
    organisations: list[RegistryEntry],
    meeting_places: list[RegistryEntry],
) -> SeedReport:
    """Merge already validated seed entries into the database, in one transaction.

    New seed rows are inserted; a seeded row is updated only while it still equals its last
    seeded content; rows edited since seeding and soft-deleted rows are left alone.
    Running it twice with the same entries changes nothing the second time.
    """
    report = SeedReport()
    with Session(engine) as session:
        _seed_entity(session, "organisation", organisations, report)
        _seed_entity(session, "meeting_place", meeting_places, report)
        session.commit()
    return report


def _seed_entity(session: Session, entity: str, entries: list[RegistryEntry], report: SeedReport) -> None:
    table = TABLES[entity]
    for entry in entries:
        if entry.entity != entity:
            raise ValueError(f"{entry.id!r} is a {entry.entity}, not a {entity}")
        values = _row_values(entry)
        new_hash = _content_hash(values)
        row = session.exec(select(table).where(table.seed_id == entry.id)).first()
        if row is None:
            if session.get(table, entry.id) is not None:
                # Someone added a row by hand with this id before it appeared in the seed file.
                report.kept_edited += 1
                continue
            session.add(table(**values, seed_id=entry.id, seed_hash=new_hash))
            report.inserted += 1
        elif row.deleted:
            report.kept_deleted += 1
        elif _row_hash(row) == new_hash:
            # Holds what the seed says (also when edited to exactly that): in step with the seed.
            if row.seed_hash != new_hash:
                row.seed_hash = new_hash
            report.unchanged += 1
        elif _row_hash(row) == row.seed_hash:
            # Nobody touched it since the last seed: take the new seed content.
            for name, value in values.items():
                setattr(row, name, value)
            row.seed_hash = new_hash
            row.updated_at = utc_now()
            report.updated += 1
        else:
            report.kept_edited += 1  # edited (by hand, form or import) since the last seed
    session.flush()


def seed_from_files(
    engine: Engine, boundaries: Boundaries, registry_dir: Path = REGISTRY_DIR
) -> SeedReport:
    """Validate organisations.csv and meeting_places.csv in `registry_dir` and seed them.

    Both files are read before anything is written; problems in either raise one RegistryError
    listing all of them. The tables must exist (run migrate() first).
    """
    entries: dict[str, list[RegistryEntry]] = {}
    problems: list[str] = []
    for entity, filename in SEED_FILES.items():
        try:
            entries[entity] = read_seed_csv(Path(registry_dir) / filename, entity, boundaries)
        except RegistryError as e:
            problems += e.problems
    if problems:
        raise RegistryError("Registerbestanden ongeldig:\n" + "\n".join(problems), problems)
    return seed(engine, entries["organisation"], entries["meeting_place"])


def import_csv(engine: Engine, path: Path | str, entity: str, boundaries: Boundaries) -> SeedReport:
    """Import a CSV in the seed schema, in one transaction: new ids are added, changed rows updated.

    Imported content counts as an edit (like update_entry), not as seed content: seed_hash keeps
    the last seeded content, so a later seeding sees the row as edited and leaves it alone.
    Soft-deleted rows stay deleted. The whole file is validated first; if anything is wrong a
    RegistryError is raised and the database is not touched.
    """
    _check_entity(entity)
    entries = read_seed_csv(path, entity, boundaries)
    table = TABLES[entity]
    report = SeedReport()
    with Session(engine) as session:
        for entry in entries:
            values = _row_values(entry)
            row = session.get(table, entry.id)
            if row is None:
                session.add(table(**values))  # no seed_id: a row of people's own, like add_entry
                report.inserted += 1
            elif row.deleted:
                report.kept_deleted += 1
            elif _row_hash(row) == _content_hash(values):
                report.unchanged += 1
            else:
                for name, value in values.items():
                    setattr(row, name, value)
                row.updated_at = utc_now()
                report.updated += 1
        session.commit()
    return report


# --- reading and editing ----------------------------------------------------------------------


def load_entries(engine: Engine, entity: str) -> list[RegistryEntry]:
    """All rows of `entity` that are not soft-deleted, ordered by id."""
    _check_entity(entity)
    table = TABLES[entity]
    with Session(engine) as session:
        rows = session.exec(select(table).where(table.deleted == False).order_by(table.id))  # noqa: E712
        return [_to_entry(row, entity) for row in rows]


def _validated(entry: RegistryEntry, boundaries: Boundaries) -> None:
    problems = validate_entry(entry, boundaries)
    if problems:
        raise RegistryError(
            f"{entry.entity} {entry.id!r} is ongeldig:\n" + "\n".join(problems), problems
        )


def add_entry(engine: Engine, entry: RegistryEntry, boundaries: Boundaries) -> RegistryEntry:
    """Add an entry by hand (no seed_id). Raises RegistryError, writing nothing, when it is
    invalid or its id is already used in its table (also by a deleted row)."""
    entry = clean_entry(entry)
    _validated(entry, boundaries)
    table = TABLES[entry.entity]
    with Session(engine) as session:
        if session.get(table, entry.id) is not None:
            problem = f"id: {entry.id!r} is al in gebruik"
            raise RegistryError(f"{entry.entity} {entry.id!r} is ongeldig:\n{problem}", [problem])
        session.add(table(**_row_values(entry)))
        session.commit()
    return entry


def update_entry(
    engine: Engine,
    id: str,
    changes: dict,
    boundaries: Boundaries,
    entity: str | None = None,
) -> RegistryEntry:
    """Change fields of a (non-deleted) entry and return the result.

    `changes` maps RegistryEntry field names to new values; list fields may be given as a list
    or as ";"-separated text. `entity` is needed only when both tables use the id. The changed
    entry is validated first: when invalid, RegistryError is raised and nothing is written.
    """
    editable = set(CONTENT_COLUMNS) - {"id"}  # the id is the row's key and stays as it is
    unknown = sorted(set(changes) - editable)
    if unknown:
        raise RegistryError(f"Deze velden kunnen niet worden gewijzigd: {', '.join(unknown)}")
    changes = {
        name: (split_list(value) if isinstance(value, str) else tuple(value))
        if name in LIST_FIELDS
        else value
        for name, value in changes.items()
    }
    with Session(engine) as session:
        row, entity = _find_row(session, id, entity)
        entry = clean_entry(dataclasses.replace(_to_entry(row, entity), **changes))
        _validated(entry, boundaries)
        for name, value in _row_values(entry).items():
            setattr(row, name, value)
        row.updated_at = utc_now()
        session.commit()
    return entry


def delete_entry(engine: Engine, id: str, entity: str | None = None) -> None:
    """Soft-delete an entry: it disappears from load_entries and a reseed never restores it."""
    with Session(engine) as session:
        row, _ = _find_row(session, id, entity)
        row.deleted = True
        row.updated_at = utc_now()
        session.commit()


def _find_row(session: Session, id: str, entity: str | None) -> tuple[RegistryColumns, str]:
    """The non-deleted row with this id, looked up in one table or (entity None) in both."""
    entities = ENTITIES if entity is None else (entity,)
    for name in entities:
        _check_entity(name)
    found = [
        (row, name)
        for name in entities
        if (row := session.get(TABLES[name], id)) is not None and not row.deleted
    ]
    if not found:
        raise RegistryError(f"Geen organisatie of ontmoetingsplek met id {id!r}")
    if len(found) > 1:
        raise RegistryError(f"id {id!r} bestaat als organisatie én als ontmoetingsplek; geef entity op")
    return found[0]
