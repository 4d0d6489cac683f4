"""Safety actions (emergency, reaction) and the honest fallback, with their triage side effects."""

from __future__ import annotations

from actions.fallback import HANDOFF_OFFER_ACTION, ActionUnanswerable
from actions.safety import ActionSafetyReaction, ActionSafetyRedFlag
from bot.triage.casework import list_gaps, list_tickets
from tests.actions.conftest import make_tracker, run_action, slot_events, texts


def test_red_flag_gets_emergency_advice_only_and_an_urgent_ticket(store_url: str) -> None:
    tracker = make_tracker("red_flag", "my lips are swelling after the serum", sender_id="rf-1",
                           slots={"ingredient": "milk exosomes"})
    messages, events = run_action(ActionSafetyRedFlag(), tracker)
    assert len(messages) == 1
    reply = texts(messages)
    assert "emergency" in reply and "112" in reply and "911" in reply
    assert "milk" not in reply.lower()  # nothing else: no ingredient facts
    assert events == []
    tickets = [t for t in list_tickets() if t.conversation_id == "rf-1"]
    assert len(tickets) == 1 and tickets[0].urgency.value == "urgent"
    assert "swelling" in tickets[0].question


def test_reported_reaction_gets_stop_advice_the_profiles_advice_and_a_high_ticket(store_url: str) -> None:
    tracker = make_tracker("report_reaction", "my cheeks went red and sting", sender_id="rx-1",
                           slots={"ingredient": "milk exosomes"})
    messages, _ = run_action(ActionSafetyReaction(), tracker)
    reply = texts(messages)
    assert reply.startswith("I'm sorry your skin is reacting. Stop using the product.")
    assert "health professional" in reply  # the profile's own on-reaction advice
    assert "emergency" in reply and "not a diagnosis" in reply
    ticket = next(t for t in list_tickets() if t.conversation_id == "rx-1")
    assert ticket.urgency.value == "high"


def test_fallback_is_honest_and_offers_a_person_after_two_failures(store_url: str) -> None:
    first = make_tracker("nlu_fallback", "blorp the quantum toner", sender_id="fb-1")
    messages, events = run_action(ActionUnanswerable(), first)
    assert texts(messages).startswith("Sorry, I don't have verified information on that.")
    assert slot_events(events)["unanswered_in_a_row"] == 1
    assert not any(e.get("event") == "followup" for e in events)
    second = make_tracker("nlu_fallback", "and the flux capacitor cream?", sender_id="fb-1",
                          slots={"unanswered_in_a_row": 1})
    _, events = run_action(ActionUnanswerable(), second)
    assert {"event": "followup", "name": HANDOFF_OFFER_ACTION} in [
        {"event": e.get("event"), "name": e.get("name")} for e in events
    ]
    assert any(g.question == "blorp the quantum toner" for g in list_gaps())


def test_out_of_scope_says_what_it_can_do_and_is_not_a_knowledge_gap(store_url: str) -> None:
    messages, _ = run_action(ActionUnanswerable(), make_tracker("out_of_scope", "what's the weather", "oos-1"))
    reply = texts(messages)
    assert "only answer skincare ingredient questions" in reply
    assert "milk exosomes" in reply
    assert not any(g.question == "what's the weather" for g in list_gaps())


def test_empty_message_gets_a_clear_reply(store_url: str) -> None:
    messages, _ = run_action(ActionUnanswerable(), make_tracker("nlu_fallback", "   "))
    assert "empty" in texts(messages)
