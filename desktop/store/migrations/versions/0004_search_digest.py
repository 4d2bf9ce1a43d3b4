"""A digest of every case's index entry, so a check can prove the index matches the text.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "search_digest",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("digest", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["model_case.id"], name=op.f("fk_search_digest_case_id_model_case"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("case_id", name=op.f("pk_search_digest")),
    )


def downgrade() -> None:
    op.drop_table("search_digest")
