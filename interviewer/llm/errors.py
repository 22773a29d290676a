"""Model failures as one-line messages that say what to do; all exit with code 3.

Messages are built from what we know (the model, the endpoint, the *name* of the key's
environment variable) and from server text only after the key has been scrubbed from it.
"""

from interviewer.errors import InterviewerError
from interviewer.vocab import ExitCode


class ModelError(InterviewerError):
    exit_code = ExitCode.MODEL
    retryable = False


class ModelUnreachable(ModelError):
    retryable = True


class ModelTimeout(ModelError):
    retryable = True


class RateLimited(ModelError):
    retryable = True

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class ServerError(ModelError):
    retryable = True


class AuthFailed(ModelError):
    """Rejected or missing key: retrying cannot help."""


class BadRequest(ModelError):
    """The server refused the request itself (unknown model, unsupported option)."""


class BadResponse(ModelError):
    """The server answered with something that is not a chat completion (garbage, empty)."""


class StreamBroken(ModelError):
    """The stream stopped before it finished; `partial` holds what had arrived."""

    retryable = True

    def __init__(self, message: str, partial: str = "") -> None:
        super().__init__(message)
        self.partial = partial


class Truncated(BadResponse):
    """The model stopped at its token limit: the answer is cut off (`partial` has it)."""

    def __init__(self, message: str, partial: str = "") -> None:
        super().__init__(message)
        self.partial = partial
