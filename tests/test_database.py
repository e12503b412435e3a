"""OPC_DATABASE_URL: conversations, the answer log with feedback and added documents in SQLite (the
default) or a real PostgreSQL server started by the tests; migrations; carrying over earlier files."""

from __future__ import annotations

import shutil
import sqlite3
import uuid

import pytest
from sqlalchemy import inspect, text

from assistant import Assistant, Settings
from assistant.errors import DatabaseUnavailable, NotFound
from assistant.store.database import forget, open_database
from assistant.store.migrate import SCRIPTS, current, head, upgrade
from harness.pg import postgres  # noqa: F401  (fixture)

# Starts servers, processes or a browser: not in the fast tier (make test-fast).
pytestmark = pytest.mark.system


POLICY = """# 南山区青年创业者租房补贴实施细则

第一条 为支持青年在南山区创办一人公司，制定本细则。

第二条 在南山区注册满一年的一人公司创始人，可申请租房补贴，每月2800元，最长发放18个月。

第三条 申请人应于每年3月和9月通过区人才服务平台提交申请材料。
"""


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request):
    """A database URL of each kind: None (the default SQLite file in the data dir) or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return lambda: None
    server = request.getfixturevalue("postgres")
    return lambda: server.create_database(f"t_{uuid.uuid4().hex[:10]}")


def _host(seeded_data_dir, name: str, url: str | None) -> Assistant:
    return Assistant.load(Settings(data_dir=seeded_data_dir(name), database_url=url))


def test_conversations_and_feedback_are_shared_by_hosts(backend, seeded_data_dir, tmp_path):
    url = backend()
    one = _host(seeded_data_dir, "host-a", url)
    # SQLite is one file: a second "host" is a second process on the same data dir; here a second data dir
    # pointing at the first one's file stands for it.
    two = _host(seeded_data_dir, "host-b", url or f"sqlite:///{one.settings.data_dir / 'opc.sqlite3'}")
    first = one.ask("博士落户补贴最高多少？", owner="key:k1|user:u1", new_session=True)
    sid = first.session_id
    follow = two.ask("那需要满足什么条件呢？", session_id=sid, owner="key:k1|user:u1")
    assert follow.standalone_question and "落户补贴" in follow.standalone_question  # the topic carried over
    assert [t.question for t in one.session(sid, owner="key:k1|user:u1")] == ["博士落户补贴最高多少？", "那需要满足什么条件呢？"]
    with pytest.raises(NotFound):  # owner binding holds on every host
        two.session(sid, owner="key:k1|user:someone-else")
    with pytest.raises(NotFound):
        one.ask("能领多久？", session_id=sid, owner="key:k2|user:u1")
    # Feedback on the other host's answer, listed on both.
    vote = two.feedback(first.id, useful=False, comment="请写明需要哪些材料，我的电话13812345678")
    assert "13812345678" not in vote.comment
    assert [f.id for f in one.feedback_store.list(first.id)] == [vote.id]
    with pytest.raises(NotFound):
        one.feedback("a-made-up-answer-id", useful=True)
    # Retention: an old conversation goes, on every host.
    two.db.run(lambda c: c.execute(text("UPDATE sessions SET updated = updated - 90 * 86400 WHERE id = :i"),
                                   {"i": sid}), write=True)
    assert one.purge(days=30)["sessions"] == 1
    with pytest.raises(NotFound):
        two.session(sid, owner=None)


def test_documents_live_in_the_database_and_the_folder_is_a_cache(backend, seeded_data_dir):
    url = backend()
    bot = _host(seeded_data_dir, "docs", url)
    info = bot.add_document(POLICY.encode(), filename="nanshan-rent.md", title="南山区青年创业者租房补贴实施细则")
    assert "2800" in bot.ask("南山区一人公司创始人租房补贴每月多少？").answer
    rows = bot.db.run(lambda c: c.execute(text("SELECT name FROM document_files WHERE doc_id = :d ORDER BY name"),
                                          {"d": info.id}).scalars().all())
    assert {"document.yaml", "zh.yaml"} <= set(rows) and any(r.startswith("original-zh") for r in rows)
    folder = bot.settings.data_dir / "documents" / info.id
    # Any file the folder holds is stored too (facts are kept there).
    (folder / "notes.txt").write_text("审核意见：已核对原文。", encoding="utf-8")
    # A missing folder is rebuilt from the database at the next start; a stale one is rewritten.
    shutil.rmtree(folder)
    restarted = Assistant.load(bot.settings)
    assert (folder / "document.yaml").is_file() and not (folder / "notes.txt").exists()
    assert "2800" in restarted.ask("南山区一人公司创始人租房补贴每月多少？").answer
    (folder / "zh.yaml").write_text((folder / "zh.yaml").read_text(encoding="utf-8").replace("2800", "9999"),
                                    encoding="utf-8")
    (folder.parent / ".cache" / "docs" / info.id).write_text("tampered", encoding="utf-8")
    again = Assistant.load(bot.settings)
    assert "9999" not in (folder / "zh.yaml").read_text(encoding="utf-8")
    assert "2800" in again.ask("南山区一人公司创始人租房补贴每月多少？").answer
    again.remove_document(info.id)
    removed = again.db.run(lambda c: c.execute(text("SELECT removed FROM documents WHERE id = :d"),
                                               {"d": info.id}).scalar_one())
    assert removed and not folder.exists()


def test_a_failing_database_write_keeps_the_document_out(seeded_data_dir, postgres):  # noqa: F811
    url = postgres.create_database(f"t_{uuid.uuid4().hex[:10]}")
    bot = _host(seeded_data_dir, "db-fails", url)
    before = bot.index.docs
    # The documents table refuses new rows: the change is not recorded, so not kept anywhere.
    postgres.psql("REVOKE INSERT ON documents FROM opc; ALTER TABLE documents OWNER TO postgres;"
                  " GRANT SELECT, UPDATE, DELETE ON documents TO opc", db=url.rsplit("/", 1)[1])
    with pytest.raises(DatabaseUnavailable, match="permission denied"):
        bot.add_document(POLICY.encode(), filename="nanshan-rent.md")
    assert not [p for p in (bot.settings.data_dir / "documents").iterdir() if not p.name.startswith(".")]
    assert Assistant.load(bot.settings).index.docs == before


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_a_failing_migration_leaves_the_previous_schema(kind, tmp_path, request):
    if kind == "sqlite":
        settings = Settings(data_dir=tmp_path / "data")
    else:
        server = request.getfixturevalue("postgres")
        settings = Settings(data_dir=tmp_path / "data", database_url=server.create_database(f"t_{uuid.uuid4().hex[:10]}"))
    db = open_database(settings)
    assert current(db) == head()
    db.run(lambda c: c.execute(text("INSERT INTO sessions (id, owner, created, updated) VALUES ('s1', 'o', 1, 1)")),
           write=True)
    scripts = tmp_path / "scripts"
    shutil.copytree(SCRIPTS, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    (scripts / "versions" / "0099_broken.py").write_text(f'''
import sqlalchemy as sa
from alembic import op

revision = "0099"
down_revision = {head()!r}


def upgrade():
    op.create_table("half_done", sa.Column("id", sa.Integer, primary_key=True))
    op.add_column("sessions", sa.Column("extra", sa.Text))
    op.execute("UPDATE sessions SET extra = 'x'")
    raise RuntimeError("this migration fails half way")
''')
    with pytest.raises(DatabaseUnavailable, match="previous schema is unchanged"):
        upgrade(db, scripts)
    assert current(db) == head()
    names = db.run(lambda c: inspect(c).get_table_names())
    columns = db.run(lambda c: [col["name"] for col in inspect(c).get_columns("sessions")])
    assert "half_done" not in names and "extra" not in columns
    assert db.run(lambda c: c.execute(text("SELECT count(*) FROM sessions")).scalar()) == 1
    forget(settings)


# The schema of the release before the database (assistant/store/sessions.py and feedback.py as of 9f5b8d6).
OLD_SESSIONS = ["CREATE TABLE turns (session_id TEXT NOT NULL, n INTEGER NOT NULL, created REAL NOT NULL, question "
                "TEXT NOT NULL, standalone TEXT, answer TEXT NOT NULL, PRIMARY KEY (session_id, n))",
                "CREATE TABLE sessions (id TEXT PRIMARY KEY, owner TEXT NOT NULL, created REAL NOT NULL, "
                "updated REAL NOT NULL)"]
OLD_FEEDBACK = ["CREATE TABLE answers (id TEXT PRIMARY KEY, created REAL NOT NULL, language TEXT, answerable INTEGER,"
                " mode TEXT, question TEXT, answer TEXT NOT NULL)",
                "CREATE TABLE feedback (id INTEGER PRIMARY KEY AUTOINCREMENT, answer_id TEXT NOT NULL, created REAL "
                "NOT NULL, useful INTEGER NOT NULL, comment TEXT, source TEXT)"]


def test_earlier_files_and_folders_carry_over(backend, seeded_data_dir, bot):
    import hashlib
    import time

    url = backend()
    old = seeded_data_dir("old-release")
    answer = bot.ask("住房补贴每月多少钱？")
    owner = hashlib.sha256(b"key:k1|user:u1").hexdigest()
    with sqlite3.connect(old / "sessions.sqlite3") as con:
        for sql in OLD_SESSIONS:
            con.execute(sql)
        con.execute("INSERT INTO sessions VALUES ('sOld1', ?, ?, ?)", (owner, time.time(), time.time()))
        con.execute("INSERT INTO turns VALUES ('sOld1', 1, ?, ?, NULL, ?)",
                    (time.time(), answer.question, answer.model_dump_json()))
    with sqlite3.connect(old / "feedback.sqlite3") as con:
        for sql in OLD_FEEDBACK:
            con.execute(sql)
        con.execute("INSERT INTO answers VALUES (?, ?, 'zh', 1, 'extractive', ?, ?)",
                    (answer.id, time.time(), answer.question, answer.model_dump_json()))
        con.execute("INSERT INTO feedback (answer_id, created, useful, comment, source) VALUES (?, ?, 1, '有用', 'api')",
                    (answer.id, time.time()))
    # An added document's folder as the earlier release wrote it (document.yaml, zh.yaml, the original).
    maker = _host(seeded_data_dir, "maker", None)
    doc = maker.add_document(POLICY.encode(), filename="nanshan-rent.md")
    shutil.copytree(maker.settings.data_dir / "documents" / doc.id, old / "documents" / doc.id)

    host = Assistant.load(Settings(data_dir=old, database_url=url))
    assert [t.question for t in host.session("sOld1", owner="key:k1|user:u1")] == [answer.question]
    assert [f.comment for f in host.feedback_store.list(answer.id)] == ["有用"]
    assert host.db.run(lambda c: c.execute(text("SELECT count(*) FROM documents WHERE id = :d"),
                                           {"d": doc.id}).scalar()) == 1
    assert "2800" in host.ask("南山区一人公司创始人租房补贴每月多少？").answer
    assert (old / "sessions.sqlite3.imported").is_file() and not (old / "sessions.sqlite3").exists()
    # A second start imports nothing twice.
    again = Assistant.load(Settings(data_dir=old, database_url=url))
    assert len(again.feedback_store.list(answer.id)) == 1


def test_a_document_added_on_one_host_is_answered_by_the_other(backend, seeded_data_dir):
    url = backend()
    one = _host(seeded_data_dir, "follow-a", url)
    two = _host(seeded_data_dir, "follow-b", url or f"sqlite:///{one.settings.data_dir / 'opc.sqlite3'}")
    question = "南山区一人公司创始人租房补贴每月多少？"
    assert "2800" not in two.ask(question).answer
    info = one.add_document(POLICY.encode(), filename="nanshan-rent.md")
    assert two.refresh()  # what the API does before each request
    answer = two.ask(question)
    assert "2800" in answer.answer and answer.citations[0].doc_id == info.id
    assert (two.settings.data_dir / "documents" / info.id / "zh.yaml").is_file()
    assert not two.refresh()  # nothing new: no work
    one.remove_document(info.id)
    assert two.refresh()
    assert info.id not in {d.id for d in two.documents()} and "2800" not in two.ask(question).answer


@pytest.mark.parametrize("command", [("db", "upgrade"), ("serve", "--no-ui")])
@pytest.mark.parametrize("case,words", [
    ("unreachable", "Cannot reach the database at postgresql://opc:***@127.0.0.1"),
    ("credentials", "refused the credentials (password authentication failed"),
    ("scheme", "must start with sqlite:/// or postgresql://, not mysql://"),
])
def test_a_wrong_database_url_stops_at_start_and_writes_nothing(command, case, words, postgres, tmp_path):  # noqa: F811
    import os
    import subprocess

    from harness.servers import free_port

    from .test_serve import OPC

    url = {"unreachable": f"postgresql://opc:secret@127.0.0.1:{free_port()}/opc",
           "credentials": postgres.url("postgres", password="not-the-password"),
           "scheme": "mysql://opc:secret@127.0.0.1:3306/opc"}[case]
    data = tmp_path / "data"
    args = [*command, "--port", str(free_port())] if command[0] == "serve" else list(command)
    env = {**os.environ, "OPC_DATA_DIR": str(data), "OPC_DATABASE_URL": url}
    done = subprocess.run([OPC, *args], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode != 0
    error = [line for line in done.stderr.splitlines() if line.startswith("Error:")]
    assert len(error) == 1 and words in error[0], done.stderr
    assert "secret" not in done.stderr and "not-the-password" not in done.stderr
    assert not data.exists() or not any(data.iterdir())


def test_two_hosts_adding_the_same_id_at_once_do_not_overwrite_each_other(backend, seeded_data_dir):
    from assistant.errors import DuplicateDocument

    url = backend()
    one = _host(seeded_data_dir, "same-id-a", url)
    two = _host(seeded_data_dir, "same-id-b", url or f"sqlite:///{one.settings.data_dir / 'opc.sqlite3'}")
    first = one.add_document(POLICY.encode(), filename="nanshan-rent.md")
    # Host two has not followed yet: its own folders still lack the document, so it picks the same id.
    other = POLICY.replace("2800", "3100").replace("南山区", "宝安区").encode()
    with pytest.raises(DuplicateDocument, match="Another host"):
        two.add_document(other, filename="nanshan-rent.md")
    assert not (two.settings.data_dir / "documents" / first.id).exists()  # its attempt rolled back
    assert two.refresh()  # the API does this before the retry's request: host two now holds host one's document
    second = two.add_document(other, filename="nanshan-rent.md")
    assert second.id != first.id
    assert one.refresh() and "2800" in one.ask("南山区一人公司创始人租房补贴每月多少？").answer
    assert "3100" in one.ask("宝安区一人公司创始人租房补贴每月多少？").answer
