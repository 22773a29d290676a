"""Feedback text for a grade, in the answer's language.

Covered points are shown with the quote that earned them; missed points are counted, not
spelled out, until the candidate asks to reveal the reference answer (the follow-up question
may still probe them). Misconceptions are corrected at once.
"""

from typing import Literal

from interviewer.domain.grade import KeyPointResult, MisconceptionResult
from interviewer.domain.rubric import Probe, Rubric
from interviewer.domain.text import Localized
from interviewer.vocab import Depth, Verdict

Lang = Literal["zh", "en"]

TEXT: dict[str, dict[Lang, str]] = {
    "header": {
        "en": "Offline keyword grade: {score:g}/10",
        "zh": "离线关键词评分:{score:g}/10",
    },
    "honest": {
        "en": "(judged by matching the rubric's key phrases, not by understanding; "
        "a model grader judges meaning)",
        "zh": "(按评分标准的关键词匹配判断,并不理解语义;用模型评分可判断含义)",
    },
    "covered": {"en": "Covered:", "zh": "答到的要点:"},
    "partial": {"en": "Partly covered:", "zh": "部分答到:"},
    "missed_count": {
        "en": "Not covered: {core} core and {deep} deeper point(s) "
        "(shown when you reveal the reference answer).",
        "zh": "未覆盖:{core} 个核心要点、{deep} 个深入要点(查看参考答案时显示)。",
    },
    "missed_list": {"en": "Not covered:", "zh": "未覆盖:"},
    "follow_up_header": {
        "en": "Follow-up, offline keyword grade: {score:g}/10",
        "zh": "追问,离线关键词评分:{score:g}/10",
    },
    "expected_missed": {
        "en": "Not covered: {n} of the {total} points this follow-up looks for.",
        "zh": "这道追问期待的 {total} 个要点中有 {n} 个没有答到。",
    },
    "all_covered": {"en": "Every key point is covered.", "zh": "所有要点都答到了。"},
    "misconceptions": {"en": "Misconceptions:", "zh": "错误说法:"},
    "depth": {
        "en": "Depth: {covered:g} of {total} deeper points.",
        "zh": "深度:{total} 个深入要点中答到 {covered:g} 个。",
    },
    "injection": {
        "en": "Text addressed to the grader was ignored; the rest of the answer was graded.",
        "zh": "回答中对评分者的指令已被忽略,其余内容照常评分。",
    },
    "off_topic": {
        "en": "The answer does not use the vocabulary of this question: "
        "is it about something else?",
        "zh": "回答没有用到这道题的相关概念,是否答偏了?",
    },
    "keyword_list": {
        "en": "This reads as a list of terms: a point only named earns at most partial credit, "
        "and depth needs an explanation. Say how and why.",
        "zh": "这更像是一串关键词:只点名的要点最多算部分答到,深入要点需要解释。请说明原理和原因。",
    },
    "empty": {"en": "No answer was given.", "zh": "没有作答。"},
    "injection_only": {
        "en": "The answer only addresses the grader; there is nothing about the question to grade.",
        "zh": "回答只有对评分者的指令,没有关于题目的内容可以评分。",
    },
    "dont_know": {
        "en": "You said you don't know. That is honest; "
        "try the hint, or reveal the reference answer.",
        "zh": "你说不知道。可以先看提示,或者查看参考答案。",
    },
    "gibberish": {
        "en": "This does not read as an answer (no recognisable words).",
        "zh": "这看起来不是一个回答(没有可识别的内容)。",
    },
    "repeated": {
        "en": "The answer repeats one phrase; there is nothing else to grade.",
        "zh": "回答只是在重复同一句话,没有可评分的内容。",
    },
}


def t(key: str, lang: Lang, **kw: object) -> str:
    return TEXT[key][lang].format(**kw)


def _quote(result: KeyPointResult | MisconceptionResult) -> str:
    return f" — “{result.evidence[0].quote}”" if result.evidence else ""


def _credited_lines(
    points: list[KeyPointResult], texts: dict[str, Localized], lang: Lang
) -> list[str]:
    """Covered, then partly covered points, each with the quote that earned it."""
    lines: list[str] = []
    for verdict, key, mark in (
        (Verdict.COVERED, "covered", "✓"),
        (Verdict.PARTIAL, "partial", "◐"),
    ):
        hits = [r for r in points if r.verdict == verdict]
        if hits:
            lines += ["", t(key, lang)]
            lines += [f"  {mark} {texts[r.id].get(lang)}{_quote(r)}" for r in hits]
    return lines


def blocked_feedback(reason: str, lang: Lang) -> str:
    return "\n".join([t("header", lang, score=0), t(reason, lang)])


def feedback(
    rubric: Rubric,
    score: float,
    points: list[KeyPointResult],
    misconceptions: list[MisconceptionResult],
    flags: list[str],
    lang: Lang,
    reveal: bool = False,
) -> str:
    lines = [t("header", lang, score=score)]
    level = rubric.level_for(score)
    if level:
        lines[0] += f" · {level.description.get(lang)}"
    lines.append(t("honest", lang))
    for flag in ("injection", "off_topic", "keyword_list"):
        if flag in flags:
            lines.append(t(flag, lang))
    by_id = {kp.id: kp for kp in rubric.key_points}
    lines += _credited_lines(points, {k: v.text for k, v in by_id.items()}, lang)
    missed = [by_id[r.id] for r in points if r.verdict == Verdict.MISSED]
    lines.append("")
    if not missed:
        lines.append(t("all_covered", lang))
    elif reveal:
        lines.append(t("missed_list", lang))
        lines += [f"  ✗ {kp.text.get(lang)}" for kp in missed]
    else:
        core = sum(kp.depth == Depth.CORE for kp in missed)
        lines.append(t("missed_count", lang, core=core, deep=len(missed) - core))
    lines += _misconception_lines(rubric, misconceptions, lang)
    deep = [kp for kp in rubric.key_points if kp.depth == Depth.DEEP]
    if deep:
        got = {r.id: r.verdict for r in points}
        covered = sum(
            {Verdict.COVERED: 1, Verdict.PARTIAL: 0.5}.get(got.get(kp.id), 0) for kp in deep
        )
        lines += ["", t("depth", lang, covered=covered, total=len(deep))]
    return "\n".join(lines)


def _misconception_lines(
    rubric: Rubric, results: list[MisconceptionResult], lang: Lang
) -> list[str]:
    wrong = [m for m in results if m.present]
    if not wrong:
        return []
    stated = {m.id: m for m in rubric.misconceptions}
    lines = ["", t("misconceptions", lang)]
    for m in wrong:
        lines.append(f"  ✗ {stated[m.id].text.get(lang)}{_quote(m)}")
        lines.append(f"    → {stated[m.id].correction.get(lang)}")
    return lines


def follow_up_feedback(
    rubric: Rubric,
    probe: Probe,
    score: float,
    points: list[KeyPointResult],
    misconceptions: list[MisconceptionResult],
    flags: list[str],
    lang: Lang,
) -> str:
    lines = [t("follow_up_header", lang, score=score), t("honest", lang)]
    if "injection" in flags:
        lines.append(t("injection", lang))
    expected = {f"e{i}": p.text for i, p in enumerate(probe.expected_points, start=1)}
    lines += _credited_lines(points, expected, lang)
    missed = sum(r.verdict == Verdict.MISSED for r in points)
    lines += [
        "",
        t("all_covered", lang)
        if not missed
        else t("expected_missed", lang, n=missed, total=len(points)),
    ]
    return "\n".join(lines + _misconception_lines(rubric, misconceptions, lang))
