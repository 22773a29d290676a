"""Informative terms of a drafted key point, chosen to become its signals.

Without a Chinese word segmenter, Chinese terms are character bigrams of the runs between
punctuation and Latin text (a two-character word is the common case: 梯度, 裁剪, 过拟, 拟合),
minus bigrams holding a function character (的, 是, 这...) or being a function word (可以,
通过...); English terms are content words and identifiers (matched by stem). Overlapping
bigrams picked side by side are joined again (过拟 + 拟合 -> 过拟合, up to four characters).

A point keeps the terms that say the most about it: identifiers and Latin words first, then
the bigrams that hold together as words across the documents (their characters rarely occur
apart: 梯度, 控制; not 化主 or 型进, the edges of two words), each demoted when it is common in
the documents, when the question uses it (repeating the question is not answering it) and
when the question's other points use it too (it would not tell the points apart).
"""

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from interviewer.engine.text import STOPWORDS, stem

MAX_TERMS = 6
MAX_JOINED = 4  # characters of a Chinese term joined from overlapping bigrams

_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
# Identifiers and words: "kd_loss", "early-stop", "L1", "ReLU", "1e-5".
_LATIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_+]*(?:[-.][A-Za-z0-9_+]+)*")
# Characters that make a bigram a piece of grammar rather than of a term.
_ZH_FUNCTION = set("的了是吗呢吧啊着把被这那就都也很些我你他她它们之其而与及或")
_ZH_STOP = frozenset(
    """可以 一些 一个 一种 进行 通过 主要 目的 时候 因为 所以 如果 但是 然后 或者 以及 而且 对于
    由于 根据 一般 比较 非常 特别 需要 什么 怎么 如何 哪些 其他 其它 这样 那么 我们 大家 自己
    之后 之前 能够 具体 介绍 一下 问题 情况 可能 同时 以上 以下 等等 例如 比如 还有 就会 会有
    不会 不能 不要 使得 另外 此外 首先 其次 最后 方面 时间 方式 当然 已经 就是 还是 只是 不是
    要比 比如 以为 为了 所有 任何 每个 各种 一定 直接 一样 作用 有什么 怎么办 怎么样 有助""".split()
)
_EN_STOP = STOPWORDS | frozenset(
    "etc eg ie e g also such like one two three way ways thing things get gets got out up "
    "within without about between both either neither other others another many much lot "
    "lots often usually generally simply just well let lets able need needs".split()
)


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def _latin_ok(word: str) -> bool:
    core = word.replace("-", "").replace("_", "").replace(".", "")
    if core.isdigit():
        return False  # bare numbers say nothing without their context
    return len(core) >= 2 and word not in _EN_STOP


def _bigrams(run: str) -> list[str]:
    return [run[i : i + 2] for i in range(len(run) - 1)]


def _zh_ok(bigram: str) -> bool:
    return not (set(bigram) & _ZH_FUNCTION) and bigram not in _ZH_STOP


def term_keys(text: str) -> set[str]:
    """Comparable keys of a text's informative terms: word stems and Chinese bigrams."""
    norm = _norm(text)
    keys = {stem(w) for w in re.findall(r"[a-z0-9]+", norm) if _latin_ok(w)}
    keys |= {b for run in _CJK_RUN.findall(norm) for b in _bigrams(run) if _zh_ok(b)}
    return keys


@dataclass(frozen=True)
class Term:
    text: str  # as written in the point: Chinese characters, a word or an identifier
    start: int  # position in the point, for ordering and joining
    kind: str  # latin | bigram (a Chinese term: two characters, or up to four once joined)
    synonyms: tuple[str, ...] = ()  # other spellings in the same group ("drop-out": dropout)

    @property
    def keys(self) -> tuple[str, ...]:
        """Word stems of a Latin term, or the Chinese term itself."""
        if self.kind != "latin":
            return (self.text,)
        return tuple(stem(w) for w in re.findall(r"[a-z0-9]+", _norm(self.text)))

    @property
    def key(self) -> str:
        return " ".join(self.keys)

    def within(self, keys: set[str]) -> bool:
        """Whether a text with these term keys says this term."""
        if self.kind == "latin":
            return all(k in keys for k in self.keys)
        parts = [b for b in _bigrams(self.text) if _zh_ok(b)] or [self.text]
        return all(p in keys for p in parts)


def candidates(text: str) -> list[Term]:
    """Every candidate term of a point, in order of appearance, each once."""
    norm = _norm(text)
    found: list[Term] = []
    for m in _LATIN.finditer(norm):
        word = m.group().strip("-.")
        if not _latin_ok(word):
            continue
        synonyms = ()
        if "-" in word or "_" in word:  # early-stop / kd_loss: the joined spelling too
            joined = word.replace("-", "").replace("_", "")
            synonyms = (joined,) if _latin_ok(joined) else ()
        found.append(Term(word, m.start(), "latin", synonyms))
    for m in _CJK_RUN.finditer(norm):
        found += [
            Term(b, m.start() + i, "bigram") for i, b in enumerate(_bigrams(m.group())) if _zh_ok(b)
        ]
    seen: dict[str, Term] = {}
    for term in sorted(found, key=lambda t: t.start):
        seen.setdefault(term.key, term)
    return list(seen.values())


class Corpus:
    """Counts that tell a word from the edges of two words, without a segmenter.

    Chinese bigrams: how much the two characters occur together rather than apart
    (`cohesion`), counted over the documents being built plus a background of domain text
    (the bundled bank); and whether the bank's own signals use the bigram as a term or as the
    start or end of one (`known`). Words that are everywhere in the documents are less specific.
    """

    def __init__(
        self, texts: Iterable[str], background: Iterable[str] = (), lexicon: Iterable[str] = ()
    ) -> None:
        self.chars: Counter[str] = Counter()
        self.bigrams: Counter[str] = Counter()
        self.words: Counter[str] = Counter()
        texts_seen = list(texts)
        for text in (*texts_seen, *background):
            self._count(text)
        self.doc_text = "\n".join(_norm(t) for t in texts_seen)
        self.known: set[str] = set()  # terms of two characters
        self.phrases: set[str] = set()  # terms of three or four characters
        for term in lexicon:
            for run in _CJK_RUN.findall(_norm(term)):
                if len(run) == 2:
                    self.known.add(run)
                elif 3 <= len(run) <= 4:
                    self.phrases.add(run)

    def _count(self, text: str) -> None:
        norm = _norm(text)
        for run in _CJK_RUN.findall(norm):
            self.chars.update(run)
            self.bigrams.update(_bigrams(run))
        self.words.update(stem(w) for w in re.findall(r"[a-z0-9]+", norm))

    def cohesion(self, bigram: str) -> float:
        """0-1: near 1 for a word whose characters rarely appear apart (梯度, 裁剪), near 0
        for the edges of two words (化主, 型进)."""
        together = self.bigrams[bigram] + 1
        a, b = self.chars[bigram[0]] + 1, self.chars[bigram[1]] + 1
        return together / math.sqrt(max(a, together) * max(b, together))

    def joinable(self, joined: str) -> bool:
        """Whether overlapping bigrams make one term: a term the bank knows, or one the
        documents use more than once (过拟 + 拟合 -> 过拟合; not 增大 + 大学 + 学习)."""
        return joined in self.phrases or self.doc_text.count(joined) >= 2

    def wordlike(self, bigram: str) -> float:
        return 1.25 if bigram in self.known else self.cohesion(bigram)

    def frequent(self, term: "Term") -> float:
        """0-1: how common the term is in the documents and the background (训练, 梯度,
        model: true of every point, specific to none), on a log scale."""
        if term.kind == "latin":
            count = min((self.words[k] for k in term.keys), default=0)
        else:
            count = self.bigrams[term.text]
        return min(1.0, math.log10(1 + count) / 3)


MIN_WORDLIKE = 0.3  # below this a bigram is taken only when a point has nothing better


def _base(term: Term, corpus: Corpus) -> float:
    if term.kind == "latin":
        return 3.0
    return 2.0 * corpus.wordlike(term.text)


def _priority(term: Term, corpus: Corpus, asked: set[str], spread: int) -> float:
    return (
        _base(term, corpus) - 0.6 * corpus.frequent(term) - 2.5 * term.within(asked) - 1.0 * spread
    )


def _join(chosen: list[Term], corpus: Corpus) -> list[Term]:
    """Overlapping Chinese bigrams picked side by side become one term (过拟 + 拟合 -> 过拟合)."""
    out: list[Term] = []
    for term in sorted(chosen, key=lambda t: t.start):
        prev = out[-1] if out else None
        if (
            prev
            and prev.kind == "bigram"
            and term.kind == "bigram"
            and term.start == prev.start + len(prev.text) - 1
            and prev.text[-1] == term.text[0]
            and len(prev.text) + 1 <= MAX_JOINED
            and corpus.joinable(prev.text + term.text[1])
        ):
            out[-1] = Term(prev.text + term.text[1], prev.start, "bigram")
        else:
            out.append(term)
    return out


def select_terms(
    text: str, others: list[str], question: str, corpus: Corpus, limit: int = MAX_TERMS
) -> list[Term]:
    """The terms of a point worth asking for: up to `limit`, in the order the point says them."""
    terms = candidates(text)
    words = [t for t in terms if t.kind == "latin" or corpus.wordlike(t.text) >= MIN_WORDLIKE]
    terms = words if len(words) >= min(2, len(terms)) else terms
    if not terms:
        return []
    asked = term_keys(question)
    other_keys = [term_keys(o) for o in others]
    ranked = sorted(
        enumerate(terms),
        key=lambda it: (
            -_priority(it[1], corpus, asked, sum(it[1].within(k) for k in other_keys)),
            it[0],
        ),
    )
    return _join([t for _, t in ranked[:limit]], corpus)


def bank_background() -> tuple[list[str], list[str]]:
    """Domain text and terms for `Corpus`: the bundled bank's files and its signal terms."""
    from interviewer.bank.loader import builtin_bank_dir, load_bank

    root = builtin_bank_dir()
    texts = [p.read_text(encoding="utf-8") for p in sorted(root.rglob("*.yaml"))]
    lexicon = [
        term
        for q in load_bank(["builtin"]).questions
        for signals in (
            *(kp.signals for kp in q.key_points),
            *(m.signals for m in q.misconceptions),
            *(e.signals for p in q.probes for e in p.expected_points),
        )
        for signal in signals
        for group in signal.all
        for term in group
        if isinstance(term, str)
    ]
    return texts, lexicon
