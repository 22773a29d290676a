"""`interviewer bank build DOC... --out DIR`: read, parse, draft, (enrich), merge, write.

Questions are numbered across documents in the order given (the second document's questions
follow the first's). Nothing is written unless every file was drafted and validated.
"""

import asyncio
from collections import Counter
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from interviewer.bank.checks import policy_problems
from interviewer.build import merge
from interviewer.build.draft import draft_question, question_id
from interviewer.build.enrich import Enricher, EnrichFailed, validate
from interviewer.build.parse import ExtractedQA, NotADocument, ParsedDocument, parse_document
from interviewer.build.terms import Corpus, bank_background
from interviewer.build.yamlout import dump_question
from interviewer.domain.rubric import Question
from interviewer.errors import UsageError
from interviewer.files import read_text_file

CONCURRENCY = 4  # model requests at once


class DocumentReport(BaseModel):
    path: str
    format: str
    questions: int
    skipped: list[str] = []


class BuildReport(BaseModel):
    out: str
    documents: list[DocumentReport]
    added: list[str] = []  # "03 dropout-a1b2c3: title"
    updated: list[str] = []
    kept: list[str] = []
    enriched: list[str] = []
    failed: list[str] = []  # enrichment failures: the offline draft was written instead
    strict: dict[str, int] = {}  # what `bank check --strict` still lists: item -> questions
    unreadable: list[str] = []  # files in --out that are not questions (left alone)


def read_document(path: Path) -> str:
    return read_text_file(path, kind="document")


def parse_file(path: Path) -> ParsedDocument:
    if path.is_dir():
        raise UsageError(f"{path}: is a directory, not a document")
    try:
        return parse_document(read_document(path))
    except NotADocument as exc:
        raise UsageError(f"{path}: {exc}") from None


def _strict_label(path: tuple, message: str) -> str:
    if "zh and en" in message:
        return "both languages"
    if "recitation score" in message:
        return "recitation score in [3.5, 5.5]"
    if "deep key points" in message:
        return "deep key points"
    if "hint" in path:
        return "hints"
    if "signal" in message:
        return "signals"
    return str(path[0]).replace("_", " ") if path else message


def strict_summary(questions: list[Question]) -> dict[str, int]:
    """What `--strict` still lists, as item -> number of questions concerned."""
    counts: Counter[str] = Counter()
    for q in questions:
        counts.update({_strict_label(p, m) for p, m in policy_problems(q)})
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def _header(doc: Path, qa: ExtractedQA, layout: str, model: str | None) -> str:
    lines = [
        f"Drafted by `interviewer bank build` from {doc.name}, line {qa.line} ({layout} layout).",
        "Review it, complete what `interviewer bank check --strict` lists, "
        "then remove `draft: true`.",
    ]
    lines += [f"Note: {note}" for note in qa.notes]
    if qa.link_only:
        lines.append("Note: the document's answer is only a link; the key point is its title.")
    if model:
        lines.append(
            f"Completed by {model}: items with `generated: true` and the fields listed under "
            "`review:` were written by the model."
        )
    return "\n".join(lines)


async def _enrich_all(
    enricher: Enricher, jobs: list[tuple[dict[str, Any], ExtractedQA]]
) -> list[dict[str, Any] | str]:
    """Each draft enriched, or the reason it was not; stops asking after a fatal failure."""
    gate = asyncio.Semaphore(CONCURRENCY)
    fatal: list[str] = []

    async def one(draft: dict[str, Any], qa: ExtractedQA) -> dict[str, Any] | str:
        async with gate:
            if fatal:
                return f"not tried: {fatal[0]}"
            try:
                return await enricher.enrich(draft, qa)
            except EnrichFailed as exc:
                if exc.fatal:
                    fatal.append(str(exc))
                return str(exc)

    return list(await asyncio.gather(*(one(d, qa) for d, qa in jobs)))


def build_bank(
    docs: list[Path], out: Path, *, enricher: Enricher | None = None, overwrite: bool = False
) -> BuildReport:
    merge.check_out_dir(out)
    if not docs:
        raise UsageError("give at least one document")
    parsed = [(doc, parse_file(doc)) for doc in docs]
    corpus = Corpus(
        (text for _, p in parsed for qa in p.questions for text in (qa.question, qa.answer)),
        *bank_background(),
    )
    report = BuildReport(
        out=str(out),
        documents=[
            DocumentReport(
                path=str(d), format=p.format, questions=len(p.questions), skipped=p.skipped
            )
            for d, p in parsed
        ],
    )
    drafted: list[tuple[Path, str, ExtractedQA, dict[str, Any]]] = []
    ids: Counter[str] = Counter()
    offset = 0
    for doc, p in parsed:
        for qa in p.questions:
            base = question_id(qa.title)
            ids[base] += 1
            qid = base if ids[base] == 1 else f"{base}-{ids[base]}"
            data = draft_question(qa, qid=qid, number=offset + qa.number, corpus=corpus)
            validate(data)  # a draft that does not validate is a bug: fail before writing
            drafted.append((doc, p.format, qa, data))
        offset += max((qa.number for qa in p.questions), default=0)
    existing = merge.read_existing(out)
    report.unreadable = [str(p) for p in existing.unreadable]
    planned = merge.plan([(d["id"], d["number"]) for *_, d in drafted], existing, out, overwrite)
    for plan, item in zip(planned, drafted, strict=True):
        item[3]["number"] = plan.number
    todo = [
        (plan, item) for plan, item in zip(planned, drafted, strict=True) if plan.action != "kept"
    ]
    results: list[dict[str, Any] | str] = []
    if enricher is not None and todo:
        results = asyncio.run(_enrich_all(enricher, [(item[3], item[2]) for _, item in todo]))
    files: dict[Path, str] = {}
    written: list[Question] = []
    for i, (plan, (doc, layout, qa, data)) in enumerate(todo):
        name = f"{plan.number:02d} {plan.id}: {qa.title}"
        model = None
        if results:
            if isinstance(results[i], dict):
                data, model = results[i], enricher.label  # type: ignore[union-attr,assignment]
                report.enriched.append(name)
            else:
                report.failed.append(f"question {name}: {results[i]} (the offline draft was kept)")
        written.append(validate(data))
        files[plan.path] = dump_question(data, _header(doc, qa, layout, model))
        (report.added if plan.action == "added" else report.updated).append(name)
    report.kept = [
        f"{plan.number:02d} {plan.id}: {item[2].title}"
        for plan, item in zip(planned, drafted, strict=True)
        if plan.action == "kept"
    ]
    _check_round_trip(files)
    merge.write_files(out, files)
    report.strict = strict_summary(written)
    return report


def _check_round_trip(files: dict[Path, str]) -> None:
    """Every file reads back as the question it was written from (YAML quoting, types)."""
    from interviewer.bank.yamlio import parse_yaml

    for path, text in files.items():
        parsed = parse_yaml(text)
        if parsed.errors:
            raise AssertionError(
                f"{path.name}: the YAML written does not parse: {parsed.errors[0]}"
            )
        validate(parsed.data)
