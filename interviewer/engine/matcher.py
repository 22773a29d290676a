"""Signals compiled once per rubric and matched against an answer (docs/rubric-format.md §1)."""

import math
import re
from bisect import bisect_left
from dataclasses import dataclass

from interviewer.domain.grade import Evidence
from interviewer.domain.rubric import RegexTerm, Signal, Term
from interviewer.engine.text import Normalized, has_cjk, normalize, tokens
from interviewer.vocab import Scope, Strength

Span = tuple[int, int]  # in the normalised text
MAX_EVIDENCE = 300  # longer units are quoted from the first to the last matched term


@dataclass(frozen=True)
class CompiledTerm:
    """One synonym: a CJK substring, a word sequence (stems / prefixes), or a regex."""

    source: str
    cjk: str | None = None
    words: tuple[tuple[str, bool], ...] = ()  # (stem or prefix, is_prefix)
    regex: re.Pattern[str] | None = None
    literal: str | None = None  # no word characters at all: plain substring

    def find(self, ans: Normalized, start: int, end: int) -> Span | None:
        """The first occurrence inside [start, end) of the normalised answer."""
        # keyed by id: compiled terms live as long as their compiled rubric, longer than `ans`
        hits = ans.memo.get(id(self))
        if hits is None:  # every occurrence in the whole answer, once per answer
            hits = ans.memo[id(self)] = self._all(ans)
        for span in hits[bisect_left(hits, (start, start)) :]:
            if span[0] >= end:
                break
            if span[1] <= end:
                return span
        return None

    def _all(self, ans: Normalized) -> list[Span]:
        if self.regex is not None:
            found = self.regex.finditer(ans.text)
            return [(m.start(), m.end()) for m in found if m.end() > m.start()]
        if self.cjk is not None:
            return _all_compact(ans, self.cjk)
        if self.words:
            return _all_words(ans, self.words)
        assert self.literal is not None
        return _all_substrings(ans.text, self.literal)


def compile_term(term: Term) -> CompiledTerm:
    if isinstance(term, RegexTerm):
        return CompiledTerm(term.re, regex=re.compile(term.re, re.IGNORECASE))
    text = normalize(term).strip()
    if has_cjk(text):
        return CompiledTerm(term, cjk="".join(text.split()))
    words = []
    for key, start, end in tokens(text):
        # `normaliz*`: a word followed by * matches by prefix, unstemmed
        if text[end : end + 1] == "*":
            words.append((text[start:end], True))
        else:
            words.append((key, False))
    if not words:
        return CompiledTerm(term, literal=text)
    return CompiledTerm(term, words=tuple(words))


def _all_substrings(text: str, needle: str) -> list[Span]:
    spans, i = [], text.find(needle)
    while i >= 0:
        spans.append((i, i + len(needle)))
        i = text.find(needle, i + 1)
    return spans


def _all_words(ans: Normalized, pattern: tuple[tuple[str, bool], ...]) -> list[Span]:
    words, n = ans.words, len(pattern)
    first, is_prefix = pattern[0]
    starts = (
        (i for i, w in enumerate(words) if w.text.startswith(first))
        if is_prefix
        else ans.stem_index.get(first, ())
    )
    spans = []
    for i in starts:
        if i + n > len(words):
            break
        for k in range(1, n):
            want, prefix = pattern[k]
            w = words[i + k]
            if not (w.text.startswith(want) if prefix else w.stem == want):
                break
        else:
            spans.append((words[i].start, words[i + n - 1].end))
    return spans


def _all_compact(ans: Normalized, needle: str) -> list[Span]:
    compact, origin = ans.compact
    return [(origin[a], origin[b - 1] + 1) for a, b in _all_substrings(compact, needle)]


@dataclass(frozen=True)
class CompiledSignal:
    groups: tuple[tuple[CompiledTerm, ...], ...]
    none: tuple[CompiledTerm, ...]
    scope: Scope
    strength: Strength
    need: int  # groups that must match


def compile_signal(signal: Signal) -> CompiledSignal:
    return CompiledSignal(
        groups=tuple(tuple(compile_term(t) for t in group) for group in signal.all),
        none=tuple(compile_term(t) for group in signal.none for t in group),
        scope=signal.scope,
        strength=signal.strength,
        need=signal.min or len(signal.all),
    )


def _first(terms: tuple[CompiledTerm, ...], ans: Normalized, start: int, end: int) -> Span | None:
    for term in terms:
        found = term.find(ans, start, end)
        if found:
            return found
    return None


def _trim(text: str, start: int, end: int) -> Span:
    while start < end and (text[start].isspace() or text[start] in "-*•·"):
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def match_signal(
    signal: CompiledSignal, ans: Normalized, listed: bool = False
) -> list[Evidence] | None:
    """Evidence for the first scope unit where the signal holds, or None.

    `listed`: the answer is a list of terms. It has no sentences to look within and no words
    joining the terms, so a point counts as named when at least half of a signal's groups
    appear anywhere in it (the grader then caps the credit of a point only named)."""
    scope = Scope.ANSWER if listed else signal.scope
    need = min(signal.need, math.ceil(len(signal.groups) / 2)) if listed else signal.need
    for start, end in ans.units(scope):
        spans = []
        for missing, group in enumerate(signal.groups, start=1):
            found = _first(group, ans, start, end)
            if found is not None:
                spans.append(found)
            elif missing - len(spans) > len(signal.groups) - need:
                break  # too many groups missing in this unit
        if len(spans) < need or _first(signal.none, ans, start, end) is not None:
            continue
        return _evidence(ans, scope, (start, end), spans)
    return None


def _evidence(ans: Normalized, scope: Scope, unit: Span, spans: list[Span]) -> list[Evidence]:
    if scope == Scope.ANSWER:
        # quote each matched term within its own clause
        clauses = ans.units(Scope.CLAUSE)
        picked = sorted({next((c for c in clauses if c[0] <= s[0] < c[1]), s) for s in spans})
        return [_quote(ans, *_trim(ans.text, a, b)) for a, b in picked]
    a, b = _trim(ans.text, *unit)
    if b - a > MAX_EVIDENCE:
        a, b = min(s[0] for s in spans), max(s[1] for s in spans)
    return [_quote(ans, a, b)]


def _quote(ans: Normalized, start: int, end: int) -> Evidence:
    a, b = ans.span(start, end)
    return Evidence(quote=ans.original[a:b], start=a, end=b)


def any_term_in(terms: list[CompiledTerm], ans: Normalized) -> bool:
    return _first(tuple(terms), ans, 0, len(ans.text)) is not None
