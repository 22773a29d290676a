"""Grading a gold set of expert-scored answers: shared by the tests and bench/gold.py."""

import json
import statistics
from dataclasses import dataclass
from pathlib import Path

from interviewer.bank.loader import Bank
from interviewer.engine.offline import OfflineGrader

KIND_ORDER = (
    "strong",
    "solid",
    "recitation",
    "keyword_stuffing",
    "wrong",
    "injection",
    "off_topic",
)


@dataclass(frozen=True)
class GoldResult:
    row: dict
    score: float
    flags: tuple[str, ...]

    @property
    def in_band(self) -> bool:
        low, high = self.row["score_band"]
        return low <= self.score <= high


def load_gold(directory: Path) -> list[dict]:
    rows = []
    for path in sorted(directory.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                rows.append(json.loads(line))
    return rows


def grade_gold(
    rows: list[dict], bank: Bank, grader: OfflineGrader | None = None
) -> list[GoldResult]:
    grader = grader or OfflineGrader()
    results = []
    for row in rows:
        grade = grader.grade(bank.find(row["question_id"]), row["answer"])
        results.append(GoldResult(row, grade.score or 0.0, tuple(grade.flags)))
    return results


def mean_by_kind(results: list[GoldResult]) -> dict[str, float]:
    kinds: dict[str, list[float]] = {}
    for r in results:
        kinds.setdefault(r.row["kind"], []).append(r.score)
    return {k: statistics.fmean(v) for k, v in kinds.items()}
