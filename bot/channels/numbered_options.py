"""Buttons for channels that cannot show them (SMS, WhatsApp via Twilio): numbered options.

The bot's buttons are written out as "Reply 1 for ..., 2 for ..." and a reply of "2" (or the option's
title) is turned back into that button's payload. Which buttons were offered is read from the
conversation tracker (the last bot turn), not kept in this process, so any Rasa process sharing the
tracker store can resolve the answer.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rasa.shared.core.events import BotUttered, UserUttered

Button = dict[str, Any]

_NUMBER_REPLY = re.compile(r"^\s*#?\s*(\d{1,3})\s*[.)]?\s*$")


def format_numbered_options(text: str, buttons: Sequence[Button]) -> str:
    """The bot's text followed by one line that numbers each button's title.

    Single line breaks only: Rasa's Twilio output sends each paragraph ("\\n\\n") as its own SMS.
    """
    titles = [str(button.get("title") or button.get("payload") or "") for button in buttons]
    options = ", ".join(f"{number} for {title}" for number, title in enumerate(titles, start=1))
    if not options:
        return text
    return f"{text.rstrip()}\nReply {options}." if text and text.strip() else f"Reply {options}."


@dataclass(frozen=True)
class OptionChoice:
    """How a reply relates to the options last offered.

    `text` is what to hand to Rasa (the chosen payload, or the reply unchanged). `out_of_range` is set
    when the reply was a number that matches no option, so the channel can ask again.
    """

    text: str
    out_of_range: bool = False


def resolve_reply(reply: str, buttons: Sequence[Button]) -> OptionChoice:
    """Map "2" (or an option's title, any case) to that button's payload; anything else passes through."""
    if not buttons:
        return OptionChoice(reply)
    number = _NUMBER_REPLY.match(reply)
    if number:
        index = int(number.group(1))
        if 1 <= index <= len(buttons):
            return OptionChoice(str(buttons[index - 1].get("payload") or buttons[index - 1].get("title")))
        return OptionChoice(reply, out_of_range=True)
    wanted = reply.strip().casefold()
    for button in buttons:
        if wanted and str(button.get("title", "")).strip().casefold() == wanted:
            return OptionChoice(str(button.get("payload") or button.get("title")))
    return OptionChoice(reply)


def out_of_range_prompt(count: int) -> str:
    """The reply to a number that matches none of the options offered."""
    return f"Please reply with a number from 1 to {count}." if count > 1 else "Please reply 1."


def buttons_from_last_bot_turn(events: Sequence[Any]) -> list[Button]:
    """Buttons of the most recent bot message with buttons since the person last wrote.

    A bot turn can be several messages (options, then a short note); the options still apply.
    """
    for event in reversed(events):
        if isinstance(event, UserUttered):
            return []
        if isinstance(event, BotUttered):
            buttons = (event.data or {}).get("buttons")
            if buttons:
                return [dict(button) for button in buttons if isinstance(button, dict)]
    return []


async def offered_buttons(agent: Any, sender_id: str) -> list[Button]:
    """Buttons the bot last offered `sender_id`, read from the agent's tracker store (empty if unknown)."""
    tracker_store = getattr(agent, "tracker_store", None)
    if tracker_store is None:
        return []
    tracker = await tracker_store.retrieve(sender_id)
    if tracker is None:
        return []
    return buttons_from_last_bot_turn(list(tracker.events))
