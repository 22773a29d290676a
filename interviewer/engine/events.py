"""Typed events the engine reports; the CLI and the TUI consume the same ones."""

from dataclasses import dataclass
from typing import Literal

from interviewer.domain.grade import FollowUp, Grade
from interviewer.domain.rubric import Question

DoneReason = Literal["sufficient", "budget_spent", "exhausted", "skipped", "moved_on"]


@dataclass(frozen=True)
class QuestionAsked:
    turn_id: str
    question: Question
    index: int  # 0-based position in the session
    total: int


@dataclass(frozen=True)
class FollowUpAsked:
    turn_id: str
    follow_up: FollowUp
    number: int  # 1 for the first follow-up of this question
    budget: int


@dataclass(frozen=True)
class GradingStarted:
    turn_id: str
    grader: str


@dataclass(frozen=True)
class PartialGrade:
    turn_id: str
    grade: Grade


@dataclass(frozen=True)
class Graded:
    turn_id: str
    grade: Grade


@dataclass(frozen=True)
class GradingFailed:
    turn_id: str
    error: str  # one line, no secrets


@dataclass(frozen=True)
class QuestionDone:
    question_id: str
    reason: DoneReason


@dataclass(frozen=True)
class SessionFinished:
    summary: dict


Event = (
    QuestionAsked
    | FollowUpAsked
    | GradingStarted
    | PartialGrade
    | Graded
    | GradingFailed
    | QuestionDone
    | SessionFinished
)
