"""The session summary: scores, tags, strengths, gaps, verdict, where it is saved."""

from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, OptionList, Static

from interviewer.tui.i18n import VERDICTS, tr
from interviewer.tui.keys import LocalizedKeys


class SummaryScreen(LocalizedKeys, Screen[None]):
    BINDINGS = [Binding("h", "app.go_home", "Home"), Binding("q", "app.quit", "Quit")]
    DEFAULT_CSS = """
    SummaryScreen VerticalScroll { padding: 0 1; }
    SummaryScreen DataTable { height: auto; max-height: 12; margin: 1 0; }
    SummaryScreen #verdict { text-style: bold; }
    SummaryScreen #gaps { height: auto; max-height: 8; }
    """

    def __init__(self, summary: dict, lang: str, where: str, interview: Any = None) -> None:
        super().__init__()
        self.summary, self.lang, self.where = summary, lang, where
        self.interview = interview  # a model grader writes a debrief in the background

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Jump from a gap to the turns of its question in the review screen."""
        if self.interview is None:
            return
        from interviewer.tui.screens.review import ReviewScreen

        gap = self.summary["gaps"]["key_points"][event.option_index]
        focus = (self.interview.session.id, gap["question_id"])
        self.app.push_screen(ReviewScreen(self.interview.store, self.lang, focus))

    @work(exclusive=True)
    async def write_debrief(self) -> None:
        text = await self.interview.debrief()
        if text:
            self.query_one("#debrief", Static).update(text)

    def compose(self) -> ComposeResult:
        s, t = self.summary, self.lang
        verdict = VERDICTS.get(s["verdict"], {}).get(t, s["verdict"])
        with VerticalScroll():
            yield Static(f"[b]{tr('summary', t)}[/b]")
            yield Static(
                tr(
                    "verdict",
                    t,
                    verdict=verdict,
                    average=s["average"],
                    answered=s["answered"],
                    skipped=s["skipped"],
                ),
                id="verdict",
            )
            yield DataTable(id="scores", cursor_type="row", zebra_stripes=True)
            if s["tags"]:
                tags = ", ".join(f"{k} {v:g}" for k, v in s["tags"].items())
                yield Static(f"{tr('by_tag_avg', t)}: {tags}")
            if s["strengths"]:
                yield Static(f"{tr('strengths', t)}: {', '.join(s['strengths'])}")
            gaps = s["gaps"]["key_points"]
            if gaps:
                yield Static(f"{tr('gaps', t)} ({tr('gaps_jump', t)}):")
                yield OptionList(*(f"[{g['question_id']}] {g['text']}" for g in gaps), id="gaps")
            yield Static(s.get("debrief", ""), id="debrief")
            yield Static(self.where)
        yield Footer()

    def on_mount(self) -> None:
        if self.interview is not None and "debrief" not in self.summary:
            self.write_debrief()
        table = self.query_one(DataTable)
        t = self.lang
        table.add_columns("#", tr("question_col", t), tr("score_col", t), tr("follow_col", t))
        for row in self.summary["questions"]:
            follow = " ".join(
                "-" if f["score"] is None else f"{f['score']:g}" for f in row["follow_ups"]
            )
            score = (
                tr("skipped_col", t)
                if row["skipped"]
                else (f"{row['score']:g}" if row["graded"] else "—")
            )
            table.add_row(str(row["number"]), row["title"], score, follow)
