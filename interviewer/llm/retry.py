"""Retries with exponential backoff and jitter, honouring Retry-After, bounded by max_retries.
Only failures that can pass are retried (connection, timeout, 429, 5xx); an authentication or
bad-request error is not."""

import asyncio
import random
from collections.abc import Awaitable, Callable
from typing import TypeVar

from interviewer.llm.errors import ModelError, RateLimited

T = TypeVar("T")
BASE_DELAY = 0.5
MAX_DELAY = 20.0
MAX_RETRY_AFTER = 60.0

Sleep = Callable[[float], Awaitable[None]]


def backoff(attempt: int, error: ModelError, rand: Callable[[], float] = random.random) -> float:
    """Seconds to wait before retry number `attempt` (0-based)."""
    if isinstance(error, RateLimited) and error.retry_after is not None:
        return min(max(error.retry_after, 0.0), MAX_RETRY_AFTER)
    ceiling = min(MAX_DELAY, BASE_DELAY * 2**attempt)
    return ceiling * (0.5 + rand() / 2)  # jitter: spread retries from many clients


async def with_retries(
    call: Callable[[], Awaitable[T]],
    max_retries: int,
    sleep: Sleep = asyncio.sleep,
    on_retry: Callable[[int, ModelError, float], None] | None = None,
) -> T:
    attempt = 0
    while True:
        try:
            return await call()
        except ModelError as exc:
            if not exc.retryable or attempt >= max_retries:
                raise
            delay = backoff(attempt, exc)
            if on_retry:
                on_retry(attempt + 1, exc, delay)
            attempt += 1
            await sleep(delay)
