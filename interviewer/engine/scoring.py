"""The score formula: one function used by every grader (docs/rubric-format.md, section 2).

A grader judges each rubric item; the 0-10 score is computed here from those verdicts and the
rubric weights, never asked of a model.
"""

from collections.abc import Collection, Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal

from interviewer.domain.rubric import KeyPoint, Rubric
from interviewer.vocab import Depth, Verdict

CORE_SHARE = 6.0
DEEP_SHARE = 4.0
PARTIAL_CREDIT = 0.5
MAX_SCORE = 10.0

_CREDIT = {Verdict.COVERED: 1.0, Verdict.PARTIAL: PARTIAL_CREDIT, Verdict.MISSED: 0.0}


def credit(verdict: Verdict, hinted: bool = False) -> float:
    """Credit for one point; a point revealed by a hint earns at most partial credit."""
    value = _CREDIT[Verdict(verdict)]
    return min(value, PARTIAL_CREDIT) if hinted else value


def half_up(value: float) -> float:
    """Round half up (away from zero) to one decimal: 4.25 -> 4.3, never banker's rounding.
    Arithmetic noise (0.75 x 6.6 + 0.25 x 4 = 5.9499999...) is dropped first, so it does not
    flip a half-way case; -0.0 comes out as 0.0."""
    exact = Decimal(repr(round(value, 9)))
    return float(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)) + 0.0


def round_score(value: float) -> float:
    """Clamp to [0, 10] and round half up to one decimal."""
    return half_up(min(MAX_SCORE, max(0.0, value)))


def _coverage(
    points: list[KeyPoint], verdicts: Mapping[str, Verdict], hinted: Collection[str]
) -> float:
    total = sum(kp.weight for kp in points)
    earned = sum(
        kp.weight * credit(verdicts.get(kp.id, Verdict.MISSED), kp.id in hinted) for kp in points
    )
    return earned / total


def score(
    rubric: Rubric,
    verdicts: Mapping[str, Verdict],
    present: Iterable[str] = (),
    hinted: Collection[str] = (),
) -> float:
    """Score a main answer from key point verdicts, misconceptions present and hints used.

    Key points absent from `verdicts` count as missed; unknown ids are ignored.
    """
    core = [kp for kp in rubric.key_points if kp.depth == Depth.CORE]
    deep = [kp for kp in rubric.key_points if kp.depth == Depth.DEEP]
    if not deep:  # a draft bank without depth labels: the core carries all 10 points
        raw = MAX_SCORE * _coverage(core, verdicts, hinted)
    elif not core:
        raw = MAX_SCORE * _coverage(deep, verdicts, hinted)
    else:
        raw = CORE_SHARE * _coverage(core, verdicts, hinted)
        raw += DEEP_SHARE * _coverage(deep, verdicts, hinted)
    present_ids = set(present)
    raw -= sum(m.penalty for m in rubric.misconceptions if m.id in present_ids)
    return round_score(raw)


def deep_coverage(
    rubric: Rubric, verdicts: Mapping[str, Verdict], hinted: Collection[str] = ()
) -> float | None:
    """Weighted share of the `deep` points covered (None when the rubric has none)."""
    deep = [kp for kp in rubric.key_points if kp.depth == Depth.DEEP]
    return round(_coverage(deep, verdicts, hinted), 3) if deep else None


def recitation_score(rubric: Rubric) -> float:
    """The score of an answer that says exactly what the source article says."""
    return score(rubric, {kp.id: kp.source for kp in rubric.key_points})


def probe_score(verdicts: Iterable[Verdict]) -> float:
    """Score of a follow-up answer: 10 x mean credit over the probe's expected points."""
    credits = [credit(v) for v in verdicts]
    if not credits:
        return 0.0
    return round_score(MAX_SCORE * sum(credits) / len(credits))
