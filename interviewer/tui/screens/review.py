"""Review past sessions: a filterable list; open one to read every turn, grade and follow-up;
export it; resume it if unfinished."""

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Static

from interviewer.store.filters import SessionFilter, table_cells, table_headers
from interviewer.tui.i18n import tr
from interviewer.tui.keys import LocalizedKeys


class ReviewScreen(LocalizedKeys, Screen[None]):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("enter", "open", "Open", show=False),
        Binding("ctrl+e", "export", "Export HTML"),
        Binding("ctrl+u", "resume", "Resume"),
    ]
    DEFAULT_CSS = """
    ReviewScreen #filter { border: none; height: 1; background: $boost; margin: 0 1; }
    ReviewScreen DataTable { height: 1fr; margin: 0 1; }
    ReviewScreen #reading { height: 2fr; padding: 0 1; border-top: solid $accent; }
    ReviewScreen #note { height: auto; color: $text-muted; padding: 0 1; }
    """

    def __init__(self, store: Any, lang: str, focus: tuple[str, str] | None = None) -> None:
        super().__init__()
        self.store, self.lang = store, lang
        self.rows: list[dict[str, Any]] = []
        self.focus = focus  # (session id, question id): opened from a gap in the summary

    def compose(self) -> ComposeResult:
        yield Input(placeholder=tr("review_filter", self.lang), id="filter")
        yield DataTable(id="sessions", cursor_type="row", zebra_stripes=True)
        with VerticalScroll(id="reading"):
            yield Static("", id="transcript")
        yield Static("", id="note")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(*table_headers(self.lang))
        self.refresh_rows("")
        table.focus()
        if self.focus and self.focus[0] in [r["id"] for r in self.rows]:
            table.move_cursor(row=[r["id"] for r in self.rows].index(self.focus[0]))
            self.show_session(self.focus[0], self.focus[1])

    def refresh_rows(self, text: str) -> None:
        rows = SessionFilter.parse(text).apply(self.store)
        self.rows = rows
        table = self.query_one(DataTable)
        table.clear()
        for r in rows:
            table.add_row(*table_cells(r), key=r["id"])
        self.query_one("#note", Static).update(tr("review_count", self.lang, n=len(rows)))

    @on(Input.Changed, "#filter")
    def filter_changed(self, event: Input.Changed) -> None:
        self.refresh_rows(event.value)

    @on(DataTable.RowHighlighted)
    def highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key and event.row_key.value:
            sid = str(event.row_key.value)
            self.show_session(sid, self.focus[1] if self.focus and self.focus[0] == sid else None)

    def selected(self) -> str | None:
        table = self.query_one(DataTable)
        if not self.rows or table.cursor_row is None or table.cursor_row >= len(self.rows):
            return None
        return self.rows[table.cursor_row]["id"]

    def show_session(self, session_id: str, question_id: str | None = None) -> None:
        """The session turn by turn; with a question, starting at that question's turns."""
        from interviewer.transcript import to_markdown

        session = self.store.session(session_id, with_turns=True)
        text = to_markdown(session, self.lang)
        if question_id:
            at = text.find(f"## {question_id}")
            text = text[at:] if at >= 0 else text
        self.query_one("#transcript", Static).update(text)

    def action_open(self) -> None:
        sid = self.selected()
        if sid:
            self.show_session(sid)
            self.query_one("#reading", VerticalScroll).focus()

    def action_export(self) -> None:
        from interviewer import paths
        from interviewer.export import render

        sid = self.selected()
        if not sid:
            return
        out = paths.data_dir() / "exports" / f"session-{sid}.html"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(
            render(self.store.session(sid, with_turns=True), "html", self.store.history()),
            encoding="utf-8",
        )
        self.query_one("#note", Static).update(tr("exported", self.lang, path=out))

    def action_resume(self) -> None:
        sid = self.selected()
        row = next((r for r in self.rows if r["id"] == sid), None)
        if row is None or row["mode"] != "interview" or row["status"] == "finished":
            self.query_one("#note", Static).update(tr("not_resumable", self.lang))
            return
        self.app.pop_screen()
        self.app.resume_interview(sid)  # type: ignore[attr-defined]
