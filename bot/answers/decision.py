"""The structured answer: what the assistant decided to say, before any wording.

Deciders (``bot.answers.deciders``, ``bot.answers.considerations``) turn facts from the store and what
the person told us into a :class:`Decision`; the renderer (``bot.answers.render``) is the only place that
turns one into text. A point names a template and carries the facts it needs (store texts, names,
normalised vocabulary values), never a sentence of our own.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.answers.topics import Topic
from bot.safety.policy import Risk

#: Key of a bot message's extra data that carries the decision (channels may pass it on, see bot.channels.rest).
ANSWER_DATA_KEY = "answer"


class Professional(str, enum.Enum):
    """Who the person should ask when an answer touches their health."""

    DOCTOR = "doctor"
    PHARMACIST = "pharmacist"
    DERMATOLOGIST = "dermatologist"
    PAEDIATRICIAN = "paediatrician"
    ALLERGIST = "allergist"
    HEALTHCARE_PROFESSIONAL = "healthcare_professional"


class Verdict(str, enum.Enum):
    """The answer's headline, on one scale across topics (store verdicts map onto it)."""

    YES = "yes"
    GENERALLY_YES = "generally_yes"
    CAUTION = "caution"
    AVOID = "avoid"
    NO = "no"
    NO_KNOWN_RISK = "no_known_risk"
    LIMITED_EVIDENCE = "limited_evidence"
    KNOWN_RISK = "known_risk"
    UNKNOWN = "unknown"  # the store holds nothing on it: we say so
    INFO = "info"  # a factual answer without a yes/no


#: Which disclaimer wins when an answer touches several risks (most specific first).
RISK_PRIORITY = (Risk.REACTION, Risk.ALLERGY, Risk.CHILDREN, Risk.MEDICINES, Risk.SKIN_CONDITION,
                 Risk.LIFE_STAGE, Risk.SIDE_EFFECTS, Risk.NONE)


def strongest_risk(risks: list[Risk] | tuple[Risk, ...]) -> Risk:
    """The risk whose disclaimer the answer carries."""
    return next((r for r in RISK_PRIORITY if r in risks), Risk.NONE)


@dataclass(frozen=True)
class Point:
    """One thing the answer says: a template name and the values it is filled with."""

    template: str
    values: Mapping[str, Any] = field(default_factory=dict)


def point(template: str, **values: Any) -> Point:
    """Shorthand for a Point."""
    return Point(template, values)


@dataclass(frozen=True)
class Section:
    """What one consideration contributes (an allergy, a life stage...): points, verdict, risk, who to ask."""

    points: tuple[Point, ...]
    verdict: Verdict = Verdict.INFO
    risk: Risk = Risk.NONE
    professional: Professional | None = None
    tags: tuple[str, ...] = ()
    considered: tuple[str, ...] = ()


@dataclass(frozen=True)
class Decision:
    """A whole answer, decided: the renderer words it, tests and channels can read it as data."""

    topic: Topic | None
    ingredient: str | None
    verdict: Verdict
    points: tuple[Point, ...]
    risk: Risk = Risk.NONE
    professional: Professional | None = None
    follow_ups: tuple[Topic, ...] = ()
    offer_person: bool = False
    ingredient_choices: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    considered: tuple[str, ...] = ()
    kind: str = "answer"  # answer | unknown_ingredient | which_ingredient | profile | cannot_help | regulation ...
    #: What EU rules say, as data (bot.answers.regulation): status, annex entries cited, attribution.
    regulation: Mapping[str, Any] | None = None

    def as_data(self) -> dict[str, Any]:
        """The decision as plain JSON data (sent alongside the text so clients and tests can read it)."""
        return {
            "kind": self.kind,
            "topic": self.topic.value if self.topic else None,
            "ingredient": self.ingredient,
            "verdict": self.verdict.value,
            "disclaimer": self.risk.value if self.risk is not Risk.NONE else None,
            "professional": self.professional.value if self.professional else None,
            "points": [p.template for p in self.points],
            "considered": list(self.considered),
            "tags": list(self.tags),
            **({"regulation": dict(self.regulation)} if self.regulation is not None else {}),
        }


def combine(topic: Topic, ingredient: str | None, main: Section, lead: list[Section], extra: list[Section],
            follow_ups: tuple[Topic, ...] = (), offer_person: bool = False) -> Decision:
    """One decision from the asked-about section, sections that lead it (allergies) and that follow it."""
    sections = [*lead, main, *extra]
    risks = [s.risk for s in sections]
    risk = strongest_risk(risks)
    owner = next((s for s in sections if s.risk is risk and s.professional), None)
    professional = owner.professional if owner else next((s.professional for s in sections if s.professional),
                                                         None)
    verdict = lead[0].verdict if lead else main.verdict
    tags = tuple(dict.fromkeys(t for s in sections for t in s.tags))
    considered = tuple(dict.fromkeys(c for s in sections for c in s.considered))
    return Decision(topic=topic, ingredient=ingredient, verdict=verdict,
                    points=tuple(p for s in sections for p in s.points), risk=risk, professional=professional,
                    follow_ups=follow_ups, offer_person=offer_person, tags=tags, considered=considered)
