"""Phrasing families added after the eighth author's tuning half (dev_extra7.yml, even positions): the way people
type in a chat, and the near-misses a keyword detector alarms on. Checked on messages written for this file (none
copied from a corpus file), by the rules alone, both ways: each family is caught (or left alone) in the languages
it was written for, and the messages on the other side of its line keep their verdict."""

from __future__ import annotations

import pytest

from bot.safety.emergency import NET_EVIDENCE, EmergencyKind, SafetyVerdict, assess_message

ANA, SWALLOWED, EYE, BURN = (EmergencyKind.ANAPHYLAXIS, EmergencyKind.SWALLOWED, EmergencyKind.EYE,
                             EmergencyKind.BURN)


@pytest.mark.parametrize("text", [
    # a pet ate or licked it and the message asks whether it harms the animal (six languages)
    "my cat licked a bit of hand cream off my finger, is it bad for her",
    "el gato se comio un poco de crema, le hace dano?",
    "mon chat a mange un peu de creme, ca lui fait du mal ?",
    "mein hund hat an der creme geleckt, schadet das ihm?",
    "il mio gatto ha mangiato un po di crema, gli fa male?",
    "meu gato comeu um pouco do protetor, faz mal pra ele?",
    # what the pet ate is a thing of the house, not a product
    "my dog swallowed a tennis ball lol, anyway do you sell dog shampoo",
    # a child's habit at an age, not an event
    "my toddler puts everything in her mouth, which sunscreen is safest",
    # swallowing pills as a question of their size, named before "hard to swallow"
    "the fish oil capsules are massive and hard to swallow, any liquid version",
    "these tablets are too big to swallow for my kid",
    # a purpose: kept so that children cannot get at it
    "where should i keep the peel so the kids cant get to it",
    "i keep the acids on a high shelf so that my toddler cant reach them",
    "donde guardo el acido para que los ninos no lo traguen",
    # a comparison or a side effect asked about, the sign as a topic
    "whats the difference between a chemical burn and purging",
    "is blistering a side effect of tca peels in general",
    # praise and figures of speech: to faint for, burning in a good way, a wish to drink it, a joke
    "questo profumo e da svenire",
    "um cheiro de desmaiar de tao bom",
    "un parfum a s evanouir tellement il sent bon",
    "this serum burns in a good way, like its working",
    "i could drink this toner it smells so good",
    "sure, let me just drink the toner while im at it lol",
    "yeah ill just rub acid in my eyes for fun",
    "the scrub is so gritty it feels like sand in my eyes just looking at it haha",
    # the sign told as gone
    "my eye stung from the cleanser earlier but it doesnt hurt anymore",
    "le entro jabon en el ojo, lo lavamos y ya no le arde",
    "j ai eu du savon dans l oeil, j ai rince, ca ne pique plus",
    "a drop of serum got in my eye, it stung for like 2 seconds and now its fine",
    "had a scary reaction to a face mask in march, lips swelled up, all cleared with antihistamines",
    # what the news or a friend reported, and how to avoid it
    "saw on the news a girl got chemical burns from a peel trend, scary",
    "my friend got a chemical burn from a salon peel, how do i avoid that",
    "the anaphylaxis training at work was so useful, anyway which sunscreen",
    "read a story about a toddler who drank nail polish remover, are your bottles childproof",
    "watched a video about a woman whose face swelled up from a lip plumper, is yours safe",
    # another cause: crying, stress, mint, coffee, the cold wind, peeing
    "i cried so much my eyes are swollen, breakup, need an eye cream",
    "i get hives when im stressed, any calming cream",
    "my tongue tingles from the mint lip balm, is that the menthol",
    "heart pounding after the espresso haha, which eye cream for tired eyes",
    "my face burns when i go out in the cold wind, any barrier cream",
    "it burns when i pee sorry tmi, anyway which body wash is gentle",
    # what belongs in or near an eye, and a habit told with "when i run" (six languages)
    "i have something in my eye, probably an eyelash, unrelated but which mascara is best",
    "the eye drops i use in my eyes every morning, can i mix them with the serum",
    "i put my contact lens solution drops in my eye, can i use eye cream after",
    "sweat with sunscreen runs into my eyes when i run, any sport sunscreen that doesnt sting",
    "tengo una pestana en el ojo, que mascara me recomiendas",
    "j ai un cil dans l oeil, quel mascara",
    "ich habe eine wimper im auge, welche mascara",
    "ho un ciglio nell occhio, che mascara consigli",
    "tenho um cilio no olho, qual rimel",
    # eating or drinking plainly denied after the access; a knock or a bite; feet after a foot peel
    "the toddler got into my makeup bag but didnt eat anything, just painted the wall with lipstick",
    "my son had the bottle of toner in his hand but he didnt drink any, i checked",
    "mi hijo abrio el bote de crema pero no se comio nada",
    "my lip is swollen because i bit it, is the lip oil ok",
    "my feet are peeling in sheets from the foot peel mask, which is the point",
    "il mio cane ha mangiato una ciabatta lol, vendete shampoo per cani?",
    # a supplement swallowed as meant; the weather; laughter and delight; over since
    "i swallowed my vitamin d with the toner on my face lol is that fine",
    "my face is melting in this heat, which setting spray",
    "im suffocating in this humidity, which moisturiser is lightest",
    "omg i literally cant breathe this is so funny, anyway which toner",
    "this eye shadow palette is so pretty i almost fainted",
    "had hives all over yesterday after the new detergent, gone today, is your body lotion fragrance free",
    "i think my son might have eaten a tiny bit of sunscreen yesterday but hes been totally fine since",
    "my cat sat on the face mask and licked it, she seems totally fine",
    # an attempt stopped; the body's own causes and things that are not products; a long-standing condition;
    # a question about other people's experience
    "my nan tried to eat the face cream yesterday but i stopped her, any locking storage",
    "dizzy and tired from my period, which face mask for a self care night",
    "my throat feels weird from talking all day at work, which lip balm",
    "my son has hives from a virus the doctor said, which gentle wash",
    "it burns a lot when i put toner on my fresh tattoo",
    "i have chronic hives, my dermatologist knows, which moisturiser",
    "did anyone else get a reaction to the old formula?",
    # the weather, stress, spicy or sour food, chapped skin, a tattoo, in the other languages
    "me arde mucho la cara cuando hace viento, que crema",
    "tengo ronchas por el frio, que crema hidratante",
    "j ai de l urticaire a cause du stress, une creme apaisante ?",
    "ca brule beaucoup quand je mets le tonique sur mes levres gercees",
    "ich habe nesselsucht vom stress, welche creme",
    "es brennt sehr an meinen rissigen haenden, welche creme",
    "ho l orticaria per il freddo, che crema",
    "brucia molto sulle labbra screpolate, che balsamo",
    "minha lingua esta formigando por causa da pimenta",
    "arde muito na minha tatuagem nova",
    # a habit of the day, a remedy that sorted it, make-up explaining a swelling, a blocked nose
    "my vision is blurry every morning before my glasses, does the eye cream help",
    "i had a few hives yesterday, antihistamine sorted it, which products are hypoallergenic",
    "my lips look swollen but its just the overlined lip liner lol",
    "i cant breathe through my nose with this cold, is the menthol balm too strong",
    # a fall with its cause named, a drink mistaken for another drink
    "she tripped and fell over on the stairs, her knee is red, which cream",
    "i drank the water thinking it was gin lol",
    # raw skin with nothing open said plainly
    "my cheeks are raw from scrubbing too hard, not broken or bleeding, which balm helps",
    # one skin sign with the others plainly denied
    "a few hives on my neck after the perfume, no swelling no breathing problems",
    "having a reaction to the sunscreen i think, small rash on my chest, no other symptoms",
])
def test_near_miss_families_are_left_alone(text: str) -> None:
    assert assess_message(text).verdict is SafetyVerdict.NONE


@pytest.mark.parametrize(("text", "kind"), [
    # a hair remover or relaxer in the eye: the product itself is the sign (six languages)
    ("got hair removal cream in my eye", EYE),
    ("se me metio crema depilatoria en el ojo", EYE),
    ("j ai de la creme depilatoire dans l oeil", EYE),
    ("enthaarungscreme ist mir ins auge gekommen", EYE),
    ("mi e finita la crema depilatoria nell occhio", EYE),
    ("caiu creme depilatorio no meu olho", EYE),
    # the skin around the eye is a burn of the skin there; in the eye it stays an eye emergency
    ("the skin around my eye is blistering after the peel", BURN),
    ("ampollas debajo del ojo despues del peeling", BURN),
    ("the skin under my eye is blistered and my eye burns", EYE),
    # swelling compared with filler is still swelling
    ("my tongue feels thick and my lips look like filler gone wrong", ANA),
    ("lips puffed up like filler and my throat feels tight", ANA),
    # a skin product taken by mouth, or mistaken for a drink; sucked out of its container
    ("she took the serum orally thinking it was a supplement", SWALLOWED),
    ("my grandpa drank the toner, he thought it was medicine", SWALLOWED),
    ("he sucked out half of the roll on deodorant", SWALLOWED),
    # a burning that rinsing has not stopped, a skin gone white with an acid (en, es, pt)
    ("my face is burning even though ive rinsed it for 20 minutes, the acid was strong", BURN),
    ("me arde aunque ya me lave con agua", BURN),
    ("lo lave con agua y sigue ardiendo", BURN),
    ("ainda arde mesmo depois de lavar", BURN),
    ("lavei e continua ardendo muito", BURN),
    ("el peeling me dejo la piel y se puso blanca", BURN),
    ("a pele ficou branca com o acido", BURN),
    # a child who got at a product and "had some"
    ("my 3 year old opened the night cream and had some", SWALLOWED),
    # whatever it was, drunk for a drink; a collapse with a few words between the person and the fall
    ("a customer drank the developer thinking it was her water", SWALLOWED),
    ("my wife went pale and fell over after the scalp tonic, she has red welts on her arms", ANA),
    # Italian "sta per svenire" is about to faint ("per" is not "for" there)
    ("mia figlia sta per svenire", ANA),
])
def test_new_emergency_families_are_caught(text: str, kind: EmergencyKind) -> None:
    assessment = assess_message(text)
    assert (assessment.verdict, assessment.kind) == (SafetyVerdict.EMERGENCY, kind)
    assert assessment.evidence != NET_EVIDENCE  # caught by a rule, not left to the second net


@pytest.mark.parametrize(("text", "kind"), [
    # the quieting cues stop at their own clause or case: the harm question about a child, a real event after
    # the pet's, a sign felt now after a side-effect question, a sign after the news, a modal meaning "was able to"
    ("my son just drank half the toner, is it bad for him??", SWALLOWED),
    ("mi hijo se bebio el tonico, le hace dano?", SWALLOWED),
    ("my dog ate a sock and my son drank some of the toner", SWALLOWED),
    ("my dog ate my retinol serum", SWALLOWED),
    ("my toddler puts everything in his mouth and he just swallowed some retinol cream", SWALLOWED),
    ("is fainting a side effect? because i just fainted", ANA),
    ("is this a side effect? my lips are swelling and throat is tight", ANA),
    ("saw a video about this serum, now my throat is closing up", ANA),
    ("whats the difference between this and a chemical burn, my skin is peeling off in sheets after the acid", BURN),
    ("i could barely open my eye after the toner got in it", EYE),
    ("hes ill after drinking the toner", SWALLOWED),
    ("got toner in my eye and it doesnt hurt anymore but i cant see properly", EYE),
    ("got acid in my eye and it burns, i can see fine though", EYE),
    ("i cried so much and now my throat is closing and i cant breathe", ANA),
    ("in march i had a reaction, and now my lips are swelling again", ANA),
    # two signs still combine when the others are denied; a denial does not reach a third sign told after "but"
    ("hives all over and my tongue is tingling, no other symptoms", ANA),
    ("hives everywhere, no breathing problems but my lips are swelling", ANA),
    # a denial of eating about another person, or of eating "anything else", leaves the swallowing
    ("my daughter drank the toner but my son didnt eat any", SWALLOWED),
    ("he got into the cabinet and drank some bleach cleanser but didnt eat anything else", SWALLOWED),
    ("my face is peeling off in sheets after the acid peel", BURN),
    # a supplement word inside a skin product's name is no supplement
    ("i swallowed my vitamin c serum by accident", SWALLOWED),
    ("i swallowed two retinol capsules thinking they were vitamins", SWALLOWED),
    ("she tried to eat the cream and i stopped her but she already swallowed some", SWALLOWED),
    ("does anyone know what to do my baby swallowed toner", SWALLOWED),
    ("does anyone else have hives, my lips are swelling now", ANA),
    # a cause named for the product, in the other languages, is no other cause
    ("se me hincha la cara por la crema y no puedo respirar", ANA),
    ("meine lippen schwellen an wegen der creme", ANA),
    ("minha garganta ta fechando por causa do creme", ANA),
    ("con este calor me desmaye y tengo ronchas por todo el cuerpo despues de la crema", ANA),
    ("i cant breathe through my nose or mouth after the cream", ANA),
    ("my lips look swollen and its not the lip liner, they are huge", ANA),
    ("took an antihistamine and it didnt help, my throat is closing", ANA),
    ("i put the cream on this morning and now my vision is blurry", EYE),
    # the broad causes of the other languages, a tattoo or chapped skin only quiet a sign that would ask
    ("minha garganta ta fechando depois do creme e tenho manchas do calor", ANA),
    ("me salieron ampollas en los labios agrietados con el acido", BURN),
    ("the peel gave me a chemical burn right over my tattoo", BURN),
    # a product's own mint is no other cause; a crying child is no explanation; avoiding it getting worse is now
    ("my tongue is swelling, is it the mint in the balm?", ANA),
    ("my baby has been crying for hours and her face is swollen after the cream", ANA),
    ("my lips are swelling, how do i avoid it getting worse", ANA),
    ("i put on the new lipstick and my lips are huge, its just the gloss on top too", ANA),
    # a report in the media is about someone else; what the writer was doing is not
    ("i was watching a video and my son drank the toner", SWALLOWED),
    ("i was reading a post about sunscreen and my daughter swallowed some of the serum", SWALLOWED),
    # raw skin with a sign of its own, or with nothing denied, stays a burn
    ("my skin is raw and weeping after the peel", BURN),
    ("my face is totally raw after the tca peel", BURN),
    # an eye sign with a lash or drops named still counts
    ("got peel in my eye, used eye drops but it still burns like crazy", EYE),
])
def test_the_new_cues_keep_real_emergencies(text: str, kind: EmergencyKind) -> None:
    assessment = assess_message(text)
    assert (assessment.verdict, assessment.kind) == (SafetyVerdict.EMERGENCY, kind)
    assert assessment.evidence != NET_EVIDENCE


@pytest.mark.parametrize("text", [
    "me entro crema en el ojo",  # a product in the eye with no sign still asks its one question
    "got foundation in my eye, is that bad",
    "a few hives on my arm after the lotion",  # one sign, the others not denied: ask
])
def test_short_of_a_sign_the_triage_question_stays(text: str) -> None:
    assert assess_message(text).verdict is SafetyVerdict.ASK


@pytest.mark.parametrize("text", [
    # nervous laughter with a plea for help: the signs stand (laughter alone used to take them back)
    "lol i feel faint and my lips are swelling after the serum, help",
    "haha ok my throat is closing up after that mask help",
    "jajaja se me cierra la garganta despues de la crema ayuda",
    "mdr ma gorge se ferme apres la creme au secours",
    "kkkk minha garganta esta fechando depois do creme socorro",
])
def test_laughter_does_not_take_back_a_sign_when_the_message_pleads_for_help(text: str) -> None:
    assessment = assess_message(text)
    assert (assessment.verdict, assessment.kind) == (SafetyVerdict.EMERGENCY, ANA)


@pytest.mark.parametrize("text", [
    "this serum is so good i could faint lol",  # a joke, no plea
    "i almost fainted at the price lol help me choose a cheaper one",  # the price still explains it
    "my skin cant breathe under this foundation lol help",  # a figure of speech, not a sign
])
def test_a_joke_stays_a_joke_even_with_a_plea(text: str) -> None:
    assert assess_message(text).verdict is SafetyVerdict.NONE
