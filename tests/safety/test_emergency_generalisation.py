"""Causes, not sentences: each general rule added after measuring the second author's batch (dev_extra.yml)
is checked here on messages written for this file (not taken from any corpus file), both ways."""

from __future__ import annotations

import pytest

from bot.safety.emergency import _CORRECTOR, EmergencyKind, SafetyVerdict, assess_message
from bot.safety.text_normal import tokens


@pytest.mark.parametrize(("text", "expected"), [
    ("plzzz i caaant breeeathe", ["please", "i", "cant", "breathe"]),  # stretched: one letter when it is a word
    ("sooo gooood", ["so", "good"]),  # otherwise two
    ("mylips isswelling cantbreathe", ["my", "lips", "is", "swelling", "cant", "breathe"]),  # glued words
    ("the island therapist", ["the", "island", "therapist"]),  # real words are not split
])
def test_stretched_and_glued_words_are_read_as_typed_on_purpose(text: str, expected: list[str]) -> None:
    assert tokens(text, _CORRECTOR) == expected


@pytest.mark.parametrize(("text", "kind"), [
    ("hisface isswollen", EmergencyKind.ANAPHYLAXIS),
    ("i dont think i can breathe right", EmergencyKind.ANAPHYLAXIS),  # a negated ability, not a negated symptom
    ("my throat feels like its the width of a straw", EmergencyKind.ANAPHYLAXIS),
    ("she is breathing really fast and has hives", EmergencyKind.ANAPHYLAXIS),
    ("lips doubled in size and tongue feels thick", EmergencyKind.ANAPHYLAXIS),
    ("sever allergic reaction help", EmergencyKind.ANAPHYLAXIS),
    ("i'm allergic to something in this mask and my throat is tight", EmergencyKind.ANAPHYLAXIS),
    ("struggling to swallow after the lip plumper", EmergencyKind.ANAPHYLAXIS),  # cosmetic cue: swelling only
    ("my skin has bubbled up after the peel", EmergencyKind.BURN),
    ("my son took a swig of the toner", EmergencyKind.SWALLOWED),
    ("her breath smells of nail polish remover, shes 2", EmergencyKind.SWALLOWED),
    ("cant keep my eye open after the acid went in", EmergencyKind.EYE),
    ("my peepers are burning after the serum got in them", EmergencyKind.EYE),  # slang body word
    ("mi hija se ha bebido el quitaesmalte", EmergencyKind.SWALLOWED),
    ("no los puedo abrir, me entro jabon en los ojos y arde", EmergencyKind.EYE),
    ("minha filha tomou um gole de acetona", EmergencyKind.SWALLOWED),
    ("mon fils a bu une gorgee de dissolvant", EmergencyKind.SWALLOWED),
    ("mio figlio ha bevuto un sorso di acetone", EmergencyKind.SWALLOWED),
    ("despues del peeling la piel se me puso blanca", EmergencyKind.BURN),
    # the same signs in every language: lips turning blue, chest tightness, calling for help
    ("se le pusieron los labios morados", EmergencyKind.ANAPHYLAXIS),
    ("ses levres sont bleues", EmergencyKind.ANAPHYLAXIS),
    ("die lippen sind blau nach der creme", EmergencyKind.ANAPHYLAXIS),
    ("os labios dele estao roxos", EmergencyKind.ANAPHYLAXIS),
    ("me aprieta el pecho", EmergencyKind.ANAPHYLAXIS),
    ("mi stringe il petto", EmergencyKind.ANAPHYLAXIS),
    ("enge in der brust nach der creme", EmergencyKind.ANAPHYLAXIS),
    ("aperto no peito depois do creme", EmergencyKind.ANAPHYLAXIS),
    ("je n arrive pas a reprendre mon souffle", EmergencyKind.ANAPHYLAXIS),
    ("nao consigo puxar o ar", EmergencyKind.ANAPHYLAXIS),
    ("non riesco a prendere aria", EmergencyKind.ANAPHYLAXIS),
    ("vamos camino a urgencias, tiene la cara hinchada", EmergencyKind.ANAPHYLAXIS),
    ("hes got cream all around his mouth and hes 2", EmergencyKind.SWALLOWED),
    ("my baby was sucking on the tube of serum", EmergencyKind.SWALLOWED),
])
def test_general_rules_catch_new_phrasings(text: str, kind: EmergencyKind) -> None:
    assessment = assess_message(text)
    assert (assessment.verdict, assessment.kind) == (SafetyVerdict.EMERGENCY, kind)


@pytest.mark.parametrize("text", [
    "can i use this on my eyes?",
    "does this eye cream reduce swelling?",  # a cosmetic verb inside the swelling phrase
    "tengo la piel blanca, que protector uso?",  # pale skin is a skin type, not a burn without a peel
    "minha pele e branca, qual protetor?",
    "my lips look swollen in this selfie lol",
    "my wallet is crying after this haul",
    "my bank balance is on fire",
    "i swallowed my vitamins with water, can i take them with retinol?",
    "chest tight from laughing so hard",
    "my kid always swallows a bit of toothpaste, is that ok?",
    "does it help with puffy eyes in the mornings?",
    "esse creme ajuda com olhos inchados?",
    "da piccolo ho avuto uno shock anafilattico, posso usarlo?",
    "o batom deixou os labios roxos",  # make-up, not cyanosis
    "labios azules de frio? no, es el pintalabios azul",
    "le vernis a ongles bleu est joli",
    "fui a urgencias el ano pasado por una alergia",
    "una vez se me hincharon los labios con una crema, esta es segura?",  # "once", in each language
    "une fois mes levres ont gonfle, est ce que ce produit est ok?",
    "einmal sind meine lippen geschwollen, ist die creme ok?",
    "im breathing heavily after my run, what moisturiser for sweaty skin?",  # exercise is the cause
    "my breathing is off when i have a cold, any balm?",  # a habit, not an event
    "i need to lie down after this workday, any relaxing mask?",
])
def test_general_cues_keep_near_misses_harmless(text: str) -> None:
    assert assess_message(text).verdict is SafetyVerdict.NONE


# The third author's batch (dev_extra2.yml): general rules added after measuring it, checked on new messages.
@pytest.mark.parametrize(("text", "expected"), [
    ("her face won't stop swelling", ["her", "face", "keeps", "swelling"]),  # a negated stop goes on
    ("la cara no para de hincharse", ["la", "cara", "sigue", "hincharse"]),
    ("ses levres n'arretent pas de gonfler", ["ses", "levres", "continue", "de", "gonfler"]),
    ("i don't want to stop using it", ["i", "dont", "want", "to", "stop", "using", "it"]),  # no "stop X-ing" to negate
    ("two swelings", ["two", "swellings"]),  # the stem of a misspelt inflection corrected
    ("chest tigthening", ["chest", "tightening"]),
])
def test_negated_stop_and_misspelt_inflections_are_normalised(text: str, expected: list[str]) -> None:
    assert tokens(text, _CORRECTOR) == expected


@pytest.mark.parametrize(("text", "kind"), [
    ("his lips wont stop getting bigger", EmergencyKind.ANAPHYLAXIS),
    ("la lingua non smette di gonfiarsi", EmergencyKind.ANAPHYLAXIS),
    ("its getting harder and harder to breathe", EmergencyKind.ANAPHYLAXIS),  # comparative
    ("my windpipe is tigthening", EmergencyKind.ANAPHYLAXIS),
    ("dad collapsed in the hall, he had used the beard balm earlier", EmergencyKind.ANAPHYLAXIS),  # "had" later
    ("my mouths swelling", EmergencyKind.ANAPHYLAXIS),  # "mouth's"
    ("my cheeks swole right up and i can hardly talk", EmergencyKind.ANAPHYLAXIS),
    ("theres a squeaky sound when he breathes in", EmergencyKind.ANAPHYLAXIS),
    ("elle se sent partir apres la creme", EmergencyKind.ANAPHYLAXIS),
    ("my forehead went grey after the glycolic", EmergencyKind.BURN),  # a named body part with a product
    ("white spots where the tca touched my skin, it stings", EmergencyKind.BURN),
    ("the acid burned my face, red and raw", EmergencyKind.BURN),
    ("fluid filled bumps popping up after the chemical peel", EmergencyKind.BURN),
    ("a pele do rosto ficou com uma bolha enorme depois do acido", EmergencyKind.BURN),
    ("my eyeball is killing me since the toner splashed", EmergencyKind.EYE),
    ("got serum in my eye and now i cant look at the light", EmergencyKind.EYE),
])
def test_third_batch_rules_catch_new_phrasings(text: str, kind: EmergencyKind) -> None:
    assessment = assess_message(text)
    assert (assessment.verdict, assessment.kind) == (SafetyVerdict.EMERGENCY, kind)


@pytest.mark.parametrize("text", [
    "i struggle to swallow big tablets, do you make the collagen as a powder?",
    "is the epipen trainer in the first aid kit latex free?",
    "my daughter cries when it gets in her eyes, is there a tear-free wash?",
    "o que faco se o creme cair no olho?",
    "cosa devo fare se il siero mi va negli occhi?",
    "que faire si ma fille avale du dentifrice ?",
    "ich hatte letzte woche creme im auge, ist aber schon wieder gut",
    "tuve urticaria con nueces de pequeña, ¿la crema tiene frutos secos?",
    "my skin needs to breathe, is the foundation non-comedogenic?",
    "let your pores breathe: does the clay mask unclog them?",
    "the peel last week left a small white patch, it's faded now, is that normal?",
])
def test_third_batch_cues_keep_near_misses_harmless(text: str) -> None:
    assert assess_message(text).verdict is SafetyVerdict.NONE


@pytest.mark.parametrize(("text", "kind"), [
    ("le salpico lejia en el ojo", EmergencyKind.EYE),  # a chemical in the eye, in every language
    ("de l'acide dans l'oeil de ma fille", EmergencyKind.EYE),
    ("bleichmittel ins auge bekommen", EmergencyKind.EYE),
    ("candeggina nell'occhio", EmergencyKind.EYE),
    ("respingou agua sanitaria no olho dele", EmergencyKind.EYE),
    ("mi fanno male gli occhi da quando ci e schizzato il detergente", EmergencyKind.EYE),  # eye after the verb
    ("die augen tun weh seit das shampoo reingelaufen ist", EmergencyKind.EYE),
    ("se me esta cayendo la piel en pedazos tras el peeling", EmergencyKind.BURN),
    ("tengo el cuello quemado por el tinte", EmergencyKind.BURN),
    ("ampollas por la crema depilatoria", EmergencyKind.BURN),  # depilatory cream is a chemical, not waxing
    ("sa peau part en plaques apres l'acide", EmergencyKind.BURN),
])
def test_other_languages_catch_chemicals_in_the_eye_and_burns(text: str, kind: EmergencyKind) -> None:
    assessment = assess_message(text)
    assert (assessment.verdict, assessment.kind) == (SafetyVerdict.EMERGENCY, kind)


@pytest.mark.parametrize("text", [
    "minha filha comeu areia na praia kkkk, o protetor infantil e bom?",  # laughter: not a poisoning
    "esse gloss deixa a boca inchada tipo preenchimento?",
    "got toner in my eye this morning, rinsed it and it's totally fine",
    "shampoo in his eyes at bath time, he cried a bit and is playing happily now",
    "depilacion con cera: me salen granitos, que crema uso?",
])
def test_other_cues_keep_near_misses_harmless(text: str) -> None:
    assert assess_message(text).verdict is SafetyVerdict.NONE
