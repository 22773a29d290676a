"""The whole bank held to a gold set written blind to the rubrics (rubrics/ml-training/gold.jsonl):
answers of every kind, in both languages, each with an expert score and an accepted band."""

from pathlib import Path

import pytest
import yaml

from interviewer.bank.loader import load_bank
from interviewer.engine.goldset import grade_gold, load_gold, mean_by_kind
from interviewer.evaluate import builtin_gold

GOLD = Path(__file__).parent / "data" / "gold"
ROWS = load_gold(builtin_gold().parent)
# Reviewed answers the keyword grader is allowed to mis-band, each with the reason.
EXCEPTIONS: dict[str, str] = (
    yaml.safe_load((GOLD / "exceptions.yaml").read_text(encoding="utf-8")) or {}
)
BANK = load_bank(["builtin"])
RESULTS = {r.row["id"]: r for r in grade_gold(ROWS, BANK)}
MAX_EXCEPTIONS = 0.1  # the list "stays short": at most a tenth of the set


def test_gold_set_covers_every_question_kind_and_language() -> None:
    assert {q.id for q in BANK.questions} == {r["question_id"] for r in ROWS}
    for question in BANK.questions:
        rows = [r for r in ROWS if r["question_id"] == question.id]
        kinds = {(r["kind"], r["lang"]) for r in rows}
        for kind in (
            "strong",
            "solid",
            "recitation",
            "wrong",
            "off_topic",
            "keyword_stuffing",
            "injection",
        ):
            assert {(kind, "zh"), (kind, "en")} <= kinds, (question.id, kind)


@pytest.mark.parametrize("row", ROWS, ids=[r["id"] for r in ROWS])
def test_answer_in_band_or_a_reviewed_exception(row: dict) -> None:
    result = RESULTS[row["id"]]
    if row["id"] in EXCEPTIONS:
        assert not result.in_band, f"{row['id']} is in band now: remove it from exceptions.yaml"
        return
    assert result.in_band, (
        f"{result.score} not in {row['score_band']} (expert {row['expert_score']})"
    )


def test_exception_list_stays_short_and_explained() -> None:
    assert len(EXCEPTIONS) <= MAX_EXCEPTIONS * len(ROWS)
    assert set(EXCEPTIONS) <= set(RESULTS), "an exception names an answer that is not in the set"
    assert all(isinstance(reason, str) and len(reason) > 20 for reason in EXCEPTIONS.values())


def test_means_are_ordered_by_kind() -> None:
    mean = mean_by_kind(list(RESULTS.values()))
    assert mean["strong"] > mean["solid"] > mean["recitation"] > mean["wrong"]


def test_off_topic_and_injection_only_score_at_most_one() -> None:
    for result in RESULTS.values():
        if result.row["kind"] == "off_topic" or (
            result.row["kind"] == "injection" and result.row["score_band"][1] <= 1
        ):
            assert result.score <= 1, result.row["id"]
