"""The end-of-session summary, derived from the grades only.

- question score: the main answer's score (a skipped question scores 0); follow-up scores are
  listed beside it.
- per-tag averages: mean question score of the questions carrying the tag.
- strengths: questions scoring >= STRENGTH; gaps: core key points missed, and questions
  scoring < GAP.
- overall verdict from the mean question score: >= 8 strong, >= 6 ready, else needs work.
"""

from statistics import fmean

from interviewer.domain.grade import Grade
from interviewer.domain.rubric import Question
from interviewer.domain.session import Turn
from interviewer.vocab import Depth, GradeStatus, Verdict

STRENGTH = 7.5
GAP = 5.0
VERDICTS = ((8.0, "strong"), (6.0, "ready"), (0.0, "needs work"))


def verdict_for(mean: float) -> str:
    return next(name for floor, name in VERDICTS if mean >= floor)


def summarize(questions: list[Question], turns: list[Turn], lang: str = "en") -> dict:
    by_id = {q.id: q for q in questions}
    rows = []
    for main in (t for t in turns if t.kind == "main"):
        q = by_id.get(main.question_id)
        follow = [t for t in turns if t.parent_id == main.id]
        grade = current_grade(main)
        graded = main.skipped or grade is not None
        score = 0.0 if main.skipped or grade is None or grade.score is None else grade.score
        missed = []
        if q and grade and not main.skipped:
            verdicts = {r.id: r.verdict for r in grade.key_points}
            missed = [
                {"id": kp.id, "text": kp.text.get(lang)}  # type: ignore[arg-type]
                for kp in q.key_points
                if kp.depth == Depth.CORE and verdicts.get(kp.id, Verdict.MISSED) == Verdict.MISSED
            ]
        rows.append(
            {
                "question_id": main.question_id,
                "number": q.number if q else None,
                "title": q.title.get(lang) if q else main.question_id,  # type: ignore[arg-type]
                "tags": q.tags if q else [],
                "turn_id": main.id,
                "score": score,
                "graded": graded,
                "skipped": main.skipped,
                "hints": len(main.hints),
                "overtime": main.overtime,
                "follow_ups": [
                    {
                        "turn_id": t.id,
                        "probe_id": t.probe_id,
                        "skipped": t.skipped,
                        "score": (
                            current_grade(t).score if current_grade(t) and not t.skipped else None
                        ),
                    }
                    for t in follow
                ],
                "missed_core": missed,
            }
        )
    # an answer the grader could not grade (failed, ungraded) is neither 0 nor a pass: it is
    # reported apart and left out of every average
    counted = [r for r in rows if r["graded"]]
    tags: dict[str, list[float]] = {}
    for row in counted:
        for tag in row["tags"]:
            tags.setdefault(tag, []).append(row["score"])
    mean = fmean(r["score"] for r in counted) if counted else 0.0
    return {
        "questions": rows,
        "answered": sum(1 for r in rows if not r["skipped"] and r["graded"]),
        "skipped": sum(1 for r in rows if r["skipped"]),
        "ungraded": [r["question_id"] for r in rows if not r["graded"]],
        "average": round(mean, 1),
        "tags": {tag: round(fmean(v), 1) for tag, v in sorted(tags.items())},
        "strengths": [r["question_id"] for r in counted if r["score"] >= STRENGTH],
        "gaps": {
            "questions": [r["question_id"] for r in counted if r["score"] < GAP],
            "key_points": [
                {"question_id": r["question_id"], "turn_id": r["turn_id"], **kp}
                for r in rows
                for kp in r["missed_core"]
            ],
        },
        "verdict": verdict_for(mean) if counted else "needs work",
    }


def current_grade(turn: Turn) -> Grade | None:
    """The newest complete grade of a turn: a later partial (a cancelled regrade) or ungraded
    one does not replace it."""
    for grade in reversed(turn.grades):
        if grade.status == GradeStatus.GRADED:
            return grade
    return None
