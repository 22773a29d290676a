"""Errors that reach the user as one line and an exit code."""

from interviewer.vocab import ExitCode


class InterviewerError(Exception):
    """An error with a one-line message meant for the user."""

    exit_code: ExitCode = ExitCode.USAGE


class UsageError(InterviewerError):
    """Bad arguments, unknown id, empty input."""

    exit_code = ExitCode.USAGE


class ConfigError(InterviewerError):
    """The configuration file or environment is invalid."""

    exit_code = ExitCode.MODEL


class BankError(InterviewerError):
    """A bank could not be loaded; `problems` holds every problem found."""

    exit_code = ExitCode.INVALID

    def __init__(self, problems: list) -> None:
        self.problems = problems
        first = problems[0] if problems else "unknown problem"
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(f"invalid bank: {first}{more}")
