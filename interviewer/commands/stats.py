"""`interviewer stats [--json]`: progress per question, per tag and over time; what is due."""

import argparse
from collections.abc import Sequence
from datetime import UTC, datetime

from interviewer.commands._context import bank_from, print_json, settings_from
from interviewer.practice.stats import Progress, progress, question_cells, shown, tag_cells
from interviewer.store.repo import Store
from interviewer.textfmt import table

BLOCKS = "▁▂▃▄▅▆▇█"


def spark(scores: Sequence[float]) -> str:
    """Scores 0-10 as block characters, one per score (the last 12)."""
    return "".join(BLOCKS[min(7, int(s / 10 * 8))] for s in scores[-12:])


def render(report: Progress) -> str:
    lines = [
        f"{report.practised} of {report.total} questions practised ({report.attempts} answers);"
        f" {report.due} due for review now."
    ]
    # the shared row, with the scores as a sparkline before the next review
    rows = [
        [*(cells := question_cells(q, "due now"))[:-1], spark(q.scores), cells[-1]]
        for q in report.questions
    ]
    headers = ["#", "question", "answers", "last", "best", "trend", "scores", "next review"]
    lines += ["", table(headers, rows), "", "By tag:"]
    tag_rows = [tag_cells(t) for t in report.tags]
    lines.append(table(["tag", "practised", "answers", "average", "due"], tag_rows))
    lines += ["", "Over time (UTC days):"]
    if report.overall:
        day_rows = [[d.date, str(d.answers), shown(d.average)] for d in report.overall]
        lines.append(table(["date", "answers", "average"], day_rows))
        lines.append(f"averages: {spark([d.average for d in report.overall])}")
    else:
        lines.append("no interview answers yet: `interviewer interview` to start")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    bank = bank_from(settings)
    with Store() as store:
        report = progress(store, bank, datetime.now(UTC), settings.lang)
    if args.json:
        print_json(report.model_dump(mode="json"))
    else:
        print(render(report))
    return 0
