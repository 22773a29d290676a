"""`interview --due` and `--weakest N`: which questions spaced practice asks next."""

from datetime import datetime

from interviewer.bank.loader import Bank
from interviewer.domain.rubric import Question
from interviewer.errors import UsageError
from interviewer.practice.stats import progress
from interviewer.store.repo import Store
from interviewer.store.schedule import due_dates


def due_questions(store: Store, bank: Bank, now: datetime) -> list[Question]:
    """Questions whose review is due, the most overdue first (ties in bank order). A question
    never answered in an interview is new, not due."""
    order = {q.id: i for i, q in enumerate(bank.questions)}
    dues = {qid: due for qid, due in due_dates(store).items() if qid in order}
    ready = sorted((due, order[qid], qid) for qid, due in dues.items() if due <= now)
    if not ready:
        if not dues:
            raise UsageError(
                "no questions are due for review: none has been answered in an interview yet"
                " (start with `interviewer interview`)"
            )
        due, _, qid = min((due, order[qid], qid) for qid, due in dues.items())
        raise UsageError(
            f"no questions are due for review; the next is {qid},"
            f" due {due.strftime('%Y-%m-%d %H:%M')} UTC"
        )
    return [bank.find(qid) for _, _, qid in ready]


def due_count(store: Store, bank: Bank, now: datetime) -> int:
    """How many questions of `bank` are due for review at `now` (the TUI home shows it)."""
    known = {q.id for q in bank.questions}
    return sum(1 for qid, due in due_dates(store).items() if qid in known and due <= now)


def weakest_questions(store: Store, bank: Bank, n: int, now: datetime) -> list[Question]:
    """The `n` answered questions with the lowest recent score (the mean of their last RECENT
    scores, stats.RECENT); ties go to the one practised longest ago, then bank order."""
    if n < 1:
        raise UsageError("--weakest: give a number of questions >= 1")
    rows = [r for r in progress(store, bank, now).questions if r.recent_score is not None]
    if not rows:
        raise UsageError(
            "no questions have been answered in an interview yet, so none is weakest"
            " (start with `interviewer interview`)"
        )
    order = {q.id: i for i, q in enumerate(bank.questions)}
    rows.sort(key=lambda r: (r.recent_score, r.last_at, order[r.question_id]))
    return [bank.find(r.question_id) for r in rows[:n]]
