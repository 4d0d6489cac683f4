"""Rasa's Redis lock store with atomic tickets, so several Rasa replicas serve one person's turns in order.

Rasa 3.6's `RedisLockStore` changes a lock by reading it (GET), changing it in Python and writing it
back (SET). Two replicas issuing a ticket for the same conversation at the same moment can both read
"last ticket 3" and both hand out ticket 4: both then think it is their turn, and one person's turns
interleave (RasaHQ/rasa#9213; the atomic fix was reverted upstream). Releasing has the same gap: the
lock is deleted "if no one is waiting", which can drop a ticket issued in between.

Here every change of a lock (issue a ticket, finish serving one, drop expired tickets, clean up) is
one Lua script, which Redis runs atomically. The lock keeps Rasa's format (the JSON of a `TicketLock`,
under the same key), so reading, waiting and expiry behave exactly as in Rasa, and a Rasa
`RedisLockStore` reading the same Redis sees the same locks.

endpoints.production.yml: `lock_store: {type: bot.lock_store.AtomicRedisLockStore, url: ..., port: ...}`
with the same keys as Rasa's `type: redis`.
"""

from __future__ import annotations

import time
from typing import Any

from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

# The tickets of a lock that have not expired at ARGV[1] (Rasa's Ticket.has_expired: now > expires),
# each as {raw JSON text, number}, plus the lock's conversation id.
_LIVE_TICKETS = """
local now = tonumber(ARGV[1])
local raw = redis.call('GET', KEYS[1])
local live = {}
if raw then
  local lock = cjson.decode(raw)
  if type(lock.tickets) == 'table' then
    for _, text in ipairs(lock.tickets) do
      local ticket = cjson.decode(text)
      if not (now > tonumber(ticket.expires)) then
        table.insert(live, {text = text, number = tonumber(ticket.number)})
      end
    end
  end
end
local function save(conversation_id, tickets)
  local texts = {}
  for i, ticket in ipairs(tickets) do texts[i] = cjson.encode(ticket.text) end
  redis.call('SET', KEYS[1],
    '{"conversation_id": ' .. cjson.encode(conversation_id) .. ', "tickets": [' .. table.concat(texts, ', ') .. ']}')
end
local function without(tickets, number)
  local kept = {}
  for _, ticket in ipairs(tickets) do
    if ticket.number ~= number then table.insert(kept, ticket) end
  end
  return kept
end
"""

# ARGV: now, conversation id, the new ticket's expiry (as Python writes the float). Returns its number.
_ISSUE_TICKET = _LIVE_TICKETS + """
local number = 0
if #live > 0 then number = live[#live].number + 1 end
table.insert(live, {text = '{"number": ' .. number .. ', "expires": ' .. ARGV[3] .. '}', number = number})
save(ARGV[2], live)
return number
"""

# ARGV: now, conversation id, ticket number. Rasa's finish_serving: drop the ticket, keep the lock.
_FINISH_SERVING = _LIVE_TICKETS + """
if raw then save(ARGV[2], without(live, tonumber(ARGV[3]))) end
return 0
"""

# ARGV: now, conversation id. Rasa's update_lock: drop expired tickets.
_UPDATE_LOCK = _LIVE_TICKETS + """
if raw then save(ARGV[2], live) end
return 0
"""

# ARGV: now, conversation id, ticket number. Rasa's cleanup (finish serving, then delete the lock if
# nobody waits) in one step, so a ticket issued in between is never deleted with the lock.
_CLEANUP = _LIVE_TICKETS + """
if not raw then return 0 end
local kept = without(live, tonumber(ARGV[3]))
if #kept == 0 then redis.call('DEL', KEYS[1]) return 1 end
save(ARGV[2], kept)
return 0
"""


class AtomicRedisLockStore(RedisLockStore):
    """`RedisLockStore` whose lock changes are atomic (Lua scripts); same keys, format and behaviour."""

    def __init__(self, endpoint_config: EndpointConfig | None = None, **kwargs: Any) -> None:
        """Built by Rasa from the endpoints file (`endpoint_config`), or with RedisLockStore's arguments."""
        if endpoint_config is not None:
            kwargs = {"host": endpoint_config.url or "localhost", **endpoint_config.kwargs, **kwargs}
        super().__init__(**kwargs)
        self._issue = self.red.register_script(_ISSUE_TICKET)
        self._finish = self.red.register_script(_FINISH_SERVING)
        self._update = self.red.register_script(_UPDATE_LOCK)
        self._cleanup = self.red.register_script(_CLEANUP)

    def _key(self, conversation_id: str) -> str:
        return self.key_prefix + conversation_id

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        """Issue the next ticket for the conversation (creating its lock), atomically."""
        now = time.time()
        try:
            return int(self._issue(keys=[self._key(conversation_id)],
                                   args=[repr(now), conversation_id, repr(now + lock_lifetime)]))
        except Exception as e:  # Rasa's contract: any failure to get a ticket is a LockError
            raise LockError(f"Error while acquiring lock. Error:\n{e}") from e

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        """Remove the ticket from the conversation's lock, atomically."""
        self._finish(keys=[self._key(conversation_id)], args=[repr(time.time()), conversation_id, ticket_number])

    def update_lock(self, conversation_id: str) -> None:
        """Drop the lock's expired tickets, atomically."""
        self._update(keys=[self._key(conversation_id)], args=[repr(time.time()), conversation_id])

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        """Finish serving the ticket and delete the lock if no one else holds a ticket, in one step."""
        deleted = self._cleanup(keys=[self._key(conversation_id)],
                                args=[repr(time.time()), conversation_id, ticket_number])
        if deleted:
            self._log_deletion(conversation_id, True)
