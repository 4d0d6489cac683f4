"""An agent in the person's conversation, from a ticket: take over from the assistant, write in the chat,
hand back. Each goes through the Rasa server's staff relay (bot/channels/staff_relay.py), which delivers
on the channel the person uses, and is recorded in the ticket's history with its author.

Settings: STAFF_RELAY_TOKEN (the relay's secret; `make run` makes one per start for both servers) and
STAFF_RELAY_URL (default ``http://127.0.0.1:$RASA_PORT``, RASA_PORT 5005). Blocking: call from a thread.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from urllib.parse import quote

from bot.settings import current_settings
from bot.triage.casework import Actor, load_ticket, record_event
from bot.triage.clean_text import clean_text
from bot.triage.db import triage_session
from bot.triage.models import MAX_DISPLAY_NAME_CHARS, MAX_NOTE_CHARS
from bot.triage.replies import ReplyError
from bot.triage.settings import SettingError

RELAY_TOKEN_ENV = "STAFF_RELAY_TOKEN"  # noqa: S105 - the variable's name, not a secret
RELAY_TIMEOUT_SECONDS = 15
#: What each step is called in the relay's URL, and in the ticket's history.
_STEPS = {"takeover": ("takeover", "took over the chat"), "handback": ("handback", "handed the chat back"),
          "chat": ("messages", "wrote in the chat")}


def takeover_enabled() -> bool:
    """Whether the relay is configured; ``SettingError`` naming the variable when it is set but unusable
    (the web server checks this at start)."""
    if not current_settings().staff_relay_token:
        return False
    relay_address()
    return True


def relay_address() -> tuple[str, str]:
    """The relay's base URL and token; ``SettingError`` naming the variable when takeover is off."""
    env = current_settings()  # a short token or a URL that is not http(s) stops the start (bot/settings.py)
    token = env.staff_relay_token
    if not token:
        raise SettingError(f"{RELAY_TOKEN_ENV} is not set (the same secret for the web and Rasa servers; "
                           "`make run` sets one itself)")
    url = env.staff_relay_url or f"http://127.0.0.1:{env.rasa_port}"
    return url.rstrip("/"), token


def _call_relay(conversation_id: str, step: str, actor: Actor, text: str | None, shown_as: str) -> dict:
    try:
        base, token = relay_address()
    except SettingError as error:
        raise ReplyError(503, f"chat replies are off: {error}") from None
    body: dict[str, object] = {"agent": shown_as, "agent_id": actor.agent_id}
    if text is not None:
        body["text"] = text
    request = urllib.request.Request(  # noqa: S310 (the configured http(s) address, checked above)
        f"{base}/webhooks/staff_relay/conversations/{quote(conversation_id, safe='')}/{step}",
        data=json.dumps(body).encode("utf-8"), method="POST",
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=RELAY_TIMEOUT_SECONDS) as answer:  # noqa: S310 (configured URL)
            return json.load(answer)
    except urllib.error.HTTPError as error:
        try:
            message = json.load(error).get("error") or error.reason
        except (ValueError, AttributeError):
            message = error.reason
        status = error.code if error.code in (400, 404, 409, 502, 503) else 502
        raise ReplyError(status, f"the chat could not be reached: {message}") from None
    except (OSError, ValueError) as error:
        raise ReplyError(503, f"the assistant's server cannot be reached right now ({type(error).__name__}); "
                              "try again in a moment") from None


def act_in_chat(ticket_id: int, action: str, actor: Actor, raw_text: object = None,
                shown_as: str | None = None) -> dict | None:
    """Take over (``takeover``), hand back (``handback``) or write (``chat``, with ``raw_text``) in the
    conversation of a ticket, as ``actor`` (the person sees their display name, or ``shown_as`` when the
    staff token acts for someone); ``None`` if there is no such ticket, ``ReplyError`` if it cannot be
    done. Returns the relay's answer (``channel``, ``human_agent``)."""
    step, label = _STEPS[action]
    name = clean_text(shown_as or "").strip() or actor.name
    if len(name) > MAX_DISPLAY_NAME_CHARS:
        raise ReplyError(400, f"a display name can be at most {MAX_DISPLAY_NAME_CHARS} characters")
    if name != actor.name:
        label = f"{label} as {name}"
    text = None
    if action == "chat":
        text = clean_text(str(raw_text or "")).strip()
        if not text:
            raise ReplyError(400, "a message needs some text")
        if len(text) > MAX_NOTE_CHARS:
            raise ReplyError(413, f"a message can be at most {MAX_NOTE_CHARS} characters")
    with triage_session() as session:
        ticket = load_ticket(session, ticket_id)
        if ticket is None:
            return None
        conversation_id = ticket.conversation_id
    result = _call_relay(conversation_id, step, actor, text, name)
    with triage_session(write=True) as session:
        ticket = load_ticket(session, ticket_id)
        if ticket is not None:
            channel = clean_text(str(result.get("channel") or "chat"))
            record_event(session, ticket, actor, action, f"{label} ({channel}): {text}" if text else
                         f"{label} ({channel})")
    return result
