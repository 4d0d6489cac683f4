"""Phrasing families added after the ninth author's tuning half (dev_extra8.yml, even positions): one severe sign in
unusual words told by a carer or a parent, and the near-misses around it. Checked on messages written for this file
(none copied from a corpus file), by the rules alone, both ways: each family is caught (or left alone) in the
languages it was written for, and the messages on the other side of its line keep their verdict."""

from __future__ import annotations

import pytest

from bot.safety.emergency import NET_EVIDENCE, EmergencyKind, SafetyVerdict, assess_message

ANA, SWALLOWED, EYE, BURN = (EmergencyKind.ANAPHYLAXIS, EmergencyKind.SWALLOWED, EmergencyKind.EYE,
                             EmergencyKind.BURN)


@pytest.mark.parametrize(("text", "kind"), [
    # a child (or a person named as one) gone limp, in the six languages
    ("my grandson went all limp after the bath lotion, hes got blotches", ANA),
    ("she is limp in my arms since the new baby wash", ANA),
    ("mi nieta esta flojita despues de la crema, tiene ronchas", ANA),
    ("mi hijo se quedo como un trapo con el protector", ANA),
    ("ma fille est toute molle apres le gel douche", ANA),
    ("unser baby ist ganz schlaff nach dem badezusatz", ANA),
    ("la mia bimba e tutta molle dopo la crema", ANA),
    ("meu neto ficou molinho depois da pomada", ANA),
    # about to black out, with a skin sign: an emergency (German, Spanish, French, Italian, Portuguese)
    ("mir wird schwarz vor augen, der ganze arm voller quaddeln", ANA),
    ("veo todo negro y me salieron ronchas por la locion", ANA),
    ("je vois noir et j ai des plaques rouges partout apres le serum", ANA),
    ("vedo tutto nero e ho pomfi ovunque", ANA),
    ("vejo tudo preto e estou cheia de urticaria", ANA),
    # noisy breathing named by its sound
    ("my dad has a rattle when he breathes since he tried the new balm", ANA),
    ("my toddler has noisy breathing after the cream got on her face", ANA),
    # eyes swollen so much that the person cannot see: a swelling, not an eye injury
    ("her eyes have puffed so much she can hardly see after the sheet mask", ANA),
    # drooling with a swallow that will not come, a tongue gone thick or heavy, a person who sounds croaky
    ("my granddad is dribbling and cant swallow since the aftershave balm", ANA),
    ("my tongue feels heavy since i tried the lip oil", ANA),
    ("my wife sounds croaky and her lips are tingling", ANA),
    ("tengo la lengua pesada desde el serum", ANA),
    ("j ai la langue lourde depuis le baume", ANA),
    ("meine zunge ist so schwer seit dem lippenbalsam", ANA),
    ("ho la lingua pesante dopo il siero", ANA),
    ("estou com a lingua pesada depois do protetor", ANA),
    # drunk from a tester or a shop bottle; a swallow of a product
    ("a little boy at our counter drank from the tester of body wash", SWALLOWED),
    ("my niece took a swallow of the exfoliant", SWALLOWED),
    # a burning that rinsing does nothing for
    ("my cheeks are stinging since the acid, washing it off made no difference", BURN),
])
def test_new_emergency_families_are_caught(text: str, kind: EmergencyKind) -> None:
    assessment = assess_message(text)
    assert (assessment.verdict, assessment.kind) == (SafetyVerdict.EMERGENCY, kind)
    assert assessment.evidence != NET_EVIDENCE  # caught by a rule, not left to the second net


@pytest.mark.parametrize("text", [
    # limp hair, limp curls, walking with a limp; a product's soft texture; an adult only tired
    "my fringe goes limp by lunchtime, which dry shampoo",
    "she says her hair is limp after the conditioner",
    "he has had a limp since his knee operation, need a gentle foot cream",
    "el gel esta flojo de textura, es normal",
    "la texture du baume est toute molle, normal ?",
    "er ist schlapp vom training, welches duschgel",
    "o creme ficou mole com o calor",
    "la crema e molle, va bene lo stesso?",
    # teething drool, pills that will not go down, a voice tired from singing
    "my little one is teething and drooling all day, which chin balm",
    "my son wont swallow his vitamin tablets, any gummies",
    "i sound croaky after singing all night, need a lip balm",
    # drinking water from one's own bottle
    "i drank out of my water bottle right after putting on sunscreen, fine?",
    # what would mean calling an ambulance, asked in general
    "for our care home folder: what reactions to a lotion mean you should call an ambulance",
    # a past event a professional said was fine
    "my son swallowed a little bath foam on saturday, poison line said hes fine, which foam is safer",
    "got a bit of shampoo in her eye, the nurse said shes fine, any tear free one",
    # gone: a clause of its own
    "rash from the new detergent last month, antihistamine, all gone, which body lotion now",
    # an alarm word in a product's name
    "is the patch called blister guard any good for new shoes",
    "una crema llamada quemadura cero, funciona?",
])
def test_near_miss_families_are_left_alone(text: str) -> None:
    assert assess_message(text).verdict is SafetyVerdict.NONE


@pytest.mark.parametrize(("text", "kind"), [
    # the professional's word stops where something changed since, and never answers for a sign of the body
    ("he drank the toner, 111 said he would be ok but now hes floppy and grey", SWALLOWED),
    ("she drank some micellar water, the nurse said shes fine but now shes vomiting with hives", SWALLOWED),
    ("my daughter drank some toner, poison control said its fine to give her milk", SWALLOWED),
    ("she cant breathe properly, the pharmacist said she is fine", ANA),
    ("my son swallowed the cream and his lips are swelling, nurse said hes fine", ANA),
    # "all gone" as its own clause only: a voice all gone is a sign
    ("my throat is tight and my voice is all gone", ANA),
    ("her lips swelled after the cream, all gone now but she is wheezing", ANA),
    # "since last weekend" brings the story to now
    ("since last weekend her face has been peeling off in sheets after the peel", BURN),
    # limp hair named elsewhere in the message does not take back a child gone limp
    ("my baby went limp after i washed her hair with the new shampoo", ANA),
    # a product's name only when the word follows "called" directly
    ("i used a mask called glow and now my face is blistering", BURN),
    # a call weighed now is not a general question: "time to call", "when to call" with the sign told
    ("time to call an ambulance, his throat is closing", ANA),
    ("we called an ambulance, she fainted", ANA),
])
def test_the_new_cues_keep_real_emergencies(text: str, kind: EmergencyKind) -> None:
    assessment = assess_message(text)
    assert (assessment.verdict, assessment.kind) == (SafetyVerdict.EMERGENCY, kind)
    assert assessment.evidence != NET_EVIDENCE


@pytest.mark.parametrize("text", [
    # a call asked about for this person now is not the general question the new cue lets go
    "should i call an ambulance? her lips are a bit puffy",
    "when to call an ambulance my baby drank half the toner",
])
def test_a_call_weighed_now_still_alarms(text: str) -> None:
    assert assess_message(text).verdict is SafetyVerdict.EMERGENCY


def test_black_before_the_eyes_alone_asks() -> None:
    # short of a second sign (no hives, no swelling) it is the one triage question, not the alarm
    text = "mir wird schwarz vor augen wenn ich zu schnell aufstehe"
    assert assess_message(text).verdict is SafetyVerdict.ASK
