"""Scheduling with FSRS through the real interview engine, with a fixed clock: when a question
is rated, what the review log records, how intervals move, and what does not schedule."""

from datetime import timedelta
from itertools import pairwise
from pathlib import Path

import pytest
from fsrs import Rating

from interviewer.engine.offline import OfflineGrader
from interviewer.export import from_json, to_json
from interviewer.practice.scheduler import rebuild_card, reschedule_turn, schedule_turn
from interviewer.store.repo import Store
from interviewer.store.schedule import all_reviews, cards, due_dates, effective_reviews
from interviewer.vocab import TurnStatus
from tests.practice_fakes import BANK, T0, Clock, ScoreGrader, practise


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "t.sqlite3")


def interval_after(store: Store, question_id: str, clock: Clock) -> timedelta:
    return due_dates(store)[question_id] - clock()


def review_on_due_date(store: Store, clock: Clock, ref: str, score: float) -> timedelta:
    """Answer `ref` when it falls due; return the interval the answer earned."""
    qid = BANK.find(ref).id
    if qid in due_dates(store):
        clock.now = due_dates(store)[qid]
    practise(store, clock, ref, score)
    return interval_after(store, qid, clock)


def test_good_answers_space_out_and_again_pulls_back(store: Store) -> None:
    clock = Clock()
    good = [review_on_due_date(store, clock, "3", 7.0) for _ in range(4)]
    assert good[0] >= timedelta(days=1)
    assert all(a < b for a, b in pairwise(good)), good  # growing
    lapse = review_on_due_date(store, clock, "3", 1.0)  # forgotten: Again
    assert lapse < good[1] < good[-1]  # far shorter than before, though not back to day one
    again_good = review_on_due_date(store, clock, "3", 7.0)
    assert lapse < again_good < good[-1]  # relearning: it grows again, from lower down
    ratings = [r.rating for r in effective_reviews(store.conn, "dropout")]
    assert ratings == [Rating.Good] * 4 + [Rating.Again, Rating.Good]


def test_easy_beats_good_beats_hard_on_a_first_review(store: Store) -> None:
    clock = Clock()
    for ref, score in (("1", 9.0), ("2", 7.0), ("3", 4.0), ("4", 1.0)):
        practise(store, clock, ref, score)
    due = due_dates(store)
    easy, good, hard, again = (
        due[q] for q in ("l1-l2-regularization", "overfitting", "dropout", "activation-functions")
    )
    assert easy > good > hard >= again == T0 + timedelta(days=1)


def test_the_review_log_records_what_the_rating_came_from(store: Store) -> None:
    clock = Clock()
    iv = practise(store, clock, "3", 5.0, [10.0])
    main = next(t for t in iv.turns if t.kind == "main")
    log = [r for r in all_reviews(store) if r.question_id == "dropout"]
    # graded main answer -> Hard; its follow-up graded -> re-rated Good, superseding the first
    assert [(r.rating, r.score, r.supersedes) for r in log] == [
        (Rating.Hard, 5.0, None),
        (Rating.Good, 6.3, log[0].id),
    ]
    final = log[-1]
    assert final.turn_id == main.id and final.grade_id is not None
    assert final.main_score == 5.0 and final.follow_up_scores == [10.0] and final.probed
    assert final.reviewed_at == T0 and final.reason == "interview"
    assert [r.id for r in effective_reviews(store.conn, "dropout")] == [final.id]
    # the stored card is the replay of the effective log: rebuilt from scratch it is the same
    assert rebuild_card(store, "dropout", clock()).to_dict() == cards(store)["dropout"]  # type: ignore[union-attr]


def test_hint_skip_and_skipped_follow_up_through_the_engine(store: Store) -> None:
    clock = Clock()
    practise(store, clock, "1", 9.5, hint=True)
    practise(store, clock, "2", None)
    practise(store, clock, "4", 7.0, [None])
    rated = {r.question_id: r for r in effective_reviews(store.conn)}
    assert (
        rated["l1-l2-regularization"].rating == Rating.Hard and rated["l1-l2-regularization"].hinted
    )
    assert rated["overfitting"].rating == Rating.Again and rated["overfitting"].skipped
    assert rated["activation-functions"].follow_up_scores == [0.0]
    assert rated["activation-functions"].rating == Rating.Hard  # 0.75*7 + 0 = 5.3


def test_ungraded_answers_do_not_schedule(store: Store) -> None:
    class Failing(ScoreGrader):
        async def agrade(self, question, answer, **kw):  # type: ignore[no-untyped-def]
            from interviewer.errors import InterviewerError

            raise InterviewerError("model down")

    from interviewer.engine.interview import Interview
    from tests.practice_fakes import run

    clock = Clock()
    iv = Interview.start(store, BANK, Failing(clock), [BANK.find("3")], language="en", clock=clock)
    iv.ask()
    run(iv.submit("score:9"))
    assert iv.main_turn().status == TurnStatus.FAILED  # type: ignore[union-attr]
    assert all_reviews(store) == [] and due_dates(store) == {}
    run(iv.regrade_offline())  # the offline fallback grades it: now it schedules
    assert [r.question_id for r in all_reviews(store)] == ["dropout"]


def test_grade_command_does_not_schedule(cli, isolated_home: Path) -> None:  # type: ignore[no-untyped-def]
    r = cli("grade", "3", "--answer", "Dropout zeroes random units in training; not at inference.")
    assert r.code == 0, r.err
    with Store() as store:
        assert store.list_sessions()[0]["mode"] == "grade"
        assert all_reviews(store) == []
        turn = store.turns(store.list_sessions()[0]["id"])[0]
        assert schedule_turn(store, turn.id, T0) is None  # not an interview: refused


def test_imported_sessions_do_not_schedule(store: Store, tmp_path: Path) -> None:
    clock = Clock()
    iv = practise(store, clock, "3", 7.0)
    exported = to_json(store.session(iv.session.id, with_turns=True))
    other = Store(tmp_path / "other.sqlite3")
    other.import_session(from_json(exported, "export.json"))
    assert all_reviews(other) == [] and due_dates(other) == {}
    main = other.turns(iv.session.id)[0]
    assert reschedule_turn(other, main.id, clock()) is None  # never scheduled: stays so
    # even when a follow-up of the imported session is graded later (resume), nothing schedules
    assert schedule_turn(other, main.id, clock()) is None and all_reviews(other) == []


def test_a_regrade_moves_nothing_until_rescheduled(store: Store) -> None:
    clock = Clock()
    iv = practise(store, clock, "3", 7.0)
    main = next(t for t in iv.turns if t.kind == "main")
    before = due_dates(store)["dropout"]
    # what `interviewer regrade` does: a new grade on the stored turn, from another grader
    clock.advance(days=5)
    regrade = ScoreGrader(clock)._grade(BANK.find("3"), 2.0)
    store.add_grade(main.id, regrade, TurnStatus.GRADED)
    assert due_dates(store)["dropout"] == before and len(all_reviews(store)) == 1
    review = reschedule_turn(store, main.id, clock())  # --reschedule
    assert review is not None and review.reason == "regrade" and review.rating == Rating.Again
    assert review.reviewed_at == T0 and review.recorded_at == T0 + timedelta(days=5)
    assert due_dates(store)["dropout"] == T0 + timedelta(days=1) < before
    assert reschedule_turn(store, main.id, clock()) == review  # unchanged grades: no new row
    assert len(all_reviews(store)) == 2


def test_deleting_a_session_keeps_its_reviews(store: Store) -> None:
    clock = Clock()
    iv = practise(store, clock, "3", 7.0)
    due = due_dates(store)["dropout"]
    store.delete_session(iv.session.id)
    (review,) = all_reviews(store)
    assert review.turn_id is None and review.grade_id is None
    assert rebuild_card(store, "dropout", clock()).due == due  # type: ignore[union-attr]


def test_offline_interview_schedules_with_the_injected_clock(store: Store) -> None:
    from interviewer.engine.interview import Interview
    from tests.practice_fakes import run

    clock = Clock()
    iv = Interview.start(
        store, BANK, OfflineGrader(clock), [BANK.find("3")], language="zh", clock=clock
    )
    iv.ask()
    clock.advance(minutes=3)
    run(iv.submit("训练时随机丢弃一部分神经元,防止过拟合;推理时不丢弃。"))
    (review,) = effective_reviews(store.conn, "dropout")
    assert review.reviewed_at == T0 + timedelta(minutes=3) == review.recorded_at


def test_interviewer_regrade_moves_the_schedule_only_through_reschedule_turn(
    store: Store,
) -> None:
    import asyncio

    from interviewer.regrade import jobs_for, regrade

    clock = Clock()
    iv = practise(store, clock, "3", 9.0)  # the scripted grader: 9, Easy
    main = next(t for t in iv.turns if t.kind == "main")
    before = (due_dates(store), all_reviews(store))
    jobs, _ = jobs_for(store, BANK, [iv.session.id])
    clock.advance(days=3)
    asyncio.run(regrade(store, OfflineGrader(clock), jobs))  # "score:9" means nothing offline
    assert store.turn(main.id).grade.grader.kind == "offline"  # type: ignore[union-attr]
    assert (due_dates(store), all_reviews(store)) == before
    # what `regrade --reschedule` does after the run: reschedule_turn for the turns regraded
    asyncio.run(regrade(store, OfflineGrader(clock), jobs, force=True))
    for job in jobs:
        reschedule_turn(store, job.turn.id, clock())
    latest = effective_reviews(store.conn, "dropout")[-1]
    assert latest.reason == "regrade" and latest.rating < Rating.Easy
    assert due_dates(store)["dropout"] < before[0]["dropout"]
