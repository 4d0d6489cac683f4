"""The action server is sent the latest events of a conversation, not its whole history, on every action.

Rasa sends the whole session's events with every custom action call (about 500 bytes per event: 0.9 MB
at turn 300, encoded by Rasa and decoded by the action server twice per message). Our action server
keeps the events it was last sent for each conversation (`EventHistory`), so Rasa only needs to send
the events it may not have seen:

- Rasa's side (`install_event_tail`, in the Rasa server): once the action server has said it accepts
  this (`ACCEPTS_KEY` in an action response), a call for a conversation of more than `TAIL_EVENTS`
  events carries the last `TAIL_EVENTS` only, plus `BEFORE_KEY`: how many events were left out and the
  first and last of them. Everything else in the call is Rasa's own. Shorter conversations, and any
  action server that has not said it accepts tails, get Rasa's own call unchanged.
- The action server's side (`EventHistory.complete`, bot/action_server.py): when the events it holds
  for the conversation start with the left-out ones (same count, same first and last event, timestamps
  included) it puts them back, and the action runs on exactly the tracker Rasa would have sent;
  otherwise (another replica, a restart, a conversation it forgot) it answers 409 and Rasa resends the
  call whole (`install_event_tail` retries once with Rasa's own call).

Rasa's side fails at start-up if the installed Rasa is not the version it was written for. The action
server's side imports nothing from Rasa (the action server does not load it).
"""

from __future__ import annotations

import itertools
from collections import OrderedDict
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from bot.idle_memory import LastUse
from bot.settings import Settings

if TYPE_CHECKING:  # Rasa's side only: the action server never loads Rasa
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.core.trackers import DialogueStateTracker
    from rasa.utils.endpoints import EndpointConfig

#: The Rasa release whose action call this was checked against (tests/bot/test_action_events.py).
RASA_VERSION = "3.6.21"
#: Events always sent: at 5-8 events per message, the last 8-12 messages. An action server that last saw
#: the conversation fewer events ago than this can complete the call: one action server sees every call,
#: each of two replicas every other one (a few messages apart). Fewer events, less to encode and decode.
TAIL_EVENTS = 60
#: In a call: {"count": events left out, "first": the first of them, "last": the last of them}.
BEFORE_KEY = "events_before"
#: In an action response: this action server completes calls that carry BEFORE_KEY.
ACCEPTS_KEY = "accepts_event_tails"
#: The HTTP status of "I cannot complete this call: send it whole".
RESEND_WHOLE_STATUS = 409
#: Conversations whose events an action server keeps (the least recently used are forgotten first).
DEFAULT_HISTORY_CONVERSATIONS = Settings.action_server_event_history  # ACTION_SERVER_EVENT_HISTORY


def check_rasa_version(installed: str | None = None) -> None:
    """Fail at start-up, not in production, if Rasa is not the version this module was written for."""
    if installed is None:
        import rasa

        installed = rasa.__version__
    if installed != RASA_VERSION:
        raise RuntimeError(f"bot/action_events.py changes Rasa {RASA_VERSION}'s action calls, but Rasa "
                           f"{installed} is installed: check it against the new Rasa, then update RASA_VERSION")


# --- Rasa's side --------------------------------------------------------------------------------------


class TailCall(dict):
    """An action call carrying the latest events only; `whole()` is Rasa's own call for the same action."""

    def __init__(self, body: dict[str, Any], whole: Callable[[], dict[str, Any]]) -> None:
        super().__init__(body)
        self.whole = whole


def tail_call(action: RemoteAction, tracker: DialogueStateTracker, domain: Any,
              rasa_call: Callable[[], dict[str, Any]], tail: int = TAIL_EVENTS) -> dict[str, Any]:
    """Rasa's action call with only the last `tail` events (and BEFORE_KEY), or Rasa's own if not longer."""
    import rasa
    from rasa.shared.core.trackers import EventVerbosity

    left_out = len(tracker.events) - tail
    if left_out <= 0:
        return rasa_call()
    state = tracker.current_state(EventVerbosity.NONE)  # Rasa's state, but for the events
    state["events"] = [event.as_dict() for event in itertools.islice(tracker.events, left_out, None)]
    body: dict[str, Any] = {"next_action": action.name(), "sender_id": tracker.sender_id, "tracker": state,
                            "version": rasa.__version__,
                            BEFORE_KEY: {"count": left_out, "first": tracker.events[0].as_dict(),
                                         "last": tracker.events[left_out - 1].as_dict()}}
    if not action._is_selective_domain_enabled() or domain.does_custom_action_explicitly_need_domain(action.name()):
        body["domain"] = domain.as_dict()
    return TailCall(body, rasa_call)


def install_event_tail(tail: int = TAIL_EVENTS) -> None:
    """Send tails to action servers that accept them; resend whole when one cannot complete a tail."""
    from rasa.core.actions.action import RemoteAction
    from rasa.utils.endpoints import ClientResponseError, EndpointConfig

    check_rasa_version()
    rasa_call_format = RemoteAction._action_call_format
    rasa_request = EndpointConfig.request

    def action_call_format(self: RemoteAction, tracker: DialogueStateTracker, domain: Any) -> dict[str, Any]:
        def rasa_call() -> dict[str, Any]:
            return rasa_call_format(self, tracker, domain)

        if not getattr(self.action_endpoint, "_accepts_event_tails", False):
            return rasa_call()
        return tail_call(self, tracker, domain, rasa_call, tail)

    async def request(self: EndpointConfig, *args: Any, **kwargs: Any) -> Any:
        body = kwargs.get("json")
        try:
            response = await rasa_request(self, *args, **kwargs)
        except ClientResponseError as error:
            if not (isinstance(body, TailCall) and error.status == RESEND_WHOLE_STATUS):
                raise
            response = await rasa_request(self, *args, **{**kwargs, "json": body.whole()})
        if isinstance(response, dict) and response.get(ACCEPTS_KEY) is True and isinstance(body, dict) \
                and "next_action" in body:
            self.__dict__["_accepts_event_tails"] = True
        return response

    RemoteAction._action_call_format = action_call_format  # type: ignore[method-assign]
    EndpointConfig.request = request  # type: ignore[method-assign]


# --- The action server's side ------------------------------------------------------------------------


class IncompleteCall(Exception):
    """The call left out events this action server does not hold: Rasa must send it whole."""


class EventHistory:
    """The events each conversation's latest action call carried (whole), for the latest `size` conversations."""

    def __init__(self, size: int = DEFAULT_HISTORY_CONVERSATIONS, last_use: LastUse | None = None) -> None:
        self.size = size
        self._events: OrderedDict[str, list[Any]] = OrderedDict()
        self._last_use = last_use or LastUse()  # idle conversations leave memory (bot/idle_memory.py)

    def forget(self, sender: str) -> None:
        """Drop what is held for one conversation (the person asked to be forgotten)."""
        if self._events.pop(sender, None) is not None:
            self._last_use.forget(sender)

    def complete(self, action_call: dict[str, Any]) -> dict[str, Any]:
        """The call as Rasa would have sent it whole; raises IncompleteCall if its start is not held here.

        Remembers the conversation's events either way it succeeds.
        """
        tracker = action_call.get("tracker")
        sender = action_call.get("sender_id")
        if not isinstance(tracker, dict) or not isinstance(tracker.get("events"), list):
            return action_call  # not ours to judge: the executor answers as it always does
        for idle in self._last_use.idle():
            self._events.pop(idle, None)
        before = action_call.get(BEFORE_KEY)
        if before is not None:
            held = self._events.get(sender) if isinstance(sender, str) else None
            count = before.get("count") if isinstance(before, dict) else None
            if (held is None or not isinstance(count, int) or not 0 < count <= len(held)
                    or held[0] != before.get("first") or held[count - 1] != before.get("last")):
                raise IncompleteCall
            tracker = {**tracker, "events": held[:count] + tracker["events"]}
            action_call = {key: value for key, value in action_call.items() if key != BEFORE_KEY}
            action_call["tracker"] = tracker
        if isinstance(sender, str):
            self._events[sender] = list(tracker["events"])  # the action gets its own list
            self._events.move_to_end(sender)
            self._last_use.touch(sender)
            while len(self._events) > self.size:
                self._last_use.forget(self._events.popitem(last=False)[0])
        return action_call
