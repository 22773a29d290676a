"""Which questions an interview asks: all in order, chosen ones, a seeded random sample, by tag."""

import random

from interviewer.bank.loader import Bank
from interviewer.domain.rubric import Question
from interviewer.errors import UsageError


def select_questions(
    bank: Bank,
    *,
    refs: str | None = None,
    sample: int | None = None,
    seed: int | None = None,
    tags: list[str] | None = None,
) -> list[Question]:
    """`refs` is "1,3,7" (numbers or ids, in that order); `tags` keep questions with any of
    them; `sample` then draws that many at random (reproducibly with `seed`)."""
    questions = bank.questions
    if refs:
        parts = [p.strip() for p in refs.split(",") if p.strip()]
        if not parts:
            raise UsageError("--questions: give numbers or ids separated by commas, e.g. 1,3,7")
        questions = [bank.find(p) for p in parts]
        if len({q.id for q in questions}) != len(questions):
            raise UsageError("--questions: a question is listed twice")
    if tags:
        known = {t for q in bank.questions for t in q.tags}
        unknown = [t for t in tags if t not in known]
        if unknown:
            raise UsageError(f"--tag: unknown tag {unknown[0]!r}; tags: {', '.join(sorted(known))}")
        questions = [q for q in questions if set(tags) & set(q.tags)]
    if sample is not None:
        if sample < 1:
            raise UsageError("--random: give a number of questions >= 1")
        rng = random.Random(seed)
        questions = rng.sample(questions, min(sample, len(questions)))
    if not questions:
        raise UsageError("no questions match the selection")
    return questions
