"""Checks before grading: answers with nothing to grade, and text addressed to the grader.

Empty, "I don't know", gibberish and one phrase repeated score 0 with the reason and get no
content follow-up. Sentences addressed to the grader (prompt injection) are flagged and
excluded from evidence; the rest of the answer is graded normally.
"""

import re
from dataclasses import dataclass, field

from interviewer.engine.text import CJK, STOPWORDS, WORD, Normalized
from interviewer.errors import UsageError
from interviewer.vocab import Scope

MAX_ANSWER_CHARS = 20_000

_DONT_KNOW = re.compile(
    r"(i )?(don'?t know|do not know|dont know|have no idea|no idea|not sure|no clue|idk|dunno|"
    r"can'?t remember|forgot|pass|skip|next)( the answer| this( one)?)?|"
    r"不知道|不清楚|不太清楚|不会|不懂|不了解|没学过|忘了|忘记了|记不清了?|不确定|没有头绪|没思路|跳过|过|"
    r"答不上来?|不会答|这题不会"
)
# Words that carry nothing around an "I don't know".
_FILLER = re.compile(
    r"\b(sorry|um+|uh+|hmm+|well|honestly|really|totally|actually|i'?m|i am|afraid|just)\b|"
    r"抱歉|对不起|不好意思|嗯+|呃+|额+|啊+|哈+|说实话|这个|那个|我|真的|确实|完全|实在|呢|吧|了|哦"
)
_PUNCT = re.compile(r"[\s\W_]+")

# Text addressed to the grader rather than the interviewer's question.
_INJECTION = re.compile(
    "|".join(
        [
            r"\b(ignore|disregard|forget|override)\b.{0,40}\b(instruction|rubric|prompt|rule|criteria|guideline)s?\b",
            # "give this answer 10 points" / "award full marks": a score is the object
            r"\b(give|award|assign)\b.{0,25}\b(10|ten|full|perfect|maximum|max|top)\b\s*"
            r"(/\s*10|marks?|points?|score|grade|分)",
            # "score/rate/grade this answer (as) 10": the answer is the object, not a learning rate
            r"\b(score|rate|grade|mark)\s+(this|it|me|my answer|the answer|this answer)\s+"
            r"(as\s+)?(an?\s+)?(10|ten|full|perfect|maximum|top)\b",
            r"\b10\s*/\s*10\b|\bfull marks\b|\bperfect score\b",
            r"^\s*[\[(<#]*\s*(system|assistant|developer|user)\s*[\])>]*\s*:",
            r"\byou are (now )?(a|an|the)\b.{0,30}\b(grader|assistant|ai|model|evaluator|judge)\b",
            r"\b(dear|note to|attention|hey)\b.{0,10}\b(grader|evaluator|judge|marker|ai|model)\b",
            r"\bas (an?|the) (ai|grader|evaluator|language model|judge)\b",
            r"\{\s*\"?(score|verdict|grade|status|key_points)\"?\s*:",
            r"<\|?\s*(im_start|im_end|system|endoftext|eot_id|start_header_id)\s*\|?>|\[/?inst\]|###\s*(instruction|system|response)",
            r"(忽略|无视|忘记|忘掉|不要管).{0,12}(指令|指示|规则|评分标准|标准|要求|提示|rubric|prompt)",
            r"(给|打|评).{0,8}(满分|10\s*分|十分|高分|最高分)|满分",
            r"(系统|system)\s*(提示|指令|prompt)\s*[:：]",
            r"你(现在)?(是|扮演).{0,10}(评分|评委|阅卷|助手|模型|ai)",
            r"(评分|阅卷)(员|者|老师|系统|模型|的?ai)",
            # talk about the grading itself: verdicts, "every key point is covered", fences
            r"\b(every|all)\s+(the\s+)?(key\s+|rubric\s+)?points?\s+(are|is|were|have been)\s+"
            r"(covered|met|satisfied|present)",
            r"\bverdicts?\b|\bkey_points\b|\bmark\s+(everything|all|every\w*)\s+(as\s+)?covered",
            r"^\s*(thought process|reasoning|analysis|assistant response)\s*:",
            r"\b(new|updated|additional)\s+instructions?\s*:",
            r"<<<|>>>|answer-[0-9a-f]{6,}",
            r"(所有|全部)(的)?(要点|得分点|关键点).{0,6}(都)?(已)?(覆盖|满足|答到)",
        ]
    ),
    re.IGNORECASE | re.MULTILINE,
)

_VOWELS = set("aeiouy")
_CONSONANT_RUN = re.compile(r"[bcdfghjklmnpqrstvwxz]{5,}")


@dataclass
class Screening:
    """What the guards found. `blocking` is set when there is nothing to grade."""

    flags: list[str] = field(default_factory=list)
    blocking: str | None = None
    injections: list[tuple[int, int]] = field(default_factory=list)  # spans in the original


def check_length(answer: str, limit: int = MAX_ANSWER_CHARS) -> None:
    if len(answer) > limit:
        raise UsageError(
            f"answer is {len(answer):,} characters; answers up to {limit:,} are graded whole "
            "(shorten it rather than have it cut)"
        )


def _dont_know(text: str) -> bool:
    """Only "I don't know" (in any words), perhaps with fillers around it."""
    clauses = [_FILLER.sub(" ", c) for c in re.split(r"[,.;:!?。、\n…~]+", text)]
    clauses = [" ".join(c.split()) for c in clauses if _PUNCT.sub("", c)]
    return bool(clauses) and all(_DONT_KNOW.fullmatch(c) for c in clauses)


def _repeated(text: str) -> bool:
    """One phrase said three times or more and nothing else."""
    squeezed = _PUNCT.sub("", text)
    return len(squeezed) >= 6 and re.fullmatch(r"(.{1,200}?)\1{2,}", squeezed) is not None


def _wordlike(word: str) -> bool:
    if any(ch.isdigit() for ch in word):  # l1, fp16, 1e-5
        return True
    return bool(set(word) & _VOWELS) and len(word) <= 25 and not _CONSONANT_RUN.search(word)


def _gibberish(text: str, on_topic: bool) -> bool:
    if not any(ch.isalpha() for ch in text):
        return True  # digits and punctuation only
    if len(CJK.findall(text)) >= 2:
        return False  # Chinese nonsense is caught as off-topic instead
    words = [m.group() for m in WORD.finditer(text)]
    if not words:
        return True
    real = sum(_wordlike(w) for w in words) / len(words)
    stop = any(w in STOPWORDS for w in words)
    if real < 0.5 and not on_topic:
        return True
    # four or more words without one function word or one term of the question: a key mash
    return len(words) >= 4 and not stop and not on_topic


def screen(answer: str, norm: Normalized, on_topic: bool) -> Screening:
    """Run the guards. `on_topic`: whether the answer uses any of the question's vocabulary."""
    result = Screening()
    text = norm.text
    if not text.strip():
        result.flags.append("empty")
        result.blocking = "empty"
        return result
    rest = text
    for start, end in norm.units(Scope.SENTENCE):
        if _INJECTION.search(text[start:end].strip()):
            result.injections.append(norm.span(start, end))
            rest = rest[:start] + " " * (end - start) + rest[end:]
    if result.injections:
        result.flags.append("injection")
        if not any(ch.isalnum() for ch in rest):  # nothing left once that text is set aside
            result.flags.append("injection_only")
            result.blocking = "injection_only"
            return result
    for check, flag in ((_dont_know, "dont_know"), (_repeated, "repeated")):
        if rest.strip() and check(rest.strip()):
            result.flags.append(flag)
            result.blocking = flag
            return result
    if rest.strip() and _gibberish(rest, on_topic):
        result.flags.append("gibberish")
        result.blocking = "gibberish"
    elif keyword_list(rest):
        result.flags.append("keyword_list")
    return result


# Items of a list: split at commas, enumeration marks, semicolons, slashes and line breaks.
_ITEM_BREAK = re.compile(r"[,;、/|\n]+|\s+-\s+|(?<![\w])and(?![\w])")
# Chinese characters that make a fragment a statement rather than a name.
_ZH_PREDICATE = re.compile(r"[是会能可让使把被将因所用要需就都来去有没不在]")
KEYWORD_LIST_MIN_ITEMS = 5
KEYWORD_LIST_SHARE = 0.75


def _bare_term(item: str) -> bool:
    """A name with nothing said about it: 'weight decay', 'Laplace prior', '权重衰减'."""
    words = [m.group() for m in WORD.finditer(item)]
    cjk = CJK.findall(item)
    if len(words) > 3 or len(cjk) > 6:
        return False
    if any(w in STOPWORDS for w in words) or _ZH_PREDICATE.search(item):
        return False
    return bool(words or cjk)


def keyword_list(text: str) -> bool:
    """Mostly short terms in a row, no sentences: naming points without explaining them."""
    items = [i.strip(" .:-*•·()[]") for i in _ITEM_BREAK.split(text)]
    items = [i for i in items if i and any(ch.isalnum() for ch in i)]
    if len(items) < KEYWORD_LIST_MIN_ITEMS:
        return False
    return sum(_bare_term(i) for i in items) >= KEYWORD_LIST_SHARE * len(items)


def mask(answer: str, spans: list[tuple[int, int]]) -> str:
    """The answer with the given spans blanked (same length, so offsets stay valid)."""
    chars = list(answer)
    for start, end in spans:
        for i in range(start, end):
            if not chars[i].isspace():
                chars[i] = " "
    return "".join(chars)
