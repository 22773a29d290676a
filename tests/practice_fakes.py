"""Helpers for the spaced-practice tests: a grader that gives the score written in the answer,
a settable clock, and one-question interviews driven through the real engine."""

import asyncio
import re
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from interviewer.bank.loader import load_bank
from interviewer.domain.grade import FollowUp, Grade, GraderInfo
from interviewer.domain.rubric import Probe, Question
from interviewer.engine.interview import Interview
from interviewer.store.repo import Store
from interviewer.vocab import GradeStatus

BANK = load_bank(["builtin"])
T0 = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


class Clock:
    def __init__(self, now: datetime = T0) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def _score(answer: str) -> float:
    match = re.search(r"score:([\d.]+)", answer)
    assert match, answer
    return float(match.group(1))


class ScoreGrader:
    """'score:7.5' grades 7.5; 'probe' in a main answer proposes the question's probes."""

    name = "scripted"

    def __init__(self, clock: Clock) -> None:
        self.clock = clock

    def _grade(
        self, q: Question, score: float, probe_id: str | None = None, follow_ups=()
    ) -> Grade:  # type: ignore[no-untyped-def]
        return Grade(
            question_id=q.id,
            probe_id=probe_id,
            status=GradeStatus.GRADED,
            score=score,
            follow_ups=list(follow_ups),
            grader=GraderInfo(kind="llm", model="test/scripted", rubric_hash=q.content_hash()),
            created_at=self.clock(),
        )

    async def agrade(self, question: Question, answer: str, *, hinted=(), asked=()) -> Grade:  # type: ignore[no-untyped-def]
        follow = [
            FollowUp(
                probe_id=p.id,
                kind=p.kind,
                question=p.question,
                targets=p.targets,
                reason="missed_point",
            )
            for p in question.probes
            if p.id not in asked
        ]
        return self._grade(question, _score(answer), follow_ups=follow if "probe" in answer else ())

    async def agrade_follow_up(
        self, question: Question, probe: Probe, answer: str, **context: str
    ) -> Grade:
        return self._grade(question, _score(answer), probe_id=probe.id)


def run(events):  # type: ignore[no-untyped-def]
    async def collect() -> list:
        return [e async for e in events]

    return asyncio.run(collect())


def practise(
    store: Store,
    clock: Clock,
    ref: str,
    main: float | None,
    follow_ups: Sequence[float | None] = (),
    *,
    hint: bool = False,
) -> Interview:
    """One question answered at clock(): `main` None skips it; a follow-up None is skipped."""
    iv = Interview.start(
        store,
        BANK,
        ScoreGrader(clock),
        [BANK.find(ref)],
        language="en",
        follow_up_depth=max(1, len(follow_ups)),
        clock=clock,
    )
    iv.ask()
    if hint:
        assert iv.hint()
    if main is None:
        iv.skip()
    else:
        run(iv.submit(f"score:{main}" + (" probe" if follow_ups else "")))
        for score in follow_ups:
            assert iv.open_turn() is not None and iv.open_turn().kind == "follow_up"  # type: ignore[union-attr]
            if score is None:
                iv.skip()
                break
            run(iv.submit(f"score:{score}"))
    iv.next()
    assert iv.finished
    return iv
