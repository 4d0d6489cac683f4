"""Causes, not sentences: each general rule added after measuring the fourth author's batch (the even
positions of dev_extra3.yml) is checked here both ways, on messages written for this file (not taken from
any corpus file). The second net is switched off: these are the rules' own verdicts."""

from __future__ import annotations

import pytest

from bot.safety import emergency
from bot.safety.emergency import EmergencyKind, SafetyVerdict, assess_message


@pytest.fixture(autouse=True)
def rules_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(emergency, "_second_net", lambda: None)


ANAPHYLAXIS, SWALLOWED, EYE, BURN = (EmergencyKind.ANAPHYLAXIS, EmergencyKind.SWALLOWED, EmergencyKind.EYE,
                                     EmergencyKind.BURN)


@pytest.mark.parametrize(("text", "kind"), [
    # a closing verb ending in "shut" says it by itself, whatever the body word before it
    ("ugh its squeezing shut, i can feel it in my neck", ANAPHYLAXIS),
    # the medical word for allergic swelling, in English and French
    ("i think this is angioedema, lips are going", ANAPHYLAXIS),
    ("angio-oedème après la crème, aidez moi", ANAPHYLAXIS),
    # a size word before a lesion describes the lesion: the blister decides the kind
    ("massive blister on his neck after the depilatory cream", BURN),
    # colloquial verbs of drinking, in five languages
    ("my toddler chugged the micellar water", SWALLOWED),
    ("se zampo medio bote de crema solar", SWALLOWED),
    ("il a englouti le tube de creme", SWALLOWED),
    ("er hat die ganze lotion ausgetrunken", SWALLOWED),
    ("si e scolato il tonico", SWALLOWED),
    ("o menino tragou o tonico", SWALLOWED),
    # "what do we do" followed by the news is a plea for help, not a hypothetical
    ("what do we do our son drank a capful of acid toner", SWALLOWED),
    # skin gone white and burning is a chemical burn even when no product is named
    ("the skin on my chin is white now and burning", BURN),
    # French "impossible d'ouvrir l'oeil"
    ("impossible d'ouvrir les yeux apres le gommage, ca brule", EYE),
])
def test_new_general_rules_catch_the_emergency(text: str, kind: EmergencyKind) -> None:
    assessment = assess_message(text)
    assert (assessment.verdict, assessment.kind) == (SafetyVerdict.EMERGENCY, kind)


@pytest.mark.parametrize("text", [
    "the jar lid wont shut properly",
    "can retinol cause angioedema?",
    "huge pimple on my chin, what spot treatment",
    "I chugged water after the workout, which moisturiser",
    "se zampo una pizza entera",
    "what do we do if our son drinks acid toner",
    "my skin is pale and dry in winter",
    "impossible d'ouvrir le flacon",
])
def test_new_general_rules_leave_the_look_alikes_alone(text: str) -> None:
    assert assess_message(text).verdict is SafetyVerdict.NONE


@pytest.mark.parametrize(("text", "kind"), [
    ("huge lips and cheeks after the mask", ANAPHYLAXIS),  # a size word before a body part still swells
    ("i am suffocating, cant breathe after the spray", ANAPHYLAXIS),  # a person suffocating
    ("she is fainting after the lotion", ANAPHYLAXIS),
    ("cant say exactly how much, my daughter drank the toner", SWALLOWED),  # "say" without a supposition
    ("lightheaded with hives all over after the serum", ANAPHYLAXIS),
    ("chest tight and wheezing after the cat shampoo", ANAPHYLAXIS),  # a product for cats is a product
    ("hives all over my body and my throat is closing", ANAPHYLAXIS),  # "all over" the body is not "it's over"
    ("la crema mi e finita nell'occhio e brucia tantissimo", EYE),  # "finita nell'occhio": ended up in the eye
    ("le cayo serum en los ojos a mi hija y le arde mucho", EYE),
])
def test_cues_for_look_alikes_do_not_take_back_real_emergencies(text: str, kind: EmergencyKind) -> None:
    assessment = assess_message(text)
    assert (assessment.verdict, assessment.kind) == (SafetyVerdict.EMERGENCY, kind)


@pytest.mark.parametrize("text", [
    # a thing, not a person, is suffocating; a piece of furniture is fainting
    "this moisturiser feels suffocating on my face, too heavy",
    "love the fainting couch on your instagram",
    # suppositions and wishes
    "suppose my son gets the peel in his eye, what then",
    "lets say i swallowed some toner, is it toxic",
    "i dont want the serum to get in my eyes, is there a dropper",
    "si a mi hija le cae serum en los ojos, que hago?",
    # another cause: an empty stomach, pets, tiredness, the morning
    "felt a bit lightheaded after skipping breakfast, also a rash",
    "my chest gets tight around cats, is the fragrance free line ok",
    "eyes puffy and swollen from being so tired",
    "palpebre gonfie al mattino, che crema?",
    # over, long ago
    "yesterday my lips swelled but its over now, which balm",
    "j'ai eu la gorge serree hier mais c'est fini",
    "als baby hat er mal creme gegessen, ist lange her",
])
def test_look_alike_cues_take_the_symptom_back(text: str) -> None:
    assert assess_message(text).verdict is SafetyVerdict.NONE


def test_two_different_signs_of_a_reaction_are_an_emergency() -> None:
    """Hives alone asks; hives with a tingling tongue is an allergic reaction spreading: emergency."""
    assert assess_message("hives everywhere").verdict is SafetyVerdict.ASK
    combined = assess_message("hives and my tongue feels tingly")
    assert (combined.verdict, combined.kind) == (SafetyVerdict.EMERGENCY, ANAPHYLAXIS)


@pytest.mark.parametrize("text", [
    "i think im having an allergic reaction, hives",  # "a reaction" names the suspicion, it is not a sign
    "hives, hives everywhere",  # one sign said twice
])
def test_one_sign_said_twice_still_asks(text: str) -> None:
    assert assess_message(text).verdict is SafetyVerdict.ASK
