"""Persistence: the database (SQLite or PostgreSQL, migrated by Alembic) with its models, documents and
migrations, plus sessions, the answer log with feedback, and handling of storage (disk) errors."""
