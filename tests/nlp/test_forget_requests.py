"""Asking to be forgotten is recognised from the words, both ways; a classifier's guess alone never deletes anything."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.forget_requests import FORGET_INTENT, ForgetRequestDetector, asks_to_be_forgotten

REQUESTS = [
    "forget me",
    "Please delete my data",
    "can you wipe this chat?",
    "i want you to erase everything i told you",
    "delete everything about me pls",
    "I want my data deleted",
    "I'd like my information removed",
    "I invoke my right to be forgotten",
    "stop storing my data",
    "don’t keep my details",
    "remove all my personal information",
    "clear our conversation please",
    "forget what you know about me",
    "can u delete all my info",
    "get rid of my details",
    "delete me from your system",
    "Erase this whole conversation now",
]
NOT_REQUESTS = [
    "don't forget my allergy to nuts",
    "please don't delete anything, I want to come back to this",
    "forget it",
    "forget that, I meant retinol",
    "forget what i said about oily skin, my skin is dry",
    "delete my account",
    "remove me from the mailing list",
    "do you delete my data after a while?",
    "how long do you keep my data?",
    "will it remove my makeup?",
    "does it clear dark spots",
    "can it erase fine lines",
    "I forgot my password",
    "I never delete my makeup wipes history lol",
    "my skin is peeling, should I remove the flakes?",
]


@pytest.mark.parametrize("text", REQUESTS)
def test_requests_to_be_forgotten_are_recognised(text: str) -> None:
    assert asks_to_be_forgotten(text)


@pytest.mark.parametrize("text", NOT_REQUESTS)
def test_the_same_verbs_used_otherwise_are_not_requests(text: str) -> None:
    assert not asks_to_be_forgotten(text)


def classified(text: str, ranking: list[tuple[str, float]]) -> Message:
    message = Message({TEXT: text})
    entries = [{"name": name, "confidence": confidence} for name, confidence in ranking]
    message.set(INTENT, entries[0])
    message.set(INTENT_RANKING_KEY, entries)
    return message


def run(message: Message) -> Message:
    return ForgetRequestDetector(fallback_threshold=0.3).process([message])[0]


def test_a_request_is_forget_me_whatever_the_classifier_guessed() -> None:
    message = run(classified("pls wipe everything i told you", [("nlu_fallback", 1.0), ("ask_usage", 0.2)]))
    assert message.get(INTENT) == {"name": FORGET_INTENT, "confidence": 1.0}
    assert [r["name"] for r in message.get(INTENT_RANKING_KEY)] == [FORGET_INTENT, "nlu_fallback", "ask_usage"]


def test_the_classifiers_guess_alone_gives_way_to_the_next_intent_or_the_fallback() -> None:
    message = run(classified("forget it, what is niacinamide", [(FORGET_INTENT, 0.5), ("ask_what_is", 0.4)]))
    assert message.get(INTENT)["name"] == "ask_what_is"
    assert [r["name"] for r in message.get(INTENT_RANKING_KEY)] == ["ask_what_is"]
    unsure = run(classified("never mind that", [(FORGET_INTENT, 0.6), ("goodbye", 0.2)]))
    assert unsure.get(INTENT)["name"] == "nlu_fallback"


def test_button_payloads_and_other_intents_are_left_alone() -> None:
    payload = run(classified("/affirm", [("affirm", 1.0)]))
    assert payload.get(INTENT)["name"] == "affirm"
    question = run(classified("is it vegan?", [("ask_diet", 0.9), (FORGET_INTENT, 0.05)]))
    assert question.get(INTENT)["name"] == "ask_diet"
    assert [r["name"] for r in question.get(INTENT_RANKING_KEY)] == ["ask_diet"]
