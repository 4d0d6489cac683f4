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
   serious and one triage question should settle it, NONE otherwise.
"""

from __future__ import annotations

import enum
import re
from bisect import bisect_right
from dataclasses import dataclass

from bot.safety import context_cues as cues
from bot.safety.language import SUPPORTED_LANGUAGES, detect_language
from bot.safety.phrase_rules import PhraseRule
from bot.safety.phrases import ALL_RULES
from bot.safety.text_normal import CLAUSE_PUNCTUATION, KEYWORDS, SENTENCE_PUNCTUATION, SpellingCorrector, tokens

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


_CORRECTOR = SpellingCorrector(KEYWORDS | _rule_words())


@dataclass(frozen=True)
class _Hit:
    rule: PhraseRule
    kind: EmergencyKind
    level: str
    start: int
    evidence: str


class _Message:
    """A normalised message with its sentence and clause boundaries (character offsets)."""

    def __init__(self, text: str) -> None:
        words = tokens(text, _CORRECTOR)
        self.text = " ".join(words)
        self.offsets: list[int] = []
        self.words = words
        self.sentence_starts: list[int] = [0]
        self.clause_starts: list[int] = [0]
        self.topic_starts: list[int] = [0]
        offset = 0
        for index, word in enumerate(words):
            self.offsets.append(offset)
            following = words[index + 1] if index + 1 < len(words) else ""
            if word in SENTENCE_PUNCTUATION:
                self._boundary(offset + len(word) + 1, sentence=True)
            elif word in CLAUSE_PUNCTUATION:
                # "how toxic is this if swallowed, my son just drank some": a new subject, a new topic
                self._boundary(offset + len(word) + 1, topic=following in cues.SUBJECTS)
            elif word in cues.CLAUSE_BREAKERS:
                self._boundary(offset, topic=word in cues.TOPIC_BREAKERS)
            elif word in cues.CONJUNCTIONS and following in cues.SUBJECTS:
                self._boundary(offset + len(word) + 1)
            offset += len(word) + 1

    def _boundary(self, at: int, sentence: bool = False, topic: bool = False) -> None:
        self.clause_starts.append(at)
        if sentence:
            self.sentence_starts.append(at)
        if sentence or topic:
            self.topic_starts.append(at)

    @staticmethod
    def _last(starts: list[int], position: int) -> int:
        return starts[bisect_right(starts, position) - 1]

    def words_before(self, position: int) -> list[str]:
        """The clause's words before a character position."""
        return self.text[self._last(self.clause_starts, position):position].split()

    def topic_before(self, position: int) -> str:
        """The sentence's text before a position, from the last change of subject."""
        return self.text[self._last(self.topic_starts, position):position]

    def clause_after(self, position: int) -> str:
        """The clause's text after a position."""
        next_starts = [s for s in self.clause_starts[bisect_right(self.clause_starts, position):]][:1]
        return self.text[position:next_starts[0] if next_starts else len(self.text)]

    def sentence_of(self, position: int) -> tuple[str, int]:
        """The whole sentence around a position (for cues that may come after the symptom), and its start."""
        start = self._last(self.sentence_starts, position)
        after = self.sentence_starts[bisect_right(self.sentence_starts, position):][:1]
        return self.text[start:after[0] if after else len(self.text)], start


def _counts(message: _Message, match: re.Match[str], rule: PhraseRule) -> bool:
    """False when the context takes the symptom back: negated, hypothetical, cosmetic, history, resolved."""
    start, end = match.start(), match.end()
    before = message.words_before(start)
    if cues.negation_cue(before, match.group(0)):
        return False
    topic = message.topic_before(start)
    if cues.HYPOTHETICAL.search(topic) or cues.QUESTION_START.search(topic):
        return False
    near = before[-3:]
    if cues.COSMETIC_BEFORE.search(" ".join(near)) and not any(w in cues.SUBJECTS for w in near[1:]):
        return False
    sentence, sentence_start = message.sentence_of(start)
    if cues.COSMETIC_ANYWHERE.search(sentence) or cues.ABOUT_ANYWHERE.search(sentence):
        return False
    if rule.unless is not None and rule.unless.search(sentence):
        return False
    if cues.HISTORY.search(sentence) and not cues.PRESENT.search(sentence):
        return False
    if cues.RESOLVED_AFTER.search(message.clause_after(end)):
        return False
    if cues.RESOLVED_LATER.search(sentence[end - sentence_start:]):
        return False
    return not (rule.level == "ask" and cues.MILD.search(sentence))


def _needs_met(message: _Message, rule: PhraseRule) -> bool:
    if rule.needs is None:
        return True
    return any(_counts(message, m, rule) for m in rule.needs.finditer(message.text))


_EYE = re.compile(r"\b(?:eyes?|ojos?|oeil|yeux|augen?|occhio|occhi|olhos?)\b")


def _kind(message: _Message, rule: PhraseRule, start: int) -> EmergencyKind:
    """The rule's kind, except that a burn in the eye is an eye emergency (rinse, eye care)."""
    if rule.kind == EmergencyKind.BURN.value and _EYE.search(message.sentence_of(start)[0]):
        return EmergencyKind.EYE
    return EmergencyKind(rule.kind)


def _hits(message: _Message) -> list[_Hit]:
    found: list[_Hit] = []
    reassured = cues.REASSURED.search(message.text)
    for rule in ALL_RULES:
        for match in rule.pattern.finditer(message.text):
            if reassured and match.start() < reassured.start():
                continue
            if not _counts(message, match, rule):
                continue
            level = rule.level if _needs_met(message, rule) else "ask"
            found.append(_Hit(rule, _kind(message, rule, match.start()), level, match.start(), match.group(0)))
            break
    return found


def assess_message(text: str | None) -> SafetyAssessment:
    """Assess a whole message: EMERGENCY (with its kind), ASK (one triage question) or NONE."""
    if not text or not text.strip():
        return SafetyAssessment(SafetyVerdict.NONE, None, "en", "")
    language = detect_language(text)
    hits = _hits(_Message(text))
    for level, verdict in (("emergency", SafetyVerdict.EMERGENCY), ("ask", SafetyVerdict.ASK)):
        leveled = [hit for hit in hits if hit.level == level]
        if leveled:
            first = min(leveled, key=lambda hit: hit.start)
            if language not in SUPPORTED_LANGUAGES:
                language = first.rule.lang
            return SafetyAssessment(verdict, first.kind, language, first.evidence)
    return SafetyAssessment(SafetyVerdict.NONE, None, language, "")
