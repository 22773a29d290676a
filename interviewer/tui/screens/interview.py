"""The interview: the question, the conversation, the answer box, grades streaming in."""

from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static, TextArea
from textual.worker import Worker, WorkerState

from interviewer.engine.events import (
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
from interviewer.engine.interview import Interview
from interviewer.errors import InterviewerError
from interviewer.tui.i18n import tr
from interviewer.tui.keys import LocalizedKeys
from interviewer.tui.widgets import GradeView, TurnView
from interviewer.vocab import GradeStatus, TurnStatus

AUTOSAVE_SECONDS = 3.0


class InterviewScreen(LocalizedKeys, Screen[None]):
    BINDINGS = [
        Binding("ctrl+s", "submit", "Submit", priority=True),
        Binding("ctrl+t", "hint", "Hint", priority=True),
        Binding("ctrl+k", "skip", "Skip", priority=True),
        Binding("ctrl+r", "reveal", "Reveal", priority=True),
        Binding("ctrl+n", "next", "Next", priority=True),
        Binding("ctrl+g", "regrade", "Regrade", priority=True),
        Binding("ctrl+o", "offline", "Offline grade", priority=True),
        Binding("escape", "cancel", "Cancel grade"),
    ]
    DEFAULT_CSS = """
    InterviewScreen #progress { background: $boost; padding: 0 1; height: 1; }
    InterviewScreen #log { height: 1fr; padding: 0 1; }
    InterviewScreen #status { height: auto; max-height: 3; padding: 0 1; color: $warning; }
    InterviewScreen TextArea { height: 8; border: round $accent; }
    """

    def __init__(self, interview: Interview) -> None:
        super().__init__()
        self.iv = interview
        self.lang = interview.lang
        self.grade_view: GradeView | None = None
        self.done_note = ""  # the rating of the question just left, shown until the next asks
        self.grading: Worker[None] | None = None
        self.saved_text = ""
        self.typed = False
        self.pending_text = ""

    def sync_box(self) -> None:
        """The answer box takes text only while a question waits for an answer, so nothing can
        be typed where it would not be kept."""
        areas = self.query(TextArea)
        if not areas:
            return
        turn = self.iv.open_turn()
        waiting = turn is not None and turn.status == TurnStatus.DRAFT
        areas.first().disabled = not waiting
        if waiting:
            areas.first().focus()

    def compose(self) -> ComposeResult:
        yield Static("", id="progress")
        yield VerticalScroll(id="log")
        yield Static("", id="status")
        yield TextArea(id="answer", soft_wrap=True, show_line_numbers=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(TextArea).placeholder = tr("placeholder", self.lang)
        self.show_events(self.iv.ask())
        draft = self.iv.draft()
        if draft:  # restored after a crash or quit
            self.query_one(TextArea).load_text(draft)
            self.saved_text = draft
        self.set_interval(AUTOSAVE_SECONDS, self.autosave)
        self.set_interval(1.0, self.tick)
        self.tick()
        self.query_one(TextArea).focus()
        self.show_earlier_answers()
        if any(t.status.value in ("submitted",) for t in self.iv.turns):
            self.run_grading(self.iv.grade_pending())  # saved but never graded: grade it now
        else:
            self.sync_box()

    def show_earlier_answers(self) -> None:
        """On resume: the answers already given to this question, and their grades."""
        main = self.iv.main_turn()
        if main is None:
            return
        for turn in [main, *self.iv.follow_ups(main)]:
            if turn.kind == "follow_up":
                self.say(tr("interviewer", self.lang), turn.prompt, "interviewer")
            if turn.answer:
                self.say(tr("you", self.lang), turn.answer, "candidate")
            if turn.grade is not None:
                view = GradeView(
                    self.iv.bank.find(turn.question_id), self.lang, self._probe_texts(turn)
                )
                self.query_one("#log", VerticalScroll).mount(view)
                view.show(turn.grade)
            elif turn.status.value in ("failed", "ungraded"):
                self.status(tr("ungraded", self.lang))

    # -- display ----------------------------------------------------------------------------

    def say(self, who: str, text: str, kind: str) -> None:
        log = self.query_one("#log", VerticalScroll)
        log.mount(TurnView(who, text, kind))
        log.scroll_end(animate=False)

    def status(self, text: str) -> None:
        self.query_one("#status", Static).update(text)

    def tick(self) -> None:
        if self.iv.finished or not self.query("#progress"):  # finished, or being torn down
            return
        turn = self.iv.open_turn() or self.iv.main_turn()
        elapsed = ""
        over = ""
        if turn and turn.started_at:
            end = turn.submitted_at or self.iv.clock()
            seconds = int((end - turn.started_at).total_seconds())
            elapsed = f" · {seconds // 60:02d}:{seconds % 60:02d}"
            limit = self.iv.session.time_limit_s
            if limit and seconds > limit:
                over = f" · {tr('overtime', self.lang)}"
        k = self.iv.session.position + 1
        self.query_one("#progress", Static).update(
            f"{tr('progress', self.lang, k=k, n=self.iv.total)}{elapsed}{over} · {self.iv.grader.name}"
        )

    def show_events(self, events: list[Event]) -> None:
        for event in events:
            self.show_event(event)
        self.sync_box()

    def show_event(self, event: Event) -> None:
        lang = self.lang
        if isinstance(event, QuestionAsked):
            q = event.question
            self.say(
                tr("interviewer", lang),
                f"{q.number}. {q.title.get(lang)}\n{q.question.get(lang)}",
                "interviewer",
            )  # type: ignore[arg-type]
            # the question just left keeps its rating in view (ctrl+n with a follow-up pending)
            self.status(self.done_note)
            self.done_note = ""
        elif isinstance(event, FollowUpAsked):
            title = tr("follow_up", lang, k=event.number, budget=event.budget)
            self.say(
                f"{tr('interviewer', lang)} · {title}",
                event.follow_up.question.get(lang),
                "interviewer",
            )  # type: ignore[arg-type]
        elif isinstance(event, GradingStarted):
            self.status(tr("grading", lang, grader=event.grader))
            self.grade_view = None
        elif isinstance(event, PartialGrade | Graded):
            if self.grade_view is None:
                turn = next(t for t in self.iv.turns if t.id == event.turn_id)
                self.grade_view = GradeView(
                    self.iv.bank.find(turn.question_id), lang, self._probe_texts(turn)
                )
                self.query_one("#log", VerticalScroll).mount(self.grade_view)
            self.grade_view.show(event.grade)
            self.query_one("#log", VerticalScroll).scroll_end(animate=False)
            if isinstance(event, Graded):
                self.status(
                    tr("ungraded", lang) if event.grade.status == GradeStatus.UNGRADED else ""
                )
                self.grade_view = None
        elif isinstance(event, GradingFailed):
            self.status(tr("failed", lang, error=event.error))
        elif isinstance(event, QuestionDone):
            self.done_note = self._next_review(event.question_id).strip()
            self.status(f"{tr(event.reason, lang)} {self.done_note}".strip())
        elif isinstance(event, SessionFinished):
            self.app.show_summary(self.iv, event.summary)  # type: ignore[attr-defined]

    def _next_review(self, question_id: str) -> str:
        """Spaced practice: the rating the question earned and when it comes back."""
        from fsrs import Rating

        from interviewer.practice.scheduler import review_after

        review = review_after(self.iv.store, self.iv.turns, question_id)
        if review is None:
            return ""
        rating = tr(f"rating_{Rating(review.rating).name.lower()}", self.lang)
        number = self.iv.bank.find(question_id).number
        return tr("next_review", self.lang, n=number, rating=rating, date=f"{review.due:%Y-%m-%d}")

    def _probe_texts(self, turn: Any) -> dict[str, str] | None:
        if turn.kind != "follow_up":
            return None
        q = self.iv.bank.find(turn.question_id)
        probe = next(p for p in q.probes if p.id == turn.probe_id)
        return {
            f"e{i}": e.text.get(self.lang) for i, e in enumerate(probe.expected_points, start=1)
        }

    # -- drafts ---------------------------------------------------------------------------

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        if not self.typed and event.text_area.text:
            self.typed = True
            self.iv.keystroke()

    def autosave(self) -> None:
        areas = self.query(TextArea)
        if not areas:  # already being torn down
            return
        text = areas.first().text
        if text != self.saved_text:
            self.iv.save_draft(text)
            self.saved_text = text

    # -- actions --------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return self.grading is not None and self.grading.state in (
            WorkerState.PENDING,
            WorkerState.RUNNING,
        )

    def action_submit(self) -> None:
        # ctrl+s is a priority binding, handled as soon as it arrives; keys typed or pasted
        # just before it may still wait in the answer box's queue: submit after them, so the
        # whole answer goes in and none of it is left behind for the next question
        self.query_one(TextArea).call_later(self._submit)

    def _submit(self) -> None:
        if self.busy or self.iv.finished:
            return
        area = self.query_one(TextArea)
        text = area.text.strip()
        if not text:
            self.status(tr("empty_answer", self.lang))
            return
        if self.iv.open_turn() is None:
            self.status(tr("no_open_turn", self.lang))
            return
        try:
            check_length(text)  # before the box is cleared: nothing typed is lost
        except InterviewerError as exc:
            self.status(str(exc))
            return
        self.say(tr("you", self.lang), text, "candidate")
        area.load_text("")
        self.saved_text = ""
        self.typed = False
        self.pending_text = text
        self.run_grading(self.iv.submit(text))

    def run_grading(self, events: Any) -> None:
        self.grading = self.grade_worker(events)

    @work(exclusive=True, group="grading")
    async def grade_worker(self, events: Any) -> None:
        """Async worker on the event loop: widgets may be touched directly."""
        try:
            async for event in events:
                self.show_event(event)
        except InterviewerError as exc:
            self.status(str(exc))
            if self.pending_text and not self.query_one(TextArea).text:
                self.query_one(TextArea).load_text(self.pending_text)  # give the text back
        finally:
            self.pending_text = ""
            self.tick()
            self.sync_box()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker is self.grading and event.state == WorkerState.CANCELLED:
            self.status(tr("cancelled", self.lang))

    def action_cancel(self) -> None:
        if self.busy and self.grading is not None:
            self.grading.cancel()

    def action_hint(self) -> None:
        if self.busy:
            return
        hint = self.iv.hint()
        self.status(tr("hint", self.lang, text=hint) if hint else tr("no_hint", self.lang))

    def _guarded(self, action: Any) -> None:
        if self.busy:
            return
        try:
            action()
        except InterviewerError as exc:
            self.status(str(exc))

    def action_skip(self) -> None:
        def skip() -> None:
            self.query_one(TextArea).load_text("")
            self.show_events(self.iv.skip())

        self._guarded(skip)

    def action_reveal(self) -> None:
        self._guarded(lambda: self.say(tr("reference", self.lang), self.iv.reveal(), "notice"))

    def action_next(self) -> None:
        def move() -> None:
            self.autosave()
            events = self.iv.next()
            self.query_one(TextArea).load_text("")
            self.saved_text = ""
            self.show_events(events)

        self._guarded(move)

    def action_offline(self) -> None:
        if not self.busy and self.iv.last_answered() is not None:
            from interviewer.engine.offline import OfflineGrader

            self.run_grading(self.iv.regrade(OfflineGrader()))

    def action_regrade(self) -> None:
        if self.busy or self.iv.last_answered() is None:
            return
        self.app.choose_grader(self._regrade_with)  # type: ignore[attr-defined]

    def _regrade_with(self, grader: Any) -> None:
        if grader is not None:
            self.run_grading(self.iv.regrade(grader))
