"""A stored session rendered for reading: Markdown (also the plain-text view)."""

from interviewer.domain.session import Session


def _score(turn) -> str:  # type: ignore[no-untyped-def]
    grade = turn.grade
    if turn.skipped:
        return "skipped (0)"
    if grade is None:
        return f"not graded ({turn.status.value})"
    if grade.score is None:
        return f"{grade.status.value}"
    return f"{grade.score:g}/10 ({grade.grader.model})"


def overtime_note(limit_s: int | None) -> str:
    """Said next to an answer submitted after the session's time limit."""
    return f"(over the time limit of {limit_s}s)" if limit_s else "(over the time limit)"


def to_markdown(session: Session) -> str:
    out = [
        f"# Session {session.id}",
        "",
        f"- started: {session.created_at:%Y-%m-%d %H:%M} UTC",
        f"- mode: {session.mode}; status: {session.status}; grader: {session.grader}",
        f"- questions: {', '.join(session.question_ids)}",
    ]
    if session.summary:
        s = session.summary
        out.append(f"- overall: {s['verdict']} (average {s['average']:g}/10)")
    for turn in session.turns:
        level = "##" if turn.kind == "main" else "###"
        label = turn.question_id if turn.kind == "main" else f"follow-up ({turn.probe_id})"
        out += ["", f"{level} {label}", "", f"**Asked:** {turn.prompt}", ""]
        answer = turn.answer.strip() or "_(no answer)_"
        out += ["> " + line if line else ">" for line in answer.splitlines()]
        if turn.overtime:
            out += ["", f"_{overtime_note(session.time_limit_s)}_"]
        out += ["", f"**Grade:** {_score(turn)}"]
        if turn.hints:
            out.append(f"**Hints used:** {', '.join(turn.hints)}")
        grade = turn.grade
        if grade and not turn.skipped:
            marks = {"covered": "✓", "partial": "◐", "missed": "✗"}
            for r in grade.key_points:
                quote = (
                    f" — “{r.evidence[0].quote}”" if r.evidence and r.verdict != "missed" else ""
                )
                out.append(f"- {marks[r.verdict.value]} {r.id}{quote}")
            out += [f"- ✗ misconception: {m.id}" for m in grade.misconceptions if m.present]
        if turn.grade and turn.grade.feedback and not turn.skipped:
            out += ["", "```", turn.grade.feedback, "```"]
        if len(turn.grades) > 1:
            out.append(f"_{len(turn.grades)} grades kept; the last is shown._")
    return "\n".join(out) + "\n"
