"""Widgets for the interview conversation: turns, and a grade that fills in as it streams."""

from rich.markup import escape
from rich.text import Text
from textual.widgets import Static

from interviewer.domain.grade import Grade
from interviewer.domain.rubric import Question
from interviewer.vocab import GradeStatus, Verdict

MARKS = {
    Verdict.COVERED: ("✓", "green"),
    Verdict.PARTIAL: ("◐", "yellow"),
    Verdict.MISSED: ("✗", "red"),
}


class TurnView(Static):
    """One message of the conversation: the interviewer's question or the candidate's answer."""

    DEFAULT_CSS = """
    TurnView { margin: 1 0 0 0; padding: 0 1; }
    TurnView.interviewer { border-left: thick $accent; }
    TurnView.candidate { border-left: thick $secondary; color: $text-muted; }
    TurnView.notice { border-left: thick $warning; }
    """

    def __init__(self, who: str, text: str, kind: str) -> None:
        super().__init__(f"[b]{escape(who)}[/b]\n{escape(text)}", classes=kind)


class GradeView(Static):
    """Score, key-point checklist with evidence, misconceptions with corrections, feedback."""

    DEFAULT_CSS = """
    GradeView { margin: 1 0 0 0; padding: 0 1; border-left: thick $success; }
    """

    def __init__(
        self, question: Question, lang: str, probe_texts: dict[str, str] | None = None
    ) -> None:
        super().__init__("")
        self.question, self.lang = question, lang
        self.probe_texts = probe_texts  # for a follow-up: expected point id -> text

    def show(self, grade: Grade) -> None:
        self.update(render_grade(grade, self.question, self.lang, self.probe_texts))


def render_grade(
    grade: Grade, q: Question, lang: str, probe_texts: dict[str, str] | None = None
) -> Text:
    out = Text()
    if grade.status == GradeStatus.UNGRADED:
        out.append("ungraded\n", style="bold red")
    elif grade.score is not None:
        label = "…" if grade.status == GradeStatus.PARTIAL else ""
        out.append(f"{grade.score:g}/10{label}", style="bold")
        out.append(f"  ({grade.grader.model})\n", style="dim")
    if grade.grader.kind == "offline" and grade.status == GradeStatus.GRADED:
        # the offline feedback already holds the checklist with quotes, and says what it is
        out.append(grade.feedback.strip() + "\n")
        return out
    texts = probe_texts or {kp.id: kp.text.get(lang) for kp in q.key_points}  # type: ignore[arg-type]
    for result in grade.key_points:
        mark, style = MARKS[result.verdict]
        out.append(f"{mark} ", style=style)
        out.append(texts.get(result.id, result.id))
        if result.evidence and result.verdict != Verdict.MISSED:
            out.append(f"\n    “{result.evidence[0].quote}”", style="italic dim")
        if "unsupported_quote" in result.flags:
            out.append("  [quote not in the answer]", style="dim red")
        out.append("\n")
    stated = {m.id: m for m in q.misconceptions}
    for m in grade.misconceptions:
        if m.present and m.id in stated:
            out.append(f"✗ {stated[m.id].text.get(lang)}\n", style="bold red")  # type: ignore[arg-type]
            out.append(f"  → {stated[m.id].correction.get(lang)}\n")  # type: ignore[arg-type]
    if grade.status != GradeStatus.PARTIAL and grade.feedback:
        out.append("\n" + grade.feedback.strip() + "\n", style="")
    return out


class ScoreChart(Static):
    """Scores as bars on a fixed 0-10 scale (a sparkline rescales to its own min and max, so
    one day at 2.8 would look like a perfect score). One bar per value, newest on the right;
    the oldest are dropped when they do not fit."""

    BARS = " ▁▂▃▄▅▆▇█"
    ROWS = 4

    def __init__(self, scores: list[float], **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.scores = scores

    def render(self) -> Text:
        fits = max(1, (self.size.width - 4) // 2)
        shown = self.scores[-fits:]
        text = Text()
        for row in range(self.ROWS):
            level = self.ROWS - 1 - row  # from the bottom
            text.append({0: " 0 ┤", self.ROWS - 1: "10 ┤"}.get(level, "   │"), style="dim")
            for score in shown:
                fill = min(max(score / 10 * self.ROWS - level, 0.0), 1.0)
                colour = "red" if score < 5 else "yellow" if score < 7.5 else "green"
                text.append(self.BARS[round(fill * 8)] + " ", style=colour)
            text.append("\n" if row < self.ROWS - 1 else "")
        return text
