"""How far a grader can be trusted: grade a labelled set and compare with the expert scores.

A line is `{"id", "question_id" | "question" + "reference_answer", "answer", "expert_score",
optional "score_band": [lo, hi]}`; other keys (e.g. "kind") are kept for the report.
"""

import asyncio
import json
import math
import statistics
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from interviewer import agreement as ag
from interviewer.bank.loader import Bank
from interviewer.domain.rubric import Question
from interviewer.errors import InterviewerError, UsageError
from interviewer.files import read_text_file
from interviewer.vocab import GradeStatus

GOLD_FILE = "gold.jsonl"  # a bank's own gold set sits beside its rubrics


class GoldRow(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)

    id: str
    question_id: str | None = None
    question: str | None = None
    reference_answer: str | None = None
    answer: str
    expert_score: float = Field(ge=0, le=10)
    score_band: tuple[float, float] | None = None

    @model_validator(mode="after")
    def _has_a_question(self) -> "GoldRow":
        if not self.question_id and not (self.question and self.reference_answer):
            raise ValueError("needs question_id, or question and reference_answer")
        if self.score_band and self.score_band[0] > self.score_band[1]:
            raise ValueError("score_band: the low end is above the high end")
        return self


def load_rows(path: Path) -> list[GoldRow]:
    lines = read_text_file(path).splitlines()
    rows, seen = [], set()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = GoldRow.model_validate(json.loads(line))
        except json.JSONDecodeError as exc:
            raise UsageError(f"{path}:{number}: not JSON ({exc.msg})") from None
        except ValidationError as exc:
            err = exc.errors()[0]
            where = ".".join(str(p) for p in err["loc"]) or "line"
            raise UsageError(f"{path}:{number}: {where}: {err['msg']}") from None
        if row.id in seen:
            raise UsageError(f"{path}:{number}: id {row.id!r} appears twice")
        seen.add(row.id)
        rows.append(row)
    if not rows:
        raise UsageError(f"{path}: no labelled answers in it")
    return rows


def builtin_gold() -> Path:
    return Path(str(resources.files("interviewer.rubrics") / "ml-training" / GOLD_FILE))


def default_gold(bank_dirs: list[Path]) -> Path:
    """The first bank (in order) that ships a gold set (a gold.jsonl among its rubrics)."""
    for directory in bank_dirs:
        found = sorted(directory.rglob(GOLD_FILE)) if directory.is_dir() else []
        if found:
            return found[0]
    raise UsageError("no gold set in the bank(s): give a GOLD.jsonl file")


def questions_for(rows: list[GoldRow], bank: Bank) -> dict[str, Question]:
    """The question each row is graded against: from the bank, or derived from its reference."""
    from interviewer.engine.reference import derive_question

    out: dict[str, Question] = {}
    for row in rows:
        if row.question_id:
            try:
                out[row.id] = bank.find(row.question_id)
            except InterviewerError:
                raise UsageError(
                    f"line {row.id!r}: question_id {row.question_id!r} is not in the bank"
                ) from None
        else:
            out[row.id] = derive_question(row.question or "", row.reference_answer or "")
    return out


async def grade_rows(
    grader: Any,
    rows: list[GoldRow],
    questions: dict[str, Question],
    repeat: int = 1,
    concurrency: int = 4,
) -> tuple[dict[str, list[float | None]], list[str]]:
    """Each row graded `repeat` times; None for a grade that came back unusable or failed.
    An unreachable model or a refused key stops the run: every other request would fail too."""
    from interviewer.llm.errors import AuthFailed, ModelError, ModelUnreachable

    scores: dict[str, list[float | None]] = {row.id: [] for row in rows}
    limit = asyncio.Semaphore(concurrency)
    failures: list[str] = []

    async def one(row: GoldRow) -> None:
        async with limit:
            try:
                grade = await grader.agrade(questions[row.id], row.answer)
            except (AuthFailed, ModelUnreachable):
                raise
            except ModelError as exc:
                failures.append(str(exc))
                scores[row.id].append(None)
                return
        scores[row.id].append(grade.score if grade.status == GradeStatus.GRADED else None)

    try:  # a task group: when the model is gone, the requests not yet sent are cancelled
        async with asyncio.TaskGroup() as group:
            for row in rows:
                for _ in range(repeat):
                    group.create_task(one(row))
    except BaseExceptionGroup as group:  # the first error speaks for the run, in one line
        raise _first(group) from None
    return scores, failures


def _first(group: BaseExceptionGroup) -> BaseException:
    error = group.exceptions[0]
    return _first(error) if isinstance(error, BaseExceptionGroup) else error


def _whole(score: float) -> int:
    return math.floor(score + 0.5)  # half up, as the scores are shown


def report(rows: list[GoldRow], scores: dict[str, list[float | None]], worst: int = 5) -> dict:
    """The figures: over the rows with at least one usable grade (their mean grade)."""
    used = [(row, [s for s in scores[row.id] if s is not None]) for row in rows]
    used = [(row, got) for row, got in used if got]
    expert = [row.expert_score for row, _ in used]
    graded = [statistics.fmean(got) for _, got in used]
    banded = [(row, g) for (row, _), g in zip(used, graded, strict=True) if row.score_band]
    repeated = [got for _, got in used if len(got) > 1]
    gaps = sorted(
        zip(used, graded, strict=True), key=lambda item: -abs(item[1] - item[0][0].expert_score)
    )
    return {
        "n": len(used),
        "not_graded": len(rows) - len(used),
        "pearson": ag.rounded(ag.pearson(expert, graded)),
        "spearman": ag.rounded(ag.spearman(expert, graded)),
        "qwk": ag.rounded(ag.qwk([_whole(s) for s in expert], [_whole(s) for s in graded])),
        "mae": ag.rounded(ag.mae(expert, graded)),
        "within_band": (
            ag.rounded(
                sum(r.score_band[0] <= g <= r.score_band[1] for r, g in banded)  # type: ignore[index]
                / len(banded)
            )
            if banded
            else None
        ),
        # mean standard deviation of an answer's repeated grades (0 = perfectly consistent)
        "consistency": (
            ag.rounded(statistics.fmean(statistics.pstdev(got) for got in repeated))
            if repeated
            else None
        ),
        "levels": list(ag.LEVEL_NAMES),
        "confusion": ag.confusion(expert, graded),
        "worst": [
            {
                "id": row.id,
                "expert_score": row.expert_score,
                "score": round(g, 2),
                "difference": round(g - row.expert_score, 2),
            }
            for (row, _), g in gaps[:worst]
        ],
    }
