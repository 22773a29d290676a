"""Choosing the follow-up question from a grade, like a real interviewer (DESIGN.md).

Ranking, first to last:
1. `challenge` a misconception the candidate stated (a probe listing it in `challenges`
   first, then any challenge probe): an interviewer pushes back at once.
2. `missed`: the probe whose targets carry the most missed weight, when the answer is not yet
   solid (core coverage below SOLID).
3. `deeper`: when the answer is solid, dig into what was covered, deep points first.
4. Then whatever remains: missed probes on a solid answer, deeper probes on a weak one, and
   challenge probes that push back on a covered claim.
Probes already asked are never repeated; probes with nothing to act on are left out.
"""

from collections.abc import Collection, Mapping

from interviewer.domain.grade import FollowUp
from interviewer.domain.rubric import Probe, Rubric
from interviewer.engine.scoring import credit
from interviewer.vocab import Depth, ProbeKind, Verdict

SOLID = 0.75  # core coverage from which an answer counts as solid


def core_coverage(rubric: Rubric, verdicts: Mapping[str, Verdict]) -> float:
    core = [kp for kp in rubric.key_points if kp.depth == Depth.CORE] or rubric.key_points
    total = sum(kp.weight for kp in core)
    return sum(kp.weight * credit(verdicts.get(kp.id, Verdict.MISSED)) for kp in core) / total


def choose_follow_ups(
    rubric: Rubric,
    verdicts: Mapping[str, Verdict],
    present: Collection[str] = (),
    asked: Collection[str] = (),
) -> list[FollowUp]:
    solid = core_coverage(rubric, verdicts) >= SOLID
    weights = {
        kp.id: kp.weight * (1.5 if kp.depth == Depth.DEEP else 1.0) for kp in rubric.key_points
    }

    def got(target: str) -> float:
        return credit(verdicts.get(target, Verdict.MISSED))

    ranked: list[tuple[int, float, int, Probe, str]] = []
    for order, probe in enumerate(rubric.probes):
        if probe.id in asked:
            continue
        targets = [t for t in probe.targets if t in weights]
        missed = sum(weights[t] * (1 - got(t)) for t in targets)
        covered = sum(weights[t] * got(t) for t in targets)
        if probe.kind == ProbeKind.CHALLENGE:
            if present:
                named = bool(set(probe.challenges) & set(present))
                ranked.append((0 if named else 1, 0.0, order, probe, "challenge_misconception"))
            elif covered > 0:
                ranked.append((6, -covered, order, probe, "challenge_claim"))
        elif probe.kind == ProbeKind.MISSED and missed > 0:
            ranked.append((2 if not solid else 4, -missed, order, probe, "missed_point"))
        elif probe.kind == ProbeKind.DEEPER and covered > 0:
            ranked.append((3 if solid else 5, -covered, order, probe, "go_deeper"))
    ranked.sort(key=lambda r: r[:3])
    return [
        FollowUp(probe_id=p.id, kind=p.kind, question=p.question, targets=p.targets, reason=reason)  # type: ignore[arg-type]
        for *_, p, reason in ranked
    ]
