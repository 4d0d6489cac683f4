"""The emergency detector: real emergencies as people type them are caught with the right kind and language;
harmless messages that share their words are not."""

from __future__ import annotations

import pytest

from bot.safety.emergency import (
    SUPPORTED_LANGUAGES,
    EmergencyKind,
    SafetyAssessment,
    SafetyVerdict,
    assess_message,
    detect_language,
)

ANAPHYLAXIS, SWALLOWED, EYE, BURN = (EmergencyKind.ANAPHYLAXIS, EmergencyKind.SWALLOWED, EmergencyKind.EYE,
                                     EmergencyKind.BURN)


def assert_emergency(text: str, kind: EmergencyKind, language: str = "en") -> SafetyAssessment:
    assessment = assess_message(text)
    assert assessment.verdict is SafetyVerdict.EMERGENCY, (text, assessment)
    assert assessment.kind is kind, (text, assessment)
    assert assessment.language == language, (text, assessment)
    assert assessment.evidence, "the words that triggered it are reported"
    return assessment


def assert_harmless(text: str) -> None:
    assessment = assess_message(text)
    assert assessment.verdict is SafetyVerdict.NONE, (text, assessment)
    assert assessment.kind is None and assessment.evidence == ""


# The issue's examples, both directions.
@pytest.mark.parametrize(("text", "kind"), [
    ("no i cant breathe", ANAPHYLAXIS),
    ("no no no my lips are swelling", ANAPHYLAXIS),
    ("i feel dizzyness and my skin itches", ANAPHYLAXIS),
    ("i used my epi pen", ANAPHYLAXIS),
    ("my toddler swallowed some cream", SWALLOWED),
    ("cream in my eye cant open it and vision is blurry", EYE),
    ("is it vegan? btw my throat feels like it's closing since I used it", ANAPHYLAXIS),
])
def test_issue_emergencies_are_caught(text: str, kind: EmergencyKind) -> None:
    assert_emergency(text, kind)


@pytest.mark.parametrize("text", [
    "does it reduce swelling under my eyes?",
    "will it make my lips swell like a lip plumper?",
    "can it fade faint dark spots",
    "I carry an epipen for peanuts, is this ok for me?",
    "I had anaphylaxis to milk as a kid, can I use it?",
    "the mask left my face feeling tight",
    "my lips are not swollen, just a bit dry",
])
def test_issue_near_misses_are_harmless(text: str) -> None:
    assert_harmless(text)


@pytest.mark.parametrize(("text", "kind"), [
    # anaphylaxis signs in many wordings
    ("HELP MY SON CANT BREATHE AFTER I PUT SUNSCREEN ON HIM", ANAPHYLAXIS),
    ("i can hear myself wheezing", ANAPHYLAXIS),
    ("my voice went all croaky and my throat is tight", ANAPHYLAXIS),
    ("cant swallow properly and my throat feels weird", ANAPHYLAXIS),
    ("my girlfriends face is blowing up like a balloon after the clay mask", ANAPHYLAXIS),
    ("i have hives and feel like im going to pass out", ANAPHYLAXIS),
    ("she collapsed in the bathroom after using your cream", ANAPHYLAXIS),
    ("jabbed my epipen into my thigh 5 min ago what now", ANAPHYLAXIS),
    ("i used my epipen and im ok now, what next", ANAPHYLAXIS),
    ("severe allergic reaction happening right now", ANAPHYLAXIS),
    ("i think im going into anaphylactic shock", ANAPHYLAXIS),
    # typos, caps, non-native English
    ("my tounge is swelling", ANAPHYLAXIS),
    ("i cnt breathe", ANAPHYLAXIS),
    ("i am allergic reaction very strong, face big, cannot breath good", ANAPHYLAXIS),
    ("is this cruelty free? also my lips r swelling up rn", ANAPHYLAXIS),
    # swallowed, especially a child
    ("toddler ate a tube of lip balm", SWALLOWED),
    ("my 2 year old just had a mouthful of the cleanser", SWALLOWED),
    ("how toxic is this if swallowed, my son just drank a bit", SWALLOWED),
    # product in the eye with pain, blurred vision or an eye that won't open
    ("glycolic acid went in my eye and it burns", EYE),
    ("got sunscreen in my eyes and they sting so bad i cant open them", EYE),
    ("splashed peel in my sons eye he's screaming", EYE),
    # chemical burns
    ("chemical peel left blisters all over my cheeks", BURN),
    ("my skin is peeling off in sheets after the tca peel", BURN),
    ("face is raw and weeping after the acid", BURN),
    ("still burning 3 hours after the peel even after washing", BURN),
    ("my skin turned white after the peel", BURN),
])
def test_each_kind_is_recognised_as_typed(text: str, kind: EmergencyKind) -> None:
    assert_emergency(text, kind)


@pytest.mark.parametrize(("text", "kind", "language"), [
    ("no puedo respirar", ANAPHYLAXIS, "es"),
    ("se me hinchan los labios y la lengua", ANAPHYLAXIS, "es"),
    ("mi hijo se trago la crema", SWALLOWED, "es"),
    ("se me metio crema en el ojo y no puedo abrirlo", EYE, "es"),
    ("me salieron ampollas despues del peeling", BURN, "es"),
    ("mon visage gonfle", ANAPHYLAXIS, "fr"),
    ("je n'arrive plus à respirer", ANAPHYLAXIS, "fr"),
    ("mon fils a avalé de la crème", SWALLOWED, "fr"),
    ("j'ai du sérum dans l'œil et ça brûle", EYE, "fr"),
    ("des cloques sur tout le visage après le peeling", BURN, "fr"),
    ("ich kriege keine Luft mehr", ANAPHYLAXIS, "de"),
    ("meine Lippen sind geschwollen", ANAPHYLAXIS, "de"),
    ("mein Sohn hat die Creme geschluckt", SWALLOWED, "de"),
    ("Creme im Auge und es brennt furchtbar", EYE, "de"),
    ("Blasen im Gesicht nach dem Peeling", BURN, "de"),
    ("non riesco a respirare", ANAPHYLAXIS, "it"),
    ("mi si gonfiano le labbra", ANAPHYLAXIS, "it"),
    ("mio figlio ha ingoiato la crema", SWALLOWED, "it"),
    ("crema nell'occhio e brucia tantissimo", EYE, "it"),
    ("vesciche sul viso dopo il peeling", BURN, "it"),
    ("não consigo respirar", ANAPHYLAXIS, "pt"),
    ("meus lábios estão inchando", ANAPHYLAXIS, "pt"),
    ("meu filho engoliu o creme", SWALLOWED, "pt"),
    ("caiu creme no olho e está ardendo muito", EYE, "pt"),
    ("bolhas no rosto depois do peeling", BURN, "pt"),
])
def test_emergencies_in_each_language_are_caught_with_their_language(
        text: str, kind: EmergencyKind, language: str) -> None:
    assert_emergency(text, kind, language)


@pytest.mark.parametrize("text", [
    "puede causar hinchazón en los labios?",
    "est-ce que la crème peut faire gonfler les yeux ?",
    "kann die Creme Schwellungen verursachen?",
    "può causare gonfiore alle labbra?",
    "pode causar inchaço nos olhos?",
    "j'ai failli m'évanouir en voyant le prix mdr",
])
def test_questions_in_other_languages_are_harmless(text: str) -> None:
    assert_harmless(text)


@pytest.mark.parametrize(("text", "kind"), [
    ("no i cant breathe", ANAPHYLAXIS),
    ("no, i really cant breathe", ANAPHYLAXIS),
    ("nope cant breathe", ANAPHYLAXIS),
    ("no cant breathe", ANAPHYLAXIS),
    ("no no no my lips are swelling", ANAPHYLAXIS),
    ("no rash but my throat is closing", ANAPHYLAXIS),
    ("no idea whats happening my tongue is swelling", ANAPHYLAXIS),
    ("i dont know why my lips are swelling", ANAPHYLAXIS),
    ("not joking my chest is tight", ANAPHYLAXIS),
])
def test_a_negation_does_not_swallow_an_emergency_after_it(text: str, kind: EmergencyKind) -> None:
    assert_emergency(text, kind)


@pytest.mark.parametrize("text", [
    "no swelling, just redness",
    "no swelling just redness",
    "my lips are not swollen, just a bit dry",
    "I have no trouble breathing, just a little redness",
    "i dont have any trouble breathing, just a little itch",
    "no swelling or redness at all, just curious about the ingredients",
    "no i didnt get it in my eye, i just want to know if its safe around the eyes",
    "sin hinchazón, solo un poco de rojez",
    "keine Schwellung, nur etwas Rötung",
])
def test_negated_symptoms_are_harmless(text: str) -> None:
    assert_harmless(text)


@pytest.mark.parametrize("text", [
    "can this cream cause swelling?",
    "what should i do if my toddler swallows some?",
    "what are the signs of anaphylaxis",
    "i had a severe allergic reaction to penicillin years ago, does the cream contain any antibiotics",
    "my friend passed out once from a fragrance, is this fragrance free?",
    "I feel faint just looking at the price lol",
    "i got a tiny bit in my eye but rinsed it and its fine now",
    "whats the best thing for puffy eyes in the morning",
    "my skin is peeling a little after retinol, is that normal?",
    "is it ok to use after sunburn",
    "which of your products suit skin that blisters easily in the sun",
    "i get dizzy when i stand up too fast, is that related to the serum?",
    "my face is a bit swollen after dental work, can i use the cream",
    "my dog licked my face after i put the cream on, is that ok?",
    "i ate breakfast then applied the cream",
])
def test_hypotheticals_history_and_everyday_skin_talk_are_harmless(text: str) -> None:
    assert_harmless(text)


@pytest.mark.parametrize(("text", "kind"), [
    ("i got some serum in my eye", EYE),
    ("i have hives all over my arms", ANAPHYLAXIS),
    ("i feel dizzy since i put it on", ANAPHYLAXIS),
    ("my throat feels itchy and scratchy since i sprayed it", ANAPHYLAXIS),
])
def test_unclear_present_symptoms_ask_one_triage_question(text: str, kind: EmergencyKind) -> None:
    assessment = assess_message(text)
    assert assessment.verdict is SafetyVerdict.ASK, (text, assessment)
    assert assessment.kind is kind


def _chatter(characters: int) -> str:
    sentence = ("I use a gentle cleanser, a niacinamide serum and SPF 50 every morning, and I was wondering if the "
                "new toner would fit in or whether it clashes with my retinol at night. ")
    return (sentence * (characters // len(sentence) + 1))[:characters]


@pytest.mark.parametrize(("last", "kind"), [
    ("sorry typing this now because my lips and tongue are swelling and my voice is hoarse", ANAPHYLAXIS),
    ("wait my toddler just drank some of the toner", SWALLOWED),
    ("ok the peel is still burning after an hour of rinsing and the skin is blistering", BURN),
])
def test_an_emergency_at_the_end_of_a_very_long_message_is_caught(last: str, kind: EmergencyKind) -> None:
    text = _chatter(12_000) + " " + last
    assert len(text) > 10_000
    assert_emergency(text, kind)
    assert_harmless(_chatter(12_000))


def test_long_history_before_a_plain_reassurance_is_harmless() -> None:
    text = ("when i was six i had anaphylaxis after eating a cashew, my throat swelled and i went to hospital in an "
            "ambulance, and since then i have carried an epipen everywhere. " + _chatter(1_500) +
            " to be clear i'm totally fine right now, i just want to avoid surprises.")
    assert_harmless(text)


@pytest.mark.parametrize("text", ["", "   ", None])
def test_empty_input_is_harmless(text: str | None) -> None:
    assert assess_message(text) == SafetyAssessment(SafetyVerdict.NONE, None, "en", "")


@pytest.mark.parametrize(("text", "language"), [
    ("is it safe while breastfeeding?", "en"),
    ("ok", "en"),
    ("es vegano este sérum?", "es"),
    ("est-ce que cette crème est vegan ?", "fr"),
    ("ist die Creme für empfindliche Haut?", "de"),
    ("questa crema è adatta alla pelle sensibile?", "it"),
    ("esse creme é bom para pele oleosa?", "pt"),
    ("этот крем подходит для чувствительной кожи?", "other"),
    ("dieses serum hilft mir nicht, aber ich mag es", "de"),
    ("kore wa nan desu ka totemo ii", "other"),
])
def test_language_detection(text: str, language: str) -> None:
    assert detect_language(text) == language
    assert language in (*SUPPORTED_LANGUAGES, "other")


def test_a_harmless_message_reports_its_language() -> None:
    assert assess_message("questa crema è adatta alla pelle sensibile?").language == "it"


@pytest.mark.parametrize(("text", "kind"), [
    ("my lips are swolen", ANAPHYLAXIS),
    ("im dizzyness and hives everywhere", ANAPHYLAXIS),
    ("anaphalaxis symptoms after serum", ANAPHYLAXIS),
    ("my vision is blury since the cream got in my eye", EYE),
])
def test_misspelt_symptom_words_are_read_right(text: str, kind: EmergencyKind) -> None:
    assert_emergency(text, kind)


@pytest.mark.parametrize("text", [
    "i heard it can make your face swell, is that true?",
    "i swallowed my pride and bought the expensive one",
    "got a bit of sunscreen on the beach towel",
    "i went bathing in the sea after applying it",
    "hilft die Creme gegen geschwollene Augen?",
])
def test_real_words_are_not_bent_into_symptoms(text: str) -> None:
    assert_harmless(text)


def test_the_real_word_list_was_built_for_the_current_rules() -> None:
    from bot.safety import real_words
    from bot.safety.emergency import corrector_keywords

    assert real_words.built_for() == real_words.keywords_digest(corrector_keywords()), (
        "the phrase rules changed: rebuild the list with `.venv/bin/python -m bot.safety.real_words`")
    assert {"heard", "beach", "pride"} <= real_words.load()
