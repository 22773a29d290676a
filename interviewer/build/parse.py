"""Interview-prep documents -> questions and their answers (pure functions, no I/O).

Four layouts, tried in this order (`ParsedDocument.format` names the one that fitted):

- `qa`: "Q:" / "A:" pairs (also "问:" / "答:", "Question 1:" / "Answer:").
- `list`: a numbered question list (a table of contents) followed by numbered answers. The
  list gives the numbers and titles; each answer is found by aligning the headings after the
  list with it (number and title, in order), so a heading that repeats another question's
  title, or a list renumbered "1." by a Markdown editor, still lands on the right question.
- `headings`: one Markdown heading per question, at the level with the most headings that
  have text under them.
- `numbered`: numbered questions each followed by its answer ("1. ...", "2、...", "3) ...").

Answers lose image placeholders; the last answer ends where a promotional tail starts (calls
to follow, scan or subscribe, copyright notices, a horizontal rule), together with the prose
paragraphs just before it that share no term with the question.
"""

import itertools
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from interviewer.build import lines as ln
from interviewer.build.terms import term_keys
from interviewer.engine.lang import detect_language

Format = Literal["qa", "list", "headings", "numbered"]
SIMILAR = 0.6  # title similarity from which a heading is taken for a listed question


class ExtractedQA(BaseModel):
    """One question found in a document, with the document's answer."""

    model_config = ConfigDict(frozen=True)

    number: Annotated[int, Field(ge=1)]
    title: str
    question: str
    answer: str
    lang: Literal["zh", "en"]
    line: int  # 1-based line of the question in the document
    link_only: bool = False  # the answer is only a link: nothing to derive key points from
    notes: list[str] = []


class ParsedDocument(BaseModel):
    model_config = ConfigDict(frozen=True)

    format: Format
    questions: list[ExtractedQA]
    skipped: list[str] = []  # questions found without an answer, with the reason


class NotADocument(ValueError):
    """No supported layout fits the document."""


# -- text helpers -------------------------------------------------------------------------

_SQUASH = re.compile(r"[\W_]+")
_END_PUNCT = "。.?？!！:：;；,，、 \t"


def squash(text: str) -> str:
    return _SQUASH.sub("", unicodedata.normalize("NFKC", text).casefold())


def similarity(a: str, b: str) -> float:
    """0-1: how alike two titles are (one containing the other counts as very alike)."""
    x, y = squash(a), squash(b)
    if not x or not y:
        return 0.0
    short, long_ = sorted((x, y), key=len)
    if len(short) >= 4 and short in long_:
        return 0.85 + 0.15 * len(short) / len(long_)
    matcher = SequenceMatcher(None, x, y, autojunk=False)
    # cheap upper bounds first: most pairs of lines are nowhere near alike
    for bound in (matcher.real_quick_ratio, matcher.quick_ratio):
        if (value := bound()) < SIMILAR:
            return value
    return matcher.ratio()


def title_of(text: str) -> str:
    """A title from a question line: no trailing punctuation, at most one long sentence."""
    text = ln.unlink(" ".join(text.split())).strip(_END_PUNCT)
    if len(text) > 80:
        cut = re.search(r"[?？。!！]", text)
        text = text[: cut.start()] if cut and cut.start() >= 8 else text[:77] + "..."
    return text.strip(_END_PUNCT) or text


def _question_text(text: str) -> str:
    return ln.unlink(" ".join(text.split())).strip(" \t,，;；:：")


def _clean_answer(body: Sequence[str], last: bool, question: str) -> tuple[str, bool, list[str]]:
    """(answer text, link only, notes): noise lines out, the promotional tail cut."""
    kept = [line.rstrip() for line in body if line.strip() and not ln.is_noise(line)]
    notes: list[str] = []
    if last:
        kept, cut = _cut_tail(kept, question)
        if cut:
            notes.append(f"ignored {cut} trailing line(s) (promotional or boilerplate text)")
    while kept and ln.is_rule(kept[-1]):
        kept.pop()
    text = "\n".join(_dedent(kept)).strip()
    link_only = bool(kept) and all(ln.is_link(line) for line in kept)
    return text, link_only, notes


def _dedent(lines: list[str]) -> list[str]:
    return [line.strip() for line in lines]


def _cut_tail(lines: list[str], question: str) -> tuple[list[str], int]:
    """The last answer without a promotional tail, and how many lines were dropped."""
    cut = next((i for i, line in enumerate(lines) if ln.is_promo(line) or ln.is_rule(line)), None)
    if cut is None:
        return lines, 0
    asked = term_keys(question)
    end = cut
    # prose just before the tail that has nothing to do with the question leads into it
    while end > 1:
        line = lines[end - 1]
        if ln.strip_bullet(line)[1] or ln.numbered(line) or term_keys(line) & asked:
            break
        end -= 1
    return lines[:end], len(lines) - end


def _qa(
    number: int, question: str, body: Sequence[str], line: int, last: bool, notes=()
) -> ExtractedQA | str:
    """An extracted question, or the reason it was skipped."""
    q = _question_text(question)
    answer, link_only, more = _clean_answer(body, last, q)
    title = title_of(q)
    if not answer:
        return f"question {number} ({title}): no answer text found"
    return ExtractedQA(
        number=number,
        title=title,
        question=q,
        answer=answer,
        lang=detect_language(f"{q}\n{answer}", default="en"),
        line=line + 1,
        link_only=link_only,
        notes=[*notes, *more],
    )


def _document(format_: Format, items: list[ExtractedQA | str]) -> ParsedDocument:
    return ParsedDocument(
        format=format_,
        questions=[i for i in items if isinstance(i, ExtractedQA)],
        skipped=[i for i in items if isinstance(i, str)],
    )


# -- Q: / A: pairs ------------------------------------------------------------------------

_Q = re.compile(
    r"^\s*(?:[-*]\s+)?(?:\*\*|__)?\s*(?:Question|问题|Q|问)\s*(?P<n>\d{1,3})?\s*(?:\*\*|__)?"
    r"\s*[:：.、)]\s*(?:\*\*|__)?\s*(?P<text>.*)$",
    re.IGNORECASE,
)
_A = re.compile(
    r"^\s*(?:[-*]\s+)?(?:\*\*|__)?\s*(?:Answer|答案|A|答)\s*(?P<n>\d{1,3})?\s*(?:\*\*|__)?"
    r"\s*[:：]\s*(?:\*\*|__)?\s*(?P<text>.*)$",
    re.IGNORECASE,
)


def _parse_qa(lines: list[str]) -> ParsedDocument | None:
    marks = []
    for i, line in enumerate(lines):
        if m := _A.match(line):
            marks.append(("a", i, m))
        elif m := _Q.match(line):
            marks.append(("q", i, m))
    if not any(a[0] == "q" and b[0] == "a" for a, b in itertools.pairwise(marks)):
        return None
    q_marks = [(i, m) for k, i, m in marks if k == "q"]
    numbers = [int(m["n"]) for _, m in q_marks if m["n"]]
    explicit = len(numbers) == len(q_marks) and len(set(numbers)) == len(numbers)
    items: list[ExtractedQA | str] = []
    for pos, (qi, qm) in enumerate(q_marks):
        ai = next((i for k, i, _ in marks if k == "a" and i > qi), None)
        next_q = q_marks[pos + 1][0] if pos + 1 < len(q_marks) else len(lines)
        number = int(qm["n"]) if explicit else pos + 1
        if ai is None or ai > next_q:
            items.append(f"question {number} ({title_of(qm['text'])}): no answer (A:) after it")
            continue
        question = " ".join([qm["text"], *(s.strip() for s in lines[qi + 1 : ai])])
        body = [_A.match(lines[ai])["text"], *lines[ai + 1 : next_q]]  # type: ignore[index]
        items.append(_qa(number, question, body, qi, pos == len(q_marks) - 1))
    return _document("qa", items)


# -- a question list followed by numbered answers ------------------------------------------


@dataclass(frozen=True)
class _Candidate:
    """A line after the question list that may head an answer."""

    index: int
    number: int | None
    text: str
    heading_like: bool


def _runs(items: list[ln.Numbered], lines: list[str]) -> list[list[ln.Numbered]]:
    """Numbered lines in a row, with nothing but blank lines between them."""
    runs: list[list[ln.Numbered]] = []
    for item in items:
        prev = runs[-1][-1] if runs else None
        if prev and all(not s.strip() for s in lines[prev.index + 1 : item.index]):
            runs[-1].append(item)
        else:
            runs.append([item])
    return runs


def _candidates(lines: list[str], start: int) -> list[_Candidate]:
    found = []
    for i in range(start, len(lines)):
        if item := ln.numbered(lines[i], i):
            like = item.heading or (
                item.style in ("dot", "comma", "colon") and len(item.text) <= 80
            )
            found.append(_Candidate(i, item.number, item.text, like))
        elif head := ln.heading(lines[i]):
            found.append(_Candidate(i, None, head[1], True))
    return found


def _grams(text: str) -> set[str]:
    s = squash(text)
    return {s[i : i + 2] for i in range(len(s) - 1)} or {s}


def _similar(cands: list[_Candidate], titles: list[str]) -> list[dict[int, float]]:
    """For each candidate, the titles it is similar to (index -> similarity). An index of
    character bigrams finds the pairs worth comparing: a long document has many lines."""
    index: dict[str, list[int]] = {}
    sizes = []
    for n, title in enumerate(titles):
        grams = _grams(title)
        sizes.append(len(grams))
        for g in grams:
            index.setdefault(g, []).append(n)
    out = []
    for c in cands:
        grams = _grams(c.text)
        shared = Counter(n for g in grams for n in index.get(g, ()))
        out.append(
            {
                n: sim
                for n, k in shared.items()
                if k >= 0.3 * min(len(grams), sizes[n])
                and (sim := similarity(c.text, titles[n])) >= SIMILAR
            }
        )
    return out


def _score(c: _Candidate, sims: dict[int, float], n: int, number: int) -> float | None:
    """How well candidate `c` heads the answer of listed question `n` (None: it cannot)."""
    same_number = c.number == number
    if n in sims:
        return (3.0 if same_number else 2.0) + sims[n]
    if same_number and c.heading_like:
        return 1.0
    # a heading that repeats another listed question's title: the author copied the wrong one
    if c.heading_like and sims:
        return 0.5
    return None


def _align(cands: list[_Candidate], numbers: list[int], titles: list[str]) -> list[int | None]:
    """For each listed question, the candidate heading its answer (in order), or None."""
    sims = _similar(cands, titles)
    n_q, n_c = len(titles), len(cands)
    scores = [[_score(cands[c], sims[c], q, numbers[q]) for c in range(n_c)] for q in range(n_q)]
    best = [[0.0] * (n_c + 1) for _ in range(n_q + 1)]
    for q in range(1, n_q + 1):
        for c in range(1, n_c + 1):
            options = [best[q][c - 1], best[q - 1][c]]
            s = scores[q - 1][c - 1]
            if s is not None:
                options.append(best[q - 1][c - 1] + s)
            best[q][c] = max(options)
    chosen: list[int | None] = [None] * n_q
    q, c = n_q, n_c
    while q > 0 and c > 0:
        s = scores[q - 1][c - 1]
        if s is not None and math.isclose(best[q][c], best[q - 1][c - 1] + s):
            chosen[q - 1] = c - 1
            q, c = q - 1, c - 1
        elif math.isclose(best[q][c], best[q][c - 1]):
            c -= 1
        else:
            q -= 1
    return chosen


def _is_list(run: list[ln.Numbered], later: list[_Candidate]) -> bool:
    """A question list: its titles come back as headings after it (at least half of them)."""
    if len(run) < 2:
        return False
    after = [c for c in later if c.index > run[-1].index]
    matched = {n for sims in _similar(after, [item.text for item in run]) for n in sims}
    return len(matched) >= max(2, math.ceil(len(run) / 2))


def _heads_answers(heads: list[int], lines: list[str]) -> bool:
    """Most headings found have text under them: they head answers, not items of a list."""
    with_body = sum(
        any(s.strip() for s in lines[a + 1 : b])
        for a, b in zip(heads, [*heads[1:], len(lines)], strict=True)
    )
    return with_body * 2 > len(heads)


def _parse_list(lines: list[str]) -> ParsedDocument | None:
    items = [n for i, line in enumerate(lines) if (n := ln.numbered(line, i))]
    everything = _candidates(lines, 0)
    # the first run of items whose titles come back later; if its "answers" are not answers
    # (a repeated sub-list), the document has no question list
    toc = next((run for run in _runs(items, lines) if _is_list(run, everything)), None)
    if toc is None:
        return None
    return _from_list(toc, lines, [c for c in everything if c.index > toc[-1].index])


def _from_list(
    toc: list[ln.Numbered], lines: list[str], cands: list[_Candidate]
) -> ParsedDocument | None:
    # numbers by position: a list renumbered "1." halfway (a Markdown editor) keeps its order
    start = Counter(item.number - i for i, item in enumerate(toc)).most_common(1)[0][0]
    numbers = [max(1, start) + i for i in range(len(toc))]
    titles = [item.text for item in toc]
    chosen = _align(cands, numbers, titles)
    heads = sorted(c for c in chosen if c is not None)
    if len(heads) < max(1, len(toc) // 2) or not _heads_answers(
        [cands[h].index for h in heads], lines
    ):
        return None
    last = heads[-1]
    out: list[ExtractedQA | str] = []
    for pos, c in enumerate(chosen):
        if c is None:
            out.append(f"question {numbers[pos]} ({title_of(titles[pos])}): no answer found")
            continue
        cand = cands[c]
        after = [h for h in heads if h > c]
        end = cands[after[0]].index if after else len(lines)
        notes = []
        if similarity(cand.text, titles[pos]) < SIMILAR:
            notes.append(
                f"the answer's heading ({title_of(cand.text)!r}, line {cand.index + 1}) differs "
                "from the question list; the title is the list's"
            )
        body = lines[cand.index + 1 : end]
        out.append(_qa(numbers[pos], titles[pos], body, toc[pos].index, c == last, notes))
    return _document("list", out)


# -- one markdown heading per question ----------------------------------------------------

_NOT_QUESTIONS = re.compile(
    r"^(references?|参考(资料|文献)?|总结|summary|conclusions?|目录|contents|table of contents|"
    r"前言|引言|introduction|写在最后|推荐阅读|further reading|about( the author)?|关于作者|"
    r"答案|answers?|面试题|questions?)$",
    re.IGNORECASE,
)
_NUMBER_PREFIX = re.compile(
    r"^(?:(?:Question|Q|问题|第)\s*)?(\d{1,3})\s*题?\s*(?:\.\)|[.．、)）:：])\s*", re.IGNORECASE
)


def _sections(lines: list[str], level: int) -> list[tuple[int, str, list[str]]]:
    """(line, heading text, body) for each heading of `level`; a body runs to the next heading
    of that level or above."""
    heads = [(i, h) for i, line in enumerate(lines) if (h := ln.heading(line))]
    out = []
    for pos, (i, (lvl, text)) in enumerate(heads):
        if lvl != level:
            continue
        end = next((j for j, (l2, _) in heads[pos + 1 :] if l2 <= level), len(lines))
        out.append((i, text, lines[i + 1 : end]))
    return out


def _parse_headings(lines: list[str], min_count: int) -> ParsedDocument | None:
    levels = {h[0] for line in lines if (h := ln.heading(line))}
    best: tuple[int, int] | None = None  # (count, -level)
    for level in sorted(levels):
        count = sum(
            1
            for _, text, body in _sections(lines, level)
            if any(s.strip() for s in body) and not _NOT_QUESTIONS.match(title_of(text))
        )
        if count >= min_count and (best is None or count > best[0]):
            best = (count, level)
    if best is None:
        return None
    sections = [s for s in _sections(lines, best[1]) if not _NOT_QUESTIONS.match(title_of(s[1]))]
    found = [_NUMBER_PREFIX.match(text) for _, text, _ in sections]
    numbers = [int(m.group(1)) if m else None for m in found]
    explicit = None not in numbers and len(set(numbers)) == len(numbers)
    items: list[ExtractedQA | str] = []
    for pos, ((i, text, body), m) in enumerate(zip(sections, found, strict=True)):
        number = numbers[pos] if explicit else pos + 1
        question = text[m.end() :] if m else text
        items.append(_qa(number, question, body, i, pos == len(sections) - 1))  # type: ignore[arg-type]
    return _document("headings", items)


# -- numbered questions, each followed by its answer -------------------------------------

_ASKS = re.compile(
    r"[?？]|什么|怎么|怎样|如何|为什么|为何|哪些|是否|吗|区别|介绍|讲讲|说说|解释|"
    r"\b(what|how|why|which|when|explain|describe|compare|difference|name)\b",
    re.IGNORECASE,
)


def _with_body(items: list[ln.Numbered], lines: list[str]) -> list[ln.Numbered]:
    """Items followed by text before the next item of their list style: headings of answers,
    not items of a list."""
    found, following = [], {}  # style -> index of the next item of that style
    for item in reversed(items):
        end = following.get(item.style, len(lines))
        if any(s.strip() for s in lines[item.index + 1 : end]):
            found.append(item)
        following[item.style] = item.index
    return found[::-1]


def _parse_numbered(lines: list[str]) -> ParsedDocument | None:
    items = [n for i, line in enumerate(lines) if (n := ln.numbered(line, i))]
    heads = _with_body(items, lines)
    if not heads:
        return None
    low = min(h.indent for h in heads)

    def weight(h: ln.Numbered) -> float:
        return 1 + 0.5 * bool(_ASKS.search(h.text)) + 0.3 * h.heading - 0.3 * (h.indent > low)

    # the best chain of consecutive numbers, in document order
    chain: list[tuple[float, int, list[ln.Numbered]]] = []  # (score, length, items) per head
    for h in heads:
        prev = [c for c in chain if c[2][-1].number == h.number - 1]
        base = max(prev, key=lambda c: (c[1], c[0]), default=(0.0, 0, []))
        chain.append((base[0] + weight(h), base[1] + 1, [*base[2], h]))
    _, length, best = max(chain, key=lambda c: (c[0], c[1]))
    if length < 2:
        return None
    out: list[ExtractedQA | str] = []
    for pos, h in enumerate(best):
        end = best[pos + 1].index if pos + 1 < len(best) else len(lines)
        out.append(_qa(h.number, h.text, lines[h.index + 1 : end], h.index, pos == len(best) - 1))
    return _document("numbered", out)


# -- entry points -------------------------------------------------------------------------


def split_lines(text: str) -> list[str]:
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    return text.lstrip("\ufeff").split("\n")


def parse_document(text: str) -> ParsedDocument:
    """The questions and answers of a document; raises NotADocument when no layout fits."""
    lines = split_lines(text)
    if not any(line.strip() for line in lines):
        raise NotADocument("the document is empty")
    for attempt in (
        _parse_qa,
        _parse_list,
        lambda ls: _parse_headings(ls, 2),
        _parse_numbered,
        lambda ls: _parse_headings(ls, 1),
    ):
        parsed = attempt(lines)
        if parsed is not None and parsed.questions:
            return parsed
    raise NotADocument(
        "no questions found: expected a numbered question list with numbered answers, one "
        "Markdown heading per question, numbered questions with answers, or Q:/A: pairs"
    )
