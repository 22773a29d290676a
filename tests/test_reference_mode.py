"""Reference-answer mode: a rubric derived from a reference text, graded the same way."""

import pytest

from interviewer.engine.offline import OfflineGrader
from interviewer.engine.reference import derive_question, informative_terms

GRADER = OfflineGrader()

CASES = [
    (
        "What is a stack?",
        "A stack is a last-in first-out collection: push adds an element on top and pop removes the most recently pushed one.",
        "It's LIFO: you push elements on the top and pop removes the last one that was pushed.",
        "A stack is a kind of collection.",
    ),
    (
        "What does a hash table do on a collision?",
        "Two keys hash to the same bucket; chaining keeps a list per bucket, open addressing probes for another free slot.",
        "When keys land in the same bucket, either keep a linked list (chaining) or probe the next free slot (open addressing).",
        "It throws an error and stops.",
    ),
    (
        "简述顺序表和链表的区别",
        "顺序表存储空间连续,支持随机访问;链表存储空间不连续,不支持随机访问,但插入删除方便,不会溢出。",
        "顺序表的空间是连续的,可以随机访问;链表空间不连续,只能遍历访问,但是插入和删除很方便。",
        "链表比较快。",
    ),
]


@pytest.mark.parametrize(
    ("question", "reference", "good", "weak"), CASES, ids=["stack", "hash", "zh-list"]
)
def test_good_paraphrase_beats_weak_answer(
    question: str, reference: str, good: str, weak: str
) -> None:
    derived = derive_question(question, reference)
    good_score = GRADER.grade(derived, good).score
    weak_score = GRADER.grade(derived, weak).score
    assert good_score is not None and weak_score is not None
    assert good_score >= 6 and weak_score <= 3, (good_score, weak_score)
    assert GRADER.grade(derived, reference).score == 10.0


def test_derived_rubric_shape() -> None:
    question, reference = CASES[1][:2]
    derived = derive_question(question, reference)
    assert derived.id.startswith("ref-") and derived.id == derive_question(question, reference).id
    ids = [kp.id for kp in derived.key_points]
    assert ids[0] == "gist" and len(ids) >= 3  # the gist plus one point per clause
    gist, *clauses = derived.key_points
    assert gist.weight == pytest.approx(sum(kp.weight for kp in clauses))
    assert all(kp.depth == "core" and kp.signals[0].min for kp in derived.key_points)


def test_question_words_are_demoted() -> None:
    derived = derive_question("What is a stack?", "A stack is a LIFO structure.")
    terms = {t for g in derived.key_points[0].signals[0].all for t in g}
    assert "stack" not in terms and "lifo" in terms
    # repeating the question is not answering it
    assert GRADER.grade(derived, "A stack is a stack.").score == 0.0


def test_terms_keep_negations_and_chinese_characters() -> None:
    assert "not" in informative_terms("the bulb is not connected")
    assert {"链", "表"} <= set(informative_terms("链表不连续"))
    assert "的" not in informative_terms("链表的存储")


def test_reference_without_content_is_an_error() -> None:
    with pytest.raises(ValueError, match="no informative terms"):
        derive_question("q", "the of and")
