"""Honest failure on the Rasa server: a clear reply when a service it needs is slow or down.

Installed by bot/rasa_server.py before Rasa starts (fails loudly on another Rasa version, like
bot/rasa_speedups.py):

- Custom actions get ACTION_TIMEOUT_SECONDS (default 4, so the reply arrives within 5 s) instead of
  Rasa's 300 s. A slow, hung, failing or unreachable action server gets "I can't answer that right
  now, please try again in a minute", logged and counted (bot/observability.py).
- Rasa wraps the tracker store in `FailSafeTrackerStore`, which on a database error hands out an
  empty in-memory conversation and saves there: the person silently starts again from nothing and
  what they say next is lost. Here a tracker-store error stays an error, and the message is answered
  with an apology instead (the same for a lock store that cannot be reached); the next message after
  the database is back continues the real conversation.
- PostgreSQL connections are checked before use (`pool_pre_ping`), so connections broken by a
  database restart are replaced instead of failing the first messages after it.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import time
from collections.abc import Mapping
from typing import Any

import rasa
import rasa.core.agent
import rasa.core.tracker_store
from rasa.core.actions.action import ActionExecutionRejection, RemoteAction
from rasa.core.agent import Agent
from rasa.core.channels.channel import UserMessage
from rasa.core.lock_store import LockError
from rasa.core.tracker_store import FailSafeTrackerStore
from rasa.shared.core.events import BotUttered
from rasa.shared.exceptions import RasaException

from bot.answers.unavailable import ACTION_UNAVAILABLE, CONVERSATION_UNAVAILABLE
from bot.observability import (
    ACTION_ERRORS,
    ACTION_TIMEOUTS,
    DEPENDENCY_FAILURES,
    MESSAGE_LATENCY,
    MESSAGES,
    count_fallback,
)
from bot.safety.nlu_labels import OPEN_EMERGENCY_TICKET_ACTION
from bot.settings import Settings, settings_for

logger = logging.getLogger(__name__)

RASA_VERSION = "3.6.21"
ACTION_TIMEOUT_ENV = "ACTION_TIMEOUT_SECONDS"
DEFAULT_ACTION_TIMEOUT_SECONDS = Settings.action_timeout_seconds
UNANSWERABLE_ACTION = "action_unanswerable"  # config.yml core_fallback_action_name
#: Custom actions whose failure is logged and counted but never apologised for: an apology after the
#: emergency reply would contradict it, and the missed ticket is written later by the reconciler.
SILENT_ON_FAILURE = frozenset({OPEN_EMERGENCY_TICKET_ACTION})


#: Set while a message is handled, once one of its custom actions has failed: the rest of that
#: message's actions are skipped (no second wait, no second apology).
_action_server_failed: contextvars.ContextVar[list[bool] | None] = contextvars.ContextVar(
    "action_server_failed", default=None)


class ConversationStoreUnavailable(RasaException):
    """The tracker store could not read or save a conversation."""


def action_timeout_seconds(env: Mapping[str, str] | None = None) -> float:
    """ACTION_TIMEOUT_SECONDS as a positive number of seconds; the error names the variable (bot/settings.py)."""
    return settings_for(env).action_timeout_seconds


def install_action_timeout(timeout_seconds: float) -> None:
    """Bound every custom action's call to the action server; answer a failure with an apology."""
    rasa_run = RemoteAction.run

    async def run(self: RemoteAction, output_channel: Any, nlg: Any, tracker: Any, domain: Any) -> list[Any]:
        name = self.name()
        if name == UNANSWERABLE_ACTION:
            count_fallback(tracker.latest_message.intent.get("name") if tracker.latest_message else None)
        failed = _action_server_failed.get()
        if failed:
            logger.warning("skipped custom action %s for %s: the action server already failed on this message",
                           name, tracker.sender_id)
            return []
        try:
            return await asyncio.wait_for(rasa_run(self, output_channel, nlg, tracker, domain), timeout_seconds)
        except ActionExecutionRejection:
            raise  # the action declined to run: Rasa lets another policy choose (not a failure)
        except asyncio.TimeoutError:
            ACTION_TIMEOUTS.labels(name).inc()
            logger.error("custom action %s got no answer within %gs (%s=%s); apologised to %s",
                         name, timeout_seconds, ACTION_TIMEOUT_ENV, timeout_seconds, tracker.sender_id)
        except Exception:
            ACTION_ERRORS.labels(name).inc()
            logger.exception("custom action %s failed; apologised to %s", name, tracker.sender_id)
        if failed is not None:
            failed.append(True)
        if name in SILENT_ON_FAILURE:
            return []
        # Rasa's processor sends the BotUttered events an action returns (as for the action server's).
        return [BotUttered(ACTION_UNAVAILABLE, metadata={"unavailable": "action server"})]

    RemoteAction.run = run  # type: ignore[method-assign]


class HonestTrackerStore(FailSafeTrackerStore):
    """Rasa's tracker-store wrapper without the silent fallback: a store error stays an error."""

    async def retrieve(self, sender_id: str) -> Any:
        """The conversation, or ConversationStoreUnavailable (never a fresh one in its place)."""
        try:
            return await self._tracker_store.retrieve(sender_id)
        except Exception as error:
            raise ConversationStoreUnavailable(f"could not read conversation {sender_id}: {error}") from error

    async def retrieve_full_tracker(self, sender_id: str) -> Any:
        """All sessions of the conversation, or ConversationStoreUnavailable."""
        try:
            return await self._tracker_store.retrieve_full_tracker(sender_id)
        except Exception as error:
            raise ConversationStoreUnavailable(f"could not read conversation {sender_id}: {error}") from error

    async def save(self, tracker: Any) -> None:
        """Save, or ConversationStoreUnavailable (never into a throw-away in-memory store)."""
        try:
            await self._tracker_store.save(tracker)
        except Exception as error:
            raise ConversationStoreUnavailable(f"could not save conversation {tracker.sender_id}: {error}") from error

    async def keys(self) -> Any:
        """The conversation ids, or ConversationStoreUnavailable."""
        try:
            return await self._tracker_store.keys()
        except Exception as error:
            raise ConversationStoreUnavailable(f"could not list conversations: {error}") from error


def _unavailable_dependency(error: BaseException) -> str | None:
    """Which store an error says is unreachable (None for any other error)."""
    import redis

    if isinstance(error, ConversationStoreUnavailable):
        return "conversation store"
    if isinstance(error, (LockError, redis.exceptions.RedisError)):
        return "lock store"
    return None


def install_honest_message_handling() -> None:
    """No silent fresh conversations; a store outage gets an apology; every message is timed and counted."""
    rasa.core.agent.FailSafeTrackerStore = HonestTrackerStore  # type: ignore[misc]
    rasa_handle = Agent.handle_message

    async def handle_message(self: Agent, message: UserMessage) -> Any:
        channel = message.input_channel or "unknown"
        started = time.perf_counter()
        _action_server_failed.set([])
        try:
            result = await rasa_handle(self, message)
        except Exception as error:
            dependency = _unavailable_dependency(error)
            if dependency is None:
                MESSAGES.labels(channel, "error").inc()
                raise
            DEPENDENCY_FAILURES.labels(dependency).inc()
            MESSAGES.labels(channel, "unavailable").inc()
            logger.error("%s unavailable; apologised to %s: %s", dependency, message.sender_id, error)
            await message.output_channel.send_text_message(message.sender_id, CONVERSATION_UNAVAILABLE)
            return None
        MESSAGES.labels(channel, "answered").inc()
        MESSAGE_LATENCY.labels(channel).observe(time.perf_counter() - started)
        return result

    Agent.handle_message = handle_message  # type: ignore[method-assign]


def install_postgres_pre_ping() -> None:
    """Check pooled PostgreSQL connections before use (replaced after a database restart)."""
    rasa_kwargs = rasa.core.tracker_store.create_engine_kwargs

    def create_engine_kwargs(url: Any) -> dict[str, Any]:
        kwargs = rasa_kwargs(url)
        if "postgresql" in str(url):
            kwargs["pool_pre_ping"] = True
        return kwargs

    rasa.core.tracker_store.create_engine_kwargs = create_engine_kwargs


def check_rasa_version() -> None:
    """Fail at start-up, not in production, if Rasa is not the version these patches were written for."""
    if rasa.__version__ != RASA_VERSION:
        raise RuntimeError(f"bot/resilience.py patches Rasa {RASA_VERSION}, but Rasa {rasa.__version__} is "
                           "installed: check each patch against the new Rasa, then update RASA_VERSION")


def install_all() -> None:
    """Apply every change in this module (reads ACTION_TIMEOUT_SECONDS)."""
    check_rasa_version()
    install_action_timeout(action_timeout_seconds())
    install_honest_message_handling()
    install_postgres_pre_ping()
