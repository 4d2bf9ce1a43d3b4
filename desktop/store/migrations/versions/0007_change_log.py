"""The change log: every committed write names the records it changed, so that other windows and
programs on the same library can refresh what they show.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "change_log",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("writer", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("action", sa.String(length=10), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_change_log")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_change_log_at"), "change_log", ["at"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_change_log_at"), table_name="change_log")
    op.drop_table("change_log")
