"""`interviewer stub-server`: the OpenAI-compatible stub server, for demos without a model."""

import argparse

from interviewer.errors import UsageError


def run(args: argparse.Namespace) -> int:
    from interviewer.llm.stub import serve  # lazily: http.server is not needed by other commands

    try:
        return serve(
            args.host,
            args.port,
            script=args.script,
            latency=float(args.latency or 0.0),
        )
    except ValueError as exc:  # a bad --script file
        raise UsageError(str(exc)) from exc
