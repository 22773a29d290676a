"""Interview-prep documents -> questions and their answers (pure functions, no I/O).

Four layouts, tried in this order (`ParsedDocument.format` names the one that fitted):

- `qa`: "Q:" / "A:" pairs (also "问:" / "答:", "Question 1:" / "Answer:").
- `list`: a numbered question list (a table of contents) followed by numbered answers. The
  list gives the numbers and titles; each answer is found by aligning the headings after the
  list with it (number and title, in order), so a heading that repeats another question's
  title, or a list renumbered "1." by a Markdown editor, still lands on the right question.
- `headings`: one Markdown heading per question, at the level with the most headings that
  have text under them; without such headings, one bold question line (`**什么是...？**`) per
  question.
- `numbered`: numbered questions each followed by its answer ("1. ...", "2、...", "3) ...",
  "一、..."). Numbered items nest: an item indented deeper, of another numbering style, or
  restarting at 1 opens a list inside the answer before it; the questions are the list whose
  items ask questions, else the outermost.

Fenced code (``` or ~~~) is masked while the layout is found: a `# comment` in it is no
heading. Answers keep their lines as written (only the indentation they share is taken off)
and lose blank lines outside code and image placeholders; the last answer ends where a
promotional tail starts (calls to follow, scan or subscribe, sales talk, copyright notices, a
horizontal rule).
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
from interviewer.engine.lang import detect_language

Format = Literal["qa", "list", "headings", "numbered"]
SIMILAR = 0.6  # title similarity from which a heading is taken for a listed question
REPEATS = 0.85  # from which a title repeats another ("What is X?" is not "What is Y?")


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


CODE = "\ue010"  # what a line of fenced code reads as while the layout is found


@dataclass(frozen=True)
class _Doc:
    raw: list[str]  # the lines as written
    lines: list[str]  # the same with fenced code masked: what the layout is found from

    @classmethod
    def of(cls, raw: list[str]) -> "_Doc":
        code = ln.fenced(raw)
        return cls(raw, [CODE if c else line for line, c in zip(raw, code, strict=True)])

    def body(self, start: int, end: int) -> list[tuple[str, str]]:
        """(as written, masked) for each line of [start, end)."""
        return list(zip(self.raw[start:end], self.lines[start:end], strict=True))


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


# What a question says: a question mark or a question word.
_ASKS = re.compile(
    r"[?？]|什么|怎么|怎样|如何|为什么|为何|哪些|是否|吗|区别|介绍|讲讲|说说|解释|"
    r"\b(what|how|why|which|when|explain|describe|compare|difference|name)\b",
    re.IGNORECASE,
)


def asks(text: str) -> bool:
    return bool(_ASKS.search(text))


def _question_text(text: str) -> str:
    return ln.unlink(" ".join(text.split())).strip(" \t,，;；:：")


Body = Sequence[tuple[str, str]]  # (as written, masked) per line


def _clean_answer(body: Body, last: bool) -> tuple[str, bool, list[str]]:
    """(answer text, link only, notes): blank lines (outside code) and noise out, the
    promotional tail cut, the indentation the lines share taken off."""
    kept = [
        (raw.rstrip(), masked)
        for raw, masked in body
        if (raw.strip() or masked == CODE) and not ln.is_noise(masked)
    ]
    notes: list[str] = []
    if last:
        # the tail starts at the first line that is itself promotional (or a rule): the prose
        # before it may be the answer's own ("In AdamW it is decoupled ...")
        cut = next((i for i, (_, m) in enumerate(kept) if ln.is_promo(m) or ln.is_rule(m)), None)
        if cut is not None:
            notes.append(
                f"ignored {len(kept) - cut} trailing line(s) (promotional or boilerplate text)"
            )
            kept = kept[:cut]
    while kept and ln.is_rule(kept[-1][1]):
        kept.pop()
    text = "\n".join(_dedent([raw for raw, _ in kept])).strip("\n")
    link_only = bool(kept) and all(ln.is_link(m) for _, m in kept)
    return text, link_only, notes


_INDENT = re.compile(r"[ \t\u3000]*")


def _dedent(lines: list[str]) -> list[str]:
    """The lines without the indentation they all share (code and sub-lists keep theirs)."""
    indents = [_INDENT.match(line).group() for line in lines if line.strip()]  # type: ignore[union-attr]
    if not indents:
        return lines
    low, high = min(indents), max(indents)  # their common prefix is everyone's
    common = next((i for i, (a, b) in enumerate(zip(low, high, strict=False)) if a != b), len(low))
    return [line[common:] for line in lines]


def _qa(
    number: int, question: str, body: Body, line: int, last: bool, notes: Sequence[str] = ()
) -> ExtractedQA | str:
    """An extracted question, or the reason it was skipped."""
    q = _question_text(question)
    answer, link_only, more = _clean_answer(body, last)
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


def _parse_qa(doc: _Doc) -> ParsedDocument | None:
    lines = doc.lines
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
        question = " ".join([qm["text"], *(s.strip() for s in doc.raw[qi + 1 : ai])])
        first = _A.match(lines[ai])["text"]  # type: ignore[index]
        body = [(first, first), *doc.body(ai + 1, next_q)]
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
        run = runs[-1] if runs else []
        if (
            run
            and all(not s.strip() for s in lines[run[-1].index + 1 : item.index])
            and not _answers_start(run, item)
        ):
            run.append(item)
        else:
            runs.append([item])
    return runs


def _answers_start(run: list[ln.Numbered], item: ln.Numbered) -> bool:
    """Whether `item` heads the first answer rather than going on with the list before it:
    a `#` heading after items that are not, or a title the list already has without the
    next number (`1. What is overfitting?` again after `3.`)."""
    if item.heading and not any(i.heading for i in run):
        return True
    return item.number != run[-1].number + 1 and any(
        similarity(item.text, i.text) >= REPEATS for i in run
    )


def _candidates(lines: list[str], start: int) -> list[_Candidate]:
    found = []
    for i in range(start, len(lines)):
        if item := ln.numbered(lines[i], i):
            like = item.heading or (
                item.style in ("dot", "comma", "colon", "cn") and len(item.text) <= 80
            )
            found.append(_Candidate(i, item.number, item.text, like))
        elif head := ln.heading(lines[i]):
            found.append(_Candidate(i, None, head[1], True))
        elif bold := ln.bold_line(lines[i]):
            found.append(_Candidate(i, None, bold, True))
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


def _parse_list(doc: _Doc) -> ParsedDocument | None:
    lines = doc.lines
    items = [n for i, line in enumerate(lines) if (n := ln.numbered(line, i))]
    everything = _candidates(lines, 0)
    # the first run of items whose titles come back later; if its "answers" are not answers
    # (a repeated sub-list), the document has no question list
    toc = next((run for run in _runs(items, lines) if _is_list(run, everything)), None)
    if toc is None:
        return None
    return _from_list(toc, doc, [c for c in everything if c.index > toc[-1].index])


def _from_list(toc: list[ln.Numbered], doc: _Doc, cands: list[_Candidate]) -> ParsedDocument | None:
    # numbers by position: a list renumbered "1." halfway (a Markdown editor) keeps its order
    start = Counter(item.number - i for i, item in enumerate(toc)).most_common(1)[0][0]
    numbers = [max(1, start) + i for i in range(len(toc))]
    titles = [item.text for item in toc]
    chosen = _align(cands, numbers, titles)
    heads = sorted(c for c in chosen if c is not None)
    if len(heads) < max(1, len(toc) // 2) or not _heads_answers(
        [cands[h].index for h in heads], doc.lines
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
        end = cands[after[0]].index if after else len(doc.lines)
        notes = []
        if similarity(cand.text, titles[pos]) < SIMILAR:
            notes.append(
                f"the answer's heading ({title_of(cand.text)!r}, line {cand.index + 1}) differs "
                "from the question list; the title is the list's"
            )
        body = doc.body(cand.index + 1, end)
        out.append(_qa(numbers[pos], titles[pos], body, toc[pos].index, c == last, notes))
    return _document("list", out)


# -- one heading per question ---------------------------------------------------------------

_NOT_QUESTIONS = re.compile(
    r"^(references?|参考(资料|文献)?|总结|summary|conclusions?|目录|contents|table of contents|"
    r"前言|引言|introduction|写在最后|推荐阅读|further reading|about( the author)?|关于作者|"
    r"答案|answers?|面试题|questions?)$",
    re.IGNORECASE,
)
BOLD_LEVEL = 7  # a bold question line heads a section below every `#` level

Head = tuple[int, int, str]  # (line, level, text)
Section = tuple[int, str, int]  # (line of the heading, its text, end of its body)


def _heads(lines: list[str]) -> list[Head]:
    """Markdown headings, and lines all in bold that ask a question (`**什么是...？**`)."""
    out = []
    for i, line in enumerate(lines):
        if head := ln.heading(line):
            out.append((i, *head))
        elif (bold := ln.bold_line(line)) and asks(bold):
            out.append((i, BOLD_LEVEL, bold))
    return out


def _sections(heads: list[Head], n_lines: int, level: int) -> list[Section]:
    """Each heading of `level`; its body runs to the next heading of that level or above."""
    out = []
    for pos, (i, lvl, text) in enumerate(heads):
        if lvl == level:
            end = next((j for j, l2, _ in heads[pos + 1 :] if l2 <= level), n_lines)
            out.append((i, text, end))
    return out


def _parse_headings(
    doc: _Doc, min_count: int, bold: bool = False, asking: bool = False
) -> ParsedDocument | None:
    """One question per heading: `#` headings, or with `bold` bold question lines where no
    `#` level has `min_count` questions (tried after numbered questions: a bold line in an
    answer may ask something). `asking`: only headings that ask a question count (a single
    heading over prose is no question: "# My summer trip")."""
    lines, heads = doc.lines, _heads(doc.lines)

    def usable(text: str) -> bool:
        return not _NOT_QUESTIONS.match(title_of(text)) and (not asking or asks(text))

    best: tuple[int, int] | None = None  # (count, level)
    for level in sorted({lvl for _, lvl, _ in heads}):
        if level == BOLD_LEVEL and (best is not None or not bold):
            break
        count = sum(
            1
            for i, text, end in _sections(heads, len(lines), level)
            if any(s.strip() for s in lines[i + 1 : end]) and usable(text)
        )
        if count >= min_count and (best is None or count > best[0]):
            best = (count, level)
    if best is None:
        return None
    sections = [s for s in _sections(heads, len(lines), best[1]) if usable(s[1])]
    found = [ln.heading_number(text) for _, text, _ in sections]
    numbers = [number for number, _ in found]
    explicit = None not in numbers and len(set(numbers)) == len(numbers)
    items: list[ExtractedQA | str] = []
    for pos, ((i, _, end), (number, question)) in enumerate(zip(sections, found, strict=True)):
        number = number if explicit and number else pos + 1
        body = doc.body(i + 1, end)
        items.append(_qa(number, question, body, i, pos == len(sections) - 1))
    return _document("headings", items)


# -- numbered questions, each followed by its answer -------------------------------------


@dataclass
class _List:
    """Numbered items that go on from each other: questions, or a list inside an answer."""

    items: list[ln.Numbered]
    depth: int  # lists around it
    end: int  # the line where it ends: where a list around it goes on, else the document's end

    def goes_on(self, item: ln.Numbered) -> bool:
        """`item` is this list's next item: same style, indentation and number + 1. The first
        item may be indented a little more (a Markdown editor's "  1.")."""
        last = self.items[-1]
        indent = item.indent == last.indent or (
            len(self.items) == 1 and 0 < last.indent - item.indent <= 2
        )
        return (
            indent
            and (item.style, item.heading) == (last.style, last.heading)
            and item.number == last.number + 1
        )

    def body_end(self, pos: int) -> int:
        return self.items[pos + 1].index if pos + 1 < len(self.items) else self.end


def _nest(items: list[ln.Numbered], n_lines: int) -> list[_List]:
    """Numbered items as nested lists. An item goes on the open list whose next item it is;
    any other (indented deeper, of another style, restarting at 1) opens a list inside the
    answer before it. An item that would go on two lists goes on the inner one (a sub-list
    as long as the answer's), unless it asks a question and the outer list's items do."""
    found: list[_List] = []
    stack: list[_List] = []

    def close(k: int, at: int) -> None:
        for inner in stack[k:]:
            inner.end = at
        del stack[k:]

    for item in items:
        fits = [k for k, lst in enumerate(stack) if lst.goes_on(item)]
        if fits:
            k = fits[-1]
            if len(fits) > 1 and asks(item.text):
                k = next((f for f in fits if asks(stack[f].items[0].text)), k)
            close(k + 1, item.index)
            stack[k].items.append(item)
            continue
        deeper = [k for k, lst in enumerate(stack) if lst.items[-1].indent > item.indent]
        if deeper:
            close(deeper[0], item.index)
        stack.append(_List([item], len(stack), n_lines))
        found.append(stack[-1])
    return found


def _parse_numbered(doc: _Doc) -> ParsedDocument | None:
    lines = doc.lines
    items = [n for i, line in enumerate(lines) if (n := ln.numbered(line, i))]
    ranked = []
    for lst in _nest(items, len(lines)):
        answered = [
            item
            for pos, item in enumerate(lst.items)
            if any(s.strip() for s in lines[item.index + 1 : lst.body_end(pos)])
        ]
        if len(answered) < 2:
            continue
        asking = sum(asks(item.text) for item in answered)
        # lists of questions first, then the outermost, then the longest
        ranked.append(((asking * 2 >= len(answered), -lst.depth, len(answered)), lst))
    if not ranked:
        return None
    best = max(ranked, key=lambda r: r[0])[1]
    out: list[ExtractedQA | str] = []
    for pos, item in enumerate(best.items):
        body = doc.body(item.index + 1, best.body_end(pos))
        out.append(_qa(item.number, item.text, body, item.index, pos == len(best.items) - 1))
    return _document("numbered", out)


# -- entry points -------------------------------------------------------------------------


def split_lines(text: str) -> list[str]:
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    return text.lstrip("\ufeff").split("\n")


def parse_document(text: str) -> ParsedDocument:
    """The questions and answers of a document; raises NotADocument when no layout fits."""
    doc = _Doc.of(split_lines(text))
    if not any(line.strip() for line in doc.raw):
        raise NotADocument("the document is empty")
    for attempt in (
        _parse_qa,
        _parse_list,
        lambda d: _parse_headings(d, 2),
        _parse_numbered,
        lambda d: _parse_headings(d, 2, bold=True),
        lambda d: _parse_headings(d, 1, bold=True, asking=True),
    ):
        parsed = attempt(doc)
        if parsed is not None and parsed.questions:
            return parsed
    raise NotADocument(
        "no questions found: expected a numbered question list with numbered answers, one "
        "Markdown heading or bold question line per question, numbered questions with "
        "answers, or Q:/A: pairs"
    )
