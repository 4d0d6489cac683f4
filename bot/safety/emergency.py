"""The emergency detector: does this message report an emergency happening now, and which kind?

Runs on every message, on the whole text (before any length guard). Layers:

1. Normalisation (bot.safety.text_normal): case, accents, apostrophes, repeated letters, misspelt
   symptom words ("breth", "swolen", "dizzyness").
2. Phrase rules per language (bot.safety.phrases): whole-word patterns for each kind of emergency.
3. Context (bot.safety.context_cues): a symptom that is negated ("no swelling, just redness"),
   hypothetical ("will it make my lips swell?"), cosmetic ("reduce swelling under my eyes"), history ("I
   had anaphylaxis as a kid") or already resolved does not count. Negation ends at the clause; a bare
   "no" before "i cant breathe" is not a negation.
4. The verdict: EMERGENCY for a clear red flag (it is never overruled), ASK when something might be
   serious and one triage question should settle it, NONE otherwise. Two different worrying signs of an
   allergic reaction in one message ("hives" and "lips puffy") are an EMERGENCY, not a question.
5. A second net (bot.safety.second_net, when build/safety_net.json exists): a small classifier that may
   raise a NONE to EMERGENCY when it is very sure and no rule matched at all (a symptom the context took
   back stays taken back); it never changes a rule's EMERGENCY or ASK.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from functools import lru_cache

from bot.safety import context_cues as cues
from bot.safety import real_words, second_net
from bot.safety.language import SUPPORTED_LANGUAGES, detect_language, language_evidence
from bot.safety.message_text import ParsedMessage
from bot.safety.phrase_rules import PhraseRule
from bot.safety.phrases import ALL_RULES
from bot.safety.text_normal import KEYWORDS, SpellingCorrector

__all__ = ["SUPPORTED_LANGUAGES", "EmergencyKind", "SafetyAssessment", "SafetyVerdict", "assess_message",
           "detect_language"]


class EmergencyKind(str, enum.Enum):
    """What kind of emergency: decides the first-aid reply and names the urgent ticket."""

    ANAPHYLAXIS = "anaphylaxis"
    SWALLOWED = "swallowed"
    EYE = "eye"
    BURN = "burn"


class SafetyVerdict(str, enum.Enum):
    """What the assistant should do with the message."""

    EMERGENCY = "emergency"  # clear red flag: emergency reply, urgent ticket
    ASK = "ask"  # neither clearly an emergency nor clearly harmless: ask ONE triage question
    NONE = "none"  # harmless


@dataclass(frozen=True)
class SafetyAssessment:
    """The detector's answer for one message."""

    verdict: SafetyVerdict
    kind: EmergencyKind | None  # set for EMERGENCY (and for ASK when a kind is suspected)
    language: str  # detected language of the message, one of SUPPORTED_LANGUAGES, or "other"
    evidence: str  # the words that triggered it ("" for NONE)


def _rule_words() -> frozenset[str]:
    """Every plain word of five letters or more in the phrase rules: the spelling corrector's vocabulary."""
    found: set[str] = set()
    for rule in ALL_RULES:
        for pattern in (rule.pattern, rule.needs):
            if pattern is not None:
                found.update(re.findall(r"(?<![\\?])\b[a-z]{5,}\b", pattern.pattern))
    return frozenset(found)


def corrector_keywords() -> frozenset[str]:
    """What the spelling corrector corrects towards: the symptom keywords and every word of the rules."""
    return KEYWORDS | _rule_words()


def _rule_vocabulary() -> frozenset[str]:
    """Every plain word of the phrase rules, short ones too ("in", "cant", "eye")."""
    found: set[str] = set()
    for rule in ALL_RULES:
        for pattern in (rule.pattern, rule.needs):
            if pattern is not None:
                found.update(re.findall(r"(?<![\\?])\b[a-z]{2,}\b", pattern.pattern))
    return frozenset(found)


_CORRECTOR = SpellingCorrector(corrector_keywords(), real_words.load(), _rule_vocabulary())


@dataclass(frozen=True)
class _Hit:
    rule: PhraseRule
    kind: EmergencyKind
    level: str
    start: int
    evidence: str


# Kinds named by an event (something swallowed, something in the eye) rather than by a sign of the body.
_EVENT_KINDS = frozenset({"swallowed", "eye"})


_ATTEMPT_STOPS = cues.SUBJECTS | {"when", "while", "and", "then", "as", "until", "so", "cuando", "quand", "als",
                                  "wenn", "quando", "e", "y", "et", "und"}


def _since_subject(words: list[str]) -> list[str]:
    """The words after the last subject or linking word: "i was about to wash my face when he drank it" gives
    nothing before "drank" (the attempt was someone else's, and another event)."""
    for index in range(len(words) - 1, -1, -1):
        if words[index] in _ATTEMPT_STOPS:
            return words[index + 1:]
    return words


def _lead_in(sentence_before: str) -> str:
    """The few words at the end of ``sentence_before`` (a sentence up to a position), back to a comma or a
    subject ("just" does not cut them: "let me just drink the toner")."""
    lead = re.split(r" [,;:] ", " " + sentence_before)[-1].split()
    return " ".join(_since_subject(lead[-5:]))


def _counts(message: ParsedMessage, match: re.Match[str], rule: PhraseRule) -> bool:
    """False when the context takes the symptom back: negated, hypothetical, cosmetic, history, resolved."""
    start, end = match.start(), match.end()
    before = message.words_before(start)
    if cues.negation_cue(before, match.group(0)):
        return False
    sentence, sentence_start = message.sentence_of(start)
    after = sentence[end - sentence_start:]  # the rest of the symptom's sentence
    if rule.kind in _EVENT_KINDS:
        attempt = " ".join(_since_subject(before[-6:])) + " " + match.group(0)
        if cues.ALMOST.search(attempt) or (cues.TRIED.search(attempt) and cues.STOPPED_IN_TIME.search(sentence)):
            return False
        if cues.NOT_DONE.search(_lead_in(sentence[:start - sentence_start]) + " " + match.group(0)):
            return False  # "i could drink this toner", "let me just drink the toner": a wish or a joke
        said_fine = cues.PROFESSIONAL_SAID_FINE.search(after)
        if said_fine and not cues.SINCE_CHANGED.search(after[said_fine.end():]):
            return False  # "she drank some bubble bath, we called 111, they said fine"
    if (rule.kind == EmergencyKind.SWALLOWED.value and cues.animal_subject(before, match.group(0))
            and cues.PET_MATTER.search(message.text)):
        return False  # a pet ate or licked it, and the message makes it the vet's question
    if rule.kind == EmergencyKind.SWALLOWED.value and cues.SKIN_DRINKS.search(
            message.topic_before(start)[-60:] + match.group(0)):
        return False  # "skin is drinking the serum": a product sinking in, said as a figure of speech
    if rule.kind == EmergencyKind.SWALLOWED.value and cues.NOTHING_SWALLOWED_AFTER.search(after):
        return False  # "got into my makeup bag but didnt eat anything"
    topic = message.topic_before(start)
    if cues.HYPOTHETICAL.search(topic) or cues.DEFINITION_BEFORE.search(topic):
        return False
    if cues.MEDIA_REPORT.search(topic + message.text[start:end]):
        return False  # "read a story about a toddler who drank ..."
    if cues.QUESTION_START.search(" " + " ".join(before)):  # a yes/no question in the same clause
        return False
    if (len(before) == 1 and before[0] in cues.SIGN_AS_TOPIC_BEFORE
            and cues.SIGN_AS_TOPIC_AFTER.search(message.clause_after(end))):
        return False  # "is fainting a side effect of retinol?": the sign asked about, not felt
    if before and before[-1] in cues.NAME_BEFORE:
        return False  # "a plaster called blister fix": the word is a product's name
    near = before[-3:]
    if cues.COSMETIC_BEFORE.search(" ".join(near)) and not any(w in cues.SUBJECTS for w in near[1:]):
        return False
    around = message.topic_of(start, end)
    swelling = cues.SWELLING_WORD.search(match.group(0))
    if swelling and (cues.COSMETIC_ANYWHERE.search(cues.SIMILE.sub(" ", around))
                     or cues.COSMETIC_VERB.search(match.group(0))
                     or cues.JUST_COSMETIC.search(sentence)):
        return False  # "lip plumper", "puffy in the mornings": cosmetic swelling (not trouble swallowing)
    if any(cue.search(around) for cue in (cues.ABOUT_ANYWHERE, cues.OTHER_CAUSE)):
        return False
    if rule.unless is not None and rule.unless.search(around):
        # Laughter marks a joke unless the message pleads for help: then it is nerves, and the sign stands.
        if not (cues.PLEA.search(message.text) and not rule.unless.search(cues.LAUGHTER.sub(" ", around))):
            return False
    # History counts before the symptom or in its own clause: "she had hives" after "wife is unconscious, "
    # is another fact, not a date for the collapse.
    history_scope = sentence[:message.clause_end(end) - sentence_start]
    histories = list(cues.HISTORY.finditer(history_scope))
    # "... il y a deux ans ..., et aujourd hui ... ma langue gonfle": a word of now after the last history
    # cue brings the story back to now, even across a change of subject
    # ("last year my lips swelled, today i want to try another one": a word of now in a later clause is about
    # that clause)
    present_scope = topic + message.text[start:message.clause_end(end)]
    if histories and not (cues.PRESENT.search(present_scope)
                          or cues.PRESENT.search(history_scope[histories[-1].end():])):
        # "my partner had a reaction to the mask, his throat is tight": the history is told in another clause,
        # the symptom in its own clause in the present tense is happening now
        own_clause = message.clause_of(start, end)
        if cues.HISTORY.search(own_clause) or not cues.PRESENT_TENSE.search(own_clause):
            return False
    if not rule.lasting and (cues.RESOLVED_AFTER.search(message.clause_after(end))
                             or cues.RESOLVED_LATER.search(after)):
        return False
    return not (rule.level == "ask" and cues.MILD.search(sentence))


def _needs_met(message: ParsedMessage, rule: PhraseRule) -> bool:
    if rule.needs is None:
        return True
    return any(_counts(message, m, rule) for m in rule.needs.finditer(message.text))


_EYE = re.compile(r"\b(?:eyes?|ojos?|oeil|yeux|augen?|occhio|occhi|olhos?)\b")


_INTO_EYE = re.compile(r"\b(?:(?:in|into) (?:\w+ ){0,2}(?:eyes?|it|them)|got in|went in|splash\w*|dripped|"
                       r"squirt\w*|en (?:el|los|mi|mis) ojos?|dans (?:l|les|mon|mes) (?:oeil|yeux)|"
                       r"(?:ins|im|in die|in den) auge\w*|(?:nell|negli|nel) occh\w*|(?:no|nos) olhos?)\b")


# The eye named only as a place on the skin: "blistered under my eye" is a burn of the skin there.
_AROUND_EYE = re.compile(
    r"\b(?:(?:under|around|below|beneath|near|above|beside|next to|corner of|skin of) (?:my |his |her |their |the |"
    r"both |one )?(?:left |right )?eyes?|(?:debajo|alrededor|cerca|encima) de(?:l| los| mis| mi| sus| su)? ojos?|"
    r"(?:sous|autour de|pres de) (?:l |les |mes |mon |ses |son )?(?:oeil|yeux)|"
    r"(?:unter|um|neben) (?:dem|den|meinem|meinen|seinem|seinen|ihrem|ihren) augen?|"
    r"(?:sotto|intorno|vicino|attorno) (?:a |al |agli |all )?(?:l |gli |il |i |mio |miei )?occh\w*|"
    r"(?:embaixo|abaixo|debaixo|em volta|perto|ao redor|em torno) d(?:o|os|e) (?:meu |meus |seu |seus )?olhos?)\b")


def _kind(message: ParsedMessage, rule: PhraseRule, start: int, evidence: str) -> EmergencyKind:
    """The rule's kind, except that a burn in the eye, or an eye swollen after a product got into it, is an
    eye emergency (rinse, then eye care)."""
    sentence = message.sentence_of(start)[0]
    if rule.kind == EmergencyKind.BURN.value and _EYE.search(_AROUND_EYE.sub(" ", sentence)):
        return EmergencyKind.EYE
    if rule.kind == EmergencyKind.ANAPHYLAXIS.value and _EYE.search(evidence) and _INTO_EYE.search(sentence):
        return EmergencyKind.EYE
    return EmergencyKind(rule.kind)


def _rules_by_trigger() -> dict[str, list[int]]:
    index: dict[str, list[int]] = {}
    for number, rule in enumerate(ALL_RULES):
        for trigger in rule.triggers:
            index.setdefault(trigger, []).append(number)
    return index


_RULES_BY_TRIGGER = _rules_by_trigger()
_ALWAYS_RUN = frozenset(number for number, rule in enumerate(ALL_RULES) if not rule.triggers)


@lru_cache(maxsize=65536)
def _rules_for_word(word: str) -> frozenset[int]:
    """The rules (by number) with a trigger that begins this word."""
    found: set[int] = set()
    for length in range(3, len(word) + 1):
        found.update(_RULES_BY_TRIGGER.get(word[:length], ()))
    return frozenset(found)


def _candidate_rules(words: list[str]) -> list[int]:
    """The rules (by number) that may match a sentence of these words."""
    candidates: set[int] = set(_ALWAYS_RUN)
    for word in set(words):
        candidates.update(_rules_for_word(word))
    return sorted(candidates)


def _hits(message: ParsedMessage, prefilter: bool = True, taken_back: list[str] | None = None) -> list[_Hit]:
    """Every rule's first match that counts. Sentence by sentence, only the rules whose trigger words
    are in the sentence run (prefilter=False runs them all: the tests check both agree). Matches the
    context took back (negated, hypothetical, resolved...) are added to `taken_back` when given."""
    found: dict[int, _Hit] = {}
    reassured = cues.REASSURED.search(message.text)
    for start, end, words in message.sentences:
        numbers = _candidate_rules(words) if prefilter else range(len(ALL_RULES))
        for number in numbers:
            if number in found:
                continue
            rule = ALL_RULES[number]
            for match in rule.pattern.finditer(message.text, start, end):
                if (reassured and match.start() < reassured.start() and not rule.lasting) or not _counts(
                        message, match, rule):
                    if taken_back is not None:
                        taken_back.append(match.group(0))
                    continue
                level = rule.level if _needs_met(message, rule) else rule.otherwise
                around = message.topic_of(match.start(), match.end())
                if level == "ask" and cues.OTHER_CAUSE_OF_MILD_SIGN.search(around):
                    if taken_back is not None:  # "hives from a virus", "it burns on my fresh tattoo"
                        taken_back.append(match.group(0))
                    continue
                if level == "none" or (level != rule.level and level == "ask" and rule.kind == EmergencyKind.EYE.value
                                       and cues.MILD.search(message.sentence_of(match.start())[0])):
                    continue  # "got in my eye a bit, no pain": an eye rule short of its sign, and mild, as the ask rule
                kind = _kind(message, rule, match.start(), match.group(0))
                found[number] = _Hit(rule, kind, level, match.start(), match.group(0))
                break
    return list(found.values())


# "reaction" words name the suspicion, not a sign: "having an allergic reaction, hives" is one sign.
_REACTION_WORD = re.compile(r"reac|reaz|allerg")


def _signs_combine(asks: list[_Hit]) -> bool:
    """Two different worrying signs of an allergic reaction, not overlapping and not just "a reaction"
    ("hives" and "lips puffy", "throat tingling" and "heart racing"): together an emergency."""
    signs = sorted((hit for hit in asks if hit.kind is EmergencyKind.ANAPHYLAXIS
                    and not _REACTION_WORD.search(hit.evidence)), key=lambda hit: hit.start)
    return any(later.start >= earlier.start + len(earlier.evidence) and later.evidence != earlier.evidence
               for earlier, later in zip(signs, signs[1:], strict=False))


@lru_cache(maxsize=1)
def _second_net() -> second_net.SecondNet | None:
    """The trained second net from build/ (None when it has not been built: rules only)."""
    return second_net.load()


def assess_message(text: str | None) -> SafetyAssessment:
    """Assess a whole message: EMERGENCY (with its kind), ASK (one triage question) or NONE."""
    if not text or not text.strip():
        return SafetyAssessment(SafetyVerdict.NONE, None, "en", "")
    language, evidence = language_evidence(text)
    taken_back: list[str] = []
    message = ParsedMessage(text, _CORRECTOR)
    hits = _hits(message, taken_back=taken_back)
    for level, verdict in (("emergency", SafetyVerdict.EMERGENCY), ("ask", SafetyVerdict.ASK)):
        leveled = [hit for hit in hits if hit.level == level]
        if leveled:
            first = min(leveled, key=lambda hit: hit.start)
            if language not in SUPPORTED_LANGUAGES or (language != first.rule.lang and evidence < 2):
                language = first.rule.lang  # "sto soffocando": too few known words, the phrase tells
            if verdict is SafetyVerdict.ASK and _signs_combine(leveled):
                verdict = SafetyVerdict.EMERGENCY
            elif (verdict is SafetyVerdict.ASK and all(hit.kind is EmergencyKind.ANAPHYLAXIS for hit in leveled)
                  and cues.OTHERS_DENIED.search(message.text)):
                # one skin sign that only asks, and the message denies the others: the triage question's answer
                return SafetyAssessment(SafetyVerdict.NONE, None, language, "")
            return SafetyAssessment(verdict, first.kind, language, first.evidence)
    # The second net only speaks where the rules saw nothing at all: a symptom the context took back
    # (negated, hypothetical, over, someone else's history) stays taken back, and a message that asks
    # "what if", tells a history or says it is over is left to the rules.
    net = None if taken_back or any(cue.search(message.text) for cue in _NET_SILENCED_BY) else _second_net()
    kind = net.raises(text) if net is not None else None
    if kind is not None:
        return SafetyAssessment(SafetyVerdict.EMERGENCY, EmergencyKind(kind), language, NET_EVIDENCE)
    return SafetyAssessment(SafetyVerdict.NONE, None, language, "")


NET_EVIDENCE = "(second net: the whole message)"
_NET_SILENCED_BY = (cues.HYPOTHETICAL, cues.ABOUT_ANYWHERE, cues.HISTORY, cues.RESOLVED_LATER, cues.REASSURED,
                    cues.NOTHING_SWALLOWED, cues.MEDIA_REPORT, cues.ALMOST)
