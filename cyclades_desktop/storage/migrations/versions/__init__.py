"""One script per schema revision, loaded by Alembic from its file."""
