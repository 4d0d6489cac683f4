"""Which language a message is in, from word lists (no model, no download).

Each supported language has a list of its most frequent words plus the words only its emergency phrasings use;
the language with the most words in the message wins. A word shared by several languages ("no", "me")
counts for each of them, so the words only one language has decide. A message with no word of any list
is English when it is short or written in Latin letters we read as English, and "other" when it has
several words none of which we know, or is in another script.
"""

from __future__ import annotations

import re

from bot.safety.phrase_rules import GAP_STOP_PATTERN
from bot.safety.phrases import ALL_RULES
from bot.safety.text_normal import fold

SUPPORTED_LANGUAGES = ("en", "es", "fr", "de", "it", "pt")
OTHER = "other"

_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset("""
        the a an and or but is are was were am im i my me you your he she his her it its this that these those
        what how why when where which who can cant could would should will wont do does did dont doesnt didnt
        have has had not no yes with without for from of in on at to up down after before just now please help
        use used using skin face cream serum product breathe breathing swelling swollen lips tongue throat
        eye eyes burn burning blisters swallowed child son daughter baby toddler dizzy hives okay ok thanks
        hi hello hey safe vegan pregnant is there any some if so very really got get feel feeling feels think
        having been know what going because since now please right just
        """.split()),
    "es": frozenset("""
        el la los las un una unos unas y o pero es son esta estan estoy tengo tiene mi mis tu su sus que de
        del al en con sin por para como cuando donde porque muy mas ya no si me se le lo nos puedo puede
        respirar hinchado hinchada hinchados hinchadas hinchazon labios lengua cara garganta ojo ojos
        ampollas quemadura crema piel hijo hija bebe nino nina trago mareado mareada ayuda ahora hola gracias
        cuesta tragar desmaye desmayo reaccion alergica grave puedes usar es seguro embarazada vegano vegana
        hace minutos despues mucho mucha tambien todo toda nada algo hay fue estaba tenia ojo boca cuerpo
        """.split()),
    "fr": frozenset("""
        le la les un une des et ou mais est sont suis j je tu il elle nous vous ils elles mon ma mes ton ta non
        son sa ses que qui quoi de du au aux en avec sans pour par comme quand ou parce tres plus ne pas
        n arrive peux peut respirer gonfle gonflee gonflees gonflent levres langue visage gorge oeil yeux
        cloques brulure creme peau fils fille bebe avale aide maintenant bonjour merci vertiges evanoui
        reaction allergique grave puis utiliser c est ce enceinte vegan mal j ai
        """.split()),
    "de": frozenset("""
        der die das ein eine einen und oder aber ist sind bin ich du er sie wir ihr mein meine meinen mir
        mich dich sich nicht kein keine mit ohne fur von zu im in auf bei wenn weil sehr mehr kann konnen
        atmen luft geschwollen lippen zunge gesicht hals auge augen blasen verbrennung creme haut sohn
        tochter baby kind verschluckt hilfe jetzt hallo danke schwindlig ohnmachtig allergische reaktion
        schwere schwanger darf ich benutzen ist es sicher bekomme habe hat
        """.split()),
    "it": frozenset("""
        il lo la i gli le un una uno e o ma sono sei siamo ho ha hanno mio mia miei mie tuo suo che di del
        della dei al alla in con senza per come quando dove perche molto piu non si mi ti riesco respirare
        gonfie gonfia gonfio labbra lingua viso faccia gola occhio occhi vesciche ustione crema pelle figlio
        figlia bambino bambina ingoiato aiuto adesso ora ciao grazie vertigini svenuto reazione allergica
        grave posso usare sicuro incinta sto sta stai stiamo
        """.split()),
    "pt": frozenset("""
        o a os as um uma e ou mas esta estao estou sou tenho tem meu minha meus minhas seu sua que de do da
        dos das no na nos nas em com sem para por como quando onde porque muito mais nao se me consigo
        respirar inchado inchada inchados inchadas labios lingua rosto cara garganta olho olhos bolhas
        queimadura creme pele filho filha bebe crianca engoliu ajuda agora ola obrigado obrigada tontura
        desmaiei reacao alergica grave posso usar seguro gravida
        """.split()),
}


def _phrase_words() -> dict[str, set[str]]:
    """Words of four letters or more that only one language's emergency phrasings use ("respirar", "atmen")."""
    by_lang: dict[str, set[str]] = {lang: set() for lang in SUPPORTED_LANGUAGES}
    for rule in ALL_RULES:
        source = re.sub(r"\\[a-zA-Z]", " ", rule.pattern.pattern.replace(GAP_STOP_PATTERN, " "))
        by_lang[rule.lang].update(re.findall(r"(?<![a-z])[a-z]{4,}(?![a-z])", source))
    return {lang: words - set().union(*(by_lang[other] for other in by_lang if other != lang))
            for lang, words in by_lang.items()}


for _lang, _extra in _phrase_words().items():
    _WORDS[_lang] = _WORDS[_lang] | _extra
_OWNERS: dict[str, tuple[str, ...]] = {}
for _lang in SUPPORTED_LANGUAGES:
    for _word in _WORDS[_lang]:
        _OWNERS[_word] = (*_OWNERS.get(_word, ()), _lang)
_WORD = re.compile(r"[a-z]+")
_LETTER = re.compile(r"[^\W\d_]")


def detect_language(text: str) -> str:
    """"en", "es", "fr", "de", "it", "pt", or "other" (several words, none of a supported language)."""
    return language_evidence(text)[0]


def language_evidence(text: str) -> tuple[str, float]:
    """The detected language and how many of the message's words speak for it (0 when it is a default)."""
    if not text:
        return "en", 0.0
    if not text.isascii():
        letters = _LETTER.findall(text)
        latin = sum(1 for ch in letters if ch.isascii() or "\u00c0" <= ch <= "\u024f")
        if letters and latin < len(letters) / 2:
            return OTHER, 0.0
    words = _WORD.findall(fold(text))
    scores = dict.fromkeys(SUPPORTED_LANGUAGES, 0.0)
    for word in words:
        owners = _OWNERS.get(word, ())
        for lang in owners:
            scores[lang] += 1.0 / len(owners)
    best = max(SUPPORTED_LANGUAGES, key=lambda lang: (scores[lang], lang == "en"))
    if scores[best] > 0:
        return best, scores[best]
    return (OTHER if len(words) >= 4 else "en"), 0.0
