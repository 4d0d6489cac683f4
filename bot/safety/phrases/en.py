"""English emergency phrasings (normalised text: see bot.safety.phrase_rules for the pattern language).

The signs follow public first-aid guidance on anaphylaxis (NHS "Anaphylaxis", Resuscitation Council UK):
breathing difficulty, wheeze, throat or chest tightness, hoarse voice, trouble swallowing, swelling of the
lips, tongue, face, eyes or throat, hives with dizziness, fainting, collapse, an adrenaline pen used.
"""

from __future__ import annotations

from bot.safety.phrase_rules import PhraseRule, rules, words

BODY = words(r"lips?", "tongue", "throat", "face", "mouth", r"eyes?", r"eyelids?", r"cheeks?", "neck", r"airways?",
             "jaw", "gums?", "whole face", "head")
SWELL = words(r"swell\w*", "swollen", r"puff\w* up", r"blow\w* up", r"balloon\w*", r"getting (?:bigger|huge|fat)",
              "huge", "thick", "fat", r"inflat\w*", r"enlarg\w*")
DIFFICULTY = words("cant", "cannot", "unable to", "not able to", r"struggl\w*(?: to)?", r"hard(?: time)?(?: to)?",
                   r"difficult\w*(?: to)?", "trouble", r"problems?", r"issues?", r"labou?red", r"fight\w* for",
                   r"gasp\w* for", "short of", "shortness of", "out of", r"hurts? to", r"painful to")
CHILD = words(r"baby", r"babies", r"toddlers?", r"sons?", r"daughters?", r"kids?", r"child", "children", "boy", "girl",
              r"grand(?:son|daughter|child)", r"niece", r"nephew", "he", "she", "my little one", "little one",
              r"dog", r"puppy", r"cat", r"twins?", "infant", r"1|2|3|4|5 year old", r"\w+ month old")
PRODUCT = words(r"creams?", r"serums?", r"lotions?", r"toners?", r"products?", r"moisturi[sz]ers?", r"sunscreens?",
                "spf", r"oils?", r"gels?", r"balms?", r"masks?", r"peels?", r"acids?", "retinol", r"cleansers?",
                "soap", r"bottles?", r"tubes?", r"jars?", r"tubs?", r"pots?", "stuff", r"samples?", r"ointments?",
                "foundation", "lipstick", "perfume", "nail polish", "remover", r"drops?", r"essences?")
IN_EYE = (r"(?:in|into|inside|in to) (?:my|his|her|their|the|both|one|an|your|our)? ?"
          r"(?:left |right )?(?:eyes?|eyeball|eyeballs)")
EYE_HURT = words(r"pain\w*", r"hurts?", r"hurting", r"burn\w*", "agony", r"blur\w*", "cant see", "cannot see",
                 r"vision", "cant open", "cannot open", "wont open", "on fire", r"scream\w*",
                 r"sting\w* (?:so )?bad\w*",
                 "unbearable", "cant keep it open", r"sting\w* like crazy")
ITCH_OR_SYSTEMIC = words("hives", r"itch\w*", r"rash\w*", "welts", "red", "redness", r"swell\w*", "swollen", "bumps",
                         r"blotch\w*", r"breath\w*", "heart racing", "heart pounding", r"vomit\w*", r"nause\w*",
                         r"throw\w* up", r"throwing up", "sick", r"urticari\w*", "flushed", "flushing", r"tingl\w*")

RULES: list[PhraseRule] = [
    *rules(
        "en", "anaphylaxis", "emergency",
        rf"{DIFFICULTY} _3 (?:breath\w*|air)",
        r"breath\w* (?:is |feels |getting |has become |becoming |so |really |very )*"
        r"(?:hard|difficult|labou?red|shallow|tight|raspy|noisy|wheezy|restricted)",
        r"wheez\w*", r"gasping", r"chok\w*", r"suffocat\w*", r"breathless\w*",
        r"cant (?:get|catch) _2 (?:air|breath)", r"(?:no|not enough|not getting enough) air",
        r"(?:chest|throat|airways?) _3 (?:tight\w*|clos\w*|constrict\w*|narrow\w*|blocked|squeez\w*|shut\w*)",
        r"tight\w* (?:in|of|across|around) (?:my |the |his |her )?(?:chest|throat)",
        rf"{BODY} _4 {SWELL}", rf"{SWELL} _3 {BODY}",
        r"(?:tongue|lips?) _3 (?:numb|tingl\w* and swell\w*)",
        r"hoarse\w*", r"voice _3 (?:chang\w*|gone|going|raspy|strange|weird|hoarse|croaky)",
        r"lost (?:my|his|her) voice",
        rf"{DIFFICULTY} _2 swallow\w*", r"(?:cant|cannot) (?:talk|speak)",
        r"faint(?:ed|ing)", r"(?:feel|feels|feeling|felt|going to|gonna|about to|might|will) faint",
        r"pass(?:ed|es|ing)? out", r"collaps\w*", r"unconscious", r"unresponsive", r"black(?:ed|ing)? out",
        r"(?:wont|cant|not) wak\w* (?:up|him|her)", r"fell (?:down|over) _2 (?:floor|ground)",
        r"anaphyla\w*", r"allergic shock",
        r"(?:severe|serious|major|massive|extreme|huge|bad|big|full blown|life threatening) (?:allergic )?"
        r"(?:allergic reaction|reaction|allergy attack)",
        r"(?:used|use|using|had to use|have to use|gave|give|giving|injected|inject|jabbed|stabbed|administered|"
        r"took|needed|need|grabbed|grab|given) _3 (?:epipens?|epi|adrenaline|epinephrine|autoinjectors?|"
        r"adrenaline pen|adrenaline shot|epinephrine shot)",
        r"(?:epipens?|adrenaline|epinephrine|autoinjectors?) _3 "
        r"(?:used|given|injected|done|in (?:my|his|her) (?:leg|thigh))",
        r"(?:call\w*|calling|called) (?:an? )?(?:ambulance|911|999|112)", r"(?:in|to) the (?:er|a e|emergency room)",
    ),
    *rules(
        "en", "anaphylaxis", "emergency",
        r"dizz\w*", r"lightheaded\w*", r"room (?:is )?spinning", r"vertigo",
        r"(?:feel|feeling|felt) (?:very |so )?woozy",
        needs=ITCH_OR_SYSTEMIC,
    ),
    *rules(
        "en", "anaphylaxis", "ask",
        r"hives", r"(?:having|had|got|get|getting|think (?:its|im having|it is)) (?:an? )?allergic reaction",
        r"(?:lips?|tongue|mouth|throat) _3 (?:tingl\w*|numb|itch\w*|scratch\w*|weird|funny|strange)",
        r"(?:face|lips?|eyes?) _3 puffy", r"throat _3 (?:sore|hurts?)", r"heart _2 (?:racing|pounding)",
    ),
    *rules(
        "en", "swallowed", "emergency",
        r"swallowed", r"swalloed", r"ingested", r"gulped", r"swallow (?:some|a|the|it|half|an?)",
        rf"(?:drank|drunk|drink|drinking|ate|eaten|eating|eat|licked|licking|chewed|chewing|sucked|sucking) _4 "
        rf"{PRODUCT}",
        rf"{CHILD} _3 (?:ate|eaten|drank|drunk|licked|chewed|sucked|got into|put _3 in (?:his|her|their) mouth)",
        rf"{PRODUCT} _3 (?:in|into) (?:his|her|their) mouth",
    ),
    *rules(
        "en", "eye", "emergency",
        IN_EYE,
        needs=EYE_HURT,
    ),
    *rules(
        "en", "eye", "emergency",
        r"(?:cant|cannot|unable to|wont|not able to) _2 open (?:my|his|her|their|the|one|both) ?(?:left |right )?eyes?",
        r"eyes? _2 (?:wont|cant|will not) open",
        r"(?:vision|sight|eyesight) _3 (?:blur\w*|cloud\w*|fogg\w*|gone|dark|hazy)",
        r"blur\w* (?:vision|sight)", r"cant see (?:out of|properly|anything|clearly|a thing)",
        r"eyes? _3 (?:burn\w*|pain\w*|hurts? (?:so|really|like)|agony|on fire)",
        r"(?:burn\w*|pain\w*) (?:in|of) (?:my|his|her) eyes?",
    ),
    *rules(
        "en", "burn", "emergency",
        r"blister\w*", r"chemical burns?", r"burn(?:ed|t) (?:my|his|her) (?:skin|face)",
        r"skin _3 (?:peeling off|coming off|falling off|raw|weeping|oozing|bleeding|melting|charred|sloughing)",
        r"peel\w* (?:off )?in (?:sheets|chunks|layers|strips)", r"raw (?:and|skin|patches|red)", r"weeping", r"oozing",
        r"(?:burn\w*|sting\w*) _4 (?:wont|will not|doesnt|does not|not|isnt) (?:stop|go away|calm|ease|settle)",
        r"(?:still|keeps|keep|constantly) burning",
        r"burning (?:for )?(?:hours|an hour|\d+ (?:hours|hrs|minutes|mins))",
        r"on fire", r"open (?:sores?|wounds?)", r"(?:second|third|2nd|3rd) degree", r"skin _2 (?:is )?burnt",
    ),
    *rules(
        "en", "burn", "ask",
        r"(?:burn\w*|sting\w*) _3 (?:so |really |very )?(?:bad\w*|much|a lot|intense\w*)",
        r"(?:it|face|skin|this) _2 (?:burns|is burning|burning)",
    ),
    *rules(
        "en", "eye", "ask",
        IN_EYE,
    ),
]
