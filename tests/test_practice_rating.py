"""The rule that turns an interview answer into an FSRS rating (interviewer/practice/rating.py)."""

import pytest
from fsrs import Rating

from interviewer.engine.interview import SUFFICIENT_MAIN
from interviewer.practice.rating import GOOD_BELOW, rate

A, H, G, E = Rating.Again, Rating.Hard, Rating.Good, Rating.Easy


@pytest.mark.parametrize(
    ("score", "expected"),
    [
        (0.0, A),
        (2.9, A),
        (3.0, H),  # bands are half-open: the boundary belongs to the band above
        (5.9, H),
        (6.0, G),
        (8.4, G),
        (8.5, E),
        (10.0, E),
    ],
)
def test_score_bands(score: float, expected: Rating) -> None:
    rated = rate(score)
    assert rated.rating == expected and rated.score == score


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"main": 10.0, "skipped": True}, A),  # skipped: Again whatever the score
        ({"main": 10.0, "hinted": True}, H),  # a hint caps at Hard ...
        ({"main": 7.0, "hinted": True}, H),
        ({"main": 1.0, "hinted": True}, A),  # ... but never raises a rating
        ({"main": 9.0, "probed": True}, G),  # the interviewer had to probe: at most Good
        ({"main": 9.0, "follow_ups": [10.0]}, G),
        ({"main": 9.0, "follow_ups": [10.0], "hinted": True}, H),
    ],
)
def test_caps_and_skip(kwargs: dict, expected: Rating) -> None:
    assert rate(**kwargs).rating == expected


@pytest.mark.parametrize(
    ("main", "follow_ups", "score", "expected"),
    [
        (5.0, [10.0], 6.3, G),  # 0.75*5 + 0.25*10 = 6.25, rounded half up: strong probes lift it
        (4.0, [10.0, 10.0], 5.5, H),  # the mean of the follow-ups counts, not their number
        (7.0, [0.0], 5.3, H),  # a follow-up skipped (0) pulls a Good answer down to Hard
        (3.5, [0.0], 2.6, A),
        (8.0, [8.0], 8.0, G),  # probed: Easy is out of reach
        (4.0, [], 4.0, H),  # no follow-up answered: the main score alone
    ],
)
def test_follow_ups_blend_into_the_score(
    main: float, follow_ups: list[float], score: float, expected: Rating
) -> None:
    rated = rate(main, follow_ups=follow_ups)
    assert (rated.score, rated.rating) == (score, expected)


def test_easy_means_sufficient_without_a_follow_up() -> None:
    assert GOOD_BELOW == SUFFICIENT_MAIN


@pytest.mark.parametrize(("main", "follow_up"), [(6.6, 4.0), (4.6, 10.0)])
def test_the_blend_rounds_exact_halves_up(main: float, follow_up: float) -> None:
    # 0.75 x 6.6 + 0.25 x 4 is 5.95 exactly, 5.9499999... in floats: it must rate as 6.0
    rated = rate(main, follow_ups=[follow_up], probed=True)
    assert rated.score == 6.0 and rated.rating == Rating.Good


def test_trend_never_shows_minus_zero() -> None:
    from interviewer.engine.scoring import half_up

    # the trend is half_up(last - mean of those before)
    assert str(half_up(2.7 - 2.7)) == "0.0" and half_up(2.7 - 2.65) == 0.1
