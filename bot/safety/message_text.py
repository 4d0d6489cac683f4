"""A message as the emergency detector reads it: normalised words with sentence, clause and topic bounds.

Sentences end at . ! ? and line breaks; clauses also at , ; : and words like "but", "just", or "and"
before a new subject; a topic (the scope of a hypothetical or history cue) ends at a sentence end, at
"but"/"btw"/"now", or at a comma before a new subject, with or without "and" ("if swallowed, my son just drank
some", "i read that acids sting, and we were laughing, then she drank some").
"""

from __future__ import annotations

from bisect import bisect_right

from bot.safety import context_cues as cues
from bot.safety.text_normal import CLAUSE_PUNCTUATION, SENTENCE_PUNCTUATION, SpellingCorrector, tokens

# How far a cue may be from the symptom it changes, in characters: a run-on message of 10,000
# characters without a full stop is not one thought.
TOPIC_REACH = 200
SENTENCE_REACH = 150


class ParsedMessage:
    """The normalised text (words joined by single spaces) and its boundaries as character offsets."""

    def __init__(self, text: str, corrector: SpellingCorrector) -> None:
        words = tokens(text, corrector)
        self.text = " ".join(words)
        self.sentences: list[tuple[int, int, list[str]]] = []  # (start, end, words)
        self.sentence_starts: list[int] = [0]
        self.clause_starts: list[int] = [0]
        self.topic_starts: list[int] = [0]
        offset = 0
        sentence_words: list[str] = []
        sentence_start = 0
        # ", and we ..." starts a new topic in a statement, but a question's conditions run on through it
        # ("is it safe if it gets in my eye, and my eye starts burning?"): kept until the sentence's end
        and_topics: list[int] = []
        for index, word in enumerate(words):
            following = words[index + 1] if index + 1 < len(words) else ""
            sentence_words.append(word)
            end = offset + len(word) + 1
            if word in SENTENCE_PUNCTUATION:
                if word != "?":
                    self.topic_starts.extend(and_topics)
                and_topics = []
                self._boundary(end, sentence=True)
                self.sentences.append((sentence_start, offset + len(word), sentence_words))
                sentence_start, sentence_words = end, []
            elif word in CLAUSE_PUNCTUATION:
                after = words[index + 2] if index + 2 < len(words) else ""
                self._boundary(end, topic=following in cues.SUBJECTS)  # ", my son ...": a new subject
                if following in cues.CONJUNCTIONS and after in cues.SUBJECTS:
                    and_topics.append(end)
            elif word in cues.CLAUSE_BREAKERS and not (word == "ma" and index
                                                       and words[index - 1] in cues.BEFORE_FRENCH_MA):
                self._boundary(offset, topic=word in cues.TOPIC_BREAKERS)
            elif word in cues.CONJUNCTIONS and following in cues.SUBJECTS:
                self._boundary(end)
            offset = end
        if sentence_words:
            self.sentences.append((sentence_start, len(self.text), sentence_words))
        self.topic_starts = sorted({*self.topic_starts, *and_topics})

    def _boundary(self, at: int, sentence: bool = False, topic: bool = False) -> None:
        self.clause_starts.append(at)
        if sentence:
            self.sentence_starts.append(at)
        if sentence or topic:
            self.topic_starts.append(at)

    @staticmethod
    def _last(starts: list[int], position: int) -> int:
        return starts[bisect_right(starts, position) - 1]

    @staticmethod
    def _next(starts: list[int], position: int, default: int) -> int:
        index = bisect_right(starts, position)
        return starts[index] if index < len(starts) else default

    def _trim_left(self, start: int, position: int, reach: int) -> int:
        if position - start <= reach:
            return start
        cut = self.text.find(" ", position - reach)
        return cut + 1 if 0 <= cut < position else position

    def words_before(self, position: int) -> list[str]:
        """The clause's words before a character position (at most the last few)."""
        start = self._trim_left(self._last(self.clause_starts, position), position, TOPIC_REACH)
        return self.text[start:position].split()

    def topic_before(self, position: int) -> str:
        """The text before a position, from the last change of subject (and not too far back)."""
        return self.text[self._trim_left(self._last(self.topic_starts, position), position, TOPIC_REACH):position]

    def topic_of(self, start: int, end: int) -> str:
        """The text from the last change of subject before `start` to the next one after `end`."""
        left = self._trim_left(self._last(self.topic_starts, start), start, TOPIC_REACH)
        right = min(self._next(self.topic_starts, end, len(self.text)), end + SENTENCE_REACH)
        return self.text[left:right]

    def clause_end(self, position: int) -> int:
        """Where the clause around a position ends."""
        return self._next(self.clause_starts, position, len(self.text))

    def clause_of(self, start: int, end: int) -> str:
        """The text of the clause (or clauses) from `start` to `end`, from its beginning to its end."""
        return self.text[self._last(self.clause_starts, start):self.clause_end(end)]

    def clause_after(self, position: int) -> str:
        """The clause's text after a position."""
        return self.text[position:self._next(self.clause_starts, position, len(self.text))]

    def sentence_of(self, position: int) -> tuple[str, int]:
        """The sentence around a position, cut to SENTENCE_REACH on both sides, and where that text starts."""
        start = self._trim_left(self._last(self.sentence_starts, position), position, SENTENCE_REACH)
        end = min(self._next(self.sentence_starts, position, len(self.text)), position + SENTENCE_REACH)
        return self.text[start:end], start
