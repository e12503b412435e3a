"""An upload whose process dies between writing the document and switching the index is undone at restart."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

from assistant import Assistant, Settings
from harness import docfactory as f

# Starts servers, processes or a browser: not in the fast tier (make test-fast).
pytestmark = pytest.mark.system


ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# The child adds a document and is killed (SIGKILL, no clean-up) while the new index is being built.
CHILD = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path
    from assistant import Assistant, Settings
    from assistant.library.index import SearchIndex

    def killed(*args, **kwargs):
        os.kill(os.getpid(), signal.SIGKILL)

    if __name__ == "__main__":
        bot = Assistant.load(Settings(data_dir=Path(sys.argv[1])))
        SearchIndex.open_or_build = classmethod(killed)
        bot.add_document(Path(sys.argv[2]).read_bytes(), filename="measures.docx")
""")


def test_killed_upload_is_not_in_the_corpus_after_restart_and_the_retry_succeeds(seeded_data_dir, tmp_path):
    data_dir = seeded_data_dir("opc-recovery")
    doc = tmp_path / "measures.docx"
    doc.write_bytes(f.docx_bytes())
    script = tmp_path / "child.py"
    script.write_text(CHILD, encoding="utf-8")
    before = {d.id for d in Assistant.load(Settings(data_dir=data_dir)).documents()}
    child = subprocess.run([sys.executable, str(script), str(data_dir), str(doc)], capture_output=True, text=True,
                           env={**os.environ, "PYTHONPATH": ROOT}, timeout=300)
    assert child.returncode == -9, child.stderr
    assert list((data_dir / "documents").glob(".pending-*.yaml"))  # it died mid-change

    restarted = Assistant.load(Settings(data_dir=data_dir))
    assert {d.id for d in restarted.documents()} == before
    leftovers = [p.name for p in (data_dir / "documents").glob(".*") if p.name not in (".lock", ".cache")]
    assert leftovers == []  # journal, stage and backup all gone
    info = restarted.add_document(doc.read_bytes(), filename="measures.docx")  # the retry is not a duplicate
    assert info.id not in before and {d.id for d in restarted.documents()} == before | {info.id}
