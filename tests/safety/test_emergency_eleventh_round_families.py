"""Phrasing families added after the eleventh author's tuning half (dev_extra10.yml, even positions): very short
messages, first-language grammar in English ("she no can swallow", "he not breathing"), the other languages without
accents, SMS spellings without vowels, workplaces reporting about someone, and the near-misses around them (an eye
rinsed and fine, a way to avoid it asked for, glasses that blur, the skin "drinking" a serum, a cream said to burn
fat, an attempt stopped, a puffy face after a night out). Checked on messages written for this file (none copied from
a corpus file), by the rules alone, both ways: each family is caught (or left alone) in the languages it was written
for, and the messages on the other side of its line keep their verdict."""

from __future__ import annotations

import pytest

from bot.safety.emergency import NET_EVIDENCE, EmergencyKind, SafetyVerdict, assess_message

ANA, SWALLOWED, EYE, BURN = (EmergencyKind.ANAPHYLAXIS, EmergencyKind.SWALLOWED, EmergencyKind.EYE,
                             EmergencyKind.BURN)


@pytest.mark.parametrize(("text", "kind"), [
    # a harsh product in the eye, even before a sign is told: hair developer, peroxide, sanitiser, acetone
    ("my daughter rubbed hand sanitiser into her eye", EYE),
    ("some peroxide developer dripped in his eye at the salon", EYE),
    ("client got hydrogen peroxide in her eye", EYE),
    ("a la clienta le salpico agua oxigenada en el ojo", EYE),
    ("du gel hydroalcoolique dans l oeil de mon fils", EYE),
    ("entwickler ist ihr ins auge gelaufen", EYE),
    ("al bambino e andato il gel igienizzante nell occhio", EYE),
    ("espirrou alcool em gel no olho dele", EYE),
    # a face or lips that "blew up"
    ("her lips blew up after the new gloss", ANA),
    ("his face has blown up since the sheet mask", ANA),
    ("my whole face blew up and i can barely see", ANA),
    # first-language grammar: "no can", "not can", a person not breathing
    ("my mother no can swallow after the cream", ANA),
    ("he not can breathe good", ANA),
    ("i no can open my eye after the toner go in", EYE),
    ("the baby not breathing good", ANA),
    ("help shes not breathing", ANA),
    ("my husband not breathe after the hair dye", ANA),
    # someone not breathing, told short, in the other languages
    ("socorro mi hija no respira", ANA),
    ("vite il respire pas", ANA),
    ("schnell er atmet nicht mehr", ANA),
    ("ajuda o bebe nao ta respirando", ANA),
    # SMS spellings without vowels
    ("cnt brth after the serum", ANA),
    ("thrt tight pls hlp", ANA),
    ("bby swllwd some toner", SWALLOWED),
    # the skin burned by a chemical, or split open
    ("burnt skin from the tca and it stings", BURN),
    ("my chin is split open after the acid", BURN),
    ("face is open and wet after the glycolic", BURN),
    ("la pelle si e spaccata dopo l acido", BURN),
    # a child named without an article in French, hair and body products swallowed in the other languages
    ("enfant a bu le tonique", SWALLOWED),
    ("mon fils a bu du shampooing", SWALLOWED),
    ("la nina se tomo el champu", SWALLOWED),
    ("il piccolo ha bevuto il bagnoschiuma", SWALLOWED),
    ("meu filho bebeu xampu", SWALLOWED),
    ("mein sohn hat duschgel getrunken", SWALLOWED),
    # a throat closed, told in the past in Portuguese
    ("a garganta dela fechou depois do batom", ANA),
    # SMS negations: Portuguese "n" or "ñ" for "nao", Italian "nn", French "pu" for "plus"; a verb left unconjugated
    ("n consigo respirar direito", ANA),
    ("ñ consegue respirar", ANA),
    ("nn riesco a respirare", ANA),
    ("je peux pu respirer depuis la creme", ANA),
    ("j ai du mal a respiré", ANA),
    ("ela nao consegue respira", ANA),
    # first-language grammar for breathing and for a part grown big
    ("my breathing is not good since the spray", ANA),
    ("his breath is short after the cream", ANA),
    ("throat feel small", ANA),
    ("tongue feel big after the gel", ANA),
    ("her lips becomed very big", ANA),
    ("the face is getting more bigger", ANA),
])
def test_new_emergency_families_are_caught(text: str, kind: EmergencyKind) -> None:
    assessment = assess_message(text)
    assert (assessment.verdict, assessment.kind) == (SafetyVerdict.EMERGENCY, kind)
    assert assessment.evidence != NET_EVIDENCE  # caught by a rule, not left to the second net


@pytest.mark.parametrize("text", [
    # an eye rinsed and fine, and fine now in the other languages
    "got conditioner in my eye earlier, rinsed, all good, is there a gentler one",
    "face wash in my eye this morning, washed it out and its fine",
    "ieri shampoo nell occhio, ora va bene",
    "gestern creme im auge, jetzt alles gut",
    "ayer crema en el ojo, ahora todo bien",
    "hier du savon dans l oeil, maintenant ca va",
    "ontem sabonete no olho, agora ta tudo bem",
    # a way to avoid it asked for
    "how can i avoid getting sunscreen in my eyes when i sweat",
    "tips to avoid getting the mask in my eyes?",
    "como evito que el protector me entre en los ojos",
    # glasses or lenses explain blurred sight
    "my vision is blurry because of my old prescription, any eye cream for tired eyes",
    # the skin or the hair "drinking" or "eating" a product
    "my thirsty skin just drank the whole serum",
    "my hair ate the mask in seconds",
    "mi piel se bebe el serum",
    "ma peau boit cette creme",
    # a cream said to burn fat
    "does this gel really burn fat on the belly?",
    "is this a fat burning cream?",
    # an attempt stopped by the adult, told short
    "my son tried to drink the micellar water but i grabbed it",
    # a face puffy after a night out, too little sleep or too much salt
    "face puffy after too much wine, which eye patches",
    "eyes puffy from no sleep",
    # the skin, the nose or the pores not breathing; a warning not to breathe a spray in
    "mi piel no respira con esta base",
    "ma peau respire pas sous ce fond de teint",
    "meine haut atmet nicht unter der foundation",
    "minha pele nao respira com esse po",
    "dont breathe in the fumes when you spray it",
    # skin open to a new routine, chapped knuckles; a developer by trade
    "my skin is open to trying a new acid",
    "ho la pelle spaccata sulle nocche per il freddo",
    "im a developer and a lash got in my eye",
    # the verb at the end in German, after "nichts"
    "sie hat nichts getrunken, nur am deckel geleckt",
    # eyes swollen from crying, in the other languages
    "tengo los ojos hinchados de tanto llorar, que contorno uso",
    "j ai les yeux gonfles a force de pleurer",
    "meine augen sind geschwollen vom weinen",
    "ho gli occhi gonfi dal pianto",
    "estou com os olhos inchados de chorar",
    # the breath (not the breathing) not good; eyes or lips bigger with make-up
    "my breath is not good in the morning, which mouthwash",
    "my eyes got bigger with this mascara",
    "my lips got bigger with the plumping gloss, love it",
    # rinsed and fine, told short in French, German and Portuguese
    "du shampoing dans l oeil, rince, ca va",
    "creme im auge gehabt, ausgewaschen, passt",
    "entrou creme no olho, lavei, ta tudo bem",
    # fainting or dying of laughter, in the other languages
    "la clienta se desmayo de la risa jaja",
    "je me suis evanouie de rire",
    "bin vor lachen fast ohnmachtig geworden",
    "sono svenuta dalle risate",
    "quase desmaiei de rir kkkk",
    # praise that nearly knocked one out
    "the head massage was so relaxing i almost passed out",
    # someone else asking whether it does it, at a salon or a counter
    "le client demande si le masque brule un peu",
    # an eye product named before a sign: the question is about the product
    "eye serum sting?",
    "my eye gel burns a little, is there a gentler one",
    # nothing swallowed, told short; a trace of one's own lip product
    "toddler had the lotion in his mouth but spat it out, no swallowing",
    "she bit the tube, no cream came out",
    "i swallowed a tiny bit of my tinted lip balm, fine?",
    "i ate some lip sunscreen while putting it on my lips",
    # French "si" + the one who might do it, and "enfant" as a time of life
    "si mon fils avale du dentifrice blanchissant c est grave?",
    "si ma fille met du serum dans l oeil, que faire",
    "j ai fait une reaction enfant, aujourd hui je cherche une creme douce",
])
def test_near_misses_of_the_new_families_stay_quiet(text: str) -> None:
    assert assess_message(text).verdict is SafetyVerdict.NONE


@pytest.mark.parametrize(("text", "kind"), [
    # rinsed and fine only for a while: the sign after it stands
    ("got bleach in my eye, rinsed, fine for a minute but now it burns and i cant open it", EYE),
    # a cause of puffiness named does not take back a sign that is an emergency by itself
    ("too much wine last night and now my throat is closing", ANA),
    # "cant breathe in here" is still trouble breathing
    ("i cant breathe in here after the spray tan", ANA),
    # an attempt that ended in the event, the adult too late
    ("she tried to drink the toner, i took it but she already swallowed some", SWALLOWED),
    # "enfant" as the child named, with an article
    ("mon enfant a mange du savon", SWALLOWED),
    # a child who will not stop crying is not a cause of the swelling
    ("no para de llorar y tiene los ojos hinchados despues de la crema", ANA),
    ("nao para de chorar e os olhos estao inchados depois do creme", ANA),
    # the eye itself after an eye product, a product after "nothing came out" of a spit, an acid swallowed
    ("my eyes burn so bad after the eye cream", EYE),
    ("she ate the cream, nothing came out when i made her spit", SWALLOWED),
    ("i swallowed a bit of the acid toner", SWALLOWED),
    ("my son ate some lipstick", SWALLOWED),
    # a doubt about what happened is not a hypothetical ("not sure if"); a faint at work is not a laugh
    ("je voulais savoir si mon fils a bu du tonique, il tousse", SWALLOWED),
    ("je me demande si ma fille a avale du serum, elle vomit", SWALLOWED),
    ("a cliente desmaiou no salao depois da tintura", ANA),
    # praise told before, then a faint that happened
    ("the oil smelled so nice, then she passed out and her lips swelled", ANA),
    # German: something swallowed, not nothing
    ("er hat was vom tonic geschluckt", SWALLOWED),
])
def test_the_new_cues_keep_real_emergencies(text: str, kind: EmergencyKind) -> None:
    assessment = assess_message(text)
    assert (assessment.verdict, assessment.kind) == (SafetyVerdict.EMERGENCY, kind)
    assert assessment.evidence != NET_EVIDENCE
