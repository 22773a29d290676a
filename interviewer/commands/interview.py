"""`interviewer interview`: a mock interview (plain line mode until the TUI lands)."""

import argparse
import sys
from datetime import UTC, datetime
from typing import Any

from interviewer.bank.loader import Bank
from interviewer.commands._context import bank_from, settings_from
from interviewer.domain.rubric import Question
from interviewer.engine.interview import Interview
from interviewer.engine.selection import select_questions
from interviewer.errors import UsageError
from interviewer.graders import resolve_grader
from interviewer.plain import PlainInterview
from interviewer.settings import Settings
from interviewer.store.repo import Store


def _tui(args: argparse.Namespace, settings: Settings, depth: int) -> int:
    """In a terminal, without --plain: the TUI, straight into this interview."""
    from interviewer.commands.tui import context_for
    from interviewer.tui.app import run_tui

    grader = args.grader or settings.grader
    if args.resume:
        start: dict[str, Any] = {"resume": args.resume, "grader": grader}
    else:
        mode, value = ("chosen", args.questions) if args.questions else ("all", "")
        if args.random:
            mode, value = "random", str(args.random)
        elif args.tag:
            mode, value = "tag", args.tag[0]
        start = {
            "mode": mode,
            "value": value,
            "grader": grader,
            "lang": settings.lang,
            "depth": depth,
            "time_limit": args.time_limit or settings.time_limit,
        }
    return run_tui(lang=settings.lang, context_factory=context_for(args), autostart=start)


def _practice(args: argparse.Namespace, store: Store, bank: Bank) -> list[Question]:
    """--due / --weakest N: spaced practice picks the questions (front end: the clock is read
    here)."""
    from interviewer.practice.selection import due_questions, weakest_questions

    now = datetime.now(UTC)
    if args.due:
        return due_questions(store, bank, now)
    return weakest_questions(store, bank, args.weakest, now)


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    bank = bank_from(settings)
    grader = resolve_grader(args.grader, settings, args.api_base, args.api_key_env)
    depth = settings.follow_up_depth if args.depth is None else args.depth
    if not 0 <= depth <= 3:
        raise UsageError("--depth: give 0 to 3 follow-ups per question")
    practice = args.due or args.weakest is not None
    if args.due and args.weakest is not None:
        raise UsageError("--due and --weakest pick the questions two ways: give one")
    if practice and (args.questions or args.random or args.tag or args.resume):
        flag = "--due" if args.due else "--weakest"
        raise UsageError(
            f"{flag} picks the questions: do not also give --questions, --random, --tag or --resume"
        )
    if not args.plain and sys.stdin.isatty() and sys.stdout.isatty() and not args.api_base:
        if practice:  # decided here, so "nothing due" fails on the command line, not in the TUI
            with Store() as store:
                args.questions = ",".join(q.id for q in _practice(args, store, bank))
        return _tui(args, settings, depth)
    with Store() as store:
        if args.resume:
            if args.questions or args.random or args.tag:
                raise UsageError("--resume continues a session: do not also select questions")
            interview = Interview.resume(store, bank, grader, args.resume)
        else:
            questions = (
                _practice(args, store, bank)
                if practice
                else select_questions(
                    bank, refs=args.questions, sample=args.random, seed=args.seed, tags=args.tag
                )
            )
            interview = Interview.start(
                store,
                bank,
                grader,
                questions,
                language=settings.lang,
                follow_up_depth=depth,
                time_limit_s=args.time_limit or settings.time_limit,
                banks=list(settings.banks),
            )
        return PlainInterview(interview, sys.stdin, sys.stdout).run()
