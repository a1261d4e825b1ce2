"""SQLModel tables for the registry: `organisation` and `meeting_place`.

Both tables have the seed CSV's columns (list fields as ";"-joined text) plus bookkeeping:
seed_id links a row to its seed row (None for rows added by hand), seed_hash is the hash of the
content as last seeded (so a reseed can tell whether someone edited the row since), deleted is a
soft delete (so a reseed never brings a removed row back).
The migration in migrations/versions must match these definitions.
"""

from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from samen030_map.core.registry import CSV_COLUMNS


def utc_now() -> datetime:
    # SQLModel stores datetimes time-zone aware (UTC); it refuses naive ones.
    return datetime.now(timezone.utc)


class RegistryColumns(SQLModel):
    """Columns shared by both tables (not a table itself)."""

    id: str = Field(primary_key=True)  # the stable slug from the CSV
    name: str
    kind: str
    themes: str = ""
    pillars: str = ""
    area_level: str
    area_codes: str = ""
    address: str = ""
    postcode: str = ""
    lat: float | None = None
    lon: float | None = None
    location_precision: str
    samen030_relation: str
    website: str = ""
    source_url: str = ""
    verified_on: date | None = None
    note: str = ""

    seed_id: str | None = None  # unique per table, see __table_args__
    seed_hash: str | None = None
    deleted: bool = False
    updated_at: datetime = Field(default_factory=utc_now)


# Constraints are named so the hand-written migration (and SQLite batch mode) can refer to them.
class Organisation(RegistryColumns, table=True):
    __tablename__ = "organisation"
    __table_args__ = (UniqueConstraint("seed_id", name="uq_organisation_seed_id"),)


class MeetingPlace(RegistryColumns, table=True):
    __tablename__ = "meeting_place"
    __table_args__ = (UniqueConstraint("seed_id", name="uq_meeting_place_seed_id"),)


TABLES = {"organisation": Organisation, "meeting_place": MeetingPlace}

# Columns that hold the entry's content (what seed_hash covers); the rest is bookkeeping.
CONTENT_COLUMNS = CSV_COLUMNS
