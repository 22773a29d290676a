"""Progress: the average score per day as a chart, then per question (answers, last, best,
trend, next review) and per tag; the same figures as `interviewer stats`."""

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from interviewer.practice.stats import question_cells, tag_cells
from interviewer.tui.i18n import tr
from interviewer.tui.keys import LocalizedKeys
from interviewer.tui.widgets import ScoreChart


class StatsScreen(LocalizedKeys, Screen[None]):
    BINDINGS = [Binding("escape", "app.pop_screen", "Back")]
    DEFAULT_CSS = """
    StatsScreen VerticalScroll { padding: 0 1; }
    StatsScreen #headline { text-style: bold; }
    StatsScreen #chart-label { color: $text-muted; margin: 1 0 0 0; }
    StatsScreen ScoreChart { height: 4; margin: 0 0 1 0; }
    StatsScreen DataTable { height: auto; max-height: 17; margin: 0 0 1 0; }
    """

    def __init__(self, report: Any, lang: str) -> None:
        super().__init__()
        self.report, self.lang = report, lang  # a practice.stats.Progress

    def compose(self) -> ComposeResult:
        r, t = self.report, self.lang
        days = r.overall
        with VerticalScroll():
            yield Static(
                tr(
                    "stats_headline",
                    t,
                    practised=r.practised,
                    total=r.total,
                    attempts=r.attempts,
                    due=r.due,
                ),
                id="headline",
            )
            if days:
                span = f"{days[0].date} … {days[-1].date}" if len(days) > 1 else days[0].date
                yield Static(tr("stats_chart", t, span=span), id="chart-label")
                # one bar per day: that day's average main-answer score
                yield ScoreChart([d.average for d in days], id="chart")
            else:
                yield Static(tr("stats_empty", t), id="chart-label")
            yield DataTable(id="questions", cursor_type="row", zebra_stripes=True)
            yield DataTable(id="tags", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        t = self.lang
        table = self.query_one("#questions", DataTable)
        table.add_columns(
            "#",
            tr("question_col", t),
            tr("answers_col", t),
            tr("last_col", t),
            tr("best_col", t),
            tr("trend_col", t),
            tr("next_col", t),
        )
        for q in self.report.questions:
            table.add_row(*question_cells(q, tr("due_now", t)), key=q.question_id)
        tags = self.query_one("#tags", DataTable)
        tags.add_columns(
            tr("tag_col", t),
            tr("practised_col", t),
            tr("answers_col", t),
            tr("average_col", t),
            tr("due_col", t),
        )
        for g in self.report.tags:
            tags.add_row(*tag_cells(g), key=g.tag)
        table.focus()
