"""Small wording helpers shared by the answer composers: verdict phrases, lists, grammar."""

from __future__ import annotations

from collections.abc import Sequence

from knowledge.facts import EvidenceState, Likelihood, SuitabilityVerdict


def is_plural(name: str) -> bool:
    """Whether an ingredient name reads as plural ("milk exosomes" yes, "hyaluronic acid" no)."""
    last = name.strip().split()[-1].lower() if name.strip() else ""
    return last.endswith("s") and not last.endswith(("ss", "us", "is", "ics"))


def be(name: str) -> str:
    """'are' or 'is' to agree with the ingredient name."""
    return "are" if is_plural(name) else "is"


def does(name: str) -> str:
    """'do' or 'does' to agree with the ingredient name."""
    return "do" if is_plural(name) else "does"


def object_pronoun(name: str) -> str:
    """'them' or 'it' for the ingredient as an object."""
    return "them" if is_plural(name) else "it"


def sentence(text: str) -> str:
    """Text as a sentence: capitalised first letter, closing full stop."""
    text = " ".join(text.split())
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?" else f"{text}."


def capitalised(text: str) -> str:
    """First letter upper-cased, the rest untouched."""
    return text[:1].upper() + text[1:]


def join_words(items: Sequence[str], conjunction: str = "and") -> str:
    """'a', 'a and b', 'a, b and c'."""
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


SKIN_TYPE_LABELS = {"acne-prone": "acne-prone (breakout-prone) skin"}


def skin_label(skin_type: str) -> str:
    """'oily' -> 'oily skin'."""
    return SKIN_TYPE_LABELS.get(skin_type, f"{skin_type} skin")


def diet_people(diet: str) -> str:
    """'vegan' -> 'vegans'."""
    return f"{diet}s"


def skin_verdict_headline(name: str, skin: str, verdict: SuitabilityVerdict) -> str:
    """The first words of a skin-type answer: the verdict."""
    label = skin_label(skin)
    return {
        SuitabilityVerdict.SUITABLE: f"Yes: {name} {be(name)} a good fit for {label}.",
        SuitabilityVerdict.GENERALLY_TOLERATED: f"Generally yes: {label} usually tolerates {name} well.",
        SuitabilityVerdict.CAUTION: f"Go carefully: {name} may not suit {label}.",
        SuitabilityVerdict.AVOID: f"Probably best avoided: {name} {be(name)} not a good match for {label}.",
    }[verdict]


def diet_verdict_headline(name: str, diet: str, verdict: SuitabilityVerdict) -> str:
    """The first words of a diet answer: the verdict ("diet" may be several joined: "vegan or vegetarian")."""
    negative = "aren't" if is_plural(name) else "isn't"
    people = " or ".join(diet_people(d) for d in diet.split(" or "))
    return {
        SuitabilityVerdict.SUITABLE: f"Yes: {name} {be(name)} suitable for {people}.",
        SuitabilityVerdict.GENERALLY_TOLERATED: f"Usually yes: most {people} can use {name}.",
        SuitabilityVerdict.CAUTION: f"Not quite: {people} may want to think twice about {name}.",
        SuitabilityVerdict.AVOID: f"No: {name} {negative} {diet}.",
    }[verdict]


def allergen_verdict_headline(name: str, allergen: str, verdict: SuitabilityVerdict) -> str:
    """The first words of an allergy answer: the verdict."""
    return {
        SuitabilityVerdict.SUITABLE: f"With a {allergen} allergy, {name} {be(name)} not known to be a problem.",
        SuitabilityVerdict.GENERALLY_TOLERATED: (
            f"With a {allergen} allergy, {name} {be(name)} usually tolerated, but check with your doctor."
        ),
        SuitabilityVerdict.CAUTION: (
            f"With a {allergen} allergy, take care with {name}, or skip {object_pronoun(name)}."
        ),
        SuitabilityVerdict.AVOID: f"With a {allergen} allergy, it's best to avoid {name}.",
    }[verdict]


def evidence_headline(name: str, stage: str, evidence: EvidenceState) -> str:
    """The first words of a pregnancy/breastfeeding answer: what the evidence says."""
    phrases = {"pregnancy": "during pregnancy", "breastfeeding": "while breastfeeding"}
    during = " or ".join(phrases.get(s, f"in {s}") for s in stage.split(" or "))
    return {
        EvidenceState.NO_KNOWN_RISK: f"No known risk {during}, as far as current evidence goes.",
        EvidenceState.LIMITED_EVIDENCE: f"There isn't enough evidence yet about {name} {during}.",
        EvidenceState.KNOWN_RISK: f"Not recommended {during}: there is evidence of risk with {name}.",
    }[evidence]


LIKELIHOOD_WORDS = {
    Likelihood.RARE: "rare",
    Likelihood.UNLIKELY: "unlikely",
    Likelihood.UNCOMMON: "uncommon",
    Likelihood.COMMON: "fairly common",
}

COMEDOGENIC_SCALE = {
    0: "won't clog pores",
    1: "very low risk of clogging pores",
    2: "low risk of clogging pores",
    3: "moderate risk of clogging pores",
    4: "fairly high risk of clogging pores",
    5: "high risk of clogging pores",
}
