"""Initial schema: every record table and the SQLite full-text index.

Revision ID: 0001
Revises:
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "indicator",
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("unit", sa.String(length=20), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicator")),
        sa.UniqueConstraint("name", name=op.f("uq_indicator_name")),
        sa.UniqueConstraint("uuid", name=op.f("uq_indicator_uuid")),
    )
    op.create_table(
        "library_meta",
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_library_meta")),
    )
    op.create_table(
        "model_type",
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_model_type")),
        sa.UniqueConstraint("name", name=op.f("uq_model_type_name")),
        sa.UniqueConstraint("uuid", name=op.f("uq_model_type_uuid")),
    )
    op.create_table(
        "pilot_site",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("batch", sa.String(length=60), nullable=False),
        sa.Column("lead_unit", sa.String(length=200), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=True),
        sa.Column("period_end", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("is_demo", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pilot_site")),
        sa.UniqueConstraint("uuid", name=op.f("uq_pilot_site_uuid")),
    )
    op.create_table(
        "reference_item",
        sa.Column("dataset", sa.String(length=40), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("dataset_version", sa.Integer(), nullable=False),
        sa.Column("record_uuid", sa.String(length=36), nullable=False),
        sa.Column("record_version", sa.Integer(), nullable=False),
        sa.Column("item_hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("dataset", "key", name=op.f("pk_reference_item")),
    )
    op.create_table(
        "region",
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("level", sa.String(length=20), nullable=False),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("path", sa.String(length=200), nullable=False),
        sa.Column("full_name", sa.String(length=300), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["parent_id"], ["region.id"], name=op.f("fk_region_parent_id_region")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_region")),
        sa.UniqueConstraint("uuid", name=op.f("uq_region_uuid")),
    )
    with op.batch_alter_table("region", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_region_parent_id"), ["parent_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_region_path"), ["path"], unique=False)

    op.create_table(
        "tag",
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tag")),
        sa.UniqueConstraint("name", name=op.f("uq_tag_name")),
        sa.UniqueConstraint("uuid", name=op.f("uq_tag_uuid")),
    )
    op.create_table(
        "theme",
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("path", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["parent_id"], ["theme.id"], name=op.f("fk_theme_parent_id_theme")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_theme")),
        sa.UniqueConstraint("uuid", name=op.f("uq_theme_uuid")),
    )
    with op.batch_alter_table("theme", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_theme_parent_id"), ["parent_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_theme_path"), ["path"], unique=False)

    op.create_table(
        "experiment",
        sa.Column("pilot_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("objective", sa.Text(), nullable=False),
        sa.Column("measures", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("responsible_unit", sa.String(length=200), nullable=False),
        sa.Column("findings", sa.Text(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["pilot_id"], ["pilot_site.id"], name=op.f("fk_experiment_pilot_id_pilot_site")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_experiment")),
        sa.UniqueConstraint("uuid", name=op.f("uq_experiment_uuid")),
    )
    with op.batch_alter_table("experiment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_experiment_pilot_id"), ["pilot_id"], unique=False)

    op.create_table(
        "model_case",
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("subtitle", sa.String(length=200), nullable=False),
        sa.Column("model_type_id", sa.Integer(), nullable=True),
        sa.Column("basic_situation", sa.Text(), nullable=False),
        sa.Column("practices", sa.Text(), nullable=False),
        sa.Column("outcomes", sa.Text(), nullable=False),
        sa.Column("lessons", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("source_url", sa.String(length=500), nullable=False),
        sa.Column("reported_on", sa.Date(), nullable=True),
        sa.Column("review_status", sa.String(length=10), nullable=False),
        sa.Column("return_reason", sa.Text(), nullable=False),
        sa.Column("pilot_id", sa.Integer(), nullable=True),
        sa.Column("is_demo", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["model_type_id"], ["model_type.id"], name=op.f("fk_model_case_model_type_id_model_type")
        ),
        sa.ForeignKeyConstraint(["pilot_id"], ["pilot_site.id"], name=op.f("fk_model_case_pilot_id_pilot_site")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_model_case")),
        sa.UniqueConstraint("uuid", name=op.f("uq_model_case_uuid")),
    )
    with op.batch_alter_table("model_case", schema=None) as batch_op:
        batch_op.create_index("ix_model_case_deleted_at", ["deleted_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_model_case_model_type_id"), ["model_type_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_model_case_pilot_id"), ["pilot_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_model_case_reported_on"), ["reported_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_model_case_review_status"), ["review_status"], unique=False)

    op.create_table(
        "observation",
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=40), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["indicator_id"], ["indicator.id"], name=op.f("fk_observation_indicator_id_indicator")),
        sa.ForeignKeyConstraint(["region_id"], ["region.id"], name=op.f("fk_observation_region_id_region")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_observation")),
        sa.UniqueConstraint("uuid", name=op.f("uq_observation_uuid")),
    )
    with op.batch_alter_table("observation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_observation_indicator_id"), ["indicator_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_observation_region_id"), ["region_id"], unique=False)

    op.create_table(
        "pilot_place",
        sa.Column("pilot_id", sa.Integer(), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["pilot_id"],
            ["pilot_site.id"],
            name=op.f("fk_pilot_place_pilot_id_pilot_site"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["region_id"], ["region.id"], name=op.f("fk_pilot_place_region_id_region")),
        sa.PrimaryKeyConstraint("pilot_id", "region_id", name=op.f("pk_pilot_place")),
    )
    with op.batch_alter_table("pilot_place", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pilot_place_region_id"), ["region_id"], unique=False)

    op.create_table(
        "region_designation",
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("label", sa.String(length=100), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["region_id"], ["region.id"], name=op.f("fk_region_designation_region_id_region")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_region_designation")),
        sa.UniqueConstraint("uuid", name=op.f("uq_region_designation_uuid")),
    )
    with op.batch_alter_table("region_designation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_region_designation_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_region_designation_region_id"), ["region_id"], unique=False)

    op.create_table(
        "adoption",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("adopted_on", sa.Date(), nullable=True),
        sa.Column("extent", sa.String(length=10), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["model_case.id"], name=op.f("fk_adoption_case_id_model_case"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["region_id"], ["region.id"], name=op.f("fk_adoption_region_id_region")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_adoption")),
        sa.UniqueConstraint("uuid", name=op.f("uq_adoption_uuid")),
    )
    with op.batch_alter_table("adoption", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_adoption_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_adoption_region_id"), ["region_id"], unique=False)

    op.create_table(
        "case_figure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=100), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("unit", sa.String(length=20), nullable=False),
        sa.Column("period", sa.String(length=40), nullable=False),
        sa.Column("qualifier", sa.String(length=10), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["model_case.id"], name=op.f("fk_case_figure_case_id_model_case"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["indicator_id"], ["indicator.id"], name=op.f("fk_case_figure_indicator_id_indicator")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_figure")),
        sa.UniqueConstraint("uuid", name=op.f("uq_case_figure_uuid")),
    )
    with op.batch_alter_table("case_figure", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_figure_case_id"), ["case_id"], unique=False)

    op.create_table(
        "case_photo",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(length=300), nullable=False),
        sa.Column("caption", sa.Text(), nullable=False),
        sa.Column("credit", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["model_case.id"], name=op.f("fk_case_photo_case_id_model_case"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_photo")),
        sa.UniqueConstraint("uuid", name=op.f("uq_case_photo_uuid")),
    )
    with op.batch_alter_table("case_photo", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_photo_case_id"), ["case_id"], unique=False)

    op.create_table(
        "case_place",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["model_case.id"], name=op.f("fk_case_place_case_id_model_case"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["region_id"], ["region.id"], name=op.f("fk_case_place_region_id_region")),
        sa.PrimaryKeyConstraint("case_id", "region_id", name=op.f("pk_case_place")),
    )
    with op.batch_alter_table("case_place", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_place_region_id"), ["region_id"], unique=False)

    op.create_table(
        "case_tag",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("tag_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["model_case.id"], name=op.f("fk_case_tag_case_id_model_case"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["tag_id"], ["tag.id"], name=op.f("fk_case_tag_tag_id_tag")),
        sa.PrimaryKeyConstraint("case_id", "tag_id", name=op.f("pk_case_tag")),
    )
    with op.batch_alter_table("case_tag", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_tag_tag_id"), ["tag_id"], unique=False)

    op.create_table(
        "case_theme",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["model_case.id"], name=op.f("fk_case_theme_case_id_model_case"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["theme_id"], ["theme.id"], name=op.f("fk_case_theme_theme_id_theme")),
        sa.PrimaryKeyConstraint("case_id", "theme_id", name=op.f("pk_case_theme")),
    )
    with op.batch_alter_table("case_theme", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_theme_theme_id"), ["theme_id"], unique=False)

    op.create_table(
        "milestone",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("experiment_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("responsible_unit", sa.String(length=200), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["experiment_id"],
            ["experiment.id"],
            name=op.f("fk_milestone_experiment_id_experiment"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_milestone")),
        sa.UniqueConstraint("uuid", name=op.f("uq_milestone_uuid")),
    )
    with op.batch_alter_table("milestone", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_milestone_due_date"), ["due_date"], unique=False)
        batch_op.create_index(batch_op.f("ix_milestone_experiment_id"), ["experiment_id"], unique=False)

    op.create_table(
        "progress_note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("experiment_id", sa.Integer(), nullable=False),
        sa.Column("noted_on", sa.Date(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("author", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["experiment_id"],
            ["experiment.id"],
            name=op.f("fk_progress_note_experiment_id_experiment"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_progress_note")),
        sa.UniqueConstraint("uuid", name=op.f("uq_progress_note_uuid")),
    )
    with op.batch_alter_table("progress_note", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_progress_note_experiment_id"), ["experiment_id"], unique=False)

    op.create_table(
        "review_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("from_status", sa.String(length=10), nullable=False),
        sa.Column("to_status", sa.String(length=10), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["model_case.id"],
            name=op.f("fk_review_event_case_id_model_case"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_event")),
    )
    with op.batch_alter_table("review_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_review_event_case_id"), ["case_id"], unique=False)

    if op.get_bind().dialect.name == "sqlite":
        # Contentless FTS5 tables over the tokens built by desktop.search (rowid = case id):
        # bigrams with positions for phrases, the set of single characters without positions,
        # and both again for titles. The 'ascii' tokenizer splits only where we put spaces.
        op.execute("CREATE VIRTUAL TABLE case_fts USING fts5(bi, content='', tokenize='ascii')")
        op.execute("CREATE VIRTUAL TABLE case_char_fts USING fts5(ch, content='', tokenize='ascii', detail='none')")
        op.execute("CREATE VIRTUAL TABLE case_title_fts USING fts5(bi, ch, content='', tokenize='ascii')")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("case_title_fts", "case_char_fts", "case_fts"):
            op.execute(f"DROP TABLE IF EXISTS {name}")
    with op.batch_alter_table("review_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_event_case_id"))

    op.drop_table("review_event")
    with op.batch_alter_table("progress_note", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_progress_note_experiment_id"))

    op.drop_table("progress_note")
    with op.batch_alter_table("milestone", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_milestone_experiment_id"))
        batch_op.drop_index(batch_op.f("ix_milestone_due_date"))

    op.drop_table("milestone")
    with op.batch_alter_table("case_theme", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_theme_theme_id"))

    op.drop_table("case_theme")
    with op.batch_alter_table("case_tag", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_tag_tag_id"))

    op.drop_table("case_tag")
    with op.batch_alter_table("case_place", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_place_region_id"))

    op.drop_table("case_place")
    with op.batch_alter_table("case_photo", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_photo_case_id"))

    op.drop_table("case_photo")
    with op.batch_alter_table("case_figure", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_figure_case_id"))

    op.drop_table("case_figure")
    with op.batch_alter_table("adoption", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_adoption_region_id"))
        batch_op.drop_index(batch_op.f("ix_adoption_case_id"))

    op.drop_table("adoption")
    with op.batch_alter_table("region_designation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_region_designation_region_id"))
        batch_op.drop_index(batch_op.f("ix_region_designation_kind"))

    op.drop_table("region_designation")
    with op.batch_alter_table("pilot_place", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pilot_place_region_id"))

    op.drop_table("pilot_place")
    with op.batch_alter_table("observation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_observation_region_id"))
        batch_op.drop_index(batch_op.f("ix_observation_indicator_id"))

    op.drop_table("observation")
    with op.batch_alter_table("model_case", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_model_case_review_status"))
        batch_op.drop_index(batch_op.f("ix_model_case_reported_on"))
        batch_op.drop_index(batch_op.f("ix_model_case_pilot_id"))
        batch_op.drop_index(batch_op.f("ix_model_case_model_type_id"))
        batch_op.drop_index("ix_model_case_deleted_at")

    op.drop_table("model_case")
    with op.batch_alter_table("experiment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_experiment_pilot_id"))

    op.drop_table("experiment")
    with op.batch_alter_table("theme", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_theme_path"))
        batch_op.drop_index(batch_op.f("ix_theme_parent_id"))

    op.drop_table("theme")
    op.drop_table("tag")
    with op.batch_alter_table("region", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_region_path"))
        batch_op.drop_index(batch_op.f("ix_region_parent_id"))

    op.drop_table("region")
    op.drop_table("reference_item")
    op.drop_table("pilot_site")
    op.drop_table("model_type")
    op.drop_table("library_meta")
    op.drop_table("indicator")
