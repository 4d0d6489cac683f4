"""Words around a symptom that change what it means: negation, hypotheticals, cosmetic uses, history.

"no swelling, just redness" (negated), "will it make my lips swell?" (hypothetical), "does it reduce
swelling under my eyes?" (cosmetic), "I had anaphylaxis to milk as a kid" (history), "the swelling went
down" (resolved) are not emergencies. Every cue has a scope: negation ends at the clause (a comma,
"but", "just", a new subject after "and"), a hypothetical or history cue at the sentence or at a change
of subject ("btw", "anyway", "but"). All patterns run on normalised text (bot.safety.text_normal).
"""

from __future__ import annotations

import re

from bot.safety.phrase_rules import NEGATORS, words

# Subjects and possessives: a word that starts a new proposition ("no i cant breathe": "no" answers
# something else, "i cant breathe" is the news).
SUBJECTS: frozenset[str] = frozenset(
    """
    i im ive id my me mine he hes his him she shes her they theyre their them we were our us you your it its
    this that there theres son daughter baby kid child husband wife
    yo mi mis me su sus el ella nosotros le lo la
    je j mon ma mes il elle nous on son sa ses
    ich mein meine meinen meinem er sie wir es
    io mio mia miei mie lui lei noi gli
    eu meu minha meus minhas ele ela nos
    """.split()
)

# A bare "no" is an answer or an exclamation unless a symptom follows it straight away.
BARE_NO: frozenset[str] = frozenset({"no", "non", "nao", "nein", "nope", "nah"})
# Patterns that are negative by themselves ("cant breathe", "no puedo respirar"): a "no" before them
# is emphasis, never a double negation ("no no i cant breathe", "no cant breathe").
NEGATIVE_OPENERS = re.compile(r"(?:cant|cannot|unable|not|no|nao|non|ne|n|kann|kein|keine|nicht)\b")
NEGATION_WINDOW = 4

# Where a negation's scope ends inside a sentence.
CLAUSE_BREAKERS: frozenset[str] = frozenset(
    """
    but however though although just only except yet still btw also anyway actually now then plus so
    pero sino aunque solo ahora mais sauf seulement juste maintenant aber sondern nur jetzt doch
    ma pero solo adesso ora pero mas porem so agora
    """.split()
)
# "and"/"y"/"et"/"und"/"e" end a clause when a new subject follows ("no rash and my lips are swelling").
CONJUNCTIONS: frozenset[str] = frozenset({"and", "y", "e", "et", "und", "or", "o", "ou", "oder"})
# Where a hypothetical or history cue's scope ends: a change of subject.
TOPIC_BREAKERS: frozenset[str] = frozenset(
    "but however btw anyway also though although actually pero mais aber ma mas porem".split()
)

HYPOTHETICAL = re.compile(r"\b" + words(
    "if", "what if", "in case", "incase", r"(?:will|would|could|can|might|may|does|do|did|should|is|are) "
    r"(?:it|this|that|they|these|the \w+|this \w+|that \w+|any \w+)", r"cause\w*", r"trigger\w*", "risk",
    "chance", "possible", "possibly", "likely", "side effects?", "prevent", "is it safe", r"safe (?:for|to|if)",
    "ok for", "okay for", "suitable", "supposed to", "will i", "would i", "could i",
    "should i worry", "how do i know", "how would i know", "signs of", "symptoms of",
    "tell me about", "in general", "hypothetically",
    "que pasa si", "y si", "puede causar", "puede provocar", "puede dar", "es seguro",
    "peut provoquer", "peut causer", "peut donner", "et si", "est ce que", "est il",
    "wenn", "falls", "kann es", "kann das", "verursachen", "ist es",
    "cosa succede se", "e se", "puo causare", "puo provocare", "puo dare", "e sicuro",
    "o que acontece se", "pode causar", "pode provocar", "pode dar", "e seguro",
) + r"\b")
COSMETIC_BEFORE = re.compile(r"\b" + words(
    r"reduc\w*", "depuff", r"de puff\w*", r"help\w* (?:with|reduce|calm|soothe)", "good for", "for", "against",
    "get rid of", r"minimi[sz]\w*", "fade", r"calm\w*", r"sooth\w*", r"treat\w*", r"prevent\w*", "less", "anti",
    "bring down", "take down", r"fight\w*", "morning", "tackle", r"target\w*", "combat", "improve",
    r"reduz\w*", r"reduc\w*", r"redui\w*", r"ridur\w*", r"reduzier\w*", "contra", "contre", "gegen", "pour", "para",
    "per",
) + r"\b")
COSMETIC_ANYWHERE = re.compile(r"\b" + words(
    r"plump\w*", r"under (?:my |the |his |her )?eyes?", r"undereye\w*", r"under eye\w*", "eye bags", r"bags",
    r"puffy eyes", r"puffiness", "dark circles", "lip filler", r"fillers?", "bee sting", "volume", "fuller",
    "ojeras", "cernes", "augenringe", "occhiaie", "olheiras", "bolsas", "poches", "tranenssacke", "borse",
) + r"\b")
HISTORY = re.compile(r"\b" + words(
    r"as an? (?:kid|child|baby|teen|teenager|toddler)", r"when (?:i|he|she) (?:was|were) (?:a |little|young|\d)",
    r"\w+ (?:years?|months?|weeks?) ago", "years ago", "in the past", "history of", r"used to", "once had",
    "previously", "last (?:year|month|summer|winter|time)", "childhood", r"carry", r"carries", "carrying",
    r"prescribed", r"allergic to", r"anaphylactic to", r"allergy to", r"allergies", "diagnosed", "my allergist",
    "always have", "have an epipen", "has an epipen", "have epipens", "keep an epipen", "in case",
    "cuando era", r"hace (?:\w+ )?anos", "de nino", "de nina", "de pequeno", "de pequena", "alergico a", "alergica a",
    "quand j etais", "il y a", "enfant", "allergique a", "als kind", r"vor \w+ jahren", "vor jahren",
    "allergisch gegen",
    "da bambino", "da bambina", r"anni fa", "allergico a", "allergica a",
    "quando eu era", r"anos atras", "ha anos", "quando crianca", "alergico a", "alergica a",
) + r"\b")
PRESENT = re.compile(r"\b" + words(
    "now", "right now", "currently", "today", "tonight", "this morning", "this evening", "just now", "again",
    r"after (?:using|applying|putting|i used|i put|i applied)", r"since (?:i|using|applying|putting)", "still",
    r"(?:is|are|am|im) (?:swelling|closing|getting|starting|having|going|burning)", "getting worse", "worse",
    "ahora", "ahorita", "maintenant", "jetzt", "gerade", "adesso", "ora", "agora", "hoy", "aujourd hui", "heute",
    "oggi", "hoje",
) + r"\b")
RESOLVED_AFTER = re.compile(r"^(?: \w+){0,5}? " + words(
    "went down", "gone down", "going down", "has gone", "is gone", "are gone", "subsided", "fine now",
    "better now", "settled", r"cleared(?: up)?", "passed", "ok now", "okay now", "fine", "disappeared",
    "se fue", "desaparecio", "a disparu", "ist weg", "e sparito", "e passato", "sumiu", "passou",
) + r"\b")
RINSED_BEFORE = re.compile(r"\b" + words("rinsed", "washed it out", "flushed it out") + r"\b")
MILD = re.compile(r"\b" + words(
    "a bit", "a little", "little bit", "slight", "slightly", "mild", "mildly", "tiny", "minor", "barely", "normal",
    "un poco", "un peu", "ein bisschen", "leicht", "un po", "um pouco",
) + r"\b")


def negation_cue(before: list[str], match_text: str) -> bool:
    """True when the words before a symptom (same clause, nearest last) negate it.

    A negation counts only close to the symptom, with no new subject in between ("i dont know why my lips
    are swelling" is not negated), and a bare "no" never negates a pattern that is itself negative.
    """
    window = before[-NEGATION_WINDOW:]
    for distance, word in enumerate(reversed(window)):
        if word in SUBJECTS and distance > 0:
            return False
        if word in NEGATORS or word in BARE_NO:
            if word in BARE_NO and NEGATIVE_OPENERS.match(match_text):
                return False
            if word in BARE_NO and distance > 2:
                return False
            return True
        if word in SUBJECTS:
            return False
    return False
