"""Message rate limits shared by every public channel: per client address and per conversation.

A token bucket per key: a key may send `messages` at once, then one more each `60 / messages`
seconds. Checking a message is two dict look-ups and some arithmetic (about 3 µs for both limits on
the 2-core dev machine, against 13-15 ms per message; tests/channels/test_rate_limits.py prints it).
Buckets live in the Rasa process's memory, so with several processes (replicas, Sanic workers) each
counts on its own, unless ``CHAT_LIMITS_REDIS_URL`` is set: then the same buckets live in Redis and every
process spends from one budget (bot/channels/shared_rate_limits.py; `make run-prod` sets it).

Settings (environment, read once when the channels are built; 0 switches a limit off):

- ``CHAT_LIMIT_PER_ADDRESS``: messages per minute from one client address (widget only: REST
  callers are trusted servers and messaging apps all arrive from the platform's own addresses).
- ``CHAT_LIMIT_PER_CONVERSATION``: messages per minute in one conversation (every channel).
- ``CHAT_LIMITS_REDIS_URL``: ``redis://[:password@]host:port/db`` to count in Redis (unset: in process).

Behind a reverse proxy the widget's client address is the proxy's unless Sanic is told which header
to trust: set ``SANIC_PROXIES_COUNT`` (or ``SANIC_REAL_IP_HEADER``) in the Rasa server's environment.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from bot.settings import SettingsError, settings_for

# Buckets kept before idle (full) ones are dropped; bounds memory under a flood of new keys.
MAX_TRACKED_KEYS = 50_000


#: A rate-limit setting is not usable (bot/settings.py checks them).
RateLimitConfigError = SettingsError


class TokenBuckets:
    """One token bucket per key; `take(key)` spends a token or says how long until one is free."""

    def __init__(self, per_minute: int, max_keys: int = MAX_TRACKED_KEYS) -> None:
        self.capacity = float(per_minute)
        self.refill_per_second = per_minute / 60.0
        self.max_keys = max_keys
        self._buckets: dict[str, list[float]] = {}  # key -> [tokens left, time of last update]

    def take(self, key: str, now: float) -> float:
        """Spend one token for `key`: 0.0 when allowed, else the seconds until the next token."""
        bucket = self._buckets.get(key)
        if bucket is None:
            if len(self._buckets) >= self.max_keys:
                self._forget_idle(now)
            self._buckets[key] = [self.capacity - 1.0, now]
            return 0.0
        tokens = min(self.capacity, bucket[0] + (now - bucket[1]) * self.refill_per_second)
        bucket[1] = now
        if tokens >= 1.0:
            bucket[0] = tokens - 1.0
            return 0.0
        bucket[0] = tokens
        return (1.0 - tokens) / self.refill_per_second

    def _forget_idle(self, now: float) -> None:
        """Drop buckets that have refilled completely (they hold no information)."""
        rate, full = self.refill_per_second, self.capacity
        self._buckets = {
            key: bucket for key, bucket in self._buckets.items() if bucket[0] + (now - bucket[1]) * rate < full
        }


@dataclass(frozen=True)
class Refusal:
    """A message over a limit: how long to wait, and whether this is the first refusal in a row."""

    retry_after: float
    first: bool

    @property
    def retry_after_seconds(self) -> int:
        """Whole seconds, rounded up (for a Retry-After header)."""
        return max(1, math.ceil(self.retry_after))


class ChatRateLimits:
    """The per-address and per-conversation limits one channel applies to incoming messages."""

    def __init__(self, per_address: int, per_conversation: int) -> None:
        self.per_address = per_address
        self.per_conversation = per_conversation
        self._addresses = TokenBuckets(per_address) if per_address else None
        self._conversations = TokenBuckets(per_conversation) if per_conversation else None
        self._refused: set[str] = set()  # keys told about the limit since their last accepted message

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> ChatRateLimits:
        """Limits from CHAT_LIMIT_PER_ADDRESS and CHAT_LIMIT_PER_CONVERSATION (messages per minute)."""
        settings = settings_for(env)
        return cls(settings.chat_limit_per_address, settings.chat_limit_per_conversation)

    def check(self, conversation: str, address: str | None = None, now: float | None = None) -> Refusal | None:
        """None when the message may go on; else a Refusal (the caller answers 429 or a polite reply)."""
        now = time.monotonic() if now is None else now
        wait = 0.0
        if address is not None and self._addresses is not None:
            wait = self._addresses.take("a:" + address, now)
        if not wait and self._conversations is not None:
            wait = self._conversations.take(conversation, now)
        if not wait:
            if self._refused:
                self._refused.discard(conversation)
            return None
        first = conversation not in self._refused
        if first:
            if len(self._refused) >= MAX_TRACKED_KEYS:
                self._refused.clear()
            self._refused.add(conversation)
        return Refusal(wait, first)

    async def admit(self, conversation: str, address: str | None = None) -> Refusal | None:
        """`check` now, for the channels (the same call as the Redis-backed limits)."""
        return self.check(conversation, address)


class MessageRateLimits(Protocol):
    """What a channel asks of its limits, counted in process (ChatRateLimits) or in Redis."""

    per_address: int
    per_conversation: int

    async def admit(self, conversation: str, address: str | None = None) -> Refusal | None:
        """None when the message may go on; else a Refusal (the caller answers 429 or a polite reply)."""


def rate_limits_from_env(env: Mapping[str, str] | None = None) -> MessageRateLimits:
    """The channels' limits: counted in Redis when CHAT_LIMITS_REDIS_URL is set, else in this process."""
    limits = ChatRateLimits.from_env(env)
    url = settings_for(env).chat_limits_redis_url
    if not url:
        return limits
    from bot.channels.shared_rate_limits import SharedChatRateLimits  # redis only when configured

    return SharedChatRateLimits.from_url(url, limits.per_address, limits.per_conversation)
