"""`interviewer grade`: grade one answer, or a JSON Lines batch; saved unless --no-save."""

import argparse
import asyncio
import contextlib
import io
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from interviewer.bank.loader import Bank
from interviewer.batch import Summary, progress_bar, run_batch
from interviewer.commands._context import bank_from, print_json, settings_from
from interviewer.domain.grade import Grade
from interviewer.domain.rubric import Question
from interviewer.engine.guards import check_length
from interviewer.engine.lang import detect_language
from interviewer.engine.offline import OfflineGrader
from interviewer.errors import InterviewerError, UsageError
from interviewer.files import read_text_file
from interviewer.graders import resolve_grader
from interviewer.settings import Settings
from interviewer.store.recorder import GradeRecorder
from interviewer.store.repo import Store
from interviewer.vocab import ExitCode, GradeStatus

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
        text = read_text_file(path, where)
    else:
        if hasattr(sys.stdin, "reconfigure"):  # bytes that are not UTF-8 become U+FFFD
            sys.stdin.reconfigure(errors="replace")
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


def _grade_function(grader: Any, runner: asyncio.Runner) -> Callable[[Question, str], Grade]:
    """Grade synchronously with either grader; model graders share one event loop."""
    if isinstance(grader, OfflineGrader):
        return lambda question, answer: grader.grade(question, answer)
    return lambda question, answer: runner.run(grader.agrade(question, answer))


def _recorder(
    stack: contextlib.ExitStack,
    args: argparse.Namespace,
    mode: str,
    grader: Any,
    settings: Settings,
) -> GradeRecorder | None:
    if args.no_save:
        return None
    store = stack.enter_context(Store())
    recorder = GradeRecorder(store, mode, grader.name, list(settings.banks))  # type: ignore[arg-type]
    stack.callback(recorder.finish)
    return recorder


def _run_batch_file(
    args: argparse.Namespace,
    bank: Bank,
    grade_fn: Callable[[Question, str], Grade],
    recorder: GradeRecorder | None,
) -> Summary:
    bar = progress_bar(sys.stderr)
    out = Path(args.out)
    if args.batch == "-":
        return run_batch(
            sys.stdin, "stdin", out, bank, grade_fn, args.resume, bar, recorder=recorder
        )
    path = Path(args.batch)
    text = read_text_file(path, f"--batch {path}")
    return run_batch(
        io.StringIO(text), str(path), out, bank, grade_fn, args.resume, bar, recorder=recorder
    )


def _batch(args: argparse.Namespace, settings: Settings, grader: Any) -> int:
    if args.out is None:
        raise UsageError("--batch needs --out OUT.jsonl")
    bank = bank_from(settings)
    with contextlib.ExitStack() as stack:
        runner = stack.enter_context(asyncio.Runner())
        recorder = _recorder(stack, args, "batch", grader, settings)
        summary = _run_batch_file(args, bank, _grade_function(grader, runner), recorder)
    print(
        f"{summary.graded} graded, {summary.not_graded} not graded, {summary.skipped} already done "
        f"({summary.total} lines) -> {args.out}",
        file=sys.stderr,
    )
    return int(ExitCode.INVALID if summary.not_graded else ExitCode.OK)


def _show_prompt(question: Question, answer: str, lang: str | None) -> int:
    """The rendered grading prompt (schema-in-prompt form), without calling any model."""
    from interviewer.llm.output import GradeOutput, response_schema
    from interviewer.llm.prompts import grade_prompt

    prompt = grade_prompt(
        question, answer, lang or detect_language(answer), response_schema(GradeOutput)
    )
    print(f"# prompt {prompt.version} (hash {prompt.hash}; the fence token is new each request)\n")
    print(prompt.text)
    return 0


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    lang = getattr(args, "lang", None)  # --lang renders the rubric in that language
    if args.samples < 1:
        raise UsageError("--samples: give 1 or more")
    if args.batch is not None:
        if args.ref or args.answer is not None or args.answer_file is not None:
            raise UsageError("--batch grades a file: do not also give a question or an answer")
        grader = resolve_grader(
            args.grader, settings, args.api_base, args.api_key_env, samples=args.samples, lang=lang
        )
        return _batch(args, settings, grader)
    if not args.ref:
        raise UsageError("give a question id or number (or --batch IN.jsonl)")
    question = bank_from(settings).find(args.ref)
    answer = _read_answer(args)
    check_length(answer)
    if args.show_prompt:
        return _show_prompt(question, answer, lang)
    grader = resolve_grader(
        args.grader, settings, args.api_base, args.api_key_env, samples=args.samples, lang=lang
    )
    with contextlib.ExitStack() as stack:
        runner = stack.enter_context(asyncio.Runner())
        recorder = _recorder(stack, args, "grade", grader, settings)
        # the answer is saved before it is graded
        prompt = question.question.get(detect_language(answer))
        turn_id = recorder.before(question.id, prompt, answer) if recorder else None
        try:
            if isinstance(grader, OfflineGrader):
                grade = grader.grade(question, answer, reveal=args.reveal)
            else:
                grade = runner.run(grader.agrade(question, answer))
        except InterviewerError:
            if recorder and turn_id:
                recorder.failed(turn_id)
            raise
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
    if grade.status == GradeStatus.UNGRADED:
        where = " (saved with the raw reply; `interviewer sessions show`)" if recorder else ""
        print(
            f"interviewer: ungraded{where}: retry, use another --grader, or --grader offline",
            file=sys.stderr,
        )
        return int(ExitCode.MODEL)
    return 0
