"""The Textual app. The first frame appears before the bank, the database or any model library
is loaded; those come in a background thread, and widgets are only touched on the event loop."""

import os
import time
from collections.abc import Callable, Iterable
from typing import Any

from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.screen import ModalScreen, Screen
from textual.widgets import OptionList

from interviewer.locale_lang import locale_language
from interviewer.tui.i18n import key_label, tr
from interviewer.tui.keys import LocalizedKeys
from interviewer.tui.screens.help import HelpScreen
from interviewer.tui.screens.home import HomeScreen

FIRST_FRAME_ENV = "INTERVIEWER_FIRST_FRAME_FILE"  # bench/startup.py: write the time, then exit
WEAKEST = 5  # "Weakest N" with no N given


class GraderChoice(LocalizedKeys, ModalScreen[str | None]):
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]
    DEFAULT_CSS = """
    GraderChoice { align: center middle; }
    GraderChoice > OptionList { width: 60; height: auto; max-height: 80%; border: round $accent; }
    """

    def __init__(self, title: str, names: list[str]) -> None:
        super().__init__()
        self.title_text, self.names = title, names

    def compose(self) -> ComposeResult:
        options = OptionList(*self.names)
        options.border_title = self.title_text
        yield options

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.names[event.option_index])


class InterviewerApp(App[None]):
    TITLE = "interviewer"
    BINDINGS = [Binding("f1", "help", "Help"), Binding("ctrl+q", "quit", "Quit", priority=True)]

    def __init__(
        self,
        context_factory: Callable[[], Any] | None = None,
        lang: str | None = None,
        clock: Any = None,
        autostart: dict[str, Any] | None = None,
    ) -> None:
        super().__init__()
        self.autostart = autostart  # `interviewer interview` in a terminal: go straight in
        self.context_factory = context_factory
        self.lang = lang or locale_language()
        self.clock = clock
        self.context: Any = None
        self.home: HomeScreen | None = None

    @property
    def settings(self) -> Any:
        return self.context.settings

    def get_default_screen(self) -> Screen:
        return HomeScreen(self.lang)  # the first frame: no extra screen push before it

    def on_mount(self) -> None:
        if os.environ.get(FIRST_FRAME_ENV):
            self.call_after_refresh(self._report_first_frame)

    def home_mounted(self, home: HomeScreen) -> None:
        """The home screen is on screen: now load what it shows, off the event loop."""
        self.home = home
        if os.environ.get(FIRST_FRAME_ENV):
            return
        if self.context is not None and self.context.bank is not None:
            self._on_loaded(self.context.bank)
        else:
            self.run_worker(self._load_context, thread=True, name="load")

    def _report_first_frame(self) -> None:
        import json
        import sys

        watched = (
            "openai",
            "litellm",
            "pydantic",
            "yaml",
            "interviewer.bank.loader",
            "interviewer.store.repo",
        )
        with open(os.environ[FIRST_FRAME_ENV], "w") as fh:
            json.dump(
                {"time": time.time(), "modules": [m for m in watched if m in sys.modules]}, fh
            )
        self.exit()

    # -- loading, after the first frame ------------------------------------------------------

    def _load_context(self) -> None:
        """Thread worker: settings and bank (no widget access here)."""
        try:
            if self.context is None:
                from interviewer.tui.context import default_context

                self.context = (self.context_factory or default_context)()
            bank = self.context.load_bank()
        except Exception as exc:  # shown on the home screen, in one line
            self.call_from_thread(self._load_failed, str(exc))
            return
        self.call_from_thread(self._on_loaded, bank)

    def _load_failed(self, message: str) -> None:
        if self.home:
            self.home.show_error(message)

    def _on_loaded(self, bank: Any) -> None:
        from interviewer.practice.selection import due_count

        store = self.context.open_store()  # sqlite: opened on the thread that uses it
        sessions = [
            s
            for s in store.list_sessions()
            if s["mode"] == "interview" and s["status"] != "finished"
        ]
        tags = sorted({t for q in bank.questions for t in q.tags})
        if self.home:
            self.home.populate(
                total=len(bank.questions),
                tags=tags,
                graders=sorted(self.settings.models),
                depth=self.settings.follow_up_depth,
                sessions=sessions,
                due=due_count(store, bank, self.now()),
            )
        if self.settings.grader != "offline" or self.settings.models:
            self.run_worker(self._warm_model_library, thread=True, name="warm")
        if self.autostart:
            start, self.autostart = self.autostart, None
            if "resume" in start:
                self.resume_interview(start["resume"], grader=start["grader"])
            else:
                self.start_interview(**start)

    def _warm_model_library(self) -> None:
        """Import the model library the configured grader will need, off the event loop."""
        try:
            from interviewer.llm.spec import resolve_model

            names = (
                [self.settings.grader]
                if self.settings.grader != "offline"
                else list(self.settings.models)
            )
            routes = {resolve_model(n, self.settings).route for n in names}
        except Exception:
            return
        if "openai" in routes:
            import openai  # noqa: F401
        if "litellm" in routes:
            from interviewer.llm.client import import_litellm

            import_litellm()

    def now(self) -> Any:
        """The injected clock (tests, snapshots), else the wall clock: read here, at the edge."""
        from datetime import UTC, datetime

        return self.clock() if self.clock else datetime.now(UTC)

    # -- navigation ---------------------------------------------------------------------------

    def start_interview(
        self, *, mode: str, value: str, grader: str, lang: str, depth: int, time_limit: int | None
    ) -> None:
        from interviewer.engine.interview import Interview
        from interviewer.engine.selection import select_questions
        from interviewer.errors import InterviewerError, UsageError

        bank = self.context.load_bank()
        try:
            refs = value if mode == "chosen" else None
            sample = (
                int(value)
                if mode == "random" and value.isdigit()
                else (None if mode != "random" else -1)
            )
            tags = [value] if mode == "tag" else None
            if mode in ("due", "weakest"):  # spaced practice picks the questions
                from interviewer.practice.selection import due_questions, weakest_questions

                count = value.strip() or str(WEAKEST)
                if mode == "weakest" and not (count.isdigit() and int(count) > 0):
                    raise UsageError(
                        f"{value.strip()!r}: 最弱的题目数需是大于 0 的整数"
                        if lang == "zh"
                        else f"{value.strip()!r}: the number of weakest questions must be above 0"
                    )
                store = self.context.open_store()
                questions = (
                    due_questions(store, bank, self.now())
                    if mode == "due"
                    else weakest_questions(store, bank, int(count), self.now())
                )
            else:
                questions = select_questions(bank, refs=refs, sample=sample, tags=tags)
            interview = Interview.start(
                self.context.open_store(),
                bank,
                self.context.grader(grader),
                questions,
                language=lang,
                follow_up_depth=depth,
                time_limit_s=time_limit,
                banks=list(self.settings.banks),
                **({"clock": self.clock} if self.clock else {}),
            )
        except (InterviewerError, ValueError) as exc:
            if self.home:
                self.home.show_error(str(exc))
            return
        self._open(interview)

    def resume_interview(self, session_id: str, grader: str = "offline") -> None:
        from interviewer.engine.interview import Interview
        from interviewer.errors import InterviewerError

        try:
            interview = Interview.resume(
                self.context.open_store(),
                self.context.load_bank(),
                self.context.grader(grader),
                session_id,
            )
        except InterviewerError as exc:
            if self.home:
                self.home.show_error(str(exc))
            return
        self._open(interview)

    def _open(self, interview: Any) -> None:
        from interviewer.tui.screens.interview import InterviewScreen

        self.lang = interview.lang
        self.push_screen(InterviewScreen(interview))

    def show_stats(self) -> None:
        from interviewer.practice.stats import progress
        from interviewer.tui.screens.stats import StatsScreen

        if self.context is None or self.context.bank is None:
            return  # still loading: the home screen's button is not enabled yet either
        report = progress(self.context.open_store(), self.context.bank, self.now(), self.lang)
        self.push_screen(StatsScreen(report, self.lang))

    def show_summary(self, interview: Any, summary: dict) -> None:
        from interviewer.tui.screens.summary import SummaryScreen

        where = tr("saved_in", self.lang, path=interview.store.path, id=interview.session.id)
        self.switch_screen(SummaryScreen(summary, self.lang, where, interview))

    def action_go_home(self) -> None:
        while len(self.screen_stack) > 1:
            self.pop_screen()
        if self.context is not None and self.context.bank is not None:  # refresh the lists
            self.call_after_refresh(self._on_loaded, self.context.bank)

    def choose_grader(self, callback: Callable[[Any], None]) -> None:
        names = ["offline", *sorted(self.settings.models)]

        def chosen(name: str | None) -> None:
            from interviewer.errors import InterviewerError

            if not name:
                return
            try:
                grader = self.context.grader(name)
            except InterviewerError as exc:  # a missing key, say: one line, the app goes on
                self.notify(str(exc), severity="error", timeout=8)
                return
            callback(grader)

        self.push_screen(GraderChoice(tr("choose_grader", self.lang), names), chosen)

    async def action_quit(self) -> None:
        """Quitting mid-answer keeps the draft (and pauses the session)."""
        from interviewer.tui.screens.interview import InterviewScreen

        for screen in self.screen_stack:
            if isinstance(screen, InterviewScreen):
                screen.autosave()
                screen.iv.pause()
        self.exit()

    def action_help(self) -> None:
        rows = [
            (b.key, key_label(b.description, self.lang))
            for b in self._all_bindings()
            if b.show or b.description
        ]
        self.push_screen(HelpScreen(self.lang, rows))

    def _all_bindings(self) -> list[Binding]:
        bindings: list[Binding] = []
        for source in (self.screen, self):
            for binding in getattr(source, "BINDINGS", []):
                if isinstance(binding, Binding):
                    bindings.append(binding)
        return bindings

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for binding in getattr(screen, "BINDINGS", []):
            if isinstance(binding, Binding) and binding.description:
                action = binding.action
                yield SystemCommand(
                    key_label(binding.description, self.lang),
                    f"{binding.key}",
                    lambda a=action, s=screen: s.run_action(a),
                )  # type: ignore[misc]
        yield SystemCommand(key_label("Help", self.lang), "f1", self.action_help)


def run_tui(
    lang: str | None = None,
    context_factory: Callable[[], Any] | None = None,
    autostart: dict[str, Any] | None = None,
) -> int:
    InterviewerApp(context_factory=context_factory, lang=lang, autostart=autostart).run()
    return 0
