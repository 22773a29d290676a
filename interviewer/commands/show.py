"""`interviewer show ID|NUMBER [--reveal]`: one question, and with --reveal its rubric."""

import argparse

from interviewer.commands._context import bank_from, print_json, settings_from
from interviewer.domain.rubric import Question
from interviewer.vocab import Depth

LABELS = {
    "en": {
        "tags": "tags",
        "difficulty": "difficulty",
        "reference": "Reference answer",
        "key_points": "Key points",
        "misconceptions": "Common misconceptions",
        "probes": "Follow-ups an interviewer may ask",
        "core": "core",
        "deep": "deep",
        "weight": "weight",
        "hint": "reveal the reference answer with --reveal",
    },
    "zh": {
        "tags": "标签",
        "difficulty": "难度",
        "reference": "参考答案",
        "key_points": "要点",
        "misconceptions": "常见误区",
        "probes": "面试官可能的追问",
        "core": "核心",
        "deep": "深入",
        "weight": "权重",
        "hint": "加 --reveal 查看参考答案",
    },
}


def render(q: Question, lang: str, reveal: bool) -> str:
    t = LABELS[lang]
    out = [
        f"{q.number}. {q.title.get(lang)}  [{q.id}]",
        f"{t['tags']}: {', '.join(q.tags)} · {t['difficulty']} {q.difficulty}/3",
        "",
        q.question.get(lang),
    ]
    if not reveal:
        out += ["", f"({t['hint']})"]
        return "\n".join(out)
    if q.reference_answer:
        out += ["", f"## {t['reference']}", "", q.reference_answer.get(lang).rstrip()]
    out += ["", f"## {t['key_points']}", ""]
    for kp in q.key_points:
        depth = t["core"] if kp.depth == Depth.CORE else t["deep"]
        out.append(f"- [{depth}, {t['weight']} {kp.weight:g}] {kp.text.get(lang)}")
    if q.misconceptions:
        out += ["", f"## {t['misconceptions']}", ""]
        for m in q.misconceptions:
            out.append(f"- ✗ {m.text.get(lang)}\n  ✓ {m.correction.get(lang)}")
    if q.probes:
        out += ["", f"## {t['probes']}", ""]
        out += [f"- ({p.kind.value}) {p.question.get(lang)}" for p in q.probes]
    return "\n".join(out)


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    question = bank_from(settings).find(args.ref)
    if args.json:
        print_json(question.model_dump(mode="json"))
    else:
        print(render(question, settings.lang, args.reveal))
    return 0
