"""Reference-answer mode: a rubric derived from a reference answer alone.

For a question that has only a reference answer (a user's own question, a dataset row):
each sentence or clause of the reference becomes a key point, weighted by how many
informative terms it carries; its signals ask for a share of those terms anywhere in the
answer (`min` of the groups). The result is an ordinary Question, graded the same way.
"""

import hashlib
import itertools
import math
import re

from interviewer.domain.rubric import Question
from interviewer.engine.text import CJK, STOPWORDS, WORD, Normalized, stem
from interviewer.vocab import Scope

FULL_SHARE = 0.6  # share of a point's terms for "covered"
PARTIAL_SHARE = 0.3  # ... and for "partial"
MAX_TERMS = 12  # per key point: the first, most of a clause, is plenty

# Chinese function characters: a bigram containing one says little about the content.
_ZH_STOP = set(
    "的了是在和与及或就都而也又并且着过把被让对从向于为以之其这那个些一不有我你他她它们吗呢吧啊"
)


def informative_terms(text: str) -> list[str]:
    """English content words (stemmed later by the matcher) and Chinese character bigrams."""
    norm = Normalized(text).text
    terms: list[str] = []
    for m in WORD.finditer(norm):
        word = m.group()
        if word in STOPWORDS or (len(word) < 2 and not word.isdigit()):
            continue
        terms.append(word)
    for run in re.findall(f"{CJK.pattern}+", norm):
        chars = list(run)
        for a, b in itertools.pairwise(chars):
            if a not in _ZH_STOP and b not in _ZH_STOP:
                terms.append(a + b)
        if len(chars) == 1 and chars[0] not in _ZH_STOP:
            terms.append(chars[0])
    seen: dict[str, str] = {}
    for term in terms:  # one group per stem: "weights" and "weight" are one term
        key = term if CJK.match(term) else stem(term)
        seen.setdefault(key, term)
    return list(seen.values())


def _units(reference: str) -> list[str]:
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


def derive_question(question: str, reference_answer: str, qid: str | None = None) -> Question:
    """A one-off rubric from a reference answer (all key points core; no probes)."""
    lang = "zh" if CJK.search(reference_answer) else "en"
    digest = hashlib.sha256(f"{question}\0{reference_answer}".encode()).hexdigest()[:10]
    key_points = []
    for i, unit in enumerate(_units(reference_answer), start=1):
        terms = informative_terms(unit)[:MAX_TERMS]
        n = len(terms)
        groups = [[t] for t in terms]
        signals = [{"all": groups, "min": max(1, math.ceil(FULL_SHARE * n)), "scope": "answer"}]
        partial = max(1, math.ceil(PARTIAL_SHARE * n))
        if partial < signals[0]["min"]:
            signals.append(
                {"all": groups, "min": partial, "scope": "answer", "strength": "partial"}
            )
        key_points.append(
            {"id": f"p{i}", "text": {lang: unit}, "weight": math.sqrt(n), "signals": signals}
        )
    if not key_points:
        raise ValueError("the reference answer has no informative terms to grade against")
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
