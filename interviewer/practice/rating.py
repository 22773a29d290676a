"""The rule that turns an interview answer into an FSRS rating.

1. A skipped main question is Again.
2. The score rated is the main answer's score; when follow-ups were answered it becomes
   0.75 x main + 0.25 x the mean follow-up score (a skipped follow-up scores 0; a follow-up not
   yet graded, or that could not be graded, is left out), rounded half up to one decimal.
3. Bands: below 3 Again, below 6 Hard, below 8.5 Good, else Easy (8.5 is the score at which
   the interviewer needs no follow-up: Easy means "sufficient as first answered").
4. Caps, applied last: a question the interviewer had to probe (any follow-up asked) is at most
   Good; a hint on the main answer caps it at Hard.

The rating is recomputed whenever the question's grades change (the main answer graded, a
follow-up graded or skipped), so the one that counts is the one the question ends with.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from statistics import fmean

from fsrs import Rating

from interviewer.engine.scoring import round_score

AGAIN_BELOW = 3.0
HARD_BELOW = 6.0
GOOD_BELOW = 8.5  # = engine.interview.SUFFICIENT_MAIN
FOLLOW_UP_WEIGHT = 0.25


@dataclass(frozen=True)
class Rated:
    rating: Rating
    score: float  # the score the band was read from (after the follow-up blend)


def band(score: float) -> Rating:
    if score < AGAIN_BELOW:
        return Rating.Again
    if score < HARD_BELOW:
        return Rating.Hard
    if score < GOOD_BELOW:
        return Rating.Good
    return Rating.Easy


def rate(
    main: float,
    *,
    skipped: bool = False,
    hinted: bool = False,
    follow_ups: Sequence[float] = (),
    probed: bool = False,
) -> Rated:
    """`follow_ups`: scores of the follow-ups answered or skipped (0); `probed`: a follow-up was
    asked (answered or not)."""
    if skipped:
        return Rated(Rating.Again, 0.0)
    score = main
    if follow_ups:
        blend = (1 - FOLLOW_UP_WEIGHT) * main + FOLLOW_UP_WEIGHT * fmean(follow_ups)
        score = round_score(blend)
    rating = band(score)
    if probed or follow_ups:
        rating = min(rating, Rating.Good)
    if hinted:
        rating = min(rating, Rating.Hard)
    return Rated(rating, score)
