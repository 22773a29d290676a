"""Sessions out of (and back into) the store: Markdown, JSON that round-trips, and a
self-contained HTML report (no network resources)."""

import html
import json

from pydantic import BaseModel, ConfigDict, ValidationError

from interviewer.domain.session import Session, Turn
from interviewer.errors import UsageError
from interviewer.transcript import overtime_note, to_markdown
from interviewer.vocab import Verdict

FORMAT = "interviewer.session/1"


class SessionFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    format: str
    session: Session


def to_json(session: Session) -> str:
    return SessionFile(format=FORMAT, session=session).model_dump_json(indent=2)


def from_json(text: str, source: str) -> Session:
    """A session from an exported JSON file; one-line errors that name the file and field."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError(f"{source}: not JSON ({exc.msg} at line {exc.lineno})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise UsageError(
            f"{source}: not an interviewer session export (format {FORMAT!r} expected)"
        )
    try:
        return SessionFile.model_validate(data).session
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        raise UsageError(f"{source}: {where}: {err['msg']}") from None


def _highlight(answer: str, spans: list[tuple[int, int]]) -> str:
    """The answer as HTML with the evidence spans marked."""
    out, pos = [], 0
    for start, end in sorted(spans):
        if start < pos:
            continue
        out += [html.escape(answer[pos:start]), f"<mark>{html.escape(answer[start:end])}</mark>"]
        pos = end
    out.append(html.escape(answer[pos:]))
    return "".join(out).replace("\n", "<br>")


def _turn_html(turn: Turn, time_limit_s: int | None = None) -> str:
    grade = turn.grade
    spans = []
    if grade:
        for r in grade.key_points:
            if r.verdict != Verdict.MISSED:
                spans += [
                    (e.start, e.end)
                    for e in r.evidence
                    if e.start is not None and e.end is not None
                ]
    score = (
        "skipped"
        if turn.skipped
        else (f"{grade.score:g}/10" if grade and grade.score is not None else "not graded")
    )
    overtime = (
        f"<p class='overtime'>{html.escape(overtime_note(time_limit_s))}</p>"
        if turn.overtime
        else ""
    )
    parts = [
        f"<div class='turn {turn.kind}'>",
        f"<p class='ask'>{html.escape(turn.prompt)}</p>",
        f"<blockquote>{_highlight(turn.answer, spans) or '<em>(no answer)</em>'}</blockquote>",
        overtime,
        f"<p class='score'>{score}"
        + (f" <span class='by'>{html.escape(grade.grader.model)}</span>" if grade else "")
        + "</p>",
    ]
    if grade:
        items = []
        for r in grade.key_points:
            mark = {"covered": "✓", "partial": "◐", "missed": "✗"}[r.verdict.value]
            quote = (
                f" — “{html.escape(r.evidence[0].quote)}”"
                if r.evidence and r.verdict != Verdict.MISSED
                else ""
            )
            items.append(f"<li class='{r.verdict.value}'>{mark} {html.escape(r.id)}{quote}</li>")
        items += [
            f"<li class='wrong'>✗ misconception: {html.escape(m.id)}</li>"
            for m in grade.misconceptions
            if m.present
        ]
        parts.append(f"<ul>{''.join(items)}</ul>")
        if grade.feedback:
            parts.append(f"<pre>{html.escape(grade.feedback)}</pre>")
    parts.append("</div>")
    return "".join(parts)


def _chart(points: list[tuple[str, float]]) -> str:
    """Average score per session over time, as inline SVG."""
    if len(points) < 2:
        return ""
    width, height, pad = 640, 160, 24
    step = (width - 2 * pad) / (len(points) - 1)
    coords = [
        (pad + i * step, height - pad - (score / 10) * (height - 2 * pad))
        for i, (_, score) in enumerate(points)
    ]
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
    dots = "".join(
        f"<circle cx='{x:.1f}' cy='{y:.1f}' r='3'><title>{html.escape(d)}: {s:g}</title></circle>"
        for (x, y), (d, s) in zip(coords, points, strict=True)
    )
    return (
        f"<svg viewBox='0 0 {width} {height}' class='chart' role='img' aria-label='average score per session'>"
        f"<line x1='{pad}' y1='{height - pad}' x2='{width - pad}' y2='{height - pad}' stroke='#999'/>"
        f"<polyline points='{line}' fill='none' stroke='#3465a4' stroke-width='2'/>{dots}</svg>"
    )


CSS = """
body{font-family:system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;line-height:1.5}
.turn{border-left:4px solid #3465a4;padding:.2rem 1rem;margin:1rem 0}.turn.follow_up{margin-left:2rem;border-color:#75507b}
.ask{font-weight:600}blockquote{background:#f6f6f6;padding:.5rem 1rem;margin:.5rem 0}mark{background:#c8f7c5}
.score{font-weight:700}.by{font-weight:400;color:#777}li.covered{color:#2e7d32}li.partial{color:#b26a00}
li.missed,li.wrong{color:#c62828}pre{white-space:pre-wrap;font-family:inherit;color:#333}
.chart{width:100%;height:auto}circle{fill:#3465a4}.overtime{color:#b26a00;font-style:italic}
"""


def to_html(sessions: list[Session], history: list[tuple[str, float]] | None = None) -> str:
    """One self-contained page: every turn with its grade, and a chart of scores over time."""
    body = []
    for s in sessions:
        verdict = f" · {s.summary['verdict']} ({s.summary['average']:g}/10)" if s.summary else ""
        body.append(
            f"<h2>Session {html.escape(s.id)}</h2><p>{s.created_at:%Y-%m-%d %H:%M} UTC · {html.escape(s.grader)}{html.escape(verdict)}</p>"
        )
        body += [_turn_html(t, s.time_limit_s) for t in s.turns]
    chart = _chart(history or [])
    return (
        "<!doctype html><html><head><meta charset='utf-8'><title>interviewer transcript</title>"
        f"<style>{CSS}</style></head><body><h1>Interview transcripts</h1>"
        + (f"<h2>Scores over time</h2>{chart}" if chart else "")
        + "".join(body)
        + "</body></html>"
    )


def render(session: Session, fmt: str, history: list[tuple[str, float]] | None = None) -> str:
    if fmt == "md":
        return to_markdown(session)
    if fmt == "json":
        return to_json(session)
    return to_html([session], history)
