"""Checking a pasted ingredient list: read it, look every entry up in both layers, answer once."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import latest_text, profile_from
from actions.dispatch import send_answer, tell_triage, tell_triage_soon
from bot.answers.fallback import store_unavailable
from bot.answers.label_check import decide_label_check, label_problem
from bot.answers.render import render
from bot.nlu.ingredient_lists import read_ingredient_list
from bot.triage import recorder
from knowledge.annexes.queries import afind_annex_entries_for
from knowledge.queries import KnowledgeStoreUnavailable, afind_ingredient

#: The slot holding the last checked label's entries, in label order (numbered from 1 in the reply).
LABEL_ENTRIES_SLOT = "label_entries"
#: Rasa's name for the Twilio channel (SMS and WhatsApp, bot/channels/twilio.py): a label reads as short lines there.
SMS_CHANNEL = "twilio"
#: Rasa's name for the website widget's channel (bot/channels/socketio.py): it lays a checked label out as lists.
WIDGET_CHANNEL = "socketio"
LAYOUTS = {SMS_CHANNEL: "sms", WIDGET_CHANNEL: "list"}
_NUMBER = re.compile(r"(?:\b(?:number|no|item|entry|ingredient)\s*\.?\s*|#\s*)(\d{1,3})\b|^\s*(\d{1,3})\s*[.?!]?\s*$",
                     re.IGNORECASE)


def entry_by_number(text: str, entries: object) -> str | None:
    """The label entry a follow-up names by its number ("tell me more about number 3", "#3", "3")."""
    if not isinstance(entries, list) or not entries:
        return None
    match = _NUMBER.search(text or "")
    if match is None:
        return None
    index = int(match.group(1) or match.group(2))
    return str(entries[index - 1]) if 1 <= index <= len(entries) else None


def whole_message(tracker: Tracker) -> str:
    """The latest user message as sent: the parse data holds only what the classifiers read (the length
    guard cuts it at bot.nlu.message_limits.CLASSIFIER_MAX_CHARS), a long label is longer than that."""
    sent = next((e.get("text") for e in reversed(tracker.events) if e.get("event") == "user"), None)
    return sent if isinstance(sent, str) and sent and not sent.startswith("/") else latest_text(tracker)


class ActionCheckLabel(Action):
    """One compact reply for a pasted list: flagged entries first, unknown entries listed honestly."""

    def name(self) -> str:
        """Action name used in the domain and rules."""
        return "action_check_label"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Read the list, query the store (curated profiles and EU annexes), decide, render and send."""
        parsed = read_ingredient_list(whole_message(tracker))
        events: list[EventType] = []
        if parsed.problem in ("html", "not_a_list", "too_many"):
            answer = render(label_problem(parsed))
        else:
            events.append(SlotSet(LABEL_ENTRIES_SLOT, list(parsed.entries)))
            try:
                curated = {name: await afind_ingredient(name) for name in parsed.entries}
                listed = await afind_annex_entries_for(parsed.entries)
            except KnowledgeStoreUnavailable:
                send_answer(dispatcher, render(store_unavailable()))
                return []
            layout = LAYOUTS.get(tracker.get_latest_input_channel() or "", "chat")
            answer = render(decide_label_check(parsed, curated, listed, profile_from(tracker)), layout)
            for name in parsed.entries:
                if curated[name] is None and not listed.get(name):
                    await tell_triage(recorder.record_knowledge_gap(
                        tracker.sender_id, question=f"label check: {name}", ingredient=name), "record a knowledge gap")
        send_answer(dispatcher, answer)
        tell_triage_soon(recorder.record_topics_soon, tracker.sender_id, answer.tags, what="record topics")
        return events
