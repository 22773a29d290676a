"""`interviewer stats [--json]`: progress per question, per tag and over time; what is due."""

import argparse
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from interviewer.commands._context import bank_from, print_json, settings_from
from interviewer.practice.stats import Progress, progress, question_cells, shown, tag_cells
from interviewer.store.repo import Store
from interviewer.textfmt import table

BLOCKS = "▁▂▃▄▅▆▇█"


def spark(scores: Sequence[float]) -> str:
    """Scores 0-10 as block characters, one per score (the last 12)."""
    return "".join(BLOCKS[min(7, int(s / 10 * 8))] for s in scores[-12:])


T: dict[str, dict[str, Any]] = {
    "en": {
        "headline": "{practised} of {total} questions practised ({attempts} answers);"
        " {due} due for review now.",
        "headers": ["#", "question", "answers", "last", "best", "trend", "scores", "next review"],
        "due_now": "due now",
        "by_tag": "By tag:",
        "tag_headers": ["tag", "practised", "answers", "average", "due"],
        "over_time": "Over time (UTC days):",
        "day_headers": ["date", "answers", "average"],
        "averages": "averages",
        "empty": "no interview answers yet: `interviewer interview` to start",
    },
    "zh": {
        "headline": "已练习 {practised}/{total} 题(共作答 {attempts} 次);现在有 {due} 题需要复习。",
        "headers": ["#", "题目", "作答", "最近", "最佳", "趋势", "得分", "下次复习"],
        "due_now": "现在",
        "by_tag": "按标签:",
        "tag_headers": ["标签", "已练习", "作答", "平均", "到期"],
        "over_time": "按日期(UTC):",
        "day_headers": ["日期", "作答", "平均"],
        "averages": "平均分",
        "empty": "还没有面试作答记录:运行 `interviewer interview` 开始",
    },
}


def render(report: Progress, lang: str = "en") -> str:
    t = T["zh" if lang == "zh" else "en"]
    lines = [
        t["headline"].format(
            practised=report.practised, total=report.total, attempts=report.attempts, due=report.due
        )
    ]
    # the shared row, with the scores as a sparkline before the next review
    rows = [
        [*(cells := question_cells(q, t["due_now"]))[:-1], spark(q.scores), cells[-1]]
        for q in report.questions
    ]
    lines += ["", table(t["headers"], rows), "", t["by_tag"]]
    tag_rows = [tag_cells(g) for g in report.tags]
    lines.append(table(t["tag_headers"], tag_rows))
    lines += ["", t["over_time"]]
    if report.overall:
        day_rows = [[d.date, str(d.answers), shown(d.average)] for d in report.overall]
        lines.append(table(t["day_headers"], day_rows))
        lines.append(f"{t['averages']}: {spark([d.average for d in report.overall])}")
    else:
        lines.append(t["empty"])
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    bank = bank_from(settings)
    with Store() as store:
        report = progress(store, bank, datetime.now(UTC), settings.lang)
    if args.json:
        print_json(report.model_dump(mode="json"))
    else:
        print(render(report, settings.lang))
    return 0
