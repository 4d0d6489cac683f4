"""Red flags are caught deterministically; ordinary skin talk is not mistaken for an emergency."""

from __future__ import annotations

import pytest

from bot.safety.claims import treatment_claims
from bot.safety.red_flags import RedFlag, detect_red_flag


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("I can't breathe properly after putting on the mask", RedFlag.BREATHING),
        ("having trouble breathing since i used the serum", RedFlag.BREATHING),
        ("im short of breath and wheezing", RedFlag.BREATHING),
        ("My lips are swelling up", RedFlag.SWELLING),
        ("my tongue feels swollen", RedFlag.SWELLING),
        ("swollen face and eyes after the cream", RedFlag.SWELLING),
        ("my throat feels tight", RedFlag.THROAT),
        ("it's hard to swallow", RedFlag.THROAT),
        ("I fainted after applying it", RedFlag.FAINTING),
        ("feeling really dizzy and light-headed", RedFlag.FAINTING),
        ("I think I'm having anaphylaxis", RedFlag.ANAPHYLAXIS),
        ("I CAN’T BREATHE", RedFlag.BREATHING),
    ],
)
def test_emergency_symptoms_are_caught(text: str, flag: RedFlag) -> None:
    match = detect_red_flag(text)
    assert match is not None and match.flag is flag


@pytest.mark.parametrize(
    "text",
    [
        "are milk exosomes vegan?",
        "will it clog my pores",
        "my skin is a bit red after using it",
        "is it safe while breastfeeding",
        "I have no trouble breathing, just a little redness",
        "does it make skin sensitive to the sun",
        "",
        None,
    ],
)
def test_ordinary_messages_are_not_red_flags(text: str | None) -> None:
    assert detect_red_flag(text) is None


def test_treatment_claims_are_found_but_negations_and_product_names_are_not() -> None:
    assert treatment_claims("It cures eczema overnight.") == ["It cures eczema overnight."]
    assert treatment_claims("This serum heals acne scars.")
    assert treatment_claims("It isn't meant to treat or cure eczema.") == []
    assert treatment_claims("Found in soothing after-sun treatments.") == []
