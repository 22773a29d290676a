"""Questions and their rubrics: the bank format (docs/rubric-format.md)."""

import hashlib
import re
from typing import Annotated

from pydantic import BeforeValidator, Field, ValidationInfo, model_validator

from interviewer.domain.text import Frozen, Lang, Localized
from interviewer.vocab import Depth, ProbeKind, Scope, Strength, Verdict

Slug = Annotated[str, Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")]


class RegexTerm(Frozen):
    """A regular expression, searched case-insensitively in the normalised text (formulas)."""

    re: str


def _check_term(value: object, info: ValidationInfo) -> object:
    if isinstance(value, RegexTerm):
        return value
    if isinstance(value, bool):  # YAML 1.1 reads unquoted no/yes/on/off as booleans
        raise ValueError("a boolean is not a term: quote words like 'no', 'yes', 'on', 'off'")
    if isinstance(value, int | float):
        value = str(value)
    if isinstance(value, str):
        if not value.strip() or value.strip() == "*":
            raise ValueError("a term must not be empty")
        return value
    if isinstance(value, dict) and set(value) == {"re"}:
        pattern = value["re"]
        if not isinstance(pattern, str) or not pattern:
            raise ValueError("re: needs a non-empty pattern string")
        if info.context and info.context.get("trusted"):
            return value  # from the bank cache: compiled when it was first loaded
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ValueError(f"invalid regular expression {pattern!r}: {exc}") from None
        return value
    raise ValueError("a term is a string or {re: PATTERN}")


# One clear error per bad term, instead of one per branch of a union.
Term = Annotated[str | RegexTerm, BeforeValidator(_check_term)]
Group = Annotated[list[Term], Field(min_length=1)]


class Signal(Frozen):
    """One way of saying a point: every `all` group in one scope unit, no `none` group there."""

    all: Annotated[list[Group], Field(min_length=1)]
    none: list[Group] = []
    scope: Scope = Scope.SENTENCE
    strength: Strength = Strength.FULL
    # at least this many of the `all` groups must match (default: every group)
    min: Annotated[int, Field(ge=1)] | None = None

    @model_validator(mode="after")
    def _min_fits(self) -> "Signal":
        if self.min is not None and self.min > len(self.all):
            raise ValueError(
                f"min ({self.min}) is larger than the number of groups ({len(self.all)})"
            )
        return self


class KeyPoint(Frozen):
    id: Slug
    text: Localized
    # A short name for the point (a few words): keeps the model prompt compact, since the
    # reference answer carries the detail, and names the point in comparisons.
    label: Localized | None = None
    weight: Annotated[float, Field(gt=0)] = 1.0
    depth: Depth = Depth.CORE
    # How the source article's own answer states this point; gives the recitation score.
    source: Verdict = Verdict.MISSED
    signals: list[Signal] = []
    hint: Localized | None = None
    generated: bool = False  # written by a model (`bank build --grader`): review it


class Misconception(Frozen):
    id: Slug
    text: Localized
    correction: Localized
    signals: list[Signal] = []
    penalty: Annotated[float, Field(gt=0)] = 1.0
    generated: bool = False  # written by a model (`bank build --grader`): review it


class ExpectedPoint(Frozen):
    text: Localized
    signals: list[Signal] = []


class Probe(Frozen):
    id: Slug
    kind: ProbeKind
    question: Localized
    targets: list[Slug] = []
    # for `challenge` probes: the misconceptions this probe pushes back on (optional)
    challenges: list[Slug] = []
    expected_points: list[ExpectedPoint] = []
    generated: bool = False  # written by a model (`bank build --grader`): review it


class Level(Frozen):
    """Half-open range [min, max); the last level of a rubric also includes 10."""

    min: Annotated[float, Field(ge=0, le=10)]
    max: Annotated[float, Field(ge=0, le=10)]
    description: Localized
    generated: bool = False  # written by a model (`bank build --grader`): review it

    @model_validator(mode="after")
    def _ordered(self) -> "Level":
        if self.min >= self.max:
            raise ValueError(f"min ({self.min:g}) must be below max ({self.max:g})")
        return self


class QuestionHead(Frozen):
    """What is asked: identity, wording and metadata."""

    id: Slug
    number: Annotated[int, Field(ge=1)]
    title: Localized
    question: Localized
    tags: list[Slug] = []
    difficulty: Annotated[int, Field(ge=1, le=3)] = 2


class Rubric(Frozen):
    """What grading needs: the reference, key points, misconceptions, probes and levels."""

    source_points: list[str] = []
    # the source document's own answer, verbatim (a bank drafted by `bank build`)
    source_answer: str | None = None
    reference_answer: Localized | None = None
    key_points: Annotated[list[KeyPoint], Field(min_length=1)]
    misconceptions: list[Misconception] = []
    probes: list[Probe] = []
    levels: list[Level] = []
    # drafted by `bank build` and not yet reviewed; `review` lists fields a model wrote
    # ("title.en", "key_points.p1.text.en", "reference_answer"): remove both once reviewed
    draft: bool = False
    review: list[str] = []

    def reference(self, lang: Lang) -> str:
        """The reference answer in `lang`; a drafted bank's source answer stands in for it."""
        if self.reference_answer:
            return self.reference_answer.get(lang)
        return (self.source_answer or "").strip()

    def key_point(self, point_id: str) -> KeyPoint:
        return next(kp for kp in self.key_points if kp.id == point_id)

    def level_for(self, score: float) -> Level | None:
        """The level a score belongs to (levels are half-open; the last includes its max)."""
        for i, level in enumerate(self.levels):
            last = i == len(self.levels) - 1
            if level.min <= score < level.max or (last and score == level.max):
                return level
        return None


class Question(Rubric, QuestionHead):
    """One bank file: the question and its rubric, flat (head fields first in JSON)."""

    def content_hash(self) -> str:
        """A stable hash of the question and rubric: part of a grader's identity."""
        # fields left at their defaults are not hashed: a new optional field in the bank format
        # does not change the identity of every existing rubric
        return hashlib.sha256(self.model_dump_json(exclude_defaults=True).encode()).hexdigest()[:16]
