"""Command-line entry. Imports only argparse here; each subcommand imports its own code lazily."""

import argparse
import importlib
import sys
from collections.abc import Sequence
from typing import NoReturn

from interviewer import __version__

EPILOG = """\
exit codes: 0 ok; 1 invalid bank or some batch lines not graded; 2 usage (bad arguments,
unknown id, empty input); 3 model or configuration error; 130 interrupted.
settings: config file < INTERVIEWER_* env vars < flags; INTERVIEWER_HOME relocates
config and data."""


class _Parser(argparse.ArgumentParser):
    """Errors in one line (argparse prints the whole usage first); subcommands inherit it."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _common() -> argparse.ArgumentParser:
    """Options every command accepts, before or after the command name."""
    common = argparse.ArgumentParser(add_help=False)
    sup = argparse.SUPPRESS
    common.add_argument("--lang", choices=["zh", "en"], default=sup, help="output language")
    common.add_argument(
        "--bank",
        action="append",
        metavar="DIR",
        default=sup,
        help="question bank directory (repeatable; 'builtin' is the bundled bank)",
    )
    common.add_argument("--config", metavar="FILE", default=sup, help="settings file (TOML)")
    common.add_argument(
        "--debug",
        action="store_true",
        default=sup,
        help="log model requests and timings (keys redacted)",
    )
    return common


def _count(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if number <= 0:
        raise argparse.ArgumentTypeError("give a number above 0")
    return number


def _concurrency(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--concurrency", type=_count, default=4, metavar="N", help="requests at once (default 4)"
    )


def _json(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON")


def _grader_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--grader",
        metavar="G",
        help="offline | a profile name | provider/model (default: from settings)",
    )
    parser.add_argument("--api-base", metavar="URL", help="OpenAI-compatible endpoint for --grader")
    parser.add_argument(
        "--api-key-env", metavar="NAME", help="env var holding the API key for --grader"
    )


def build_parser() -> argparse.ArgumentParser:
    common = _common()
    parser = _Parser(
        prog="interviewer",
        description="A mock interviewer for ML / LLM-training fundamentals.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"interviewer {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, handler: str, help_: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_, description=help_, parents=[common])
        p.set_defaults(handler=handler)
        return p

    p = command("questions", "questions:run", "list the questions in the bank")
    p.add_argument("--tag", action="append", metavar="TAG", help="only questions with this tag")
    _json(p)

    p = command("show", "show:run", "show one question")
    p.add_argument("ref", metavar="ID|NUMBER", help="question id or number")
    p.add_argument(
        "--reveal", action="store_true", help="also show the reference answer and rubric"
    )
    _json(p)

    p = command(
        "grade", "grade:run", "grade an answer (or a JSON Lines batch) and suggest a follow-up"
    )
    p.add_argument("ref", nargs="?", metavar="ID|NUMBER", help="question id or number")
    p.add_argument("stdin", nargs="?", choices=["-"], help="read the answer from stdin")
    p.add_argument("--answer", metavar="TEXT", help="the answer ('-' reads stdin)")
    p.add_argument(
        "--answer-file", metavar="FILE", help="read the answer from a file ('-' for stdin)"
    )
    p.add_argument(
        "--batch", metavar="IN.jsonl", help="grade every line of a JSON Lines file ('-' for stdin)"
    )
    p.add_argument("--out", metavar="OUT.jsonl", help="where --batch writes its results")
    p.add_argument("--resume", action="store_true", help="continue an interrupted --batch run")
    p.add_argument("--reveal", action="store_true", help="name the missed points in the feedback")
    p.add_argument(
        "--no-save", action="store_true", help="do not save the grade to the transcript store"
    )
    p.add_argument(
        "--samples",
        type=int,
        default=1,
        metavar="K",
        help="model graders: K requests, per-point majority",
    )
    p.add_argument(
        "--show-prompt", action="store_true", help="print the grading prompt; call no model"
    )
    _grader_options(p)
    _json(p)

    p = command("interview", "interview:run", "run a mock interview")
    p.add_argument(
        "--plain",
        action="store_true",
        help="plain line-based mode instead of the TUI (also used when input is piped)",
    )
    p.add_argument(
        "--questions", metavar="LIST", help="numbers or ids, e.g. 1,3,7 (default: all in order)"
    )
    p.add_argument("--random", type=int, metavar="N", help="N questions at random")
    p.add_argument("--seed", type=int, metavar="S", help="seed for --random (reproducible)")
    p.add_argument("--tag", action="append", metavar="TAG", help="only questions with this tag")
    p.add_argument(
        "--depth", type=int, metavar="D", help="follow-ups per question, 0-3 (default 2)"
    )
    p.add_argument(
        "--time-limit", type=_count, metavar="SECONDS", help="mark answers over this time"
    )
    p.add_argument("--resume", metavar="ID", help="continue an unfinished session")
    p.add_argument(
        "--due", action="store_true", help="the questions due for review, most overdue first"
    )
    p.add_argument(
        "--weakest", type=int, metavar="N", help="the N questions with the lowest recent scores"
    )
    _grader_options(p)

    p = command("stats", "stats:run", "progress per question, per tag and over time; what is due")
    _json(p)

    p = command("regrade", "regrade:run", "re-grade stored answers with another grader")
    p.add_argument(
        "sessions", nargs="*", metavar="SESSION", help="session ids (or unique prefixes)"
    )
    p.add_argument("--all", action="store_true", help="every stored session")
    p.add_argument("--since", metavar="DATE", help="sessions started on or after (YYYY-MM-DD)")
    _concurrency(p)
    p.add_argument("--force", action="store_true", help="also turns this grader has already graded")
    p.add_argument(
        "--reschedule",
        action="store_true",
        help="let the new grades move spaced-practice reviews (they do not by default)",
    )
    _grader_options(p)
    _json(p)

    p = command("compare", "compare:run", "compare two graders on stored sessions")
    p.add_argument("sessions", nargs="*", metavar="SESSION", help="session ids (default: all)")
    p.add_argument(
        "--graders", required=True, metavar="A,B", help="two graders, e.g. offline,local"
    )
    _json(p)

    p = command("eval", "eval:run", "measure a grader against expert-scored answers")
    p.add_argument(
        "gold",
        nargs="?",
        metavar="GOLD.jsonl",
        help="labelled answers (default: the bank's gold set)",
    )
    p.add_argument(
        "--repeat", type=_count, default=1, metavar="K", help="grade each answer K times"
    )
    _concurrency(p)
    p.add_argument("--worst", type=_count, default=5, metavar="N", help="disagreements to list")
    _grader_options(p)
    _json(p)

    p = command("sessions", "sessions:run", "list, search, show, export, import or delete sessions")
    _json(p)
    p.add_argument("--since", metavar="DATE", help="started on or after (YYYY-MM-DD)")
    p.add_argument("--until", metavar="DATE", help="started on or before (YYYY-MM-DD)")
    p.add_argument("--grader", metavar="G", help="graded by this grader")
    p.add_argument("--question", metavar="ID|NUMBER", help="asked this question")
    p.add_argument("--min-score", type=float, metavar="S", help="average score at least S")
    p.add_argument("--max-score", type=float, metavar="S", help="average score at most S")
    p.add_argument(
        "--search", metavar="TEXT", help="questions, answers or feedback containing TEXT"
    )
    sessions_sub = p.add_subparsers(dest="sessions_command", metavar="ACTION")
    show_s = sessions_sub.add_parser("show", help="one session, turn by turn", parents=[common])
    show_s.add_argument("id", metavar="ID")
    fmt = show_s.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="print JSON")
    fmt.add_argument("--markdown", action="store_true", help="print Markdown")
    export = sessions_sub.add_parser(
        "export", help="export sessions: md, json or html", parents=[common]
    )
    export.add_argument("ids", nargs="+", metavar="ID")
    export.add_argument("--format", choices=["md", "json", "html"], default="md")
    export.add_argument(
        "--out",
        metavar="PATH",
        required=True,
        help="a file for one session, a directory for several",
    )
    importer = sessions_sub.add_parser(
        "import", help="import a session exported as JSON", parents=[common]
    )
    importer.add_argument("file", metavar="FILE.json")
    delete = sessions_sub.add_parser("delete", help="delete a session", parents=[common])
    delete.add_argument("id", metavar="ID")
    delete.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    p = command("models", "models:run", "list model profiles, or check one")
    _json(p)
    models_sub = p.add_subparsers(dest="models_command", metavar="ACTION")
    check = models_sub.add_parser(
        "check",
        help="send one tiny request: reachability, latency, structured-output modes",
        parents=[common],
    )
    check.add_argument("model", metavar="NAME|MODEL", help="a profile name or provider/model")
    check.add_argument("--api-base", metavar="URL", help="OpenAI-compatible endpoint")
    check.add_argument("--api-key-env", metavar="NAME", help="env var holding the API key")
    _json(check)

    p = command(
        "stub-server",
        "stub_server:run",
        "run the OpenAI-compatible stub model server (demos, tests)",
    )
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8765, help="port (0 picks a free one)")
    p.add_argument("--script", metavar="FILE", help="JSON list of scripted replies")
    p.add_argument(
        "--latency", type=float, default=0.0, metavar="SECONDS", help="added per response"
    )

    p = command("bank", "bank:run", "work with question banks")
    bank_sub = p.add_subparsers(dest="bank_command", metavar="ACTION", required=True)
    check = bank_sub.add_parser(
        "check", help="validate a bank", description="validate a bank", parents=[common]
    )
    check.add_argument(
        "dirs", nargs="*", metavar="DIR", help="bank directories (default: configured banks)"
    )
    check.add_argument(
        "--strict", action="store_true", help="also enforce the bundled bank's policy"
    )
    _json(check)
    build = bank_sub.add_parser(
        "build",
        help="draft a bank from interview-prep documents (Markdown or text, zh or en)",
        description="Draft a bank from interview-prep documents: a numbered question list with "
        "numbered answers, one Markdown heading per question, numbered questions, or Q:/A: "
        "pairs. Without --grader no model is used; --grader completes the drafts with a model. "
        "Re-building keeps the questions already in DIR.",
        parents=[common],
    )
    build.add_argument("docs", nargs="+", metavar="DOC", help="documents to read, in order")
    build.add_argument("--out", required=True, metavar="DIR", help="the bank directory to write")
    build.add_argument(
        "--overwrite", action="store_true", help="also rewrite questions already in DIR"
    )
    _grader_options(build)
    _json(build)

    p = command("config", "config:run", "show the effective settings or the config file path")
    config_sub = p.add_subparsers(dest="config_command", metavar="ACTION", required=True)
    show = config_sub.add_parser(
        "show", help="print effective settings (secrets redacted)", parents=[common]
    )
    _json(show)
    path = config_sub.add_parser(
        "path", help="print the config file and data paths", parents=[common]
    )
    _json(path)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:  # bare `interviewer`: the TUI
        handler = "tui:run"
    module_name, func_name = handler.split(":")
    from interviewer.errors import InterviewerError
    from interviewer.vocab import ExitCode

    try:
        if getattr(args, "debug", False):
            from interviewer.llm.debuglog import enable

            print(f"interviewer: debug log: {enable()}", file=sys.stderr)
        module = importlib.import_module(f"interviewer.commands.{module_name}")
        return int(getattr(module, func_name)(args))
    except InterviewerError as exc:
        print(f"interviewer: error: {exc}", file=sys.stderr)
        return int(exc.exit_code)
    except BrokenPipeError:  # `interviewer questions | head`
        sys.stderr.close()
        return 0
    except OSError as exc:  # a file we were pointed at: say which, in one line
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"interviewer: error: {where}{exc.strerror or exc}", file=sys.stderr)
        return int(ExitCode.USAGE)
    except KeyboardInterrupt:
        print("interviewer: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug: one line (the traceback with --debug)
        if getattr(args, "debug", False):
            raise
        print(
            f"interviewer: error: unexpected {type(exc).__name__}: {exc} "
            "(rerun with --debug for details)",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
