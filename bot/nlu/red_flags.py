"""Rasa NLU component: the emergency layer (the detector is bot.safety.emergency).

It sits last in the pipeline, so no classifier can overrule it, and it reads the WHOLE message (the
length guard keeps the full text aside; see bot.nlu.message_limits). Its verdict decides three
intents that no classifier may set on its own (bot.safety.nlu_labels.SAFETY_INTENTS):

- emergency -> `red_flag` (confidence 1.0) with entities `emergency_kind` and `emergency_language`,
  which fill the slots choosing the domain's first-aid reply;
- unsure -> `possible_emergency` with the same entities: the triage question is asked, in that
  language. The classifiers' intent is kept in the parse data so that "No" can answer the message;
- not an emergency, in a language other than English -> `other_language`.

A classifier's guess of one of these intents that the detector does not confirm is replaced by the
classifiers' next best intent (or `nlu_fallback` below the fallback threshold).
"""

from __future__ import annotations

import re
from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import (
    ENTITIES,
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
)
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.deciding_components import IntentDecider
from bot.nlu.message_limits import full_text
from bot.safety.emergency import SafetyVerdict, assess_message
from bot.safety.nlu_labels import (
    DEFAULT_KIND,
    EMERGENCY_KIND_ENTITY,
    EMERGENCY_LANGUAGE_ENTITY,
    OTHER_LANGUAGE_INTENT,
    POSSIBLE_EMERGENCY_INTENT,
    RED_FLAG_INTENT,
    REPLACED_INTENT_KEY,
    SAFETY_INTENTS,
    SAFETY_PARSE_KEY,
)

ENGLISH = "en"
#: Languages the emergency replies are written in; any other one gets the English reply.
REPLY_LANGUAGES = ("en", "es", "fr", "de", "it", "pt")
#: Answers understood in any language ("sí", "oui", "ja" to the triage question; "gracias"), and pasted
#: ingredient lists (INCI names are Latin: a language detector may read them as Italian or Portuguese), and
#: a request to be forgotten (recognised from English words only: a short "forget me" can look like another language).
ANY_LANGUAGE = frozenset({"affirm", "deny", "greet", "goodbye", "thank", "check_label", "forget_me"})
_LETTER = re.compile(r"[^\W\d_]")
_LATIN_LETTER = re.compile(r"[a-zA-Z\u00c0-\u024f]")


def _written_in_another_script(text: str) -> bool:
    """Mostly letters outside the Latin alphabet (Cyrillic, Greek, Arabic, CJK...): not English."""
    letters = _LETTER.findall(text)
    return len(letters) >= 2 and sum(1 for c in letters if _LATIN_LETTER.match(c)) < len(letters) / 2


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class RedFlagDetector(IntentDecider):
    """Sets the emergency intents from the safety detector's verdict on the whole message."""

    def process(self, messages: list[Message]) -> list[Message]:
        """Decide the emergency intents of each message (see the module docstring)."""
        for message in messages:
            text = full_text(message)
            if not text.strip() or text.startswith("/"):  # button payloads are intents already
                continue
            self._decide(message, text)
        return messages

    def _decide(self, message: Message, text: str) -> None:
        assessment = assess_message(text)
        classified = message.get(INTENT) or {}
        language = assessment.language if assessment.language in REPLY_LANGUAGES else ENGLISH
        if assessment.verdict is SafetyVerdict.EMERGENCY or assessment.verdict is SafetyVerdict.ASK:
            kind = assessment.kind.value if assessment.kind is not None else DEFAULT_KIND
            emergency = assessment.verdict is SafetyVerdict.EMERGENCY
            intent = RED_FLAG_INTENT if emergency else POSSIBLE_EMERGENCY_INTENT
            replaced = None if emergency else self._answerable_intent(message, assessment.language)
            self._set_intent(message, intent)
            entities = [*(message.get(ENTITIES) or []),
                        self._entity(EMERGENCY_KIND_ENTITY, kind), self._entity(EMERGENCY_LANGUAGE_ENTITY, language)]
            message.set(ENTITIES, entities, add_to_output=True)
            message.set(SAFETY_PARSE_KEY, {
                "verdict": assessment.verdict.value, "kind": kind, "language": assessment.language,
                "evidence": assessment.evidence, REPLACED_INTENT_KEY: replaced,
            }, add_to_output=True)
        elif self._not_english(assessment.language, text) and classified.get(INTENT_NAME_KEY) not in ANY_LANGUAGE:
            self._set_intent(message, OTHER_LANGUAGE_INTENT)
            message.set(SAFETY_PARSE_KEY, {"verdict": assessment.verdict.value, "language": assessment.language},
                        add_to_output=True)
        elif classified.get(INTENT_NAME_KEY) == OTHER_LANGUAGE_INTENT and assessment.language != ENGLISH:
            pass  # a language the detector does not know (Dutch, Polish...): the classifiers may say so
        elif classified.get(INTENT_NAME_KEY) in SAFETY_INTENTS:
            message.set(INTENT, self._answerable_intent(message, ENGLISH), add_to_output=True)
            message.set(INTENT_RANKING_KEY, self._ranking_without_safety(message), add_to_output=True)

    @staticmethod
    def _not_english(language: str, text: str) -> bool:
        if language == ENGLISH:
            return False
        return language in REPLY_LANGUAGES or _written_in_another_script(text)

    def _answerable_intent(self, message: Message, language: str) -> dict[str, Any]:
        """What the message asks once the emergency layer has had its say (for "No" to the triage question)."""
        if language != ENGLISH and language in REPLY_LANGUAGES:
            return {INTENT_NAME_KEY: OTHER_LANGUAGE_INTENT, PREDICTED_CONFIDENCE_KEY: 1.0}
        classified = message.get(INTENT) or {}
        if classified.get(INTENT_NAME_KEY) and classified[INTENT_NAME_KEY] not in SAFETY_INTENTS:
            return dict(classified)
        return self.best_or_fallback(self._ranking_without_safety(message))

    @staticmethod
    def _ranking_without_safety(message: Message) -> list[dict[str, Any]]:
        return [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get(INTENT_NAME_KEY) not in SAFETY_INTENTS]

    def _set_intent(self, message: Message, name: str) -> None:
        intent = {INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: 1.0}
        message.set(INTENT, intent, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [intent, *self._ranking_without_safety(message)], add_to_output=True)

    @staticmethod
    def _entity(name: str, value: str) -> dict[str, Any]:
        return {"entity": name, "value": value, "start": 0, "end": 0, "confidence_entity": 1.0,
                "extractor": RedFlagDetector.__name__}
