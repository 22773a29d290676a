"""Regrading stored answers against the stub model: wall time vs the ideal, by concurrency.

    .venv/bin/python bench/regrade.py [--answers 200] [--latency 0.25]

200 stored answers (the gold set's, graded offline) are re-graded with a model grader whose
every request takes 250 ms at the stub server. The ideal wall time is n x latency /
concurrency; target <= 1.3x the ideal at concurrency 8.
"""

import argparse
import asyncio
import json
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from interviewer.bank.loader import load_bank  # noqa: E402
from interviewer.engine.goldset import load_gold  # noqa: E402
from interviewer.engine.offline import OfflineGrader  # noqa: E402
from interviewer.evaluate import builtin_gold  # noqa: E402
from interviewer.llm.grader import LLMGrader  # noqa: E402
from interviewer.llm.modes import ModeMemory  # noqa: E402
from interviewer.llm.spec import ModelSpec  # noqa: E402
from interviewer.llm.stub import Reply, StubServer  # noqa: E402
from interviewer.regrade import jobs_for, regrade  # noqa: E402
from interviewer.store.repo import Store  # noqa: E402
from interviewer.vocab import TurnStatus  # noqa: E402

REPLY = json.dumps({"key_points": [], "misconceptions": [], "feedback": "ok"})


def fill(store: Store, count: int) -> list[str]:
    bank = load_bank(["builtin"])
    rows = [r for r in load_gold(builtin_gold().parent) if r["kind"] != "injection"]
    rows = (rows * (count // len(rows) + 1))[:count]
    offline, ids, session = OfflineGrader(), [], None
    for i, row in enumerate(rows):
        if i % 10 == 0:
            session = store.create_session(mode="interview", grader="offline", banks=["builtin"])
            ids.append(session.id)
        question = bank.find(row["question_id"])
        turn = store.add_turn(session.id, question_id=question.id, prompt=question.question.en)  # type: ignore[union-attr]
        store.submit_answer(turn.id, row["answer"])
        store.add_grade(turn.id, offline.grade(question, row["answer"]), TurnStatus.GRADED)
    return ids


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=200)
    parser.add_argument("--latency", type=float, default=0.25)
    args = parser.parse_args()
    bank = load_bank(["builtin"])
    with (
        tempfile.TemporaryDirectory() as tmp,
        StubServer(latency=args.latency, default=lambda _body: Reply(REPLY)) as stub,
        Store(Path(tmp) / "db.sqlite") as store,
    ):
        ids = fill(store, args.answers)
        jobs = jobs_for(store, bank, ids)[0]
        screened = 0
        print(f"{len(jobs)} stored answers, stub latency {args.latency * 1000:.0f} ms per request")
        print(f"{'concurrency':>11}  {'wall s':>7}  {'ideal s':>7}  {'ratio':>5}  requests")
        for concurrency in (1, 4, 8):
            spec = ModelSpec(
                name="stub", model="openai/stub", api_base=stub.base_url, max_retries=0
            )
            grader = LLMGrader(spec, memory=ModeMemory(Path(tmp) / "m.json"), stream=False)
            screened = sum(grader.screens_out(j.question, j.turn.answer) for j in jobs)
            before = len(stub.requests)
            started = time.perf_counter()
            summary = asyncio.run(regrade(store, grader, jobs, concurrency=concurrency, force=True))
            wall = time.perf_counter() - started
            requests = len(stub.requests) - before
            ideal = requests * args.latency / concurrency
            assert summary.failed == 0, summary.errors[:3]
            print(f"{concurrency:>11}  {wall:7.2f}  {ideal:7.2f}  {wall / ideal:4.2f}x  {requests}")
        print(f"({screened} answers settled by the guards without a request; target <= 1.30x at 8)")


if __name__ == "__main__":
    main()
