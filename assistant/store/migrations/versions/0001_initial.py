"""Sessions, the answer log with feedback, added documents and the corpus version.

Revision ID: 0001
Revises:
Create Date: 2026-11-29
"""

import time

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sessions",
        sa.Column("id", sa.String(160), primary_key=True),
        sa.Column("owner", sa.String(64), nullable=False),
        sa.Column("created", sa.Float, nullable=False),
        sa.Column("updated", sa.Float, nullable=False))
    op.create_index("ix_sessions_updated", "sessions", ["updated"])
    op.create_table(
        "turns",
        sa.Column("session_id", sa.String(160), primary_key=True),
        sa.Column("n", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("created", sa.Float, nullable=False),
        sa.Column("question", sa.Text, nullable=False),
        sa.Column("standalone", sa.Text),
        sa.Column("answer", sa.Text, nullable=False))
    op.create_table(
        "answers",
        sa.Column("id", sa.String(160), primary_key=True),
        sa.Column("created", sa.Float, nullable=False),
        sa.Column("language", sa.String(16)),
        sa.Column("answerable", sa.Boolean),
        sa.Column("mode", sa.String(32)),
        sa.Column("question", sa.Text),
        sa.Column("answer", sa.Text, nullable=False))
    op.create_index("ix_answers_created", "answers", ["created"])
    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("answer_id", sa.String(160), nullable=False),
        sa.Column("created", sa.Float, nullable=False),
        sa.Column("useful", sa.Boolean, nullable=False),
        sa.Column("comment", sa.Text),
        sa.Column("source", sa.String(32)))
    op.create_index("ix_feedback_answer_id", "feedback", ["answer_id"])
    op.create_index("ix_feedback_created", "feedback", ["created"])
    op.create_table(
        "documents",
        sa.Column("id", sa.String(128), primary_key=True),
        sa.Column("meta", sa.Text, nullable=False),
        sa.Column("hashes", sa.Text, nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("added_at", sa.Float, nullable=False),
        sa.Column("updated_at", sa.Float, nullable=False),
        sa.Column("removed", sa.Boolean, nullable=False),
        sa.Column("revision", sa.Integer, nullable=False))
    op.create_index("ix_documents_revision", "documents", ["revision"])
    op.create_table(
        "document_files",
        sa.Column("doc_id", sa.String(128), sa.ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("name", sa.String(255), primary_key=True),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("data", sa.LargeBinary, nullable=False))
    state = op.create_table(
        "corpus_state",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("changed_at", sa.Float, nullable=False))
    op.bulk_insert(state, [{"id": 1, "version": 0, "changed_at": time.time()}])


def downgrade() -> None:
    for table in ("corpus_state", "document_files", "documents", "feedback", "answers", "turns", "sessions"):
        op.drop_table(table)
