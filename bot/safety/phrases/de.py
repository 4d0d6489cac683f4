"""German emergency phrasings (normalised: no umlauts, "ss" for "ß": "ohnmachtig", "schnurt")."""

from __future__ import annotations

from bot.safety.phrase_rules import PhraseRule, rules, words

BODY = words(r"lippen?", "zunge", "gesicht", r"augen?", r"augenlider?", "mund", "hals", "rachen", "kehle")
SWELL = words(r"geschwollen\w*", r"schwill\w*", r"schwell\w*", r"angeschwollen\w*", r"anschw[ei]ll\w*", "dick")
CHILD = words(r"sohn", r"tochter", "baby", r"kind", r"kleine\w*", "er", "sie", "hund", "katze")
PRODUCT = words("creme", "serum", "lotion", "toner", "produkt", r"ol", "gel", "maske", "saure", "reiniger",
                "seife", "flasche", "tube", "tiegel", "sonnencreme", "nagellackentferner", "aceton",
                "mizellenwasser", "parfum", "abschminkmittel",
                # hair and body products, a sanitiser, bleach: "er hat das shampoo getrunken"
                "shampoo", "duschgel", "spulung", "deodorant", "desinfektionsmittel", "handgel", "bleiche")
EYE_HURT = words(r"wein(?:t|en|end|te)", r"schrei(?:t|en|end)",
                 r"saure\w*", r"bleich\w*", "peeling", "haarfarbe", r"farbe", "nagellackentferner",
                 r"enthaarung\w*",
                 "aceton", "ammoniak",
                 # a developer, peroxide or sanitiser: harsh in an eye even without a sign told
                 r"(?:wasserstoff)?peroxid", r"entwickler", r"oxidant\w*", r"desinfektion\w*", r"handgel",
                 "brennt", r"tut _2 weh", r"h(?:o|oe)llisch\w*", r"nicht (?:mehr )?(?:offnen|aufmachen|auf)",
                 r"nichts (?:mehr )?sehen",
                 r"(?:sehe|sieht|seh) _2 nicht (?:mehr )?(?:richtig|gut|klar|scharf)", r"schmerz\w*",
                 "tut weh", r"verschwommen\w*", "offnen", "aufmachen", "nichts sehen",
                 "sehe", "sieht")
SYSTEMIC = words(r"quaddeln", r"nesselsucht", r"juck\w*", r"ausschlag", r"rot\w*", r"geschwollen\w*", r"atm\w*",
                 r"erbrech\w*", r"ubel\w*")
FIGURATIVE = words("preis", "haha", "lol", "fast", "beinahe", "als ich _3 sah",
                   # fainting of laughter: "vor lachen fast ohnmachtig"
                   "vor lachen")

NOT_A_BURN = words("sonne", r"sonnenbrand\w*", r"rasier\w*", r"rasur", "wachs", "herd", r"bugeleisen", r"schuhe?n?",
                   "herpes", "lippenherpes")

# Meant for the mouth, or a habit ("he always swallows some"): not a poisoning happening now.
HARMLESS_TO_SWALLOW = words("immer", "oft", "manchmal", "jedes mal",
                            "zahnpasta", "zahncreme", "mundspulung", "kaugummi")
# Toothpaste and mouthwash: harmless in the small amounts swallowed while brushing or rinsing
MOUTH_PRODUCT = words("zahnpasta", "zahncreme", "mundspulung", "mundwasser")

RULES: list[PhraseRule] = [
    # Lips or face turning blue: not lipstick, make-up or cold.
    *rules("de", "anaphylaxis", "emergency", r"(?:lippen|gesicht|mund) _3 blau",
           unless=words("lippenstift", "make up", "kalt", "kalte", "gloss")),
    *rules(
        "de", "anaphylaxis", "emergency",
        r"(?:kann|kannst|konnen|kriege|krieg|bekomme|bekommt|kriegt) _2 (?:nicht|kaum|keine) (?:mehr )?(?:richtig )?"
        r"(?:atmen|luft)",
        r"keine luft", r"(?:schlecht|kaum|wenig) luft", r"atemnot", r"schwer (?:zu )?atmen",
        r"atm\w* _2 (?:schwer|fallt schwer|kaum|schlecht|pfeifend|komisch)", r"kurzatmig", r"erstick\w*",
        r"pfeif\w*", r"keuch\w*", r"(?:brust|hals|kehle) _3 (?:eng|zu|schnurt|zugeschnurt|wie zugeschnurt)",
        r"enge (?:in der|im) (?:brust|hals)",
        r"engegefuhl", r"schnurt (?:mir |ihm |ihr )?(?:den hals|die kehle) zu",
        rf"{BODY} _3 {SWELL}", rf"{SWELL} _3 {BODY}", r"schwillt _2 an",
        r"anaphyla\w*",
        r"(?:schwere|starke|heftige|krasse|massive|schlimme|sehr starke) allergische reaktion", r"allergischer schock",
        r"(?:adrenalin|epipen|notfallset|autoinjektor|adrenalinpen) _3 "
        r"(?:benutzt|gespritzt|verwendet|gegeben|genommen)",
        r"(?:benutzt|gespritzt|verwendet) _3 (?:adrenalin|epipen)",
        r"(?:adrenalin|epipen|notfallset|autoinjektor|adrenalinpen) _3 (?:benutzen|spritzen|verwenden|geben|nehmen)",
        r"(?:kann|kannst) _1 (?:nicht|kaum) (?:mehr )?schlucken", r"schluckbeschwerden", r"heiser",
        r"(?:notarzt|krankenwagen|112|notruf|rettungswagen) (?:gerufen|rufen|angerufen|gewahlt|ist unterwegs)",
        r"(?:in die notaufnahme|ins krankenhaus) _2 (?:gefahren|fahren|gebracht|unterwegs)",
    ),
    *rules("de", "anaphylaxis", "emergency", r"ohnmacht\w*", r"bewusstlos", r"umgekippt", r"zusammengebrochen",
           unless=FIGURATIVE),
    *rules("de", "anaphylaxis", "emergency", r"schwindl\w*", r"schwindel\w*",
           # about to black out: "mir wird schwarz vor augen"
           r"schwarz vor (?:den )?augen", needs=SYSTEMIC, unless=FIGURATIVE),
    # a child gone limp: "das baby ist ganz schlapp" (an adult "schlapp" after sport is only tired)
    *rules("de", "anaphylaxis", "emergency",
           r"(?:baby|sohn|tochter|kind|kleine\w*|enkel\w*|saugling) _3 (?:ist|war|wird|wurde|wirkt) "
           r"(?:ganz |total |so |sehr |plotzlich )?(?:schlapp|schlaff)\b", unless=FIGURATIVE),
    *rules("de", "anaphylaxis", "ask", r"quaddeln", r"nesselsucht",
           r"(?:habe|hab|hat|bekomme|kriege) _2 allergische reaktion",
           r"(?:zunge|hals) _3 (?:kribbel\w*|taub|juck\w*)"),
    *rules(
        "de", "swallowed", "emergency",
        r"verschluckt", r"geschluckt", r"(?:runter|hinunter|herunter)geschluckt", r"(?:aus|leer)getrunken",
        rf"(?:getrunken|gegessen|abgeleckt|geleckt) _1 {PRODUCT}",
        rf"{PRODUCT} _4 (?:getrunken|gegessen|abgeleckt|in den mund gesteckt)", rf"schluck _2 {PRODUCT}",
        rf"{CHILD} _4 (?:getrunken|gegessen|abgeleckt|in den mund gesteckt)",
        unless=HARMLESS_TO_SWALLOW,
    ),
    *rules("de", "eye", "emergency", r"(?:ins|im|in die|in den|in meinem|in meine|in ihr|in sein) _1 auge\w*",
           needs=EYE_HURT, otherwise="none"),
    *rules(
        "de", "eye", "emergency",
        r"(?:auge|augen) _2 nicht (?:mehr )?(?:offnen|aufmachen|auf)", r"verschwommen\w*",
        r"(?:sehe|sieht) _2 (?:nichts|unscharf)", r"(?:sehe|sieht) _2 nicht (?:mehr )?(?:richtig|gut|klar|scharf)",
        r"(?:auge|augen) _3 (?:brennt|brennen) _2 (?:stark|hoelle|sehr)",
    ),
    *rules("de", "eye", "emergency",
           r"(?:auge|augen) _4 (?:brennt|brennen|schmerz\w*|tut weh|tun weh|tut hollisch weh)",
           r"(?:kann|konnte|kanns) (?:kaum|nichts|nicht mehr) (?:was |etwas |richtig )?sehen",
           needs=r"\w*(?:gekommen|gelaufen|gespritzt|getropft)|rein|rot|sehen", otherwise="none"),
    *rules("de", "eye", "ask", r"(?:ins|im|in die|in den|in meinem|in meine|in ihr|in sein) _1 auge\w*",
           unless=words(r"augentropfen", r"kontaktlinsen?", r"linsen", r"wimpern?", r"gerstenkorn")),
    *rules(
        "de", "burn", "emergency",
        r"blasen", r"(?:eine|grosse|dicke|offene) blase", r"verat\w*", r"verbrennung\w*", r"verbrannt",
        r"chemische verbrennung",
        r"(?:haut|gesicht) _4 (?:l(?:o|oe)st sich|sch(?:a|ae)lt sich in fetzen|offen|nassend|nasst|wund|roh)",
        r"(?:brennt|brennen) _3 (?:hort nicht auf|horen nicht auf|immer noch|seit stunden)",
        r"hort nicht auf zu brennen", r"weiter brennen", r"(?:weiss|grau) geworden", r"(?:weiss|grau) _2 verfarbt",
        unless=NOT_A_BURN,
    ),
    *rules("de", "burn", "ask", r"brennt (?:sehr|stark|wie feuer)", unless=NOT_A_BURN),
    # Cannot speak, with the tongue, lips or throat named
    *rules("de", "anaphylaxis", "emergency",
           r"(?:kann|kannst|konnen|konnte) _2 (?:nicht|kaum) (?:mehr )?(?:richtig )?(?:sprechen|reden)",
           needs=r"zunge|lippen?|hals|kehle|geschwoll\w*|schwill\w*|dick|atm\w*|luft", otherwise="none"),
    # Breathing getting worse: "kaum noch Luft", "das Atmen wird immer schwerer"
    *rules("de", "anaphylaxis", "emergency", r"(?:schlecht|kaum|wenig) (?:noch|mehr) luft",
           r"(?:atmen|atmung|luft) _2 (?:wird|werden) immer (?:schwerer|schlechter|knapper|weniger)",
           r"immer (?:schlechter|schwerer|weniger) (?:luft|atmen)"),
    # An early sign of anaphylaxis: asks alone, an emergency with a second sign
    *rules("de", "anaphylaxis", "ask", r"todesangst",
           r"gefuhl (?:des|von|eines) (?:drohenden|nahenden) (?:unheils|todes)"),
    # Toothpaste or mouthwash swallowed together with another product, or a large amount of it
    *rules("de", "swallowed", "emergency",
           rf"(?:{MOUTH_PRODUCT} _3 (?:und|oder|mit) _4 {PRODUCT}|{PRODUCT} _3 (?:und|oder|mit) _3 {MOUTH_PRODUCT}) _4 "
           r"(?:verschluckt|geschluckt|getrunken|gegessen|runtergeschluckt)"),
    *rules("de", "swallowed", "emergency",
           rf"{MOUTH_PRODUCT} _4 (?:verschluckt|geschluckt|getrunken|gegessen|runtergeschluckt|ausgetrunken)",
           needs=r"(?:die |eine )?halbe (?:tube|flasche)|(?:die |eine )?ganze (?:tube|flasche)|viel|(?:einen )?"
                 r"(?:grossen|kraftigen) schluck",
           otherwise="none"),
    # Vomiting together with hives or swelling: a reaction beyond the skin
    *rules("de", "anaphylaxis", "emergency", r"erbrech\w*", r"erbricht", r"erbrochen", r"ubergeben", r"ubergibt",
           r"gekotzt", r"kotzt",
           needs=r"quaddeln|nesselsucht|ausschlag|geschwoll\w*|schwill\w*|schwell\w*", otherwise="none",
           unless=FIGURATIVE),
    # Someone who does not respond (a collapse), not skin that does not react to a cream, nor a message
    *rules("de", "anaphylaxis", "emergency",
           rf"(?:{CHILD}|mann|frau|mutter|vater|mama|papa) _3 (?:reagiert|antwortet) (?:nicht|kaum)(?: mehr)?",
           unless=words(FIGURATIVE, r"nachrichten?", r"sms", r"handy", r"telefon", r"anrufe?",
                        r"auf (?:die|den|das|diese|diesen|meine|meinen|seine|ihre)")),
    # a tongue gone thick or heavy: "die zunge ist schwer", "eine dicke zunge"
    *rules("de", "anaphylaxis", "emergency", r"zunge _3 schwer", r"(?:schwere|dicke) zunge",
           unless=FIGURATIVE),
    # someone not breathing, told short: "hilfe er atmet nicht", "baby atmet kaum" (not the skin or the nose)
    *rules("de", "anaphylaxis", "emergency",
           r"(?:atmet|atme) (?:nicht|kaum)(?: mehr| richtig)?\b(?! (?:durch|ein|die|den|das)\b)",
           unless=words(FIGURATIVE, "haut", r"poren", "nase", "kopfhaut")),
]
