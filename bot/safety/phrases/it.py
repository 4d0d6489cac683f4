"""Italian emergency phrasings (normalised: no accents, elisions split: "l occhio", "nell occhio")."""

from __future__ import annotations

from bot.safety.phrase_rules import SIZE_WISH, PhraseRule, rules, words

BODY = words("labbra", "labbro", "lingua", "faccia", "viso", "volto", "occhi", "occhio", r"palpebr\w*", "bocca",
             "gola", "collo", "ugola")
SWELL = words(r"gonf\w*")
CHILD = words(r"figli\w*", r"bambin\w*", r"bimb\w*", r"piccol\w*", "lui", "lei", "cane", "gatto", "neonato")
PRODUCT = words("crema", "siero", "lozione", "tonico", "prodotto", "olio", "gel", "maschera", "acido", "detergente",
                "sapone", "flacone", "tubetto", "barattolo", "solare", "solvente", "acetone", "acqua micellare",
                "profumo", "struccante", "smalto", "boccetta", "flaconcino", "vasetto",
                # hair and body products, a sanitiser, bleach: "ha bevuto lo shampoo"
                "shampoo", "bagnoschiuma", "deodorante", "igienizzante", "disinfettante", "amuchina", "candeggina")
EYE_HURT = words(r"piang\w*", r"urla\w*",
                 r"non (?:li|lo|la|gli) (?:apre|apro|riesce ad aprire)", r"acid[oi]", "candeggina", "peeling",
                 "tinta", "decolorante", "acetone", "solvente", "ammoniaca", r"depilator\w*",
                 # a developer, peroxide or sanitiser: harsh in an eye even without a sign told
                 r"acqua ossigenata", r"perossido", r"ossidante", r"gel (?:igienizzante|disinfettante)",
                 r"igienizzante", r"disinfettante", r"amuchina",
                 "brucia", "bruciore", "male", "dolore", r"malissim\w*", r"fa _2 male", r"offuscat\w*", r"sfocat\w*",
                 "aprire", "vedo", "vede",
                 r"non (?:riesco|riesce|posso|puo) (?:piu )?(?:ad? )?aprir\w*", r"non (?:vedo|vede|ci vedo) \w+",
                 "vista")
SYSTEMIC = words("orticaria", "prurito", "prude", "pomfi", "eruzione", r"ross\w*", r"arross\w*", r"gonf\w*",
                 "respirare", r"vomit\w*", "nausea")
FIGURATIVE = words("prezzo", "ahah", "ahaha", "haha", "lol", "quasi", "vedendo",
                   # fainting of laughter: "svenuta dalle risate"
                   r"dalle risate", r"dal ridere",
                   # praise: "una crema da svenire" (to faint for), not "sta per svenire"
                   r"(?<!per )(?<!punto )(?<!sta )da svenire")

NOT_A_BURN = words("sole", r"scottatur\w*", r"rasoi\w*", "ceretta", "forno", "ferro", r"scarpe?", "herpes", r"sapon\w*")

# Meant for the mouth, or a habit ("he always swallows some"): not a poisoning happening now.
HARMLESS_TO_SWALLOW = words("sempre", "spesso", "a volte", "ogni volta",
                            "dentifricio", "collutorio", "gomma da masticare")
# Toothpaste and mouthwash: harmless in the small amounts swallowed while brushing or rinsing
MOUTH_PRODUCT = words("dentifricio", "collutorio")

RULES: list[PhraseRule] = [
    # Lips or face turning blue: not lipstick, make-up or cold.
    *rules("it", "anaphylaxis", "emergency", r"(?:labbra|viso|faccia|bocca) _3 (?:blu|viola|cianotic\w*)",
           unless=words("rossetto", "trucco", "freddo", "gloss", "tinta")),
    *rules(
        "it", "anaphylaxis", "emergency",
        r"non (?:riesco|riesce|posso|puo|riusciamo) (?:piu |quasi )?(?:a )?respirare",
        r"(?:faccio|fa) fatica a respirare", r"difficolta (?:a|nel) respirare",
        r"respir\w* _1 (?:male|a fatica|con difficolta|malissimo|strano)",
        r"respiro _2 (?:corto|affannoso|difficile|sibilante)", r"affanno", r"manca (?:l )?aria",
        r"(?:mi|gli|le) manca il respiro", r"soffoc\w*", r"sibil\w*",
        r"(?:petto|gola) _3 (?:chiusa|chiude|strett\w*|stringe|serrat\w*|chiudendo|oppress\w*)", r"fischi\w*",
        r"(?:stringe|chiude|opprime) _2 (?:il petto|la gola)",
        r"(?:non riesco|non riesce) a prendere (?:aria|fiato)",
        r"si (?:sta )?(?:chiude|chiudendo|stringe|stringendo) (?:la )?gola",
        r"(?:non|quasi non) respir\w*",
        rf"{BODY} _3 {SWELL}", rf"{SWELL} _3 {BODY}",
        r"anafila\w*", r"reazione allergica _1 (?:grave|forte|seria|severa|fortissima|brutta|bruttissima|enorme)",
        r"(?:grave|forte|seria|severa|brutta|bruttissima|enorme|fortissima) reazione allergica",
        r"shock (?:anafilattico|allergico)",
        r"(?:usato|fatto|iniettato|preso|messo) _3 (?:epipen|adrenalina|fastjekt)",
        r"non (?:riesco|riesce|posso) (?:piu |a )*deglutire", r"(?:difficolta|fatica) a deglutire",
        r"voce _2 (?:rauca|roca)", r"(?:chiamat\w*|chiama) (?:l |il )?(?:ambulanza|118|112|pronto soccorso)",
        r"(?:andiamo|vado|corriamo|portando|portato|portata) _2 (?:al pronto soccorso|in ospedale)",
    ),
    *rules("it", "anaphylaxis", "emergency", r"svenut\w*", r"svengo", r"svenire", r"svenimento",
           r"perso (?:i sensi|conoscenza)", r"(?:privo|priva) di sensi", r"incosciente", unless=FIGURATIVE),
    *rules("it", "anaphylaxis", "emergency", r"vertigin\w*", r"capogir\w*", r"giramento di testa", r"gira la testa",
           r"stordit\w*",
           # about to black out: "vedo tutto nero", "mi si annebbia la vista"
           r"(?:vedo|vede|vedevo|vedeva) (?:tutto )?nero",
           r"(?:mi|gli|le) si (?:annebbia|oscura|e annebbiata|e oscurata) "
           r"la vista", needs=SYSTEMIC, unless=FIGURATIVE),
    # a person gone limp: "il bimbo e tutto molle", "lei e diventata floscia"
    *rules("it", "anaphylaxis", "emergency",
           r"(?:bimb[oa]|bambin[oa]|figli[oa]|neonat[oa]|piccol[oa]|lui|lei|marito|moglie|mamma|papa|nonn[oa]) _2 "
           r"(?:e|era|sembra|e diventat[oa]|si e fatt[oa]) (?:tutto |tutta |molto )?(?:molle|mosci[oa]|flosci[oa]|"
           r"senza forze)\b", unless=FIGURATIVE),
    *rules("it", "anaphylaxis", "ask", r"orticaria", r"(?:ho|sto avendo|credo di avere|ha) _2 reazione allergica",
           r"(?:lingua|gola) _3 (?:formicol\w*|intorpidit\w*|prud\w*|stran[ao])",
           # the lips tingling or numb: "le labbra formicolano"
           r"labbr[ao] _3 (?:formicol\w*|intorpidit\w*|addormentat\w*)"),
    *rules(
        "it", "swallowed", "emergency",
        r"ingoiat\w*", r"inghiottit\w*", r"ingerit\w*", r"mandat\w* giu", rf"(?:bevuto|mangiato|leccato) _3 {PRODUCT}",
        rf"(?:sorso|sorsata|goccio)s? (?:di|d) _2 {PRODUCT}",
        rf"{CHILD} _3 (?:ha|hanno) _2 (?:bevuto|mangiato|leccato|messo _3 in bocca)",
        # colloquial: "si e bevuto mezzo tonico", "se l e scolato", "ha trangugiato la crema"
        rf"(?:si e|si sono|se l e|se li e|se la e) _1 (?:bevut\w*|mangiat\w*|ingoiat\w*|scolat\w*|pappat\w*|"
        rf"sbafat\w*)(?: _3 {PRODUCT})?",
        rf"(?:trangugiat\w*|tracannat\w*|scolat\w*) _3 {PRODUCT}",
        unless=HARMLESS_TO_SWALLOW,
    ),
    *rules("it", "eye", "emergency", r"(?:nell|negli|nel|nei|in un|dentro l) _1 (?:occhio|occhi)", needs=EYE_HURT,
           otherwise="none"),
    *rules(
        "it", "eye", "emergency",
        r"non (?:riesco|riesce|posso) (?:piu |a |ad )*aprire (?:l |gli |il )?(?:occhio|occhi)",
        r"vista _2 (?:offuscata|sfocata|annebbiata)", r"vedo (?:sfocato|offuscato|annebbiato|tutto sfocato)",
        r"non (?:vedo|vede|ci vedo) (?:piu|bene|niente|nulla)",
        r"(?:occhio|occhi) _3 (?:brucia|bruciano) _2 (?:tantissimo|da morire)",
    ),
    *rules("it", "eye", "emergency",
           r"(?:brucia|bruciano|fa male|fanno male|fa malissimo|pizzica tantissimo) (?:da morire )?"
           r"(?:l |gli |il |mio |miei |"
           r"tanto |tantissimo )*(?:occhio|occhi)",
           r"(?:occhio|occhi) _4 (?:brucia|bruciano|fa male|fanno male|fa malissimo)",
           needs=r"entrat\w*|finit\w*|andat\w*|schizzat\w*|cadut\w*|colat\w*", otherwise="none"),
    *rules("it", "eye", "ask", r"(?:nell|negli|nel|nei|in un|dentro l) _1 (?:occhio|occhi)",
           unless=words(r"gocce (?:per gli occhi|oculari)", "collirio", r"lenti(?: a contatto)?", r"ciglia", "ciglio",
                        "orzaiolo")),
    *rules(
        "it", "burn", "emergency",
        r"vesciche", r"(?:una|grossa|grande) vescica", r"bolle", r"ustion\w*", r"ustionat\w*", r"carne viva",
        r"pelle _3 (?:stacc\w*|viva|a vivo|a brandelli|essuda|sanguina)",
        r"(?:brucia|bruciore|brucia ancora) _3 (?:dopo|anche dopo) (?:aver |averla |averlo )?sciacquat\w*",
        r"(?:brucia|bruciore) _3 (?:non (?:passa|smette|si ferma)|ancora)", r"non smette di bruciare",
        r"continua a bruciare",
        unless=NOT_A_BURN,
    ),
    *rules("it", "burn", "emergency", r"pelle _3 (?:bianca|grigia|sbiancat\w*)",
           needs=r"peeling|acid\w*|tca|maschera|glicolico|salicilico|chimic\w*", otherwise="none"),
    *rules("it", "burn", "ask", r"brucia (?:tantissimo|molto|tanto)", unless=NOT_A_BURN),
    # Cannot speak, with the tongue, lips or throat named
    *rules("it", "anaphylaxis", "emergency", r"non (?:riesco|riesce|puo|posso) (?:piu |quasi )?(?:a )?parlare",
           needs=r"lingua|labbr\w*|gola|gonf\w*|enorme|respir\w*", otherwise="none"),
    # Breathing getting worse: "respiro sempre peggio", "faccio sempre piu fatica a respirare"
    *rules("it", "anaphylaxis", "emergency", r"respir\w* _2 sempre (?:peggio|piu (?:male|a fatica|difficile))",
           r"sempre piu (?:fatica|difficile|difficolta) (?:a|nel|per) respirare"),
    # An early sign of anaphylaxis: asks alone, an emergency with a second sign
    *rules("it", "anaphylaxis", "ask", r"(?:senso|sensazione) di (?:morte|catastrofe) imminente"),
    # Toothpaste or mouthwash swallowed together with another product, or a large amount of it
    *rules("it", "swallowed", "emergency",
           rf"(?:ingoiat\w*|inghiottit\w*|bevut\w*|mangiat\w*) _5 (?:{MOUTH_PRODUCT} _3 (?:e|o|con) _4 {PRODUCT}|"
           rf"{PRODUCT} _3 (?:e|o|con) _3 {MOUTH_PRODUCT})"),
    *rules("it", "swallowed", "emergency", rf"(?:ingoiat\w*|inghiottit\w*|bevut\w*|mangiat\w*) _5 {MOUTH_PRODUCT}",
           needs=r"mezzo (?:tubetto|flacone)|(?:tutto|intero) (?:il )?(?:tubetto|flacone)|tanto|molto|"
                 r"un (?:bel|grosso|gran) sorso",
           otherwise="none"),
    # Vomiting together with hives or swelling: a reaction beyond the skin
    *rules("it", "anaphylaxis", "emergency", r"vomit\w*", r"rimesso", r"rigetta\w*",
           needs=r"orticaria|pomfi|gonf\w*|eruzione|bolli rossi", otherwise="none", unless=FIGURATIVE),
    # A swollen part named by its size: "la lingua e enorme", "le labbra il doppio"
    *rules("it", "anaphylaxis", "emergency",
           r"(?:lingua|labbra|labbro|palpebr\w*|gola|faccia|viso|occhi|occhio) _3 "
           r"(?:enorm\w*|gigante\w*|il doppio|doppi\w*)",
           unless=words(*SIZE_WISH, FIGURATIVE, "borse", "occhiaie")),
    # Someone who does not respond (a collapse), not someone who does not answer a message
    *rules("it", "anaphylaxis", "emergency",
           rf"(?:{CHILD}|marito|moglie|madre|padre|mamma|papa) _3 non (?:risponde|reagisce)\b",
           unless=words(FIGURATIVE, r"messaggi?", "whatsapp", r"telefono", r"chiamate?", r"trattament\w*",
                        "alla crema", "alla terapia")),
    # Burning for hours
    *rules("it", "burn", "emergency", r"(?:brucia|bruciando|bruciore) _2 da (?:ore|\w+ ore)", unless=NOT_A_BURN),
    # a tongue gone thick or heavy: "la lingua sembra spessa"
    *rules("it", "anaphylaxis", "emergency", r"lingua _3 (?:spessa|grossa|pesante)", unless=FIGURATIVE),
    # the skin split open after a chemical: "pelle aperta dopo il peeling" (not chapped knuckles in the cold)
    *rules("it", "burn", "emergency", r"pelle (?:e |tutta |si e )?(?:aperta|spaccata)\b",
           needs=r"peeling|acid\w*|tca|maschera|glicolico|salicilico|chimic\w*", otherwise="none", unless=NOT_A_BURN),
]
