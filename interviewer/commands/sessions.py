"""`interviewer sessions [show ID | delete ID]`: saved transcripts."""

import argparse
import sys

from interviewer.commands._context import print_json
from interviewer.errors import UsageError
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
                sys.stdout.write(to_markdown(session))
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
        rows = store.list_sessions()
        if getattr(args, "json", False):
            print_json(rows)
            return 0
        if not rows:
            print(f"no sessions yet (database: {store.path})")
            return 0
        print(
            table(
                ["id", "started", "mode", "status", "answered", "grader", "average"],
                [
                    [
                        r["id"],
                        r["created_at"][:16].replace("T", " "),
                        r["mode"],
                        r["status"],
                        f"{r['answered']}/{r['questions']}",
                        r["grader"],
                        "-" if r["average"] is None else f"{r['average']:g}",
                    ]
                    for r in rows
                ],
            )
        )
        return 0
