"""Domain model (pydantic v2): questions and rubrics, grades, turns, sessions."""

from interviewer.domain.grade import (
    Evidence,
    Grade,
    GraderInfo,
    KeyPointResult,
    MisconceptionResult,
)
from interviewer.domain.rubric import (
    ExpectedPoint,
    KeyPoint,
    Level,
    Misconception,
    Probe,
    Question,
    QuestionHead,
    Rubric,
    Signal,
    Term,
)
from interviewer.domain.session import Session, Turn
from interviewer.domain.text import Localized

__all__ = [
    "Evidence",
    "ExpectedPoint",
    "FollowUp",
    "Grade",
    "GraderInfo",
    "KeyPoint",
    "KeyPointResult",
    "Level",
    "Localized",
    "Misconception",
    "MisconceptionResult",
    "Probe",
    "Question",
    "QuestionHead",
    "Rubric",
    "Session",
    "Signal",
    "Term",
    "Turn",
]
