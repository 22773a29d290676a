"""A stored session rendered for reading: Markdown (also the plain-text view), in en or zh."""

from interviewer.domain.session import Session

LABELS = {
    "en": {
        "session": "Session",
        "started": "started",
        "mode": "mode: {mode}; status: {status}; grader: {grader}",
        "questions": "questions",
        "overall": "overall: {verdict} (average {average:g}/10)",
        "follow_up": "follow-up ({probe})",
        "asked": "Asked",
        "no_answer": "(no answer)",
        "grade": "Grade",
        "hints": "Hints used",
        "misconception": "misconception",
        "skipped": "skipped (0)",
        "not_graded": "not graded ({status})",
        "kept": "{n} grades kept; the current one is shown.",
        "over": "(over the time limit of {limit}s)",
        "over_plain": "(over the time limit)",
    },
    "zh": {
        "session": "会话",
        "started": "开始",
        "mode": "模式:{mode};状态:{status};评分器:{grader}",
        "questions": "题目",
        "overall": "总体:{verdict}(平均 {average:g}/10)",
        "follow_up": "追问({probe})",
        "asked": "提问",
        "no_answer": "(未作答)",
        "grade": "评分",
        "hints": "使用的提示",
        "misconception": "误解",
        "skipped": "已跳过(0)",
        "not_graded": "未评分({status})",
        "kept": "保留了 {n} 次评分;显示的是当前评分。",
        "over": "(超过 {limit} 秒时限)",
        "over_plain": "(超过时限)",
    },
}


def _score(turn, t: dict[str, str]) -> str:  # type: ignore[no-untyped-def]
    grade = turn.grade
    if turn.skipped:
        return t["skipped"]
    if grade is None:
        return t["not_graded"].format(status=turn.status.value)
    if grade.score is None:
        return f"{grade.status.value}"
    return f"{grade.score:g}/10 ({grade.grader.model})"


def overtime_note(limit_s: int | None, lang: str = "en") -> str:
    """Said next to an answer submitted after the session's time limit."""
    t = LABELS.get(lang, LABELS["en"])
    return t["over"].format(limit=limit_s) if limit_s else t["over_plain"]


def to_markdown(session: Session, lang: str = "en") -> str:
    t = LABELS.get(lang, LABELS["en"])
    out = [
        f"# {t['session']} {session.id}",
        "",
        f"- {t['started']}: {session.created_at:%Y-%m-%d %H:%M} UTC",
        "- " + t["mode"].format(mode=session.mode, status=session.status, grader=session.grader),
        f"- {t['questions']}: {', '.join(session.question_ids)}",
    ]
    if session.summary:
        s = session.summary
        out.append("- " + t["overall"].format(verdict=s["verdict"], average=s["average"]))
    for turn in session.turns:
        level = "##" if turn.kind == "main" else "###"
        label = (
            turn.question_id if turn.kind == "main" else t["follow_up"].format(probe=turn.probe_id)
        )
        out += ["", f"{level} {label}", "", f"**{t['asked']}:** {turn.prompt}", ""]
        answer = turn.answer.strip() or f"_{t['no_answer']}_"
        out += ["> " + line if line else ">" for line in answer.splitlines()]
        if turn.overtime:
            out += ["", f"_{overtime_note(session.time_limit_s, lang)}_"]
        out += ["", f"**{t['grade']}:** {_score(turn, t)}"]
        if turn.hints:
            out.append(f"**{t['hints']}:** {', '.join(turn.hints)}")
        grade = turn.grade
        if grade and not turn.skipped:
            marks = {"covered": "✓", "partial": "◐", "missed": "✗"}
            for r in grade.key_points:
                quote = (
                    f" — “{r.evidence[0].quote}”" if r.evidence and r.verdict != "missed" else ""
                )
                out.append(f"- {marks[r.verdict.value]} {r.id}{quote}")
            out += [f"- ✗ {t['misconception']}: {m.id}" for m in grade.misconceptions if m.present]
        if turn.grade and turn.grade.feedback and not turn.skipped:
            out += ["", "```", turn.grade.feedback, "```"]
        if len(turn.grades) > 1:
            out.append(f"_{t['kept'].format(n=len(turn.grades))}_")
    return "\n".join(out) + "\n"
