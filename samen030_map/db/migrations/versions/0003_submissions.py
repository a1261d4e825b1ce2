"""Residents' submissions and corrections (the review queue), and a source in words.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ("organisation", "meeting_place"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("source_text", sa.String(), nullable=False, server_default=""))
    op.create_table(
        "submission",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("entity", sa.String(), nullable=False),
        sa.Column("target_key", sa.String(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("contact", sa.String(), nullable=False),
        sa.Column("wish", sa.String(), nullable=False),
        sa.Column("client", sa.String(), nullable=False),
        sa.Column("session", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("decided_by", sa.String(), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reason", sa.String(), nullable=False),
        sa.Column("result_key", sa.String(), nullable=False),
    )
    for column in ("client", "session", "created_at", "status"):
        op.create_index(f"ix_submission_{column}", "submission", [column])


def downgrade() -> None:
    op.drop_table("submission")
    for table in ("organisation", "meeting_place"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("source_text")
