"""The interview session state machine, driven by the plain CLI and the TUI alike.

Per question: ask -> (hint)* -> submit -> grade -> follow-ups while the answer is not yet
sufficient and the follow-up budget lasts -> done. "Sufficient" and "budget spent" are
separate outcomes; a spent budget is not a pass. Every step is persisted before anything
slow happens: the answer is committed before grading starts.
"""

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable, Collection
from datetime import UTC, datetime
from typing import Any, Protocol

from interviewer.bank.loader import Bank
from interviewer.domain.grade import FollowUp, Grade, GraderInfo
from interviewer.domain.rubric import Probe, Question
from interviewer.domain.session import Session, Turn
from interviewer.domain.text import Localized
from interviewer.engine.events import (
    DoneReason,
    Event,
    FollowUpAsked,
    Graded,
    GradingFailed,
    GradingStarted,
    PartialGrade,
    QuestionAsked,
    QuestionDone,
    SessionFinished,
)
from interviewer.engine.guards import check_length
from interviewer.engine.offline import OFFLINE_MODEL, OfflineGrader
from interviewer.engine.summary import summarize
from interviewer.errors import InterviewerError, UsageError
from interviewer.practice.scheduler import schedule_turn
from interviewer.store.repo import Store
from interviewer.vocab import Depth, GradeStatus, TurnStatus

SUFFICIENT_MAIN = 8.5  # a main answer this good needs no follow-up
SUFFICIENT_FOLLOW_UP = 8.0  # nor does a follow-up answered this well
Clock = Callable[[], datetime]


class Grader(Protocol):
    name: str

    async def agrade(
        self,
        question: Question,
        answer: str,
        *,
        hinted: Collection[str] = (),
        asked: Collection[str] = (),
    ) -> Grade: ...

    async def agrade_follow_up(
        self, question: Question, probe: Probe, answer: str, **context: str
    ) -> Grade: ...


def _utcnow() -> datetime:
    return datetime.now(UTC)


class Interview:
    """One session. Build it with `start` or `resume`; drive it with the methods below."""

    def __init__(
        self, store: Store, bank: Bank, grader: Grader, session: Session, clock: Clock
    ) -> None:
        self.store, self.bank, self.grader, self.clock = store, bank, grader, clock
        self.session = session
        self.turns: list[Turn] = store.turns(session.id)

    # construction ---------------------------------------------------------------------

    @classmethod
    def start(
        cls,
        store: Store,
        bank: Bank,
        grader: Grader,
        questions: list[Question],
        *,
        language: str,
        follow_up_depth: int = 2,
        time_limit_s: int | None = None,
        banks: list[str] | None = None,
        clock: Clock = _utcnow,
    ) -> "Interview":
        if not questions:
            raise UsageError("no questions selected")
        session = store.create_session(
            mode="interview",
            grader=grader.name,
            language=language,
            follow_up_depth=follow_up_depth,
            time_limit_s=time_limit_s,
            banks=banks,
            question_ids=[q.id for q in questions],
            now=clock(),
        )
        interview = cls(store, bank, grader, session, clock)
        return interview

    @classmethod
    def resume(
        cls, store: Store, bank: Bank, grader: Grader, session_id: str, clock: Clock = _utcnow
    ) -> "Interview":
        session = store.session(store.resolve_session(session_id))
        if session.mode != "interview":
            raise UsageError(f"session {session.id} is a {session.mode} run, not an interview")
        if session.status == "finished":
            raise UsageError(
                f"session {session.id} is finished; `interviewer sessions show {session.id}`"
            )
        missing = [q for q in session.question_ids if q not in {x.id for x in bank.questions}]
        if missing:
            raise UsageError(
                f"session {session.id} asks {', '.join(missing)}, not in the bank in use (--bank)"
            )
        store.update_session(session.id, status="active")
        session.status = "active"
        return cls(store, bank, grader, session, clock)

    # state ----------------------------------------------------------------------------

    @property
    def lang(self) -> str:
        return self.session.language or "en"

    @property
    def total(self) -> int:
        return len(self.session.question_ids)

    @property
    def finished(self) -> bool:
        return self.session.status == "finished"

    def question(self, index: int | None = None) -> Question:
        return self.bank.find(
            self.session.question_ids[self.session.position if index is None else index]
        )

    def _refresh(self) -> None:
        self.turns = self.store.turns(self.session.id)

    def main_turn(self) -> Turn | None:
        """The main turn of the current question, if it was asked."""
        qid = self.session.question_ids[self.session.position] if not self.finished else None
        mains = [t for t in self.turns if t.kind == "main" and t.question_id == qid]
        return mains[-1] if mains else None

    def follow_ups(self, main: Turn) -> list[Turn]:
        return [t for t in self.turns if t.parent_id == main.id]

    def open_turn(self) -> Turn | None:
        """The turn waiting for an answer (a draft or submitted but not yet graded)."""
        main = self.main_turn()
        if main is None:
            return None
        last = (self.follow_ups(main) or [main])[-1]
        return last if last.status in (TurnStatus.DRAFT, TurnStatus.SUBMITTED) else None

    def draft(self) -> str:
        turn = self.open_turn()
        return (self.store.draft(turn.id) or "") if turn else ""

    # actions --------------------------------------------------------------------------

    def ask(self) -> list[Event]:
        """Ask the current question (or return the pending one when resuming)."""
        if self.finished:
            return []
        main = self.main_turn()
        q = self.question()
        if main is None:
            text = q.question.get(self.lang)  # type: ignore[arg-type]
            main = self.store.add_turn(
                self.session.id, question_id=q.id, prompt=text, started_at=self.clock()
            )
            self.store.add_event(self.session.id, "asked", {"question_id": q.id}, main.id)
            self._refresh()
        events: list[Event] = [QuestionAsked(main.id, q, self.session.position, self.total)]
        open_turn = self.open_turn()
        if open_turn is not None and open_turn.kind == "follow_up":
            events.append(self._follow_up_event(open_turn))
        return events

    def keystroke(self) -> None:
        """The candidate started typing: time to first keystroke, recorded once."""
        turn = self.open_turn()
        if turn and turn.first_key_at is None:
            self.store.update_turn(turn.id, first_key_at=self.clock())
            self._refresh()

    def save_draft(self, text: str) -> None:
        turn = self.open_turn()
        if turn and turn.status == TurnStatus.DRAFT:
            self.store.save_draft(turn.id, text)

    def hint(self) -> str | None:
        """A nudge toward the most important point not yet hinted; that point then earns at most
        partial credit. Only before the main answer is submitted."""
        main = self.main_turn()
        if main is None or main.status != TurnStatus.DRAFT:
            return None
        q = self.question()
        order = sorted(q.key_points, key=lambda kp: (kp.depth != Depth.CORE, -kp.weight))
        for kp in order:
            if kp.hint and kp.id not in main.hints:
                self.store.update_turn(main.id, hints=[*main.hints, kp.id])
                self.store.add_event(self.session.id, "hint", {"key_point": kp.id}, main.id)
                self._refresh()
                return kp.hint.get(self.lang)  # type: ignore[arg-type]
        return None

    async def submit(self, text: str) -> AsyncIterator[Event]:
        """Commit the answer, grade it, and say what comes next."""
        turn = self.open_turn()
        if turn is None or turn.status != TurnStatus.DRAFT:
            raise UsageError("there is no question waiting for an answer")
        try:
            check_length(text)
        except UsageError:
            self.store.save_draft(turn.id, text)  # nothing typed is lost
            raise
        now = self.clock()
        overtime = bool(
            self.session.time_limit_s
            and turn.started_at
            and (now - turn.started_at).total_seconds() > self.session.time_limit_s
        )
        self.store.submit_answer(turn.id, text, submitted_at=now, overtime=overtime)
        self._refresh()
        # aclosing: if the front end stops listening (cancel), grading is stopped at once
        async with contextlib.aclosing(self._grade(self.store.turn(turn.id))) as events:
            async for event in events:
                yield event

    async def grade_pending(self) -> AsyncIterator[Event]:
        """Grade an answer saved but not graded (a crash, a failed or unparseable model
        reply, a cancelled grade)."""
        turn = self.open_turn()
        if turn is None or turn.status != TurnStatus.SUBMITTED:
            main = self.main_turn()
            last = (self.follow_ups(main) or [main])[-1] if main else None
            if last is None or last.status not in (TurnStatus.FAILED, TurnStatus.UNGRADED):
                return
            turn = last
        async with contextlib.aclosing(self._grade(turn)) as events:
            async for event in events:
                yield event

    def last_answered(self) -> Turn | None:
        """The latest turn of the current question that has an answer."""
        main = self.main_turn()
        turns = [t for t in ([main, *self.follow_ups(main)] if main else []) if t.answer]
        return turns[-1] if turns else None

    async def regrade(self, grader: "Grader") -> AsyncIterator[Event]:
        """Grade the latest answer again with another grader (every grade is kept; the newest
        is current). An answer already graded gets no new follow-up."""
        turn = self.last_answered()
        if turn is None:
            raise UsageError("nothing to regrade yet")
        previous, self.grader = self.grader, grader
        try:
            already = turn.status == TurnStatus.GRADED
            async with contextlib.aclosing(self._grade(turn, follow_on=not already)) as events:
                async for event in events:
                    yield event
        finally:
            self.grader = previous

    async def regrade_offline(self) -> AsyncIterator[Event]:
        """After a failed model grade: accept the offline grade instead (it is labelled)."""
        grader, self.grader = self.grader, OfflineGrader(self.clock)
        try:
            async for event in self.grade_pending():
                yield event
        finally:
            self.grader = grader

    async def _grade(self, turn: Turn, follow_on: bool = True) -> AsyncIterator[Event]:
        q = self.bank.find(turn.question_id)
        yield GradingStarted(turn.id, self.grader.name)
        last_partial: Grade | None = None
        was_graded = turn.status == TurnStatus.GRADED
        try:
            if turn.kind == "main":
                main = turn
                asked = [t.probe_id for t in self.follow_ups(turn) if t.probe_id]
                stream = getattr(self.grader, "agrade_stream", None)
                grade = None
                if stream is not None:  # verdicts arrive as they stream in
                    grades = stream(q, turn.answer, hinted=turn.hints, asked=asked)
                    async with contextlib.aclosing(grades):
                        async for grade in grades:
                            if grade.status == GradeStatus.PARTIAL:
                                last_partial = grade
                                yield PartialGrade(turn.id, grade)
                else:
                    grade = await self.grader.agrade(q, turn.answer, hinted=turn.hints, asked=asked)
            else:
                main = next(t for t in self.turns if t.id == turn.parent_id)
                probe = next(p for p in q.probes if p.id == turn.probe_id)
                grade = await self.grader.agrade_follow_up(
                    q, probe, turn.answer, asked_text=turn.prompt, main_answer=main.answer
                )
        except InterviewerError as exc:
            # a failed regrade leaves an earlier grade in place; what streamed in is kept
            status = TurnStatus.GRADED if was_graded else TurnStatus.FAILED
            self._keep_partial(turn, last_partial, status)
            yield GradingFailed(turn.id, str(exc))
            return
        except (asyncio.CancelledError, GeneratorExit):
            # cancelled: keep what arrived, marked partial; the answer stays gradable
            self._keep_partial(
                turn, last_partial, TurnStatus.GRADED if was_graded else TurnStatus.UNGRADED
            )
            raise
        assert grade is not None
        usable = grade.status != GradeStatus.UNGRADED
        # an unusable regrade is kept beside the earlier grade, never downgrading the turn
        status = TurnStatus.GRADED if usable or was_graded else TurnStatus.UNGRADED
        self.store.add_grade(turn.id, grade, status)
        self._refresh()
        if usable:  # spaced practice: re-rate the question's attempt
            schedule_turn(self.store, turn.id, self.clock())
        yield Graded(turn.id, grade)
        if not usable or not follow_on:
            return
        for event in self._after_grade():
            yield event

    def _keep_partial(self, turn: Turn, partial: Grade | None, status: TurnStatus) -> None:
        if partial is not None:
            self.store.add_grade(turn.id, partial, status)
        else:
            self.store.update_turn(turn.id, status=status)
        self._refresh()

    def _main_follow_up_candidates(self, main: Turn) -> list[FollowUp]:
        asked = {t.probe_id for t in self.follow_ups(main)}
        grade = main.grade
        return [f for f in (grade.follow_ups if grade else []) if f.probe_id not in asked]

    def _after_grade(self) -> list[Event]:
        main = self.main_turn()
        assert main is not None
        follow = self.follow_ups(main)
        latest = (follow or [main])[-1]
        grade = latest.grade
        assert grade is not None and grade.score is not None
        threshold = SUFFICIENT_FOLLOW_UP if follow else SUFFICIENT_MAIN
        stated = any(m.present for m in grade.misconceptions)
        if grade.score >= threshold and not stated:
            return self._done("sufficient")
        if not grade.follow_ups and not follow:  # nothing to ask on (empty, off-topic, ...)
            return self._done("exhausted")
        if len(follow) >= self.session.follow_up_depth:
            return self._done("budget_spent")
        candidates = self._main_follow_up_candidates(main)
        if not candidates:
            return self._done("exhausted")
        choice = candidates[0]
        turn = self.store.add_turn(
            self.session.id,
            question_id=main.question_id,
            kind="follow_up",
            parent_id=main.id,
            probe_id=choice.probe_id,
            prompt=choice.question.get(self.lang),
            started_at=self.clock(),  # type: ignore[arg-type]
        )
        self.store.add_event(self.session.id, "follow_up", {"probe_id": choice.probe_id}, turn.id)
        self._refresh()
        return [self._follow_up_event(self.store.turn(turn.id))]

    def _follow_up_event(self, turn: Turn) -> FollowUpAsked:
        main = self.main_turn()
        assert main is not None and turn.probe_id is not None
        q = self.question()
        probe = next(p for p in q.probes if p.id == turn.probe_id)
        reason = next(
            (
                f.reason
                for f in (main.grade.follow_ups if main.grade else [])
                if f.probe_id == probe.id
            ),
            "missed_point",
        )
        # the question as asked and stored (a model grader words it for the candidate)
        follow = FollowUp(
            probe_id=probe.id,
            kind=probe.kind,
            question=Localized(**{self.lang: turn.prompt}),
            targets=probe.targets,
            reason=reason,
        )

        number = len([t for t in self.follow_ups(main) if t.seq <= turn.seq])
        return FollowUpAsked(turn.id, follow, number, self.session.follow_up_depth)

    def _done(self, reason: DoneReason) -> list[Event]:
        main = self.main_turn()
        assert main is not None
        self.store.add_event(self.session.id, "done", {"reason": reason}, main.id)
        return [QuestionDone(main.question_id, reason)]

    def skip(self) -> list[Event]:
        """Skip the waiting turn: it scores 0 and is recorded as skipped; the question ends."""
        turn = self.open_turn()
        if turn is None:
            raise UsageError("there is no question waiting for an answer")
        self._mark_skipped(turn)
        return self._done("skipped")

    def _mark_skipped(self, turn: Turn) -> None:
        q = self.bank.find(turn.question_id)
        grade = Grade(
            question_id=q.id,
            probe_id=turn.probe_id,
            status=GradeStatus.GRADED,
            score=0.0,
            flags=["skipped"],
            created_at=self.clock(),
            grader=GraderInfo(kind="offline", model=OFFLINE_MODEL, rubric_hash=q.content_hash()),
        )
        self.store.update_turn(turn.id, skipped=True)
        self.store.add_grade(turn.id, grade, TurnStatus.GRADED)
        self._refresh()
        schedule_turn(self.store, turn.id, self.clock())

    def reveal(self) -> str:
        """The reference answer, once the main answer has been graded (or skipped)."""
        main = self.main_turn()
        if main is None or main.status not in (TurnStatus.GRADED, TurnStatus.UNGRADED):
            raise UsageError("answer first: the reference answer is shown after grading")
        self.store.update_turn(main.id, revealed=True)
        self._refresh()
        q = self.question()
        return q.reference(self.lang)  # type: ignore[arg-type]

    def next(self) -> list[Event]:
        """Move on. A follow-up left unanswered is recorded as skipped; an unanswered main
        question cannot be passed over silently: skip it first."""
        main = self.main_turn()
        if main is not None and main.status == TurnStatus.DRAFT:
            raise UsageError("the question is not answered: answer it or skip it")
        pending = self.open_turn()
        events: list[Event] = []
        if (
            pending is not None
            and pending.kind == "follow_up"
            and pending.status == TurnStatus.DRAFT
        ):
            self._mark_skipped(pending)
            events += self._done("moved_on")
        if self.session.position + 1 >= self.total:
            return events + self.finish()
        self.session.position += 1
        self.store.update_session(self.session.id, position=self.session.position)
        return events + self.ask()

    def summary(self) -> dict[str, Any]:
        questions = [self.bank.find(qid) for qid in self.session.question_ids]
        return summarize(questions, self.turns, self.lang)

    def finish(self) -> list[Event]:
        summary = self.summary()
        self.store.update_session(self.session.id, status="finished", summary=summary)
        self.session.status = "finished"
        self.session.summary = summary
        return [SessionFinished(summary)]

    async def debrief(self) -> str | None:
        """A model grader's closing debrief, stored with the summary (None offline or on error:
        the summary itself never depends on it)."""
        write = getattr(self.grader, "adebrief", None)
        if write is None or not self.finished or self.session.summary is None:
            return None
        try:
            text = await write(self.session.summary, self.lang)
        except InterviewerError:
            return None
        summary = self.session.summary | {"debrief": text}
        self.store.update_session(self.session.id, summary=summary)
        self.session.summary = summary
        return text

    def pause(self) -> None:
        if not self.finished:
            self.store.update_session(self.session.id, status="paused")
            self.session.status = "paused"
