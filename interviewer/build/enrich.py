"""A model completes a drafted question: the other language, hints, deeper key points,
misconceptions, probes, levels, a reference answer and tags (`bank build --grader`).

One request per question through the model grader's machinery (structured-output modes with
`auto` fallback, tolerant JSON extraction, one repair request). Everything the model writes is
marked for review: `generated: true` on the items it adds, and the question's `review` list
names the fields it filled in (`title.en`, `key_points.p1.hint`, ...). The result must
validate as a bank question; if it does not, or the model fails, the offline draft stays and
the error says which question failed.
"""

import copy
import hashlib
import json
import math
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator

from interviewer.bank.checks import structure_problems
from interviewer.bank.problems import format_path
from interviewer.build.draft import slug
from interviewer.build.parse import ExtractedQA
from interviewer.domain.rubric import Question
from interviewer.llm import errors as e
from interviewer.llm.prompts import LANG_NAME, RenderedPrompt, fence_token, format_block, template
from interviewer.vocab import TAGS

# Words that turn a misconception around ("L2 does NOT make weights sparse").
NEGATIONS = ["not", "never", "no longer", "不会", "不是", "并非", "而非", "没有", "并不"]
# Failures after which asking about the next question cannot go better.
FATAL = (e.AuthFailed, e.ModelUnreachable, e.BadRequest)


class EnrichFailed(Exception):
    def __init__(self, message: str, fatal: bool = False) -> None:
        super().__init__(message)
        self.fatal = fatal


class _Out(BaseModel):
    model_config = ConfigDict(extra="ignore")


class GenText(_Out):
    zh: str = ""
    en: str = ""


Terms = list[list[str]]


class GenExisting(_Out):
    id: str
    text: GenText | None = None
    hint: GenText | None = None


class GenPoint(_Out):
    id: str = ""
    text: GenText
    depth: Literal["core", "deep"] = "deep"
    hint: GenText | None = None
    terms: Terms = Field(default_factory=list)


class GenMisconception(_Out):
    id: str = ""
    text: GenText
    correction: GenText
    terms: Terms = Field(default_factory=list)


class GenExpected(_Out):
    text: GenText
    terms: Terms = Field(default_factory=list)


class GenProbe(_Out):
    id: str = ""
    kind: Literal["missed", "deeper", "challenge"]
    question: GenText
    targets: list[str] = Field(default_factory=list)
    challenges: list[str] = Field(default_factory=list)
    expected_points: list[GenExpected] = Field(default_factory=list)


class GenLevel(_Out):
    min: float
    max: float
    description: GenText


_ITEMS: dict[str, type[BaseModel]] = {
    "key_points": GenExisting,
    "new_key_points": GenPoint,
    "misconceptions": GenMisconception,
    "probes": GenProbe,
    "levels": GenLevel,
}


class EnrichOutput(_Out):
    title: GenText | None = None
    question: GenText | None = None
    key_points: list[GenExisting] = Field(default_factory=list)
    new_key_points: list[GenPoint] = Field(default_factory=list)
    misconceptions: list[GenMisconception] = Field(default_factory=list)
    probes: list[GenProbe] = Field(default_factory=list)
    levels: list[GenLevel] = Field(default_factory=list)
    reference_answer: GenText | None = None
    tags: list[str] = Field(default_factory=list)

    @field_validator(*_ITEMS, mode="before")
    @classmethod
    def _valid_items(cls, value: Any, info: ValidationInfo) -> Any:
        """Items that do not validate (a probe of an unknown kind) are dropped one by one: one
        bad item should not cost the rest of the completion."""
        if not isinstance(value, list):
            return value
        model = _ITEMS[info.field_name]  # type: ignore[index]
        kept = []
        for item in value:
            try:
                model.model_validate(item)
            except ValidationError:
                continue
            kept.append(item)
        return kept

    @field_validator("tags", mode="before")
    @classmethod
    def _string_tags(cls, value: Any) -> Any:
        return [t for t in value if isinstance(t, str)] if isinstance(value, list) else value


# -- the prompt ---------------------------------------------------------------------------


def enrich_prompt(draft: dict[str, Any], qa: ExtractedQA, schema: dict | None) -> RenderedPrompt:
    other = "en" if qa.lang == "zh" else "zh"
    points = "\n".join(f"- {kp['id']}: {kp['text'][qa.lang]}" for kp in draft["key_points"])
    tpl = template("build")
    body = tpl.render(
        doc_language=LANG_NAME[qa.lang],
        other_language=LANG_NAME[other],
        question=qa.question,
        fence=fence_token(),
        answer=qa.answer,
        key_points=points,
        tags=", ".join(TAGS),
        format=format_block(schema),
    )
    messages = [{"role": "user", "content": body}]
    digest = hashlib.sha256(json.dumps(messages, ensure_ascii=False).encode()).hexdigest()[:16]
    return RenderedPrompt(messages, tpl.version, digest)


# -- from the model's output to bank data -------------------------------------------------


def _text(gen: GenText | None) -> dict[str, str] | None:
    if gen is None:
        return None
    out = {lang: getattr(gen, lang).strip() for lang in ("zh", "en")}
    out = {k: v for k, v in out.items() if v}
    return out or None


def _signals(terms: Terms, negations: bool = False) -> list[dict[str, Any]]:
    groups = [
        [t.strip() for t in g if isinstance(t, str) and t.strip() not in ("", "*")] for g in terms
    ]
    groups = [g for g in groups if g][:4]
    if not groups:
        return []
    signal: dict[str, Any] = {"all": groups, "scope": "sentence"}
    if len(groups) >= 3:
        signal["min"] = math.ceil(len(groups) * 2 / 3)
    if negations:
        signal["none"] = [NEGATIONS]
    return [signal]


class _Ids:
    """Model ids made into unique slugs; remembers the mapping for probe targets."""

    def __init__(self, taken: set[str], prefix: str) -> None:
        self.taken = set(taken)
        self.prefix = prefix
        self.mapping: dict[str, str] = {t: t for t in taken}

    def new(self, raw: str) -> str:
        base = slug(raw, words=5) or f"{self.prefix}{len(self.taken) + 1}"
        found, n = base, 2
        while found in self.taken:
            found, n = f"{base}-{n}", n + 1
        self.taken.add(found)
        self.mapping[raw] = self.mapping[slug(raw, words=5) or raw] = found
        return found

    def resolve(self, raw: str) -> str:
        return self.mapping.get(raw) or self.mapping.get(slug(raw, words=5), slug(raw) or raw)


def _content(data: dict[str, Any]) -> dict[str, Any]:
    """What a question says, ignoring the review list and empty lists."""
    return {k: v for k, v in data.items() if k != "review" and v != []}


def apply(draft: dict[str, Any], out: EnrichOutput, lang: str) -> dict[str, Any]:
    """The draft completed with the model's output, every model-written part marked."""
    data = copy.deepcopy(draft)
    other = "en" if lang == "zh" else "zh"
    review: list[str] = list(data.get("review", []))

    def fill(target: dict[str, str], gen: GenText | None, path: str) -> None:
        value = getattr(gen, other, "").strip() if gen else ""
        if value and not target.get(other):
            target[other] = value
            review.append(f"{path}.{other}")

    fill(data["title"], out.title, "title")
    fill(data["question"], out.question, "question")
    points = {kp["id"]: kp for kp in data["key_points"]}
    for gen in out.key_points:
        kp = points.get(gen.id) or points.get(slug(gen.id))
        if kp is None:
            continue
        fill(kp["text"], gen.text, f"key_points.{kp['id']}.text")
        if (hint := _text(gen.hint)) and "hint" not in kp:
            kp["hint"] = hint
            review.append(f"key_points.{kp['id']}.hint")
    ids = _Ids(set(points), "g")
    for gen in out.new_key_points:
        if (text := _text(gen.text)) is None:
            continue
        point: dict[str, Any] = {
            "id": ids.new(gen.id),
            "text": text,
            "depth": gen.depth,
            "source": "missed",
            "signals": _signals(gen.terms),
            "generated": True,
        }
        if hint := _text(gen.hint):
            point["hint"] = hint
        data["key_points"].append(point)
    mids = _Ids(set(), "m")
    misconceptions = []
    for gen in out.misconceptions:
        text, correction = _text(gen.text), _text(gen.correction)
        if text and correction:
            misconceptions.append(
                {
                    "id": mids.new(gen.id),
                    "text": text,
                    "correction": correction,
                    "signals": _signals(gen.terms, negations=True),
                    "generated": True,
                }
            )
    data["misconceptions"] = data.get("misconceptions", []) + misconceptions
    pids = _Ids(set(), "probe")
    for gen in out.probes:
        if (question := _text(gen.question)) is None:
            continue
        probe: dict[str, Any] = {
            "id": pids.new(gen.id),
            "kind": gen.kind,
            "question": question,
            # an unknown target is dropped: a probe linked to nothing is a linter warning
            "targets": [t for t in dict.fromkeys(map(ids.resolve, gen.targets)) if t in ids.taken],
        }
        if challenges := [
            c for c in dict.fromkeys(map(mids.resolve, gen.challenges)) if c in mids.taken
        ]:
            probe["challenges"] = challenges
        probe["expected_points"] = [
            {"text": t, "signals": _signals(x.terms)}
            for x in gen.expected_points
            if (t := _text(x.text))
        ]
        probe["generated"] = True
        data.setdefault("probes", []).append(probe)
    levels = [
        {"min": lv.min, "max": lv.max, "description": d, "generated": True}
        for lv in sorted(out.levels, key=lambda lv: lv.min)
        if (d := _text(lv.description))
    ]
    if levels:
        data["levels"] = levels
    if (reference := _text(out.reference_answer)) and "reference_answer" not in data:
        data["reference_answer"] = reference
        review.append("reference_answer")
    tags = [t for t in dict.fromkeys(out.tags) if t in TAGS]
    if tags and not data.get("tags"):
        data["tags"] = tags
        review.append("tags")
    data["review"] = list(dict.fromkeys(review))
    return data


def validate(data: dict[str, Any]) -> Question:
    """The data as a question, or EnrichFailed naming the first problem."""
    try:
        question = Question.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = format_path(tuple(err["loc"]))
        raise EnrichFailed(f"not a valid rubric: {where}: {err['msg']}") from None
    problems = structure_problems(question)
    if problems:
        path, message = problems[0]
        raise EnrichFailed(f"not a valid rubric: {format_path(path)}: {message}")
    return question


class Enricher:
    """Completes drafts with a model grader's client (an `LLMGrader`)."""

    def __init__(self, grader: Any) -> None:
        self.grader = grader
        self.label = grader.spec.label

    async def enrich(self, draft: dict[str, Any], qa: ExtractedQA) -> dict[str, Any]:
        from interviewer.llm.grader import Usage

        def build(schema: dict | None) -> RenderedPrompt:
            return enrich_prompt(draft, qa, schema)

        try:
            # the grader's request path: structured-output modes, extraction, one repair
            out, _raw, _prompt = await self.grader.ask_structured(
                build, "rubric_draft", EnrichOutput, Usage()
            )
        except e.ModelError as exc:
            raise EnrichFailed(str(exc), fatal=isinstance(exc, FATAL)) from None
        if out is None:
            raise EnrichFailed("the model's reply could not be parsed, even after a repair request")
        data = apply(draft, out, qa.lang)
        if _content(data) == _content(draft):
            raise EnrichFailed("the model's reply added nothing to the draft")
        validate(data)
        return data
