"""How long a conversation may stay in a server's memory after its last use.

To keep the cost of a message flat, the Rasa server remembers each recent conversation's replayed state
(bot/bounded_history.py, bot/tracker_store.py) and the action server the events it was last sent
(bot/action_events.py). Those copies are never answered from once the stored conversation differs (a
"forget" or a purge deletes it, and the next message reads it back whole), but they hold what people
said. So besides their size bounds, a copy unused for MEMORY_IDLE_SECONDS is dropped: the next message
of that conversation reads it back from the tracker store as Rasa does.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable

#: Ten minutes: a person who pauses longer pays one full read of their conversation on return.
MEMORY_IDLE_SECONDS = 600.0


class LastUse:
    """When each remembered conversation was last used, oldest first (the caches use the same order)."""

    def __init__(self, seconds: float = MEMORY_IDLE_SECONDS, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds, self.clock = seconds, clock
        self._used: dict[Hashable, float] = {}

    def touch(self, key: Hashable) -> None:
        """`key` was used now (it moves to the end)."""
        self._used.pop(key, None)
        self._used[key] = self.clock()

    def forget(self, key: Hashable) -> None:
        """`key` left the cache for another reason (its size bound)."""
        self._used.pop(key, None)

    def idle(self) -> list[Hashable]:
        """The keys unused for longer than `seconds` (no longer tracked here): the cache drops them."""
        cutoff = self.clock() - self.seconds
        expired = []
        for key, used in self._used.items():
            if used > cutoff:
                break
            expired.append(key)
        for key in expired:
            del self._used[key]
        return expired
