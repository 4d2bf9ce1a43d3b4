"""Indexes for listing live cases in the orders the case table offers (date, title, status, change).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

ORDERS = ("reported_on", "title", "review_status", "updated_at")


def upgrade() -> None:
    for column in ORDERS:
        op.create_index(f"ix_model_case_live_{column}", "model_case", ["deleted_at", column, "id"])


def downgrade() -> None:
    for column in ORDERS:
        op.drop_index(f"ix_model_case_live_{column}", table_name="model_case")
