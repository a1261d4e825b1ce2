"""Registry storage: engine, migrations, seeding, and every write to the registry.

Every write goes through one path (``_save``) that, in one transaction:
1. checks the user's role and wijken again (db/accounts.py: may_edit),
2. validates the whole entry (core/registry.py: validate_entry),
3. refuses a save that started from an older version than the stored one (two people, one item),
4. records a version with who, when and per field the old and new value (EntryVersion),
5. raises the registry revision, so every process rebuilds its picture (picture.py).

Seeding is careful with people's work: a seeded row is updated from the seed files only while it still
holds exactly what was seeded last time (seed_hash); a row edited since is kept, an archived row stays
archived. An import is people's work too: it never touches seed_hash.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import os
import re
import uuid
import weakref
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.util import CommandError
from sqlalchemy import Engine, create_engine, make_url, update
from sqlalchemy.exc import ArgumentError
from sqlmodel import Session, select

from samen030_map.core.boundaries import Boundaries
from samen030_map.core.config import REGISTRY_DIR, database_url
from samen030_map.core.registry import (
    ENTITIES,
    FIELDS_BY_NAME,
    LIST_FIELDS,
    PUBLISHED_STATUSES,
    RegistryEntry,
    RegistryError,
    clean_entry,
    public_copy,
    parse_cell,
    split_list,
    validate_entry,
)
from samen030_map.core.importing import read_registry_csv, read_seed_csv
from samen030_map.db.accounts import SYSTEM, PermissionDenied, User, may_edit
from samen030_map.db.models import CONTENT_COLUMNS, TABLES, EntryVersion, RegistryColumns, RegistryRevision, utc_now

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
SEED_FILES = {"organisation": "organisations.csv", "meeting_place": "meeting_places.csv"}
# What the seed hash covered before migration 0002 (so rows seeded then still count as untouched).
LEGACY_CONTENT_COLUMNS = (
    "id", "name", "kind", "themes", "pillars", "area_level", "area_codes", "address", "postcode", "lat", "lon",
    "location_precision", "samen030_relation", "website", "source_url", "verified_on", "note",
)  # fmt: skip


@dataclass
class SeedReport:
    """What a seed or import did, counted in rows."""

    inserted: int = 0
    updated: int = 0
    kept_edited: int = 0  # edited since seeding (or made by hand with the same id): left alone
    unchanged: int = 0
    kept_deleted: int = 0  # archived: left archived

    def __str__(self) -> str:
        return (
            f"{self.inserted} toegevoegd, {self.updated} bijgewerkt, "
            f"{self.kept_edited} met eigen wijzigingen behouden, {self.unchanged} ongewijzigd, "
            f"{self.kept_deleted} gearchiveerd gelaten"
        )


class EditConflict(RegistryError):
    """Someone else saved the item after this edit began: nothing is written; both versions are known."""

    def __init__(self, stored: RegistryEntry, stored_version: int, changed_by: str, changed_at: datetime):
        super().__init__(
            f"{changed_by or 'iemand anders'} heeft dit item intussen opgeslagen (versie {stored_version}). "
            "Je wijzigingen zijn niet opgeslagen: vergelijk beide versies en sla opnieuw op."
        )
        self.stored, self.stored_version, self.changed_by, self.changed_at = stored, stored_version, changed_by, changed_at


@dataclass(frozen=True)
class StoredEntry:
    """An entry as the workspace sees it: all fields (private ones too) and the bookkeeping."""

    entry: RegistryEntry
    version: int
    archived: bool
    seeded: bool
    created_at: datetime
    created_by: str
    updated_at: datetime
    updated_by: str
    checked_by: str


@dataclass(frozen=True)
class Version:
    """One recorded change of an entry."""

    version: int
    action: str
    changed_by: str
    changed_at: datetime
    batch: str
    changes: dict[str, list]  # field -> [old, new] (as text)
    entry: RegistryEntry  # the whole entry after this change


# --- engine and migrations -------------------------------------------------------------------


def engine_for(url: str | None = None) -> Engine:
    """A new SQLAlchemy engine for `url` (default: core.config.database_url()). See also engine()."""
    url = url or database_url()
    if make_url(url).get_backend_name() == "sqlite":
        # Reflex handles events on worker threads; SQLite's same-thread check would refuse that.
        # A writer waits up to 15 s for another one instead of failing at once.
        made = create_engine(url, connect_args={"check_same_thread": False, "timeout": 15})
    else:
        made = create_engine(url, pool_pre_ping=True)
    _ENGINES.add(made)
    return made


# Reflex imports the app (and so opens the database) before it forks its backend workers. A forked
# worker must not use the parent's pooled connections: two processes on one socket corrupt the
# PostgreSQL protocol. SQLAlchemy's recipe: the child forgets them without closing them.
_ENGINES: weakref.WeakSet[Engine] = weakref.WeakSet()


def _forget_connections_after_fork() -> None:
    for made in list(_ENGINES):
        made.dispose(close=False)


os.register_at_fork(after_in_child=_forget_connections_after_fork)


@functools.lru_cache(maxsize=8)
def _engine(url: str) -> Engine:
    return engine_for(url)


def engine(url: str | None = None) -> Engine:
    """The process's engine for `url` (one connection pool per database, not one per call)."""
    return _engine(url or database_url())


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
    migration_engine = engine_for(url)
    try:
        with migration_engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                # Several workers may start at once: one migrates, the others wait for it.
                connection.exec_driver_sql("SELECT pg_advisory_xact_lock(3003440)")
            config = _alembic_config(url)
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    finally:
        migration_engine.dispose()


def prepare_database(url: str | None = None, boundaries: Boundaries | None = None, registry_dir: Path = REGISTRY_DIR) -> SeedReport:
    """Migrate the database and merge in the seed files: what `init-db` and the app's start-up do."""
    from samen030_map.core.boundaries import load_boundaries

    migrate(url)
    return seed_from_files(engine(url), boundaries or load_boundaries(), registry_dir)


# Known database failures: a regular expression for the driver's (English) message, what to do in Dutch.
_DATABASE_PROBLEMS = (
    ("unable to open database file", "het databasebestand kan niet worden geopend of gemaakt: is het pad een map, of mag het programma daar niet schrijven?"),
    ("file is not a database", "dit bestand is geen SQLite-database; kies een ander pad of een nieuw bestand"),
    ("database is locked", "de database is vergrendeld: een ander programma schrijft erin; probeer het zo opnieuw"),
    ("password authentication failed", "aanmelden bij de databaseserver is mislukt; controleer gebruikersnaam en wachtwoord"),
    (r'(database|role) ".*" does not exist', "de database of gebruiker bestaat niet op de databaseserver"),
    ("connection refused", "geen verbinding met de databaseserver; draait die, en kloppen host en poort?"),
    ("could not connect", "geen verbinding met de databaseserver; draait die, en kloppen host en poort?"),
    ("connection failed", "geen verbinding met de databaseserver; draait die, en kloppen host en poort?"),
    ("could not translate host name", "de naam van de databaseserver is onbekend; controleer de host in de URL"),
    ("timeout expired", "de databaseserver antwoordt niet op tijd; draait die, en kloppen host en poort?"),
    ("no such table", "de database is nog niet klaargezet; voer eerst 'samen030-map init-db' uit"),
    ("does not exist", "de database is nog niet klaargezet; voer eerst 'samen030-map init-db' uit"),
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


# --- the revision -------------------------------------------------------------------------------


def read_revision(db: Engine) -> int:
    """The registry's revision: raised by every write; a cheap query for every process to poll."""
    with Session(db) as session:
        row = session.get(RegistryRevision, 1)
        return row.revision if row else 0


def _bump_revision(session: Session) -> None:
    # One UPDATE in the writing transaction: concurrent writers queue on this row, none is lost.
    result = session.exec(update(RegistryRevision).where(RegistryRevision.id == 1).values(revision=RegistryRevision.revision + 1, changed_at=utc_now()))
    if result.rowcount == 0:
        session.add(RegistryRevision(id=1, revision=1))


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


def _stored(row: RegistryColumns, entity: str) -> StoredEntry:
    return StoredEntry(
        entry=_to_entry(row, entity), version=row.version, archived=row.archived, seeded=row.seed_id is not None,
        created_at=row.created_at, created_by=row.created_by, updated_at=row.updated_at, updated_by=row.updated_by,
        checked_by=row.checked_by,
    )  # fmt: skip


def _stored_default(name: str):
    spec = FIELDS_BY_NAME[name]
    default = spec.default_value
    return ";".join(default) if isinstance(default, tuple) else default


def _content_hash(values: dict, columns=CONTENT_COLUMNS) -> str:
    """Stable hash of a row's content (dates as ISO text). Fields holding their default are left out,
    so adding a field to the schema later (its default in every row) changes no row's hash."""
    content = {k: values[k] for k in columns if k not in FIELDS_BY_NAME or values[k] != _stored_default(k)}
    text = json.dumps(content, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _row_hash(row: RegistryColumns) -> str:
    return _content_hash({name: getattr(row, name) for name in CONTENT_COLUMNS})


def _legacy_row_hash(row: RegistryColumns) -> str:
    """The hash as migration 0001's code made it (every column, defaults included)."""
    values = {name: getattr(row, "source_read_on" if name == "verified_on" else name) for name in LEGACY_CONTENT_COLUMNS}
    text = json.dumps(values, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _as_json(entry: RegistryEntry) -> str:
    return json.dumps({name: getattr(entry, name) for name in CONTENT_COLUMNS}, default=str, ensure_ascii=False)


def _from_json(entity: str, text: str) -> RegistryEntry:
    values = json.loads(text)
    for name in CONTENT_COLUMNS:
        spec = FIELDS_BY_NAME[name]
        value = values.get(name, spec.default_value)
        if spec.kind in ("choices", "codes"):
            value = tuple(value or ())
        elif spec.kind == "date" and value:
            value = date.fromisoformat(value)
        values[name] = value
    return RegistryEntry(entity=entity, **{name: values[name] for name in CONTENT_COLUMNS})


def _changes(old: RegistryEntry | None, new: RegistryEntry) -> dict[str, list]:
    """{field: [old, new]} for every field that differs, values as the text a person reads."""
    changed = {}
    for name in CONTENT_COLUMNS:
        after = getattr(new, name)
        if old is None:  # a new entry: every filled-in field, with nothing before it
            if after not in ("", (), None, False):
                changed[name] = ["", _text(after)]
        elif getattr(old, name) != after:
            changed[name] = [_text(getattr(old, name)), _text(after)]
    return changed


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, tuple):
        return ";".join(value)
    if isinstance(value, bool):
        return "ja" if value else "nee"
    return str(value)


def _check_entity(entity: str) -> None:
    if entity not in ENTITIES:
        raise ValueError(f"entity must be one of {ENTITIES}, not {entity!r}")


# --- the one write path -------------------------------------------------------------------------


def _record(session: Session, row: RegistryColumns, entity: str, old: RegistryEntry | None, action: str, user: User, batch: str = "") -> None:
    """Write a version row for the change just made to `row` and raise the revision."""
    new = _to_entry(row, entity)
    session.add(
        EntryVersion(
            entity=entity, entry_id=row.id, version=row.version, action=action, changed_by=user.name,
            changed_at=row.updated_at, batch=batch, content=_as_json(new), changes=json.dumps(_changes(old, new), ensure_ascii=False),
        )
    )  # fmt: skip
    _bump_revision(session)


def _require(user: User | None, entry: RegistryEntry, boundaries: Boundaries) -> None:
    if user is None:
        raise PermissionDenied("Log eerst in om iets te wijzigen.")
    if not may_edit(user, entry, boundaries):
        raise PermissionDenied(f"Je account mag alleen items in je eigen wijken wijzigen; {entry.name!r} valt daarbuiten.")


def _validated(entry: RegistryEntry, boundaries: Boundaries) -> RegistryEntry:
    entry = clean_entry(entry)
    problems = validate_entry(entry, boundaries)
    if problems:
        raise RegistryError(f"{entry.entity} {entry.id!r} is ongeldig:\n" + "\n".join(problems), problems)
    return entry


def _save(
    session: Session,
    entry: RegistryEntry,
    boundaries: Boundaries,
    user: User | None,
    action: str,
    expected_version: int | None = None,
    batch: str = "",
    archived: bool | None = None,
    checked_by: str | None = None,
    creating: bool = False,
) -> RegistryColumns:
    """Add or change one entry inside an open transaction (see the module docstring). Nothing is
    committed here; a raised error leaves the session to be rolled back."""
    entry = _validated(entry, boundaries)
    table = TABLES[entry.entity]
    row = session.get(table, entry.id)
    old = _to_entry(row, entry.entity) if row is not None else None
    _require(user, entry, boundaries)
    if old is not None:
        _require(user, old, boundaries)  # nobody moves an item out of someone else's wijk
        if expected_version is not None and row.version != expected_version:
            raise EditConflict(old, row.version, row.updated_by, row.updated_at)
    elif not creating and action != "import":
        raise RegistryError(f"Geen organisatie of ontmoetingsplek met id {entry.id!r}")
    now = utc_now()
    if row is None:
        row = table(**_row_values(entry), created_by=user.name, updated_by=user.name, created_at=now, updated_at=now)
        session.add(row)
    else:
        for name, value in _row_values(entry).items():
            setattr(row, name, value)
        row.version += 1
        row.updated_at, row.updated_by = now, user.name
    if archived is not None:
        row.archived = archived
    if checked_by is not None:
        row.checked_by = checked_by
    session.flush()
    _record(session, row, entry.entity, old, action, user, batch)
    return row


# --- reading ------------------------------------------------------------------------------------


def load_entries(db: Engine, entity: str, include_archived: bool = False) -> list[RegistryEntry]:
    """Every entry of `entity` with all its fields (coordinator-only ones too), ordered by id."""
    _check_entity(entity)
    table = TABLES[entity]
    with Session(db) as session:
        query = select(table).order_by(table.id)
        if not include_archived:
            query = query.where(table.archived == False)  # noqa: E712
        return [_to_entry(row, entity) for row in session.exec(query)]


def load_public_entries(db: Engine, entity: str) -> list[RegistryEntry]:
    """What the public map shows: published (not archived, not stopped), without coordinator-only fields."""
    return [public_copy(e) for e in load_entries(db, entity) if e.status in PUBLISHED_STATUSES]


def last_changed(db: Engine) -> dict[str, datetime]:
    """When each entry last changed, by '<entity>:<id>' (the public card says so)."""
    with Session(db) as session:
        return {
            f"{name}:{entry_id}": changed
            for name, table in TABLES.items()
            for entry_id, changed in session.exec(select(table.id, table.updated_at))
        }


def load_stored(db: Engine, entity: str | None = None) -> list[StoredEntry]:
    """Every entry with its bookkeeping, archived ones too: the workspace table."""
    stored = []
    with Session(db) as session:
        for name in ENTITIES if entity is None else (entity,):
            table = TABLES[name]
            stored += [_stored(row, name) for row in session.exec(select(table).order_by(table.id))]
    return stored


def get_stored(db: Engine, entity: str, entry_id: str) -> StoredEntry | None:
    _check_entity(entity)
    with Session(db) as session:
        row = session.get(TABLES[entity], entry_id)
        return _stored(row, entity) if row is not None else None


def history(db: Engine, entity: str, entry_id: str) -> list[Version]:
    """Every recorded change of an entry, newest first (also of an archived one)."""
    with Session(db) as session:
        rows = session.exec(
            select(EntryVersion).where(EntryVersion.entity == entity, EntryVersion.entry_id == entry_id).order_by(EntryVersion.version.desc(), EntryVersion.id.desc())
        ).all()
        versions = [
            Version(r.version, r.action, r.changed_by, r.changed_at, r.batch, json.loads(r.changes), _from_json(entity, r.content))
            for r in rows
        ]
    if versions and versions[-1].version > 1:
        versions.append(_before(versions[-1]))
    return versions


def _before(first: Version) -> Version:
    """The version before the first recorded one (rows that existed before history was kept): the
    first change's old values put back."""
    old = {}
    for name, (before, _) in first.changes.items():
        old[name], _problem = parse_cell(FIELDS_BY_NAME[name], before)
    return Version(first.version - 1, "eerder", "", first.changed_at, "", {}, dataclasses.replace(first.entry, **old))


# --- writing ------------------------------------------------------------------------------------


def add_entry(db: Engine, entry: RegistryEntry, boundaries: Boundaries, user: User | None = SYSTEM, action: str = "toegevoegd") -> RegistryEntry:
    """Add a new entry. Raises RegistryError (invalid, or id already used, also by an archived row)
    or PermissionDenied; nothing is written then."""
    _check_entity(entry.entity)
    with Session(db) as session:
        if session.get(TABLES[entry.entity], entry.id) is not None:
            problem = f"id: {entry.id!r} is al in gebruik"
            raise RegistryError(f"{entry.entity} {entry.id!r} is ongeldig:\n{problem}", [problem])
        row = _save(session, entry, boundaries, user, action, creating=True)
        session.commit()
        return _to_entry(row, entry.entity)


def update_entry(
    db: Engine,
    id: str,
    changes: dict,
    boundaries: Boundaries,
    entity: str | None = None,
    user: User | None = SYSTEM,
    expected_version: int | None = None,
    action: str = "gewijzigd",
) -> RegistryEntry:
    """Change fields of an entry and return the result.

    `changes` maps field names to new values; list fields may be given as a list or as ";"-separated
    text. `entity` is needed only when both tables use the id. `expected_version`: the version the
    edit started from; when someone saved since, EditConflict is raised. Nothing is written when the
    change is invalid (RegistryError) or not allowed (PermissionDenied).
    """
    editable = set(CONTENT_COLUMNS) - {"id"}  # the id is the row's key and stays as it is
    unknown = sorted(set(changes) - editable)
    if unknown:
        raise RegistryError(f"Deze velden kunnen niet worden gewijzigd: {', '.join(unknown)}")
    changes = {
        name: (split_list(value) if isinstance(value, str) else tuple(value)) if name in LIST_FIELDS else value
        for name, value in changes.items()
    }
    with Session(db) as session:
        row, entity = _find_row(session, id, entity)
        entry = dataclasses.replace(_to_entry(row, entity), **changes)
        row = _save(session, entry, boundaries, user, action, expected_version)
        session.commit()
        return _to_entry(row, entity)


def mark_checked(db: Engine, entity: str, entry_id: str, boundaries: Boundaries, user: User | None, today: date | None = None) -> RegistryEntry:
    """Record that a coordinator checked the entry today ("gecontroleerd")."""
    with Session(db) as session:
        row, entity = _find_row(session, entry_id, entity)
        entry = dataclasses.replace(_to_entry(row, entity), checked_on=today or date.today())
        row = _save(session, entry, boundaries, user, "gecontroleerd", checked_by=user.name if user else "")
        session.commit()
        return _to_entry(row, entity)


def set_archived(db: Engine, entity: str, entry_id: str, archived: bool, boundaries: Boundaries, user: User | None, expected_version: int | None = None) -> None:
    """Archive an entry (off the public map, the coverage and the exports; kept here) or bring it back."""
    with Session(db) as session:
        row = session.get(TABLES[entity], entry_id)
        if row is None:
            raise RegistryError(f"Geen organisatie of ontmoetingsplek met id {entry_id!r}")
        if row.archived == archived:
            return
        _save(session, _to_entry(row, entity), boundaries, user, "gearchiveerd" if archived else "hersteld", expected_version, archived=archived)
        session.commit()


def delete_entry(db: Engine, id: str, entity: str | None = None, user: User | None = SYSTEM) -> None:
    """Archive an entry (nothing is ever removed from the database)."""
    from samen030_map.core.boundaries import load_boundaries

    with Session(db) as session:
        _, entity = _find_row(session, id, entity)
    set_archived(db, entity, id, True, load_boundaries(), user)


def revert_to_version(db: Engine, entity: str, entry_id: str, version: int, boundaries: Boundaries, user: User | None) -> RegistryEntry:
    """Make an entry what it was after `version`; itself a recorded change ("teruggezet")."""
    wanted = next((v for v in history(db, entity, entry_id) if v.version == version), None)
    if wanted is None:
        raise RegistryError(f"Versie {version} van {entry_id!r} bestaat niet")
    with Session(db) as session:
        row = session.get(TABLES[entity], entry_id)
        saved = _save(session, wanted.entry, boundaries, user, "teruggezet")
        session.commit()
        return _to_entry(saved, entity) if row is not None else wanted.entry


def _find_row(session: Session, id: str, entity: str | None) -> tuple[RegistryColumns, str]:
    """The non-archived row with this id, looked up in one table or (entity None) in both."""
    entities = ENTITIES if entity is None else (entity,)
    for name in entities:
        _check_entity(name)
    found = [(row, name) for name in entities if (row := session.get(TABLES[name], id)) is not None and not row.archived]
    if not found:
        raise RegistryError(f"Geen organisatie of ontmoetingsplek met id {id!r}")
    if len(found) > 1:
        raise RegistryError(f"id {id!r} bestaat als organisatie én als ontmoetingsplek; geef entity op")
    return found[0]


# --- seeding ------------------------------------------------------------------------------------


def seed(db: Engine, organisations: list[RegistryEntry], meeting_places: list[RegistryEntry], boundaries: Boundaries | None = None) -> SeedReport:
    """Merge already validated seed entries into the database, in one transaction.

    New seed rows are inserted; a seeded row is updated only while it still equals its last seeded
    content; rows edited since seeding and archived rows are left alone. Running it twice with the
    same entries changes nothing the second time (and raises no revision).
    """
    report = SeedReport()
    with Session(db) as session:
        _seed_entity(session, "organisation", organisations, report)
        _seed_entity(session, "meeting_place", meeting_places, report)
        if report.inserted or report.updated:
            _bump_revision(session)
        elif session.get(RegistryRevision, 1) is None:
            session.add(RegistryRevision(id=1, revision=1))
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
            row = table(**values, seed_id=entry.id, seed_hash=new_hash, created_by=SYSTEM.name, updated_by=SYSTEM.name)
            session.add(row)
            session.flush()
            _record_seed(session, row, entity, None)
            report.inserted += 1
        elif row.archived:
            report.kept_deleted += 1
        elif _row_hash(row) == new_hash:
            # Holds what the seed says (also when edited to exactly that): in step with the seed.
            if row.seed_hash != new_hash:
                row.seed_hash = new_hash
            report.unchanged += 1
        elif row.seed_hash in (_row_hash(row), _legacy_row_hash(row)):
            # Nobody touched it since the last seed: take the new seed content.
            old = _to_entry(row, entity)
            for name, value in values.items():
                setattr(row, name, value)
            row.seed_hash = new_hash
            row.version += 1
            row.updated_at, row.updated_by = utc_now(), SYSTEM.name
            session.flush()
            _record_seed(session, row, entity, old)
            report.updated += 1
        else:
            report.kept_edited += 1  # edited (by hand, form or import) since the last seed
    session.flush()


def _record_seed(session: Session, row: RegistryColumns, entity: str, old: RegistryEntry | None) -> None:
    new = _to_entry(row, entity)
    session.add(
        EntryVersion(
            entity=entity, entry_id=row.id, version=row.version, action="basisgegevens", changed_by=SYSTEM.name,
            changed_at=row.updated_at, content=_as_json(new), changes=json.dumps(_changes(old, new), ensure_ascii=False),
        )
    )  # fmt: skip


def seed_from_files(db: Engine, boundaries: Boundaries, registry_dir: Path = REGISTRY_DIR) -> SeedReport:
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
    return seed(db, entries["organisation"], entries["meeting_place"])


# --- importing ----------------------------------------------------------------------------------


@dataclass
class ImportPlan:
    """What an import would do, worked out before anything is written (see plan_import)."""

    entity: str
    new: list[RegistryEntry] = field(default_factory=list)
    changed: list[tuple[RegistryEntry, dict]] = field(default_factory=list)  # (entry after, {field: [old, new]})
    unchanged: list[str] = field(default_factory=list)
    archived: list[str] = field(default_factory=list)  # ids of archived rows: left alone
    problems: list[str] = field(default_factory=list)


def plan_import(
    db: Engine, entries: list[RegistryEntry], columns: tuple[str, ...], entity: str, boundaries: Boundaries, user: User | None,
    rows: list[int] | None = None,
) -> ImportPlan:  # fmt: skip
    """Compare imported entries with the database: new, changed (only the file's columns), unchanged.

    A row the user may not write, or that would become invalid once merged, becomes a problem
    ("rij N, field: reason" when `rows` gives the entries' row numbers)."""
    _check_entity(entity)
    plan = ImportPlan(entity)
    stored = {s.entry.id: s for s in load_stored(db, entity)}
    for index, entry in enumerate(entries):
        current = stored.get(entry.id)
        if current is not None and current.archived:
            plan.archived.append(entry.id)
            continue
        merged = entry if current is None else dataclasses.replace(current.entry, **{c: getattr(entry, c) for c in columns if c != "id"})
        merged = clean_entry(merged)
        problems = validate_entry(merged, boundaries)
        try:
            _require(user, merged, boundaries)
            if current is not None:
                _require(user, current.entry, boundaries)
        except PermissionDenied as denied:
            problems.append(str(denied))
        if problems:
            where = f"rij {rows[index]}" if rows else entry.id
            plan.problems += [f"{where}, {problem}" for problem in problems]
        elif current is None:
            plan.new.append(merged)
        elif (changes := _changes(current.entry, merged)):
            plan.changed.append((merged, changes))
        else:
            plan.unchanged.append(entry.id)
    return plan


def apply_import(db: Engine, plan: ImportPlan, boundaries: Boundaries, user: User | None) -> tuple[SeedReport, str]:
    """Write a plan's new and changed rows in one transaction, as one batch of the history.

    Returns the report and the batch id (undo_import takes it)."""
    batch = uuid.uuid4().hex[:12]
    report = SeedReport(unchanged=len(plan.unchanged), kept_deleted=len(plan.archived))
    with Session(db) as session:
        for entry in plan.new:
            _save(session, entry, boundaries, user, "import", batch=batch)
            report.inserted += 1
        for entry, _ in plan.changed:
            _save(session, entry, boundaries, user, "import", batch=batch)
            report.updated += 1
        session.commit()
    return report, batch


def import_csv(db: Engine, path: Path | str, entity: str, boundaries: Boundaries, user: User | None = SYSTEM) -> SeedReport:
    """Import a CSV in the registry schema, all or nothing: new ids are added, changed rows updated
    (only the columns the file has). Imported content counts as an edit, not as seed content.
    Archived rows stay archived. Any problem raises RegistryError and nothing is written."""
    read = read_registry_csv(path, entity, boundaries)
    plan = plan_import(db, [entry for _, entry in read.entries], read.columns, entity, boundaries, user, [row for row, _ in read.entries])
    if plan.problems:
        name = Path(path).name
        raise RegistryError(f"{name}: {len(plan.problems)} probleem/problemen:\n" + "\n".join(plan.problems), plan.problems)
    report, _ = apply_import(db, plan, boundaries, user)
    return report


def undo_import(db: Engine, batch: str, boundaries: Boundaries, user: User | None) -> int:
    """Undo an import batch as a whole: rows it added are archived, rows it changed get their
    previous version back. Each undo is itself recorded. Returns how many entries were touched."""
    with Session(db) as session:
        versions = session.exec(select(EntryVersion).where(EntryVersion.batch == batch)).all()
        keys = [(v.entity, v.entry_id, v.version) for v in versions]
    touched = 0
    for entity, entry_id, version in keys:
        if version == 1:
            set_archived(db, entity, entry_id, True, boundaries, user)
        else:
            revert_to_version(db, entity, entry_id, version - 1, boundaries, user)
        touched += 1
    return touched
