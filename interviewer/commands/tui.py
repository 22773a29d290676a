"""Bare `interviewer`: the Textual TUI (the first frame before anything heavy is loaded)."""

import argparse


def run(args: argparse.Namespace) -> int:
    from interviewer.tui.app import run_tui

    def context():  # type: ignore[no-untyped-def]
        from interviewer.commands._context import settings_from
        from interviewer.tui.context import Context

        return Context(settings_from(args))

    return run_tui(lang=getattr(args, "lang", None), context_factory=context)
