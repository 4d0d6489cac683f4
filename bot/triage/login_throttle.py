"""Slow down guessing of the staff token without ever locking out the right one.

Every wrong token (login form or API bearer header) counts against the address it came from, for
`window_seconds`. Past `free_tries`, each further try from that address waits before it is checked,
twice as long per wrong token up to `max_delay` (10 s), and tries from one address are checked one
at a time, so one address can test at most one token per `max_delay`. A right token still gets in
(after the wait) and clears the count: a guesser sharing an office's address slows staff down a
little but cannot lock them out, as a block did (issue 11). With STAFF_TOKEN at least 32 random
characters, guessing is hopeless anyway; this keeps it quiet and cheap.

State lives in the web process (one process by default); at most `max_clients` addresses are
tracked, oldest dropped first. Behind a reverse proxy, configure Sanic's PROXIES_COUNT /
REAL_IP_HEADER / FORWARDED_SECRET so that the address is the client's, not the proxy's.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict, deque
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

#: Wrong tokens per address checked without waiting, within the window.
FREE_TRIES = 5
BASE_DELAY_SECONDS = 0.5
MAX_DELAY_SECONDS = 10.0
WINDOW_SECONDS = 600.0
MAX_CLIENTS = 10_000


class LoginThrottle:
    """Counts wrong staff tokens per client address and makes further tries wait (module docstring)."""

    def __init__(
        self,
        free_tries: int = FREE_TRIES,
        base_delay: float = BASE_DELAY_SECONDS,
        max_delay: float = MAX_DELAY_SECONDS,
        window_seconds: float = WINDOW_SECONDS,
        max_clients: int = MAX_CLIENTS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.free_tries = free_tries
        self.base_delay = base_delay
        self.max_delay = max_delay
        self.window_seconds = window_seconds
        self.max_clients = max_clients
        self._clock = clock
        self._failures: OrderedDict[str, deque[float]] = OrderedDict()
        self._turns: dict[str, tuple[asyncio.Lock, list[int]]] = {}

    def _recent(self, client: str, now: float) -> deque[float] | None:
        failures = self._failures.get(client)
        if failures is None:
            return None
        while failures and failures[0] <= now - self.window_seconds:
            failures.popleft()
        if not failures:
            del self._failures[client]
            return None
        return failures

    def failures(self, client: str) -> int:
        """Wrong tokens from this address within the window."""
        return len(self._recent(client, self._clock()) or ())

    def delay(self, client: str) -> float:
        """Seconds this address's next try waits before it is checked (0 within the free tries)."""
        over = self.failures(client) - self.free_tries
        if over < 0:
            return 0.0
        return min(self.max_delay, self.base_delay * 2 ** min(over, 30))

    @asynccontextmanager
    async def turn(self, client: str) -> AsyncIterator[None]:
        """Check a token inside this: one try per address at a time, after the address's delay."""
        lock, users = self._turns.setdefault(client, (asyncio.Lock(), [0]))
        users[0] += 1
        try:
            async with lock:
                wait = self.delay(client)
                if wait:
                    await asyncio.sleep(wait)
                yield
        finally:
            users[0] -= 1
            if users[0] == 0:
                self._turns.pop(client, None)

    def failed(self, client: str) -> None:
        """Count a wrong token from this address."""
        now = self._clock()
        failures = self._recent(client, now) or deque(maxlen=self.free_tries + 64)
        failures.append(now)
        self._failures[client] = failures
        self._failures.move_to_end(client)
        while len(self._failures) > self.max_clients:
            self._failures.popitem(last=False)

    def succeeded(self, client: str) -> None:
        """A right token: forget this address's wrong ones."""
        self._failures.pop(client, None)

    def clear(self) -> None:
        """Forget every address's wrong tokens (after rotating STAFF_TOKEN, or between tests)."""
        self._failures.clear()
