"""Domain models round-trip through JSON; invariants hold."""

from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from interviewer.bank.loader import builtin_bank_dir, load_bank
from interviewer.domain import Grade, GraderInfo, KeyPointResult, Localized, Question, Session, Turn
from interviewer.domain.grade import Evidence, MisconceptionResult
from interviewer.vocab import GradeStatus, TurnStatus, Verdict

BANK = load_bank(["builtin"])
NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
GRADER = GraderInfo(kind="offline", model="offline/keywords", rubric_hash="abc123")


def test_bundled_bank_has_the_exemplars() -> None:
    assert BANK.problems == []
    assert {1, 3, 13} <= {q.number for q in BANK.questions}
    assert builtin_bank_dir().name == "rubrics"


@pytest.mark.parametrize("question", BANK.questions, ids=lambda q: q.id)
def test_question_round_trips_through_json(question: Question) -> None:
    again = Question.model_validate_json(question.model_dump_json())
    assert again == question
    assert again.content_hash() == question.content_hash()


def test_content_hash_changes_with_the_rubric() -> None:
    q = BANK.questions[0]
    kp = q.key_points[0].model_copy(update={"weight": q.key_points[0].weight + 1})
    changed = q.model_copy(update={"key_points": [kp, *q.key_points[1:]]})
    assert changed.content_hash() != q.content_hash()


def test_localized_needs_one_language_and_falls_back() -> None:
    with pytest.raises(ValidationError):
        Localized(zh=" ", en="")
    text = Localized(en="only English")
    assert text.get("zh") == "only English" and not text.complete()


def make_grade(**update: object) -> Grade:
    data = {
        "question_id": "dropout",
        "status": GradeStatus.GRADED,
        "score": 6.5,
        "key_points": [
            KeyPointResult(
                id="random-drop-training",
                verdict=Verdict.COVERED,
                evidence=[Evidence(quote="随机丢弃", start=3, end=7)],
            )
        ],
        "misconceptions": [MisconceptionResult(id="dropout-at-inference", present=False)],
        "feedback": "Good start.",
        "grader": GRADER,
        "created_at": NOW,
    }
    return Grade.model_validate(data | update)


def test_grade_and_session_round_trip() -> None:
    turn = Turn(
        id="t1",
        question_id="dropout",
        prompt="Dropout 有什么作用?",
        answer="训练时随机丢弃神经元",
        status=TurnStatus.GRADED,
        hints=["scaling-expectation"],
        grades=[make_grade()],
        submitted_at=NOW,
    )
    session = Session(
        id="s1", created_at=NOW, language="zh", question_ids=["dropout"], turns=[turn]
    )
    again = Session.model_validate_json(session.model_dump_json())
    assert again == session
    assert again.turns[0].grade is not None and again.turns[0].grade.score == 6.5


def test_ungraded_is_never_a_score() -> None:
    with pytest.raises(ValidationError, match="ungraded grade has no score"):
        make_grade(status=GradeStatus.UNGRADED, score=0.0)
    with pytest.raises(ValidationError, match="needs a score"):
        make_grade(score=None)
    assert make_grade(status=GradeStatus.UNGRADED, score=None).score is None
    with pytest.raises(ValidationError):
        make_grade(score=10.5)
