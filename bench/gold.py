"""The offline grader on the gold set: per-kind means, band hits, agreement with the experts.

.venv/bin/python bench/gold.py [--misses]
"""

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from asag import pearson, spearman  # noqa: E402

from interviewer.bank.loader import load_bank  # noqa: E402
from interviewer.engine.goldset import KIND_ORDER, grade_gold, load_gold  # noqa: E402
from interviewer.evaluate import builtin_gold  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list the answers outside their band")
    args = parser.parse_args()
    bank = load_bank(["builtin"])
    rows = load_gold(builtin_gold().parent)
    known = {q.id for q in bank.questions}
    missing = sorted({r["question_id"] for r in rows} - known)
    if missing:
        print(f"(skipping answers to questions not in the bank: {', '.join(missing)})")
    results = grade_gold([r for r in rows if r["question_id"] in known], bank)
    print(f"{'kind':18} {'n':>4} {'mean':>6} {'expert':>7} {'in band':>8}")
    for kind in KIND_ORDER:
        rs = [r for r in results if r.row["kind"] == kind]
        if rs:
            mean = sum(r.score for r in rs) / len(rs)
            expert = sum(r.row["expert_score"] for r in rs) / len(rs)
            hits = sum(r.in_band for r in rs)
            print(f"{kind:18} {len(rs):4} {mean:6.2f} {expert:7.2f} {hits:4}/{len(rs):<3}")
    ours = [r.score for r in results]
    expert = [r.row["expert_score"] for r in results]
    hits = sum(r.in_band for r in results)
    print(
        f"\n{len(results)} answers: {hits} in band ({hits / len(results):.0%}); "
        f"Pearson {pearson(ours, expert):.3f}, Spearman {spearman(ours, expert):.3f} vs expert scores"
    )
    for lang in ("zh", "en"):
        sub = [r for r in results if r.row["lang"] == lang]
        print(
            f"  {lang}: {sum(r.in_band for r in sub)}/{len(sub)} in band, "
            f"Pearson {pearson([r.score for r in sub], [r.row['expert_score'] for r in sub]):.3f}"
        )
    if args.misses:
        print()
        for r in results:
            if not r.in_band:
                print(
                    f"  {r.row['id']:48} {r.score:4.1f} not in {r.row['score_band']} (expert {r.row['expert_score']}) {list(r.flags)}"
                )


if __name__ == "__main__":
    main()
