"""Bring your own documents: read a file or URL, find its clauses, store it beside the corpus.

Stages, one module each: ``fetch`` (URLs) → ``extract`` (bytes → text blocks with page numbers)
→ ``structure`` (blocks → numbered clauses) → ``align`` (pair a translation's clauses with the
original's) → ``store`` (document folders in ``<data_dir>/documents``, written atomically) →
``pipeline`` (all of it, plus the index update, with rollback). ``netguard`` decides which addresses a
fetch may reach; ``sandbox`` parses untrusted files in a limited worker process.
"""
