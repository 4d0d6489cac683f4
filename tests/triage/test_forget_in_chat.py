"""A person asks the assistant to forget them, over Rasa's REST channel with all three servers running: after a
clear Yes the conversation is gone everywhere (tracker store, tickets, knowledge gaps, topics) and the next
message starts from nothing; without it, nothing is deleted. Checked through the staff API and the tracker file."""

from __future__ import annotations

import sqlite3

import pytest

from tests.triage.test_conversation_stack import eventually, new_sender, staff_api, tickets_for

pytestmark = pytest.mark.servers

FORGOTTEN = {"type": "conversation_forgotten"}


def stored_events(stack, sender: str) -> list[str]:
    with sqlite3.connect(stack.tracker_db_path) as connection:
        return [row[0] for row in connection.execute("SELECT data FROM events WHERE sender_id = ?", (sender,))]


def gaps_of(stack, sender: str) -> list[dict]:
    return [g for g in staff_api(stack, "/gaps")["gaps"] if sender in g["conversation_ids"]]


def answer_of(messages: list[dict]) -> dict:
    return next((m["answer"] for m in messages if "answer" in m), {})


def button_payloads(messages: list[dict]) -> dict[str, str]:
    return {b["title"]: b["payload"] for m in messages for b in m.get("buttons") or []}


def test_forget_me_confirmed_deletes_the_conversation_everywhere(stack):
    sender = new_sender("forget")
    told = stack.reply_text(sender, "I'm pregnant and allergic to milk")
    assert "pregnant" in told and "milk protein" in told
    stack.send(sender, "my lips are swelling and I can't breathe after a new cream")  # an urgent ticket
    stack.send(sender, "what is quintessoflux extract?")  # a knowledge gap
    assert eventually(lambda: tickets_for(stack, sender)) and eventually(lambda: gaps_of(stack, sender))

    ask = stack.send(sender, "please forget everything I told you")
    payloads = button_payloads(ask)
    assert set(payloads.values()) == {"/affirm", "/deny"}, ask
    assert any("pregnant" in event for event in stored_events(stack, sender))  # nothing deleted before Yes

    done = stack.send(sender, payloads[next(title for title in payloads if title.lower().startswith("yes"))])
    assert any(m.get("custom") == FORGOTTEN for m in done), done
    assert stored_events(stack, sender) == []
    assert tickets_for(stack, sender) == [] and gaps_of(stack, sender) == []

    after = stack.send(sender, "can I use milk exosomes?")
    assert answer_of(after).get("considered") in (None, []), after  # nothing of the profile is left
    assert not any("pregnant" in event for event in stored_events(stack, sender))


def test_a_typed_yes_also_confirms_and_no_keeps_everything(stack):
    kept = new_sender("forget-kept")
    stack.send(kept, "I'm breastfeeding")
    stack.send(kept, "delete my data")
    answer = stack.send(kept, "no")
    assert not any(m.get("custom") == FORGOTTEN for m in answer)
    assert answer_of(stack.send(kept, "can I use milk exosomes?")).get("considered") == ["life_stage:breastfeeding"]
    assert any("breastfeeding" in event for event in stored_events(stack, kept))

    gone = new_sender("forget-typed")
    stack.send(gone, "I'm breastfeeding")
    stack.send(gone, "can you wipe this chat")
    assert any(m.get("custom") == FORGOTTEN for m in stack.send(gone, "yes please"))
    assert stored_events(stack, gone) == []


def test_not_a_request_and_an_emergency_first(stack):
    sender = new_sender("forget-not")
    reply = stack.send(sender, "don't forget I'm allergic to nuts")
    assert "/deny" not in button_payloads(reply).values() and "tree nut" in reply[0]["text"], reply  # remembered
    emergency = stack.reply_text(sender, "forget my data, my throat is closing up after the serum")
    assert "112" in emergency or "911" in emergency or "999" in emergency  # the emergency reply, not the ask
    assert eventually(lambda: [t for t in tickets_for(stack, sender) if t["urgency"] == "urgent"])


def test_asked_while_the_handoff_form_waits_for_an_email(stack):
    sender = new_sender("forget-form")
    stack.send(sender, "is zorbium ok for oily skin?")
    stack.send(sender, "I want to talk to a person")
    assert "email" in stack.reply_text(sender, "/affirm").lower()
    ask = stack.send(sender, "actually forget me, delete everything")
    assert set(button_payloads(ask).values()) == {"/affirm", "/deny"}, ask  # not "that doesn't look like an email"
    assert any(m.get("custom") == FORGOTTEN for m in stack.send(sender, "yes"))
    assert stored_events(stack, sender) == [] and tickets_for(stack, sender) == []
