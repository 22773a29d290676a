"""Load banks of question YAML files, reporting every problem at once."""

import difflib
import hashlib
import os
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from pathlib import Path

from pydantic import ValidationError

from interviewer import __version__, paths
from interviewer.bank.checks import policy_problems, structure_problems
from interviewer.bank.problems import Problem
from interviewer.bank.yamlio import Parsed, parse_yaml
from interviewer.domain.rubric import Question
from interviewer.errors import BankError, UsageError

BUILTIN = "builtin"
YAML_SUFFIXES = (".yaml", ".yml")

_MESSAGES = {"missing": "required field missing", "extra_forbidden": "unknown field"}


def builtin_bank_dir() -> Path:
    """The bundled rubrics (repo `rubrics/`, shipped as the `interviewer.rubrics` package data)."""
    return Path(str(resources.files("interviewer.rubrics")))


def resolve_bank(spec: str | Path) -> Path:
    return builtin_bank_dir() if str(spec) == BUILTIN else Path(spec).expanduser()


@dataclass
class LoadedQuestion:
    question: Question
    file: str
    bank: str
    path: Path
    bank_index: int = 0  # position of its bank in the list given: banks keep their order

    @cached_property
    def parsed(self) -> Parsed:
        """The YAML with line numbers, parsed again only when a message needs a line."""
        return parse_yaml(self.path.read_text(encoding="utf-8"))


@dataclass
class Bank:
    """The questions of one or more bank directories, in bank then number order."""

    entries: list[LoadedQuestion] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def questions(self) -> list[Question]:
        return [e.question for e in self.entries]

    def policy_problems(self) -> list[Problem]:
        return [
            Problem(e.file, msg, path, e.parsed.line_of(path), kind="policy")
            for e in self.entries
            for path, msg in policy_problems(e.question)
        ]

    def find(self, ref: str) -> Question:
        """A question by id or number; unknown refs fail with the closest matches."""
        ref = ref.strip()
        if not ref:
            raise UsageError("empty question reference: give an id or a number")
        by_id = {q.id: q for q in self.questions}
        if ref in by_id:
            return by_id[ref]
        if ref.isdigit():
            hits = [q for q in self.questions if q.number == int(ref)]
            if len(hits) == 1:
                return hits[0]
            if len(hits) > 1:
                ids = ", ".join(q.id for q in hits)
                raise UsageError(
                    f"question number {ref} is ambiguous across banks ({ids}): use the id"
                )
            numbers = ", ".join(str(q.number) for q in self.questions)
            raise UsageError(f"no question number {ref}; the bank has {numbers}")
        raise UsageError(f"unknown question {ref!r}{self._suggest(ref)}")

    def _suggest(self, ref: str) -> str:
        names: dict[str, str] = {}
        for q in self.questions:
            names[q.id] = q.id
            for title in (q.title.zh, q.title.en):
                if title:
                    names[title.lower()] = q.id
        close = difflib.get_close_matches(ref.lower(), list(names), n=5, cutoff=0.4)
        # substring hits too: "dropout" should find "dropout-regularization"
        close += [name for name in names if ref.lower() in name and name not in close]
        ids = list(dict.fromkeys(names[c] for c in close))[:3]
        if not ids:
            return "; `interviewer questions` lists them"
        return "; did you mean " + ", ".join(ids) + "?"


def _bank_files(root: Path) -> list[Path]:
    if root.is_file():
        return [root]
    return sorted(p for p in root.rglob("*") if p.suffix in YAML_SUFFIXES and p.is_file())


def _display(path: Path) -> str:
    """A short file name for messages: relative to the cwd when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _validation_problems(exc: ValidationError, file: str, parsed: Parsed) -> list[Problem]:
    problems = []
    for err in exc.errors():
        path = tuple(err["loc"])
        message = _MESSAGES.get(err["type"], err["msg"].removeprefix("Value error, "))
        problems.append(Problem(file, message, path, parsed.line_of(path)))
    return problems


def _cache_file(data: bytes) -> Path:
    key = hashlib.sha256(__version__.encode() + b"\0" + data).hexdigest()[:32]
    return paths.cache_dir() / "bank" / f"{key}.json"


def _from_cache(data: bytes) -> Question | None:
    try:
        cached = _cache_file(data).read_bytes()
        # validated when it was cached: skip re-checking every regex
        return Question.model_validate_json(cached, context={"trusted": True})
    except (OSError, ValidationError, ValueError):
        return None


def _to_cache(data: bytes, question: Question) -> None:
    """Best effort: a read-only or full disk only costs speed."""
    target = _cache_file(data)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(question.model_dump_json(), encoding="utf-8")
        os.replace(tmp, target)
    except OSError:
        pass


def load_file(
    path: Path, bank: str, bank_index: int = 0
) -> tuple[LoadedQuestion | None, list[Problem]]:
    """One question file. A valid file is cached by content hash: YAML is slow to construct."""
    file = _display(path)
    try:
        data = path.read_bytes()
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, [Problem(file, f"not UTF-8 text ({exc.reason} at byte {exc.start})")]
    except OSError as exc:
        return None, [Problem(file, f"cannot read: {exc.strerror}")]
    cached = _from_cache(data)
    if cached is not None:
        return LoadedQuestion(cached, file, bank, path, bank_index), []
    parsed = parse_yaml(text)
    problems = [Problem(file, msg, path_, line) for line, path_, msg in parsed.errors]
    if parsed.data is None and not problems:
        return None, [Problem(file, "empty file: expected a question mapping")]
    if problems and parsed.data is None:
        return None, problems
    if not isinstance(parsed.data, dict):
        return None, [*problems, Problem(file, "expected a mapping of question fields", (), 1)]
    try:
        question = Question.model_validate(parsed.data)
    except ValidationError as exc:
        return None, problems + _validation_problems(exc, file, parsed)
    problems += [
        Problem(file, msg, p, parsed.line_of(p)) for p, msg in structure_problems(question)
    ]
    entry = LoadedQuestion(question, file, bank, path, bank_index)
    entry.__dict__["parsed"] = parsed  # already at hand
    if not problems:
        _to_cache(data, question)
    return entry, problems


def load_bank(specs: list[str | Path]) -> Bank:
    """Load banks and collect every problem; does not raise (see `require_valid`)."""
    result = Bank()
    for index, spec in enumerate(specs):
        root = resolve_bank(spec)
        name = BUILTIN if str(spec) == BUILTIN else _display(root)
        if not root.exists():
            result.problems.append(Problem(name, "no such bank directory or file"))
            continue
        files = _bank_files(root)
        if not files:
            result.problems.append(Problem(name, "no question files (*.yaml) in this bank"))
        numbers: dict[int, list[LoadedQuestion]] = defaultdict(list)
        for path in files:
            entry, problems = load_file(path, name, index)
            result.problems += problems
            if entry:
                numbers[entry.question.number].append(entry)
                result.entries.append(entry)
        for number, same in numbers.items():
            for dup in same[1:]:
                first = same[0].file
                line = dup.parsed.line_of(("number",))
                msg = f"duplicate question number {number} (also in {first})"
                result.problems.append(Problem(dup.file, msg, ("number",), line))
    seen: dict[str, LoadedQuestion] = {}
    for entry in result.entries:
        qid = entry.question.id
        if qid in seen:
            msg = f"duplicate question id {qid!r} (also in {seen[qid].file})"
            result.problems.append(Problem(entry.file, msg, ("id",), entry.parsed.line_of(("id",))))
        else:
            seen[qid] = entry
    result.entries.sort(key=lambda e: (e.bank_index, e.question.number))
    return result


def require_valid(bank: Bank) -> Bank:
    if bank.problems:
        raise BankError(bank.problems)
    return bank
