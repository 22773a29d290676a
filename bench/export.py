"""Exporting 100 sessions to HTML (target <= 2 s), and searching them.

.venv/bin/python bench/export.py [--sessions 100]
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ["INTERVIEWER_HOME"] = tempfile.mkdtemp()

from interviewer.bank.loader import load_bank  # noqa: E402
from interviewer.cli import main as cli  # noqa: E402
from interviewer.engine.offline import OfflineGrader  # noqa: E402
from interviewer.store.repo import Store  # noqa: E402
from interviewer.vocab import TurnStatus  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=100)
    args = parser.parse_args()
    bank = load_bank(["builtin"])
    grader = OfflineGrader()
    store = Store()
    ids = []
    for i in range(args.sessions):
        session = store.create_session(
            mode="interview", grader="offline", question_ids=[q.id for q in bank.questions[:3]]
        )
        for q in bank.questions[:3]:
            answer = (q.reference_answer.en if q.reference_answer else q.id)[: 300 + 40 * (i % 10)]
            turn = store.add_turn(session.id, question_id=q.id, prompt=q.question.en)
            store.submit_answer(turn.id, answer)
            store.add_grade(turn.id, grader.grade(q, answer), TurnStatus.GRADED)
        store.update_session(session.id, status="finished")
        ids.append(session.id)
    out = Path(tempfile.mkdtemp()) / "html"
    started = time.perf_counter()
    cli(["sessions", "export", *ids, "--format", "html", "--out", str(out)])
    elapsed = time.perf_counter() - started
    size = sum(p.stat().st_size for p in out.iterdir())
    print(
        f"exported {len(ids)} sessions ({3 * len(ids)} graded turns) to HTML in {elapsed:.2f} s (target <= 2 s), {size / 1e6:.1f} MB"
    )
    for query in ("regulariz", "正则", "dropout zeroes"):
        started = time.perf_counter()
        hits = store.search(query)
        print(
            f"search {query!r}: {len(hits)} hits in {(time.perf_counter() - started) * 1000:.1f} ms"
        )


if __name__ == "__main__":
    main()
