"""Grades: per-item verdicts with evidence; the score is computed from them in code."""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, model_validator

from interviewer.domain.text import Frozen, Localized
from interviewer.vocab import GradeStatus, ProbeKind, Verdict


class Evidence(Frozen):
    """A verbatim span of the answer that supports a verdict."""

    quote: str
    start: Annotated[int, Field(ge=0)] | None = None  # character offsets in the answer
    end: Annotated[int, Field(ge=0)] | None = None


class KeyPointResult(Frozen):
    """Verdict on one key point (or, for a follow-up, one expected point: id `e1`, `e2`, ...)."""

    id: str
    verdict: Verdict
    evidence: list[Evidence] = []
    reasoning: str = ""
    hinted: bool = False  # the hint was shown: at most partial credit
    flags: list[str] = []  # e.g. unsupported_quote


class MisconceptionResult(Frozen):
    id: str
    present: bool
    evidence: list[Evidence] = []
    reasoning: str = ""


class FollowUp(Frozen):
    """A follow-up question chosen from the rubric's probes, with why it was chosen."""

    probe_id: str
    kind: ProbeKind
    question: Localized
    targets: list[str] = []
    reason: Literal["challenge_misconception", "missed_point", "go_deeper", "challenge_claim"]


class GraderInfo(Frozen):
    """Provenance: a grader's identity is (model, prompt version, rubric hash)."""

    kind: Literal["offline", "llm"]
    model: str  # "offline/keywords" for the built-in grader
    prompt_version: str | None = None
    prompt_hash: str | None = None
    rubric_hash: str


class Grade(Frozen):
    question_id: str
    probe_id: str | None = None  # set when grading a follow-up answer
    status: GradeStatus
    score: Annotated[float, Field(ge=0, le=10)] | None = None
    key_points: list[KeyPointResult] = []
    misconceptions: list[MisconceptionResult] = []
    depth: Annotated[float, Field(ge=0, le=1)] | None = None  # weighted share of deep points
    feedback: str = ""
    language: Literal["zh", "en"] | None = None  # of the answer, and so of the feedback
    flags: list[str] = []  # answer-level: empty, dont_know, gibberish, off_topic, injection, ...
    follow_ups: list[FollowUp] = []  # ranked; the first is the one to ask
    grader: GraderInfo
    created_at: datetime
    duration_ms: Annotated[int, Field(ge=0)] | None = None
    # model graders: usage, agreement of --samples, and the raw reply when it could not be parsed
    tokens_in: int | None = None
    tokens_out: int | None = None
    cost_usd: float | None = None
    requests: int | None = None
    agreement: Annotated[float, Field(ge=0, le=1)] | None = None
    raw_output: str | None = None

    @model_validator(mode="after")
    def _ungraded_has_no_score(self) -> "Grade":
        # An unparseable grade is "ungraded": never 0, never a pass.
        if self.status == GradeStatus.UNGRADED and self.score is not None:
            raise ValueError("an ungraded grade has no score")
        if self.status != GradeStatus.UNGRADED and self.score is None:
            raise ValueError(f"a {self.status.value} grade needs a score")
        return self
