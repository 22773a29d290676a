"""The one vocabulary of statuses and exit codes (imported by everything, imports nothing)."""

from enum import IntEnum, StrEnum


class TurnStatus(StrEnum):
    DRAFT = "draft"  # typed, not submitted (autosaved)
    SUBMITTED = "submitted"  # saved, grading not finished
    GRADED = "graded"
    UNGRADED = "ungraded"  # the grader answered, but nothing usable came back
    FAILED = "failed"  # the grader could not be reached or errored


class GradeStatus(StrEnum):
    GRADED = "graded"
    PARTIAL = "partial"  # some items judged, others not (e.g. a stream cut short)
    UNGRADED = "ungraded"  # never a score of 0, never a pass


class BatchLineStatus(StrEnum):
    GRADED = "graded"
    PARTIAL = "partial"
    UNGRADED = "ungraded"
    ERROR = "error"  # the input line itself was bad


class Verdict(StrEnum):
    COVERED = "covered"
    PARTIAL = "partial"
    MISSED = "missed"


class Depth(StrEnum):
    CORE = "core"
    DEEP = "deep"


class ProbeKind(StrEnum):
    MISSED = "missed"  # ask about a missed key point without giving it away
    DEEPER = "deeper"  # go deeper on a covered point
    CHALLENGE = "challenge"  # push back on a misconception or a claim


class Scope(StrEnum):
    CLAUSE = "clause"
    SENTENCE = "sentence"
    ANSWER = "answer"


class Strength(StrEnum):
    FULL = "full"
    PARTIAL = "partial"


class ExitCode(IntEnum):
    OK = 0
    INVALID = 1  # invalid bank, or some batch lines not graded
    USAGE = 2  # bad arguments, unknown id, empty input
    MODEL = 3  # model or configuration error
    INTERRUPTED = 130


LANGUAGES = ("zh", "en")

# Fixed tag vocabulary for the bundled bank (enforced by `bank check --strict`).
TAGS = (
    "regularization",
    "overfitting",
    "activations",
    "data",
    "optimization",
    "learning-rate",
    "compression",
    "initialization",
    "normalization",
    "gradients",
    "architecture",
    "llm",
    "practice",
)
