"""Two graders side by side on the same stored answers: scores, verdicts, agreement."""

from dataclasses import dataclass

from interviewer import agreement as ag
from interviewer.domain.grade import Grade
from interviewer.domain.session import Turn
from interviewer.vocab import GradeStatus


@dataclass(frozen=True)
class Pair:
    session_id: str
    turn: Turn
    a: Grade
    b: Grade

    def verdict_differences(self) -> list[tuple[str, str, str]]:
        """(key point id, verdict by A, verdict by B) where the two differ."""
        b_by_id = {r.id: r.verdict for r in self.b.key_points}
        return [
            (r.id, r.verdict.value, b_by_id[r.id].value)
            for r in self.a.key_points
            if r.id in b_by_id and b_by_id[r.id] != r.verdict
        ]


def newest_by(turn: Turn, model: str) -> Grade | None:
    """The newest complete grade of this turn whose grader ran this model."""
    for grade in reversed(turn.grades):
        if grade.status == GradeStatus.GRADED and grade.grader.model == model:
            return grade
    return None


def pair_up(turns: list[tuple[str, Turn]], model_a: str, model_b: str) -> tuple[list[Pair], int]:
    """The turns graded by both, and how many were graded by only one (or neither)."""
    pairs, unpaired = [], 0
    for sid, turn in turns:
        if turn.skipped or not turn.answer.strip():
            continue  # nothing was answered: no grader judged anything
        a, b = newest_by(turn, model_a), newest_by(turn, model_b)
        if a and b:
            pairs.append(Pair(sid, turn, a, b))
        elif a or b:
            unpaired += 1
    return pairs, unpaired


def figures(pairs: list[Pair]) -> dict:
    a = [p.a.score or 0.0 for p in pairs]
    b = [p.b.score or 0.0 for p in pairs]
    verdicts = same = 0
    for p in pairs:
        b_by_id = {r.id: r.verdict for r in p.b.key_points}
        for r in p.a.key_points:
            if r.id in b_by_id:
                verdicts += 1
                same += b_by_id[r.id] == r.verdict
    return {
        "n": len(pairs),
        "pearson": ag.rounded(ag.pearson(a, b)),
        "spearman": ag.rounded(ag.spearman(a, b)),
        "mae": ag.rounded(ag.mae(a, b)),
        "mean_difference": ag.rounded(sum(y - x for x, y in zip(a, b, strict=True)) / len(a))
        if a
        else None,
        "verdict_agreement": ag.rounded(same / verdicts) if verdicts else None,
        "verdicts_compared": verdicts,
    }
