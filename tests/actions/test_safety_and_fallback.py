"""Safety actions (emergency ticket, the triage question's "No", reaction) and the honest fallback, with
their triage side effects."""

from __future__ import annotations

from typing import Any

from actions.fallback import HANDOFF_OFFER_ACTION, ActionUnanswerable
from actions.safety import ActionAnswerAfterTriage, ActionOpenEmergencyTicket, ActionSafetyReaction
from bot.triage.casework import list_gaps, list_tickets
from tests.actions.conftest import make_tracker, run_action, slot_events, texts


def _user(text: str, intent: str, **parse: Any) -> dict[str, Any]:
    return {"event": "user", "text": text, "parse_data": {"intent": {"name": intent, "confidence": 1.0},
                                                          "text": text, **parse}}


def test_emergency_ticket_is_urgent_and_names_the_kind(store_url: str) -> None:
    tracker = make_tracker("red_flag", "my toddler swallowed some cream", sender_id="rf-1",
                           slots={"emergency_kind": "swallowed", "emergency_language": "en"})
    messages, events = run_action(ActionOpenEmergencyTicket(), tracker)
    assert messages == [] and events == [], "the reply is the domain response, sent before this action"
    [ticket] = [t for t in list_tickets() if t.conversation_id == "rf-1"]
    assert ticket.urgency.value == "urgent"
    assert "swallowed" in ticket.reason.lower() and {"red_flag", "swallowed"} <= set(ticket.tags)
    assert ticket.question == "my toddler swallowed some cream"


def test_after_yes_to_the_triage_question_the_ticket_quotes_what_prompted_it(store_url: str) -> None:
    tracker = make_tracker("affirm", "yes", sender_id="rf-2",
                           slots={"emergency_kind": "anaphylaxis", "emergency_language": "en"})
    tracker.events[:0] = [_user("my lips feel kind of funny", "possible_emergency")]
    run_action(ActionOpenEmergencyTicket(), tracker)
    [ticket] = [t for t in list_tickets() if t.conversation_id == "rf-2"]
    assert ticket.question == "my lips feel kind of funny" and "anaphylaxis" in ticket.tags


def test_no_to_the_triage_question_replays_the_original_message_with_its_own_intent() -> None:
    original = _user(
        "are milk exosomes vegan? my lips feel kind of funny", "possible_emergency",
        entities=[{"entity": "ingredient", "value": "milk exosomes"},
                  {"entity": "emergency_kind", "value": "anaphylaxis"},
                  {"entity": "emergency_language", "value": "en"}],
        intent_ranking=[{"name": "possible_emergency", "confidence": 1.0}, {"name": "ask_diet", "confidence": 0.8}],
        safety={"verdict": "ask", "replaced_intent": {"name": "ask_diet", "confidence": 0.8}},
    )
    tracker = make_tracker("deny", "/deny", sender_id="rf-3")
    tracker.events[:0] = [original]
    messages, events = run_action(ActionAnswerAfterTriage(), tracker)
    assert messages == []
    listen, replay = events
    assert listen == {**listen, "event": "action", "name": "action_listen"}
    assert replay["event"] == "user" and replay["text"] == original["text"]
    assert replay["parse_data"]["intent"]["name"] == "ask_diet"
    assert [e["entity"] for e in replay["parse_data"]["entities"]] == ["ingredient"]
    assert [r["name"] for r in replay["parse_data"]["intent_ranking"]] == ["ask_diet"]


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


def test_no_with_nothing_left_to_answer_says_what_the_assistant_can_do() -> None:
    messages, events = run_action(ActionAnswerAfterTriage(), make_tracker("deny", "no", sender_id="rf-4"))
    assert [m.get("response") for m in messages] == ["utter_help"] and events == []
