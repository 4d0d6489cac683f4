"""The shape of a question, of the person asking it, and of a rendered reply."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.answers.topics import Button, Topic
from bot.safety.policy import Risk


@dataclass(frozen=True)
class PersonProfile:
    """What the person has told us about themselves (normalised vocabulary values)."""

    skin_type: str | None = None
    diet: str | None = None
    life_stage: str | None = None
    allergies: tuple[str, ...] = ()
    skin_conditions: tuple[str, ...] = ()
    intolerances: tuple[str, ...] = ()
    medicines: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        """True when nothing about the person is known."""
        return not (self.skin_type or self.diet or self.life_stage or self.allergies or self.skin_conditions
                    or self.intolerances or self.medicines)


@dataclass(frozen=True)
class Question:
    """One ingredient question: the topic plus whatever the person named in the message."""

    topic: Topic
    skin_types: tuple[str, ...] = ()
    diets: tuple[str, ...] = ()
    life_stages: tuple[str, ...] = ()
    allergens: tuple[str, ...] = ()
    skin_conditions: tuple[str, ...] = ()
    intolerances: tuple[str, ...] = ()
    medicines: tuple[str, ...] = ()
    #: Things named that the store has no profile for, used together with the ingredient ("with tretinoin").
    used_with: tuple[str, ...] = ()


@dataclass(frozen=True)
class Answer:
    """A rendered reply: text, an optional disclaimer, buttons, triage tags and the decision as data."""

    text: str
    disclaimer: str | None = None
    buttons: tuple[Button, ...] = ()
    tags: tuple[str, ...] = ()
    risk: Risk = Risk.NONE
    data: dict[str, Any] = field(default_factory=dict)
    #: The reply as structured data for a client that lays it out itself (a checked label's lists for the
    #: widget), next to the plain text every client gets; None for most replies.
    view: dict[str, Any] | None = None

    @property
    def full_text(self) -> str:
        """The text as the person reads it, disclaimer last."""
        return f"{self.text}\n\nℹ️ {self.disclaimer}" if self.disclaimer else self.text
