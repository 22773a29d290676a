"""Interview sessions and their turns (one answer each), as stored and exported."""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from interviewer.domain.grade import Grade
from interviewer.vocab import GradeStatus, TurnStatus

SessionMode = Literal["interview", "grade", "batch"]
SessionStatus = Literal["active", "paused", "finished"]


class Turn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    seq: int = 0  # order within the session
    question_id: str
    kind: Literal["main", "follow_up"] = "main"
    parent_id: str | None = None  # the main turn a follow-up belongs to
    probe_id: str | None = None  # the probe asked, for a follow-up turn
    prompt: str  # what the interviewer asked, as shown
    answer: str = ""
    status: TurnStatus = TurnStatus.DRAFT
    skipped: bool = False
    revealed: bool = False  # the reference answer was shown after grading
    hints: list[str] = []  # key point ids whose hint was shown
    grades: list[Grade] = []  # every grade kept, with provenance; the last is current
    started_at: datetime | None = None
    first_key_at: datetime | None = None
    submitted_at: datetime | None = None
    overtime: bool = False

    @property
    def grade(self) -> Grade | None:
        """The current grade: the newest complete one (a later partial from a cancelled
        regrade does not replace it), else the newest of any kind."""
        for grade in reversed(self.grades):
            if grade.status == GradeStatus.GRADED:
                return grade
        return self.grades[-1] if self.grades else None


class Session(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    mode: SessionMode = "interview"
    created_at: datetime
    updated_at: datetime | None = None
    status: SessionStatus = "active"
    language: Literal["zh", "en"] | None = None
    grader: str = "offline"
    follow_up_depth: Annotated[int, Field(ge=0, le=3)] = 2
    time_limit_s: Annotated[int, Field(gt=0)] | None = None
    banks: list[str] = []
    question_ids: list[str] = []
    position: int = 0  # index into question_ids of the current question
    summary: dict | None = None
    turns: list[Turn] = []
