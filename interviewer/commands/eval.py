"""`interviewer eval [GOLD.jsonl] --grader G`: how far a grader agrees with expert scores."""

import argparse
import asyncio
import sys
from pathlib import Path

from interviewer.agreement import LEVEL_NAMES
from interviewer.bank.loader import resolve_bank
from interviewer.commands._context import bank_from, print_json, settings_from
from interviewer.evaluate import default_gold, grade_rows, load_rows, questions_for, report
from interviewer.graders import resolve_grader
from interviewer.textfmt import table
from interviewer.vocab import ExitCode


def _show(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    bank = bank_from(settings)
    path = Path(args.gold) if args.gold else default_gold([resolve_bank(b) for b in settings.banks])
    rows = load_rows(path)
    questions = questions_for(rows, bank)
    grader = resolve_grader(args.grader, settings, args.api_base, args.api_key_env)
    scores, failures = asyncio.run(
        grade_rows(grader, rows, questions, repeat=args.repeat, concurrency=args.concurrency)
    )
    figures = report(rows, scores, worst=args.worst) | {"failed_requests": len(failures)}
    if failures:  # the figures leave these answers out: say so, and do not exit 0
        print(
            f"interviewer: {len(failures)} grading requests failed, e.g. {failures[0]}",
            file=sys.stderr,
        )
    code = int(ExitCode.INVALID) if failures else 0
    if args.json:
        print_json({"gold": str(path), "grader": grader.name, "repeat": args.repeat, **figures})
        return code
    print(f"{grader.name} on {path} ({len(rows)} answers, each graded {args.repeat}x)")
    print(
        f"n {figures['n']}"
        + (f" ({figures['not_graded']} not graded)" if figures["not_graded"] else "")
        + f"  Pearson {_show(figures['pearson'])}  Spearman {_show(figures['spearman'])}"
        f"  QWK {_show(figures['qwk'])}  MAE {_show(figures['mae'])}"
        f"  within band {_show(figures['within_band'])}"
        + (f"  consistency (mean SD) {_show(figures['consistency'])}" if args.repeat > 1 else "")
    )
    print("\nlevels: expert (rows) vs grader (columns)")
    print(
        table(
            ["expert", *LEVEL_NAMES],
            [
                [name, *map(str, counts)]
                for name, counts in zip(LEVEL_NAMES, figures["confusion"], strict=True)
            ],
        )
    )
    print("\nlargest disagreements")
    print(
        table(
            ["id", "expert", "grader", "diff"],
            [
                [
                    w["id"],
                    f"{w['expert_score']:.1f}",
                    f"{w['score']:.1f}",
                    f"{w['difference']:+.1f}",
                ]
                for w in figures["worst"]
            ],
        )
    )
    return code
