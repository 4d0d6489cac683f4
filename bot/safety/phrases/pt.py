"""Portuguese emergency phrasings (normalised: no accents, "nao", "inchaco", "reacao")."""

from __future__ import annotations

from bot.safety.phrase_rules import SIZE_WISH, PhraseRule, rules, words

BODY = words(r"labios?", "lingua", "cara", "rosto", r"olhos?", r"palpebras?", "boca", "garganta", "pescoco", "uvula",
             "campainha")
SWELL = words(r"inchad\w*", "inchaco", r"inchand\w*", "inchou", "inchar", "incharam")
CHILD = words(r"filh[oa]s?", "bebe", r"crianca\w*", r"menin[oa]", r"net[oa]", "ele", "ela", "cachorro", "gato")
PRODUCT = words("creme", "serum", "locao", "tonico", "produto", "oleo", "gel", "mascara", "acido", "sabonete",
                "frasco", "tubo", "pote", "protetor",
                "removedor", "acetona", "agua micelar", "perfume", "demaquilante", "esmalte",
                # hair and body products, a sanitiser, bleach: "o bebe tomou o xampu"
                "xampu", "shampoo", "condicionador", "desodorante", "alcool em gel", "desinfetante", "agua sanitaria")
EYE_HURT = words(r"chor\w*", r"grit\w*", r"acidos?", "agua sanitaria", "peeling", "tintura", "descolorante",
                 "acetona", "removedor", "amonia", r"depilatori\w*", "alisante",
                 # a developer, peroxide or sanitiser: harsh in an eye even without a sign told
                 r"agua oxigenada", r"peroxido", r"oxidante", r"alcool (?:em )?gel", r"alcool 70", r"desinfetante",
                 "doi", "dor", r"doendo", r"doi _1 muito", r"arde\w*", r"queim\w*", r"embac\w*", "turva", "abrir",
                 "enxergo", "enxerga",
                 r"nao (?:o |os |a |as )?(?:consigo|consegue|to conseguindo|esta conseguindo) abrir\w*",
                 r"nao (?:\w+ )?enxerg\w*",
                 r"nao (?:\w+ )?vendo",
                 "vejo", "visao")
SYSTEMIC = words("urticaria", r"coceira", r"coca\w*", "manchas", r"vermelh\w*", r"inchad\w*", "respirar",
                 r"vomit\w*", "enjoo", "nausea")
# laughter as typed (and as squeezed by the normaliser: "kkkk" -> "kk")
JOKING = words("preco", r"kk+", r"(?:rs){2,}", r"(?:ha){2,}h?", "lol", "conta", "dinheiro", "fatura")
FIGURATIVE = words("preco", r"kk+", "haha", "rsrs", "lol", "quase", "ao ver",
                   # fainting or dying of laughter: "desmaiei de rir"
                   r"de (?:tanto )?rir",
                   # praise: "um cheiro de desmaiar" (to faint for), not "a ponto de desmaiar"
                   r"(?<!ponto )(?<!prestes )(?<!quase )de desmaiar")

NOT_A_BURN = words("sol", "solar", r"barbe\w*", r"(?<!creme )depila\w*", "cera",
                   "forno", "ferro", r"sapatos?", r"tenis", "herpes")

# Meant for the mouth, or a habit ("he always swallows some"): not a poisoning happening now.
HARMLESS_TO_SWALLOW = words("sempre", "as vezes", "toda vez", "frequentemente",
                            "pasta de dente", "creme dental", "enxaguante", "chiclete")
# Toothpaste and mouthwash: harmless in the small amounts swallowed while brushing or rinsing
MOUTH_PRODUCT = words("pasta de dente", "creme dental", "enxaguante bucal", "enxaguante")

RULES: list[PhraseRule] = [
    # Lips or face turning blue: not lipstick, make-up or cold.
    *rules("pt", "anaphylaxis", "emergency", r"(?:labios|rosto|boca) _3 (?:roxo\w*|roxa\w*|azul\w*|azulad\w*)",
           unless=words("batom", "maquiagem", "frio", "gloss", "tinta")),
    *rules(
        "pt", "anaphylaxis", "emergency",
        # "respira" too, as a learner or a quick typist writes it: "nao consigo respira direito"
        r"nao (?:\w+ )?(?:consigo|consegue|conseguindo|posso|pode|conseguimos) (?:mais )?respirar?\b",
        r"(?:dificuldade|dificil) (?:para |pra |de |em )?respirar",
        r"respir\w* _1 (?:mal|com dificuldade|com muita dificuldade|estranho)", r"falta de ar",
        r"(?:me |lhe )?falta (?:o )?ar",
        r"sem ar", r"chiado\w*", r"chiand\w*", r"sufoc\w*",
        r"(?:peito|garganta) _3 (?:apertad\w*|fechand\w*|fechad\w*|fechou|apertou)",
        r"aperto (?:no|na) (?:peito|garganta)",
        r"nao (?:\w+ )?(?:consigo|consegue|conseguindo) puxar (?:o )?ar",
        r"garganta _1 fechando", rf"{BODY} _3 {SWELL}", rf"{SWELL} _3 {BODY}",
        # worse and worse: "o rosto ta cada vez mais inchado"
        rf"{BODY} _3 cada vez mais {SWELL}",
        r"anafila\w*",
        r"(?:reacao alergica|choque alergico) _1 (?:grave|severa|forte|seria|fortissima|horrivel|enorme|muito forte)",
        r"(?:grave|severa|forte|seria|enorme|horrivel|baita|muito forte) reacao alergica", r"choque anafilatico",
        r"(?:usei|usou|usar|apliquei|aplicou|aplicar|dei|demos|tomei) _3 (?:epipen|adrenalina|epinefrina|caneta)",
        r"nao (?:consigo|consegue) engolir", r"(?:dificuldade|dificil) (?:para |pra |de )?engolir",
        r"voz _2 rouca", r"rouquidao",
        r"(?:chame\w*|liguei|ligue|chamamos) (?:uma |a |o |para o )?(?:ambulancia|samu|192|112)",
        r"(?:indo|vamos|levando|levamos|levei) _2 (?:pro|para o|ao) (?:hospital|pronto socorro)",
        unless=JOKING,
    ),
    *rules("pt", "anaphylaxis", "emergency", r"desmai\w*", r"(?:perdeu|perdi) (?:os sentidos|a consciencia)",
           r"inconsciente", unless=FIGURATIVE),
    *rules("pt", "anaphylaxis", "emergency", r"tontura\w*", r"(?:estou|esta|fiquei|ficou|to|tou) (?:muito )?tont[oa]",
           r"zonz[oa]",
           # about to black out: "vi tudo preto", "a vista escureceu"
           r"(?:vejo|vi|via|ve|viu) tudo (?:preto|escuro)", r"(?:vista|visao) _2 escurec\w*",
           needs=SYSTEMIC, unless=FIGURATIVE),
    # a person gone limp: "meu bebe ficou molinho", "ela esta toda mole"
    *rules("pt", "anaphylaxis", "emergency",
           r"(?:bebe|filh[oa]|crianca|menin[oa]|net[oa]|marido|esposa|mae|pai|avo|vovo) _3 "
           r"(?:ficou|esta|ta|parece|ficando) (?:todo |toda |muito |bem |meio )?(?:molinh[oa]|mole|molengo|molenga)\b",
           unless=FIGURATIVE),
    *rules("pt", "anaphylaxis", "ask", r"urticaria",
           r"(?:tenho|estou com|esta com|estou tendo|to com) _2 reacao alergica",
           r"(?:lingua|garganta) _3 (?:formigand\w*|dormente\w*|cocand\w*|estranh[ao])",
           # the lips tingling or numb: "os labios formigando"
           r"labios? _3 (?:formigand\w*|dormente\w*|adormecid\w*)"),
    *rules(
        "pt", "swallowed", "emergency",
        r"engoliu", r"engoli", r"ingeriu", r"ingeri",
        rf"(?:bebeu|bebi|comeu|comi|lambeu|chupou|tomou|tomei|"
        rf"(?:um |uns )?(?:gole|golinho|golada)s? (?:de|do|da|no|na|dos|das|nos|nas)) _3 {PRODUCT}",
        rf"{CHILD} _3 (?:bebeu|comeu|lambeu|chupou|colocou _3 na boca|pos _3 na boca)",
        # colloquial: "tragou o tonico", "mandou pra dentro o creme"
        rf"(?:tragou|mandou (?:pra|para) dentro) _3 {PRODUCT}",
        unless=words(HARMLESS_TO_SWALLOW, JOKING),
    ),
    *rules("pt", "eye", "emergency", r"(?:no|nos|dentro do|dentro dos|num) _1 olhos?", needs=EYE_HURT,
           otherwise="none"),
    *rules(
        "pt", "eye", "emergency",
        r"nao (?:consigo|consegue) abrir (?:o |os |meu |seu )?olhos?", r"visao _2 (?:embacada|turva|borrada)",
        r"nao (?:enxergo|vejo|enxerga|esta enxergando|to enxergando|estou enxergando) (?:nada|direito|bem)",
        r"(?:olho|olhos) _3 (?:ardendo|queimando) _2 muito",
    ),
    *rules("pt", "eye", "ask", r"(?:no|nos|dentro do|dentro dos|num) _1 olhos?",
           unless=words(r"gotas? (?:para os olhos|oftalmicas?)", "colirio", r"lentes? de contato", r"cilios?",
                        "tercol")),
    *rules(
        "pt", "burn", "emergency",
        r"bolhas", r"(?:cheia?|cheio|com|uma|varias|formou|formando|deu|saiu) _1 bolhas?", r"queimadura\w*",
        r"carne viva",
        r"pele _3 (?:soltando|saindo|descascando em|em carne viva|sangrando)",
        r"(?:continua|segue|ainda) (?:queimando|ardendo)",
        r"(?:arde|ardendo|queima|queimando|ardencia|ardor|queimacao) _3 (?:nao (?:para|passa|sai)|sem parar)",
        r"nao para de (?:arder|queimar)", r"continua a (?:arder|queimar)",
        r"(?:saindo|aparecendo|apareceram|surgiram) _2 bolhas?",
        unless=NOT_A_BURN,
    ),
    # A burning that rinsing has not stopped: "ainda arde mesmo depois de lavar", "lavei e continua ardendo"
    *rules("pt", "burn", "emergency",
           r"(?:arde|ardendo|queima|queimando|ardencia|ardor) _6 (?:mesmo|ate) (?:depois|apos) (?:de )?(?:lavar|"
           r"enxaguar|enxaguei|lavei|passar agua)",
           r"(?:lavei|enxaguei|lavamos|enxaguamos|passei agua|lavou|enxaguou) _6 (?:e )?(?:ainda|continua|segue) "
           r"(?:a )?(?:arde|ardendo|arder|queima|queimando|queimar)",
           unless=NOT_A_BURN),
    # Skin gone white or grey with a chemical named: "a pele ficou branca com o acido"
    *rules("pt", "burn", "emergency",
           r"(?:ficou|ficando|virou|esta|ta) (?:toda |muito )?(?:branca|cinza|esbranquicada)",
           needs=r"peeling|acido\w*|tca|mascara|glicolico|salicilico|quimic\w*|esfoliante|descolorante|depilatori\w*",
           otherwise="none"),
    # the skin burned by a chemical, fluid coming out, sores: "minha pele queimou com o acido e ta saindo agua"
    *rules("pt", "burn", "emergency",
           r"(?:pele|rosto|cara|bochechas?|testa|pescoco) _2 queim(?:ou|ada|ado|adas|ados)\b",
           r"saindo (?:uma )?(?:agua|aguinha|liquido|pus)", r"(?:cheio|cheia|coberto|coberta) de feridas",
           needs=r"peeling|acido\w*|tca|mascara|glicolico|salicilico|quimic\w*|esfoliante|descolorante|depilatori\w*",
           otherwise="none", unless=NOT_A_BURN),
    *rules("pt", "burn", "emergency", r"pele _3 (?:branca|cinza|esbranquicada)",
           needs=r"peeling|acido\w*|tca|mascara|glicolico|salicilico|quimic\w*|esfoliante", otherwise="none"),
    *rules("pt", "burn", "ask", r"(?:arde|queima|ardendo|queimando) (?:muito|demais)", unless=NOT_A_BURN),
    # Cannot speak, with the tongue, lips or throat named
    *rules("pt", "anaphylaxis", "emergency", r"nao (?:\w+ )?(?:consigo|consegue|posso|pode) (?:mais )?falar",
           needs=r"lingua|labios?|garganta|inch\w*|enorme|respir\w*", otherwise="none"),
    # Breathing getting worse: "respirando cada vez pior"
    *rules("pt", "anaphylaxis", "emergency", r"respir\w* _2 cada vez (?:pior|mais (?:dificil|mal|curto))",
           r"cada vez mais (?:dificil|dificuldade para|dificuldade de) respirar"),
    # An early sign of anaphylaxis: asks alone, an emergency with a second sign
    *rules("pt", "anaphylaxis", "ask", r"(?:sensacao|sentimento) de (?:morte|catastrofe) iminente"),
    # Toothpaste or mouthwash swallowed together with another product, or a large amount of it
    *rules("pt", "swallowed", "emergency",
           rf"(?:engoli\w*|bebeu|bebi|comeu|comi|ingeri\w*) _5 (?:{MOUTH_PRODUCT} _3 (?:e|ou|com) _4 {PRODUCT}|"
           rf"{PRODUCT} _3 (?:e|ou|com) _3 {MOUTH_PRODUCT})"),
    *rules("pt", "swallowed", "emergency", rf"(?:engoli\w*|bebeu|bebi|comeu|comi|ingeri\w*) _5 {MOUTH_PRODUCT}",
           needs=r"meio (?:tubo|frasco)|(?:o )?(?:tubo|frasco) (?:todo|inteiro)|(?:todo|toda) (?:o|a) (?:tubo|frasco)|"
                 r"muito|um golao|um gole grande",
           otherwise="none"),
    # Vomiting together with hives or swelling: a reaction beyond the skin
    *rules("pt", "anaphylaxis", "emergency", r"vomit\w*", r"vomitou", r"vomitando",
           needs=r"urticaria|vergoes|inchad\w*|inchou|incha\w*|manchas vermelhas", otherwise="none", unless=FIGURATIVE),
    # A swollen part named by its size: "a lingua ta enorme", "os labios o dobro"
    *rules("pt", "anaphylaxis", "emergency",
           r"(?:lingua|labios?|palpebras?|garganta|rosto|cara|olhos?) _3 (?:enorme\w*|gigante\w*|o dobro|dobro)",
           unless=words(*SIZE_WISH, JOKING, "volume", "olheiras", "bolsas")),
    # Someone who does not respond (a collapse), not someone who does not answer a message
    *rules("pt", "anaphylaxis", "emergency",
           rf"(?:{CHILD}|marido|esposa|mulher|mae|pai|mamae|papai) _3 nao (?:responde|reage)\b",
           unless=words(FIGURATIVE, r"mensage\w*", "whatsapp", r"telefone", r"ligac\w*", r"tratamento\w*",
                        "ao creme")),
    # Burning for hours
    *rules("pt", "burn", "emergency", r"(?:arde|ardendo|queima|queimando|ardencia) _2 (?:ha|faz) (?:\w+ )?horas",
           unless=NOT_A_BURN),
    # a tongue gone thick or heavy: "minha lingua parece grossa"
    *rules("pt", "anaphylaxis", "emergency", r"lingua _3 (?:grossa|pesada|espessa)", unless=FIGURATIVE),
    # someone not breathing, told short: "socorro nao respira", "ele nao ta respirando" (not the skin or the nose)
    *rules("pt", "anaphylaxis", "emergency",
           r"nao (?:ta |esta |to |estou )?(?:respira|respiro|respirando)\b(?! (?:pelo|pela|o|a|os|as|esse|essa|isso|"
           r"fumaca|vapor)\b)",
           unless=words(FIGURATIVE, "pele", r"poros?", "nariz", "cabelo", "couro cabeludo")),
]
