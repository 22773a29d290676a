"""Model grading against the stub: overhead, prompt size, requests per answer, first verdict.

    .venv/bin/python bench/llm.py [--latency 0.05]

- overhead per grade excluding model time (target <= 10 ms): wall time of a grade minus the
  stub's response time, over the exemplar answers;
- input tokens of the rendered grade prompt for every bank question in each language, counted
  with tiktoken's o200k_base from the files litellm ships (no download; target <= 2,000);
- requests per answer;
- time to the first streamed verdict, with the stub streaming 20-character chunks 20 ms apart.
"""

import argparse
import asyncio
import importlib.util
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from interviewer.bank.loader import load_bank  # noqa: E402
from interviewer.llm.grader import LLMGrader  # noqa: E402
from interviewer.llm.modes import ModeMemory  # noqa: E402
from interviewer.llm.output import GradeOutput, response_schema  # noqa: E402
from interviewer.llm.prompts import grade_prompt  # noqa: E402
from interviewer.llm.spec import ModelSpec  # noqa: E402
from interviewer.llm.stub import Reply, StubServer  # noqa: E402


def encoder():  # type: ignore[no-untyped-def]
    spec = importlib.util.find_spec("litellm")
    assert spec and spec.submodule_search_locations, "litellm is not installed"
    tokenizers = (
        Path(next(iter(spec.submodule_search_locations))) / "litellm_core_utils" / "tokenizers"
    )
    os.environ.setdefault("TIKTOKEN_CACHE_DIR", str(tokenizers))
    import tiktoken

    return tiktoken.get_encoding("o200k_base")


def reply_for(question) -> str:  # type: ignore[no-untyped-def]
    return json.dumps(
        {
            "key_points": [
                {
                    "id": kp.id,
                    "reasoning": "The answer states it.",
                    "quote": "",
                    "verdict": "missed",
                }
                for kp in question.key_points
            ],
            "misconceptions": [
                {"id": m.id, "reasoning": "", "quote": "", "present": False}
                for m in question.misconceptions
            ],
            "feedback": "A short feedback paragraph for the candidate.",
            "follow_ups": [
                {
                    "probe_id": question.probes[0].id,
                    "kind": question.probes[0].kind.value,
                    "question": "Why?",
                }
            ],
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.05)
    args = parser.parse_args()
    bank = load_bank(["builtin"])
    rows = [
        json.loads(line)
        for line in (REPO / "tests" / "data" / "exemplar_answers.jsonl").read_text().splitlines()
    ]
    memory = ModeMemory(Path(tempfile.mkdtemp()) / "modes.json")

    print(
        "input tokens of the rendered grade prompt (o200k_base; system + rubric + a 1-line answer)"
    )
    enc = encoder()
    schema = response_schema(GradeOutput)
    print(f"  {'question':28} {'zh':>6} {'en':>6} {'zh+schema':>10}   target <= 2000")
    worst = 0
    for q in bank.questions:
        counts = []
        for lang, schema_ in (("zh", None), ("en", None), ("zh", schema)):
            prompt = grade_prompt(q, "答案" if lang == "zh" else "answer", lang, schema_)
            counts.append(sum(len(enc.encode(m["content"])) for m in prompt.messages))
        worst = max(worst, *counts[:2])
        print(f"  {q.id:28} {counts[0]:6} {counts[1]:6} {counts[2]:10}")
    print(f"  largest (json_schema / json_object modes): {worst} tokens")

    async def run() -> None:
        with StubServer(latency=args.latency) as stub:
            stub.default = lambda body: Reply(reply_for(bank.find(_question_id(body, bank))))
            spec = ModelSpec(
                name="bench", model="openai/stub", api_base=stub.base_url, max_retries=0
            )
            grader = LLMGrader(spec, memory=memory, stream=False)
            overheads, requests = [], []
            for row in rows:
                q = bank.find(row["question_id"])
                started = time.perf_counter()
                grade = await grader.agrade(q, row["answer"])
                wall = time.perf_counter() - started
                if grade.requests:
                    overheads.append((wall - args.latency * grade.requests) * 1000)
                    requests.append(grade.requests)
            print(
                f"\noverhead per grade excluding model time: median {statistics.median(overheads):.1f} ms, "
                f"p95 {sorted(overheads)[int(0.95 * (len(overheads) - 1))]:.1f} ms (target <= 10 ms; "
                f"{len(overheads)} answers, stub latency {args.latency * 1000:.0f} ms)"
            )
            print(
                f"requests per answer: mean {statistics.fmean(requests):.2f} (max {max(requests)})"
            )
            firsts = []
            streaming = LLMGrader(spec, memory=memory, stream=True)
            for row in rows[:12]:
                q = bank.find(row["question_id"])
                stub.default = Reply(reply_for(q), chunk_size=20, chunk_delay=0.02)
                started = time.perf_counter()
                async for _grade in streaming.agrade_stream(q, row["answer"]):
                    firsts.append(time.perf_counter() - started)
                    break
            print(
                f"time to the first streamed verdict: median {statistics.median(firsts) * 1000:.0f} ms "
                "(20-character chunks 20 ms apart)"
            )

    asyncio.run(run())


def _question_id(body: dict, bank) -> str:  # type: ignore[no-untyped-def]
    text = body["messages"][1]["content"]
    return next(q.id for q in bank.questions if q.key_points[0].id in text)


if __name__ == "__main__":
    main()
