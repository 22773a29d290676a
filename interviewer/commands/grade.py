"""`interviewer grade`: grade one answer, or a JSON Lines batch."""

import argparse
import sys
from pathlib import Path

from interviewer.commands._context import bank_from, print_json, settings_from
from interviewer.domain.grade import Grade
from interviewer.errors import UsageError
from interviewer.graders import resolve_grader
from interviewer.vocab import ExitCode

FOLLOW_UP = {"en": "Follow-up", "zh": "追问"}


def _read_answer(args: argparse.Namespace) -> str:
    sources = [s for s in (args.answer, args.answer_file, args.stdin) if s is not None]
    if len(sources) != 1:
        raise UsageError("give the answer once: --answer TEXT, --answer-file FILE, or - for stdin")
    if args.answer is not None and args.answer != "-":
        text = args.answer
        where = "--answer"
    elif args.answer_file is not None and args.answer_file != "-":
        path = Path(args.answer_file)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise UsageError(f"--answer-file {path}: no such file") from None
        except UnicodeDecodeError:
            raise UsageError(f"--answer-file {path}: not UTF-8 text") from None
        except OSError as exc:
            raise UsageError(f"--answer-file {path}: {exc.strerror}") from None
        where = f"--answer-file {path}"
    else:
        text = sys.stdin.read()
        where = "stdin"
    if not text.strip():
        raise UsageError(f"{where}: the answer is empty; nothing to grade")
    return text


def _print_grade(grade: Grade, lang: str) -> None:
    print(grade.feedback)
    if grade.follow_ups:
        follow = grade.follow_ups[0]
        label = FOLLOW_UP["zh" if (grade.language or lang) == "zh" else "en"]
        print(f"\n{label} ({follow.kind.value}): {follow.question.get(grade.language or lang)}")


def _batch(args: argparse.Namespace, settings, grader) -> int:  # type: ignore[no-untyped-def]
    from interviewer.batch import progress_bar, run_batch

    if args.out is None:
        raise UsageError("--batch needs --out OUT.jsonl")
    bank = bank_from(settings)
    if args.batch == "-":
        summary = run_batch(
            sys.stdin, "stdin", Path(args.out), bank, grader, args.resume, progress_bar(sys.stderr)
        )
    else:
        path = Path(args.batch)
        try:
            with path.open(encoding="utf-8") as fh:
                summary = run_batch(
                    fh,
                    str(path),
                    Path(args.out),
                    bank,
                    grader,
                    args.resume,
                    progress_bar(sys.stderr),
                )
        except FileNotFoundError:
            raise UsageError(f"--batch {path}: no such file") from None
        except UnicodeDecodeError:
            raise UsageError(f"--batch {path}: not UTF-8 text") from None
        except IsADirectoryError:
            raise UsageError(f"--batch {path}: is a directory") from None
    print(
        f"{summary.graded} graded, {summary.not_graded} not graded, {summary.skipped} already done "
        f"({summary.total} lines) -> {args.out}",
        file=sys.stderr,
    )
    return int(ExitCode.INVALID if summary.not_graded else ExitCode.OK)


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    grader = resolve_grader(args.grader, settings)
    if args.batch is not None:
        if args.ref or args.answer is not None or args.answer_file is not None:
            raise UsageError("--batch grades a file: do not also give a question or an answer")
        return _batch(args, settings, grader)
    if not args.ref:
        raise UsageError("give a question id or number (or --batch IN.jsonl)")
    question = bank_from(settings).find(args.ref)
    grade = grader.grade(question, _read_answer(args), reveal=args.reveal)
    if args.json:
        print_json(
            {
                "question_id": grade.question_id,
                "score": grade.score,
                "status": grade.status.value,
                "grade": grade.model_dump(mode="json"),
            }
        )
    else:
        _print_grade(grade, settings.lang)
    return 0
