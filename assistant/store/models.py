"""The database's tables (SQLAlchemy Core), as the newest migration leaves them.

Times are epoch seconds (floats), as the earlier SQLite files kept them. A document is stored
generically: its row (metadata, content hashes, when added, removed or not, the corpus version that last
changed it) and every file of its folder as a blob, whatever the file is (clauses, originals, facts).
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Float, ForeignKey, Index, Integer, LargeBinary, MetaData, String, Table, Text

metadata = MetaData()

sessions = Table(
    "sessions", metadata,
    Column("id", String(160), primary_key=True),
    Column("owner", String(64), nullable=False),  # sha256 of the owner, never the owner itself
    Column("created", Float, nullable=False),
    Column("updated", Float, nullable=False),
    Index("ix_sessions_updated", "updated"),
)

turns = Table(
    "turns", metadata,
    Column("session_id", String(160), primary_key=True),
    Column("n", Integer, primary_key=True, autoincrement=False),
    Column("created", Float, nullable=False),
    Column("question", Text, nullable=False),
    Column("standalone", Text),
    Column("answer", Text, nullable=False),
)

answers = Table(
    "answers", metadata,
    Column("id", String(160), primary_key=True),
    Column("created", Float, nullable=False),
    Column("language", String(16)),
    Column("answerable", Boolean),
    Column("mode", String(32)),
    Column("question", Text),
    Column("answer", Text, nullable=False),
    Index("ix_answers_created", "created"),
)

feedback = Table(
    "feedback", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("answer_id", String(160), nullable=False),
    Column("created", Float, nullable=False),
    Column("useful", Boolean, nullable=False),
    Column("comment", Text),
    Column("source", String(32)),
    Index("ix_feedback_answer_id", "answer_id"),
    Index("ix_feedback_created", "created"),
)

documents = Table(
    "documents", metadata,
    Column("id", String(128), primary_key=True),
    Column("meta", Text, nullable=False),  # document.yaml as JSON
    Column("hashes", Text, nullable=False),  # JSON list of the versions' content hashes (duplicate checks)
    Column("digest", String(64), nullable=False),  # of the folder's files: a cached folder is stale when it differs
    Column("added_at", Float, nullable=False),
    Column("updated_at", Float, nullable=False),
    Column("removed", Boolean, nullable=False, default=False),
    Column("revision", Integer, nullable=False),  # the corpus version that last changed it
    Index("ix_documents_revision", "revision"),
)

document_files = Table(
    "document_files", metadata,
    Column("doc_id", String(128), ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("name", String(255), primary_key=True),
    Column("sha256", String(64), nullable=False),
    Column("data", LargeBinary, nullable=False),
)

# One row (id 1): the corpus version every host follows; bumped in the transaction of each document change.
corpus_state = Table(
    "corpus_state", metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("version", Integer, nullable=False),
    Column("changed_at", Float, nullable=False),
)

# Batch jobs (background document batches): the process running one (``owner``: host and pid), where it is,
# the upload folder it removes when done (a name in the data directory), the sources' labels in order, and the
# Job as JSON (outcomes written as each source lands), so its id answers after a restart.
jobs = Table(
    "jobs", metadata,
    Column("id", String(64), primary_key=True),
    Column("owner", String(200), nullable=False),
    Column("status", String(16), nullable=False),
    Column("created", Float, nullable=False),
    Column("updated", Float, nullable=False),
    Column("workdir", String(255)),
    Column("labels", Text, nullable=False),
    Column("body", Text, nullable=False),
    Index("ix_jobs_status", "status"),
    Index("ix_jobs_created", "created"),
)
