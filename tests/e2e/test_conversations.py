"""End-to-end conversations over the REST channel against the real action and Rasa servers.

Each conversation is a list of turns: what the person types, words the reply must contain (facts
that come from the knowledge store), words it must not contain, whether a disclaimer is due, and the
decided answer the reply carries as data (topic, verdict, disclaimer kind, professional, what about the
person was weighed). Every reply of every conversation is also checked for treatment claims.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

import pytest

from bot.safety.claims import treatment_claims
from tests.servers import RunningAssistant

pytestmark = pytest.mark.servers

DISCLAIMER = "ℹ️"
UNKNOWN = "I don't have verified information on"


@dataclass(frozen=True)
class Turn:
    """One message and what its reply must (not) say."""

    say: str
    expect: tuple[str, ...] = ()
    avoid: tuple[str, ...] = ()
    disclaimer: bool | None = None
    answer: dict[str, Any] = field(default_factory=dict)


def turn(say: str, *expect: str, avoid: tuple[str, ...] = (), disclaimer: bool | None = None,
         **answer: Any) -> Turn:
    """Shorthand for a Turn; keyword arguments are fields the decided answer must have ("considered": a subset)."""
    return Turn(say, expect, avoid, disclaimer, answer)


def check_answer(name: str, step: Turn, messages: list[dict[str, Any]]) -> None:
    """The reply's decided answer (sent as data with the text) has the expected fields."""
    if not step.answer:
        return
    data = next((m["answer"] for m in messages if "answer" in m), None)
    assert data is not None, f"{name}: {step.say!r} -> no decided answer in {messages!r}"
    for key, expected in step.answer.items():
        key = "disclaimer" if key == "disclaimer_kind" else key  # `disclaimer` says whether one is shown
        if key == "considered":
            assert set(expected) <= set(data[key]), f"{name}: {step.say!r} considered {data[key]}, not {expected}"
        else:
            assert data[key] == expected, f"{name}: {step.say!r} -> {key}={data[key]!r}, expected {expected!r}"


CONVERSATIONS: dict[str, list[Turn]] = {
    "vegan question": [turn("are milk exosomes vegan?", "may choose to avoid", "cow milk", avoid=("No:",),
                            disclaimer=False, topic="diet", verdict="caution")],
    "vegetarian question": [turn("Is milk exosomes suitable for vegetarians", "may choose to avoid", "cow milk",
                                 topic="diet", verdict="caution")],
    "plant-based alternative": [turn("is there a plant based alternative to milk exosomes?",
                                     "no plant-based or synthetic alternative")],
    "breastfeeding": [turn("is it safe to use milk exosomes while breastfeeding?", "No known risk while breastfeeding",
                           "healthcare professional", disclaimer=True)],
    "pregnancy": [turn("can I use milk exosomes when pregnant", "No known risk during pregnancy", disclaimer=True)],
    "nursing synonym": [turn("I'm nursing, are milk exosomes ok?", "breastfeeding", disclaimer=True)],
    "what is it": [turn("what are milk exosomes?", "lipids and proteins", disclaimer=False)],
    "contents": [turn("what do milk exosomes contain?", "amino acids", "vitamins")],
    "how made": [turn("how are milk exosomes made?", "spin", "filter")],
    "products": [turn("which products contain milk exosomes?", "sheet masks", "serums")],
    "benefits": [turn("what do milk exosomes do for my skin?", "emollient", "skin conditioning")],
    "oily skin": [turn("are milk exosomes good for oily skin?", "Generally yes", "oily skin", "greasy")],
    "dry skin": [turn("would milk exosomes suit dry skin?", "Yes", "dry skin")],
    "sensitive skin": [turn("is it ok for sensitive skin? milk exosomes i mean", "sensitive skin")],
    "acne-prone skin": [turn("I break out easily, are milk exosomes ok for acne prone skin?", "acne-prone")],
    "sun": [turn("do milk exosomes make my skin sensitive to the sun?", "No", "sunscreen")],
    "daytime": [turn("can I use milk exosomes in the morning?", "sunscreen")],
    "milk allergy": [turn("I have a milk protein allergy, can I use milk exosomes?", "milk protein allergy",
                          "trace", disclaimer=True)],
    "side effects": [turn("what are the side effects of milk exosomes?", "redness", "stinging", "spoilage",
                          disclaimer=True)],
    "irritation advice": [turn("what should I do if milk exosomes irritate my skin?", "Stop using",
                               disclaimer=True)],
    "comedogenic": [turn("will milk exosomes clog my pores?", "1/5", "pores")],
    "comedogenic rating": [turn("what's the comedogenic rating of milk exosomes", "1/5")],
    "patch test": [turn("should I patch test milk exosomes first?", "patch test")],
    "summary": [turn("tell me about milk exosomes", "emollient", "1/5")],
    "typo": [turn("are milk exosoms vegan", "vegans may choose to avoid")],
    "follow-up with it": [
        turn("what are milk exosomes?", "lipids"),
        turn("is it vegan?", "vegans may choose to avoid"),
        turn("and will it clog my pores?", "1/5"),
    ],
    "profile then question": [
        turn("I have oily skin", "oily skin"),
        turn("would milk exosomes suit me?", "oily skin usually tolerates"),
    ],
    "several profile facts": [
        turn("I'm vegan and breastfeeding", "vegan", "breastfeeding"),
        turn("I have oily skin too", "oily skin"),
        turn("do milk exosomes suit me?", "oily skin", "vegans may choose to avoid", "breastfeeding", disclaimer=True),
    ],
    "unknown ingredient": [turn("is snail mucin vegan?", UNKNOWN, "snail mucin", avoid=("cow",))],
    "unknown then it": [
        turn("is bakuchiol safe in pregnancy?", UNKNOWN, avoid=("No known risk",)),
        turn("is it vegan?", UNKNOWN, avoid=("cow milk",)),
    ],
    "unknown after known": [
        turn("are milk exosomes vegan?", "may choose to avoid"),
        turn("what about rosehip oil, is it vegan?", UNKNOWN, "rosehip oil", avoid=("cow milk",)),
    ],
    "red flag": [turn("I used the serum and now my lips are swelling", "emergency", avoid=("1/5", "vegan"))],
    "red flag mid conversation": [
        turn("are milk exosomes vegan?", "may choose to avoid"),
        turn("i cant breathe properly after putting it on", "emergency", avoid=("vegan",)),
    ],
    "fainting": [turn("I feel faint and dizzy after applying the mask", "emergency")],
    "reported reaction": [turn("I got a red itchy rash after using a milk exosome cream", "Stop using",
                               disclaimer=True)],
    "treatment claim": [turn("do milk exosomes cure eczema?", "cosmetic ingredient", "not", "treat or cure",
                             "dermatologist", disclaimer=True)],
    "acne treatment": [turn("will milk exosomes get rid of my acne?", "dermatologist")],
    "out of scope then back": [
        turn("what's the weather like today?", "only answer skincare ingredient questions"),
        turn("ok, are milk exosomes vegan?", "may choose to avoid"),
    ],
    "greeting and help": [
        turn("hello", "skincare ingredient assistant"),
        turn("what can you do?", "not medical advice"),
        turn("thanks!", "welcome"),
        turn("bye", "Take care"),
    ],
    "gibberish twice offers a person": [
        turn("asdkjh qwpoeiru zxmcn", "I can answer questions about the cosmetic ingredients"),
        turn("qqqq wwww eeee rrrr", "let me offer you a person", "support team"),
    ],
    # The form's email check runs in the action server (validate_handoff_form), which needs the domain:
    # with `enable_selective_domain` only validation actions are sent it.
    "talking to a person leaves an email": [
        turn("I want to talk to a person", "support team"),
        turn("yes", "email"),
        turn("my email is not-an-address", "doesn't look like an email address"),
        turn("sam@example.com", "reply to sam@example.com"),
    ],
}


@pytest.mark.parametrize("name", list(CONVERSATIONS))
def test_conversation(assistant: RunningAssistant, name: str) -> None:
    run_conversation(assistant, name, CONVERSATIONS[name])


def run_conversation(assistant: RunningAssistant, name: str, turns: list[Turn]) -> None:
    """Send each turn under a fresh sender id and check its reply."""
    sender = f"e2e-{uuid.uuid4().hex[:12]}"
    for step in turns:
        messages = assistant.send(sender, step.say)
        reply = "\n".join(m.get("text", "") for m in messages)
        assert reply, f"{name}: no reply to {step.say!r}"
        check_answer(name, step, messages)
        for expected in step.expect:
            assert expected.lower() in reply.lower(), f"{name}: {step.say!r} -> {reply!r} lacks {expected!r}"
        for avoided in step.avoid:
            assert avoided.lower() not in reply.lower(), f"{name}: {step.say!r} -> {reply!r} has {avoided!r}"
        if step.disclaimer is not None:
            assert (DISCLAIMER in reply) is step.disclaimer, f"{name}: disclaimer expected={step.disclaimer}: {reply!r}"
        assert treatment_claims(reply) == [], f"{name}: treatment claim in {reply!r}"


def test_at_least_forty_conversations() -> None:
    assert len(CONVERSATIONS) >= 40


def test_conversations_do_not_mix(assistant: RunningAssistant) -> None:
    """One person's profile never leaks into another's conversation."""
    alice, bob = f"alice-{uuid.uuid4().hex[:8]}", f"bob-{uuid.uuid4().hex[:8]}"
    assistant.send(alice, "I'm breastfeeding and vegan")
    bob_reply = assistant.reply_text(bob, "do milk exosomes suit me?")
    assert "breastfeeding" not in bob_reply and "Since you're vegan" not in bob_reply


@pytest.mark.parametrize("payload", ["", "   ", "x " * 2400, "<script>alert(1)</script>", "\u0000\u202e",
                                     "'; DROP TABLE events; --", "🧴" * 500])
def test_hostile_or_odd_input_gets_a_reply_and_no_error(assistant: RunningAssistant, payload: str) -> None:
    messages = assistant.send(f"odd-{uuid.uuid4().hex[:8]}", payload)
    assert messages and all(m.get("text") for m in messages), "every odd input gets a reply"
    assert assistant.send("odd-check", "are milk exosomes vegan?"), "server still answers afterwards"
