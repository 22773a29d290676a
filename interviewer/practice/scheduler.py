"""FSRS scheduling of interview questions, one card per question.

Which answers schedule: only main answers of live interview sessions. `grade` and batch runs
are single answers without an interview around them, and an imported session replays answers
given elsewhere; neither moves the schedule (both still count in `stats`).

When: `schedule_turn` runs after every grade of an interview answer, main or follow-up (the
engine calls it), and rates the question's attempt from its current grades
(`practice.rating`). A later rating of the same attempt supersedes the earlier one and the card
is rebuilt by replaying the question's effective reviews, so the card always reflects the
rating the question ended with, at the time the main answer was given.

Scheduler settings: no learning steps (a question is not asked again within minutes: the first
review already schedules days ahead, an Again one day), no fuzz (replaying the log gives the
same card every time), 90% desired retention, intervals of at most a year.
"""

import zlib
from datetime import datetime

from fsrs import Card, Rating, Scheduler

from interviewer.domain.session import Turn
from interviewer.engine.summary import current_grade
from interviewer.practice.rating import rate
from interviewer.store.repo import Store
from interviewer.store.schedule import (
    Review,
    current_grade_id,
    effective_reviews,
    follow_up_ids,
    insert_review,
    latest_review_for_turn,
    save_card,
    schedulable,
    utc,
)

SCHEDULER = Scheduler(
    desired_retention=0.9,
    learning_steps=(),
    relearning_steps=(),
    maximum_interval=365,
    enable_fuzzing=False,
)


def card_id(question_id: str) -> int:
    """A stable card id (FSRS defaults to the creation time, read from the wall clock)."""
    return zlib.crc32(question_id.encode())


def replay(question_id: str, reviews: list[Review]) -> Card:
    """The card after these reviews, in order. Deterministic: no fuzz, no wall clock."""
    first = utc(reviews[0].reviewed_at)
    card = Card(card_id=card_id(question_id), due=first)
    for review in reviews:
        card, _ = SCHEDULER.review_card(
            card, Rating(review.rating), review_datetime=utc(review.reviewed_at)
        )
    return card


def _rated_review(store: Store, main: Turn, reason: str, now: datetime) -> Review | None:
    """The review this attempt earns now, or None when the main answer has no usable grade."""
    grade = current_grade(main)
    if grade is None or grade.score is None:
        return None
    follow_ups = [store.turn(tid) for tid in follow_up_ids(store, main.id)]
    scores = []
    for turn in follow_ups:
        if turn.skipped:
            scores.append(0.0)
        elif (g := current_grade(turn)) is not None and g.score is not None:
            scores.append(g.score)
    rated = rate(
        grade.score,
        skipped=main.skipped,
        hinted=bool(main.hints),
        follow_ups=scores,
        probed=bool(follow_ups),
    )
    reviewed_at = main.submitted_at or grade.created_at  # a skip has no answer time
    return Review(
        question_id=main.question_id,
        turn_id=main.id,
        grade_id=current_grade_id(store, main.id),
        main_score=0.0 if main.skipped else grade.score,
        follow_up_scores=scores,
        score=rated.score,
        hinted=bool(main.hints),
        skipped=main.skipped,
        probed=bool(follow_ups),
        rating=int(rated.rating),
        reviewed_at=utc(reviewed_at),
        recorded_at=utc(now),
        due=utc(now),  # replaced by the rebuilt card's due date
        reason=reason,
    )


_SAME = ("grade_id", "main_score", "follow_up_scores", "score", "hinted", "skipped", "probed")


def _record(store: Store, main: Turn, reason: str, now: datetime) -> Review | None:
    review = _rated_review(store, main, reason, now)
    if review is None:
        return None
    earlier = latest_review_for_turn(store, main.id)
    if earlier is not None:
        if all(getattr(earlier, k) == getattr(review, k) for k in (*_SAME, "rating")):
            return earlier  # nothing changed (e.g. the same grade seen twice)
        review.supersedes = earlier.id
    with store._write() as db:
        log = [r for r in effective_reviews(db, review.question_id) if r.id != review.supersedes]
        card = replay(review.question_id, sorted([*log, review], key=_review_order))
        review.due = card.due
        review.id = insert_review(db, review)
        save_card(db, review.question_id, dict(card.to_dict()), card.due, now)
    return review


def _review_order(review: Review) -> tuple[datetime, float]:
    return utc(review.reviewed_at), review.id if review.id is not None else float("inf")


def _main_of(store: Store, turn_id: str) -> Turn:
    turn = store.turn(turn_id)
    return store.turn(turn.parent_id) if turn.parent_id else turn


def schedule_turn(store: Store, turn_id: str, now: datetime) -> Review | None:
    """Rate the attempt `turn_id` belongs to (a main or a follow-up turn of an interview) and
    reschedule its question. Returns the review in force, or None when nothing was scheduled:
    not an interview session, or the main answer has no usable grade yet."""
    main = _main_of(store, turn_id)
    if not schedulable(store, main.id):
        return None
    return _record(store, main, "interview", now)


def reschedule_turn(store: Store, turn_id: str, now: datetime) -> Review | None:
    """For `interviewer regrade --reschedule`: after adding a grade to `turn_id` (a main or a
    follow-up turn), re-rate its attempt from the current grades and rebuild the question's card.
    The review keeps the time of the original answer. Only live interview answers schedule
    (imported and grade/batch sessions never do); an answer that could not be graded at the
    time is scheduled now. Otherwise None."""
    main = _main_of(store, turn_id)
    if not schedulable(store, main.id):
        return None
    return _record(store, main, "regrade", now)


def review_after(store: Store, turns: list[Turn], question_id: str) -> Review | None:
    """The review in force for the latest attempt at a question in these turns (what the
    front ends show when a question is done: its rating and next review)."""
    mains = [t for t in turns if t.kind == "main" and t.question_id == question_id]
    return latest_review_for_turn(store, mains[-1].id) if mains else None


def rebuild_card(store: Store, question_id: str, now: datetime) -> Card | None:
    """Recompute a question's card from its review log (the stored card is only a cache)."""
    reviews = effective_reviews(store.conn, question_id)
    if not reviews:
        return None
    card = replay(question_id, reviews)
    with store._write() as db:
        save_card(db, question_id, dict(card.to_dict()), card.due, now)
    return card


def stored_card(data: dict) -> Card:
    return Card.from_dict(data)  # type: ignore[arg-type]
