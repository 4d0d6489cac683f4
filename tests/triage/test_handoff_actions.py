"""The handoff conversation at action level: offer, email form (given, skipped, invalid), ticket, decline."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
import sqlalchemy as sa
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.handoff import ActionOfferHandoff, ActionOpenHandoffTicket, ValidateHandoffForm
from bot.triage import casework, db
from bot.triage.models import Urgency

REPO = Path(__file__).resolve().parents[2]
DOMAIN = {
    "forms": {"handoff_form": {"required_slots": ["contact_email"]}},
    "slots": {"contact_email": {"type": "text"}, "contact_email_skipped": {"type": "bool"}},
}


def user(text: str, intent: str) -> dict:
    return {"event": "user", "text": text, "parse_data": {"intent": {"name": intent, "confidence": 0.9},
                                                          "entities": [], "text": text}}


def action(name: str) -> dict:
    return {"event": "action", "name": name}


def make_tracker(events: list[dict], slots: dict | None = None, sender: str = "conv-handoff") -> Tracker:
    latest = next((e for e in reversed(events) if e["event"] == "user"), {"parse_data": {}})
    return Tracker.from_dict({
        "sender_id": sender,
        "slots": {"contact_email": None, "contact_email_skipped": False, **(slots or {})},
        "latest_message": {**latest.get("parse_data", {}), "text": latest.get("text")},
        "events": events,
        "paused": False,
        "followup_action": None,
        "active_loop": {"name": "handoff_form"},
        "latest_action_name": events[-1].get("name") if events[-1]["event"] == "action" else "action_listen",
    })


ASKED_FOR_PERSON = [
    user("is zorbium safe on sensitive skin?", "ask_suitability"),
    action("action_answer_ingredient_question"),
    user("I want to talk to a person", "request_human"),
    action("action_offer_handoff"),
    user("yes", "affirm"),
    action("handoff_form"),
]
FAILED_TWICE = [
    user("blorp snarf?", "nlu_fallback"),
    action("action_unanswerable"),
    user("what about glorbic acid in my toner", "nlu_fallback"),
    action("action_unanswerable"),
    action("action_offer_handoff"),
    user("/affirm", "affirm"),
]


def run(action_obj, tracker: Tracker, domain: dict = DOMAIN) -> tuple[list, CollectingDispatcher]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action_obj.run(dispatcher, tracker, domain))
    return events, dispatcher


def test_the_offer_asks_with_yes_no_and_forgets_any_earlier_email():
    events, dispatcher = run(ActionOfferHandoff(), make_tracker([user("human please", "request_human")],
                                                                 {"contact_email": "old@example.com"}))
    assert [m["response"] for m in dispatcher.messages] == ["utter_offer_handoff"]
    assert SlotSet("contact_email", None) in events


def _validate(text: str, intent: str = "inform_email") -> tuple[list, CollectingDispatcher]:
    events = [*ASKED_FOR_PERSON, action("action_listen"), user(text, intent),
              {"event": "slot", "name": "contact_email", "value": text}]
    return run(ValidateHandoffForm(), make_tracker(events, {"contact_email": text, "requested_slot": "contact_email"}))


def test_a_valid_email_is_kept_from_a_sentence():
    events, dispatcher = _validate("sure, it's Jane.Doe@Example.COM thanks")
    assert SlotSet("contact_email", "Jane.Doe@example.com") in events
    assert dispatcher.messages == []


@pytest.mark.parametrize(("text", "intent"), [("no", "deny"), ("skip", "inform_email"), ("/deny", "deny"),
                                              ("No thanks!", "deny"), ("I'd rather not", "deny")])
def test_declining_to_give_an_email_completes_the_form_without_one(text, intent):
    events, dispatcher = _validate(text, intent)
    assert SlotSet("contact_email", None) in events
    assert SlotSet("contact_email_skipped", True) in events
    assert dispatcher.messages == []
    slots = asyncio.run(ValidateHandoffForm().required_slots(
        ["contact_email"], CollectingDispatcher(), make_tracker(ASKED_FOR_PERSON, {"contact_email_skipped": True}),
        DOMAIN))
    assert slots == []


@pytest.mark.parametrize("text", ["jane at example dot com", "jane@", "@example.com", "my email is jane@localhost"])
def test_something_that_is_not_an_email_is_explained_and_asked_again(text):
    events, dispatcher = _validate(text)
    assert [m["response"] for m in dispatcher.messages] == ["utter_invalid_contact_email"]
    assert SlotSet("contact_email", None) in events
    assert SlotSet("contact_email_skipped", True) not in events


def test_accepting_with_an_email_opens_a_high_ticket_with_the_question_and_contact(triage_db):
    tracker = make_tracker(ASKED_FOR_PERSON, {"contact_email": "jane@example.com"})
    events, dispatcher = run(ActionOpenHandoffTicket(), tracker)

    [ticket] = casework.list_tickets()
    assert ticket.urgency is Urgency.HIGH
    assert ticket.question == "is zorbium safe on sensitive skin?"
    assert ticket.reason == "Asked to talk to a person"
    assert ticket.contact_email == "jane@example.com"
    assert ticket.tags == ("handoff",)
    assert dispatcher.messages[0]["response"] == "utter_handoff_opened_with_email"
    assert dispatcher.messages[0]["contact_email"] == "jane@example.com"
    assert SlotSet("contact_email", None) in events  # the address lives on the ticket, not in the chat state


def test_accepting_after_two_failures_without_email_opens_a_ticket_without_contact(triage_db):
    events, dispatcher = run(ActionOpenHandoffTicket(), make_tracker(FAILED_TWICE, {"contact_email_skipped": True}))
    [ticket] = casework.list_tickets()
    assert ticket.contact_email is None
    assert ticket.question == "what about glorbic acid in my toner"
    assert ticket.reason.startswith("Assistant could not answer")
    assert [m["response"] for m in dispatcher.messages] == ["utter_handoff_opened_without_email"]


def test_if_the_ticket_cannot_be_stored_the_person_is_told(tmp_path):
    broken = sa.create_engine(f"sqlite:///{tmp_path / 'missing-dir' / 'x.sqlite'}", future=True)
    db.use_engine(broken)
    try:
        events, dispatcher = run(ActionOpenHandoffTicket(), make_tracker(ASKED_FOR_PERSON))
    finally:
        db.use_engine(None)
    assert [m["response"] for m in dispatcher.messages] == ["utter_handoff_unavailable"]


def test_declining_the_offer_is_a_rule_that_never_opens_a_ticket():
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.training_data.story_reader.yaml_story_reader import YAMLStoryReader

    domain = Domain.load(str(REPO / "domain.yml"))
    steps = YAMLStoryReader(domain).read_from_file(str(REPO / "data" / "handoff.yml"))
    by_name = {step.block_name: [getattr(e, "action_name", None) or getattr(e, "intent_name", None)
                                 for e in step.events] for step in steps}
    declined = by_name["the person declines the handoff offer"]
    assert declined[-2:] == ["deny", "utter_handoff_declined"]
    assert "action_open_handoff_ticket" not in declined
    assert by_name["a person asks to talk to someone"][-1] == "action_offer_handoff"
    assert "utter_handoff_declined" in domain.responses
