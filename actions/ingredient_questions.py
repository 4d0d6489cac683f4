"""Answering ingredient questions from the knowledge store, and remembering the person's profile."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import (
    apply_profile_updates,
    latest_intent,
    latest_text,
    name_spans,
    named_entities,
    profile_from,
    question_from,
    self_described_profile,
)
from actions.dispatch import send_answer, tell_triage, tell_triage_soon
from actions.label_check import LABEL_ENTRIES_SLOT, entry_by_number
from bot.answers.deciders import decide
from bot.answers.decision import Decision, Verdict
from bot.answers.fallback import (
    NAMED_INGREDIENTS,
    no_ingredients,
    store_unavailable,
    unknown_ingredient,
    which_ingredient,
    with_assumed_ingredient,
)
from bot.answers.profile import compose_profile_acknowledgement
from bot.answers.regulation import decide_not_listed, decide_regulation
from bot.answers.render import render
from bot.answers.topics import Topic
from bot.answers.understanding import follow_up_topic, resolve_topic
from bot.triage import recorder
from knowledge.annexes.queries import afind_annex_entries
from knowledge.queries import (
    KnowledgeStoreUnavailable,
    afind_ingredient,
    afirst_ingredients,
    aingredients_ending_in,
)

MAX_INGREDIENTS_PER_MESSAGE = 3

#: The slot holding the topic last answered (domain.yml), for follow-ups that only name another ingredient.
LAST_TOPIC_SLOT = "last_topic"
_TOPIC_VALUES = frozenset(topic.value for topic in Topic)


def family_members(name: str, known: list[str]) -> list[str]:
    """Store ingredients a bare family word could mean ("exosomes" -> "milk exosomes", "rose exosomes")."""
    words = name.lower().split()
    if len(words) != 1:
        return []
    stem = words[0].rstrip("s")
    return [k for k in known if len(k.split()) > 1 and k.lower().split()[-1].rstrip("s") == stem]


class ActionAnswerIngredientQuestion(Action):
    """Answers any `ask_*` question about the ingredient named, in focus, or the only one we know.

    A curated profile answers; a substance only the EU annexes list gets what EU rules say (and, for a
    topic they don't cover, an honest "no verified information" first); `ask_regulation` is always the
    EU layer's answer.
    """

    def name(self) -> str:
        """Action name used in the domain and rules."""
        return "action_answer_ingredient_question"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Resolve the topic and the ingredient(s), query the store, decide, render and send the answer."""
        named = named_entities(tracker)
        previous = tracker.get_slot(LAST_TOPIC_SLOT)
        topic = (follow_up_topic(latest_text(tracker), name_spans(tracker, ("ingredient", "medicine")),
                                 Topic(previous) if previous in _TOPIC_VALUES else None)
                 or resolve_topic(Topic.from_intent(latest_intent(tracker)) or Topic.SUMMARY, named))
        profile_updates = self_described_profile(tracker)
        events: list[EventType] = [SlotSet(slot, value) for slot, value in profile_updates.items()]
        profile = apply_profile_updates(profile_from(tracker), profile_updates)
        question = question_from(tracker, topic)
        names = list(named.get("ingredient", ()))[:MAX_INGREDIENTS_PER_MESSAGE]
        if not names and topic is not Topic.MEDICINES:
            # "is tretinoin vegan?": a medicine named on its own is what the question is about.
            names = list(named.get("medicine", ()))[:1]
        try:
            subjects = [(n, await afind_ingredient(n)) for n in names]
            if topic is Topic.MEDICINES:  # "with tretinoin": unprofiled names are what it is used with
                used_with = tuple(n for n, f in subjects if f is None)
                question = replace(question, used_with=used_with)
                subjects = [(n, f) for n, f in subjects if f is not None]
            assumed = False
            numbered = entry_by_number(latest_text(tracker), tracker.get_slot(LABEL_ENTRIES_SLOT))
            if not names and numbered:  # "tell me more about number 3" after a label check
                subjects = [(numbered, await afind_ingredient(numbered))]
                if topic is Topic.SUMMARY and subjects[0][1] is not None and not profile.is_empty:
                    # the label gave this person's verdict on it ("take care (milk protein allergy)"): more
                    # about that entry is that answer in full, not a summary that leaves their concern out
                    topic = Topic.SUITABILITY
                    question = replace(question, topic=topic)
            if not subjects:
                in_focus = tracker.get_slot("ingredient")
                if in_focus:
                    subjects = [(str(in_focus), await afind_ingredient(str(in_focus)))]
                else:
                    known = await afirst_ingredients(NAMED_INGREDIENTS)
                    if known.total != 1:
                        send_answer(dispatcher, render(which_ingredient(known.names, topic) if known.total
                                                       else no_ingredients()))
                        return events
                    subjects, assumed = [(known.names[0], await afind_ingredient(known.names[0]))], True
            answered_any = False
            focus: str | None = None
            for name, facts in subjects:
                entries = await afind_annex_entries(name) if topic is Topic.REGULATION or facts is None else []
                if topic is Topic.REGULATION:  # the EU layer answers, for profiled substances too
                    decision = (decide_regulation(name, entries, topic, profiled=facts is not None) if entries
                                else decide_not_listed(facts.name if facts else name, topic))
                    if not entries and facts is None:
                        await self._record_gap(tracker, name, topic)
                    answered_any, focus = answered_any or bool(entries), facts.name if facts else name
                elif facts is None and entries:
                    decision = decide_regulation(name, entries, topic)
                    if decision.verdict is Verdict.UNKNOWN:  # a topic the annexes don't cover
                        await self._record_gap(tracker, name, topic)
                    answered_any, focus = answered_any or decision.verdict is not Verdict.UNKNOWN, name
                elif facts is None:
                    decision = await self._not_in_store(tracker, name, topic)
                    focus = focus if decision.kind == "which_ingredient" else name
                else:
                    decision = decide(facts, question, profile)
                    answered_any, focus = True, facts.name
                if assumed:
                    decision = with_assumed_ingredient(decision, name)
                answer = render(decision)
                send_answer(dispatcher, answer)
                tell_triage_soon(recorder.record_topics_soon, tracker.sender_id, answer.tags, what="record topics")
            if focus:
                events.append(SlotSet("ingredient", focus))
            events.append(SlotSet(LAST_TOPIC_SLOT, topic.value))  # what "and what about X?" asks again
            failures = 0 if answered_any else (tracker.get_slot("unanswered_in_a_row") or 0) + 1
            events.append(SlotSet("unanswered_in_a_row", failures))
        except KnowledgeStoreUnavailable:
            send_answer(dispatcher, render(store_unavailable()))
        return events

    @staticmethod
    async def _not_in_store(tracker: Tracker, name: str, topic: Topic) -> Decision:
        """A bare family word asks which one; any other unknown name is named back and recorded as a gap.
        Both ask the store for a few names only (not every name: the store may hold thousands)."""
        words = name.lower().split()
        stem = words[0].rstrip("s") if len(words) == 1 else ""
        family = family_members(name, await aingredients_ending_in(stem, NAMED_INGREDIENTS)) if stem else []
        if family:
            return which_ingredient(family, topic, family=name)
        await ActionAnswerIngredientQuestion._record_gap(tracker, name, topic)
        known = await afirst_ingredients(NAMED_INGREDIENTS)
        return unknown_ingredient(name, known.names, topic, more=known.more)

    @staticmethod
    async def _record_gap(tracker: Tracker, name: str, topic: Topic) -> None:
        await tell_triage(recorder.record_knowledge_gap(
            tracker.sender_id, question=latest_text(tracker) or f"{topic.value}: {name}", ingredient=name),
            "record a knowledge gap")


class ActionRememberProfile(Action):
    """Acknowledges what the person told us about themselves (the slots are filled by the domain)."""

    def name(self) -> str:
        """Action name used in the domain and rules."""
        return "action_remember_profile"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Confirm what was remembered and suggest the natural next question."""
        answer = compose_profile_acknowledgement(profile_from(tracker), tracker.get_slot("ingredient"))
        send_answer(dispatcher, answer)
        tell_triage_soon(recorder.record_topics_soon, tracker.sender_id, answer.tags, what="record topics")
        return []
