"""`interviewer grade`: grade one answer, or a JSON Lines batch; saved unless --no-save."""

import argparse
import contextlib
import sys
from pathlib import Path

from interviewer.bank.loader import Bank
from interviewer.batch import Summary, progress_bar, run_batch
from interviewer.commands._context import bank_from, print_json, settings_from
from interviewer.domain.grade import Grade
from interviewer.engine.guards import check_length
from interviewer.engine.lang import detect_language
from interviewer.engine.offline import OfflineGrader
from interviewer.errors import UsageError
from interviewer.graders import resolve_grader
from interviewer.settings import Settings
from interviewer.store.recorder import GradeRecorder
from interviewer.store.repo import Store
from interviewer.vocab import ExitCode

FOLLOW_UP = {"en": "Follow-up", "zh": "追问"}


def _read_answer(args: argparse.Namespace) -> str:
    sources = [s for s in (args.answer, args.answer_file, args.stdin) if s is not None]
    if len(sources) != 1:
        raise UsageError("give the answer once: --answer TEXT, --answer-file FILE, or - for stdin")
    if args.answer is not None and args.answer != "-":
        text, where = args.answer, "--answer"
    elif args.answer_file is not None and args.answer_file != "-":
        path = Path(args.answer_file)
        where = f"--answer-file {path}"
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise UsageError(f"{where}: no such file") from None
        except UnicodeDecodeError:
            raise UsageError(f"{where}: not UTF-8 text") from None
        except OSError as exc:
            raise UsageError(f"{where}: {exc.strerror}") from None
    else:
        text, where = sys.stdin.read(), "stdin"
    if not text.strip():
        raise UsageError(f"{where}: the answer is empty; nothing to grade")
    return text


def _print_grade(grade: Grade, lang: str) -> None:
    print(grade.feedback)
    if grade.follow_ups:
        follow = grade.follow_ups[0]
        shown = grade.language or lang
        label = FOLLOW_UP["zh" if shown == "zh" else "en"]
        print(f"\n{label} ({follow.kind.value}): {follow.question.get(shown)}")  # type: ignore[arg-type]


def _recorder(
    stack: contextlib.ExitStack,
    args: argparse.Namespace,
    mode: str,
    grader: OfflineGrader,
    settings: Settings,
) -> GradeRecorder | None:
    if args.no_save:
        return None
    store = stack.enter_context(Store())
    recorder = GradeRecorder(store, mode, grader.name, list(settings.banks))  # type: ignore[arg-type]
    stack.callback(recorder.finish)
    return recorder


def _run_batch_file(
    args: argparse.Namespace, bank: Bank, grader: OfflineGrader, recorder: GradeRecorder | None
) -> Summary:
    bar = progress_bar(sys.stderr)
    out = Path(args.out)
    if args.batch == "-":
        return run_batch(sys.stdin, "stdin", out, bank, grader, args.resume, bar, recorder=recorder)
    path = Path(args.batch)
    try:
        with path.open(encoding="utf-8") as fh:
            return run_batch(fh, str(path), out, bank, grader, args.resume, bar, recorder=recorder)
    except FileNotFoundError:
        raise UsageError(f"--batch {path}: no such file") from None
    except UnicodeDecodeError:
        raise UsageError(f"--batch {path}: not UTF-8 text") from None
    except IsADirectoryError:
        raise UsageError(f"--batch {path}: is a directory") from None


def _batch(args: argparse.Namespace, settings: Settings, grader: OfflineGrader) -> int:
    if args.out is None:
        raise UsageError("--batch needs --out OUT.jsonl")
    bank = bank_from(settings)
    with contextlib.ExitStack() as stack:
        summary = _run_batch_file(
            args, bank, grader, _recorder(stack, args, "batch", grader, settings)
        )
    print(
        f"{summary.graded} graded, {summary.not_graded} not graded, {summary.skipped} already done "
        f"({summary.total} lines) -> {args.out}",
        file=sys.stderr,
    )
    return int(ExitCode.INVALID if summary.not_graded else ExitCode.OK)


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    grader = resolve_grader(args.grader, settings, args.api_base, args.api_key_env)
    if args.batch is not None:
        if args.ref or args.answer is not None or args.answer_file is not None:
            raise UsageError("--batch grades a file: do not also give a question or an answer")
        return _batch(args, settings, grader)
    if not args.ref:
        raise UsageError("give a question id or number (or --batch IN.jsonl)")
    question = bank_from(settings).find(args.ref)
    answer = _read_answer(args)
    check_length(answer)
    with contextlib.ExitStack() as stack:
        recorder = _recorder(stack, args, "grade", grader, settings)
        # the answer is saved before it is graded
        prompt = question.question.get(detect_language(answer))
        turn_id = recorder.before(question.id, prompt, answer) if recorder else None
        grade = grader.grade(question, answer, reveal=args.reveal)
        if recorder and turn_id:
            recorder.after(turn_id, grade)
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
