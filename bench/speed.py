"""Speed of the offline grader and the CLI, against the targets of the offline-grader issue.

    .venv/bin/python bench/speed.py [--runs N]

Prints: grading latency per answer in process (median and p95 over every bundled question,
for short, typical and maximum-length answers; target <= 5 ms median), bank load in a fresh
process (target <= 50 ms), and whole-process `interviewer --help` (target <= 0.3 s) and
offline `interviewer grade` (target <= 0.5 s), each also as a ratio to a bare `python -c pass`.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from interviewer.bank.loader import load_bank  # noqa: E402
from interviewer.engine.guards import MAX_ANSWER_CHARS  # noqa: E402
from interviewer.engine.offline import OfflineGrader  # noqa: E402


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def answers_by_size() -> dict[str, list[tuple[str, str]]]:
    bank = load_bank(["builtin"])
    rows = [
        json.loads(line)
        for line in (REPO / "tests" / "data" / "exemplar_answers.jsonl").read_text().splitlines()
    ]
    short = [(r["question_id"], r["answer"][:120]) for r in rows]
    typical = [(r["question_id"], r["answer"]) for r in rows]
    longest = []
    for q in bank.questions:
        ref = (q.reference_answer.zh + "\n" + q.reference_answer.en) if q.reference_answer else q.id
        longest.append((q.id, (ref * (MAX_ANSWER_CHARS // len(ref) + 1))[:MAX_ANSWER_CHARS]))
    return {
        "short (<=120 chars)": short,
        "typical (exemplar answers)": typical,
        "maximum (20,000 chars)": longest,
    }


def grading(runs: int) -> None:
    bank = load_bank(["builtin"])
    grader = OfflineGrader()
    print("grading latency per answer, in process (target: median <= 5 ms)")
    for label, items in answers_by_size().items():
        times = []
        for _ in range(runs):
            for qid, answer in items:
                question = bank.find(qid)
                start = time.perf_counter()
                grader.grade(question, answer)
                times.append((time.perf_counter() - start) * 1000)
        print(
            f"  {label:28} median {statistics.median(times):7.2f} ms   p95 {pct(times, 0.95):7.2f} ms   (n={len(times)})"
        )


def wall(cmd: list[str], runs: int, env: dict[str, str], stdin: str | None = None) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, env=env, input=stdin, text=True, capture_output=True, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def processes(runs: int) -> None:
    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ, INTERVIEWER_HOME=home)
        py = sys.executable
        load = (
            "import time; t=time.perf_counter(); from interviewer.bank.loader import load_bank; "
            "i=time.perf_counter(); load_bank(['builtin']); e=time.perf_counter(); "
            "print((i-t)*1000, (e-i)*1000)"
        )
        colds = []
        for i in range(max(3, runs // 3)):  # a fresh home each time: no parsed-bank cache yet
            cold_env = dict(env, INTERVIEWER_HOME=f"{home}/cold{i}")
            out = subprocess.run(
                [py, "-c", load], env=cold_env, capture_output=True, text=True, check=True
            )
            colds.append(float(out.stdout.split()[1]))
        imports, loads = [], []
        for _ in range(runs):
            out = subprocess.run(
                [py, "-c", load], env=env, capture_output=True, text=True, check=True
            )
            a, b = map(float, out.stdout.split())
            imports.append(a)
            loads.append(b)
        print(
            "\nbank load, first run after install or a rubric edit (no cache yet): "
            f"median {statistics.median(colds):.1f} ms"
        )
        print(
            f"bank load in a fresh process (target <= 50 ms): median {statistics.median(loads):.1f} ms "
            f"(+ {statistics.median(imports):.0f} ms to import the loader and pydantic models)"
        )
        bare = wall([py, "-c", "pass"], runs, env)
        help_ = wall([py, "-m", "interviewer", "--help"], runs, env)
        answer = "训练时随机丢弃一部分神经元，防止过拟合；推理时不丢弃，用全部神经元。"
        grade = wall([py, "-m", "interviewer", "grade", "3", "-"], runs, env, stdin=answer)
        print("\nwhole process, median wall time")
        print(f"  python -c pass                 {bare * 1000:6.0f} ms")
        print(
            f"  interviewer --help             {help_ * 1000:6.0f} ms   {help_ / bare:4.1f}x bare   (target <= 300 ms)"
        )
        print(
            f"  interviewer grade 3 - (offline) {grade * 1000:5.0f} ms   {grade / bare:4.1f}x bare   (target <= 500 ms)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    grading(max(1, args.runs // 2))
    processes(args.runs)


if __name__ == "__main__":
    main()
