"""Bare `interviewer`: the Textual TUI (the first frame before anything heavy is loaded)."""

import argparse
from collections.abc import Callable
from typing import Any


def context_for(args: argparse.Namespace) -> Callable[[], Any]:
    """Settings from flags, env and file, built in the TUI's loading thread."""

    def context() -> Any:
        from interviewer.commands._context import settings_from
        from interviewer.tui.context import Context

        return Context(settings_from(args))

    return context


def run(args: argparse.Namespace) -> int:
    from interviewer.tui.app import run_tui

    return run_tui(lang=getattr(args, "lang", None), context_factory=context_for(args))
