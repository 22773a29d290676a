"""Reference-answer mode: a rubric derived from a reference answer alone.

For a question that has only a reference answer (a user's own question, a dataset row), the
rubric has one key point for the gist (the whole reference) and, when the reference has
several clauses, one per clause, the clauses weighted by how many informative terms they
carry and together weighing as much as the gist. A point's signals ask for a share of its
terms anywhere in the answer (`min` of the groups): FULL_SHARE for covered, PARTIAL_SHARE for
partial. Terms the question itself uses are left out ("question demoting": repeating the
question is not answering it). The result is an ordinary Question, graded the same way.

The shares were chosen on the development sets of bench/asag.py as the middle of a plateau
(neighbouring values agree with the human graders almost as well); nothing is per question.
"""

import hashlib
import math
from functools import lru_cache

from interviewer.domain.rubric import Question
from interviewer.engine.text import CJK, STOPWORDS, WORD, Normalized, stem
from interviewer.vocab import Scope

FULL_SHARE = 0.35  # share of a point's terms for "covered": paraphrase hides the rest
PARTIAL_SHARE = 0.15  # ... and for "partial"

# Chinese function characters say little about the content.
_ZH_STOP = set(
    "的了是在和与及或就都而也又并且着过把被让对从向于为以之其这那个些一不有我你他她它们吗呢吧啊"
)


# Kept although they are function words: "is not connected" is the opposite answer.
_NEGATIONS = {"not", "no", "never", "nor", "t"}


def _key(term: str) -> str:
    return term if CJK.match(term) else stem(term)


def informative_terms(text: str) -> list[str]:
    """English content words (matched by stem) and Chinese characters, each once.

    Single characters rather than words for Chinese: without a segmenter, characters are the
    units a paraphrase keeps (顺序表 ~ 顺序存储), and they agree with human graders better
    than bigrams do (bench/asag.py).
    """
    norm = Normalized(text).text
    terms = [
        w
        for w in (m.group() for m in WORD.finditer(norm))
        if (w not in STOPWORDS or w in _NEGATIONS) and (len(w) >= 2 or w.isdigit())
    ]
    terms += [ch for ch in CJK.findall(norm) if ch not in _ZH_STOP]
    seen: dict[str, str] = {}
    for term in terms:
        seen.setdefault(_key(term), term)
    return list(seen.values())


def _clauses(reference: str) -> list[str]:
    norm = Normalized(reference)
    clauses = [norm.quote(a, b).strip() for a, b in norm.units(Scope.CLAUSE)]
    # very short clauses ("and", "e.g.") join their neighbour instead of standing alone
    merged: list[str] = []
    for clause in clauses:
        if merged and len(informative_terms(clause)) < 2:
            merged[-1] = f"{merged[-1]}, {clause}"
        else:
            merged.append(clause)
    return [m for m in merged if informative_terms(m)]


def _key_point(pid: str, text: str, weight: float, asked: set[str], lang: str) -> dict:
    own = informative_terms(text)
    terms = [t for t in own if _key(t) not in asked] or own
    groups = [[t] for t in terms]
    full = max(1, math.ceil(FULL_SHARE * len(terms)))
    signals = [{"all": groups, "min": full, "scope": "answer"}]
    partial = max(1, math.ceil(PARTIAL_SHARE * len(terms)))
    if partial < full:
        signals.append({"all": groups, "min": partial, "scope": "answer", "strength": "partial"})
    return {"id": pid, "text": {lang: text}, "weight": weight, "signals": signals}


@lru_cache(maxsize=512)  # batches and gold sets grade many answers against one reference
def derive_question(question: str, reference_answer: str, qid: str | None = None) -> Question:
    """A one-off rubric from a reference answer (all key points core; no probes)."""
    if not informative_terms(reference_answer):
        raise ValueError("the reference answer has no informative terms to grade against")
    lang = "zh" if CJK.search(reference_answer) else "en"
    digest = hashlib.sha256(f"{question}\0{reference_answer}".encode()).hexdigest()[:10]
    asked = {_key(t) for t in informative_terms(question)}
    key_points = [_key_point("gist", reference_answer.strip(), 1.0, asked, lang)]
    clauses = _clauses(reference_answer)
    if len(clauses) > 1:
        total = sum(len(informative_terms(c)) for c in clauses)
        key_points += [
            _key_point(f"p{i}", c, len(informative_terms(c)) / total, asked, lang)
            for i, c in enumerate(clauses, start=1)
        ]
    return Question.model_validate(
        {
            "id": qid or f"ref-{digest}",
            "number": 1,
            "title": {lang: question[:60] or "reference"},
            "question": {lang: question or "(no question text)"},
            "reference_answer": {lang: reference_answer},
            "key_points": key_points,
        }
    )
