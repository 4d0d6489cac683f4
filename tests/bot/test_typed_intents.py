"""A typed "/intent{...}" is read as text unless the bot offered exactly that payload in the conversation."""

from __future__ import annotations

import json
import sqlite3
import uuid
from contextlib import closing
from typing import Any

import pytest
import rasa
from rasa.nlu.classifiers.regex_message_handler import RegexMessageHandler
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.training_data.message import Message

import bot.typed_intents as typed_intents
from bot.typed_intents import RasaVersionError, install_typed_intent_guard, is_typed_intent, offered_payloads
from tests.fixtures.store import FICTIONAL_NAME, REAL_PROFILES, make_store
from tests.servers import RunningAssistant

ATTACK = '/ask_diet{"ingredient": "<b>evil</b> https://evil.example/login"}'
SUMMARY = '/ask_summary{"ingredient": "milk exosomes"}'


def tracker_with(*events: Any) -> DialogueStateTracker:
    return DialogueStateTracker.from_events("someone", list(events))


def offer(*payloads: str) -> BotUttered:
    return BotUttered("Pick one", {"buttons": [{"title": p, "payload": p} for p in payloads]})


def test_only_payloads_the_bot_offered_are_read_as_intents() -> None:
    tracker = tracker_with(UserUttered("hi"), offer(SUMMARY, "/request_human"))
    assert offered_payloads(tracker) == {SUMMARY, "/request_human"}
    assert not is_typed_intent(SUMMARY, tracker)
    assert not is_typed_intent(" /request_human ", tracker)  # Rasa strips the text too
    assert is_typed_intent(ATTACK, tracker)
    assert is_typed_intent('/ask_summary{"ingredient": "retinol"}', tracker)  # not exactly what was offered
    assert is_typed_intent(SUMMARY, tracker_with())  # never offered in this conversation
    assert not is_typed_intent("/greet", tracker_with())  # the widget's start payload carries no data
    assert not is_typed_intent("are milk exosomes vegan?", tracker_with())


def test_rasa_reads_a_leading_slash_as_an_intent_and_the_guard_switches_that_off() -> None:
    # Rasa's own handler (the NLU graph's last node): the typed text decides intent and entities.
    domain = Domain.from_dict({"intents": ["ask_diet"], "entities": ["ingredient"]})
    parsed = RegexMessageHandler().process([Message({"text": ATTACK})], domain)[0]
    assert parsed.get("intent")["name"] == "ask_diet"
    assert parsed.get("entities")[0]["value"] == "<b>evil</b> https://evil.example/login"

    install_typed_intent_guard()
    install_typed_intent_guard()  # once is enough; a second call changes nothing
    unpacked = RegexMessageHandler().process([Message({"text": ATTACK})], domain)[0]
    assert unpacked.get("intent")["name"] == "ask_diet"  # outside a guarded parse: Rasa's behaviour
    token = typed_intents._typed_text_only.set(True)
    try:
        untouched = RegexMessageHandler().process([Message({"text": ATTACK})], domain)[0]
    finally:
        typed_intents._typed_text_only.reset(token)
    assert untouched.get("intent") is None  # the classifier's reading of the words stands


def test_the_guard_refuses_a_rasa_version_it_was_not_checked_against(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rasa, "__version__", "3.7.0")
    with pytest.raises(RasaVersionError, match="3.6.21"):
        install_typed_intent_guard()


PAYLOAD_DOMAIN = Domain.from_dict({
    "intents": ["ask_summary", "inform_profile"],
    "entities": ["ingredient", "skin_type", "diet", "contact_email"],
})


def read_payload(text: str) -> tuple[str | None, list[tuple[str, Any]]]:
    """(intent, [(entity, value)]) as Rasa's handler reads a payload, created as Rasa creates it at model load."""
    install_typed_intent_guard()
    handler = RegexMessageHandler.create({}, None, None, None)  # type: ignore[arg-type]
    parsed = handler.process([Message({"text": text})], PAYLOAD_DOMAIN)[0]
    return parsed.get("intent")["name"], [(e["entity"], e["value"]) for e in parsed.get("entities")]


@pytest.fixture
def store_with_fictional(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> str:
    """The store the Rasa process reads (SKINCARE_DB_URL): real profiles plus the fictional one."""
    url = make_store(tmp_path)
    monkeypatch.setenv("SKINCARE_DB_URL", url)
    return url


def test_payload_values_the_store_knows_are_kept_as_the_stores_own_values(store_with_fictional: str) -> None:
    assert read_payload('/ask_summary{"ingredient": "milk exosomes"}') == (
        "ask_summary", [("ingredient", "milk exosomes")])
    # Any name the store has for it (synonym, INCI name, misspelling) means its display name, as when typed.
    assert read_payload('/ask_summary{"ingredient": "Bovine Milk Exosomes"}')[1] == [("ingredient", "milk exosomes")]
    assert read_payload('/ask_summary{"ingredient": "exampleum extract"}')[1] == [("ingredient", FICTIONAL_NAME)]
    assert read_payload('/ask_summary{"ingredient": "retinol"}')[1] == [("ingredient", "retinol")]  # no profile
    assert read_payload('/inform_profile{"skin_type": "greasy", "diet": "vegan"}')[1] == [
        ("skin_type", "oily"), ("diet", "vegan")]


@pytest.mark.parametrize(
    "payload",
    [
        pytest.param('/ask_summary{"ingredient": "<b>evil</b> https://evil.example/login"}', id="markup-and-url"),
        pytest.param('/ask_summary{"ingredient": "unicorn tear oil"}', id="not-in-the-store"),
        pytest.param('/ask_summary{"ingredient": "milk exosomes https://evil.example"}', id="known-name-plus-url"),
        pytest.param('/ask_summary{"ingredient": {"name": "milk exosomes"}}', id="not-a-string"),
        pytest.param('/inform_profile{"contact_email": "someone@evil.example"}', id="no-words-for-it"),
    ],
)
def test_payload_values_the_store_does_not_know_are_dropped(store_with_fictional: str, payload: str) -> None:
    intent, entities = read_payload(payload)
    assert intent in ("ask_summary", "inform_profile")  # the button still asks its question...
    assert entities == []  # ...but about nothing the store does not know


def test_the_known_values_come_from_the_store_loaded_with_the_model(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SKINCARE_DB_URL", make_store(tmp_path, [REAL_PROFILES]))  # no fictional profile
    assert read_payload(f'/ask_summary{{"ingredient": "{FICTIONAL_NAME}"}}')[1] == []
    monkeypatch.setenv("SKINCARE_DB_URL", make_store(tmp_path, name="with-fictional.sqlite"))
    assert read_payload(f'/ask_summary{{"ingredient": "{FICTIONAL_NAME}"}}')[1] == [("ingredient", FICTIONAL_NAME)]


def test_without_a_readable_store_no_payload_value_is_trusted(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("SKINCARE_DB_URL", f"sqlite:///{tmp_path / 'never-built.sqlite'}")
    with caplog.at_level("ERROR", logger="bot.typed_intents"):
        assert read_payload('/ask_summary{"ingredient": "milk exosomes"}') == ("ask_summary", [])
    assert any("make kb" in record.getMessage() for record in caplog.records)


def user_events(assistant: RunningAssistant, sender: str) -> list[dict[str, Any]]:
    with closing(sqlite3.connect(assistant.tracker_db_path)) as db, db:
        rows = db.execute(
            "SELECT data FROM events WHERE sender_id = ? AND type_name = 'user' ORDER BY id", (sender,)
        ).fetchall()
    return [json.loads(row[0]) for row in rows]


@pytest.mark.servers
def test_a_typed_intent_with_a_planted_value_is_answered_as_text(assistant: RunningAssistant) -> None:
    sender = f"typed-{uuid.uuid4().hex[:8]}"
    reply = assistant.reply_text(sender, ATTACK)
    assert reply  # answered, like any message
    assert "<b>" not in reply and "evil" not in reply
    (event,) = user_events(assistant, sender)
    assert event["parse_data"]["intent"]["name"] != "ask_diet"
    assert all("evil" not in str(entity.get("value")) for entity in event["parse_data"]["entities"])


@pytest.mark.servers
def test_a_button_the_bot_offered_still_works_when_sent_as_its_payload(assistant: RunningAssistant) -> None:
    sender = f"button-{uuid.uuid4().hex[:8]}"
    # An unanswerable question offers "About <ingredient>" buttons for the store's ingredients.
    offered = [b["payload"] for m in assistant.send(sender, "=foo") for b in m.get("buttons", [])]
    payload = next(p for p in offered if p.startswith("/ask_summary"))
    reply = assistant.reply_text(sender, payload)
    assert "milk exosomes" in reply.lower()
    event = user_events(assistant, sender)[-1]
    assert event["parse_data"]["intent"]["name"] == "ask_summary"
    assert event["parse_data"]["entities"][0]["value"] == "milk exosomes"


@pytest.mark.servers
@pytest.mark.parametrize("text", ['=HYPERLINK("https://evil.example","click")', "yes"])
def test_a_message_without_a_rule_of_its_own_gets_one_reply(assistant: RunningAssistant, text: str) -> None:
    # These land on intents (inform_email, affirm) with no rule outside a handoff: the rule policy's
    # fallback answers them, once.
    replies = assistant.send(f"one-reply-{uuid.uuid4().hex[:8]}", text)
    assert len(replies) == 1, replies
    assert "don't have verified information" in replies[0]["text"]
