"""The transcript store: migrations, safety, concurrency, crash durability."""

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from interviewer.store.db import StoreError, connect
from interviewer.store.migrations import MIGRATIONS
from interviewer.store.repo import Store
from interviewer.vocab import TurnStatus
from tests.conftest import REPO


def test_migrations_from_an_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "t.sqlite3"
    path.touch()
    conn = connect(path)
    versions = [r[0] for r in conn.execute("SELECT version FROM schema_migrations")]
    assert versions == list(range(1, len(MIGRATIONS) + 1))
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    conn.close()
    connect(path).close()  # reopening applies nothing twice


def test_corrupt_file_is_reported_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "t.sqlite3"
    garbage = b"this is not a database" * 100
    path.write_bytes(garbage)
    with pytest.raises(StoreError, match=f"{path}: not an SQLite database"):
        Store(path)
    assert path.read_bytes() == garbage


def test_newer_schema_is_reported_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "t.sqlite3"
    Store(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO schema_migrations VALUES (?, 'later')", (len(MIGRATIONS) + 1,))
    before = path.read_bytes()
    with pytest.raises(StoreError, match="written by a newer interviewer"):
        Store(path)
    assert path.read_bytes() == before


def test_every_grade_is_kept_and_deleting_cascades(tmp_path: Path) -> None:
    from interviewer.bank.loader import load_bank
    from interviewer.engine.offline import OfflineGrader

    store = Store(tmp_path / "t.sqlite3")
    session = store.create_session(mode="grade", grader="offline", question_ids=["dropout"])
    turn = store.add_turn(session.id, question_id="dropout", prompt="?")
    store.submit_answer(turn.id, "训练时随机丢弃神经元")
    question = load_bank(["builtin"]).find("dropout")
    for _ in range(2):
        store.add_grade(
            turn.id, OfflineGrader().grade(question, "训练时随机丢弃神经元"), TurnStatus.GRADED
        )
    assert len(store.turn(turn.id).grades) == 2
    store.delete_session(session.id)
    assert store.conn.execute("SELECT COUNT(*) FROM grades").fetchone()[0] == 0


WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from interviewer.store.repo import Store
    store = Store(Path(sys.argv[1]))
    for i in range(40):
        s = store.create_session(mode="grade", grader="offline", question_ids=["q"])
        t = store.add_turn(s.id, question_id="q", prompt="p")
        store.submit_answer(t.id, f"answer {i}")
        store.save_draft(t.id, "x" * 100)
    print("ok")
    """
)


def test_two_writers_at_once(tmp_path: Path) -> None:
    path = tmp_path / "t.sqlite3"
    Store(path).close()
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path)],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        assert out.strip() == "ok"
    with Store(path) as store:
        assert len(store.list_sessions()) == 80


KILLED = textwrap.dedent(
    """
    import asyncio, sys, time
    from pathlib import Path
    from interviewer.bank.loader import load_bank
    from interviewer.engine.interview import Interview
    from interviewer.store.repo import Store

    class Slow:
        name = "slow"
        async def agrade(self, *a, **k):
            print("grading", flush=True)
            time.sleep(60)
        async def agrade_follow_up(self, *a, **k):
            time.sleep(60)

    bank = load_bank(["builtin"])
    store = Store(Path(sys.argv[1]))
    iv = Interview.start(store, bank, Slow(), [bank.find("dropout")], language="zh")
    iv.ask()
    print(iv.session.id, flush=True)

    async def go():
        async for _ in iv.submit("训练时随机丢弃一部分神经元,防止过拟合;推理时不丢弃,用全部神经元。"):
            pass
    asyncio.run(go())
    """
)


def test_answer_survives_sigkill_between_submit_and_grade(tmp_path: Path) -> None:
    import asyncio

    from interviewer.bank.loader import load_bank
    from interviewer.engine.events import Graded
    from interviewer.engine.interview import Interview
    from interviewer.engine.offline import OfflineGrader

    path = tmp_path / "t.sqlite3"
    proc = subprocess.Popen(
        [sys.executable, "-c", KILLED, str(path)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    session_id = proc.stdout.readline().strip()
    assert proc.stdout.readline().strip() == "grading"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)

    store = Store(path)
    (turn,) = store.turns(session_id)
    assert turn.status == TurnStatus.SUBMITTED and "随机丢弃" in turn.answer
    interview = Interview.resume(store, load_bank(["builtin"]), OfflineGrader(), session_id)

    async def pending() -> list:
        return [e async for e in interview.grade_pending()]

    events = asyncio.run(pending())
    graded = [e for e in events if isinstance(e, Graded)]
    assert graded and graded[0].grade.score is not None and graded[0].grade.score > 0
    assert store.turn(turn.id).status == TurnStatus.GRADED
    time.sleep(0)  # nothing else pending


def test_sessions_table_counts_answers_of_grade_runs(tmp_path: Path) -> None:
    """A batch may grade one question several times: '4', not '4/3'; interviews keep a/q."""
    from interviewer.store.filters import TABLE_HEADERS, table_cells
    from interviewer.store.recorder import GradeRecorder

    store = Store(tmp_path / "t.sqlite3")
    batch = GradeRecorder(store, "batch", "offline", ["builtin"])
    for qid in ("dropout", "overfitting", "warmup", "dropout"):
        batch.before(qid, "?", "an answer")
    batch.finish()
    interview = store.create_session(
        mode="interview", grader="offline", question_ids=["dropout", "warmup"]
    )
    store.submit_answer(store.add_turn(interview.id, question_id="dropout", prompt="?").id, "a")
    column = TABLE_HEADERS.index("answered")
    shown = {r["mode"]: table_cells(r)[column] for r in store.list_sessions()}
    assert shown == {"batch": "4", "interview": "1/2"}
