"""What a model grader must return, how it is parsed (tolerantly), and how its verdicts are
checked against the answer before they count.

The score never comes from the model: it is computed from the checked verdicts by the shared
formula. A covered/partial verdict or a present misconception must quote the answer; a quote
that is not there (after width, case, whitespace and punctuation normalisation; "..." may join
distant parts) makes the verdict "missed" with the flag `unsupported_quote`.
"""

import json
import re
import unicodedata
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from interviewer.domain.grade import Evidence


class _Out(BaseModel):
    model_config = ConfigDict(extra="ignore")


class PointJudgement(_Out):
    id: str
    reasoning: str = ""
    quote: str = ""
    verdict: Literal["covered", "partial", "missed"]


class MisconceptionJudgement(_Out):
    id: str
    reasoning: str = ""
    quote: str = ""
    present: bool


class FollowUpProposal(_Out):
    probe_id: str
    kind: Literal["missed", "deeper", "challenge"] = "missed"
    question: str


class GradeOutput(_Out):
    key_points: list[PointJudgement] = Field(default_factory=list)
    misconceptions: list[MisconceptionJudgement] = Field(default_factory=list)
    feedback: str = ""
    follow_ups: list[FollowUpProposal] = Field(default_factory=list)


class FollowUpOutput(_Out):
    expected_points: list[PointJudgement] = Field(default_factory=list)
    misconceptions: list[MisconceptionJudgement] = Field(default_factory=list)
    feedback: str = ""


def response_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The JSON schema sent as response_format (reasoning and quote come before the verdict)."""
    return model.model_json_schema()


# -- tolerant extraction ------------------------------------------------------------------

_FENCE = re.compile(r"```(?:json)?\s*(.*?)```", re.S | re.I)
_TRAILING_COMMA = re.compile(r",\s*([}\]])")


def extract_json(text: str) -> Any:
    """A JSON object from a model's reply: bare, in a code fence, after prose, with trailing
    commas. Raises ValueError when there is none."""
    candidates = [m.group(1) for m in _FENCE.finditer(text)] + [text]
    for candidate in candidates:
        start, end = candidate.find("{"), candidate.rfind("}")
        if start < 0 or end <= start:
            continue
        body = candidate[start : end + 1]
        for attempt in (body, _TRAILING_COMMA.sub(r"\1", body)):
            try:
                return json.loads(attempt)
            except json.JSONDecodeError:
                continue
    raise ValueError("no JSON object in the reply")


def parse_output(text: str, model: type[_Out]) -> _Out:
    """Parse and validate; raises ValueError with a short reason."""
    data = extract_json(text)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        raise ValueError(f"{where}: {err['msg']}") from None


# -- quote checking -----------------------------------------------------------------------

_ELLIPSIS = re.compile(r"\.{3,}|…+")


def _squeeze(text: str) -> tuple[str, list[int]]:
    """Case/width-folded text with whitespace and punctuation removed, and where each kept
    character came from."""
    out, origin = [], []
    for i, ch in enumerate(text):
        for c in unicodedata.normalize("NFKC", ch).casefold():
            category = unicodedata.category(c)
            if (
                c.isspace()
                or category.startswith("P")
                or (category.startswith("S") and c not in "+-*/=<>^|%")
            ):
                continue
            out.append(c)
            origin.append(i)
    return "".join(out), origin


MIN_QUOTE_WORDS = 3  # Latin words, or
MIN_QUOTE_CJK = 4  # Chinese characters: "a", "dropout" or "d...s" is not evidence


def _substantial(quote: str) -> bool:
    words = re.findall(r"[^\W\d_]+|\d+", re.sub(r"[\u3400-\u9fff]", " ", quote))
    cjk = re.findall(r"[\u3400-\u9fff]", quote)
    return (
        len(words) >= MIN_QUOTE_WORDS
        or len(cjk) >= MIN_QUOTE_CJK
        or (len(words) >= 2 and len(cjk) >= 2)
    )


def _on_word_boundaries(answer: str, start: int, end: int) -> bool:
    """A quote must not start or end inside a Latin word ("is sparse" is not in "this sparse")."""
    before = answer[start - 1] if start > 0 else " "
    after = answer[end] if end < len(answer) else " "
    inside = lambda a, b: a.isascii() and a.isalnum() and b.isascii() and b.isalnum()  # noqa: E731
    return not inside(before, answer[start]) and not inside(answer[end - 1], after)


def find_quote(quote: str, answer: str) -> Evidence | None:
    """Where `quote` is in `answer` (segments joined by "..." in order), or None. Too short a
    quote, or one cut out of the middle of words, is not evidence."""
    segments = [s for s in _ELLIPSIS.split(quote) if s.strip()]
    if not segments or not all(_substantial(s) for s in segments):
        return None
    parts = [p for p in (_squeeze(s)[0] for s in segments) if p]
    if not parts:
        return None
    text, origin = _squeeze(answer)
    pos, first, last = 0, None, None
    for part in parts:
        at = text.find(part, pos)
        if at < 0:
            return None
        first = at if first is None else first
        last = at + len(part) - 1
        pos = at + len(part)
    assert first is not None and last is not None
    start, end = origin[first], origin[last] + 1
    if not _on_word_boundaries(answer, start, end):
        return None
    return Evidence(quote=answer[start:end], start=start, end=end)
