"""The chat rate limits counted in Redis, so every Rasa replica spends from one budget per key.

bot/channels/rate_limits.py keeps its token buckets in the process's memory: with two replicas behind
a load balancer a person may send twice the limit. With ``CHAT_LIMITS_REDIS_URL`` set, the same token
buckets (same settings, same answers) live in Redis instead: one Lua script per message takes a token
from the address bucket and then the conversation bucket, and remembers whether this conversation has
already been told about the limit, atomically, with Redis's own clock (replicas' clocks may disagree).
Each bucket expires once it would be full again, so idle keys cost nothing.

If Redis cannot be reached the limits fall back to counting in this process (each replica on its own,
as without Redis), with one log line when that starts and one when Redis answers again; Redis is tried
again at most every ``RETRY_AFTER_SECONDS``. Failing open rather than refusing: a rate limit protects
capacity, it grants no access, so an outage of the counter must not become an outage of the chat
(refusing everyone would also silence a person reporting an emergency). The local fallback still stops
a flood through any one replica.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import redis.asyncio as aioredis
from redis.exceptions import RedisError

from bot.channels.rate_limits import ChatRateLimits, Refusal

logger = logging.getLogger(__name__)

KEY_PREFIX = "skincare:chat-limit:"
# A rate-limit check must never hold a message up for long: Redis on the network answers in ~1 ms.
REDIS_TIMEOUT_SECONDS = 0.5
RETRY_AFTER_SECONDS = 5.0

# KEYS: the address bucket, the conversation bucket. ARGV: tokens per minute for each (0: no limit).
# A bucket is a hash {tokens, at (ms)}; "<conversation bucket>:told" marks a conversation already told.
# Returns {milliseconds until the next token (0: allowed), 1 when this is the first refusal in a row}.
_TAKE_TOKENS = """
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
local function take(key, per_minute)
  if per_minute <= 0 then return 0 end
  local refill = per_minute / 60000.0
  local state = redis.call('HMGET', key, 'tokens', 'at')
  local tokens, at = tonumber(state[1]), tonumber(state[2])
  if tokens == nil or at == nil then tokens, at = per_minute, now end
  tokens = math.min(per_minute, tokens + math.max(0, now - at) * refill)
  local wait = 0
  if tokens >= 1 then tokens = tokens - 1 else wait = math.ceil((1 - tokens) / refill) end
  redis.call('HSET', key, 'tokens', tostring(tokens), 'at', tostring(now))
  redis.call('PEXPIRE', key, math.ceil((per_minute - tokens) / refill) + 1000)
  return wait
end
local wait = take(KEYS[1], tonumber(ARGV[1]))
if wait == 0 then wait = take(KEYS[2], tonumber(ARGV[2])) end
local told = KEYS[2] .. ':told'
if wait == 0 then
  redis.call('DEL', told)
  return {0, 0}
end
if redis.call('SET', told, '1', 'NX', 'PX', wait + 60000) then return {wait, 1} end
return {wait, 0}
"""


class SharedChatRateLimits:
    """Per-address and per-conversation limits counted in Redis (same behaviour as ChatRateLimits)."""

    def __init__(
        self, per_address: int, per_conversation: int, client: aioredis.Redis, key_prefix: str = KEY_PREFIX
    ) -> None:
        self.per_address = per_address
        self.per_conversation = per_conversation
        self.key_prefix = key_prefix
        self._client = client
        self._take_tokens = client.register_script(_TAKE_TOKENS)
        # Used only while Redis cannot be reached (see the module docstring).
        self._local = ChatRateLimits(per_address, per_conversation)
        self._redis_down_since: float | None = None
        self._next_try = 0.0

    @classmethod
    def from_url(cls, url: str, per_address: int, per_conversation: int, **kwargs: Any) -> SharedChatRateLimits:
        """Limits counted in the Redis at `url` (no connection is made until the first message)."""
        client = aioredis.from_url(
            url, socket_timeout=REDIS_TIMEOUT_SECONDS, socket_connect_timeout=REDIS_TIMEOUT_SECONDS
        )
        return cls(per_address, per_conversation, client, **kwargs)

    async def admit(self, conversation: str, address: str | None = None) -> Refusal | None:
        """None when the message may go on; else a Refusal (the caller answers 429 or a polite reply)."""
        if not (self.per_address or self.per_conversation):
            return None
        now = time.monotonic()
        if self._redis_down_since is not None and now < self._next_try:
            return self._local.check(conversation, address, now)
        per_address = self.per_address if address is not None else 0
        keys = [f"{self.key_prefix}a:{address or '-'}", f"{self.key_prefix}c:{conversation}"]
        try:
            wait_ms, first = await self._take_tokens(keys=keys, args=[per_address, self.per_conversation])
        except (RedisError, OSError) as error:
            if self._redis_down_since is None:
                self._redis_down_since = now
                logger.warning("Chat rate limits: Redis is not answering (%s); counting in this process until "
                               "it is back, so each replica allows the full limit on its own.", error)
            self._next_try = now + RETRY_AFTER_SECONDS
            return self._local.check(conversation, address, now)
        if self._redis_down_since is not None:
            logger.warning("Chat rate limits: Redis answers again after %.0f s; counting there again.",
                           now - self._redis_down_since)
            self._redis_down_since = None
        if not int(wait_ms):
            return None
        return Refusal(int(wait_ms) / 1000.0, bool(int(first)))

    async def close(self) -> None:
        """Close the Redis connections (tests; a server simply exits)."""
        await self._client.close()
