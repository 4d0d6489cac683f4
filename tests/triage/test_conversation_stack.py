"""The conversation side end to end over Rasa's REST channel, checked through the staff API:
red flags open urgent tickets, unknown ingredients become knowledge gaps, handoffs carry the email."""

from __future__ import annotations

import time
import uuid

import pytest
import requests

pytestmark = pytest.mark.servers


def staff_api(stack, path: str, **params) -> dict:
    response = requests.get(f"{stack.web_url}/staff/api{path}", params=params, timeout=10,
                            headers={"Authorization": f"Bearer {stack.staff_token}"})
    response.raise_for_status()
    return response.json()


def tickets_for(stack, sender: str) -> list[dict]:
    return [t for t in staff_api(stack, "/tickets")["tickets"] if t["conversation_id"] == sender]


def eventually(check, timeout: float = 10.0):
    """Tickets are written by the action server right after its reply; allow it a moment."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result or time.monotonic() > deadline:
            return result
        time.sleep(0.2)


def new_sender(label: str) -> str:
    return f"test-{label}-{uuid.uuid4().hex[:8]}"


def test_red_flag_opens_an_urgent_ticket(stack):
    sender = new_sender("redflag")
    reply = stack.reply_text(sender, "my lips are swelling and I can't breathe after a new cream")
    assert reply  # the person got the emergency reply first
    [ticket] = eventually(lambda: tickets_for(stack, sender))
    assert ticket["urgency"] == "urgent"
    assert "red_flag" in ticket["tags"]
    detail = staff_api(stack, f"/tickets/{ticket['id']}")
    assert detail["transcript"][0] == {**detail["transcript"][0], "speaker": "person",
                                       "text": "my lips are swelling and I can't breathe after a new cream"}


def test_unknown_ingredient_is_recorded_as_a_knowledge_gap(stack):
    sender = new_sender("gap")
    question = "what is quintessoflux extract?"
    stack.reply_text(sender, question)

    def gap():
        return [g for g in staff_api(stack, "/gaps")["gaps"] if sender in g["conversation_ids"]]

    [found] = eventually(gap)
    assert found["count"] >= 1
    assert "quintessoflux" in (found["ingredient"] or found["question"]).lower()


def test_handoff_with_email_opens_a_high_ticket_with_the_contact(stack):
    sender = new_sender("handoff")
    stack.reply_text(sender, "is niacinamide ok for oily skin?")
    offer = stack.send(sender, "I want to talk to a person")
    buttons = [b["title"] for m in offer for b in m.get("buttons", [])]
    assert any(title.lower().startswith("yes") for title in buttons), offer
    ask = stack.reply_text(sender, "/affirm")
    assert "email" in ask.lower() and "only use it to reply" in ask
    invalid = stack.reply_text(sender, "not telling you my address properly")
    assert "doesn't look like an email" in invalid
    done = stack.reply_text(sender, "it's jane.doe@example.com")
    assert "jane.doe@example.com" in done

    [ticket] = eventually(lambda: tickets_for(stack, sender))
    assert ticket["urgency"] == "high" and "handoff" in ticket["tags"]
    assert ticket["contact_email"] == "jane.doe@example.com"
    assert ticket["question"] == "is niacinamide ok for oily skin?"


def test_topics_discussed_reach_the_ticket_for_staff_filters(stack):
    """Topic tags are queued by the answering action (not awaited); staff still see them on the ticket."""
    sender = new_sender("topics")
    assert "vegan" in stack.reply_text(sender, "are milk exosomes vegan?").lower()
    assert stack.reply_text(sender, "is it safe while breastfeeding?")
    stack.reply_text(sender, "I want to talk to a person")
    stack.reply_text(sender, "/affirm")
    stack.reply_text(sender, "topics.test@example.com")

    def tagged() -> list[dict]:
        return [t for t in staff_api(stack, "/tickets", tag="breastfeeding")["tickets"]
                if t["conversation_id"] == sender]

    [ticket] = eventually(tagged)
    assert {"vegan", "breastfeeding", "handoff"} <= set(ticket["tags"]), ticket["tags"]


def test_handoff_without_email_and_declining(stack):
    skipper = new_sender("skip")
    stack.reply_text(skipper, "I want to talk to a person")
    stack.reply_text(skipper, "/affirm")
    done = stack.reply_text(skipper, "skip")
    assert "support team" in done
    [ticket] = eventually(lambda: tickets_for(stack, skipper))
    assert ticket["contact_email"] is None

    decliner = new_sender("decline")
    stack.reply_text(decliner, "I want to talk to a person")
    declined = stack.reply_text(decliner, "/deny")
    assert "won't pass this on" in declined
    time.sleep(1)
    assert tickets_for(stack, decliner) == []
