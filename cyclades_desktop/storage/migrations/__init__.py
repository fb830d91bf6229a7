"""Alembic scripts (env.py and versions/), run by storage/migrate.py. A package only so that the
import contracts see what the migrations import."""
