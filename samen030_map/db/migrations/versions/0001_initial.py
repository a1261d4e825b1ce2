"""Registry tables organisation and meeting_place.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TABLES = ("organisation", "meeting_place")


def _registry_columns() -> list[sa.Column]:
    # Same columns as samen030_map.db.models.RegistryColumns.
    return [
        sa.Column("id", sa.String(), primary_key=True),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("themes", sa.String(), nullable=False),
        sa.Column("pillars", sa.String(), nullable=False),
        sa.Column("area_level", sa.String(), nullable=False),
        sa.Column("area_codes", sa.String(), nullable=False),
        sa.Column("address", sa.String(), nullable=False),
        sa.Column("postcode", sa.String(), nullable=False),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("location_precision", sa.String(), nullable=False),
        sa.Column("samen030_relation", sa.String(), nullable=False),
        sa.Column("website", sa.String(), nullable=False),
        sa.Column("source_url", sa.String(), nullable=False),
        sa.Column("verified_on", sa.Date(), nullable=True),
        sa.Column("note", sa.String(), nullable=False),
        sa.Column("seed_id", sa.String(), nullable=True),
        sa.Column("seed_hash", sa.String(), nullable=True),
        sa.Column("deleted", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    ]


def upgrade() -> None:
    for table in TABLES:
        op.create_table(
            table,
            *_registry_columns(),
            sa.UniqueConstraint("seed_id", name=f"uq_{table}_seed_id"),
        )


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)
