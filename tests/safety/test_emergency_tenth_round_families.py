"""Phrasing families added after the tenth author's tuning half (dev_extra9.yml, even positions): replies in an
ongoing chat, voice-to-text transcripts, code-switching inside a sentence, jokes called off, and the near-misses
around them (an event over by the next day, a plumping product doing what it says, money or a smell as the one
"reacting", a shine praised as blinding, a child's attempts and habits). Checked on messages written for this file
(none copied from a corpus file), by the rules alone, both ways: each family is caught (or left alone) in the
languages it was written for, and the messages on the other side of its line keep their verdict."""

from __future__ import annotations

import pytest

from bot.safety.emergency import NET_EVIDENCE, EmergencyKind, SafetyVerdict, assess_message

ANA, SWALLOWED, EYE, BURN = (EmergencyKind.ANAPHYLAXIS, EmergencyKind.SWALLOWED, EmergencyKind.EYE,
                             EmergencyKind.BURN)


@pytest.mark.parametrize(("text", "kind"), [
    # an adrenaline pen by its brand name, or as a speech recogniser spells it
    ("gave him his jext pen, his face is still puffy", ANA),
    ("i used my auvi-q ten minutes ago after the night cream", ANA),
    ("we had to use the emerade on her after the hair mask", ANA),
    ("she needed her eppy pen after the body lotion", ANA),
    # "anaphylaxis" split by voice-to-text
    ("my husband is going into and a phylactic shock after the face mask", ANA),
    ("help i think its anna flaxis after the body cream", ANA),
    # the chest or the lungs making the sound of a wheeze; a straw with words between
    ("my chest is whistling since the spray tan", ANA),
    ("her lungs are crackling after the hairspray", ANA),
    ("his chest is rattling and he keeps coughing after the spray", ANA),
    ("it feels like breathing through a tiny straw since the mask", ANA),
    # a chat reply: worse than before ("even bigger", "still growing", "feels tiny")
    ("update: lips even bigger than before the antihistamine", ANA),
    ("his eyelids are bigger by the minute after the eye cream", ANA),
    ("no its not better, lips still growing", ANA),
    ("yeah its getting worse, throat feels tiny", ANA),
    # a swelling told by a comparison with a thing
    ("my lips are like sausages after the lip scrub", ANA),
    ("her eyes look like golf balls since the sheet mask", ANA),
    # the joke called off: laughter no longer takes the sign back
    ("haha ok not funny anymore my tongue is swelling", ANA),
    ("lol its not a joke anymore, i cant breathe properly", ANA),
    ("jaja ya no es broma, no puedo respirar", ANA),
    ("mdr c est plus drole, j ai du mal a respirer", ANA),
    # "mas" (but) ends a negation told before it (Portuguese, Spanish)
    ("nao chorou mas engoliu metade do hidratante", SWALLOWED),
    ("no lloro mas bebio medio bote de tonico", SWALLOWED),
    # punctuation dictated to a phone: the clause ends where the speaker said "comma"
    ("not itchy comma lips swelling up fast", ANA),
    ("siri message skin help my son drank the toner comma what do i do question mark", SWALLOWED),
    # code-switching: the part in one language, the sign in another
    ("mi garganta is closing up", ANA),
    ("ma gorge is closing", ANA),
    ("meine lippen are swelling", ANA),
    ("my lips estan hinchados", ANA),
    ("my lips sont gonflees", ANA),
    ("le mie labbra are swollen", ANA),
    ("my throat se cierra", ANA),
    # a throat closing or tightening told in a word the languages lacked
    ("la garganta se esta cerrando", ANA),
    ("c est surement rien mais j ai la gorge qui serre", ANA),
    ("probabilmente niente ma la gola si stringe", ANA),
    # words a speech recogniser mishears, only where they cannot be what they seem
    ("got bleach in my i and it burns so bad", EYE),
    ("my throw it is closing up after the serum", ANA),
    ("my son swallow did some of the cream", SWALLOWED),
    ("used his epic pen after the face wash", ANA),
    # a bare "no" before an article answers, then the news follows
    ("no the swelling hasnt gone down at all its worse", ANA),
    ("no the lips are still swelling", ANA),
    # worse and worse, in Spanish and Portuguese ("mas" also stops a gap)
    ("esta peor, la cara cada vez mas hinchada", ANA),
    ("ta pior, o rosto ta cada vez mais inchado", ANA),
    # drowsy with hives
    ("he's really drowsy and covered in hives", ANA),
    # breathing as an effort, a weight on the chest, breathing through water, ragged, little gasps, a voice changed
    ("every breath is an effort after the cream", ANA),
    ("feels like someone is sitting on my chest", ANA),
    ("my chest feels heavy since the spray", ANA),
    ("he sounds like hes breathing through water", ANA),
    ("her breathing is ragged", ANA),
    ("taking little gasps", ANA),
    ("my voice went all squeaky and my throat hurts after the spray", ANA),
    ("tongue is prickly and puffing", ANA),
    # a chemical burn in words the rules lacked
    ("there are little water bubbles on my chin after the peel", BURN),
    ("the skin on my forehead went hard and dark after the tca", BURN),
    ("my neck has bright red welts where the peel was and its seeping", BURN),
    ("it still burns after an hour of rinsing", BURN),
    ("its been burning for like 3 hrs now after the glycolic", BURN),
    ("la pelle e a vivo dopo il peeling", BURN),
    ("no non ha vomitato ma ha bevuto mezza boccetta", SWALLOWED),
    # a burn told as such with a chemical named, sores, crusts, weepy skin, a sunburn only as a comparison
    ("it looks like i got burned after the peel, its red and shiny and wet", BURN),
    ("looks like a burn on my cheek from the mask", BURN),
    ("the burn from the hair removal cream is getting worse and wet", BURN),
    ("skin is shiny and weepy after the tca", BURN),
    ("there are yellow crusts where the acid was", BURN),
    ("its like a bad sunburn but from the retinol and its peeling and raw", BURN),
    ("se me quemo la piel con el acido, esta roja y brillante", BURN),
    ("mi cara arde muchisimo despues del peeling y esta en llagas", BURN),
    ("j ai la peau brulee par l acide, c est rouge vif", BURN),
    ("minha pele queimou com o acido e ta saindo agua", BURN),
    ("meu rosto ta ardendo demais e cheio de feridas depois do peeling", BURN),
    # a child with the product in the mouth, in Spanish and French; lips that "have doubled"
    ("el nino se metio el tubo de crema en la boca y se comio un poco", SWALLOWED),
    ("la petite a mis le tube de creme dans sa bouche", SWALLOWED),
    ("mon fils a machouille le tube de creme", SWALLOWED),
    ("not panicking but my lips have doubled", ANA),
    # two early signs that combine: a throat that feels strange and lips tingling or numb (es, fr, it, pt); "to tonta"
    ("siento la garganta rara y los labios dormidos", ANA),
    ("j ai la gorge qui gratte et les levres qui picotent", ANA),
    ("mi sento la gola strana e le labbra formicolano", ANA),
    ("sinto a garganta estranha e os labios formigando", ANA),
    ("tenho urticaria e to tonta", ANA),
    # an eye after a product got in: smeared, foggy, hurt by light, stinging like hell
    ("everything looks smeared out of my right eye after the toner got in", EYE),
    ("its like looking through fog since the serum went in my eye", EYE),
    ("my eye is super sensitive to light after the toner got in", EYE),
    ("its stinging like hell in my eye", EYE),
])
def test_new_emergency_families_are_caught(text: str, kind: EmergencyKind) -> None:
    assessment = assess_message(text)
    assert (assessment.verdict, assessment.kind) == (SafetyVerdict.EMERGENCY, kind)
    assert assessment.evidence != NET_EVIDENCE  # caught by a rule, not left to the second net


@pytest.mark.parametrize("text", [
    # a product in the eye yesterday, fine by today, in the six languages
    "got shampoo in my eye on sunday, rinsed, fine today, is there a tear free one",
    "ayer me cayo crema en el ojo, hoy todo bien, cual me recomiendan",
    "hier du savon dans l oeil, aujourd hui tout va bien, vous avez plus doux",
    "gestern shampoo ins auge, heute alles gut, gibt es ein milderes",
    "ieri mi e finito lo struccante nell occhio, oggi va bene, ne consigliate un altro",
    "ontem entrou protetor no meu olho, hoje ja estou bem, qual voces indicam",
    # a plumping or volumising product, also in a compound word, doing what it says
    "mein neuer lippenplumper hat die lippen schon anschwellen lassen, halt das lange",
    "o batom volumizador deixou meus labios inchados, e assim mesmo",
    "my lipplumper made my lips swell, how long does it last",
    # money as the one reacting, the prices as the cause
    "my credit card got an allergic reaction at checkout lol",
    "im having an allergic reaction to these prices",
    # a smell that is "suffocating", with what it is the smell of between
    "the scent of this body butter is suffocating, too strong for me",
    "the perfume in the new shampoo is suffocating",
    # a shine praised as blinding
    "blinded by my own highlighter, cant see a thing haha",
    "these glow drops are so blinding i cant see my face in the mirror lol",
    # a child's attempts and habits, not an event
    "my toddler keeps trying to drink the bath oil, where do i keep it",
    "mi hija sigue intentando beber el tonico, donde lo guardo",
    "meu filho vive tentando beber o tonico",
    "my daughter always rubs sunscreen into her eyes, which stick is best",
    # laughing too hard to breathe; a selfie or a clay mask compared with a thing
    "not kidding i laughed so hard i cant breathe",
    "my lips look like a duck in this selfie with the plumper",
    "the clay mask makes my face look like a pumpkin lol",
    # a dictated full stop after a negation, and "period" left a word
    "no swelling full stop just curious about the mask",
    "i get dizzy on my period",
    # what the new words mean elsewhere: a photo, delight, a cold, the mornings, a serum sinking in, a bottle, a wait
    "everything is smudged in this photo lol",
    "little gasps of delight at this packaging",
    "my chest feels heavy with this cold",
    "my eyes are puffing up in the mornings",
    "it takes an effort to breathe through my nose with this cold",
    "this serum sinks in fast, no seeping into my collar",
    "water bubbles in my toner bottle, is it off",
    "its been like 2 hours since i put the mask on, can i wash it off",
    "can you throw it in with my order",
    "sleepy and itchy after the night cream, normal?",
    # a "no" before an article with the sign gone; a Romance pronoun after "no" still negates
    "no the swelling went down thanks",
    "no la tengo hinchada",
    # a peel-off mask is made to come off that way
    "my peel off mask pulled off a layer of skin, normal?",
    # a burn from the sun, the kitchen or a curling iron, how to avoid one, a cold sore's crust
    "i got burned by the sun, need an aftersun",
    "my face is peeling and raw from the sun",
    "i got burnt making dinner, which cream helps",
    "burn on my hand from the oven, any cream",
    "how do i avoid getting burned by a peel",
    "my cold sore has gone crusty, which cream",
    "mi cara se quemo con el sol, que crema uso",
    "j ai le visage brule par le soleil, quelle creme",
    "minha pele queimou no sol, qual hidratante",
    # a child eating food, a collection that doubled
    "mi hijo no quiso cenar pero se comio un poco de fruta",
    "my lip gloss collection has doubled lol",
    # a plumping gloss or a mint balm that makes the lips tingle, asked about
    "el balsamo de menta hace que los labios hormigueen un poco, normal?",
    "le gloss repulpant fait picoter les levres, c est normal?",
    "il gloss rimpolpante fa formicolare le labbra, normale?",
    "o gloss deixa os labios formigando, e normal?",
])
def test_near_miss_families_are_left_alone(text: str) -> None:
    assert assess_message(text).verdict is SafetyVerdict.NONE


@pytest.mark.parametrize(("text", "kind"), [
    # "fine today" answers for what came before it, never for a sign told after it or a day that is not fine
    ("got acid in my eye yesterday, today its worse and i cant see", EYE),
    ("yesterday she was fine, today her lips are swelling after the mask", ANA),
    # a plumper named does not take back a sign that is not a swelling
    ("used a lip plumper and now my throat is tight", ANA),
    # a smell that suffocates someone who cannot breathe; a blinding pain
    ("the fumes from the hair dye are suffocating me and i cant breathe", ANA),
    ("blinding pain in my eye after the peel got in, i cant see", EYE),
    # attempts that ended in the event, a habit that ended in an injury
    ("he kept trying to drink the toner and then he drank some, now hes coughing", SWALLOWED),
    ("my son rubbed sunscreen into his eyes, now they are red and he cant open them", EYE),
    # an allergic reaction told with a sign, whatever was on sale
    ("my face is swelling after the serum i got on sale", ANA),
    # a peel-off mask named does not take back skin torn and raw
    ("the peel off mask tore off my skin and its raw and bleeding", BURN),
])
def test_the_new_cues_keep_real_emergencies(text: str, kind: EmergencyKind) -> None:
    assessment = assess_message(text)
    assert (assessment.verdict, assessment.kind) == (SafetyVerdict.EMERGENCY, kind)
    assert assessment.evidence != NET_EVIDENCE


def test_a_reaction_to_a_product_still_asks_when_the_bill_is_named() -> None:
    # the prices named elsewhere do not take back a reaction to the product itself
    text = "having a reaction to the new serum, hives on my neck, and the bill was huge too"
    assert assess_message(text).verdict is not SafetyVerdict.NONE
