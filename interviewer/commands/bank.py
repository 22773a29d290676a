"""`interviewer bank check [DIR...] [--strict]`: validate banks, every problem at once."""

import argparse

from interviewer.bank.loader import load_bank
from interviewer.commands._context import print_json, settings_from
from interviewer.vocab import ExitCode


def run(args: argparse.Namespace) -> int:
    specs = list(args.dirs) or list(settings_from(args).banks)
    bank = load_bank(specs)
    problems = list(bank.problems)
    if args.strict:
        problems += bank.policy_problems()
    problems.sort(key=lambda p: (p.file, p.line or 0))  # stable: same-line problems keep order
    ok = not problems
    if args.json:
        print_json(
            {
                "ok": ok,
                "strict": args.strict,
                "banks": specs,
                "questions": len(bank.entries),
                "problems": [p.as_dict() for p in problems],
            }
        )
    else:
        for problem in problems:
            print(problem)
        mode = "strict" if args.strict else "structure"
        verdict = "ok" if ok else f"{len(problems)} problem{'s' * (len(problems) != 1)}"
        count = f"{len(bank.entries)} question{'s' * (len(bank.entries) != 1)}"
        print(f"{verdict}: {count} in {', '.join(specs)} ({mode} check)")
    return int(ExitCode.OK if ok else ExitCode.INVALID)
