"""Text handling for the offline grader: normalisation with offsets, words, stems, units.

Every position here indexes the *normalised* text; `Normalized.span()` maps back to the
original answer so evidence quotes are verbatim.
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, cached_property

import snowballstemmer

from interviewer.vocab import Scope

_STEMMER = snowballstemmer.stemmer("english")
# A word: Latin letters (with accents), digits, Greek. CJK characters end a word.
WORD = re.compile(r"[0-9a-z\u00c0-\u024f\u0370-\u03ff]+")
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_SPACE = re.compile(r"\s+")
# English function words: a real sentence has some; a key mash has none.
STOPWORDS = frozenset(
    (
        "a an the is are was were be been being of to in on at by for with from as and or but "
        "not no it its this that these those there their they them we our you your he she i "
        "me my do does did can could will would should may might must have has had if then "
        "than so because when which what how why who where into over under more most less "
        "very also only just all any each some such use used using make makes help helps "
    ).split()
)


# Sentence ends: Chinese and Western terminators, a period before whitespace or the end,
# line breaks (bullets start new lines). Decimal points and "e.g." inside a line stay whole.
_SENTENCE_END = re.compile(r"[。!?]+|(?<!e\.g)(?<!i\.e)(?<!\bvs)(?<!etc)\.(?=\s|$)|\n+")
# Clause boundaries inside a sentence: punctuation (not a comma between digits) and contrast
# words. A bare 而 is not one: it is part of 而非, 从而, 而且.
_CLAUSE_BREAK = re.compile(
    r"(?<!\d),|,(?!\d)|[;:、]|\b(?:but|however|whereas)\b|但是|但|然而|不过|而是"
)


@cache
def stem(word: str) -> str:
    return _STEMMER.stemWord(word)


def normalize(text: str) -> str:
    """NFKC (full width -> half width) and case-folded."""
    return unicodedata.normalize("NFKC", text).casefold()


def has_cjk(text: str) -> bool:
    return CJK.search(text) is not None


@dataclass(frozen=True)
class Word:
    stem: str
    text: str
    start: int
    end: int


class Normalized:
    """An answer normalised character by character, remembering where each char came from."""

    def __init__(self, original: str) -> None:
        self.original = original
        chars: list[str] = []
        origin: list[int] = []
        for i, ch in enumerate(original):
            out = ch.lower() if ch.isascii() else normalize(ch)
            chars.append(out)
            origin.extend([i] * len(out))
        self.text = "".join(chars)
        self._origin = origin
        self._units: dict[Scope, list[tuple[int, int]]] = {}
        self.memo: dict[int, list[tuple[int, int]]] = {}  # compiled term id -> its occurrences

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Normalised [start, end) -> original [start, end)."""
        if start >= end:
            at = self._origin[start] if start < len(self._origin) else len(self.original)
            return at, at
        return self._origin[start], self._origin[end - 1] + 1

    def quote(self, start: int, end: int) -> str:
        a, b = self.span(start, end)
        return self.original[a:b]

    @cached_property
    def words(self) -> list[Word]:
        return [Word(key, self.text[a:b], a, b) for key, a, b in tokens(self.text)]

    @cached_property
    def stem_index(self) -> dict[str, list[int]]:
        """Stem -> indexes of the words with that stem, in order."""
        index: dict[str, list[int]] = {}
        for i, w in enumerate(self.words):
            index.setdefault(w.stem, []).append(i)
        return index

    @cached_property
    def compact(self) -> tuple[str, list[int]]:
        """The text without whitespace (so 'L1 正则' matches 'l1正则'), and where each char was."""
        keep = [(i, ch) for i, ch in enumerate(self.text) if not ch.isspace()]
        return "".join(ch for _, ch in keep), [i for i, _ in keep]

    def units(self, scope: Scope) -> list[tuple[int, int]]:
        """Spans of the scope units: clauses, sentences, or the whole answer (non-empty only)."""
        if scope not in self._units:
            self._units[scope] = _units(self.text, scope)
        return self._units[scope]


def tokens(text: str) -> list[tuple[str, int, int]]:
    """(stem, start, end) of each word of normalised text; the `t` of n't reads as `not`,
    so "don't drop" matches "not drop" and a `not` in a none-group cancels "doesn't"."""
    out: list[tuple[str, int, int]] = []
    for m in WORD.finditer(text):
        word, start = m.group(), m.start()
        if (
            word == "t"
            and out
            and start >= 2
            and text[start - 1] in "'’"
            and text[start - 2] == "n"
        ):
            out.append(("not", start, m.end()))
        else:
            out.append((stem(word), start, m.end()))
    return out


# A sentence opening with a pronoun continues the one before ("L1 is ... . It makes ...").
_CONTINUES = re.compile(
    r"\s*[-*•·]?\s*(it|its|this|these|they|that|such|which|它|它们|其|这|这样|该|此)\b|\s*[它其这该此]"
)


# Within a sentence only a subject pronoun carries the subject over ("that's why ..." need not).
_CLAUSE_CONTINUES = re.compile(r"\s*(it|its|they|它|它们|其)\b|\s*[它其]")


def _split(text: str, pattern: re.Pattern[str], start: int, end: int) -> list[tuple[int, int]]:
    spans, pos = [], start
    for m in pattern.finditer(text, start, end):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, end))
    return [(a, b) for a, b in spans if text[a:b].strip()]


def _units(text: str, scope: Scope) -> list[tuple[int, int]]:
    if scope == Scope.ANSWER:
        return [(0, len(text))] if text.strip() else []
    sentences = _split(text, _SENTENCE_END, 0, len(text))
    if scope == Scope.SENTENCE:
        return _join_continuations(text, sentences)
    clauses = [c for a, b in sentences for c in _split(text, _CLAUSE_BREAK, a, b)]
    return _join_continuations(text, clauses, _CLAUSE_CONTINUES)


def _join_continuations(
    text: str, spans: list[tuple[int, int]], opener: re.Pattern[str] = _CONTINUES
) -> list[tuple[int, int]]:
    """A unit opening with a pronoun continues the one before: "L1 ..., it makes ... sparse"."""
    merged: list[tuple[int, int]] = []
    for a, b in spans:
        if merged and opener.match(text, a):
            merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    return merged


def collapse(text: str) -> str:
    return _SPACE.sub(" ", text).strip()
