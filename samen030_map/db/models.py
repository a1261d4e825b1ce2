"""SQLModel tables: the registry (`organisation`, `meeting_place`), its revision and history, and accounts.

The registry tables' content columns are made from the schema (core/schema.py), so a field is stated
once; list fields are stored as ";"-joined text. Bookkeeping columns:
- seed_id links a row to its seed row (None for rows made by people); seed_hash is the hash of the
  content as last seeded, so a reseed can tell whether someone edited the row since;
- archived: off the public map, kept in the workspace, can be undone (a reseed never brings it back);
- version: raised by every change; a save that started from an older version is refused (two people,
  one item);
- created_at/by, updated_at/by: who made it and who changed it last.
Migrations in migrations/versions must match these definitions (a test compares them).
"""

from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from samen030_map.core.schema import FIELDS


def utc_now() -> datetime:
    # SQLModel stores datetimes time-zone aware (UTC); it refuses naive ones.
    return datetime.now(timezone.utc)


# Storage type and default per schema kind; every other kind is text.
_STORED = {"float": (float | None, None), "date": (date | None, None), "bool": (bool, False)}


def _content_columns() -> type[SQLModel]:
    """A SQLModel base class with one column per schema field except the id (the table's key)."""
    annotations, columns = {}, {}
    for spec in FIELDS:
        if spec.name == "id":
            continue
        stored_type, default = _STORED.get(spec.kind, (str, ""))
        if stored_type is str and isinstance(spec.default, str):
            default = spec.default
        annotations[spec.name] = stored_type
        columns[spec.name] = Field(default=default)
    return type("ContentColumns", (SQLModel,), {"__annotations__": annotations, "__module__": __name__, **columns})


ContentColumns = _content_columns()


class RegistryColumns(ContentColumns):
    """Columns shared by both registry tables (not a table itself)."""

    id: str = Field(primary_key=True)  # the stable slug from the CSV
    seed_id: str | None = None  # unique per table, see __table_args__
    seed_hash: str | None = None
    archived: bool = False
    version: int = 1
    created_at: datetime = Field(default_factory=utc_now)
    created_by: str = ""
    updated_at: datetime = Field(default_factory=utc_now)
    updated_by: str = ""
    checked_by: str = ""  # who pressed "gecontroleerd" last (the date is the content field checked_on)


# Constraints are named so the migrations (and SQLite batch mode) can refer to them.
class Organisation(RegistryColumns, table=True):
    __tablename__ = "organisation"
    __table_args__ = (UniqueConstraint("seed_id", name="uq_organisation_seed_id"),)


class MeetingPlace(RegistryColumns, table=True):
    __tablename__ = "meeting_place"
    __table_args__ = (UniqueConstraint("seed_id", name="uq_meeting_place_seed_id"),)


TABLES = {"organisation": Organisation, "meeting_place": MeetingPlace}

# Columns that hold the entry's content (what seed_hash covers); the rest is bookkeeping.
CONTENT_COLUMNS = tuple(spec.name for spec in FIELDS)


class RegistryRevision(SQLModel, table=True):
    """One row: raised by every write to the registry, so every process knows when to rebuild its picture."""

    __tablename__ = "registry_revision"

    id: int = Field(default=1, primary_key=True)
    revision: int = 0
    changed_at: datetime = Field(default_factory=utc_now)


class EntryVersion(SQLModel, table=True):
    """A version of an organisation or place, after one change: who, when, what, per field old and new.

    `content` is the whole entry as JSON after the change (restoring a version copies it back);
    `changes` is {field: [old, new]}. History outlives an archived item. batch groups an import.
    """

    __tablename__ = "entry_version"

    id: int | None = Field(default=None, primary_key=True)
    entity: str = Field(index=True)
    entry_id: str = Field(index=True)
    version: int
    action: str  # toegevoegd | gewijzigd | gecontroleerd | gearchiveerd | teruggezet | hersteld | import | basis
    changed_by: str
    changed_at: datetime = Field(default_factory=utc_now, index=True)
    batch: str = Field(default="", index=True)
    content: str = Field(sa_column=Column(Text, nullable=False))
    changes: str = Field(default="{}", sa_column=Column(Text, nullable=False))


class Submission(SQLModel, table=True):
    """A resident's proposal, waiting for a coordinator: a new initiative, or a correction of an item.

    Pending submissions are private: they reach no public page, search, list, export or figure until a
    coordinator approves one (which makes a registry item). `content` holds the proposed fields as JSON.
    """

    __tablename__ = "submission"

    id: int | None = Field(default=None, primary_key=True)
    kind: str  # aanmelding | correctie
    entity: str = "organisation"
    target_key: str = ""  # a correction: the '<entity>:<id>' it is about
    content: str = Field(default="{}", sa_column=Column(Text, nullable=False))
    message: str = Field(default="", sa_column=Column(Text, nullable=False))  # a correction: what is wrong
    contact: str = ""  # for the coordinators only
    wish: str = ""  # lid | steun | kaart: what the initiative wants from SAMEN030
    client: str = Field(default="", index=True)  # a hash of the client address (to limit floods)
    session: str = Field(default="", index=True)  # a hash of the browser session
    created_at: datetime = Field(default_factory=utc_now, index=True)
    status: str = Field(default="wacht", index=True)  # wacht | goedgekeurd | samengevoegd | afgewezen | afgehandeld
    decided_by: str = ""
    decided_at: datetime | None = None
    reason: str = ""
    result_key: str = ""  # the registry item it became or was merged into


# --- accounts (see db/accounts.py) ------------------------------------------------------------


class UserAccount(SQLModel, table=True):
    __tablename__ = "user_account"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, max_length=64)  # the login name, lower case
    password_hash: str  # argon2id, with its own salt
    role: str  # coordinator | beheerder
    wijken: str = ""  # ";"-joined wijkcodes a coordinator may edit; "" = all
    active: bool = True
    created_at: datetime = Field(default_factory=utc_now)
    created_by: str = ""


class LoginSession(SQLModel, table=True):
    __tablename__ = "login_session"

    token_hash: str = Field(primary_key=True)  # SHA-256 of the browser's token; the token itself is never stored
    user_id: int = Field(foreign_key="user_account.id", index=True)
    created_at: datetime = Field(default_factory=utc_now)
    last_seen_at: datetime = Field(default_factory=utc_now)


class LoginAttempt(SQLModel, table=True):
    __tablename__ = "login_attempt"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True)
    client: str = Field(default="", index=True)  # the client address, to limit guessing across names
    at: datetime = Field(default_factory=utc_now, index=True)
    succeeded: bool = False


# Every table this project owns (Alembic looks only at these; other tables may share the database).
OUR_TABLE_NAMES = (
    "organisation", "meeting_place", "registry_revision", "entry_version", "submission",
    "user_account", "login_session", "login_attempt",
)  # fmt: skip
