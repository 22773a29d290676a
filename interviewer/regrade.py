"""Re-grading stored answers with another grader: every grade is kept with its provenance.

A grader's identity is (model, prompt version, rubric hash). A turn that already has a grade
from the identity being run is skipped unless forced, so an interrupted run simply continues.
Model requests run concurrently behind one RateGate: a 429 pauses every worker.
"""

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from interviewer.bank.loader import Bank
from interviewer.domain.grade import Grade, GraderInfo
from interviewer.domain.rubric import Probe, Question
from interviewer.domain.session import Turn
from interviewer.errors import InterviewerError
from interviewer.store.filters import SessionFilter
from interviewer.store.repo import Store
from interviewer.vocab import GradeStatus, TurnStatus


def identity(info: GraderInfo) -> tuple[str, str | None, str]:
    return (info.model, info.prompt_version, info.rubric_hash)


@dataclass(frozen=True)
class Job:
    session_id: str
    turn: Turn
    question: Question
    probe: Probe | None = None  # set for a follow-up turn
    main_answer: str = ""  # the answer the follow-up followed


@dataclass
class RegradeSummary:
    graded: int = 0
    ungraded: int = 0  # the model answered, nothing usable came back (kept, labelled)
    skipped: int = 0  # already graded by this grader identity
    failed: int = 0  # the model could not be reached; nothing stored, rerun to continue
    tokens_in: int = 0
    tokens_out: int = 0
    cost_usd: float | None = None
    rate_limit_pauses: int = 0
    stopped: str | None = None  # why the run stopped early (model unreachable, key rejected)
    not_attempted: int = 0  # left when the run stopped early
    errors: list[str] = field(default_factory=list)

    def add_usage(self, grade: Grade) -> None:
        self.tokens_in += grade.tokens_in or 0
        self.tokens_out += grade.tokens_out or 0
        if grade.cost_usd is not None:
            self.cost_usd = (self.cost_usd or 0.0) + grade.cost_usd


def select_sessions(store: Store, refs: list[str], every: bool, since: str | None) -> list[str]:
    """Session ids from references, or every stored session (optionally from a day on)."""
    if refs:  # a session named twice is graded once
        return list(dict.fromkeys(store.resolve_session(ref) for ref in refs))
    if not (every or since):
        return []
    return [r["id"] for r in reversed(SessionFilter(since=since).apply(store))]


def jobs_for(store: Store, bank: Bank, session_ids: list[str]) -> tuple[list[Job], list[str]]:
    """The answered turns of these sessions, and a note for each one that cannot be regraded."""
    jobs: list[Job] = []
    notes: list[str] = []
    for sid in session_ids:
        turns = store.turns(sid)
        answers = {t.id: t.answer for t in turns}
        for turn in turns:
            if turn.skipped or not turn.answer.strip() or turn.status == TurnStatus.DRAFT:
                continue
            try:
                question = bank.find(turn.question_id)
            except InterviewerError:
                notes.append(
                    f"session {sid} turn {turn.seq}: question {turn.question_id!r} "
                    "is not in the bank; not regraded"
                )
                continue
            if turn.kind == "main":
                jobs.append(Job(sid, turn, question))
                continue
            probe = next((p for p in question.probes if p.id == turn.probe_id), None)
            if probe is None:
                notes.append(
                    f"session {sid} turn {turn.seq}: probe {turn.probe_id!r} is no "
                    f"longer in {question.id}; not regraded"
                )
                continue
            jobs.append(Job(sid, turn, question, probe, answers.get(turn.parent_id or "", "")))
    return jobs, notes


def already_done(grader: Any, job: Job) -> bool:
    """Graded before by this grader identity (a screened-out answer: by the offline rules the
    model grader would apply anyway)."""
    target = identity(grader.identity(job.question, follow_up=job.probe is not None))
    # only a usable grade counts: an ungraded reply (model garbage) is retried on a rerun
    done = {identity(g.grader) for g in job.turn.grades if g.status == GradeStatus.GRADED}
    if target in done:
        return True
    if grader.screens_out(job.question, job.turn.answer):
        return any(
            g.grader.kind == "offline" and g.grader.rubric_hash == target[2]
            for g in job.turn.grades
        )
    return False


async def grade_job(grader: Any, job: Job) -> Grade:
    if job.probe is None:
        return await grader.agrade(job.question, job.turn.answer, hinted=job.turn.hints)
    return await grader.agrade_follow_up(
        job.question,
        job.probe,
        job.turn.answer,
        asked_text=job.turn.prompt,
        main_answer=job.main_answer,
    )


def keep(store: Store, job: Job, grade: Grade) -> None:
    """Store the grade beside the others; an unusable one never downgrades a graded turn."""
    if grade.status == GradeStatus.GRADED or job.turn.status == TurnStatus.GRADED:
        status = TurnStatus.GRADED
    else:
        status = TurnStatus.UNGRADED
    store.add_grade(job.turn.id, grade, status)


async def regrade(
    store: Store,
    grader: Any,
    jobs: list[Job],
    *,
    concurrency: int = 1,
    force: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> RegradeSummary:
    """Grade every job not already graded by this grader; store each grade as it arrives."""
    from interviewer.llm.errors import AuthFailed, ModelError, ModelUnreachable

    summary = RegradeSummary()
    # the client's gate is shared by every worker: a 429 pauses them all
    gate = getattr(getattr(grader, "client", None), "gate", None)
    pauses_before = gate.pauses if gate else 0
    todo = []
    for job in jobs:
        if not force and already_done(grader, job):
            summary.skipped += 1
        else:
            todo.append(job)
    done = summary.skipped
    if progress:
        progress(done, len(jobs))
    queue: asyncio.Queue[Job] = asyncio.Queue()
    for job in todo:
        queue.put_nowait(job)

    async def worker() -> None:
        nonlocal done
        while not queue.empty() and summary.stopped is None:
            job = queue.get_nowait()
            try:
                grade = await grade_job(grader, job)
            except ModelError as exc:
                summary.failed += 1
                summary.errors.append(f"session {job.session_id} turn {job.turn.seq}: {exc}")
                if isinstance(exc, AuthFailed | ModelUnreachable):
                    summary.stopped = str(exc)  # every other request would fail the same way
            else:
                keep(store, job, grade)
                summary.add_usage(grade)
                if grade.status == GradeStatus.GRADED:
                    summary.graded += 1
                else:
                    summary.ungraded += 1
            done += 1
            if progress:
                progress(done, len(jobs))

    await asyncio.gather(*(worker() for _ in range(max(1, min(concurrency, len(todo) or 1)))))
    summary.not_attempted = queue.qsize()
    summary.rate_limit_pauses = gate.pauses - pauses_before if gate else 0
    return summary
