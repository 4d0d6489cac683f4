"""Emergencies end to end over the REST channel (real Rasa, action and web servers).

Every kind of emergency in every supported language gets that kind's first aid in that language with
the emergency numbers, and an urgent ticket naming the kind (read through the staff API). Also: the
triage question (Yes and No), an emergency inside the handoff form, the reply with the action server
stopped, a red flag at the end of long messages, near-misses answered normally with no ticket, and
a non-emergency in another language.
"""

from __future__ import annotations

import asyncio
import json
import urllib.error
import urllib.request
import uuid
from typing import Any

import pytest
import requests

from bot.nlu.message_limits import MAX_MESSAGE_CHARS
from bot.triage.db import use_engine
from bot.triage.emergency_tickets import open_missed_emergency_tickets
from bot.triage.transcript import tracker_engine
from knowledge.database import get_engine
from tests.servers import RunningAssistant

pytestmark = pytest.mark.servers

NUMBERS = ("112", "999", "911")

#: One message per kind and language, as people type them.
EMERGENCIES: dict[tuple[str, str], str] = {
    ("anaphylaxis", "en"): "my lips are swelling and I can't breathe after the serum",
    ("swallowed", "en"): "my toddler swallowed some of the face cream",
    ("eye", "en"): "got the serum in my eye, it really hurts and my vision is blurry",
    ("burn", "en"): "the peel burned my skin and it's blistering",
    ("anaphylaxis", "es"): "no puedo respirar y se me hinchan los labios después de la crema",
    ("swallowed", "es"): "mi hijo se ha tragado la crema",
    ("eye", "es"): "me entró sérum en el ojo, me duele mucho y veo borroso",
    ("burn", "es"): "el peeling me ha quemado la piel y me han salido ampollas",
    ("anaphylaxis", "fr"): "je n'arrive plus à respirer et mes lèvres gonflent après la crème",
    ("swallowed", "fr"): "mon fils a avalé de la crème",
    ("eye", "fr"): "j'ai du sérum dans l'œil, ça fait très mal et je vois flou",
    ("burn", "fr"): "le peeling m'a brûlé la peau et j'ai des cloques",
    ("anaphylaxis", "de"): "ich bekomme keine Luft und meine Lippen schwellen nach der Creme an",
    ("swallowed", "de"): "mein Kind hat Creme verschluckt",
    ("eye", "de"): "ich habe Serum ins Auge bekommen, es tut sehr weh und ich sehe verschwommen",
    ("burn", "de"): "das Peeling hat meine Haut verätzt und es bilden sich Blasen",
    ("anaphylaxis", "it"): "non riesco a respirare e le labbra si gonfiano dopo la crema",
    ("swallowed", "it"): "mio figlio ha ingerito la crema",
    ("eye", "it"): "mi è entrato il siero nell'occhio, fa molto male e vedo sfocato",
    ("burn", "it"): "il peeling mi ha bruciato la pelle e ho le vesciche",
    ("anaphylaxis", "pt"): "não consigo respirar e os meus lábios estão a inchar depois do creme",
    ("swallowed", "pt"): "o meu filho engoliu creme",
    ("eye", "pt"): "entrou sérum no meu olho, dói muito e vejo tudo turvo",
    ("burn", "pt"): "o peeling queimou-me a pele e fiquei com bolhas",
}

#: The kind's key first-aid step, in the message's language (lower case).
KEY_STEP: dict[tuple[str, str], str] = {
    ("anaphylaxis", "en"): "adrenaline auto-injector",
    ("swallowed", "en"): "don't make them vomit",
    ("eye", "en"): "lukewarm running water for at least 15 minutes",
    ("burn", "en"): "cool running water for 20 minutes",
    ("anaphylaxis", "es"): "autoinyector de adrenalina",
    ("swallowed", "es"): "no le provoques el vómito",
    ("eye", "es"): "agua tibia corriente durante al menos 15 minutos",
    ("burn", "es"): "agua fresca corriente durante 20 minutos",
    ("anaphylaxis", "fr"): "auto-injecteur d'adrénaline",
    ("swallowed", "fr"): "ne faites pas vomir",
    ("eye", "fr"): "eau tiède courante pendant au moins 15 minutes",
    ("burn", "fr"): "eau fraîche courante pendant 20 minutes",
    ("anaphylaxis", "de"): "adrenalin-autoinjektor",
    ("swallowed", "de"): "kein erbrechen auslösen",
    ("eye", "de"): "mindestens 15 minuten lang mit lauwarmem",
    ("burn", "de"): "20 minuten lang unter kühlem fließendem wasser",
    ("anaphylaxis", "it"): "autoiniettore di adrenalina",
    ("swallowed", "it"): "non provocare il vomito",
    ("eye", "it"): "acqua tiepida corrente per almeno 15 minuti",
    ("burn", "it"): "acqua fresca corrente per 20 minuti",
    ("anaphylaxis", "pt"): "autoinjetora de adrenalina",
    ("swallowed", "pt"): "não provoque o vómito",
    ("eye", "pt"): "água morna corrente durante pelo menos 15 minutos",
    ("burn", "pt"): "água fresca corrente durante 20 minutos",
}

TRIAGE_QUESTION = "trouble breathing, or swelling of your lips, tongue, face or throat"
#: Unsure, by the detector's own rules: gets the triage question, not the alarm.
UNSURE = "are milk exosomes vegan? i feel a bit dizzy since using it"
ALLERGY_DISCLAIMER = "ask your doctor or allergist"


def new_sender(prefix: str) -> str:
    """A fresh conversation id."""
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def staff_ticket(assistant: RunningAssistant, sender: str) -> dict[str, Any] | None:
    """The conversation's ticket as the staff API shows it (None when there is none)."""
    headers = {"Authorization": f"Bearer {assistant.staff_token}"}
    listing = requests.get(f"{assistant.web_url}/staff/api/tickets", headers=headers, timeout=10)
    listing.raise_for_status()
    return next((t for t in listing.json()["tickets"] if t["conversation_id"] == sender), None)


def assert_emergency_reply(reply: str, kind: str, language: str) -> None:
    """The reply gives every emergency number and the kind's key step in the right language."""
    for number in NUMBERS:
        assert number in reply, f"{kind}/{language}: no {number} in {reply!r}"
    assert KEY_STEP[kind, language] in reply.lower(), f"{kind}/{language}: no key step in {reply!r}"


def assert_urgent_ticket(assistant: RunningAssistant, sender: str, kind: str) -> dict[str, Any]:
    """The conversation has an urgent ticket whose reason and tags name the kind."""
    ticket = staff_ticket(assistant, sender)
    assert ticket is not None, f"no ticket for {sender}"
    assert ticket["urgency"] == "urgent"
    assert kind in ticket["tags"] and "red_flag" in ticket["tags"], ticket["tags"]
    reason_words = {"anaphylaxis": "anaphylaxis", "swallowed": "swallowed", "eye": "eye", "burn": "burn"}
    assert reason_words[kind] in ticket["reason"].lower(), ticket["reason"]
    return ticket


@pytest.mark.parametrize(("kind", "language"), list(EMERGENCIES))
def test_each_kind_and_language_gets_its_first_aid_and_an_urgent_ticket(
    assistant: RunningAssistant, kind: str, language: str
) -> None:
    sender = new_sender(f"sos-{kind}-{language}")
    messages = assistant.send(sender, EMERGENCIES[kind, language])
    assert len(messages) == 1, f"the emergency reply and nothing else: {messages}"
    assert_emergency_reply(messages[0]["text"], kind, language)
    ticket = assert_urgent_ticket(assistant, sender, kind)
    assert ticket["question"] == EMERGENCIES[kind, language]


def test_a_question_with_an_emergency_gets_only_the_emergency_reply(assistant: RunningAssistant) -> None:
    sender = new_sender("sos-mixed")
    reply = assistant.reply_text(sender, "is it vegan? btw my throat feels like it's closing since I used it")
    assert_emergency_reply(reply, "anaphylaxis", "en")
    assert "vegan" not in reply.lower() and "cow milk" not in reply.lower()
    assert_urgent_ticket(assistant, sender, "anaphylaxis")


def test_unsure_gets_one_triage_question_and_yes_is_an_emergency(assistant: RunningAssistant) -> None:
    sender = new_sender("triage-yes")
    [question] = assistant.send(sender, UNSURE)
    assert TRIAGE_QUESTION in question["text"]
    assert [b["payload"] for b in question["buttons"]] == ["/affirm", "/deny"]
    assert staff_ticket(assistant, sender) is None, "no ticket before the answer"
    reply = assistant.reply_text(sender, "yes")
    assert_emergency_reply(reply, "anaphylaxis", "en")
    ticket = assert_urgent_ticket(assistant, sender, "anaphylaxis")
    assert ticket["question"] == UNSURE, "staff read what prompted the question, not 'yes'"


def test_no_to_the_triage_question_answers_the_original_question(assistant: RunningAssistant) -> None:
    sender = new_sender("triage-no")
    assert TRIAGE_QUESTION in assistant.reply_text(sender, UNSURE)
    reply = assistant.reply_text(sender, "/deny")  # the No button
    assert "may choose to avoid" in reply and TRIAGE_QUESTION not in reply
    assert not any(n in reply for n in NUMBERS)
    assert staff_ticket(assistant, sender) is None
    assert "1/5" in assistant.reply_text(sender, "will it clog my pores?"), "the conversation goes on"


def test_an_emergency_interrupts_the_handoff_form(assistant: RunningAssistant) -> None:
    sender = new_sender("sos-form")
    assistant.send(sender, "I want to talk to a person")
    assert "email" in assistant.reply_text(sender, "yes")
    reply = assistant.reply_text(sender, "my throat is closing and my tongue is swollen")
    assert_emergency_reply(reply, "anaphylaxis", "en")
    assert "email" not in reply.lower(), "the form does not ask again over the emergency"
    ticket = assert_urgent_ticket(assistant, sender, "anaphylaxis")
    assert ticket["contact_email"] is None
    after = assistant.reply_text(sender, "are milk exosomes vegan?")
    assert "may choose to avoid" in after and "email address" not in after, "the form was dropped cleanly"


def test_the_emergency_reply_arrives_with_the_action_server_down_and_the_ticket_follows(
    assistant: RunningAssistant,
) -> None:
    action_server = assistant.stack.service("action server")
    assistant.stack.stop_service(action_server)
    try:
        sender = new_sender("sos-no-actions")
        reply = assistant.reply_text(sender, EMERGENCIES["swallowed", "en"])
        assert_emergency_reply(reply, "swallowed", "en")
        assert "try again" not in reply, "no apology for the ticket action may follow the emergency reply"
    finally:
        assistant.stack.start_service(action_server)
        assistant.stack.wait_ready(action_server)
    assert "may choose to avoid" in assistant.reply_text(sender, "are milk exosomes vegan?")

    # The web server's periodic check (run here directly, on the same databases) writes the missed ticket.
    use_engine(get_engine(assistant.knowledge_db_url))
    try:
        tracker = tracker_engine(f"sqlite:///{assistant.tracker_db_path}")
        asyncio.run(open_missed_emergency_tickets(tracker))
        ticket = assert_urgent_ticket(assistant, sender, "swallowed")
        assert ticket["question"] == EMERGENCIES["swallowed", "en"]
        assert asyncio.run(open_missed_emergency_tickets(tracker)) == 0, "written once"
    finally:
        use_engine(None)


@pytest.mark.parametrize("length", [3 * 1000, MAX_MESSAGE_CHARS + 3000])
def test_a_red_flag_at_the_end_of_a_long_message_is_answered(assistant: RunningAssistant, length: int) -> None:
    sender = new_sender("sos-long")
    filler = "I have been using a lot of different creams and serums over the last few months. "
    text = (filler * (length // len(filler) + 1))[:length] + " and now my lips are swelling and I can't breathe"
    reply = assistant.reply_text(sender, text)
    assert_emergency_reply(reply, "anaphylaxis", "en")
    assert_urgent_ticket(assistant, sender, "anaphylaxis")


def test_a_long_message_without_an_emergency_is_still_refused(assistant: RunningAssistant) -> None:
    body = json.dumps({"sender": new_sender("long"), "message": "hello " * (MAX_MESSAGE_CHARS // 6 + 10)})
    headers = {"Content-Type": "application/json"}
    request = urllib.request.Request(assistant.rest_url, data=body.encode(), headers=headers)
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=30)  # noqa: S310 (loopback)
    assert refused.value.code == 400 and "too long" in json.load(refused.value)["error"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I had anaphylaxis to milk as a kid, can I use it?", ALLERGY_DISCLAIMER),
        ("I carry an epipen for peanuts, is this ok for me?", ALLERGY_DISCLAIMER),
        ("does it reduce swelling under my eyes?", "emollient"),
        ("the mask left my face feeling tight", "reactions"),
        ("my lips are not swollen, just a bit dry", "milk exosomes"),
    ],
)
def test_near_misses_get_their_real_answer_and_no_ticket(assistant: RunningAssistant, text: str, expected: str) -> None:
    sender = new_sender("near-miss")
    reply = assistant.reply_text(sender, text)
    assert expected.lower() in reply.lower(), reply
    assert not any(n in reply for n in NUMBERS) and TRIAGE_QUESTION not in reply, reply
    assert staff_ticket(assistant, sender) is None


@pytest.mark.parametrize("text", ["¿es vegano?", "est-ce que c'est bon pour la peau grasse ?", "ist das vegan?",
                                  "posso usarlo in gravidanza?", "é bom para pele oleosa?", "это веганский продукт?"])
def test_other_languages_hear_which_languages_are_understood(assistant: RunningAssistant, text: str) -> None:
    reply = assistant.reply_text(new_sender("lang"), text)
    assert "English" in reply and "Spanish" in reply and "Portuguese" in reply, reply
