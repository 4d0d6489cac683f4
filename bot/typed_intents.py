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
data.

Entity values in an accepted payload are trusted only when the knowledge store knows them
(knowledge/entity_values.py): each is mapped to the store's value for it, and any other value (one the
store never had or no longer has, markup, an address, an entity type the store has no words for) is
dropped, so the bot never repeats, remembers or records it. The known values are read once when Rasa
creates the handler, i.e. when the model and its spaCy pipeline are loaded, and a check is a dictionary
look-up. If the store cannot be read then, every payload entity is dropped (and that is logged).

tests/bot/test_typed_intents.py checks the guard against Rasa's own RegexMessageHandler, and
`install_typed_intent_guard` refuses to run on a Rasa version it was not written for.
"""

from __future__ import annotations

import contextvars
import logging
from typing import Any

import rasa
from rasa.core.channels.channel import UserMessage
from rasa.core.processor import MessageProcessor
from rasa.nlu.classifiers.regex_message_handler import RegexMessageHandler
from rasa.shared.constants import INTENT_MESSAGE_PREFIX
from rasa.shared.core.events import BotUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import ENTITIES
from rasa.shared.nlu.training_data.message import Message

from knowledge.entity_values import KnownEntityValues, known_entity_values
from knowledge.queries import KnowledgeStoreUnavailable

logger = logging.getLogger(__name__)

WRITTEN_FOR_RASA = "3.6.21"
# Payloads any conversation may send without having been offered them: they carry no data.
START_PAYLOADS = frozenset({"/greet"})
# How far back in a conversation offered buttons stay valid (bot messages, newest first).
OFFERED_WINDOW = 20
# Where the handler keeps the store's known entity values (set when Rasa creates it; see the docstring).
KNOWN_VALUES_ATTRIBUTE = "known_entity_values"

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


def trusted_entities(entities: list[dict[str, Any]], known: KnownEntityValues | None) -> list[dict[str, Any]]:
    """The payload entities whose values the store knows, each with the store's value; the rest dropped."""
    trusted = []
    for entity in entities:
        value = known.canonical(str(entity.get("entity")), entity.get("value")) if known else None
        if value is None:
            logger.info("Dropped a button payload's %s value: the knowledge store does not know it.",
                        entity.get("entity"))
            continue
        trusted.append({**entity, "value": value})
    return trusted


def load_known_values() -> KnownEntityValues | None:
    """The store's known entity values, or None (logged) when the store cannot be read."""
    try:
        known = known_entity_values()
    except KnowledgeStoreUnavailable as error:
        logger.error("Button payloads will carry no entity values: %s", error)
        return None
    logger.info("Button payload entity values are checked against %d known words.", known.size())
    return known


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
    rasa_create = RegexMessageHandler.create.__func__  # type: ignore[attr-defined]

    def parse_message_with_graph(
        self: MessageProcessor,
        message: UserMessage,
        tracker: DialogueStateTracker,
        only_output_properties: bool = True,
    ) -> dict[str, Any]:
        if not is_typed_intent(message.text, tracker):
            return rasa_parse(self, message, tracker, only_output_properties)
        reset = _typed_text_only.set(True)
        try:
            return rasa_parse(self, message, tracker, only_output_properties)
        finally:
            _typed_text_only.reset(reset)

    def process(self: RegexMessageHandler, messages: list[Message], domain: Any = None) -> list[Message]:
        if _typed_text_only.get():
            return messages  # the classifier's reading of the words stands
        unpacked = rasa_unpack(self, messages, domain)
        known = getattr(self, KNOWN_VALUES_ATTRIBUTE, None)
        for before, after in zip(messages, unpacked, strict=True):
            if after is not before and after.get(ENTITIES):  # a payload: Rasa built a new message from it
                after.set(ENTITIES, trusted_entities(after.get(ENTITIES), known), add_to_output=True)
        return unpacked

    def create(cls: type[RegexMessageHandler], *args: Any, **kwargs: Any) -> RegexMessageHandler:
        handler = rasa_create(cls, *args, **kwargs)
        setattr(handler, KNOWN_VALUES_ATTRIBUTE, load_known_values())
        return handler

    parse_message_with_graph.typed_intent_guard = True  # type: ignore[attr-defined]
    MessageProcessor._parse_message_with_graph = parse_message_with_graph  # type: ignore[method-assign]
    RegexMessageHandler.process = process  # type: ignore[method-assign]
    RegexMessageHandler.create = classmethod(create)  # type: ignore[method-assign,assignment]

