"""Phrasing families added after the fifth author's tuning half (dev_extra4.yml, even positions), checked on
messages written for this file (none copied from a corpus file), by the rules alone, both ways: the family
is caught in every language it was written for, and the harmless messages that share its words are left
alone."""

from __future__ import annotations

import pytest

from bot.safety.emergency import NET_EVIDENCE, EmergencyKind, SafetyVerdict, assess_message

ANA, SWALLOWED, EYE, BURN = (EmergencyKind.ANAPHYLAXIS, EmergencyKind.SWALLOWED, EmergencyKind.EYE,
                             EmergencyKind.BURN)


@pytest.mark.parametrize(("text", "kind"), [
    # cannot speak, with the tongue, lips or throat named, in the six languages
    ("she cant talk and her tongue is huge", ANA),
    ("no puede hablar y tiene la lengua muy gorda", ANA),
    ("il n arrive plus a parler, sa langue est enorme", ANA),
    ("er kann kaum noch sprechen, seine zunge ist so dick", ANA),
    ("non riesce piu a parlare, ha la lingua enorme", ANA),
    ("ele nao consegue falar, a lingua ta enorme", ANA),
    # breathing getting worse
    ("my breathing is getting worse since the mask", ANA),
    ("respiro cada vez peor despues de la crema", ANA),
    ("je respire de plus en plus mal", ANA),
    ("ich kriege kaum noch luft", ANA),
    ("das atmen wird immer schwerer nach dem serum", ANA),
    ("faccio sempre piu fatica a respirare", ANA),
    ("estou respirando cada vez pior", ANA),
    # a sense of doom is a sign: with a second sign, an emergency
    ("i have this sense of impending doom and hives all over", ANA),
    ("sensacion de muerte inminente y ronchas", ANA),
    ("sentiment de mort imminente et de l urticaire partout", ANA),
    # a collapse told plainly ("she fall down") with another sign
    ("my girl have red spot everywhere after lotion and she fall down", ANA),
    # blood pressure falling is a sign, not another cause
    ("covered in itchy welts and my blood pressure monitor says its really low, im dizzy", ANA),
    # vomiting with hives or swelling, in the six languages
    ("my son is throwing up and has hives on his belly", ANA),
    ("mi hija vomita y tiene ronchas por todo el cuerpo", ANA),
    ("il vomit et il a de l urticaire partout", ANA),
    ("er erbricht sich und hat quaddeln am ganzen korper", ANA),
    ("sta vomitando e ha l orticaria dappertutto", ANA),
    ("ela esta vomitando e cheia de urticaria", ANA),
    # a swollen part named by its size, and the uvula
    ("la lengua se le puso enorme", ANA),
    ("a lingua dele ficou enorme", ANA),
    ("my uvula is swollen after the throat spray", ANA),
    # a part grown by a number of times
    ("HELP my lip is like 3 times bigger", ANA),
    ("his lips are way bigger than normal after the scrub", ANA),
    ("j ai la gorge qui gratte et qui gonfle", ANA),
    # someone who does not respond, in the six languages
    ("shes gone all pale and wont respond", ANA),
    ("mi hijo no responde y esta palido", ANA),
    ("mon fils ne repond plus, il est tout pale", ANA),
    ("mein baby reagiert nicht mehr", ANA),
    ("mio figlio non risponde piu", ANA),
    ("meu filho nao responde", ANA),
    # the throat named, then the sign after a comma
    ("its not a rash, its my throat, it feels tight", ANA),
    # an epipen not owned is no history
    ("i dont have an epipen and my throat is tightening", ANA),
    ("we dont carry an epipen and her lips are swelling", ANA),
    # toothpaste or mouthwash swallowed with another product, or a large amount of it
    ("my toddler swallowed toothpaste and some of my night cream", SWALLOWED),
    ("mon bebe a avale du dentifrice et de la creme", SWALLOWED),
    ("mi hijo se trago pasta de dientes y crema", SWALLOWED),
    ("my husband gulped the mouthwash by mistake, a huge mouthful", SWALLOWED),
    ("mein sohn hat die halbe tube zahnpasta gegessen", SWALLOWED),
    # a gulp from a container named before it, a gulp "no tonico"
    ("the kid put the toner bottle to his lips and took a gulp", SWALLOWED),
    ("meu filho deu um gole no tonico", SWALLOWED),
    # crying after a product got in the eye, eyes streaming after an acid
    ("mi hijo se echo crema en el ojo y no para de llorar", EYE),
    ("my eye is bright red and streaming after the acid toner", EYE),
    # the eye scratched by a scrub, rubbed with acid on the fingers, still hurting after rinsing
    ("my eyeball feels like its scratched after the scrub", EYE),
    ("i rubbed my eye with acid on my fingers and now it burns", EYE),
    ("ive been rinsing my eye for 10 mins and it still hurts", EYE),
    # a chemical that burned someone, took the skin off or left scabs; seeping, crusty, turned dark
    ("the acid burned me, the skin is brown and crusty now", BURN),
    ("the peel took the top layer of my skin off", BURN),
    ("there are scabs forming all over where the peel was", BURN),
    ("my forehead is seeping clear liquid after the glycolic", BURN),
    ("my chin has turned dark and hard after the tca", BURN),
    ("the hair removal cream gave me burns on my legs", BURN),
    # burning for hours
    ("mi cara esta roja y me arde desde hace horas despues del peeling", BURN),
    ("ca me brule depuis des heures apres le peeling", BURN),
    ("la pelle mi brucia da ore dopo il peeling", BURN),
    ("a pele ta ardendo faz horas depois do acido", BURN),
    # open or bleeding skin and water blisters after a peel
    ("la piel se abrio y sangra despues del acido", BURN),
    ("j ai des bulles d eau sur la joue apres le peeling", BURN),
])
def test_new_phrasing_families_are_caught(text: str, kind: EmergencyKind) -> None:
    assessment = assess_message(text)
    assert (assessment.verdict, assessment.kind) == (SafetyVerdict.EMERGENCY, kind)
    assert assessment.evidence != NET_EVIDENCE  # caught by a rule, not left to the second net


@pytest.mark.parametrize("text", [
    "i feel so dizzy with all the options, which serum first",  # overwhelmed by choice, a figure of speech
    "my friend had anaphylaxis from a hair dye once, is yours ppd free",  # someone else's history
    "i read someone had anaphylaxis from this brand, is that true",
    "i dont have any swelling or trouble breathing, just itchy, which cream",  # the negation reaches the list
    "je n ai pas de boutons ou de mal a respirer, juste la peau seche",
    "my son licked the lip balm, is it ok for kids",  # a lip product is worn by licking it
    "the dog licked some sunscreen off my leg, is it toxic for dogs",  # a trace off the skin
    "my baby swallowed some bath water, is the baby wash tear free",  # water is not a product
    "i swallowed a bit of toothpaste half an hour ago, is that bad",  # "half an hour" is no amount
    "i have low blood pressure so i get dizzy sometimes, which serum",  # a person's normal, not a reading
    "she fell off her bike and her knee is red, which cream",  # a fall, not a collapse
    "im pregnant and vomiting every morning, which moisturiser is safe",  # vomiting alone
    "quiero labios enormes, que gloss me recomiendas",  # wanting bigger lips
    "my eyes are red and watering, hay fever again, any eye cream",  # no chemical near the eye
    "i want my lips three times bigger, which plumper",  # a wish
    "she isnt responding to my texts lol, which serum for her birthday",  # not answering a message
    "my skin isnt responding to the retinol at all",
    "mi hijo no responde a mis mensajes, que crema le regalo",
    "meine haut reagiert nicht auf die creme",
    "as a kid i had anaphylaxis, my throat closed up, is this nut free",  # the sign told in the past too
    "i had a bad reaction to a mask last year, my face was swollen for days",
    # a word of now in a later clause is about that clause
    "last year my lips swelled after a mask, today i want to try a new one, is it safe",
    # a question's conditions run on through ", and ..."
    "is it safe if it gets in my eye, and my eye starts burning?",
    "my eyes still hurt from staring at screens, any eye cream",  # no product or rinsing named
    "my eye feels scratchy from hay fever, which eye cream",
    "i took a sip and then applied my moisturiser",
    "i opened a bottle of wine and took a sip, which night cream",
    "the peel took off all the dead skin, love it",
    "i have a scab from picking a spot, which cream heals it",
    "the sun burned me at the beach, which aloe",
    "the serum is seeping into my skin nicely",
    "my chin has dark spots, which acid",
    "my mum always gets swollen lips from cheap lipstick, is yours hypoallergenic",  # a habit, like "always get"
    # an event that did not happen: almost swallowed, nearly in the eye, an attempt stopped in time
    "he almost drank the toner but i grabbed it, which lock do you recommend",
    "i nearly got the peel in my eye, is there a gentler one",
    "my toddler tried to eat the sunscreen but i stopped him before he got any",
    "il a failli boire le dissolvant",
    "er hat fast die creme gegessen",
])
def test_harmless_messages_sharing_their_words_are_left_alone(text: str) -> None:
    assert assess_message(text).verdict is SafetyVerdict.NONE


@pytest.mark.parametrize(("text", "kind"), [
    ("no rash or hives but i cant breathe", ANA),  # an "or" list under a negation ends at "but"
    ("i havent used the serum or anything else and my face is swelling", ANA),  # a new subject ends it
    ("my toddler licked and ate the lipstick", SWALLOWED),  # eaten, not a lick of a lip product
    ("my baby swallowed some micellar water", SWALLOWED),  # a product called water
    # a reaction told as past in one clause, the sign in its own clause in the present: happening now
    ("my partner had an allergic reaction to the mask and his throat is tight", ANA),
    ("she had a severe reaction to the cream, her lips are huge", ANA),
    # "almost" belongs to its own subject and event, and "almost fainted" is itself a sign
    ("i was about to wash my face when my son drank the toner", SWALLOWED),
    ("i was getting ready fast and got toner in my eye, it burns", EYE),
    ("i almost fainted and my throat is tight", ANA),
    # a word of now after the last history cue brings the story back to now, even after French "ma"
    ("j avais eu une reaction il y a deux ans, rien de grave, et aujourd hui apres le serum ma langue gonfle", ANA),
    # a run-on: ", and we ..." closes what was read or heard before it
    ("i told them to be careful because i read that acids can sting, and we were laughing a lot, then my niece "
     "grabbed the peel bottle and she drank some of it", SWALLOWED),
])
def test_the_narrowed_cues_still_let_emergencies_through(text: str, kind: EmergencyKind) -> None:
    assessment = assess_message(text)
    assert (assessment.verdict, assessment.kind) == (SafetyVerdict.EMERGENCY, kind)
    assert assessment.evidence != NET_EVIDENCE
