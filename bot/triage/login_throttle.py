"""Slow down guessing of the staff token: wrong tokens per client address, then a pause.

Every wrong token (login form or API bearer header) counts against the address it came from; after
`max_failures` within `window_seconds` that address is answered 429 with Retry-After until the oldest
counted failure leaves the window. A right token clears the address's count. State lives in the web
process (one process by default); at most `max_clients` addresses are tracked, oldest dropped first.
Behind a reverse proxy, configure Sanic's PROXIES_COUNT / REAL_IP_HEADER so that the address is the
client's, not the proxy's.
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict, deque
from collections.abc import Callable

#: Wrong tokens allowed per address within the window before it has to wait.
MAX_FAILURES = 20
WINDOW_SECONDS = 600.0
MAX_CLIENTS = 10_000


class LoginThrottle:
    """Counts wrong staff tokens per client address (see module docstring)."""

    def __init__(
        self,
        max_failures: int = MAX_FAILURES,
        window_seconds: float = WINDOW_SECONDS,
        max_clients: int = MAX_CLIENTS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_failures = max_failures
        self.window_seconds = window_seconds
        self.max_clients = max_clients
        self._clock = clock
        self._failures: OrderedDict[str, deque[float]] = OrderedDict()

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

    def retry_after(self, client: str) -> int | None:
        """Seconds this address must wait before its next try, or None if it may try now."""
        now = self._clock()
        failures = self._recent(client, now)
        if failures is None or len(failures) < self.max_failures:
            return None
        return max(1, math.ceil(failures[0] + self.window_seconds - now))

    def failed(self, client: str) -> None:
        """Count a wrong token from this address."""
        now = self._clock()
        failures = self._recent(client, now) or deque(maxlen=self.max_failures)
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
