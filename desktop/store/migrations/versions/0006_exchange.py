"""Share bundles: where imported records came from, the digests records had when exchanged,
and the log of bundles written and read.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "record_origin",
        sa.Column("record_uuid", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("origin_library", sa.String(length=36), nullable=False),
        sa.Column("origin_unit", sa.String(length=200), nullable=False),
        sa.Column("origin_editor", sa.String(length=200), nullable=False),
        sa.Column("origin_at", sa.DateTime(), nullable=True),
        sa.Column("via_library", sa.String(length=36), nullable=False),
        sa.Column("via_unit", sa.String(length=200), nullable=False),
        sa.Column("via_editor", sa.String(length=200), nullable=False),
        sa.Column("via_at", sa.DateTime(), nullable=True),
        sa.Column("bundle_name", sa.String(length=300), nullable=False),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.Column("imported_by", sa.String(length=200), nullable=False),
        sa.Column("copy_of", sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint("record_uuid", name=op.f("pk_record_origin")),
    )
    op.create_table(
        "sync_state",
        sa.Column("record_uuid", sa.String(length=36), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("record_uuid", "digest", name=op.f("pk_sync_state")),
    )
    op.create_table(
        "exchange_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("direction", sa.String(length=10), nullable=False),
        sa.Column("file_name", sa.String(length=1000), nullable=False),
        sa.Column("peer_library", sa.String(length=36), nullable=False),
        sa.Column("peer_unit", sa.String(length=200), nullable=False),
        sa.Column("peer_editor", sa.String(length=200), nullable=False),
        sa.Column("counts_json", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("by", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_log")),
    )


def downgrade() -> None:
    op.drop_table("exchange_log")
    op.drop_table("sync_state")
    op.drop_table("record_origin")
