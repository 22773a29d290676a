"""A draft bank question from an extracted question and answer (no model).

Key points come from the answer's structure: each bullet is a point, each sentence of a
paragraph is a point; an answer that is a single sentence is split at its clauses and
enumeration marks ("减少参数、early-stop、正则化、drop-out" gives four points). Lead-ins
ending in a colon, rhetorical questions and sentences addressed to the reader ("推荐大家看...",
"check out ...") are left out; more than MAX_POINTS points are merged pairwise, shortest
neighbours first.

Weights: 1 per point, 2 for a point the document emphasises (bold, or marked 重点 / 关键 /
important / key). Every point is `core` and `source: covered` (the document says it).

Signals: one `full` signal per point asking for at least half of its terms (terms.py) in one
sentence (all of them when it has one or two), a `partial` one asking for a quarter of them
(at least two) in one sentence, and a `partial` one asking for the full share anywhere in the
answer (said, but never together). A recitation of the document's answer covers every point.
What a document cannot give (probes, misconceptions, deep points, the other language, levels,
hints, tags) is left empty, never invented: `bank check --strict` lists it.
"""

import hashlib
import math
import re
from typing import Any

from interviewer.build import lines as ln
from interviewer.build.parse import ExtractedQA, squash
from interviewer.build.terms import Corpus, Term, select_terms
from interviewer.engine.text import Normalized
from interviewer.vocab import Scope

MAX_POINTS = 8
FULL_SHARE = 0.5
PARTIAL_SHARE = 0.25

_EMPHASIS = re.compile(r"\*\*[^*]+\*\*|__[^_]+__|重点|关键|最重要|\b(?:important|crucial)\b", re.I)
_READER = re.compile(
    r"推荐大家|建议大家|大家可以|可以参考|详见|参见|请看|点击|链接|之前写的|另一篇|这篇文章|"
    r"\b(?:see (?:also|my|our|the (?:post|article))|check out|read more|refer to|"
    r"i (?:wrote|recommend)|my (?:previous|other) (?:post|article))\b",
    re.IGNORECASE,
)
_CLAUSE = re.compile(r"[、,，;；/]|\s+(?:and|or)\s+")
_TRAILING_ETC = re.compile(r"(?:等等?|etc\.?)\s*$")


# -- ids ----------------------------------------------------------------------------------


def slug(text: str, words: int = 6) -> str:
    parts = re.findall(r"[a-z0-9]+", text.casefold())
    return "-".join(parts[:words])


def question_id(title: str) -> str:
    """A stable id from the title: its Latin words as a slug, plus a short hash of the title
    when it is Chinese (`l1-l2-3f9a1c`, `q-5d41ab`), so re-building finds the same question."""
    if not re.search(r"[\u3400-\u9fff]", title):
        return slug(title) or "q-" + _digest(title)
    latin = "-".join(w for w in re.findall(r"[a-z0-9]+", title.casefold()) if not w.isdigit())
    latin = "-".join(latin.split("-")[:3])
    return f"{latin}-{_digest(title)}" if latin else f"q-{_digest(title)}"


def _digest(text: str) -> str:
    return hashlib.sha256(squash(text).encode()).hexdigest()[:6]


# -- key points ---------------------------------------------------------------------------


_TERMINATORS = "。!?.;；…"


def _sentences(text: str) -> list[str]:
    """Sentences as the matcher cuts them, each with its end mark ("?" tells a question)."""
    norm = Normalized(text)
    out = []
    for a, b in norm.units(Scope.SENTENCE):
        while b < len(norm.text) and norm.text[b] in _TERMINATORS:
            b += 1
        out.append(norm.quote(a, b).strip())
    return out


def _without_reader_talk(text: str) -> str:
    """Clauses addressed to the reader taken out ("推荐大家看一下之前写的..." is no answer)."""
    if not _READER.search(text):
        return text
    kept = [c for c in re.split(r"(?<=[,，;；])", text) if not _READER.search(c)]
    return "".join(kept).strip(" ,，;；")


def _usable(item: str, last: bool) -> bool:
    stripped = item.rstrip()
    if not stripped or ln.is_link(stripped):
        return False
    if stripped.endswith((":", "：")) and not last:
        return False  # a lead-in: "... 的具体操作如下:"
    if stripped.endswith(("?", "？")):
        return False  # a rhetorical question: "那 warm up 是什么情况下使用的呢?"
    return any(ch.isalnum() for ch in ln.unlink(stripped))


def _split_single(item: str) -> list[str]:
    """One sentence for a whole answer: its clauses and enumerated items as points."""
    parts = [_TRAILING_ETC.sub("", p).strip(" .。") for p in _CLAUSE.split(item)]
    parts = [p for p in parts if p and any(ch.isalnum() for ch in p)]
    return parts if len(parts) >= 2 else [item]


def _merge(items: list[str], limit: int) -> list[str]:
    items = list(items)
    while len(items) > limit:
        i = min(range(len(items) - 1), key=lambda k: len(items[k]) + len(items[k + 1]))
        sep = "" if re.search(r"[。！？.!?;；]$", items[i]) else "; "
        items[i : i + 2] = [items[i] + sep + items[i + 1]]
    return items


_BRACKETED = re.compile(r"\[[^\]\n]*\](?:\([^)\n]*\))?")


def _protected(text: str) -> tuple[str, list[str]]:
    """Bracketed link titles as placeholders, so no sentence or clause is cut inside them."""
    found: list[str] = []

    def keep(m: re.Match[str]) -> str:
        found.append(m.group())
        return f"\ue000{len(found) - 1}\ue001"

    return _BRACKETED.sub(keep, text), found


def _restored(text: str, found: list[str]) -> str:
    return re.sub("\ue000(\\d+)\ue001", lambda m: found[int(m.group(1))], text)


def split_points(answer: str) -> list[str]:
    """The points of an answer, as written (bullets stripped), in order."""
    raw: list[str] = []
    for line in answer.splitlines():
        body, bulleted = ln.strip_bullet(line)
        safe, found = _protected(body)
        parts = [safe] if bulleted else _sentences(safe)
        raw += [_restored(_without_reader_talk(part), found) for part in parts]
    items = [item for n, item in enumerate(raw) if _usable(item, n == len(raw) - 1)]
    if len(items) == 1:
        items = _split_single(items[0])
    return _merge(items, MAX_POINTS)


def _link_point(answer: str) -> list[str]:
    """An answer that is only a link: its title is all the document says."""
    titles = [ln.unlink(line) for line in answer.splitlines()]
    titles = [t.strip("[]【】 ") for t in titles if t.strip("[]【】 ")]
    return titles[:1]


# -- signals ------------------------------------------------------------------------------


def _group(term: Term) -> list[str]:
    return [term.text, *term.synonyms]


def signals_for(terms: list[Term]) -> list[dict[str, Any]]:
    if not terms:
        return []
    groups = [_group(t) for t in terms]
    n = len(groups)
    full = n if n <= 2 else math.ceil(FULL_SHARE * n)
    signal: dict[str, Any] = {"all": groups}
    if full < n:
        signal["min"] = full
    signal["scope"] = "sentence"
    out = [signal]
    partial = math.ceil(PARTIAL_SHARE * n)
    if 2 <= partial < full:
        out.append({"all": groups, "min": partial, "scope": "sentence", "strength": "partial"})
    if n >= 2:  # the same terms spread over the answer, never together: partly said
        out.append({**signal, "scope": "answer", "strength": "partial"})
    return out


def _clean(text: str) -> str:
    text = " ".join(ln.unlink(text.replace("**", "").replace("__", "")).split())
    return text.rstrip("。.;；,，")


def draft_question(qa: ExtractedQA, *, qid: str, number: int, corpus: Corpus) -> dict[str, Any]:
    """The question as bank data (validated by the caller), marked `draft: true`."""
    points = _link_point(qa.answer) if qa.link_only else split_points(qa.answer)
    if not points:
        points = [qa.title]
    texts = [_clean(p) or p for p in points]
    key_points = []
    for i, (raw, text) in enumerate(zip(points, texts, strict=True)):
        others = texts[:i] + texts[i + 1 :]
        terms = select_terms(text, others, qa.question, corpus)
        if not terms:  # everything it says, the question says: ask for it anyway
            terms = select_terms(text, others, "", corpus)
        point: dict[str, Any] = {"id": f"p{i + 1}", "text": {qa.lang: text}}
        if _EMPHASIS.search(raw):
            point["weight"] = 2
        point["source"] = "covered"
        point["signals"] = signals_for(terms)
        key_points.append(point)
    return {
        "id": qid,
        "number": number,
        "title": {qa.lang: qa.title},
        "question": {qa.lang: qa.question},
        "draft": True,
        "source_answer": qa.answer,
        "key_points": key_points,
    }
