"""The coordinators' workspace: new registry fields, versions and history, the revision, accounts.

Existing rows keep all their data: verified_on (the date a source was read) becomes source_read_on,
deleted (a soft delete) becomes archived, and every new column gets a default.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

REGISTRY_TABLES = ("organisation", "meeting_place")


def _text(name: str, default: str = "") -> sa.Column:
    return sa.Column(name, sa.String(), nullable=False, server_default=default)


def _flag(name: str) -> sa.Column:
    return sa.Column(name, sa.Boolean(), nullable=False, server_default=sa.false())


def _new_registry_columns() -> list[sa.Column]:
    return [
        _text("description"),
        _text("status", "te_bevestigen"),
        _flag("themes_derived"),
        _text("founded"),
        _text("founded_event"),
        _flag("founded_is_start"),
        _text("founded_derived"),
        _text("founded_source"),
        sa.Column("checked_on", sa.Date(), nullable=True),
        _text("contact"),
        _text("notes"),
        sa.Column("version", sa.Integer(), nullable=False, server_default="1"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.current_timestamp()),
        _text("created_by"),
        _text("updated_by"),
        _text("checked_by"),
    ]


def upgrade() -> None:
    for table in REGISTRY_TABLES:
        with op.batch_alter_table(table) as batch:
            batch.alter_column("verified_on", new_column_name="source_read_on", existing_type=sa.Date(), existing_nullable=True)
            batch.alter_column("deleted", new_column_name="archived", existing_type=sa.Boolean(), existing_nullable=False)
            for column in _new_registry_columns():
                batch.add_column(column)

    op.create_table(
        "registry_revision",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.execute("INSERT INTO registry_revision (id, revision, changed_at) VALUES (1, 1, CURRENT_TIMESTAMP)")

    op.create_table(
        "entry_version",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("entity", sa.String(), nullable=False),
        sa.Column("entry_id", sa.String(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(), nullable=False),
        sa.Column("changed_by", sa.String(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("batch", sa.String(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("changes", sa.Text(), nullable=False),
    )
    for column in ("entity", "entry_id", "changed_at", "batch"):
        op.create_index(f"ix_entry_version_{column}", "entry_version", [column])

    op.create_table(
        "user_account",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("password_hash", sa.String(), nullable=False),
        sa.Column("role", sa.String(), nullable=False),
        sa.Column("wijken", sa.String(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(), nullable=False),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "login_session",
        sa.Column("token_hash", sa.String(), primary_key=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("user_account.id"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_login_session_user_id", "login_session", ["user_id"])
    op.create_table(
        "login_attempt",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("client", sa.String(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("succeeded", sa.Boolean(), nullable=False),
    )
    for column in ("name", "client", "at"):
        op.create_index(f"ix_login_attempt_{column}", "login_attempt", [column])


def downgrade() -> None:
    for table in ("login_attempt", "login_session", "user_account", "entry_version", "registry_revision"):
        op.drop_table(table)
    for table in REGISTRY_TABLES:
        with op.batch_alter_table(table) as batch:
            for column in reversed(_new_registry_columns()):
                batch.drop_column(column.name)
            batch.alter_column("archived", new_column_name="deleted", existing_type=sa.Boolean(), existing_nullable=False)
            batch.alter_column("source_read_on", new_column_name="verified_on", existing_type=sa.Date(), existing_nullable=True)
