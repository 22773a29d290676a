"""A draft bank question from an extracted question and answer (no model).

Key points come from the answer's structure: each bullet is a point (its sub-bullets and
indented lines folded in), each table row below the header is a point, each sentence of a
paragraph is a point; fenced code is no point. An answer that is a single sentence is split at
its clauses and enumeration marks ("减少参数、early-stop、正则化、drop-out" gives four points;
a slash only between Chinese words, never inside a formula). Lead-ins ending in a colon,
rhetorical questions and sentences addressed to the reader ("推荐大家看...", "check out ...")
are left out; a point with no term to ask for joins its neighbour; more than MAX_POINTS points
are merged pairwise, shortest neighbours first.

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
from interviewer.domain.rubric import Signal
from interviewer.engine.matcher import compile_signal, match_signal
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
# A slash separates alternatives between Chinese words (剪枝/量化), not operands (eps / (K-1)).
_CLAUSE = re.compile(r"[、,，;；]|(?<=[\u3400-\u9fff])\s*/\s*(?=[\u3400-\u9fff])|\s+(?:and|or)\s+")
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


def _joined(a: str, b: str) -> str:
    return a + ("" if re.search(r"[。！？.!?;；]$", a) else "; ") + b


def _merge(items: list[str], limit: int) -> list[str]:
    items = list(items)
    while len(items) > limit:
        i = min(range(len(items) - 1), key=lambda k: len(items[k]) + len(items[k + 1]))
        items[i : i + 2] = [_joined(items[i], items[i + 1])]
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


_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")
_INDENT = re.compile(r"[ \t\u3000]*")


def _table_rule(line: str) -> bool:
    return "|" in line and bool(_TABLE_RULE.match(line))


def _fold(parent: str, children: list[str]) -> str:
    """A bullet with its sub-bullets as one point: "BatchNorm: normalizes ...; depends ..."."""
    cjk = bool(re.search(r"[\u3400-\u9fff]", parent))
    joined = ("；" if cjk else "; ").join(c.rstrip("。.;；") for c in children)
    if parent.endswith((":", "：")):
        return f"{parent} {joined}"
    return f"{parent.rstrip('。.')}{'：' if cjk else ': '}{joined}"


def _continued(text: str, more: str) -> str:
    cjk = re.search(r"[\u3400-\u9fff]$", text) and re.match(r"[\u3400-\u9fff]", more)
    return text + ("" if cjk else " ") + more


def _items(lines: list[str]) -> list[tuple[str, bool]]:
    """(text, one point) per item of the answer: a bullet or a table row is one point, other
    lines are split into sentences. Lines indented under a bullet join it; fenced code, table
    headers and rules are left out (the line introducing the code loses its colon)."""
    code = ln.fenced(lines)
    items: list[tuple[int, str, bool, list[str]]] = []  # (indent, text, bulleted, children)
    for i, line in enumerate(lines):
        if code[i]:
            if items and not code[i - 1]:  # "Subtract the max first:" says what the code does
                indent, text, bulleted, children = items[-1]
                items[-1] = (indent, text.rstrip(":："), bulleted, children)
            continue
        if not line.strip() or _table_rule(line):
            continue
        if i + 1 < len(lines) and _table_rule(lines[i + 1]):
            continue  # a table's header row names the columns, it says nothing
        indent = len(_INDENT.match(line).group().expandtabs(4))  # type: ignore[union-attr]
        if line.lstrip().startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|") if c.strip()]
            items.append((indent, ", ".join(cells), True, []))
            continue
        body, bulleted = ln.strip_bullet(line)
        if items and items[-1][2] and indent > items[-1][0]:
            parent, text, _, children = items[-1]
            if bulleted:
                children.append(body)
            elif children:  # a wrapped sub-bullet
                children[-1] = _continued(children[-1], body)
            else:  # a wrapped bullet
                items[-1] = (parent, _continued(text, body), True, children)
            continue
        items.append((indent, body, bulleted, []))
    return [(_fold(text, kids) if kids else text, bulleted) for _, text, bulleted, kids in items]


def split_points(answer: str) -> list[str]:
    """The points of an answer, as written (bullets stripped), in order."""
    lines = answer.splitlines()
    if all(ln.fenced(lines)):  # an answer that is only code: its lines are all it says
        lines = [line for line in lines if not line.lstrip().startswith(("```", "~~~"))]
    raw: list[str] = []
    for body, whole in _items(lines):
        safe, found = _protected(body)
        parts = [safe] if whole else _sentences(safe)
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


def _terms(texts: list[str], i: int, question: str, corpus: Corpus) -> list[Term]:
    others = texts[:i] + texts[i + 1 :]
    terms = select_terms(texts[i], others, question, corpus)
    if not terms:  # everything it says, the question says: ask for it anyway
        terms = select_terms(texts[i], others, "", corpus)
    return terms


def _with_terms(
    points: list[str], question: str, corpus: Corpus
) -> tuple[list[str], list[str], list[list[Term]]]:
    """(points, their texts, their terms); a point with no term to ask for ("(K - 1) on the
    others") joins the point before it (the first joins the next): no signal could find it."""
    while True:
        texts = [_clean(p) or p for p in points]
        terms = [_terms(texts, i, question, corpus) for i in range(len(texts))]
        empty = next((i for i, t in enumerate(terms) if not t), None)
        if empty is None or len(points) == 1:
            return points, texts, terms
        a = max(empty - 1, 0)
        points = [*points[:a], _joined(points[a], points[a + 1]), *points[a + 2 :]]


def _meets(signal: dict[str, Any], answer: str) -> bool:
    # a fresh Normalized each time: it caches matches by the id of a compiled term
    return (
        match_signal(compile_signal(Signal.model_validate(signal)), Normalized(answer)) is not None
    )


def _recitable(signals: list[dict[str, Any]], answer: str) -> list[dict[str, Any]]:
    """The signals, with a full signal the document's answer does not meet in one sentence (a
    point folded from a bullet and its sub-bullets says its terms on several lines) asking for
    its terms anywhere in the answer instead: reciting the answer covers every point."""
    if not signals or _meets(signals[0], answer):
        return signals
    anywhere = {**signals[0], "scope": "answer"}
    if not _meets(anywhere, answer):
        return signals
    return [anywhere, *(s for s in signals[1:] if s["scope"] != "answer")]


def draft_question(qa: ExtractedQA, *, qid: str, number: int, corpus: Corpus) -> dict[str, Any]:
    """The question as bank data (validated by the caller), marked `draft: true`."""
    points = _link_point(qa.answer) if qa.link_only else split_points(qa.answer)
    if not points:
        points = [qa.title]
    points, texts, terms = _with_terms(points, qa.question, corpus)
    key_points = []
    for i, (raw, text) in enumerate(zip(points, texts, strict=True)):
        point: dict[str, Any] = {"id": f"p{i + 1}", "text": {qa.lang: text}}
        if _EMPHASIS.search(raw):
            point["weight"] = 2
        point["source"] = "covered"
        point["signals"] = _recitable(signals_for(terms[i]), qa.answer)
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
