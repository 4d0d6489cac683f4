"""The assistant's safety policy, in one place: how health-adjacent an answer is (its risk, which
decides the disclaimer) and how staff see an emergency.

The words people read (the disclaimers, what to do after a reaction) live with the rest of the reply
text in ``bot.answers.templates``. Nothing here is about a particular ingredient.
"""

from __future__ import annotations

import enum


class Risk(str, enum.Enum):
    """How health-adjacent an answer is; decides the disclaimer."""

    NONE = "none"
    LIFE_STAGE = "life_stage"  # pregnancy, breastfeeding
    ALLERGY = "allergy"
    SIDE_EFFECTS = "side_effects"
    SKIN_CONDITION = "skin_condition"  # eczema, acne, rosacea... and any treatment question
    CHILDREN = "children"  # babies and children
    MEDICINES = "medicines"  # used together with medicines or strong actives
    REACTION = "reaction"  # the person reports a reaction they have now


#: What staff read first on an emergency ticket, per emergency kind (bot.safety.emergency.EmergencyKind
#: values); the kind is also the ticket's tag. The replies themselves are domain responses
#: (`utter_emergency` in domain.yml, one per kind and language) so that Rasa sends them without the
#: action server. Their first aid follows public guidance:
#:   anaphylaxis: NHS "Anaphylaxis" (https://www.nhs.uk/conditions/anaphylaxis/), Anaphylaxis UK "What to
#:     do in an emergency" (https://www.anaphylaxis.org.uk/what-to-do-in-an-emergency/), EpiPen Ireland
#:     (http://www.epipen.ie/question/after-using-my-adrenaline-auto-injector-what-should-i-do/): use the
#:     adrenaline auto-injector without delay, call the emergency number and say "anaphylaxis", lie flat
#:     with legs raised (sit up if breathing is hard), don't stand up or walk even if feeling better.
#:   swallowed: St John Ambulance "Poisoning" (via goodtoknow.co.uk), BayCare "What to do if your child
#:     swallows poison" (https://baycare.org/health-library/what-to-do-if-your-child-swallows-poison):
#:     call the poison centre or emergency number, don't make them vomit, keep the packaging.
#:   eye: Mayo Clinic "Chemical splash in the eye: first aid"
#:     (https://www.mayoclinic.org/first-aid/first-aid-eye-emergency/basics/ART-20056647), Poison Control
#:     (https://www.poison.org/tips/splashed-something-in-your-eye): flush with lukewarm water for at
#:     least 15 minutes, remove contact lenses, don't rub, then emergency eye care.
#:   burn: NHS "Burns and scalds" (https://www.nhs.uk/conditions/burns-and-scalds/), burnscentre.org
#:     "Chemical burns" (http://burnscentre.org/chemical-burns/): rinse with cool running water for 20
#:     minutes, nothing on the burn, don't burst blisters, urgent care (face, large area, feeling unwell).
EMERGENCY_TICKET_REASONS: dict[str, str] = {
    "anaphylaxis": "Emergency: signs of anaphylaxis (severe allergic reaction)",
    "swallowed": "Emergency: product swallowed",
    "eye": "Emergency: product in the eye with pain or blurred vision",
    "burn": "Emergency: chemical burn, blistering or peeling skin",
}


def emergency_ticket_reason(kind: str | None) -> str:
    """The ticket reason for an emergency of this kind (anaphylaxis when the kind is unknown)."""
    return EMERGENCY_TICKET_REASONS.get(kind or "", EMERGENCY_TICKET_REASONS["anaphylaxis"])
