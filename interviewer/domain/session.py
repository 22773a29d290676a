"""Interview sessions and their turns (one answer each)."""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from interviewer.domain.grade import Grade
from interviewer.vocab import TurnStatus


class Turn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    question_id: str
    kind: Literal["main", "follow_up"] = "main"
    probe_id: str | None = None  # the probe asked, for a follow-up turn
    prompt: str  # what the interviewer asked, as shown
    answer: str = ""
    status: TurnStatus = TurnStatus.DRAFT
    skipped: bool = False
    hints: list[str] = []  # key point ids whose hint was shown
    grades: list[Grade] = []  # every grade kept, with provenance; the last is current
    started_at: datetime | None = None
    first_key_at: datetime | None = None
    submitted_at: datetime | None = None
    overtime: bool = False

    @property
    def grade(self) -> Grade | None:
        return self.grades[-1] if self.grades else None


class Session(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    created_at: datetime
    status: Literal["active", "paused", "finished"] = "active"
    language: Literal["zh", "en"] = "en"
    grader: str = "offline"
    follow_up_depth: Annotated[int, Field(ge=0, le=3)] = 2
    time_limit_s: Annotated[int, Field(gt=0)] | None = None
    question_ids: list[str] = []
    turns: list[Turn] = []
