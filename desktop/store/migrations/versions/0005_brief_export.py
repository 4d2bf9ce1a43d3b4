"""The export history: every brief or collection written, with its settings, to open or redo it.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "brief_export",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("template", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("issue_no", sa.Integer(), nullable=True),
        sa.Column("spec_json", sa.Text(), nullable=False),
        sa.Column("case_uuids_json", sa.Text(), nullable=False),
        sa.Column("file_path", sa.String(length=1000), nullable=False),
        sa.Column("pages", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_brief_export")),
        sa.UniqueConstraint("uuid", name=op.f("uq_brief_export_uuid")),
    )
    op.create_index("ix_brief_export_template_year", "brief_export", ["template", "year"])


def downgrade() -> None:
    op.drop_index("ix_brief_export_template_year", table_name="brief_export")
    op.drop_table("brief_export")
