"""`interviewer regrade`: re-grade stored answers with another grader, keeping every grade."""

import argparse
import asyncio
import sys
from collections import Counter
from datetime import UTC, datetime

from interviewer.batch import progress_bar
from interviewer.commands._context import bank_from, print_json, settings_from
from interviewer.commands.sessions import _day
from interviewer.errors import UsageError
from interviewer.graders import resolve_grader
from interviewer.regrade import Job, RegradeSummary, jobs_for, regrade, select_sessions
from interviewer.store.repo import Store
from interviewer.vocab import ExitCode


def run(args: argparse.Namespace) -> int:
    if not (args.sessions or args.all or args.since):
        raise UsageError("regrade: name sessions, or use --all or --since DATE")
    if args.sessions and (args.all or args.since):
        raise UsageError("regrade: give session ids, or --all / --since, not both")
    if not args.grader:
        raise UsageError("regrade: --grader G is required (offline, a profile, or provider/model)")
    settings = settings_from(args)
    since = _day(args.since, "--since")
    bank = bank_from(settings)
    grader = resolve_grader(args.grader, settings, args.api_base, args.api_key_env)
    with Store() as store:
        session_ids = select_sessions(store, args.sessions, args.all, since)
        jobs, notes = jobs_for(store, bank, session_ids)
        for note in notes:
            print(f"interviewer: {note}", file=sys.stderr)
        if not jobs:
            print("nothing to regrade: no answered turns in the selected sessions")
            return 0
        bar = progress_bar(sys.stderr)
        summary = asyncio.run(
            regrade(
                store, grader, jobs, concurrency=args.concurrency, force=args.force, progress=bar
            )
        )
        if bar and summary.not_attempted:
            sys.stderr.write("\n")  # the bar stopped short of its end
        # spaced practice: only with --reschedule do the (new or earlier) grades move reviews
        moved = _reschedule(store, jobs) if args.reschedule else set()
    if args.json:
        print_json(
            summary.__dict__
            | {"sessions": len(session_ids), "turns": len(jobs), "rescheduled": len(moved)}
        )
    else:
        cost = f", cost ${summary.cost_usd:.4f}" if summary.cost_usd is not None else ""
        left = f", {summary.not_attempted} not attempted" if summary.not_attempted else ""
        print(
            f"{len(jobs)} turns in {len(session_ids)} sessions, grader {grader.name}: "
            f"{summary.graded} graded, {summary.ungraded} ungraded, {summary.skipped} skipped "
            f"(already graded by this grader), {summary.failed} failed{left}; "
            f"tokens {summary.tokens_in} in / {summary.tokens_out} out{cost}"
        )
        if args.reschedule:
            print(f"rescheduled {len(moved)} questions from their current grades")
        if summary.rate_limit_pauses:
            print(f"rate limited {summary.rate_limit_pauses} times; all requests waited")
    _report_errors(summary)
    if summary.failed or summary.stopped:
        print("interviewer: run the same command again to continue", file=sys.stderr)
        return int(ExitCode.MODEL) if summary.stopped else int(ExitCode.INVALID)
    return 0


def _reschedule(store: Store, jobs: list[Job]) -> set[str]:
    """Re-rate every attempt these turns belong to (graded now or earlier) from its grades."""
    from interviewer.practice.scheduler import reschedule_turn

    now = datetime.now(UTC)
    moved = set()
    for job in jobs:
        if job.turn.kind == "main" and reschedule_turn(store, job.turn.id, now):
            moved.add(job.question.id)
    return moved


def _report_errors(summary: RegradeSummary) -> None:
    """One line per distinct failure (concurrent requests often fail the same way)."""
    counts = Counter(error.split(": ", 1)[-1] for error in summary.errors)
    for message, count in counts.most_common(5):
        if message != summary.stopped:
            times = f" ({count} turns)" if count > 1 else ""
            print(f"interviewer: {message}{times}", file=sys.stderr)
    if summary.stopped:
        print(f"interviewer: stopped early: {summary.stopped}", file=sys.stderr)
