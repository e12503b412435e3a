"""Two `opc serve` hosts with data directories of their own, sharing a real PostgreSQL and a real Chroma server
(all started here on loopback): conversations, feedback and documents across hosts, and faults (a host
killed mid-request, PostgreSQL restarted)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import threading
import time

import httpx
import pytest
from sqlalchemy import create_engine, text

from harness.pg import postgres  # noqa: F401  (fixture)
from harness.servers import chroma_server, free_port, wait_until_ready

from .test_database import POLICY
from .test_serve import OPC

# Starts servers, processes or a browser: not in the fast tier (make test-fast).
pytestmark = pytest.mark.system


KEYS = "ask-key-1:ask,ask-key-2:ask,admin-key:admin"
FOUNDER = {"Authorization": "Bearer ask-key-1", "X-Client-User-Id": "founder-7"}
STRANGER = {"Authorization": "Bearer ask-key-2", "X-Client-User-Id": "founder-7"}
ADMIN = {"Authorization": "Bearer admin-key"}
RENT = "南山区一人公司创始人租房补贴每月多少？"


class Host:
    """One `opc serve` process; its output goes to a file the tests read."""

    def __init__(self, name: str, data_dir, env: dict) -> None:
        self.name, self.data_dir, self.env = name, data_dir, env
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.logfile = data_dir.parent / f"{name}.log"
        self.proc = None

    def start(self) -> Host:
        env = {**os.environ, **self.env, "OPC_DATA_DIR": str(self.data_dir)}
        self.proc = subprocess.Popen([OPC, "serve", "--no-ui", "--port", str(self.port)], env=env,
                                     stdout=open(self.logfile, "a"), stderr=subprocess.STDOUT)
        wait_until_ready(f"{self.url}/readyz", self.proc, timeout=900, interval=0.5)
        return self

    def log(self) -> str:
        return self.logfile.read_text(errors="replace")

    def http(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=120)

    def stop(self, sig=signal.SIGINT) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


@pytest.fixture(scope="module")
def cluster(postgres, tmp_path_factory):  # noqa: F811
    base = tmp_path_factory.mktemp("hosts")
    url = postgres.create_database("two_hosts")
    with chroma_server(base / "chroma") as chroma:
        env = {"OPC_DATABASE_URL": url, "OPC_CHROMA_URL": chroma, "OPC_API_KEYS": KEYS, "OPC_RATE_LIMIT": "",
               "OPC_RATE_LIMIT_PER_USER": "", "OPC_MODE": "extractive",
               "OMP_NUM_THREADS": "1", "OMP_WAIT_POLICY": "PASSIVE"}
        a = Host("a", base / "a", env)
        (base / "a").mkdir()
        a.start()  # the first host migrates the database and builds the generation's index
        # A new host is provisioned with a copy of a running host's index (no second build), then follows.
        shutil.copytree(base / "a" / "index", base / "b" / "index", ignore=shutil.ignore_patterns(".lock"))
        b = Host("b", base / "b", env).start()
        try:
            yield {"a": a, "b": b, "chroma": chroma, "url": url, "db": create_engine(url.replace("postgresql://", "postgresql+psycopg://"), pool_pre_ping=True),
                   "postgres": postgres}
        finally:
            a.stop()
            b.stop()


def _sql(cluster, query: str, **params):
    with cluster["db"].connect() as conn:
        return conn.execute(text(query), params).all()


def test_a_conversation_continues_on_the_other_host_and_stays_its_owners(cluster):
    a, b = cluster["a"], cluster["b"]
    with a.http() as on_a, b.http() as on_b:
        first = on_a.post("/v1/chat", json={"question": "博士落户补贴最高多少？"}, headers=FOUNDER)
        assert first.status_code == 200, first.text
        sid = first.json()["session_id"]
        follow = on_b.post("/v1/chat", json={"question": "那需要满足什么条件呢？", "session_id": sid}, headers=FOUNDER)
        assert follow.status_code == 200, follow.text
        assert "落户补贴" in follow.json()["standalone_question"]  # the topic carried over
        turns = on_a.get(f"/v1/sessions/{sid}", headers=FOUNDER).json()["turns"]
        assert [t["question"] for t in turns] == ["博士落户补贴最高多少？", "那需要满足什么条件呢？"]
        # Another key (same end-user id) is a stranger on both hosts.
        assert on_b.get(f"/v1/sessions/{sid}", headers=STRANGER).status_code == 404
        assert on_a.post("/v1/chat", json={"question": "能领多久？", "session_id": sid}, headers=STRANGER).status_code == 404
        # Feedback on the other host's answer.
        vote = on_b.post("/v1/feedback", json={"answer_id": first.json()["id"], "useful": True, "comment": "清楚"},
                         headers=FOUNDER)
        assert vote.status_code == 201, vote.text
    assert _sql(cluster, "SELECT useful, comment FROM feedback WHERE answer_id = :i", i=first.json()["id"]) == \
        [(True, "清楚")]
    cluster["sid"] = sid


def test_a_document_added_on_one_host_is_answered_by_the_other_at_once(cluster):
    a, b = cluster["a"], cluster["b"]
    with a.http() as on_a, b.http() as on_b:
        assert "2800" not in on_b.post("/v1/ask", json={"question": RENT}, headers=FOUNDER).json()["answer"]
        added = on_a.post("/v1/documents", files={"file": ("nanshan-rent.md", POLICY.encode(), "text/markdown")},
                          data={"title": "南山区青年创业者租房补贴实施细则"}, headers=ADMIN)
        assert added.status_code == 201, added.text
        doc_id = added.json()["id"]
        answer = on_b.post("/v1/ask", json={"question": RENT}, headers=FOUNDER).json()  # B's very next request
        assert "2800" in answer["answer"] and answer["citations"][0]["doc_id"] == doc_id
        assert on_a.get("/readyz").json()["corpus_version"] == on_b.get("/readyz").json()["corpus_version"]
        assert on_b.delete(f"/v1/documents/{doc_id}", headers=ADMIN).status_code == 204
        gone = on_a.post("/v1/ask", json={"question": RENT}, headers=FOUNDER).json()
        assert "2800" not in gone["answer"]
        assert doc_id not in {d["id"] for d in on_a.get("/v1/documents", headers=FOUNDER).json()}
    assert _sql(cluster, "SELECT removed FROM documents WHERE id = :d", d=doc_id) == [(True,)]


def test_a_following_host_takes_the_vectors_from_the_chroma_server(cluster, tmp_path):
    from assistant import Assistant, Settings

    a = cluster["a"]
    shutil.copytree(a.data_dir / "index", tmp_path / "c" / "index", ignore=shutil.ignore_patterns(".lock"))
    c = Assistant.load(Settings(data_dir=tmp_path / "c", database_url=cluster["url"], chroma_url=cluster["chroma"],
                                mode="extractive"))
    with a.http() as on_a:
        added = on_a.post("/v1/documents", files={"file": ("nanshan-rent.md", POLICY.encode(), "text/markdown")},
                          headers=ADMIN)
        assert added.status_code == 201, added.text
        assert c.refresh()
        # Every entry's vector came from host A's build on the server: nothing embedded twice.
        assert c.followed["changed"] == [added.json()["id"]]
        assert c.followed["embedded"] == 0 and c.followed["reused"] > 0
        assert "2800" in c.ask(RENT).answer
        assert on_a.delete(f"/v1/documents/{added.json()['id']}", headers=ADMIN).status_code == 204
    assert c.refresh() and "2800" not in c.ask(RENT).answer


def _until(check, seconds: float = 60.0):
    """Poll ``check`` until it returns something truthy (a bounded wait, never a timing assertion)."""
    deadline = time.monotonic() + seconds
    while True:
        got = check()
        if got or time.monotonic() > deadline:
            return got
        time.sleep(0.3)


def test_hosts_ride_out_a_postgresql_restart(cluster):
    a, b = cluster["a"], cluster["b"]
    sid = cluster["sid"]
    cluster["postgres"].stop("fast")
    try:
        with a.http() as on_a, b.http() as on_b:
            for http in (on_a, on_b):
                ready = http.get("/readyz")
                assert ready.status_code == 503 and "database" in ready.json()["problem"]
            # Conversations wait for the database (a clear 503); one-off questions are still answered.
            turn = on_b.post("/v1/chat", json={"question": "能领多久？", "session_id": sid}, headers=FOUNDER)
            assert turn.status_code == 503 and turn.json()["error"]["code"] == "database_unavailable", turn.text
            assert "1250" in on_a.post("/v1/ask", json={"question": "住房补贴每月多少钱？"}, headers=FOUNDER).json()["answer"]
    finally:
        cluster["postgres"].start()
    with a.http() as on_a, b.http() as on_b:
        for http in (on_a, on_b):  # the same processes, no restart
            assert _until(lambda: http.get("/readyz").status_code == 200)
        turn = on_b.post("/v1/chat", json={"question": "能领多久？", "session_id": sid}, headers=FOUNDER)
        assert turn.status_code == 200, turn.text
        assert len(on_a.get(f"/v1/sessions/{sid}", headers=FOUNDER).json()["turns"]) == 3


def _long_policy(articles: int = 120) -> bytes:
    lines = ["# 龙岗区一人公司算力与场地扶持办法", ""]
    topics = ["算力券", "场地租金", "人才公寓", "首台套", "知识产权", "上市培育"]
    for n in range(1, articles + 1):
        topic = topics[n % len(topics)]
        lines += [f"第{n}条 对在龙岗区注册的一人公司，{topic}扶持按实际发生额的{10 + n % 40}%给予补助，"
                  f"单个企业每年最高{n * 3}万元，申请材料包括营业执照、{topic}合同和付款凭证。", ""]
    return "\n".join(lines).encode()


def test_a_host_killed_mid_request_loses_nothing_committed(cluster):
    a, b = cluster["a"], cluster["b"]
    sid = cluster["sid"]
    outcome = {}

    def upload():
        try:
            with a.http() as on_a:
                outcome["status"] = on_a.post("/v1/documents", headers=ADMIN, files={
                    "file": ("longgang.md", _long_policy(), "text/markdown")}).status_code
        except httpx.HTTPError as exc:  # the host died under it
            outcome["error"] = exc

    sender = threading.Thread(target=upload)
    sender.start()
    time.sleep(1.0)  # the upload is being parsed and embedded
    a.stop(signal.SIGKILL)
    sender.join(timeout=120)
    assert "error" in outcome or outcome.get("status") == 201  # cut off (as a rule here) or just made it
    with b.http() as on_b:
        # The other host goes on: the conversation (committed turns) continues, feedback is kept.
        turn = on_b.post("/v1/chat", json={"question": "需要什么材料？", "session_id": sid}, headers=FOUNDER)
        assert turn.status_code == 200, turn.text
        assert len(on_b.get(f"/v1/sessions/{sid}", headers=FOUNDER).json()["turns"]) == 4
        listed = {d["id"] for d in on_b.get("/v1/documents", headers=FOUNDER).json()}
    assert _sql(cluster, "SELECT count(*) FROM feedback")[0][0] == 1
    # The upload is wholly in or wholly out: no document row without its files.
    assert _sql(cluster, "SELECT count(*) FROM documents d WHERE NOT removed AND NOT EXISTS "
                         "(SELECT 1 FROM document_files f WHERE f.doc_id = d.id)")[0][0] == 0
    stored = {r[0] for r in _sql(cluster, "SELECT id FROM documents WHERE NOT removed")}
    assert stored <= listed
    # The killed host comes back agreeing with the database (its half-done change rolled back).
    a.start()
    with a.http() as on_a:
        assert {d["id"] for d in on_a.get("/v1/documents", headers=FOUNDER).json()} == listed
        assert len(on_a.get(f"/v1/sessions/{sid}", headers=FOUNDER).json()["turns"]) == 4
