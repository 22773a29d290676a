"""Batch grading of JSON Lines: one output line per input line, in input order, resumable.

Input lines are `{"id", "question_id", "answer"}` (bank id or number) or
`{"id", "question", "reference_answer", "answer"}` (reference mode). A malformed line is
reported with its line number and written with status `error`, never dropped. Output is
appended and flushed line by line, so a killed run loses at most the line in flight and
`--resume` continues after the last complete line.
"""

import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, TextIO

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator

from interviewer.bank.loader import Bank
from interviewer.domain.grade import Grade
from interviewer.domain.rubric import Question
from interviewer.engine.lang import detect_language
from interviewer.engine.reference import derive_question
from interviewer.errors import InterviewerError, UsageError
from interviewer.llm.errors import ModelError
from interviewer.store.recorder import GradeRecorder
from interviewer.vocab import BatchLineStatus

GradeFn = Callable[[Question, str], Grade]
Ident = Annotated[
    str, BeforeValidator(lambda v: str(v) if isinstance(v, int) and not isinstance(v, bool) else v)
]


class BatchLine(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: Ident
    answer: str
    question_id: Ident | None = None
    question: str | None = None
    reference_answer: Annotated[str, Field(min_length=1)] | None = None

    @model_validator(mode="after")
    def _one_mode(self) -> "BatchLine":
        if self.question_id is None and self.reference_answer is None:
            raise ValueError("needs question_id (bank mode) or reference_answer (reference mode)")
        return self


@dataclass
class Summary:
    total: int = 0
    skipped: int = 0  # already in the output (--resume)
    graded: int = 0
    not_graded: int = 0


def _result(
    line_id: str | None, question_id: str | None, grade: Grade | None, error: str | None = None
) -> dict[str, Any]:
    if grade is None:
        return {
            "id": line_id,
            "question_id": question_id,
            "score": None,
            "status": BatchLineStatus.ERROR.value,
            "error": error,
        }
    return {
        "id": line_id,
        "question_id": grade.question_id,
        "score": grade.score,
        "status": grade.status.value,
        "grade": grade.model_dump(mode="json"),
    }


def _describe(exc: ValidationError) -> str:
    err = exc.errors()[0]
    field = ".".join(str(p) for p in err["loc"]) or "line"
    message = {"missing": "required field missing"}.get(
        err["type"], err["msg"].removeprefix("Value error, ")
    )
    return f"{field}: {message}"


def _done_ids(out: Path) -> list[str | None]:
    """Ids of the complete lines already written (a torn last line is dropped)."""
    ids: list[str | None] = []
    with out.open(encoding="utf-8") as fh:
        for raw in fh:
            if not raw.endswith("\n"):
                break
            try:
                ids.append(json.loads(raw).get("id"))
            except (json.JSONDecodeError, AttributeError):
                break
    return ids


def _truncate_to(out: Path, lines: int) -> None:
    with out.open("r+", encoding="utf-8") as fh:
        for _ in range(lines):
            fh.readline()
        fh.truncate(fh.tell())


def _input_id(raw: str) -> str | None:
    try:
        value = json.loads(raw).get("id")
    except (json.JSONDecodeError, AttributeError):
        return None
    return None if value is None else str(value)


def run_batch(
    source: TextIO,
    source_name: str,
    out: Path,
    bank: Bank,
    grade_fn: GradeFn,
    resume: bool = False,
    progress: Callable[[int, int], None] | None = None,
    warn: Callable[[str], None] = lambda msg: print(msg, file=sys.stderr),
    recorder: GradeRecorder | None = None,
) -> Summary:
    lines = source.read().removeprefix("\ufeff").splitlines()  # a BOM, also on stdin
    summary = Summary(total=len(lines))
    done = 0
    if out.exists() and out.stat().st_size > 0:
        if not resume:
            raise UsageError(
                f"--out {out}: already exists; use --resume to continue it, or remove it"
            )
        ids = _done_ids(out)
        for n, (want, got) in enumerate(
            zip((_input_id(raw) for raw in lines), ids, strict=False), 1
        ):
            if want != got:
                raise UsageError(
                    f"--resume: {out} line {n} has id {got!r} "
                    f"but {source_name} line {n} has {want!r}"
                )
        if len(ids) > len(lines):
            raise UsageError(f"--resume: {out} has more lines than {source_name}")
        done = len(ids)
        _truncate_to(out, done)
        summary.skipped = done
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("a", encoding="utf-8") as fh:
        for number, raw in enumerate(lines, start=1):
            if number <= done:
                continue
            record = _grade_line(raw, number, source_name, bank, grade_fn, warn, recorder)
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
            fh.flush()
            if record["status"] == BatchLineStatus.GRADED.value:
                summary.graded += 1
            else:
                summary.not_graded += 1
            if progress:
                progress(number, len(lines))
    return summary


def _grade_line(
    raw: str,
    number: int,
    source_name: str,
    bank: Bank,
    grade_fn: GradeFn,
    warn: Callable[[str], None],
    recorder: GradeRecorder | None = None,
) -> dict[str, Any]:
    line_id = _input_id(raw)

    def error(message: str, question_id: str | None = None) -> dict[str, Any]:
        warn(f"{source_name}:{number}: {message}")
        return _result(line_id, question_id, None, message)

    if not raw.strip():
        return error("empty line")
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        return error(f"invalid JSON: {exc.msg} (column {exc.colno})")
    if not isinstance(data, dict):
        return error("expected a JSON object")
    try:
        line = BatchLine.model_validate(data)
    except ValidationError as exc:
        return error(
            _describe(exc),
            data.get("question_id") if isinstance(data.get("question_id"), str) else None,
        )
    try:
        if line.question_id is not None:
            question = bank.find(line.question_id)
        else:
            assert line.reference_answer is not None
            question = derive_question(line.question or "", line.reference_answer)
    except (InterviewerError, ValueError) as exc:
        return error(str(exc), line.question_id)
    turn_id = None
    if recorder:  # the answer is saved before it is graded
        prompt = question.question.get(detect_language(line.answer))
        turn_id = recorder.before(question.id, prompt, line.answer)
    try:
        grade = grade_fn(question, line.answer)
    except ModelError as exc:  # the line was fine; the model failed: ungraded, not an input error
        if recorder and turn_id:
            recorder.failed(turn_id)
        warn(f"{source_name}:{number}: {exc}")
        return {
            "id": line.id,
            "question_id": question.id,
            "score": None,
            "status": BatchLineStatus.UNGRADED.value,
            "error": str(exc),
        }
    except InterviewerError as exc:
        if recorder and turn_id:
            recorder.failed(turn_id)
        return error(str(exc), question.id)
    if recorder and turn_id:
        recorder.after(turn_id, grade)
    return _result(line.id, question.id, grade)


def progress_bar(stream: TextIO) -> Callable[[int, int], None] | None:
    """A one-line progress bar on a terminal; nothing when stderr is redirected."""
    if not stream.isatty():
        return None

    def show(done: int, total: int) -> None:
        width = 30
        filled = width * done // max(total, 1)
        stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        if done == total:
            stream.write("\n")
        stream.flush()

    return show
