"""Causes, not sentences: each general rule added after measuring the fifth author's batch (the even
positions of dev_extra4.yml) is checked here both ways, on messages written for this file (not taken from
any corpus file). The second net is switched off: these are the rules' own verdicts."""

from __future__ import annotations

import pytest

from bot.safety import emergency
from bot.safety.emergency import EmergencyKind, SafetyVerdict, assess_message


@pytest.fixture(autouse=True)
def rules_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(emergency, "_second_net", lambda: None)


ANAPHYLAXIS, SWALLOWED, BURN = EmergencyKind.ANAPHYLAXIS, EmergencyKind.SWALLOWED, EmergencyKind.BURN


@pytest.mark.parametrize(("text", "kind"), [
    # owning no pen is no history of a reaction
    ("i dont have an epi pen and my lips are swelling fast", ANAPHYLAXIS),
    ("she doesnt carry an epipen and her throat is tightening", ANAPHYLAXIS),
    # a pen named first, then "had to use it"; a sign in the present anywhere in the history's clause
    ("i carry an epipen and i just had to use it, my throat closed up after the cream", ANAPHYLAXIS),
    ("i had anaphylaxis as a kid and my throat is tightening now after the mask", ANAPHYLAXIS),
    # breathing getting worse; a collapse said in non-native English
    ("my breathing is getting worse since the spray", ANAPHYLAXIS),
    ("my mother after lotion have big red spots and she fall down", ANAPHYLAXIS),
    # a feeling of doom is a sign: with hives, two signs
    ("i feel a sense of doom and my skin is covered in hives", ANAPHYLAXIS),
    # cannot speak, with the tongue or throat named, in the other languages
    ("no puede hablar, tiene la lengua enorme", ANAPHYLAXIS),
    ("je ne peux plus parler, ma gorge est gonflee", ANAPHYLAXIS),
    ("ich kann nicht mehr richtig sprechen, meine zunge ist dick", ANAPHYLAXIS),
    ("non riesco a parlare, ho la lingua gonfia", ANAPHYLAXIS),
    ("nao consigo falar, minha lingua ta enorme", ANAPHYLAXIS),
    ("ich bekomme kaum noch luft nach der creme", ANAPHYLAXIS),
    # a question first, then the news after a word that opens another topic
    ("bonjour je voulais savoir le prix et si vous livrez, au fait mon visage enfle et j'ai du mal a respirer",
     ANAPHYLAXIS),
    ("oi queria saber se e vegano e se entregam no porto, e minha garganta ta fechando agora", ANAPHYLAXIS),
    ("hola queria saber si es vegano, ah y otra cosa mi hija se acaba de beber el tonico", SWALLOWED),
    # open, bleeding skin after a peel; water blisters on the face
    ("tengo la piel abierta y sangra despues del peeling", BURN),
    ("j'ai des bulles d'eau sur le visage apres le masque", BURN),
])
def test_new_general_rules_catch_the_emergency(text: str, kind: EmergencyKind) -> None:
    assessment = assess_message(text)
    assert (assessment.verdict, assessment.kind) == (SafetyVerdict.EMERGENCY, kind)


@pytest.mark.parametrize("text", [
    # history: anyone's past reaction, ownership of a pen
    "my cousin had anaphylaxis from a tattoo ink, is the henna brow dye safe",
    "i own an epipen because of wasp stings, is the lotion ok",
    # resolved, said to be nothing, said not to hurt
    "got toner in my eye this morning, stung for a second then fine, is it tear free",
    "my lips swell a tiny bit with very spicy food, nothing serious, can i use the lip oil",
    "the eye cream got in my eye a bit, it's fine, no pain, should i apply it further away",
    # another cause: choice, heat, habits, coffee, an ailment, a knock
    "i feel so dizzy with all the options, which cleanser first",
    "the sauna makes my face swell a bit, is that normal",
    "my face is burning up when i blush, any green primer",
    "drank too much coffee and my heart is racing lol, which eye cream for tired eyes",
    "one eyelid is a bit swollen from a stye, which eye makeup remover is gentle",
    "woke up with a swollen lip, think i bit it in my sleep, can i use lip balm",
    # a lick of lip balm, food and drink
    "my daughter licked the lip balm, she is fine, is it safe for kids",
    "my baby ate some banana and got it on her cheeks, can i use the wipes",
    # over-exfoliated skin that is a bit raw, with nothing open
    "my skin feels a bit raw after the scrub, should i skip actives tonight",
    "my skin is raw from over exfoliating, nothing broken or weeping, what should i use",
    # what other people say; praise
    "the reviews say people's throats closed up from the spray, is that true?",
    "my skin is glowing like it's on fire after the vitamin c, in a good way",
    # Porto is a city, not "I carry"
    "vocês entregam no porto? queria o serum",
])
def test_new_general_rules_leave_the_look_alikes_alone(text: str) -> None:
    assert assess_message(text).verdict is SafetyVerdict.NONE


def test_a_little_dizziness_after_a_product_still_asks() -> None:
    """Only "it's fine, no pain" quiets a sign that asks; "a bit" does not make dizziness harmless."""
    assert assess_message("i feel a bit dizzy since using the serum").verdict is SafetyVerdict.ASK
