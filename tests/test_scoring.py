"""The score formula and levels (docs/rubric-format.md sections 2 and 3)."""

import pytest

from interviewer.bank.checks import level_problems
from interviewer.domain.rubric import Level, Question
from interviewer.domain.text import Localized
from interviewer.engine.scoring import credit, probe_score, recitation_score, round_score, score
from interviewer.vocab import Verdict

C, P, M = Verdict.COVERED, Verdict.PARTIAL, Verdict.MISSED


def make_question(
    points: list[tuple[str, float, str]], penalties: tuple[float, ...] = ()
) -> Question:
    return Question.model_validate(
        {
            "id": "q",
            "number": 1,
            "title": {"en": "t"},
            "question": {"en": "q"},
            "key_points": [
                {"id": pid, "text": {"en": pid}, "weight": w, "depth": d} for pid, w, d in points
            ],
            "misconceptions": [
                {"id": f"m{i}", "text": {"en": "m"}, "correction": {"en": "c"}, "penalty": p}
                for i, p in enumerate(penalties)
            ],
        }
    )


Q = make_question(
    [("a", 2, "core"), ("b", 1, "core"), ("c", 1, "core"), ("d", 1, "deep"), ("e", 3, "deep")],
    penalties=(1.5, 2.5),
)


def test_credit_and_hint_cap() -> None:
    assert [credit(v) for v in (C, P, M)] == [1.0, 0.5, 0.0]
    assert credit(C, hinted=True) == 0.5
    assert credit(M, hinted=True) == 0.0


@pytest.mark.parametrize(
    ("verdicts", "present", "hinted", "expected"),
    [
        ({}, (), (), 0.0),
        ({"a": C, "b": C, "c": C, "d": C, "e": C}, (), (), 10.0),
        # core only: 6 * 4/4
        ({"a": C, "b": C, "c": C}, (), (), 6.0),
        # 6 * (2 + 0.5) / 4 + 4 * 3/4 = 3.75 + 3 = 6.75 -> 6.8 (half up, not banker's)
        ({"a": C, "b": P, "e": C}, (), (), 6.8),
        # hint caps a covered point at partial: 6 * (1 + 1 + 1) / 4 = 4.5
        ({"a": C, "b": C, "c": C}, (), ("a",), 4.5),
        # misconceptions subtract their penalties; unknown ids are ignored
        ({"a": C, "b": C, "c": C}, ("m0", "nope"), (), 4.5),
        ({"a": C}, ("m0", "m1"), (), 0.0),  # clamped at 0
    ],
)
def test_score(verdicts: dict, present: tuple, hinted: tuple, expected: float) -> None:
    assert score(Q, verdicts, present, hinted) == expected


def test_no_deep_points_gives_core_all_ten() -> None:
    q = make_question([("a", 1, "core"), ("b", 1, "core")])
    assert score(q, {"a": C, "b": P}) == 7.5


def test_round_score_half_up_and_clamp() -> None:
    assert round_score(4.25) == 4.3
    assert round_score(4.35) == 4.4
    assert round_score(0.1 + 0.2) == 0.3
    assert round_score(-3) == 0.0
    assert round_score(11) == 10.0


def test_probe_score() -> None:
    assert probe_score([C, P, M]) == 5.0
    assert probe_score([C, C]) == 10.0
    assert probe_score([]) == 0.0


def test_recitation_score_uses_source_verdicts() -> None:
    data = Q.model_dump()
    for kp in data["key_points"]:
        kp["source"] = {"a": "covered", "b": "covered", "c": "partial", "d": "partial"}.get(
            kp["id"], "missed"
        )
    # 6 * 3.5/4 + 4 * 0.5/4 = 5.25 + 0.5 = 5.75 -> 5.8
    assert recitation_score(Question.model_validate(data)) == 5.8


LEVELS = [
    Level(min=0, max=2.5, description=Localized(en="low")),
    Level(min=2.5, max=7, description=Localized(en="mid")),
    Level(min=7, max=10, description=Localized(en="high")),
]


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0, "low"), (2.4, "low"), (2.5, "mid"), (6.9, "mid"), (7, "high"), (10, "high")],
)
def test_levels_are_half_open_and_cover_ten(value: float, expected: str) -> None:
    q = Q.model_copy(update={"levels": LEVELS})
    level = q.level_for(value)
    assert level is not None and level.description.en == expected


def test_every_score_belongs_to_exactly_one_level() -> None:
    for tenth in range(101):
        value = tenth / 10
        hits = [
            lv
            for i, lv in enumerate(LEVELS)
            if lv.min <= value < lv.max or (i == len(LEVELS) - 1 and value == lv.max)
        ]
        assert len(hits) == 1, value
    assert level_problems(LEVELS) == []
