"""`interviewer compare SESSION... --graders A,B`: two graders on the same stored answers."""

import argparse

from interviewer.bank.loader import Bank
from interviewer.commands._context import bank_from, print_json, settings_from
from interviewer.compare import Pair, figures, pair_up
from interviewer.engine.offline import OFFLINE_MODEL
from interviewer.errors import InterviewerError, UsageError
from interviewer.graders import OFFLINE
from interviewer.settings import Settings
from interviewer.store.repo import Store
from interviewer.textfmt import table


def _model(name: str, settings: Settings) -> str:
    """The model a grader name stands for, as stored in each grade's provenance."""
    if name == OFFLINE:
        return OFFLINE_MODEL
    from interviewer.llm.spec import resolve_model

    return resolve_model(name, settings).model


def _named(bank: Bank, question_id: str, point_id: str, lang: str) -> str:
    try:
        kp = bank.find(question_id).key_point(point_id)
    except (InterviewerError, StopIteration):
        return point_id
    return f"{point_id} ({(kp.label or kp.text).get(lang)})"  # type: ignore[arg-type]


def _row(p: Pair) -> list[str]:
    a, b = p.a.score or 0.0, p.b.score or 0.0
    return [
        p.session_id[:8],
        str(p.turn.seq),
        p.turn.question_id + (f" / {p.turn.probe_id}" if p.turn.probe_id else ""),
        f"{a:.1f}",
        f"{b:.1f}",
        f"{b - a:+.1f}",
    ]


def run(args: argparse.Namespace) -> int:
    names = [n.strip() for n in args.graders.split(",") if n.strip()]
    if len(names) != 2 or names[0] == names[1]:
        raise UsageError(
            f"--graders {args.graders!r}: give two different graders, e.g. offline,local"
        )
    settings = settings_from(args)
    try:
        models = [_model(n, settings) for n in names]
    except InterviewerError as exc:  # name the flag the user typed
        raise UsageError(f"--graders: {exc}".replace("--grader ", "", 1)) from None
    with Store() as store:
        ids = (
            list(dict.fromkeys(store.resolve_session(ref) for ref in args.sessions))
            if args.sessions
            else [r["id"] for r in reversed(store.list_sessions())]
        )
        turns = [(sid, t) for sid in ids for t in store.turns(sid)]
    pairs, unpaired = pair_up(turns, *models)
    stats = figures(pairs)
    if args.json:
        print_json(
            {
                "graders": dict(zip(("a", "b"), names, strict=True)),
                **stats,
                "unpaired": unpaired,
                "turns": [
                    {
                        "session_id": p.session_id,
                        "turn_id": p.turn.id,
                        "seq": p.turn.seq,
                        "question_id": p.turn.question_id,
                        "probe_id": p.turn.probe_id,
                        "a": p.a.score,
                        "b": p.b.score,
                        "differences": [
                            {"id": i, "a": va, "b": vb} for i, va, vb in p.verdict_differences()
                        ],
                    }
                    for p in pairs
                ],
            }
        )
        return 0
    if not pairs:
        print(
            f"no answers graded by both {names[0]} and {names[1]}; "
            f"run `interviewer regrade ... --grader {names[1]}` first"
        )
        return 0
    bank = bank_from(settings)
    lang = settings.lang
    print(table(["session", "#", "question", names[0], names[1], "diff"], [_row(p) for p in pairs]))
    differing = [p for p in pairs if p.verdict_differences()]
    if differing:
        print(f"\nkey points judged differently ({names[0]} -> {names[1]}):")
        for p in differing:
            print(f"  {p.session_id[:8]} #{p.turn.seq} {p.turn.question_id}")
            for point, va, vb in p.verdict_differences():
                print(f"    {_named(bank, p.turn.question_id, point, lang)}: {va} -> {vb}")

    def show(value: float | None) -> str:
        return "n/a" if value is None else f"{value:.3f}"

    print(
        f"\n{stats['n']} answers graded by both"
        + (f" ({unpaired} by only one)" if unpaired else "")
        + f": Pearson {show(stats['pearson'])}, Spearman {show(stats['spearman'])}, "
        f"mean absolute difference {show(stats['mae'])}, "
        f"exact verdict agreement {show(stats['verdict_agreement'])} "
        f"over {stats['verdicts_compared']} key points"
    )
    return 0
