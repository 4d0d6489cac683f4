"""A typed "/intent{...}" is text, unless it is exactly a button payload the bot offered in that conversation.

Rasa 3.6 ends every NLU run with `RegexMessageHandler` (the graph's NLU target; see
`rasa.engine.recipes.default_recipe`), which replaces the classifier's result for any text starting
with "/" by the intent and entities written in the text (`YAMLStoryReader.unpack_regex_message`). So a
person typing `/ask_diet{"ingredient": "<b>evil</b> https://evil.example"}` chose the intent and put
any value into the ingredient slot, which the bot then repeated, stored and recorded as a knowledge gap.

`MessageProcessor._parse_message_with_graph` is where Rasa has both the message and the conversation
(`MessageProcessor.parse_message` calls it for every message). The guard wraps it: when the text starts
with "/" and is not the payload of a button in one of the conversation's recent bot messages, the graph
runs with `RegexMessageHandler` switched off for that run, so the message is classified as the words
it is. Payloads the bot offered keep working unchanged (the widget's buttons, Telegram's inline
buttons, Twilio's numbered options), and so does the widget's start payload `/greet`, which carries no
data. Entity values in an accepted payload are the bot's own (they come from its buttons, whose values
come from the knowledge store); values containing markup or an address are dropped all the same.

tests/bot/test_typed_intents.py checks the guard against Rasa's own RegexMessageHandler, and
`install_typed_intent_guard` refuses to run on a Rasa version it was not written for.
"""

from __future__ import annotations

import contextvars
import re
from typing import Any

import rasa
from rasa.core.channels.channel import UserMessage
from rasa.core.processor import MessageProcessor
from rasa.nlu.classifiers.regex_message_handler import RegexMessageHandler
from rasa.shared.constants import INTENT_MESSAGE_PREFIX
from rasa.shared.core.events import BotUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.training_data.message import Message

WRITTEN_FOR_RASA = "3.6.21"
# Payloads any conversation may send without having been offered them: they carry no data.
START_PAYLOADS = frozenset({"/greet"})
# How far back in a conversation offered buttons stay valid (bot messages, newest first).
OFFERED_WINDOW = 20
_MARKUP_OR_ADDRESS = re.compile(r"[<>]|://|www\.", re.IGNORECASE)

_typed_text_only: contextvars.ContextVar[bool] = contextvars.ContextVar("typed_text_only", default=False)


class RasaVersionError(RuntimeError):
    """The installed Rasa is not the version this patch was checked against."""


def offered_payloads(tracker: DialogueStateTracker, window: int = OFFERED_WINDOW) -> set[str]:
    """Payloads of the buttons in the conversation's last `window` bot messages."""
    payloads: set[str] = set()
    seen = 0
    for event in reversed(tracker.events):
        if isinstance(event, BotUttered):
            for button in (event.data or {}).get("buttons") or []:
                if isinstance(button, dict) and isinstance(button.get("payload"), str):
                    payloads.add(button["payload"].strip())
            seen += 1
            if seen >= window:
                break
    return payloads


def is_typed_intent(text: str | None, tracker: DialogueStateTracker) -> bool:
    """True when `text` would be read as an intent by Rasa but is no payload the bot offered."""
    if not text:
        return False
    stripped = text.strip()
    if not stripped.startswith(INTENT_MESSAGE_PREFIX) or stripped in START_PAYLOADS:
        return False
    return stripped not in offered_payloads(tracker)


def _safe_entities(parse_data: dict[str, Any]) -> None:
    """Drop payload entities whose value contains markup or an address (never the bot's own values)."""
    entities = parse_data.get("entities")
    if entities:
        parse_data["entities"] = [
            entity for entity in entities
            if not (isinstance(entity.get("value"), str) and _MARKUP_OR_ADDRESS.search(entity["value"]))
        ]


def install_typed_intent_guard() -> None:
    """Patch Rasa so that typed intents are read as text (see the module docstring)."""
    if rasa.__version__ != WRITTEN_FOR_RASA:
        raise RasaVersionError(
            f"bot/typed_intents.py was written for Rasa {WRITTEN_FOR_RASA}, but {rasa.__version__} is "
            "installed: check MessageProcessor._parse_message_with_graph and RegexMessageHandler.process "
            "against the new version, then update WRITTEN_FOR_RASA."
        )
    if getattr(MessageProcessor._parse_message_with_graph, "typed_intent_guard", False):
        return
    rasa_parse = MessageProcessor._parse_message_with_graph
    rasa_unpack = RegexMessageHandler.process

    def parse_message_with_graph(
        self: MessageProcessor,
        message: UserMessage,
        tracker: DialogueStateTracker,
        only_output_properties: bool = True,
    ) -> dict[str, Any]:
        if not is_typed_intent(message.text, tracker):
            parse_data = rasa_parse(self, message, tracker, only_output_properties)
            if message.text and message.text.lstrip().startswith(INTENT_MESSAGE_PREFIX):
                _safe_entities(parse_data)
            return parse_data
        reset = _typed_text_only.set(True)
        try:
            return rasa_parse(self, message, tracker, only_output_properties)
        finally:
            _typed_text_only.reset(reset)

    def process(self: RegexMessageHandler, messages: list[Message], domain: Any = None) -> list[Message]:
        if _typed_text_only.get():
            return messages  # the classifier's reading of the words stands
        return rasa_unpack(self, messages, domain)

    parse_message_with_graph.typed_intent_guard = True  # type: ignore[attr-defined]
    MessageProcessor._parse_message_with_graph = parse_message_with_graph  # type: ignore[method-assign]
    RegexMessageHandler.process = process  # type: ignore[method-assign]

