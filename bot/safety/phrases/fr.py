"""French emergency phrasings (normalised: no accents, elisions split: "l oeil", "n arrive")."""

from __future__ import annotations

from bot.safety.phrase_rules import PhraseRule, rules, words

BODY = words(r"levres?", "langue", "visage", "yeux", "oeil", r"paupieres?", "bouche", "gorge", "figure", "cou",
             "luette")
SWELL = words(r"gonfl\w*", r"enfl\w*")
CHILD = words(r"fils", r"filles?", "bebe", r"enfants?", r"petite?", "il", "elle", "chien", "chat")
PRODUCT = words("creme", "serum", "lotion", "tonique", "produit", "huile", "gel", "masque", "acide", "nettoyant",
                "savon", "flacon", "tube", "pot", "solaire", "baume", "dissolvant", "acetone", "eau micellaire",
                "parfum", "demaquillant", "vernis",
                # hair and body products, a sanitiser, bleach: "il a bu du shampoing"
                "shampoing", "shampooing", "apres shampoing", "deodorant", "desinfectant", "javel")
EYE_HURT = words(r"pleur\w*", r"hurl\w*", r"acides?", "javel", "peeling", "teinture", "decolorant", "dissolvant",
                 r"depilatoire\w*", "defrisant",
                 "acetone", "ammoniaque",
                 # a developer, peroxide or sanitiser: harsh in an eye even without a sign told
                 r"eau oxygenee", r"peroxyde", r"oxydant", r"gel (?:hydro ?alcoolique|desinfectant|antibacterien)",
                 r"desinfectant",
                 "mal", "douleur", r"brul\w*", "pique", r"flou\w*", "ouvrir", "vois", "voit", "vision", "trouble",
                 r"(?:ne |n )?(?:peux|peut|arrive|arrivent) (?:plus |pas )+(?:a )?(?:l |les )?ouvrir",
                 r"(?:ne |n )?(?:vois|voit) (?:plus|pas|rien)")
SYSTEMIC = words("urticaire", r"demang\w*", "gratte", "boutons", "plaques", r"rouge\w*", r"gonfl\w*", "respirer",
                 r"vomi\w*", r"nausee\w*")
FIGURATIVE = words("prix", "mdr", "ptdr", "lol", "failli", "presque", "en voyant",
                   # fainting or dying of laughter: "evanouie de rire"
                   r"de rire",
                   # praise: "un parfum a s evanouir" (to faint for), not "sur le point de s evanouir"
                   r"a (?:s )?evanouir", r"a tomber (?:par terre|raide)")

NOT_A_BURN = words("soleil", "coup de soleil", r"ras\w*", r"epil\w*", "cire", "four", "fer a", r"chaussures?",
                   "herpes", "bouton de fievre")

# Meant for the mouth, or a habit ("he always swallows some"): not a poisoning happening now.
HARMLESS_TO_SWALLOW = words("toujours", "souvent", "parfois", "tout le temps", "chaque fois",
                            "dentifrice", "bain de bouche", "chewing gum")
# Toothpaste and mouthwash: harmless in the small amounts swallowed while brushing or rinsing
MOUTH_PRODUCT = words("dentifrice", "bain de bouche")

RULES: list[PhraseRule] = [
    # Lips or face turning blue: not lipstick, make-up or cold.
    *rules("fr", "anaphylaxis", "emergency", r"(?:levres|visage|bouche) _3 (?:bleu\w*|violet\w*)",
           unless=words("rouge a levres", "maquillage", "froid", "gloss", "teinte", "vernis")),
    *rules(
        "fr", "anaphylaxis", "emergency",
        r"(?:n |ne )?(?:arrive|arrivent|peux|peut|parviens|parvient) (?:plus |pas |presque pas |quasiment pas )+"
        r"(?:a )?respirer",
        r"(?:du|de) mal a respir(?:er|e|ee)\b", r"ne respire (?:plus|pas|presque plus)", r"respire plus",
        r"difficultes? (?:a|pour) respirer", r"respir\w* _1 (?:mal|difficilement|plus|avec difficulte|bizarrement)",
        r"suffoqu\w*", r"asphyxi\w*",
        r"essouffl\w*", r"souffle court", r"manque d air", r"etouff\w*", r"siffl\w*",
        r"(?:poitrine|gorge) _3 (?:serree|se (?:ferme|resserre|serre)|bloquee|fermee)",
        r"gorge qui (?:se )?(?:ferme|serre|resserre)", rf"{BODY} _3 (?:triple|double|enorme\w*)", rf"{BODY} _4 {SWELL}",
        rf"{SWELL} _3 {BODY}",
        rf"gonflement _2 {BODY}",
        r"anaphyla\w*", r"reaction allergique _1 (?:grave|severe|forte|serieuse|violente|enorme|terrible)",
        r"(?:grave|severe|forte|violente|grosse|enorme|terrible|mega|tres forte) reaction allergique",
        r"choc (?:anaphylactique|allergique)",
        r"(?:utilise|fait|injecte|pris|mis) _3 (?:epipen|adrenaline|anapen|jext)",
        r"(?:injection|piqure|stylo|seringue) (?:d |de l )?(?:adrenaline|epipen|anapen)",
        r"(?:ca |me |lui )?serre _3 (?:poitrine|gorge)",
        r"(?:n |ne )?(?:arrive|arrivent|peux|peut) (?:pas|plus) (?:a )?(?:reprendre|retrouver) (?:mon|son|ma|sa) "
        r"(?:souffle|respiration)",
        r"(?:du )?mal a avaler", r"(?:n |ne )?(?:peux|peut|arrive) (?:plus |pas )+(?:a )?avaler",
        r"voix _2 (?:rauque|enrouee|cassee)", r"(?:appel\w*) (?:le |les )?(?:samu|15|112|pompiers|urgences)",
        r"(?:va|vais|allons|vont|emmene|emmenons|file|filons) _2 (?:aux urgences|a l hopital)",
    ),
    *rules("fr", "anaphylaxis", "emergency", r"evanou\w*", r"(?:perdu|perd) connaissance", r"inconscient\w*",
           r"malaise", r"effondre\w*",
           r"(?:me|se) sen(?:s|t|tais|tait) (?:partir|tomber dans les pommes)",
           r"tomb\w* dans les pommes", unless=FIGURATIVE),
    # a person gone limp: "mon bebe est tout mou", "elle est devenue toute molle"
    *rules("fr", "anaphylaxis", "emergency",
           r"(?:bebe|fils|fille|enfant|petite?|mari|femme|mere|pere|grand mere|grand pere) _2 "
           r"(?:est|etait|devient|est devenue?|semble|parait) (?:tout |toute |tres |completement )?"
           r"(?:mou|molle|flasque)\b",
           unless=FIGURATIVE),
    *rules("fr", "anaphylaxis", "emergency", r"vertiges?", r"etourdi\w*", r"tete qui tourne",
           # about to black out: "je vois tout noir", "j ai un voile noir"
           r"(?:je vois|il voit|elle voit|voyais|voyait) (?:tout )?noir", r"voile noir", needs=SYSTEMIC,
           unless=FIGURATIVE),
    *rules("fr", "anaphylaxis", "ask", r"urticaire", r"(?:fais|fait) une _1 reaction allergique",
           r"(?:langue|gorge) _3 (?:picote\w*|engourdi\w*|gratte\w*|bizarre)",
           # the lips tingling or numb: "les levres qui picotent"
           r"levres? _3 (?:picote\w*|engourdi\w*|fourmill\w*)"),
    *rules(
        "fr", "swallowed", "emergency",
        r"(?:a|ai|as|ont|avons|avez) _2 (?:avale|ingere)", r"avalee?", r"ingere",
        rf"(?:a|ai|ont) _2 (?:bu|mange|leche) _3 {PRODUCT}", rf"(?:gorgee|lampee)s? (?:de|d) _2 {PRODUCT}",
        rf"{CHILD} _3 (?:a|ont) _2 (?:bu|mange|leche|machouille|mordu|suce|mis _4 dans (?:la|sa|leur|son) bouche)",
        # colloquial: "il a englouti le flacon", "elle a descendu la moitie du tonique"
        rf"(?:a|ai|ont) _2 (?:englouti|descendu|gobe|siphonne) _3 {PRODUCT}",
        unless=HARMLESS_TO_SWALLOW,
    ),
    *rules("fr", "eye", "emergency", r"dans (?:l|les|mon|ses|son|mes|un|ton) _1 (?:oeil|yeux)", needs=EYE_HURT,
           otherwise="none"),
    *rules(
        "fr", "eye", "emergency",
        r"(?:n |ne )?(?:peux|peut|arrive) (?:plus |pas )+(?:a )?ouvrir (?:l |les |mon |son )?(?:oeil|yeux)",
        r"impossible (?:de |d )?(?:l |les )?ouvrir (?:l |les |mon |son |ses |mes )?(?:oeil|yeux)",
        r"vision _2 (?:floue|trouble)", r"(?:vois|voit) (?:flou|trouble|plus rien)",
        r"(?:oeil|yeux) _3 (?:brul\w*|me fait tres mal|fait tres mal)",
    ),
    *rules("fr", "eye", "ask", r"dans (?:l|les|mon|ses|son|mes|un|ton) _1 (?:oeil|yeux)",
           unless=words(r"gouttes (?:pour les yeux|oculaires)", r"collyres?", r"lentilles?", r"cils?", r"orgelets?")),
    *rules(
        "fr", "burn", "emergency",
        r"cloques?", r"brulure chimique", r"brulures?", r"a vif", r"suinte\w*",
        r"peau _3 (?:part en (?:morceaux|plaques|bouts)|part en lambeaux|"
        r"se decolle|s arrache|pele en lambeaux|en lambeaux|saigne)",
        r"(?:brule|brulure|brulures) _3 (?:arrete pas|s arrete pas|continue|passe pas|part pas)",
        r"(?:n arrete|ne s arrete) pas de bruler", r"continue de brul\w*", r"brul\w* (?:toujours|encore)",
        r"toujours _2 brul\w*",
        r"(?:peau|visage) _3 (?:devenue?|devient|est) (?:blanche|blanc|grise|gris)",
        unless=NOT_A_BURN,
    ),
    *rules("fr", "burn", "ask", r"(?:ca )?brule (?:beaucoup|fort|enormement)", unless=NOT_A_BURN),
    # Cannot speak, with the tongue, lips or throat named
    *rules("fr", "anaphylaxis", "emergency",
           r"(?:n |ne )?(?:peux|peut|arrive|arrivent|parviens|parvient) (?:plus |pas |presque pas )+(?:a )?parler",
           needs=r"langue|levres?|gorge|gonfl\w*|enfl\w*|enorme|respir\w*", otherwise="none"),
    # Breathing getting worse: "je respire de plus en plus mal"
    *rules("fr", "anaphylaxis", "emergency", r"respir\w* _2 de (?:plus en plus|pire en pire) (?:mal|difficilement)",
           r"respir\w* _2 de moins en moins", r"de plus en plus (?:dur|difficile) (?:de|a) respirer"),
    # An early sign of anaphylaxis: asks alone, an emergency with a second sign
    *rules("fr", "anaphylaxis", "ask",
           r"(?:sensation|sentiment|impression) de (?:mort|catastrophe|malheur) imminente?"),
    # Water blisters after a peel: "des bulles d eau sur la joue"
    *rules("fr", "burn", "emergency",
           r"bulles? (?:d eau |de liquide )?(?:sur|au|a|aux) (?:le |la |l |mon |ma |mes |les |son |sa |ses )?"
           r"(?:visage|peau|joues?|front|menton|cou|levres?)",
           r"(?:peau|visage) _2 (?:a vif|ouverte|saigne|en sang)",
           # the skin burned by it: "j ai la peau brulee par l acide"
           r"(?:peau|visage|joues?|front|menton|cou) _2 brule(?:e|es|s)?\b",
           needs=r"peeling|acide\w*|tca|masque|glycolique|salicylique|chimique|exfoliant", otherwise="none",
           unless=NOT_A_BURN),
    # Toothpaste or mouthwash swallowed together with another product, or a large amount of it
    *rules("fr", "swallowed", "emergency",
           rf"(?:avale|ingere|bu|mange) _5 (?:{MOUTH_PRODUCT} _3 (?:et|ou|avec|puis) _4 {PRODUCT}|"
           rf"{PRODUCT} _3 (?:et|ou|avec|puis) _3 {MOUTH_PRODUCT})"),
    *rules("fr", "swallowed", "emergency", rf"(?:avale|ingere|bu|mange) _5 {MOUTH_PRODUCT}",
           needs=r"(?:la )?moitie (?:du|d un) (?:tube|flacon)|tout le (?:tube|flacon)|le (?:tube|flacon) entier|"
                 r"beaucoup|une (?:grosse|grande) gorgee",
           otherwise="none"),
    # Vomiting together with hives or swelling: a reaction beyond the skin
    *rules("fr", "anaphylaxis", "emergency", r"vomi\w*", r"(?:a|ai) rendu",
           needs=r"urticaire|plaques|gonfl\w*|enfl\w*|boutons partout", otherwise="none", unless=FIGURATIVE),
    # Someone who does not respond (a collapse), not someone who does not answer a message
    *rules("fr", "anaphylaxis", "emergency",
           rf"(?:{CHILD}|mari|femme|mere|pere|maman|papa) _3 (?:ne |n )?(?:repond|reagit) (?:plus|pas|presque plus)",
           unless=words(FIGURATIVE, r"messages?", r"sms", r"telephone", r"appels?", r"traitements?")),
    # Burning for hours
    *rules("fr", "burn", "emergency", r"brul\w* _2 depuis (?:des |plusieurs |deux |trois |\d+ )heures",
           unless=NOT_A_BURN),
    # a tongue gone thick or heavy: "la langue epaisse", "j ai la langue lourde"
    *rules("fr", "anaphylaxis", "emergency", r"langue _3 (?:epaisse|lourde)", unless=FIGURATIVE),
    # someone not breathing, told short without "ne": "aide il respire pas" (not the skin or the nose)
    *rules("fr", "anaphylaxis", "emergency",
           r"respire (?:pas|plus)\b(?! (?:le|la|les|ce|cette|l|ca|par|les vapeurs|la poudre)\b)",
           unless=words(FIGURATIVE, "peau", r"pores?", "nez", "cheveux", "cuir chevelu")),
]
