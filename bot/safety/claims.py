"""Cosmetic wording only: the one definition of a medical (drug-like) claim.

A cosmetic ingredient is "a cosmetic ingredient, not a medicine": nothing we store or say may claim that it
treats, cures, heals, repairs, reverses, prevents or relieves a condition, kills bacteria, is
anti-inflammatory, is a therapy or is regenerative. Two places ask this module and only this module:
``knowledge.schema`` rejects a profile whose text makes a claim (naming the file, field and words), and
``bot.answers.answer.build_answer`` refuses to compose a reply that makes one.

How a sentence is judged:

* Claim phrases are one precompiled regular expression. Claim verbs that are also everyday words
  (prevent, relieve, restore, reduce, soothe, kill...) only count with a medical object ("prevents acne",
  "relieves itching", "kills bacteria"); "prevents moisture loss" or "soothes dry skin" are cosmetic. The
  appearance hedge ("reduces the look of ...") keeps a sentence cosmetic.
* Honest negatives are allowed: "it does not cure acne", "it is not a treatment for eczema",
  "it isn't meant to diagnose, treat, cure or prevent any disease". A negation's scope ends at the end of
  its clause (punctuation ; : ( ) dashes, "but", "so", a comma or "and" that starts something new), so it
  never cancels a later claim: "it isn't just a moisturiser, it treats eczema" is a claim. Intensifiers
  that look like negations ("not just", "no wonder", "no more", "don't need a prescription") negate
  nothing.
* The check does not know who the subject is, so wording about doctors avoids claim verbs too
  ("a dermatologist can help with eczema", not "a dermatologist can treat eczema").

The corpus in ``tests/safety/claims_corpus.yml`` pins both directions; add a sentence there before
changing a pattern.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# -- what a claim is ---------------------------------------------------------------------------------------

# Medical conditions and effects. "-prone" describes a skin type ("acne-prone skin"), not a condition.
_CONDITION = (
    r"(?:acne|breakouts?|pimples?|eczema|psoriasis|rosacea|dermatitis|melasma|vitiligo|keratosis|"
    r"(?:skin |fungal |bacterial )?infections?|inflammation|inflamed skin|diseases?|disorders?|"
    r"skin conditions?|wounds?|lesions?|ulcers?|(?:sun)?burns?|scars?|scarring|cancer|tumou?rs?|"
    r"(?:dna|cell|cellular|sun|uv) damage|damaged (?:skin|cells?|dna|tissues?)|dna|"
    r"itch(?:ing|iness)?|pain|allerg(?:y|ies)|allergic reactions?|hives|rash(?:es)?|cold sores?|warts?|"
    r"symptoms?|flare-?ups?|hair loss)"
    r"(?![-\s]prone)\b"
)
# Words that may sit between a claim verb and its condition ("relieves the symptoms of eczema"). A fixed
# list rather than "any word", so a verb never reaches a condition in another phrase; appearance words
# (look, appearance, visible) are deliberately absent: "reduces the look of scars" is cosmetic.
_FILLER = (
    r"(?:the|your|its|their|his|her|our|any|all|most|many|some|of|from|against|future|further|mild|"
    r"moderate|severe|stubborn|existing|persistent|painful|recurring|recurrent|active|adult|hormonal|"
    r"chronic|common|nasty|annoying|angry|itchy|red|inflamed|facial|body|skin|skin's|symptoms|signs|"
    r"cases|bouts|risk|chance|even|up|to|harmful|acne-causing|odou?r-causing|\d+%)"
)
_REACH = rf"(?:\s+{_FILLER}){{0,4}}\s+"
# Everyday verbs that only claim something with a medical object.
_CONDITION_VERB = (
    r"(?:prevent\w*|prevention of|relie(?:ve|ves|ved|ving|f)|alleviat\w*|restor\w*|revers\w*|"
    r"fight(?:s|ing)?|combat\w*|clear(?:s|ed|ing)?|eliminat\w*|eradicat\w*|stop(?:s|ped|ping)?|"
    r"get(?:s|ting)? rid of|reduc\w*|lessen\w*|minimi[sz]\w*|diminish\w*|improv\w*|eas(?:e|es|ed|ing)|"
    r"sooth\w*|calm(?:s|ed|ing)?|banish\w*|fix(?:es|ed|ing)?|tackl\w*|suppress\w*|control(?:s|led|ling)?|"
    r"manag(?:e|es|ed|ing)|protect\w*(?: skin| the skin)? (?:against|from)|protect\w*)"
)
_MICROBES = r"(?:bacteria|germs|microbes|viruse?s?|fung(?:i|us)|yeasts?|mites|pathogens|infections?)"
_CLAIM_VERB = (
    r"(?:treat|cure|heal|prevent|relieve|restore|repair|reverse|fight|clear|reduce|eliminate|stop|kill|"
    r"combat)"
)

_CLAIM_PATTERNS = (
    # treats / treated / treating, but not "treat yourself", "treat your skin to a mask", "heat-treated"
    r"(?<![-\w])(?<!heat )treat(?:s|ed|ing)?\b(?!\s+(?:yourself|themselves|oneself|"
    r"(?:your|their|the) skin to)\b)",
    r"\btreatments?\s+(?:for|of|against)\b",
    r"(?<![-\w])cur(?:e|es|ed|ing|ative)\b",
    r"\bheal(?:s|ed|ing|er)?\b",
    r"\bregenerat\w*",
    r"\bremed(?:y|ies|ial)\b",
    r"\btherap(?:y|ies|eutic|eutically)\b",
    r"\bmedicinal\b",
    r"\bmedical(?:ly)?[-\s](?:grade|benefits?|effects?|properties|proven)\b",
    r"\b(?:clinically|medically|scientifically)\s+(?:proven|shown|tested|demonstrated)\s+to\s+"
    + _CLAIM_VERB + r"\w*",
    # repairs the skin / DNA / damage; product names ("barrier repair cream") stay allowed
    r"\brepair(?:s|ed|ing)?\b(?!\s+(?:creams?|balms?|serums?|masks?|lotions?|gels?|products?|"
    r"formulas?|range|line|kits?)\b)",
    r"\banti-?\s?(?:inflammator\w*|bacterial|microbial|septic|fungal|viral|biotic|acne)\b",
    r"\b(?:disinfect\w*|germicid\w*|bactericid\w*)",
    rf"\bkill(?:s|ed|ing)?{_REACH}{_MICROBES}\b",
    rf"\brevers\w*{_REACH}(?:ageing|aging|the ageing process|the aging process|wrinkles)\b",
)
# Claims that need a medical condition in the sentence: only tried when one is there (most are not).
_CONDITION_CLAIM_PATTERNS = (
    rf"\b{_CONDITION_VERB}{_REACH}{_CONDITION}",
    rf"\b{_CONDITION}\s+(?:treatments?|cures?|remed(?:y|ies)|therap(?:y|ies)|relief)\b",
)
# Cosmetic phrases that contain a claim word; matched first so the claim patterns never see them.
_COSMETIC = r"\ban?\s+(?:[a-z]+\s+)?treat\b"  # the noun: "a real treat for tired skin"
# Matched against lower-cased text (ASCII only, so positions stay those of the original sentence).
_CLAIM = re.compile(f"(?P<cosmetic>{_COSMETIC})|" + "|".join(f"(?:{p})" for p in _CLAIM_PATTERNS))
# Cheap literal gates (a tenth of the cost of the patterns): a sentence without any of these stems cannot
# match the patterns behind them, so most sentences of an answer are cleared by two plain searches. A new
# pattern needs its stem here (its corpus sentence fails until it has one).
_CLAIM_STEMS = re.compile(
    "treat|cur|heal(?!th)|regenerat|remed|therap|medic|clinical|scientific|repair|anti|disinfect|germicid|"
    "bactericid|kill|revers"
)
_CONDITION_STEMS = re.compile(
    "acne|breakout|pimple|eczema|psoria|rosacea|dermatit|melasma|vitiligo|keratos|infect|inflam|disease|"
    "disorder|condition(?!ing)|wound|lesion|ulcer|burn|scar|cancer|tumo|damage|dna|itch|pain|allerg|hives|rash|"
    "sore|wart|symptom|flare|hair loss"
)
_CONDITION_CLAIM = re.compile("|".join(f"(?:{p})" for p in _CONDITION_CLAIM_PATTERNS))
_PLAIN = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ\u2019", "abcdefghijklmnopqrstuvwxyz'")

# -- how far a negation reaches --------------------------------------------------------------------------

_NEGATION = frozenset({
    "not", "no", "never", "nor", "neither", "without", "cannot", "isn't", "aren't", "wasn't", "weren't",
    "doesn't", "don't", "didn't", "won't", "wouldn't", "can't", "couldn't", "shouldn't", "mustn't", "hasn't",
    "haven't", "hadn't", "isnt", "arent", "doesnt", "dont", "didnt", "wont", "cant", "couldnt", "shouldnt",
})
# A negation followed by one of these negates nothing: "not just", "no wonder", "don't need a prescription".
_NOT_A_NEGATION = re.compile(
    r"\s*(?:just|only|merely|simply|to mention|other|wonder|more|longer|doubt|a doubt|question|"
    r"fail|fails|ceases?|need|needed|a prescription|prescription|wait|hesitate|forget|miss|matter|"
    r"mistake|surprise)\b",
)
# Words that end a clause, and so a negation's reach.
_CLAUSE_END = frozenset({
    ";", ":", "(", ")", "-", "but", "yet", "however", "although", "though", "whereas", "while", "instead",
    "rather", "so", "because", "since", "unless", "plus", "still",
})
# A negated verb that can head a list of claim verbs: "not intended to diagnose, treat or cure".
_LIST_HEADS = frozenset({"diagnose", "diagnosing", "mitigate", "mitigating"})
_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)*|[,;:()]|\s[-\u2013\u2014]+\s|[\u2013\u2014]|--")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


#: What to do about a claim in a profile (the loader's hint, after the file, field and offending words).
CLAIM_FIX = (
    "a cosmetic ingredient, not a medicine: describe how skin looks or feels instead (no treats, cures, "
    "heals, repairs, reverses, prevents or relieves a condition, kills bacteria, anti-inflammatory, "
    "therapy or regenerative; an honest negative such as 'it does not cure acne' is fine)"
)


@dataclass(frozen=True)
class Claim:
    """A sentence that makes a medical claim, with the words that make it."""

    sentence: str
    words: str


def find_claims(text: str) -> list[Claim]:
    """Every sentence of ``text`` that makes an affirmative medical claim (honest negatives are fine)."""
    claims = []
    for sentence in _SENTENCE_END.split(text):
        sentence = sentence.strip()
        plain = sentence.translate(_PLAIN)  # same length: positions stay valid in `sentence`
        spans = _claim_spans(plain)
        affirmed = _first_affirmed(plain, spans) if spans else None
        if affirmed is not None:
            claims.append(Claim(sentence, sentence[affirmed[0]:affirmed[1]]))
    return claims


def treatment_claims(text: str) -> list[str]:
    """The sentences of ``text`` that make an affirmative medical claim."""
    return [claim.sentence for claim in find_claims(text)]


def _claim_spans(plain: str) -> list[tuple[int, int]]:
    """Where the claim phrases of one lower-cased sentence are, in order (negated or not)."""
    spans = []
    if _CLAIM_STEMS.search(plain):
        spans = [m.span() for m in _CLAIM.finditer(plain) if m.group("cosmetic") is None]
    if _CONDITION_STEMS.search(plain):
        spans += [m.span() for m in _CONDITION_CLAIM.finditer(plain)]
        spans.sort()
    return spans


def _first_affirmed(sentence: str, spans: list[tuple[int, int]]) -> tuple[int, int] | None:
    """The first claim span that no negation of its own clause governs (None: every claim is negated)."""
    negated = claimed = False  # claimed: a negated claim was already seen in this scope
    previous = ""
    tokens = [t for t in _TOKEN.finditer(sentence) if not any(s <= t.start() < e for s, e in spans)]
    events: list[tuple[int, re.Match[str] | tuple[int, int]]] = sorted(
        [(t.start(), t) for t in tokens] + [(span[0], span) for span in spans], key=lambda e: e[0]
    )
    for index, (_, token) in enumerate(events):
        if isinstance(token, tuple):  # a claim
            if not negated:
                return token
            claimed = True
            previous = ""
            continue
        word = token.group(0).strip()
        word = "-" if word in ("\u2013", "\u2014", "--") or set(word) <= {"-", "\u2013", "\u2014"} else word
        next_is_claim = index + 1 < len(events) and isinstance(events[index + 1][1], tuple)
        if word in _NEGATION:
            if not _NOT_A_NEGATION.match(sentence, token.end()):
                negated, claimed = True, False
        elif word in _CLAUSE_END:
            negated = claimed = False
        elif word in (",", "and"):
            # a list of negated claims goes on ("won't treat, cure or prevent"); anything else ends the clause
            if not (negated and next_is_claim and (claimed or previous in _LIST_HEADS)):
                negated = claimed = False
        previous = word
    return None
