"""The emergency layer inside Rasa's NLU (bot.nlu.red_flags) and the message limits it relies on.

The component decides the emergency intents from the detector's verdict on the whole message; the
classifiers' guesses of those intents never stand on their own.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.channels.numbered_options import format_numbered_options, resolve_reply
from bot.nlu.message_limits import (
    CLASSIFIER_MAX_CHARS,
    EMERGENCY_SCAN_MAX_CHARS,
    MAX_MESSAGE_CHARS,
    MessageLengthGuard,
    refused_as_too_long,
)
from bot.nlu.red_flags import RedFlagDetector
from bot.safety.emergency import SUPPORTED_LANGUAGES, EmergencyKind

REPO_ROOT = Path(__file__).resolve().parents[2]

FALLBACK_THRESHOLD = 0.3
EMERGENCY = "my lips are swelling and I can't breathe"
UNSURE = "are milk exosomes vegan? i feel a bit dizzy since using it"


def classified(text: str, *ranking: tuple[str, float]) -> Message:
    """A message as the classifiers leave it: their ranking, best first."""
    intents = [{"name": name, "confidence": confidence} for name, confidence in ranking]
    return Message(data={TEXT: text, INTENT: intents[0] if intents else None, INTENT_RANKING_KEY: intents,
                         ENTITIES: []})


def decide(message: Message) -> dict[str, Any]:
    """Run the emergency layer; return the parse data it outputs."""
    RedFlagDetector(FALLBACK_THRESHOLD).process([message])
    return message.as_dict(only_output_properties=False)


def entity_values(parse: dict[str, Any]) -> dict[str, str]:
    return {e["entity"]: e["value"] for e in parse.get(ENTITIES) or []}


def test_an_emergency_overrules_the_classifiers_and_names_kind_and_language() -> None:
    parse = decide(classified(EMERGENCY, ("ask_side_effects", 0.9)))
    assert parse[INTENT] == {"name": "red_flag", "confidence": 1.0}
    assert entity_values(parse) == {"emergency_kind": "anaphylaxis", "emergency_language": "en"}
    assert parse["safety"]["verdict"] == "emergency"


def test_unsure_asks_and_keeps_the_classifiers_intent_for_a_no() -> None:
    parse = decide(classified(UNSURE, ("ask_diet", 0.8), ("ask_allergy", 0.1)))
    assert parse[INTENT]["name"] == "possible_emergency"
    assert parse["safety"]["replaced_intent"] == {"name": "ask_diet", "confidence": 0.8}
    assert entity_values(parse)["emergency_language"] == "en"


@pytest.mark.parametrize(
    ("ranking", "expected"),
    [
        ((("red_flag", 0.6), ("ask_allergy", 0.35)), "ask_allergy"),
        ((("possible_emergency", 0.8), ("ask_allergy", 0.1)), "nlu_fallback"),  # next best is below the bar
    ],
)
def test_a_classifiers_guess_of_an_emergency_the_detector_does_not_confirm_is_replaced(
    ranking: tuple[tuple[str, float], ...], expected: str
) -> None:
    parse = decide(classified("I had anaphylaxis to milk as a kid, can I use it?", *ranking))
    assert parse[INTENT]["name"] == expected
    assert not {"red_flag", "possible_emergency"} & {r["name"] for r in parse[INTENT_RANKING_KEY]}
    assert "emergency_kind" not in entity_values(parse)


def test_a_non_emergency_in_another_language_is_told_which_languages_are_understood() -> None:
    assert decide(classified("¿es vegano?", ("ask_diet", 0.7)))[INTENT]["name"] == "other_language"
    assert decide(classified("это веганский продукт?", ("ask_diet", 0.4)))[INTENT]["name"] == "other_language"


def test_yes_or_no_in_another_language_stays_an_answer() -> None:
    assert decide(classified("sí", ("affirm", 0.9)))[INTENT]["name"] == "affirm"


def test_english_is_left_to_the_classifiers() -> None:
    parse = decide(classified("are milk exosomes vegan?", ("ask_diet", 0.95)))
    assert parse[INTENT] == {"name": "ask_diet", "confidence": 0.95} and "safety" not in parse


def test_a_red_flag_after_the_length_guards_cut_is_still_found() -> None:
    text = "I have been trying lots of new creams this month. " * 60 + EMERGENCY
    message = classified(text, ("ask_products", 0.5))
    MessageLengthGuard(CLASSIFIER_MAX_CHARS).process([message])
    assert len(message.get(TEXT)) <= CLASSIFIER_MAX_CHARS, "the classifiers' work stays bounded"
    assert decide(message)[INTENT]["name"] == "red_flag"


@pytest.mark.parametrize(
    ("text", "refused"),
    [
        ("hello " * 100, False),
        ("hello " * (MAX_MESSAGE_CHARS // 6 + 1), True),
        ("hello " * (MAX_MESSAGE_CHARS // 6 + 1) + EMERGENCY, False),
        ("hello " * (EMERGENCY_SCAN_MAX_CHARS // 6 + 1) + EMERGENCY, True),
    ],
)
def test_channels_refuse_long_messages_unless_they_may_report_an_emergency(text: str, refused: bool) -> None:
    assert refused_as_too_long(text) is refused


def domain_responses() -> dict[str, list[dict[str, Any]]]:
    return yaml.safe_load((REPO_ROOT / "domain.yml").read_text(encoding="utf-8"))["responses"]


def slot_condition(variation: dict[str, Any]) -> dict[str, str]:
    return {c["name"]: c["value"] for c in variation.get("condition") or []}


def test_there_is_an_emergency_reply_for_every_kind_and_language_with_every_number() -> None:
    variations = domain_responses()["utter_emergency"]
    covered = {(c["emergency_kind"], c["emergency_language"]) for c in map(slot_condition, variations) if c}
    assert covered == {(kind.value, language) for kind in EmergencyKind for language in SUPPORTED_LANGUAGES}
    for variation in variations:
        assert all(number in variation["text"] for number in ("112", "999", "911")), variation


def test_the_triage_question_is_yes_or_no_in_every_language_and_numbered_on_sms() -> None:
    variations = domain_responses()["utter_ask_emergency_triage"]
    assert {slot_condition(v).get("emergency_language", "en") for v in variations} == set(SUPPORTED_LANGUAGES)
    for variation in variations:
        buttons = variation["buttons"]
        assert [b["payload"] for b in buttons] == ["/affirm", "/deny"]
        yes, no = (b["title"] for b in buttons)
        assert format_numbered_options(variation["text"], buttons).endswith(f"Reply 1 for {yes}, 2 for {no}.")
        assert resolve_reply("1", buttons).text == "/affirm" and resolve_reply("2", buttons).text == "/deny"
