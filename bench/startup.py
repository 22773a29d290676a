"""Startup cost of the CLI, as ratios to a bare `python -c pass` measured in the same run.

    .venv/bin/python bench/startup.py [--runs N]

Prints the median wall time of each command and its ratio to the bare interpreter, so a
regression in import discipline (say, pydantic or litellm on the --help path) shows up as a
jump in the ratio, whatever the machine's load.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

COMMANDS = {
    "python -c pass": [sys.executable, "-c", "pass"],
    "interviewer --help": [sys.executable, "-m", "interviewer", "--help"],
    "interviewer questions": [sys.executable, "-m", "interviewer", "questions"],
    "interviewer show 1 --json": [sys.executable, "-m", "interviewer", "show", "1", "--json"],
    "interviewer bank check --strict": [
        sys.executable,
        "-m",
        "interviewer",
        "bank",
        "check",
        "--strict",
    ],
}


def median_seconds(cmd: list[str], runs: int, env: dict[str, str]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(
            cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True
        )
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ, INTERVIEWER_HOME=home)
        base = median_seconds(COMMANDS["python -c pass"], args.runs, env)
        print(f"{'command':34} {'median':>9} {'x bare python':>14}")
        for name, cmd in COMMANDS.items():
            t = base if name == "python -c pass" else median_seconds(cmd, args.runs, env)
            print(f"{name:34} {t * 1000:7.0f}ms {t / base:13.1f}x")


if __name__ == "__main__":
    main()
