"""A gate shared by concurrent requests to one model: when any of them is rate limited (429),
every request waits out the same pause instead of each hammering the server on its own."""

import asyncio
import time
from collections.abc import Callable


class RateGate:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._open_at = 0.0
        self.pauses = 0  # how many 429s closed the gate (reported in summaries)

    def pause(self, seconds: float) -> None:
        """Close the gate for `seconds` from now (never shortening a longer pause)."""
        self.pauses += 1
        self._open_at = max(self._open_at, self.clock() + max(seconds, 0.0))

    @property
    def wait_left(self) -> float:
        return max(0.0, self._open_at - self.clock())

    async def wait(self) -> None:
        # loop: the pause may be extended by another 429 while this request sleeps
        while (left := self.wait_left) > 0:
            await asyncio.sleep(left)
