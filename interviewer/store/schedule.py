"""Storage of spaced practice (migration 3): the review log and the FSRS card per question, and
the interview attempts that stats and selection read.

A review row is never edited: re-rating an attempt (a follow-up graded, a regrade with
--reschedule) adds a row that `supersedes` the earlier one. The effective log of a question is
its rows that nothing supersedes, in review order; replaying it rebuilds the card.
"""

import json
import sqlite3
from datetime import UTC, datetime

from pydantic import BaseModel

from interviewer.store.repo import Store


def utc(value: datetime) -> datetime:
    """FSRS wants aware UTC datetimes; a naive one is taken as UTC already."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Review(BaseModel):
    """One rating of one interview question, with what it was computed from."""

    id: int | None = None
    question_id: str
    turn_id: str | None  # the main turn; None once its session was deleted
    grade_id: int | None  # the main answer's grade that was rated
    supersedes: int | None = None
    main_score: float
    follow_up_scores: list[float] = []
    score: float  # what the rating band was read from
    hinted: bool = False
    skipped: bool = False
    probed: bool = False
    rating: int  # fsrs.Rating: 1 Again, 2 Hard, 3 Good, 4 Easy
    reviewed_at: datetime  # when the main answer was given
    recorded_at: datetime  # when this row was written
    due: datetime  # the next review this row led to, when it was written
    reason: str  # "interview" | "regrade"


class Attempt(BaseModel):
    """An interview main answer with a usable grade (skipped counts, scoring 0)."""

    question_id: str
    session_id: str
    turn_id: str
    at: datetime
    score: float
    skipped: bool


_REVIEW_COLUMNS = (
    "question_id, turn_id, grade_id, supersedes, main_score, follow_up_scores, score, hinted,"
    " skipped, probed, rating, reviewed_at, recorded_at, due, reason"
)


def _review(row: sqlite3.Row) -> Review:
    data = dict(row)
    data["follow_up_scores"] = json.loads(data["follow_up_scores"])
    return Review.model_validate(data)


def latest_review_for_turn(store: Store, turn_id: str) -> Review | None:
    row = store.conn.execute(
        "SELECT * FROM practice_reviews WHERE turn_id = ? ORDER BY id DESC LIMIT 1", (turn_id,)
    ).fetchone()
    return _review(row) if row else None


def effective_reviews(conn: sqlite3.Connection, question_id: str | None = None) -> list[Review]:
    """The reviews nothing supersedes (of one question, or of all), in review order."""
    where = "question_id = ? AND " if question_id else ""
    rows = conn.execute(
        f"SELECT * FROM practice_reviews r WHERE {where}NOT EXISTS"
        " (SELECT 1 FROM practice_reviews n WHERE n.supersedes = r.id)",
        (question_id,) if question_id else (),
    )
    return sorted((_review(r) for r in rows), key=lambda r: (utc(r.reviewed_at), r.id or 0))


def all_reviews(store: Store) -> list[Review]:
    """Every row, superseded ones included (the audit trail), oldest first."""
    return [_review(r) for r in store.conn.execute("SELECT * FROM practice_reviews ORDER BY id")]


def insert_review(conn: sqlite3.Connection, review: Review) -> int:
    values = review.model_dump(exclude={"id"})
    values["follow_up_scores"] = json.dumps(values["follow_up_scores"])
    for key in ("reviewed_at", "recorded_at", "due"):
        values[key] = utc(values[key]).isoformat()
    cursor = conn.execute(
        f"INSERT INTO practice_reviews ({_REVIEW_COLUMNS}) VALUES ({','.join('?' * 15)})",
        tuple(values[k.strip()] for k in _REVIEW_COLUMNS.split(",")),
    )
    return int(cursor.lastrowid or 0)


def save_card(
    conn: sqlite3.Connection, question_id: str, card: dict, due: datetime, now: datetime
) -> None:
    conn.execute(
        "INSERT INTO practice_cards (question_id, card, due, updated_at) VALUES (?,?,?,?)"
        " ON CONFLICT (question_id) DO UPDATE"
        " SET card = excluded.card, due = excluded.due, updated_at = excluded.updated_at",
        (question_id, json.dumps(card), utc(due).isoformat(), utc(now).isoformat()),
    )


def cards(store: Store) -> dict[str, dict]:
    """question id -> the stored FSRS card (`Card.to_dict()`)."""
    rows = store.conn.execute("SELECT question_id, card FROM practice_cards")
    return {r["question_id"]: json.loads(r["card"]) for r in rows}


def due_dates(store: Store) -> dict[str, datetime]:
    """question id -> when its next review is due."""
    rows = store.conn.execute("SELECT question_id, due FROM practice_cards")
    return {r["question_id"]: utc(datetime.fromisoformat(r["due"])) for r in rows}


def session_mode(store: Store, turn_id: str) -> str | None:
    row = store.conn.execute(
        "SELECT s.mode FROM turns t JOIN sessions s ON s.id = t.session_id WHERE t.id = ?",
        (turn_id,),
    ).fetchone()
    return row["mode"] if row else None


def schedulable(store: Store, turn_id: str) -> bool:
    """A turn of a live interview session: not `grade`/batch, not imported."""
    if session_mode(store, turn_id) != "interview":
        return False
    imported = store.conn.execute(
        "SELECT 1 FROM events e JOIN turns t ON t.session_id = e.session_id"
        " WHERE t.id = ? AND e.kind = 'imported'",
        (turn_id,),
    ).fetchone()
    return imported is None


def follow_up_ids(store: Store, main_turn_id: str) -> list[str]:
    rows = store.conn.execute(
        "SELECT id FROM turns WHERE parent_id = ? ORDER BY seq", (main_turn_id,)
    )
    return [r["id"] for r in rows]


def current_grade_id(store: Store, turn_id: str) -> int | None:
    """The id of the grade `summary.current_grade` picks: the newest complete one."""
    row = store.conn.execute(
        "SELECT MAX(id) FROM grades WHERE turn_id = ? AND status = 'graded'", (turn_id,)
    ).fetchone()
    return row[0]


def interview_attempts(store: Store) -> list[Attempt]:
    """Main answers of interview sessions (imported ones included) with their current grade,
    oldest first. Answers never graded, or whose grade could not be used, are left out."""
    rows = store.conn.execute(
        """
        SELECT t.id AS turn_id, t.question_id, t.session_id, t.skipped,
               COALESCE(t.submitted_at, g.created_at) AS at, g.score
        FROM turns t
        JOIN sessions s ON s.id = t.session_id
        JOIN grades g ON g.id = (
            SELECT MAX(id) FROM grades WHERE turn_id = t.id AND status = 'graded')
        WHERE s.mode = 'interview' AND t.kind = 'main' AND g.score IS NOT NULL
        """
    ).fetchall()
    attempts = [
        Attempt(
            question_id=r["question_id"],
            session_id=r["session_id"],
            turn_id=r["turn_id"],
            at=utc(datetime.fromisoformat(r["at"])),
            score=0.0 if r["skipped"] else r["score"],
            skipped=bool(r["skipped"]),
        )
        for r in rows
    ]
    return sorted(attempts, key=lambda a: (a.at, a.turn_id))
