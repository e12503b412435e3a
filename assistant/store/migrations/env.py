"""Alembic environment: always run on a connection (and its transaction) opened by assistant.store.migrate."""

from alembic import context

connection = context.config.attributes["connection"]
# The caller holds one transaction for the whole upgrade: on PostgreSQL (transactional DDL) a failing
# migration leaves the previous schema and version exactly as they were.
context.configure(connection=connection, transactional_ddl=True, render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()
