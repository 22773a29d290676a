"""The interview engine: every action, the follow-up states, summary, pause/resume, failures."""

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from interviewer.bank.loader import load_bank
from interviewer.engine.events import (
    FollowUpAsked,
    Graded,
    GradingFailed,
    QuestionAsked,
    QuestionDone,
    SessionFinished,
)
from interviewer.engine.interview import Interview
from interviewer.engine.offline import OfflineGrader
from interviewer.engine.selection import select_questions
from interviewer.errors import InterviewerError, UsageError
from interviewer.store.repo import Store
from interviewer.vocab import TurnStatus

BANK = load_bank(["builtin"])
WEAK = "训练时随机丢弃一部分神经元,防止过拟合;推理时不丢弃。"


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def run(events):  # type: ignore[no-untyped-def]
    async def collect() -> list:
        return [e async for e in events]

    return asyncio.run(collect())


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "t.sqlite3")


def start(
    store: Store, refs: str = "3,1", depth: int = 2, grader=None, time_limit=None
) -> tuple[Interview, Clock]:  # type: ignore[no-untyped-def]
    clock = Clock()
    iv = Interview.start(
        store,
        BANK,
        grader or OfflineGrader(clock),
        select_questions(BANK, refs=refs),
        language="zh",
        follow_up_depth=depth,
        time_limit_s=time_limit,
        clock=clock,
    )
    return iv, clock


def test_full_flow_with_follow_ups_and_summary(store: Store) -> None:
    iv, clock = start(store)
    (asked,) = iv.ask()
    assert isinstance(asked, QuestionAsked) and asked.question.id == "dropout" and asked.total == 2
    clock.advance(5)
    iv.keystroke()
    iv.save_draft("训练时")
    assert iv.draft() == "训练时"
    clock.advance(30)
    events = run(iv.submit(WEAK))
    graded = next(e for e in events if isinstance(e, Graded))
    assert graded.grade.score is not None and graded.grade.score < 8.5
    follow = next(e for e in events if isinstance(e, FollowUpAsked))
    assert follow.number == 1 and follow.budget == 2
    main = store.turns(iv.session.id)[0]
    assert main.first_key_at == datetime(2026, 11, 30, 9, 0, 5, tzinfo=UTC)
    assert main.submitted_at == datetime(2026, 11, 30, 9, 0, 35, tzinfo=UTC)
    assert iv.draft() == ""  # the draft went with the submitted answer
    # two weak follow-up answers: the budget is spent, which is not "sufficient"
    events = run(iv.submit("不太确定,可能要乘一个系数吧"))
    assert any(isinstance(e, FollowUpAsked) and e.number == 2 for e in events)
    events = run(iv.submit("我觉得没有区别"))
    done = [e for e in events if isinstance(e, QuestionDone)]
    assert done and done[0].reason == "budget_spent"
    assert "dropout" in iv.reveal() or "Dropout" in iv.reveal()
    events = iv.next()
    assert isinstance(events[0], QuestionAsked) and events[0].question.id == "l1-l2-regularization"
    assert iv.skip()[0].reason == "skipped"
    (finished,) = iv.next()
    assert isinstance(finished, SessionFinished)
    summary = finished.summary
    assert [q["question_id"] for q in summary["questions"]] == ["dropout", "l1-l2-regularization"]
    assert summary["questions"][1]["skipped"] and summary["questions"][1]["score"] == 0
    assert len(summary["questions"][0]["follow_ups"]) == 2
    assert summary["verdict"] == "needs work" and summary["skipped"] == 1
    assert "regularization" in summary["tags"]
    assert summary["gaps"]["key_points"], "missed core points are listed as gaps"
    stored = store.session(iv.session.id)
    assert stored.status == "finished" and stored.summary == summary
    turns = store.turns(iv.session.id)
    assert [t.kind for t in turns] == ["main", "follow_up", "follow_up", "main"]
    assert turns[0].revealed and turns[-1].skipped


def test_sufficient_answer_needs_no_follow_up(store: Store) -> None:
    iv, _ = start(store, refs="3")
    iv.ask()
    strong = BANK.find("dropout").reference_answer.zh  # type: ignore[union-attr]
    events = run(iv.submit(strong))
    assert [e.reason for e in events if isinstance(e, QuestionDone)] == ["sufficient"]
    assert not any(isinstance(e, FollowUpAsked) for e in events)


def test_depth_zero_spends_the_budget_at_once(store: Store) -> None:
    iv, _ = start(store, refs="3", depth=0)
    iv.ask()
    events = run(iv.submit(WEAK))
    assert [e.reason for e in events if isinstance(e, QuestionDone)] == ["budget_spent"]


def test_hint_is_recorded_and_caps_the_point(store: Store) -> None:
    iv, _ = start(store, refs="3")
    iv.ask()
    hint = iv.hint()
    assert hint
    main = store.turns(iv.session.id)[0]
    assert len(main.hints) == 1
    hinted = main.hints[0]
    events = run(iv.submit(BANK.find("dropout").reference_answer.zh))  # type: ignore[union-attr]
    grade = next(e for e in events if isinstance(e, Graded)).grade
    result = next(r for r in grade.key_points if r.id == hinted)
    # the verdict records what was said; the credit is capped at partial by the formula
    assert result.hinted and result.verdict == "covered"
    from interviewer.engine.scoring import score

    verdicts = {r.id: r.verdict for r in grade.key_points}
    assert grade.score == score(BANK.find("dropout"), verdicts, hinted=[hinted]) < 10
    assert iv.hint() is None  # no hints once the answer is in


def test_time_limit_marks_overtime_without_cutting_off(store: Store) -> None:
    iv, clock = start(store, refs="3", time_limit=60)
    iv.ask()
    clock.advance(90)
    events = run(iv.submit(WEAK))
    assert any(isinstance(e, Graded) for e in events)
    assert store.turns(iv.session.id)[0].overtime


def test_actions_out_of_order_are_refused(store: Store) -> None:
    iv, _ = start(store, refs="3,1")
    iv.ask()
    with pytest.raises(UsageError, match="answer first"):
        iv.reveal()
    with pytest.raises(UsageError, match="answer it or skip it"):
        iv.next()
    with pytest.raises(UsageError, match="20,001 characters"):
        run(iv.submit("x" * 20_001))
    assert iv.draft() == "x" * 20_001  # nothing typed is lost


def test_next_during_a_follow_up_records_it_as_skipped(store: Store) -> None:
    iv, _ = start(store, refs="3,1")
    iv.ask()
    run(iv.submit(WEAK))
    events = iv.next()
    assert events[0].reason == "moved_on"
    follow = store.turns(iv.session.id)[1]
    assert follow.kind == "follow_up" and follow.skipped and follow.grade.score == 0  # type: ignore[union-attr]


def test_pause_and_resume_restores_the_draft(store: Store) -> None:
    iv, _ = start(store, refs="3,1")
    iv.ask()
    run(iv.submit(WEAK))
    iv.save_draft("追问的半个回答")
    iv.pause()
    assert store.session(iv.session.id).status == "paused"
    again = Interview.resume(store, BANK, OfflineGrader(), iv.session.id[:5])
    events = again.ask()
    assert isinstance(events[0], QuestionAsked) and isinstance(events[1], FollowUpAsked)
    assert again.draft() == "追问的半个回答"
    assert store.session(iv.session.id).status == "active"


class Failing:
    name = "broken-model"

    async def agrade(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise InterviewerError("model unreachable (connection refused)")

    agrade_follow_up = agrade


def test_failed_grade_keeps_the_answer_and_offline_is_one_step_away(store: Store) -> None:
    iv, _ = start(store, refs="3", grader=Failing())
    iv.ask()
    events = run(iv.submit(WEAK))
    assert isinstance(events[-1], GradingFailed) and "unreachable" in events[-1].error
    turn = store.turns(iv.session.id)[0]
    assert turn.status == TurnStatus.FAILED and turn.answer == WEAK and turn.grades == []
    events = run(iv.regrade_offline())
    graded = next(e for e in events if isinstance(e, Graded))
    assert graded.grade.grader.model == "offline/keywords"
    assert store.turns(iv.session.id)[0].status == TurnStatus.GRADED


def test_selection(store: Store) -> None:
    assert [q.number for q in select_questions(BANK, refs="13, 1")] == [13, 1]
    first = [q.id for q in select_questions(BANK, sample=2, seed=7)]
    assert first == [q.id for q in select_questions(BANK, sample=2, seed=7)] and len(first) == 2
    assert [q.id for q in select_questions(BANK, tags=["initialization"])] == [
        "weight-initialization"
    ]
    with pytest.raises(UsageError, match="listed twice"):
        select_questions(BANK, refs="1,1")
    with pytest.raises(UsageError, match="--tag: unknown tag"):
        select_questions(BANK, tags=["nope"])
