"""How well the offline grader's reference mode agrees with human graders.

    .venv/bin/python bench/asag.py [--data DIR]

Reads the human-graded short-answer sets in ../shared/datasets/asag/ (skips with a message
when they are absent), grades every answer against a rubric derived from the question's
reference answer only, and prints Pearson, Spearman and the mean per-question Pearson
against the human scores, beside a keyword-recall baseline computed in the same run (share
of the reference answer's words found in the answer; character bigrams for Chinese).
Nothing here is tuned per question: the grader never sees ids or scores.
"""

import argparse
import json
import math
import re
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared" / "datasets" / "asag"
sys.path.insert(0, str(REPO))

from interviewer import agreement  # noqa: E402
from interviewer.engine.offline import OfflineGrader  # noqa: E402
from interviewer.engine.reference import derive_question  # noqa: E402

SETS = {
    "mohler2011_dev.jsonl": "Mohler 2011 (en, 0-5)",
    "zh_ads_dev.jsonl": "ADS (zh, 0-10)",
    "semeval2013_beetle_train.jsonl": "SemEval-2013 Beetle (en, 2-way)",
    "semeval2013_scientsbank_train.jsonl": "SemEval-2013 SciEntsBank (en, 2-way)",
}


def pearson(x: Sequence[float], y: Sequence[float]) -> float:
    r = agreement.pearson(x, y)
    return float("nan") if r is None else r


def spearman(x: Sequence[float], y: Sequence[float]) -> float:
    return pearson(agreement.ranks(x), agreement.ranks(y))


def per_question(rows: list[dict], scores: list[float], key: str) -> float:
    groups: dict[str, list[int]] = defaultdict(list)
    for i, row in enumerate(rows):
        groups[row["question_id"]].append(i)
    rs = []
    for idx in groups.values():
        r = pearson([scores[i] for i in idx], [rows[i][key] for i in idx])
        if not math.isnan(r):
            rs.append(r)
    return sum(rs) / len(rs) if rs else float("nan")


def baseline(reference: str, answer: str) -> float:
    """Share of the reference's words (Chinese: character bigrams) found in the answer."""
    if re.search(r"[\u4e00-\u9fff]", reference):
        chars = lambda s: re.sub(r"\s+", "", s)  # noqa: E731
        grams = lambda s: {s[i : i + 2] for i in range(len(s) - 1)}  # noqa: E731
        ref, ans = grams(chars(reference)), grams(chars(answer))
    else:
        ref = set(re.findall(r"\w+", reference.lower()))
        ans = set(re.findall(r"\w+", answer.lower()))
    return len(ref & ans) / len(ref) if ref else 0.0


def evaluate(path: Path, grader: OfflineGrader) -> list[tuple[str, ...]]:
    rows = [
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    rows = [r for r in rows if r.get("score_avg") is not None and r.get("student_answer")]
    ours, base = [], []
    started = time.perf_counter()
    for row in rows:
        question = derive_question(row["question"], row["reference_answer"])  # cached per pair
        grade = grader.grade(question, row["student_answer"][:20_000])
        ours.append(grade.score or 0.0)
        base.append(baseline(row["reference_answer"], row["student_answer"]))
    elapsed = time.perf_counter() - started
    human = [r["score_avg"] for r in rows]
    lines = []
    targets: list[tuple[str, Callable[[dict], float | None]]] = [
        ("score_avg", lambda r: r["score_avg"])
    ]
    if any(r.get("score_grader2") is not None for r in rows):
        targets += [
            ("grader1", lambda r: r["score_grader1"]),
            ("grader2", lambda r: r["score_grader2"]),
        ]
    for name, get in targets:
        idx = [i for i, r in enumerate(rows) if get(r) is not None]
        h = [get(rows[i]) for i in idx]
        o = [ours[i] for i in idx]
        b = [base[i] for i in idx]
        lines.append(
            (
                name,
                f"{pearson(o, h):.3f}",
                f"{pearson(b, h):.3f}",
                f"{pearson(o, h) - pearson(b, h):+.3f}",
                f"{spearman(o, h):.3f}",
                f"{spearman(b, h):.3f}",
            )
        )
    for i, r in enumerate(rows):
        r["_ours"], r["_base"] = ours[i], base[i]
    pq_o = per_question(rows, ours, "score_avg")
    pq_b = per_question(rows, base, "score_avg")
    lines.append(
        ("per-question mean r", f"{pq_o:.3f}", f"{pq_b:.3f}", f"{pq_o - pq_b:+.3f}", "", "")
    )
    lines.append(
        (
            f"{len(rows)} answers, {len({(r['question'], r['reference_answer']) for r in rows})} questions",
            f"{elapsed / len(rows) * 1000:.2f} ms/answer",
            "",
            "",
            "",
            "",
        )
    )
    assert len(human) == len(ours)
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--only", help="one file name, e.g. mohler2011_dev.jsonl")
    args = parser.parse_args()
    if not args.data.is_dir():
        print(f"skipped: no data set directory at {args.data}")
        return 0
    grader = OfflineGrader()
    header = ("vs", "Pearson", "baseline", "diff", "Spearman", "baseline")
    for name, title in SETS.items():
        if args.only and name != args.only:
            continue
        path = args.data / name
        if not path.exists():
            print(f"\n{title}: skipped ({path} not found)")
            continue
        print(f"\n{title}  [{name}]")
        rows = [header, *evaluate(path, grader)]
        widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
        for row in rows:
            print("  " + "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
