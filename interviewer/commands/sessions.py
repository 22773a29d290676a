"""`interviewer sessions [show ID | delete ID]`: saved transcripts."""

import argparse
import sys
from datetime import date
from pathlib import Path

from interviewer.commands._context import print_json, settings_from
from interviewer.errors import UsageError
from interviewer.files import read_text_file
from interviewer.store.filters import SessionFilter, table_cells, table_headers
from interviewer.store.repo import Store
from interviewer.textfmt import table
from interviewer.transcript import to_markdown


def run(args: argparse.Namespace) -> int:
    with Store() as store:
        if args.sessions_command == "show":
            session = store.session(store.resolve_session(args.id), with_turns=True)
            if args.json:
                print_json(session.model_dump(mode="json"))
            else:
                sys.stdout.write(to_markdown(session, settings_from(args).lang))
            return 0
        if args.sessions_command == "delete":
            sid = store.resolve_session(args.id)
            if not args.yes:
                if not sys.stdin.isatty():
                    raise UsageError(
                        f"delete session {sid}: confirm with --yes (no terminal to ask on)"
                    )
                reply = input(f"Delete session {sid} and all its turns and grades? [y/N] ")
                if reply.strip().lower() not in ("y", "yes"):
                    print("not deleted")
                    return 0
            store.delete_session(sid)
            print(f"deleted session {sid}")
            return 0
        if args.sessions_command == "export":
            return _export(store, args)
        if args.sessions_command == "import":
            return _import(store, args)
        rows = _filtered(store, args)
        if getattr(args, "json", False):
            print_json(rows)
            return 0
        if not rows:
            filtered = any(
                getattr(args, f, None) is not None
                for f in (
                    "since",
                    "until",
                    "grader",
                    "question",
                    "min_score",
                    "max_score",
                    "search",
                )
            )
            print("no sessions match" if filtered else f"no sessions yet (database: {store.path})")
            return 0
        print(table(table_headers(settings_from(args).lang), [table_cells(r) for r in rows]))
        for r in rows:
            for snip in r.get("matches", []):
                print(f"  {r['id']}: {snip}")
        return 0


def _day(value: str | None, flag: str) -> str | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise UsageError(f"{flag} {value!r}: give a date as YYYY-MM-DD") from None


def _filtered(store: Store, args: argparse.Namespace) -> list[dict]:
    question = None
    if args.question:
        from interviewer.commands._context import bank_from, settings_from

        question = bank_from(settings_from(args)).find(args.question).id
    return SessionFilter(
        since=_day(args.since, "--since"),
        until=_day(args.until, "--until"),
        grader=args.grader,
        question=question,
        min_score=args.min_score,
        max_score=args.max_score,
        search=args.search or "",
    ).apply(store)


def _export(store: Store, args: argparse.Namespace) -> int:
    from interviewer.export import render, to_html

    ids = [store.resolve_session(ref) for ref in args.ids]
    out = Path(args.out)
    history = store.history() if args.format == "html" else None
    sessions = [store.session(sid, with_turns=True) for sid in ids]
    if len(sessions) == 1 and not out.is_dir():
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(render(sessions[0], args.format, history), encoding="utf-8")
        print(f"exported session {sessions[0].id} to {out}")
        return 0
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out}: exporting several sessions needs a directory")
    out.mkdir(parents=True, exist_ok=True)
    for session in sessions:
        (out / f"session-{session.id}.{args.format}").write_text(
            render(session, args.format, history), encoding="utf-8"
        )
    if args.format == "html":
        (out / "index.html").write_text(to_html(sessions, history), encoding="utf-8")
    print(f"exported {len(sessions)} sessions to {out}/")
    return 0


def _import(store: Store, args: argparse.Namespace) -> int:
    from interviewer.export import from_json

    path = Path(args.file)
    text = read_text_file(path)
    session = from_json(text, str(path))
    store.import_session(session)
    print(f"imported session {session.id} ({len(session.turns)} turns)")
    return 0
