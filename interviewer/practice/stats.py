"""Progress over time, from the transcripts: per question, per tag, per day.

Scores are main-answer scores (a skipped question scores 0), as in a session's summary, over
the interview sessions in the store (imported ones included; `grade` and batch runs are not
interviews). Days are UTC dates. The schedule (next review, last rating) comes from the
review log and the cards.
"""

from collections import defaultdict
from datetime import datetime
from statistics import fmean

from fsrs import Rating
from pydantic import BaseModel

from interviewer.bank.loader import Bank
from interviewer.domain.rubric import Question
from interviewer.engine.scoring import half_up, round_score
from interviewer.store.repo import Store
from interviewer.store.schedule import Attempt, due_dates, effective_reviews, interview_attempts

RECENT = 3  # "recent score": the mean of the last RECENT attempts; trend compares with them


class QuestionProgress(BaseModel):
    question_id: str
    number: int | None
    title: str
    tags: list[str]
    attempts: int
    last_score: float | None
    best_score: float | None
    recent_score: float | None  # mean of the last RECENT scores
    trend: float | None  # last score minus the mean of the RECENT before it (None: one attempt)
    scores: list[float]  # every score, oldest first
    last_at: datetime | None
    last_rating: str | None  # Again | Hard | Good | Easy, of the latest review
    next_review: datetime | None
    due: bool


class TagProgress(BaseModel):
    tag: str
    questions: int  # in the bank
    practised: int
    attempts: int
    average: float | None  # mean of the practised questions' last scores
    due: int


class DayProgress(BaseModel):
    date: str  # YYYY-MM-DD, UTC
    answers: int
    average: float


class Progress(BaseModel):
    generated_at: datetime
    total: int  # questions in the bank
    practised: int
    attempts: int
    due: int
    questions: list[QuestionProgress]
    tags: list[TagProgress]
    overall: list[DayProgress]


def _mean(values: list[float]) -> float:
    return round_score(fmean(values))


def _question(
    q: Question,
    lang: str,
    attempts: list[Attempt],
    rating: int | None,
    next_review: datetime | None,
    now: datetime,
) -> QuestionProgress:
    scores = [a.score for a in attempts]
    before = scores[:-1][-RECENT:]
    return QuestionProgress(
        question_id=q.id,
        number=q.number,
        title=q.title.get(lang),  # type: ignore[arg-type]
        tags=list(q.tags),
        attempts=len(scores),
        last_score=scores[-1] if scores else None,
        best_score=max(scores) if scores else None,
        recent_score=_mean(scores[-RECENT:]) if scores else None,
        # the last score against the mean of those before it, rounded like every score
        trend=half_up(scores[-1] - fmean(before)) if before else None,
        scores=scores,
        last_at=attempts[-1].at if attempts else None,
        last_rating=Rating(rating).name if rating else None,
        next_review=next_review,
        due=next_review is not None and next_review <= now,
    )


def progress(store: Store, bank: Bank, now: datetime, lang: str = "en") -> Progress:
    by_question: dict[str, list[Attempt]] = defaultdict(list)
    known = {q.id for q in bank.questions}
    attempts = [a for a in interview_attempts(store) if a.question_id in known]
    for a in attempts:
        by_question[a.question_id].append(a)
    ratings = {r.question_id: r.rating for r in effective_reviews(store.conn)}  # latest wins
    dues = due_dates(store)
    questions = [
        _question(q, lang, by_question[q.id], ratings.get(q.id), dues.get(q.id), now)
        for q in bank.questions
    ]
    tags = []
    for tag in sorted({t for q in bank.questions for t in q.tags}):
        rows = [r for r in questions if tag in r.tags]
        last = [r.last_score for r in rows if r.last_score is not None]
        tags.append(
            TagProgress(
                tag=tag,
                questions=len(rows),
                practised=len(last),
                attempts=sum(r.attempts for r in rows),
                average=_mean(last) if last else None,
                due=sum(r.due for r in rows),
            )
        )
    days: dict[str, list[float]] = defaultdict(list)
    for a in attempts:
        days[a.at.date().isoformat()].append(a.score)
    return Progress(
        generated_at=now,
        total=len(questions),
        practised=sum(1 for r in questions if r.attempts),
        attempts=len(attempts),
        due=sum(r.due for r in questions),
        questions=questions,
        tags=tags,
        overall=[
            DayProgress(date=d, answers=len(v), average=_mean(v)) for d, v in sorted(days.items())
        ],
    )


def shown(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"


def question_cells(q: QuestionProgress, due_now: str) -> list[str]:
    """One question's row, as the CLI table and the TUI show it: number, title, answers,
    last, best, trend, next review (`due_now` when due)."""
    planned = f"{q.next_review:%Y-%m-%d}" if q.next_review else "-"
    next_review = due_now if q.due else planned
    trend = "" if q.trend is None else f"{q.trend:+g}"
    return [
        str(q.number or ""),
        q.title,
        str(q.attempts),
        shown(q.last_score),
        shown(q.best_score),
        trend,
        next_review,
    ]


def tag_cells(g: TagProgress) -> list[str]:
    return [g.tag, f"{g.practised}/{g.questions}", str(g.attempts), shown(g.average), str(g.due)]
