"""Alembic migrations of the library schema, run programmatically (no alembic.ini)."""
