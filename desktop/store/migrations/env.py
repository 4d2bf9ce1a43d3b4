"""Alembic environment: runs migrations on the connection handed over by ``desktop.store.db``."""

from __future__ import annotations

from alembic import context

from desktop.store.schema import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only reached when alembic is run by hand
    raise RuntimeError("migrations run only through desktop.store.db")
applied = context.config.attributes.get("on_version_apply")  # progress of an upgrade, if asked for
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    compare_type=True,
    on_version_apply=applied,
)
with context.begin_transaction():
    context.run_migrations()
