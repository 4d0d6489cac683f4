"""Phrasing families added after the sixth author's tuning half (dev_extra5.yml, even positions), checked on
messages written for this file (none copied from a corpus file), by the rules alone, both ways: the family
is caught in every language it was written for, and the harmless messages that share its words are left
alone."""

from __future__ import annotations

import pytest

from bot.safety.emergency import NET_EVIDENCE, EmergencyKind, SafetyVerdict, assess_message

ANA, SWALLOWED, EYE, BURN = (EmergencyKind.ANAPHYLAXIS, EmergencyKind.SWALLOWED, EmergencyKind.EYE,
                             EmergencyKind.BURN)


@pytest.mark.parametrize(("text", "kind"), [
    # burning that has not eased, in every tense
    ("the stinging didnt go away after i took the mask off", BURN),
    ("burning still hasnt calmed down, its the 25% peel", BURN),
    ("the burn has not eased at all since the acid", BURN),
    ("el ardor no se me ha quitado con el peeling", BURN),
    ("la brulure ne s est pas calmee depuis le masque", BURN),
    ("das brennen hat nicht aufgehort seit der saure", BURN),
    ("il bruciore non e passato dopo la maschera", BURN),
    ("a ardencia nao parou desde o acido", BURN),
    # rinsing or washing that does not help, in the six languages (in the eye when the eye is named)
    ("cheeks burning and washing it off did nothing", BURN),
    ("my neck stings so much, rinsed twice, no difference", BURN),
    ("his eye burns and cold water isnt helping", EYE),
    ("me quema la frente y lavarla no ayuda", BURN),
    ("ca brule sur le front et l eau ne sert a rien", BURN),
    ("es brennt an der stirn und abwaschen bringt nichts", BURN),
    ("mi brucia la fronte e lavarla non serve", BURN),
    ("ta queimando a testa e enxaguar nao adianta", BURN),
    # a resolution denied is no resolution
    ("her lips swelled up and it hasnt gone down at all", ANA),
    ("his face is puffed up and it has not settled", ANA),
    ("o rosto inchou e a dor nao passou", ANA),
    # a negation with its own verb ends at "and": the sign in the next clause is told on its own
    ("i didnt rinse long enough and the skin is going grey", BURN),
    ("no hives and the lips are swelling more", ANA),
    ("it doesnt itch and the throat is getting tight", ANA),
    # gone limp, a face "like a balloon" in the five other languages
    ("my grandad went all limp after the body cream", ANA),
    ("she is limp and grey, used the new lotion", ANA),
    ("a mi hija se le puso la boca como un globo", ANA),
    ("son visage est comme un ballon depuis le serum", ANA),
    ("seine lippen sind wie ein ballon", ANA),
    ("ha le labbra come un palloncino", ANA),
    ("o rosto dele parece um balao", ANA),
    # Portuguese "no olho" is "in the eye", not a negation
    ("caiu serum no olho e doi muito", EYE),
    # burning that grows, burns left on a part, skin lifting in Spanish, pads eaten
    ("the stinging from the acid toner is getting worse and worse", BURN),
    ("the depilatory left painful burns on her bikini line", BURN),
    ("se le levanto la piel del cuello con el tinte", BURN),
    ("my toddler found the exfoliating pads and ate one", SWALLOWED),
    # a restricted airway, a face that blew up, a sip of acetone, skin "is burned" by an acid
    ("his airway feels restricted since the spray", ANA),
    ("my whole face blew up after the night cream", ANA),
    ("my niece had a sip of the acetone", SWALLOWED),
    ("her cheek is badly burned from the peel solution", BURN),
    # wheals by their Spanish name with dizziness, a puffed-up face in German, an eye burning after a named product
    ("me salieron habones en los brazos y me mareo mucho", ANA),
    ("sein gesicht ist ganz aufgequollen nach der creme", ANA),
    ("meine augen brennen nach dem toner", EYE),
    ("j ai le front brule par le peeling", BURN),
    # a part "2x its size"
    ("her tongue is 2x its normal size", ANA),
    # an exclamation after a comma starts news: an earlier "if" does not reach it
    ("not sure if the serum goes before the spf, oh no my toddler just drank some of the toner", SWALLOWED),
    # Italian participles agreeing with the product ("l ha mangiata", "ha bevuta")
    ("la piccola l ha mangiata quasi tutta, la crema solare", SWALLOWED),
    ("mia figlia ha bevuta un po di acqua micellare", SWALLOWED),
    # an allergy to something here, now, is no history
    ("anaphylactic to something in that mask, help", ANA),
    ("i think im allergic to something in this, my throat is closing", ANA),
])
def test_new_phrasing_families_are_caught(text: str, kind: EmergencyKind) -> None:
    assessment = assess_message(text)
    assert (assessment.verdict, assessment.kind) == (SafetyVerdict.EMERGENCY, kind)
    assert assessment.evidence != NET_EVIDENCE  # caught by a rule, not left to the second net


@pytest.mark.parametrize("text", [
    # over at once, or no sign at all
    "toner went in my eye earlier, watered for a moment then ok, which one is gentler",
    "a drop of serum got in my eye, its fine, no stinging, is it ok near the lashes",
    # a vet, doctor or poison line said it is harmless
    "our cat licked some hand cream, the vet said its harmless, but which one has no essential oils",
    "my son tasted the sunscreen, poison control said it is non toxic, which spf is best for kids",
    "el gato comio un poco de crema y el veterinario dijo que no pasa nada, tiene aceites esenciales?",
    "der hund hat an der creme geleckt, der tierarzt sagt das ist harmlos, ist sie vegan",
    # food that irritates
    "my lips get a bit puffy after salty snacks, any lip mask",
    "my mouth feels swollen after spicy curry, which lip balm soothes",
    # raw but whole skin
    "my cheeks feel raw from the cold, not broken, which barrier cream",
    "skin is raw after scrubbing too much, barrier still intact, what helps",
    # the face wash (a product) not helping acne
    "my face wash isnt helping my acne and it stings a bit",
    # the child's own food, caffeine
    "my son drank his milk and then i put sunscreen on him, is that ok",
    "too much coffee today and my heart is racing lol, which eye patches for tired eyes",
    "my eyes burn after swimming in the pool, which eye cream",
    "meine augen brennen nach dem schwimmen, welche augencreme",
    # a child who touched a product but did not eat it (the net is not asked either)
    "la bimba ha toccato il balsamo ma non l ha mangiato",
    # a denied resolution of something harmless is not a sign
    "my order hasnt gone through, can you check",
])
def test_harmless_messages_sharing_their_words_are_left_alone(text: str) -> None:
    assert assess_message(text).verdict is SafetyVerdict.NONE


@pytest.mark.parametrize(("text", "kind"), [
    # "then" with another sign after it is no resolution
    ("it stung for a second then it started burning like crazy and the skin went white after the peel", BURN),
    # reassurance about one thing does not take back a sign told after it
    ("the vet said the dog is fine but my toddler drank some of the toner too", SWALLOWED),
    # a meal first, then the product
    ("my daughter ate her lunch and then drank the micellar water", SWALLOWED),
    # "not fine now" is not "fine now"
    ("im not fine now, my lips are swelling", ANA),
    # "raw and weeping" is still a burn, whatever else is said about the skin
    ("my chin is raw and weeping after the acid, not bleeding though", BURN),
])
def test_the_new_cues_still_let_emergencies_through(text: str, kind: EmergencyKind) -> None:
    assessment = assess_message(text)
    assert (assessment.verdict, assessment.kind) == (SafetyVerdict.EMERGENCY, kind)
    assert assessment.evidence != NET_EVIDENCE
