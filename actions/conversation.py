"""Reading a conversation: what was asked in the latest message and what the person told us before.

Pure functions over the rasa-sdk Tracker, shared by the actions; no wording and no database here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from rasa_sdk import Tracker

from bot.answers.answer import PersonProfile, Question
from bot.answers.topics import Topic

#: Entity types the person can tell us about themselves, and the profile slot each one fills.
PROFILE_SLOTS = {
    "skin_type": "skin_type",
    "diet": "diet",
    "life_stage": "life_stage",
    "allergen": "allergies",
    "skin_condition": "skin_conditions",
    "intolerance": "intolerances",
    "medicine": "medicines",
}
LIST_SLOTS = {"allergies", "skin_conditions", "intolerances", "medicines"}
#: A child named in a message is who the product would be for, never the asker's own life stage.
NOT_THE_ASKER = {("life_stage", "child")}

# "I'm vegan, is it ok?" asks a question and tells us about the person at once.
_ABOUT_ME = re.compile(
    r"\b(?:i'?m|i am|im|i have|i've got|i got|i've|i suffer from|my skin(?: is|'s)?|as an?|i'?m currently"
    r"|i can'?t|i cannot|i avoid|i use|i take|i don'?t|i do not|i eat|i drink|i ingest|i react)\b"
)


def entity_values(tracker: Tracker, entity: str) -> tuple[str, ...]:
    """Normalised values of one entity type in the latest message, in order, without repeats."""
    entities: Iterable[dict[str, Any]] = tracker.latest_message.get("entities") or []
    values = (str(e.get("value")) for e in entities if e.get("entity") == entity and e.get("value"))
    return tuple(dict.fromkeys(values))


def named_entities(tracker: Tracker) -> dict[str, tuple[str, ...]]:
    """Entity type -> normalised values named in the latest message."""
    entities: Iterable[dict[str, Any]] = tracker.latest_message.get("entities") or []
    named: dict[str, list[str]] = {}
    for e in entities:
        if e.get("entity") and e.get("value"):
            named.setdefault(str(e["entity"]), []).append(str(e["value"]))
    return {kind: tuple(dict.fromkeys(values)) for kind, values in named.items()}


def name_spans(tracker: Tracker, kinds: Iterable[str]) -> list[tuple[int, int]]:
    """Character spans of the latest message's entities of these kinds (ingredient, medicine...)."""
    wanted = set(kinds)
    return [(int(e["start"]), int(e["end"])) for e in tracker.latest_message.get("entities") or []
            if e.get("entity") in wanted and isinstance(e.get("start"), int) and isinstance(e.get("end"), int)]


def latest_text(tracker: Tracker) -> str:
    """The text of the latest user message ('' when it was a button payload without text)."""
    text = tracker.latest_message.get("text") or ""
    return "" if text.startswith("/") else text


def latest_intent(tracker: Tracker) -> str | None:
    """The name of the latest user message's intent."""
    return (tracker.latest_message.get("intent") or {}).get("name")


def question_from(tracker: Tracker, topic: Topic) -> Question:
    """The question in the latest message: its topic plus the skin types, diets... it names."""
    return Question(
        topic=topic,
        skin_types=entity_values(tracker, "skin_type"),
        diets=entity_values(tracker, "diet"),
        life_stages=entity_values(tracker, "life_stage"),
        allergens=entity_values(tracker, "allergen"),
        skin_conditions=entity_values(tracker, "skin_condition"),
        intolerances=entity_values(tracker, "intolerance"),
        medicines=entity_values(tracker, "medicine"),
    )


def _as_tuple(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, (list, tuple)):
        return tuple(dict.fromkeys(str(v) for v in value if v))
    return (str(value),)


def profile_from(tracker: Tracker) -> PersonProfile:
    """What the person has told us about themselves so far (from the profile slots)."""
    life_stage = tracker.get_slot("life_stage")
    return PersonProfile(
        skin_type=tracker.get_slot("skin_type"),
        diet=tracker.get_slot("diet"),
        life_stage=None if ("life_stage", life_stage) in NOT_THE_ASKER else life_stage,
        allergies=_as_tuple(tracker.get_slot("allergies")),
        skin_conditions=_as_tuple(tracker.get_slot("skin_conditions")),
        intolerances=_as_tuple(tracker.get_slot("intolerances")),
        medicines=_as_tuple(tracker.get_slot("medicines")),
    )


def self_described_profile(tracker: Tracker) -> dict[str, Any]:
    """Profile slot values stated about oneself inside a question ("I'm vegan, is it ok?")."""
    if not _ABOUT_ME.search(latest_text(tracker).lower()):
        return {}
    updates: dict[str, Any] = {}
    for entity, slot in PROFILE_SLOTS.items():
        values = tuple(v for v in entity_values(tracker, entity) if (entity, v) not in NOT_THE_ASKER)
        if values:
            updates[slot] = list(values) if slot in LIST_SLOTS else values[0]
    return updates


def apply_profile_updates(profile: PersonProfile, updates: dict[str, Any]) -> PersonProfile:
    """The profile with newly stated facts applied."""
    return PersonProfile(
        skin_type=updates.get("skin_type", profile.skin_type),
        diet=updates.get("diet", profile.diet),
        life_stage=updates.get("life_stage", profile.life_stage),
        allergies=_as_tuple(updates.get("allergies", profile.allergies)),
        skin_conditions=_as_tuple(updates.get("skin_conditions", profile.skin_conditions)),
        intolerances=_as_tuple(updates.get("intolerances", profile.intolerances)),
        medicines=_as_tuple(updates.get("medicines", profile.medicines)),
    )
