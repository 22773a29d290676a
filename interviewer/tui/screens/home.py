"""Home: what to ask, which grader, language, follow-up depth, time limit; or resume."""

from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Label, Select, Static

from interviewer.tui.i18n import tr
from interviewer.tui.keys import LocalizedKeys


class HomeScreen(LocalizedKeys, Screen[None]):
    BINDINGS = [Binding("f2", "stats", "Progress")]
    DEFAULT_CSS = """
    HomeScreen VerticalScroll { padding: 0 1; }
    HomeScreen #title { text-style: bold; margin: 0 0 1 0; }
    HomeScreen Grid { grid-size: 2; grid-columns: 24 1fr; grid-rows: 1; grid-gutter: 1 1; height: 11; }
    HomeScreen Input { border: none; height: 1; padding: 0 1; background: $boost; }
    HomeScreen Input:focus { background: $accent 30%; }
    HomeScreen Select { height: 1; }
    HomeScreen SelectCurrent { border: none; height: 1; padding: 0 1; background: $boost; }
    HomeScreen Select:focus > SelectCurrent { background: $accent 30%; }
    HomeScreen SelectOverlay { max-height: 12; }
    HomeScreen #row { height: 1; }
    HomeScreen #row Select { width: 1fr; }
    HomeScreen #row Input { width: 22; margin: 0 0 0 1; }
    HomeScreen #reach { color: $text-muted; height: auto; margin: 1 0 0 0; }
    HomeScreen #due { height: auto; margin: 1 0 0 0; }
    HomeScreen #buttons { height: auto; margin: 1 0 0 0; }
    HomeScreen Button { margin: 0 1 0 0; }
    HomeScreen #status { color: $warning; height: auto; }
    """

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang = lang

    def compose(self) -> ComposeResult:
        # the first frame is just this; the form is mounted right after it is painted
        with VerticalScroll(id="page"):
            yield Static(tr("title", self.lang), id="title")
            yield Static(tr("loading", self.lang), id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.call_after_refresh(self._build_form)

    async def _build_form(self) -> None:
        t = self.lang
        row = Horizontal(
            Select([(tr("all", t), "all")], value="all", allow_blank=False, id="mode"),
            Input(placeholder=tr("selection_value", t), id="value"),
            id="row",
        )
        grid = Grid(
            Label(tr("selection", t)),
            row,
            Label(tr("grader", t)),
            Select(
                [(tr("offline", t), "offline")], value="offline", allow_blank=False, id="grader"
            ),
            Label(tr("language", t)),
            Select([("中文", "zh"), ("English", "en")], value=t, allow_blank=False, id="lang"),
            Label(tr("depth", t)),
            Select([(str(d), d) for d in range(4)], value=2, allow_blank=False, id="depth"),
            Label(tr("time_limit", t)),
            Input(placeholder="300", id="time_limit", type="integer"),
            Label(tr("unfinished", t)),
            Select([], prompt=tr("none_unfinished", t), id="sessions"),
        )
        buttons = Horizontal(
            Button(tr("start", t), variant="primary", id="start", disabled=True),
            Button(tr("resume", t), id="resume", disabled=True),
            Button(tr("review", t), id="review", disabled=True),
            Button(tr("progress_button", t), id="stats", disabled=True),
            id="buttons",
        )
        await self.query_one("#page", VerticalScroll).mount(
            grid, Static("", id="due"), Static("", id="reach"), buttons
        )
        self.app.home_mounted(self)  # type: ignore[attr-defined]

    def populate(
        self,
        *,
        total: int,
        tags: list[str],
        graders: list[str],
        depth: int,
        sessions: list[dict[str, Any]],
        due: int = 0,
    ) -> None:
        """Fill in what needed the bank, the settings and the database (after the first frame)."""
        t = self.lang
        self.query_one("#status", Static).update("")
        self.query_one("#mode", Select).set_options(
            [
                (tr("all", t), "all"),
                (tr("random", t), "random"),
                (tr("by_tag", t), "tag"),
                (tr("chosen", t), "chosen"),
                (tr("due_mode", t), "due"),
                (tr("weakest_mode", t), "weakest"),
            ]
        )
        self.query_one("#mode", Select).value = "all"
        self.tags = tags
        grader = self.query_one("#grader", Select)
        grader.set_options([(tr("offline", t), "offline"), *((g, g) for g in graders)])
        grader.value = graders[0] if self.app.settings.grader in graders else "offline"  # type: ignore[attr-defined]
        if self.app.settings.grader in graders:  # type: ignore[attr-defined]
            grader.value = self.app.settings.grader  # type: ignore[attr-defined]
        self.query_one("#depth", Select).value = depth
        options = [
            (
                f"{s['id']} · {s['created_at'][:16].replace('T', ' ')} · {s['answered']}/{s['questions']}",
                s["id"],
            )
            for s in sessions
        ]
        self.query_one("#sessions", Select).set_options(options)
        if options:
            self.query_one("#sessions", Select).value = options[0][1]
        self.query_one("#start", Button).disabled = False
        self.query_one("#resume", Button).disabled = not options
        self.query_one("#review", Button).disabled = False
        self.query_one("#stats", Button).disabled = False
        self.query_one("#due", Static).update(
            tr("due_count", t, n=due) if due else tr("nothing_due", t)
        )

    def show_error(self, message: str) -> None:
        self.query_one("#status", Static).update(message)

    @on(Select.Changed, "#grader")
    def grader_changed(self, event: Select.Changed) -> None:
        if event.value and event.value != "offline":
            self.query_one("#reach", Static).update(tr("checking", self.lang))
            self.check_reachability(str(event.value))
        else:
            self.query_one("#reach", Static).update("")

    @work(exclusive=True, group="reach")
    async def check_reachability(self, name: str) -> None:
        from interviewer.commands.models import ping

        result = await ping(self.app.settings, name)  # type: ignore[attr-defined]
        text = (
            tr("reachable", self.lang, ms=result["latency_ms"])
            if result["reachable"]
            else tr("unreachable", self.lang, error=result["error"])
        )
        self.query_one("#reach", Static).update(f"{name}: {text}")

    @on(Button.Pressed, "#start")
    def start(self) -> None:
        value = self.query_one("#value", Input).value.strip()
        limit = self.query_one("#time_limit", Input).value.strip()
        self.app.start_interview(  # type: ignore[attr-defined]
            mode=str(self.query_one("#mode", Select).value),
            value=value,
            grader=str(self.query_one("#grader", Select).value),
            lang=str(self.query_one("#lang", Select).value),
            depth=int(self.query_one("#depth", Select).value),  # type: ignore[arg-type]
            time_limit=int(limit) if limit.isdigit() and int(limit) > 0 else None,
        )

    @on(Button.Pressed, "#review")
    def review(self) -> None:
        from interviewer.tui.screens.review import ReviewScreen

        self.app.push_screen(ReviewScreen(self.app.context.open_store(), self.lang))  # type: ignore[attr-defined]

    @on(Button.Pressed, "#stats")
    def action_stats(self) -> None:
        self.app.show_stats()  # type: ignore[attr-defined]

    @on(Button.Pressed, "#resume")
    def resume(self) -> None:
        session = self.query_one("#sessions", Select).value
        if isinstance(session, str):
            self.app.resume_interview(session, grader=str(self.query_one("#grader", Select).value))  # type: ignore[attr-defined]
