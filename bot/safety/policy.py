"""The assistant's safety policy, in one place: how staff see an emergency, what to say after a
reaction, and which short disclaimer goes with which kind of health-adjacent answer.

Nothing here is about a particular ingredient; ingredient-specific advice (e.g. a profile's "on
reaction" advice) is passed in by the caller from the knowledge store.
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


_DISCLAIMERS: dict[Risk, str] = {
    Risk.LIFE_STAGE: (
        "General information, not medical advice: please check with your doctor, midwife or pharmacist "
        "before adding new products while pregnant or breastfeeding."
    ),
    Risk.ALLERGY: (
        "General information, not medical advice: if you have a diagnosed allergy, ask your doctor or "
        "allergist before trying it."
    ),
    Risk.SIDE_EFFECTS: (
        "General information, not medical advice: if a reaction is severe or doesn't settle, see a "
        "pharmacist or doctor."
    ),
    Risk.SKIN_CONDITION: (
        "I can only give general cosmetic information: for a skin condition, a dermatologist or doctor is "
        "the right person to ask."
    ),
    Risk.CHILDREN: (
        "General information, not medical advice: for a baby or child, ask a pharmacist or paediatrician "
        "before using any new skincare product."
    ),
    Risk.MEDICINES: (
        "General information, not medical advice: I hold no data on how it combines with medicines or "
        "strong actives, so check with a pharmacist or the doctor who prescribed them."
    ),
    Risk.REACTION: (
        "This is general information, not a diagnosis. If you're worried, or it spreads or gets worse, "
        "contact a doctor or pharmacist today."
    ),
}


def disclaimer_for(risk: Risk) -> str | None:
    """The short disclaimer that goes with an answer of this risk level (None for everyday answers)."""
    return _DISCLAIMERS.get(risk)


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


def reaction_steps(ingredient_advice: str | None) -> str:
    """What to do after a (non-emergency) adverse reaction, with the profile's own advice when known."""
    steps = (
        "Stop using the product. Rinse the area gently with cool water and don't apply other new products "
        "until your skin has calmed down."
    )
    if ingredient_advice:
        steps += f" {ingredient_advice.rstrip('.')}."
    steps += (
        " See a pharmacist or doctor if it hasn't settled within a day or two, or sooner if it is painful "
        "or spreading. If you notice trouble breathing, swelling of your lips, tongue, face or throat, or "
        "you feel faint, get emergency help straight away."
    )
    return steps


def cosmetic_not_treatment(ingredient_name: str, verb: str, condition: str | None) -> str:
    """Why the assistant won't say an ingredient treats or cures a condition (verb: 'is' or 'are')."""
    what = condition or "a skin condition"
    plural = verb == "are"
    noun = "cosmetic ingredients, not medicines" if plural else "a cosmetic ingredient, not a medicine"
    subject = "they aren't" if plural else "it isn't"
    return (
        f"{ingredient_name} {verb} {noun}: {subject} meant to treat or cure {what}, "
        f"and I can't recommend {'them' if plural else 'it'} for that. A dermatologist or doctor can help with {what}."
    )
