"""Building into an existing bank: merge by question id, keep what people edited, write
atomically.

A question whose id is already in the bank is kept as it is (the file is not touched) unless
`--overwrite`, which rewrites it in place (same file, same number). A file that does not read
as YAML (or reads as a question without an id) stops the build: its question could not be
recognised, and building around it would write that question a second time. A new question keeps its
document number when the bank does not use it yet, else takes the next free number. Files are
written to temporary names first and renamed into place only when every one was written; a
new bank directory appears whole or not at all.
"""

import os
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from interviewer.bank.loader import YAML_SUFFIXES
from interviewer.bank.yamlio import parse_yaml
from interviewer.errors import UsageError

Action = Literal["added", "updated", "kept"]


@dataclass(frozen=True)
class ExistingQuestion:
    id: str
    number: int | None
    path: Path


@dataclass
class Existing:
    questions: dict[str, ExistingQuestion]
    unreadable: list[Path]

    @property
    def numbers(self) -> set[int]:
        return {q.number for q in self.questions.values() if q.number is not None}


@dataclass
class Planned:
    id: str
    number: int
    action: Action
    path: Path


def check_out_dir(out: Path) -> None:
    """`out` is a directory or can become one: neither it nor a parent is a file."""
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out}: is a file, not a directory")
    parent = next((p for p in out.parents if p.exists()), None)
    if parent is not None and not parent.is_dir():
        raise UsageError(f"--out {out}: {parent} is a file, not a directory")


# Fields only a question file has: a mapping with one of them but no id is a broken question.
_QUESTION_FIELDS = ("title", "question", "key_points", "number")


def _broken(path: Path, why: str) -> UsageError:
    return UsageError(f"--out: {path}: {why}; fix it or move it away, then build again")


def read_existing(out: Path) -> Existing:
    """The questions already in `out`, by id; other YAML (not a question) is left alone. A
    file that does not parse, or a question without an id, is an error (UsageError)."""
    found: dict[str, ExistingQuestion] = {}
    unreadable: list[Path] = []
    if not out.is_dir():
        return Existing(found, unreadable)
    for path in sorted(p for p in out.rglob("*") if p.suffix in YAML_SUFFIXES and p.is_file()):
        try:
            parsed = parse_yaml(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            raise _broken(path, f"cannot be read ({exc})") from None
        if parsed.errors:
            line, _, message = parsed.errors[0]
            raise _broken(path, message + (f" (line {line})" if line else ""))
        data = parsed.data
        qid = data.get("id") if isinstance(data, dict) else None
        if not isinstance(qid, str):
            if isinstance(data, dict) and any(k in data for k in _QUESTION_FIELDS):
                raise _broken(path, "a question without an id")
            unreadable.append(path)
            continue
        number = data.get("number")  # type: ignore[union-attr]
        found.setdefault(
            qid, ExistingQuestion(qid, number if isinstance(number, int) else None, path)
        )
    return Existing(found, unreadable)


def plan(
    drafts: list[tuple[str, int]], existing: Existing, out: Path, overwrite: bool
) -> list[Planned]:
    """What happens to each drafted (id, number): added, updated (--overwrite) or kept."""
    used = set(existing.numbers)
    paths = {q.path for q in existing.questions.values()} | set(existing.unreadable)
    planned = []
    for qid, number in drafts:
        old = existing.questions.get(qid)
        if old is not None:
            action: Action = "updated" if overwrite else "kept"
            planned.append(Planned(qid, old.number or number, action, old.path))
            continue
        if number in used:
            number = max(used) + 1
        used.add(number)
        path = out / f"{number:02d}-{qid}.yaml"
        n = 2
        while path in paths or path.exists():
            path, n = out / f"{number:02d}-{qid}-{n}.yaml", n + 1
        paths.add(path)
        planned.append(Planned(qid, number, "added", path))
    return planned


def write_files(out: Path, files: dict[Path, str]) -> None:
    """Write every file or none: a new directory is filled aside and renamed into place;
    in an existing one each file goes to a temporary name first, renamed once all are written."""
    if not files:
        return
    if not out.exists():
        out.parent.mkdir(parents=True, exist_ok=True)
        staging = out.parent / f".{out.name}.{os.getpid()}.{secrets.token_hex(3)}.tmp"
        staging.mkdir()  # (not mkdtemp: the bank gets the usual permissions)
        try:
            for path, text in files.items():
                target = staging / path.relative_to(out)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(text, encoding="utf-8")
            staging.rename(out)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        return
    temps: dict[Path, Path] = {}
    try:
        for path, text in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            tmp.write_text(text, encoding="utf-8")
            temps[path] = tmp
        for path, tmp in temps.items():
            os.replace(tmp, path)
    except BaseException:
        for tmp in temps.values():
            tmp.unlink(missing_ok=True)
        raise
