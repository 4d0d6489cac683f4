"""Text normalisation for the emergency detector: one spelling for what people type many ways.

Lowercase, accents stripped (patterns are written without them: "reaccion", "gonfle"), apostrophes of
English contractions joined ("can't" -> "cant") and Romance elisions split ("l'oeil" -> "l oeil"),
letters repeated for emphasis squeezed ("swellllling" -> "swelling"), and misspelt symptom words put
right by a small symmetric-delete spelling corrector over the detector's own keywords (the idea of
SymSpell: two words are one typo apart when they share a one-letter deletion). Sentence and clause
punctuation is kept as tokens so negation scope can stop there.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from bot.nlp.edits import deletions

# Symptom words worth correcting beyond those the phrase rules spell out (bot.safety.emergency adds every
# word of five letters or more from the rules' patterns). A token that is a typo of one of these (one
# edit; two for long words) is read as that word.
KEYWORDS: frozenset[str] = frozenset(
    """
    breathe breathing breath breathless breathed wheezing wheezy wheeze gasping swelling swollen swelled swell
    swells tongue throat tight tightness closing dizzy dizziness lightheaded fainted fainting faint collapsed
    unconscious anaphylaxis anaphylactic allergic reaction severe epipen epinephrine adrenaline injector
    swallowed swallow swallowing toddler daughter husband blisters blistering blistered peeling burning
    blurry blurred vision chemical hoarse hives itching itchy stinging emergency ambulance
    respirar hinchado hinchada hinchados hinchadas hinchazon garganta labios lengua mareado mareada mareos
    desmaye desmayo anafilaxia ampollas quemadura borrosa tragado trago tragar
    respirer gonfle gonflee gonflees gonfles gonflement gorge levres langue visage evanoui evanouie vertiges
    anaphylaxie anaphylactique cloques brulure floue avale avalee avaler
    atmen atemnot geschwollen schwellung anschwellen zunge lippen gesicht schwindlig ohnmachtig anaphylaxie
    anaphylaktischer blasen verbrennung verschwommen verschluckt schlucken
    respirare gonfie gonfia gonfio gonfiore gola labbra lingua svenuto svenuta vertigini anafilassi
    anafilattico vesciche ustione offuscata ingoiato ingerito deglutire
    respirar inchado inchada inchados inchadas inchaco garganta labios lingua tontura desmaiei desmaiou
    anafilaxia anafilatico bolhas queimadura embacada engoliu engolir engoli
    """.split()
)

# Real words a symptom keyword is one typo away from: never "correct" these (more in data/real_words.txt,
# made from spaCy's lookup tables by bot.safety.real_words).
REAL_WORDS: frozenset[str] = frozenset(
    """
    smell smells smelled spell spells spelled sells shell shells swells dwell dwelling well wells
    threat threats throats thought through though tough taught bright night right light tighter fight
    fainter paint saint faith feint breadth bread breach breathes preach reach reaction reactions
    realtion dizzier busy closing closer cloning clothing posing losing hoping hosing coding
    burning turning burying learning yearning peeing peeking peeling keeling reeling feeling
    feelings healing dealing sealing ceiling stinging singing slinging swinging string strings
    itching itchy etching pitching witching fishing washing wishing vision visions version
    hive hover given gives lives hikes hides hills wives blister blisters misters sisters
    toddler toddlers daughter daughters laughter slaughter husband husbands tongue tongues
    severe severed several sever swallow swallows shallow hallow allergic allergy energic
    gorgeous forge george large gorges garage leaves levels lever leverage
    lingua langue lengua visage vintage message passage
    """.split()
)

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'", "\u02bc": "'"})
_LIGATURES = str.maketrans({"\u0153": "oe", "\u00e6": "ae", "\u00df": "ss", "\u0142": "l", "\u00f8": "o"})
_ENGLISH_CONTRACTION = re.compile(r"(?<=[a-z])'(?=(?:t|s|re|m|ve|ll|d)\b)")
_TOKEN = re.compile(r"[a-z0-9]+|[.!?;:,\n]")
_REPEATS = re.compile(r"([a-z])\1{2,}")
CLAUSE_PUNCTUATION = frozenset(",;:")
SENTENCE_PUNCTUATION = frozenset(".!?\n")


def _max_edits(word: str) -> int:
    return 2 if len(word) >= 9 else 1


class SpellingCorrector:
    """Puts misspelt keywords right: a token one typo from a keyword (two for long words) is read as it.

    Only words of five letters or more are corrected, never a known real word nor an inflection of a
    keyword ("breaths"), only to a keyword with the same first letter, and the closest keyword wins.
    """

    def __init__(self, keywords: frozenset[str], real_words: frozenset[str] = frozenset(),
                 vocabulary: frozenset[str] = frozenset()) -> None:
        self.keywords = keywords
        # Every word the detector's rules spell out, short ones too: what a stretched word may be read as.
        self.vocabulary = keywords | vocabulary
        self.real_words = REAL_WORDS | real_words
        index: dict[str, set[str]] = {}
        for keyword in keywords:
            for variant in deletions(keyword, _max_edits(keyword)):
                index.setdefault(variant, set()).add(keyword)
        self._index = {variant: frozenset(words) for variant, words in index.items()}
        self.correct = lru_cache(maxsize=65536)(self._correct)
        self.split = lru_cache(maxsize=65536)(self._split)

    def _split(self, token: str) -> tuple[str, ...]:
        """Two words typed without the space between them ("mythroat", "cantbreathe", "isswelling"): a short
        word every message has, then a symptom or body word. Anything else is left as it is."""
        if len(token) < 6 or not token.isalpha() or token in self.vocabulary or token in self.real_words:
            return (token,)
        for glue in _GLUE:
            if token.startswith(glue):
                rest = self.correct(token[len(glue):])
                if rest in self.keywords or rest in _SHORT_BODY_WORDS:
                    return glue, rest
        return (token,)

    def _correct(self, token: str) -> str:
        keywords = self.keywords
        if len(token) < 5 or token in keywords or token in self.real_words or not token.isalpha():
            return token
        if token[:-1] in keywords or token[:-2] in keywords or any(token + end in keywords for end in ("s", "es")):
            return token  # an inflection of a keyword ("breaths", "enfant" for "enfants")
        candidates: set[str] = set()
        for variant in deletions(token, _max_edits(token)):
            candidates |= self._index.get(variant, frozenset())
        candidates = {c for c in candidates if c[0] == token[0] and _edit_distance(token, c) <= _max_edits(c)}
        if not candidates:
            return self._correct_stem(token)
        return min(candidates, key=lambda c: (_edit_distance(token, c), -_shared_bigrams(token, c),
                                              abs(len(c) - len(token)), c))


    def _correct_stem(self, token: str) -> str:
        """A misspelt inflection of a keyword: the stem corrected, the ending kept ("tigthening" ->
        "tighten" + "ing", "swoleness" -> "swollen" + "ness")."""
        for ending in _ENDINGS:
            stem = token[:-len(ending)]
            if not token.endswith(ending) or len(stem) < 5 or stem in self.real_words:
                continue
            corrected = self._correct(stem)
            if corrected != stem and corrected in self.keywords:
                if corrected.endswith("e") and ending[0] in "aeiou":
                    corrected = corrected[:-1]
                return corrected + ending
        return token


_ENDINGS = ("ing", "ness", "ed", "es", "s")


def _shared_bigrams(a: str, b: str) -> int:
    """How many letter pairs two words share: "weezing" is nearer "wheezing" than "weeping"."""
    return len({a[i:i + 2] for i in range(len(a) - 1)} & {b[i:i + 2] for i in range(len(b) - 1)})


def _edit_distance(a: str, b: str) -> int:
    """Optimal-string-alignment distance (insert, delete, substitute, swap two neighbours)."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


def fold(text: str) -> str:
    """Lowercase, straight apostrophes, no accents or ligatures ("Réaction" -> "reaction")."""
    text = text.lower()
    if text.isascii():
        return text.replace("`", "'")
    text = text.translate(_APOSTROPHES).translate(_LIGATURES)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# Words people write apart or together: one spelling for the patterns.
_JOINS = re.compile(r"\b(?:epi pens?|epi-pens?|eppy pens?|eppi pens?|auto injectors?|auto-injectors?|light headed|"
                    r"light-headed|can not|eye balls?|eye lids?)\b")


# Voice-to-text: punctuation dictated as words ("... what do i do question mark", "... full stop"), read as the mark
# so that sentences and clauses end where the speaker ended them ("period" is left alone: "dizzy on my period")
_DICTATED = re.compile(r"\b(?:question mark|exclamation (?:mark|point)|full stop|new line|new paragraph|comma)\b")
_DICTATED_MARKS = {"question mark": " ? ", "exclamation mark": " ! ", "exclamation point": " ! ", "full stop": " . ",
                   "new line": " . ", "new paragraph": " . ", "comma": " , "}
# Words a speech recogniser or a quick typist splits: "anna phylaxis", "and a phylactic shock", "auvi q"
_MISHEARD = (  # (a part every match contains, checked first to keep ordinary messages cheap; pattern; reading)
    ("lax", re.compile(r"\b(?:anna|ana|anne|and a|an a) (?:ph|f)[iy]?lax\w*"), "anaphylaxis"),
    ("lact", re.compile(r"\b(?:anna|ana|anne|and a|an a) (?:ph|f)[iy]?lact\w*"), "anaphylactic"),
    ("auvi", re.compile(r"\bauvi ?-?q\b"), "auviq"),
    # "eye" heard as "i", "throat" as "throw it", "swallowed" as "swallow did", "epipen" as "epic pen": only where the
    # words cannot be what they seem ("in my i", "my throw it", "used his epic pen")
    (" i ", re.compile(r"\b(?:in|into) (my|his|her|their|your|the|one|both) i\b"), r"in \1 eye"),
    (" i ", re.compile(r"\b(my|his|her|their) i (?=is|are|hurts|burns|stings|wont|cant|feels|keeps)\b"), r"\1 eye "),
    ("throw it", re.compile(r"\b(my|his|her|their|the) throw it\b"), r"\1 throat"),
    ("swallow did", re.compile(r"\bswallow did\b"), "swallowed"),
    ("epic pen", re.compile(r"\b(used|gave|injected|jabbed|given) (my|his|her|their|the) epic pen\b"), r"\1 \2 epipen"),
    # SMS negations: Portuguese "n" (or "ñ") for "nao" before a verb of being able or being, French "pu" for "plus"
    # after a verb of being able ("n consigo respirar", "je peux pu respirer"; French "n" stays an elided "ne")
    ("n ", re.compile(r"(?:(?<=^)|(?<= ))n (?=(?:consigo|consegue|conseguimos|posso|pode|to|ta|tou|estou|esta|sei|"
                      r"da) )"), "nao "),
    (" pu ", re.compile(r"\b(peux|peut|peuvent|arrive|arrivent|vois|voit) pu\b"), r"\1 plus"),
)


# Short misspellings and chat spellings the edit-distance corrector cannot reach (too short, or two
# letters swapped far apart).
ALIASES: dict[str, str] = {
    "tounge": "tongue", "toung": "tongue", "tonge": "tongue", "tung": "tongue", "tounges": "tongue",
    "thoat": "throat", "throt": "throat", "trhoat": "throat", "eys": "eyes", "eyez": "eyes", "iye": "eye",
    "lipps": "lips", "lipz": "lips", "cnt": "cant", "cnat": "cant", "carnt": "cant", "kant": "cant",
    "canot": "cannot", "r": "are", "u": "you", "ur": "your", "rn": "now", "im'": "im", "pls": "please",
    "plz": "please", "nn": "non", "breth": "breath", "brethe": "breathe", "breath'": "breath", "swolen": "swollen",
    "swolled": "swollen", "sweling": "swelling", "sweeling": "swelling", "dizy": "dizzy", "dizzi": "dizzy",
    "tite": "tight", "tyte": "tight", "tght": "tight", "throught": "throat", "throuth": "throat",
    "tonner": "toner", "weez": "wheeze", "wheez": "wheeze", "breahe": "breathe",
    "peepers": "eyes", "peeper": "eye", "gob": "mouth", "kisser": "mouth", "eyelid": "eyelid", "lid": "eyelid",
    "lids": "eyelids", "sever": "severe", "alergic": "allergic", "allergc": "allergic",
    # adrenaline pens by their brand names (and a voice-to-text spelling of one): each read as "epipen"
    "auviq": "epipen", "jext": "epipen", "emerade": "epipen", "anapen": "epipen", "adrenaclick": "epipen",
    "symjepi": "epipen", "eppypen": "epipen", "eppipen": "epipen",
    # SMS spellings without their vowels: "cant brth", "thrt tight", "swllwd the toner", "bby ate cream"
    "brth": "breath", "brthe": "breathe", "brthing": "breathing", "thrt": "throat", "swlln": "swollen",
    "swllng": "swelling", "swllwd": "swallowed", "swalowd": "swallowed", "bby": "baby", "hlp": "help",
    "q": "que", "ta": "esta", "tao": "estao", "krieg": "kriege", "hab": "habe", "seh": "sehe",
}


_EMPHASIS = re.compile(r"[a-z]*([a-z])\1{2,}[a-z]*")


def _unstretch(word: str, corrector: SpellingCorrector) -> str:
    """One reading of a word stretched for emphasis ("caaaant", "breeeathe", "innn"): each run of three or
    more letters is read as one letter when that gives a word the detector knows (or a typo of one), else
    as two ("sooo" -> "so", "wheezzzing" -> "wheezing", "gooood" -> "good")."""
    single = _REPEATS.sub(r"\1", word)
    if single in corrector.vocabulary or single in ALIASES or corrector.correct(single) != single:
        return single
    return _REPEATS.sub(r"\1\1", word)


# Short words people run into the next one, and short body words a glued token may end with.
_GLUE = ("my", "is", "im", "its", "his", "her", "the", "cant", "dont", "cannot", "and", "mi", "ma", "mon",
         "je", "ich", "mein", "meu", "minha", "la", "le", "el")
_SHORT_BODY_WORDS = frozenset({"lips", "lip", "eye", "eyes", "face", "chest", "neck", "skin", "mouth", "air"})


# "won't stop swelling", "no para de hincharse": a negated "stop" means the thing goes on. Read as the
# positive "keeps" of each language, so the negation neither blocks a pattern's gap nor negates the symptom.
_ONGOING = (
    (re.compile(r"\b(?:wont|cant|doesnt|dont|didnt|wouldnt|isnt|arent|will not|would not|does not|do not|cannot|is not|"
                r"are not) (?:stop|stopping|quit|quitting)(?= [a-z]+ing\b)"), "keeps"),
    (re.compile(r"\bno (?:para|paran|paro|paraba|deja|dejan|dejo|dejaba) de\b"), "sigue"),
    (re.compile(r"\b(?:n |ne )?(?:s )?(?:arrete|arretent|arretait|cesse|cessent|cessait) (?:pas|plus) de\b"),
    "continue de"),
    (re.compile(r"\b(?:hort|horen|horte|horten) (?:einfach )?nicht (?:mehr )?auf zu\b"), "weiter"),
    (re.compile(r"\bnon (?:smette|smettono|smetteva|la smette|finisce) di\b"), "continua a"),
    (re.compile(r"\bnao (?:para|param|parou|parava|deixa|para nunca) de\b"), "continua a"),
)


def tokens(text: str, corrector: SpellingCorrector) -> list[str]:
    """The message as normalised tokens: words (spelling corrected) and clause/sentence punctuation."""
    folded = _ENGLISH_CONTRACTION.sub("", fold(text))
    if _REPEATS.search(folded):
        folded = _EMPHASIS.sub(lambda m: _unstretch(m.group(0), corrector), folded)
    if "mark" in folded or "comma" in folded or "full stop" in folded or "new " in folded or "point" in folded:
        folded = _DICTATED.sub(lambda m: _DICTATED_MARKS[m.group(0)], folded)
    padded = f"{folded} "  # a part ending in a space also finds the message's last word
    for part, pattern, reading in _MISHEARD:
        if part in padded:
            folded = pattern.sub(reading, folded)
    folded = _JOINS.sub(lambda m: m.group(0).replace(" ", "").replace("-", ""), folded)
    words = [word for token in _TOKEN.findall(folded)
             for word in corrector.split(corrector.correct(ALIASES.get(token, token)))]
    joined = " ".join(words)
    if any(stop in joined for stop in _STOP_WORDS):
        for pattern, positive in _ONGOING:
            joined = pattern.sub(positive, joined)
        return joined.split()
    return words


_STOP_WORDS = ("stop", "quit", "para", "deja", "arret", "cess", "auf zu", "smett", "finisce")
