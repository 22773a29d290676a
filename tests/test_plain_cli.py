"""The plain-terminal interview through a pipe, checked turn by turn in the database; kill and
resume; `interviewer sessions`."""

import io
import json
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from interviewer.store.repo import Store
from interviewer.vocab import TurnStatus
from tests.conftest import REPO

ANSWER = "训练时随机丢弃一部分神经元,防止过拟合;推理时不丢弃。"


def interviewer(*args: str, stdin: str = "", home: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("INTERVIEWER_")}
    env |= {"INTERVIEWER_HOME": str(home), "LANG": "en_US.UTF-8"}
    return subprocess.run(
        [sys.executable, "-m", "interviewer", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        timeout=120,
        check=False,
    )


def store(home: Path) -> Store:
    return Store(home / "data" / "transcripts.sqlite3")


def test_scripted_interview_through_a_pipe(isolated_home: Path) -> None:
    script = "\n".join(
        [
            "/hint",
            ANSWER,
            "second line of the answer",
            ".",
            "不知道",
            ".",
            "/next",  # leaves the second follow-up unanswered
            "/reveal",
            "",
            "/skip",
            "",
        ]
    )
    r = interviewer(
        "interview", "--plain", "--questions", "3,1", stdin=script + "\n", home=isolated_home
    )
    assert r.returncode == 0, r.stderr
    assert "Question 1 of 2" in r.stdout and "Question 2 of 2" in r.stdout
    assert "Hint:" in r.stdout and "Follow-up 1 of 2" in r.stdout
    assert "Overall: needs work" in r.stdout and "Transcript saved in" in r.stdout
    with store(isolated_home) as db:
        (session,) = db.list_sessions()
        turns = db.turns(session["id"])
        assert session["status"] == "finished"
        kinds = [(t.question_id, t.kind, t.status, t.skipped) for t in turns]
        assert kinds[0] == ("dropout", "main", TurnStatus.GRADED, False)
        assert turns[0].answer == f"{ANSWER}\nsecond line of the answer"
        assert len(turns[0].hints) == 1 and turns[0].revealed is False
        assert kinds[1][:3] == ("dropout", "follow_up", TurnStatus.GRADED)
        assert turns[1].answer == "不知道" and turns[1].grade.score == 0  # type: ignore[union-attr]
        assert kinds[2] == ("dropout", "follow_up", TurnStatus.GRADED, True)  # moved on
        assert kinds[3] == ("l1-l2-regularization", "main", TurnStatus.GRADED, True)
        assert turns[0].revealed is False and db.turns(session["id"])[0].grades


def test_eof_saves_and_pauses_then_resume_restores_the_draft(isolated_home: Path) -> None:
    r = interviewer(
        "interview", "--plain", "--questions", "3", stdin="half an answer\n", home=isolated_home
    )
    assert r.returncode == 0 and "Resume with: interviewer interview --resume" in r.stdout
    with store(isolated_home) as db:
        (session,) = db.list_sessions()
        assert session["status"] == "paused"
        (turn,) = db.turns(session["id"])
        assert db.draft(turn.id) == "half an answer"
    r = interviewer(
        "interview", "--resume", session["id"], stdin=f"{ANSWER}\n.\n/quit\n", home=isolated_home
    )
    assert r.returncode == 0, r.stderr
    assert "half an answer" in r.stdout  # the draft is shown again
    with store(isolated_home) as db:
        turn = db.turns(session["id"])[0]
        assert turn.answer == f"half an answer\n{ANSWER}" and turn.status == TurnStatus.GRADED


def start_with_draft(
    home: Path, first_line: str, questions: str
) -> tuple[subprocess.Popen[str], Path]:
    """Start a plain interview, type one line, and wait until it is autosaved as a draft."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("INTERVIEWER_")}
    env |= {"INTERVIEWER_HOME": str(home), "LANG": "en_US.UTF-8"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "interviewer", "interview", "--plain", "--questions", questions],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
        env=env,
    )
    assert proc.stdin is not None
    proc.stdin.write(first_line + "\n")
    proc.stdin.flush()
    db_path = home / "data" / "transcripts.sqlite3"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        time.sleep(0.1)
        if db_path.exists():
            with Store(db_path) as db:
                sessions = db.list_sessions()
                turns = db.turns(sessions[0]["id"]) if sessions else []
                if turns and db.draft(turns[0].id) == first_line:
                    return proc, db_path
    raise AssertionError("the first line was never autosaved")


def test_sigkill_mid_answer_then_resume(isolated_home: Path) -> None:
    proc, db_path = start_with_draft(isolated_home, "first line typed before the crash", "3,1")
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    with Store(db_path) as db:
        (session,) = db.list_sessions()
        assert session["status"] == "active"  # killed: never paused, still resumable
    r = interviewer(
        "interview", "--resume", session["id"], stdin=".\n/skip\n\n/skip\n\n", home=isolated_home
    )
    assert r.returncode == 0, r.stderr
    with Store(db_path) as db:
        turns = db.turns(session["id"])
        assert turns[0].answer == "first line typed before the crash"
        assert turns[0].status == TurnStatus.GRADED
        assert db.session(session["id"]).status == "finished"


def test_sessions_list_show_delete(isolated_home: Path) -> None:
    interviewer(
        "interview",
        "--plain",
        "--questions",
        "3",
        stdin=f"{ANSWER}\n.\n/next\n",
        home=isolated_home,
    )
    listed = json.loads(interviewer("sessions", "--json", home=isolated_home).stdout)
    assert len(listed) == 1 and listed[0]["answered"] == 1 and listed[0]["average"] is not None
    sid = listed[0]["id"]
    table = interviewer("sessions", home=isolated_home).stdout
    assert sid in table and "interview" in table
    shown = json.loads(interviewer("sessions", "show", sid, "--json", home=isolated_home).stdout)
    assert shown["turns"][0]["answer"] == ANSWER
    markdown = interviewer("sessions", "show", sid[:4], "--markdown", home=isolated_home).stdout
    assert f"# Session {sid}" in markdown and f"> {ANSWER}" in markdown
    refused = interviewer("sessions", "delete", sid, home=isolated_home)
    assert refused.returncode == 2 and "--yes" in refused.stderr
    assert interviewer("sessions", "delete", sid, "--yes", home=isolated_home).returncode == 0
    assert json.loads(interviewer("sessions", "--json", home=isolated_home).stdout) == []
    missing = interviewer("sessions", "show", "zzzz", home=isolated_home)
    assert missing.returncode == 2 and "no session 'zzzz'" in missing.stderr


def test_ctrl_c_saves_the_draft_and_exits_130(isolated_home: Path) -> None:
    proc, db_path = start_with_draft(isolated_home, "typed before Ctrl-C", "3")
    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=30) == 130
    with Store(db_path) as db:
        (session,) = db.list_sessions()
        assert session["status"] == "paused"
        assert db.draft(db.turns(session["id"])[0].id) == "typed before Ctrl-C"


def test_grade_saves_unless_no_save(isolated_home: Path, tmp_path: Path) -> None:
    assert (
        interviewer("grade", "3", "--answer", ANSWER, "--no-save", home=isolated_home).returncode
        == 0
    )
    assert not (isolated_home / "data" / "transcripts.sqlite3").exists()
    assert interviewer("grade", "3", "--answer", ANSWER, home=isolated_home).returncode == 0
    batch = tmp_path / "in.jsonl"
    batch.write_text(
        json.dumps({"id": "a", "question_id": 3, "answer": ANSWER}, ensure_ascii=False)
        + "\n{bad\n",
        encoding="utf-8",
    )
    r = interviewer(
        "grade", "--batch", str(batch), "--out", str(tmp_path / "out.jsonl"), home=isolated_home
    )
    assert r.returncode == 1
    with store(isolated_home) as db:
        sessions = {s["mode"]: s for s in db.list_sessions()}
        assert set(sessions) == {"grade", "batch"}
        for mode in ("grade", "batch"):
            (turn,) = db.turns(sessions[mode]["id"])  # the bad line has no turn
            assert turn.answer == ANSWER and turn.status == TurnStatus.GRADED and turn.grades
            assert sessions[mode]["status"] == "finished"


def test_plain_keeps_slash_lines_and_survives_bad_input(isolated_home: Path) -> None:
    script = "Dropout zeroes units at random in training.\n/ and at inference nothing is dropped.\n.\n/quit\n"
    assert (
        interviewer(
            "interview", "--plain", "--questions", "3", stdin=script, home=isolated_home
        ).returncode
        == 0
    )
    with store(isolated_home) as db:
        (session,) = db.list_sessions()
        assert "/ and at inference" in db.turns(session["id"])[0].answer
    long = "x " * 11_000 + "\n.\n/quit\n"
    r = interviewer("interview", "--plain", "--questions", "3", stdin=long, home=isolated_home)
    assert r.returncode == 0 and "graded whole" in r.stdout and "Resume with" in r.stdout


def test_cli_rejects_bad_values_in_one_line(isolated_home: Path) -> None:
    r = interviewer("interview", "--plain", "--time-limit", "-5", home=isolated_home)
    assert r.returncode == 2 and "above 0" in r.stderr
    r = interviewer(
        "grade",
        "3",
        "--answer",
        "x y z",
        "--grader",
        "openai/m",
        "--api-key-env",
        "sk-proj-SECRETabcdef123456",
        home=isolated_home,
    )
    assert (
        r.returncode == 2
        and "SECRET" not in r.stderr
        and "not an environment variable name" in r.stderr
    )


# in-process: the summary's words, the gaps it lists, overtime ---------------------------


def test_plain_summary_in_chinese_has_no_english_marks(cli, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{ANSWER}\n.\n不知道\n.\n/next\n\n/skip\n\n"))
    r = cli("--lang", "zh", "interview", "--plain", "--questions", "3,1")
    assert r.code == 0, r.err
    summary = r.out.split("== 总结 ==")[1]
    assert "(skipped)" not in summary and "follow-ups" not in summary
    assert "追问: 0 -" in summary and "L1 与 L2 正则化: 0/10(已跳过)" in summary


def test_gaps_heading_lists_the_skipped_question(cli, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("sys.stdin", io.StringIO("/skip\n\n"))
    r = cli("interview", "--plain", "--questions", "3")
    assert r.code == 0, r.err
    lines = r.out.splitlines()
    under = lines[lines.index("Gaps:") + 1]
    assert under.startswith("  - ") and under.endswith(": 0/10 (skipped)"), under


class SlowInput(io.StringIO):
    """Input whose lines starting with 'slow' take 90 seconds on the interview's clock."""

    def __init__(self, text: str, clock: "StepClock") -> None:
        super().__init__(text)
        self.clock = clock

    def readline(self, size: int | None = -1) -> str:  # type: ignore[override]
        line = super().readline(-1 if size is None else size)
        if line.startswith("slow"):
            self.clock.now += timedelta(seconds=90)
        return line


class StepClock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def test_overtime_is_said_in_plain_mode_and_shown_in_transcripts(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from interviewer.bank.loader import load_bank
    from interviewer.engine.interview import Interview
    from interviewer.engine.offline import OfflineGrader
    from interviewer.engine.selection import select_questions
    from interviewer.plain import PlainInterview

    bank, clock, out = load_bank(["builtin"]), StepClock(), io.StringIO()
    script = f"slow {ANSWER}\n.\n\nL1 gives sparse weights, L2 shrinks them.\n.\n\n"
    with Store() as db:
        iv = Interview.start(
            db,
            bank,
            OfflineGrader(clock),
            select_questions(bank, refs="3,1"),
            language="en",
            follow_up_depth=0,
            time_limit_s=60,
            clock=clock,
        )
        assert PlainInterview(iv, SlowInput(script, clock), out).run() == 0
        sid = iv.session.id
        assert [t.overtime for t in db.turns(sid)] == [True, False]
    said = out.getvalue()
    note = "(over the time limit of 60s: marked overtime)"
    assert said.count(note) == 1 and said.index(note) < said.index("(grading with")

    result = cli("sessions", "show", sid)
    assert result.code == 0, result.err
    shown = result.out
    assert shown.count("_(over the time limit of 60s)_") == 1
    assert shown.index("over the time limit") < shown.index("## l1-l2-regularization")
    for fmt in ("md", "html"):
        path = tmp_path / f"s.{fmt}"
        assert cli("sessions", "export", sid, "--format", fmt, "--out", str(path)).code == 0
        assert path.read_text(encoding="utf-8").count("(over the time limit of 60s)") == 1
