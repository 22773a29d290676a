"""`interviewer bank check [DIR...] [--strict]`: validate banks, every problem at once, plus
warnings; `interviewer bank build DOC... --out DIR`: draft a bank from documents."""

import argparse
from pathlib import Path

from interviewer.bank.checks import near_duplicates, warnings
from interviewer.bank.loader import Bank, load_bank
from interviewer.bank.problems import Problem
from interviewer.commands._context import print_json, settings_from
from interviewer.vocab import ExitCode


def run(args: argparse.Namespace) -> int:
    if args.bank_command == "build":
        return _build(args)
    return _check(args)


def bank_warnings(bank: Bank) -> list[Problem]:
    """What loads and grades but deserves a look: review markers, unmatched points, probes
    never chosen, near-duplicate questions."""
    found = [
        Problem(e.file, msg, path, e.parsed.line_of(path), kind="warning")
        for e in bank.entries
        for path, msg in warnings(e.question)
    ]
    for i, j, alike in near_duplicates(bank.questions):
        first, later = bank.entries[i], bank.entries[j]
        number = first.question.number
        msg = f"near-duplicate of question {number} in {first.file} ({alike:.0%} alike)"
        line = later.parsed.line_of(("question",))
        found.append(Problem(later.file, msg, ("question",), line, kind="warning"))
    return found


def _check(args: argparse.Namespace) -> int:
    specs = list(args.dirs) or list(settings_from(args).banks)
    bank = load_bank(specs)
    problems = list(bank.problems)
    if args.strict:
        problems += bank.policy_problems()
    problems.sort(key=lambda p: (p.file, p.line or 0))  # stable: same-line problems keep order
    notes = sorted(bank_warnings(bank), key=lambda p: (p.file, p.line or 0))
    ok = not problems
    if args.json:
        print_json(
            {
                "ok": ok,
                "strict": args.strict,
                "banks": specs,
                "questions": len(bank.entries),
                "problems": [p.as_dict() for p in problems],
                "warnings": [p.as_dict() for p in notes],
            }
        )
    else:
        for problem in problems:
            print(problem)
        for note in notes:
            print(str(note).replace(f": {note.message}", f": warning: {note.message}", 1))
        mode = "strict" if args.strict else "structure"
        verdict = "ok" if ok else f"{len(problems)} problem{'s' * (len(problems) != 1)}"
        count = f"{len(bank.entries)} question{'s' * (len(bank.entries) != 1)}"
        warned = f", {len(notes)} warning{'s' * (len(notes) != 1)}" if notes else ""
        print(f"{verdict}: {count} in {', '.join(specs)} ({mode} check{warned})")
    return int(ExitCode.OK if ok else ExitCode.INVALID)


def _build(args: argparse.Namespace) -> int:
    from interviewer.build.pipeline import build_bank

    enricher = None
    if args.grader and (args.grader.strip() != "offline" or args.api_base):
        from interviewer.build.enrich import Enricher
        from interviewer.graders import resolve_grader

        settings = settings_from(args)
        enricher = Enricher(resolve_grader(args.grader, settings, args.api_base, args.api_key_env))
    report = build_bank(
        [Path(d) for d in args.docs], Path(args.out), enricher=enricher, overwrite=args.overwrite
    )
    if args.json:
        print_json(report.model_dump())
    else:
        _print_build(report)
    return int(ExitCode.MODEL if report.failed else ExitCode.OK)


def _count(items: list, what: str) -> str:
    return f"{len(items)} {what}{'s' * (len(items) != 1)}"


def _print_build(report) -> None:  # type: ignore[no-untyped-def]
    for doc in report.documents:
        print(f"{doc.path}: {_count(range(doc.questions), 'question')} ({doc.format} layout)")
        for reason in doc.skipped:
            print(f"  skipped: {reason}")
    for title, items in (("written", report.added), ("rewritten", report.updated)):
        for item in items:
            print(f"  {title}: {item}")
    if report.kept:
        print(
            f"  kept as they are (already in the bank; --overwrite rewrites them): "
            f"{len(report.kept)}"
        )
    for failure in report.failed:
        print(f"  model failed: {failure}")
    for path in report.unreadable:
        print(f"  left alone (not a question file): {path}")
    skipped = sum(len(d.skipped) for d in report.documents)
    print(
        f"{report.out}: {len(report.added)} added, {len(report.updated)} rewritten, "
        f"{len(report.kept)} kept, {skipped} skipped"
        + (f", {len(report.enriched)} completed by the model" if report.enriched else "")
    )
    if report.strict:
        missing = ", ".join(f"{item} ({n})" for item, n in report.strict.items())
        print(f"`bank check --strict` still lists: {missing}")
    print(f"next: review the drafts, then `interviewer bank check {report.out}`")
