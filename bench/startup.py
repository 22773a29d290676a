"""Startup cost of the CLI, as ratios to a bare `python -c pass` measured in the same run.

    .venv/bin/python bench/startup.py [--runs N]

Prints the median wall time of each command and its ratio to the bare interpreter, so a
regression in import discipline (say, pydantic or litellm on the --help path) shows up as a
jump in the ratio, whatever the machine's load.
"""

import argparse
import json
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


MINIMAL_APP = """
import json, os, sys, time
from textual.app import App
from textual.widgets import Static

class Minimal(App):
    def compose(self):
        yield Static("hello")
    def on_mount(self):
        self.call_after_refresh(self.report)
    def report(self):
        with open(os.environ["INTERVIEWER_FIRST_FRAME_FILE"], "w") as fh:
            json.dump({"time": time.time(), "modules": []}, fh)
        self.exit()

Minimal().run(headless=True)
"""
TUI_APP = "from interviewer.cli import main; main([])"


def first_frame(code: str, runs: int, home: str) -> float:
    """Median seconds from process start to the first painted frame (Textual's headless
    driver; the app writes the time of its first refresh, then exits)."""
    times = []
    for i in range(runs):
        report = os.path.join(home, f"frame{i}.json")
        env = dict(
            os.environ,
            INTERVIEWER_HOME=home,
            INTERVIEWER_FIRST_FRAME_FILE=report,
            TERM="xterm-256color",
        )
        started = time.time()
        subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True)
        with open(report) as fh:
            times.append(json.load(fh)["time"] - started)
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
        minimal = first_frame(MINIMAL_APP, args.runs, home)
        tui = first_frame(TUI_APP, args.runs, home)
        print("\nfirst frame, headless driver, from process start (median)")
        print(f"  minimal Textual app              {minimal * 1000:7.0f}ms")
        print(
            f"  interviewer TUI (bare command)   {tui * 1000:7.0f}ms   {tui / minimal:.2f}x the minimal app (target <= 1.5x)"
        )


if __name__ == "__main__":
    main()
