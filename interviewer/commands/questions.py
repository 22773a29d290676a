"""`interviewer questions`: the bank as a table or JSON."""

import argparse

from interviewer.commands._context import bank_from, print_json, settings_from
from interviewer.errors import UsageError
from interviewer.textfmt import table


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    questions = bank_from(settings).questions
    if args.tag:
        known = {t for q in questions for t in q.tags}
        unknown = [t for t in args.tag if t not in known]
        if unknown:
            raise UsageError(
                f"--tag: unknown tag {unknown[0]!r}; tags in the bank: {', '.join(sorted(known))}"
            )
        questions = [q for q in questions if set(args.tag) & set(q.tags)]
    if args.json:
        print_json(
            [
                {
                    "number": q.number,
                    "id": q.id,
                    "title": q.title.model_dump(),
                    "tags": q.tags,
                    "difficulty": q.difficulty,
                }
                for q in questions
            ]
        )
        return 0
    zh_first = settings.lang == "zh"
    headers = ["#", "id", "标题" if zh_first else "title", "英文" if zh_first else "中文", "tags"]
    rows = [
        [
            str(q.number),
            q.id,
            q.title.get(settings.lang),
            q.title.en if zh_first else q.title.zh,
            ", ".join(q.tags),
        ]
        for q in questions
    ]
    print(table(headers, rows))
    return 0
