"""Spanish emergency phrasings (normalised: no accents, "reaccion", "hinchazon")."""

from __future__ import annotations

from bot.safety.phrase_rules import SIZE_WISH, PhraseRule, rules, words

BODY = words(r"labios?", "lengua", "cara", "boca", r"ojos?", r"parpados?", "garganta", "rostro", "cuello", "uvula",
             "campanilla")
SWELL = words(r"hinch\w*", r"inflam\w*", r"inchad\w*")
CHILD = words(r"hij[oa]s?", "bebe", r"nin[oa]s?", r"peque\w*", r"niet[oa]", r"sobrin[oa]",
              "el", "ella", "perro", "gato")
PRODUCT = words("crema", "serum", "locion", "tonico", "producto", "protector", "aceite", "gel", "mascarilla",
                "acido", "limpiador", "jabon", "bote", "frasco", "tubo", "bote", "quitaesmalte", "acetona",
                "agua micelar", "perfume", "colonia", "desmaquillante", "esmalte",
                # hair and body products, a sanitiser, bleach: "el nino se tomo el champu"
                "champu", "acondicionador", "desodorante", "alcohol en gel", "desinfectante", "lejia")
EYE_HURT = words(r"llor\w*", r"grit\w*", r"acidos?", r"lejia", "peeling", "tinte", "decolorante", "quitaesmalte",
                 r"depilatori\w*", "alisador",
                 "acetona", "amoniaco",
                 # a developer, peroxide or sanitiser: harsh in an eye even without a sign told
                 r"agua oxigenada", r"peroxido", r"oxidante", r"gel (?:antibacterial|desinfectante|hidroalcoholico)",
                 r"alcohol en gel", r"desinfectante",
                 "duele", "dolor", "arde", "ardor", "quema", r"borros\w*",
                 r"no (?:lo |los |la |las |me |le )?(?:puedo|puede) abrir\w*",
                 "no veo", "no ve", "vision", "pica mucho")
SYSTEMIC = words("ronchas", "urticaria", "picor", "pica", "comezon", "sarpullido", r"roj\w*", r"hinch\w*",
                 "respirar", r"vomit\w*", "nauseas")
JOKING = words("precio", "jaja", "jajaja", "jeje", "lol", "cuenta", "dinero", "factura")
FIGURATIVE = words("precio", "jaja", "jajaja", "jeje", "lol", "casi", "al ver",
                   # fainting or dying of laughter: "me desmaye de la risa"
                   r"de (?:la |tanta )?risa",
                   # praise: "un olor de desmayo", "para desmayarse" (to faint for), not "a punto de desmayarse"
                   r"(?<!punto )de desmayo", r"para desmayarse")

NOT_A_BURN = words("sol", "solar", "solares", r"afeit\w*", r"(?<!crema )depila\w*", "cera",
                   "plancha", "horno", r"zapat\w*",
                   "herpes")

# Meant for the mouth, or a habit ("he always swallows some"): not a poisoning happening now.
HARMLESS_TO_SWALLOW = words("siempre", "a menudo", "a veces", "cada vez",
                            "pasta de dientes", "dentifrico", "enjuague bucal", "chicle")
# Toothpaste and mouthwash: harmless in the small amounts swallowed while brushing or rinsing
MOUTH_PRODUCT = words("pasta de dientes", "pasta dental", "dentifrico", "enjuague bucal", "colutorio")

IN_EYE = r"(?:en|dentro|al|a los|a mis|a sus)(?: (?:del?|el|los|mi|mis|su|sus|un))? _1 ojos?"

RULES: list[PhraseRule] = [
    # Lips or face turning blue: not lipstick, make-up or cold.
    *rules("es", "anaphylaxis", "emergency", r"(?:labios|cara|boca) _3 (?:morad\w*|azul\w*)",
           unless=words("pintalabios", "labial", "maquillaje", "frio", "gloss", "tinte")),
    *rules(
        "es", "anaphylaxis", "emergency",
        r"no (?:puedo|puede|podemos|consigo|consigue|logro|logra) _1 respirar",
        r"(?:sin|no) (?:poder|puedo|puede|consigo|consigue) (?:casi )?respirar", r"(?:me|le|nos) cuesta _1 respirar",
        r"dificultad (?:para|al|de) respirar", r"respir\w* _1 (?:mal|con dificultad|fatal|raro|muy rapido)",
        r"(?:me |se )?(?:estoy |esta )?(?:asfixi|sofoc)\w*", r"falta (?:de )?(?:aire|aliento)",
        r"(?:me|le) falta el aire",
        r"ahog\w*", r"sin aire", r"no (?:me |le )?entra (?:el )?aire", r"silbid\w*", r"sibilanc\w*",
        r"(?:pecho|garganta) _3 (?:cerrad\w*|cierra\w*|cerrando|apretad\w*|oprimid\w*|aprieta\w*)",
        r"opresion en el pecho",
        r"(?:aprieta|oprime|cierra|estrecha)\w* _2 (?:el pecho|la garganta)",
        r"(?:se (?:me|le) )?(?:cierra|esta cerrando|cerro) (?:la )?garganta",
        rf"{BODY} _3 {SWELL}", rf"{SWELL} _3 {BODY}",
        # worse and worse ("mas" stops a gap: it is also "but"): "la cara cada vez mas hinchada"
        rf"{BODY} _3 cada vez mas {SWELL}",
        r"anafila\w*",
        r"(?:reaccion alergica|choque alergico|shock alergico) _1 "
        r"(?:grave|severa|fuerte|seria|tremenda|horrible|enorme|muy fuerte)",
        r"(?:grave|severa|fuerte|seria|tremenda|horrible|enorme|gran|muy fuerte) reaccion alergica",
        r"(?:choque|shock) anafilactico",
        r"(?:use|usar|puse|poner|inyecte|inyectar|pusimos|pusieron|usamos|le puse|le pusimos|aplique|pinche|"
        r"pinchamos|pincharon|clave|clavamos) _3 "
        r"(?:adrenalina|epinefrina|epipen|autoinyector)",
        r"(?:adrenalina|epinefrina|epipen) _2 (?:puesta|usada|inyectada)",
        r"no (?:puedo|puede) tragar", r"(?:dificultad|me cuesta|le cuesta) _1 tragar", r"voz ronca", r"ronquera",
        r"(?:llam\w*|llamen) (?:a )?(?:una |las |los )?(?:ambulancia|emergencias|urgencias|112|911)",
        r"(?:vamos|voy|van|va|vamos camino|llevamos|llevando|llevo) _2 (?:al hospital|a urgencias|a emergencias)",
        unless=JOKING,
    ),
    *rules("es", "anaphylaxis", "emergency", r"desmay\w*", r"perd\w* (?:el )?(?:conocimiento|sentido)",
           r"inconsciente", r"se (?:cayo|desplomo)", unless=FIGURATIVE),
    *rules("es", "anaphylaxis", "emergency", r"marea\w*", r"mareo\w*", r"vertigo",
           # about to black out: "lo veo todo negro", "se me nublo la vista"
           r"(?:veo|vi|ve|veia) todo (?:negro|oscuro)", r"(?:lo )?veo (?:todo )?negro",
           r"se (?:me |le )?(?:nubla|nublo|oscurece|oscurecio|va|fue) la vista",
           needs=SYSTEMIC, unless=FIGURATIVE),
    # a person gone limp: "el bebe esta flojito", "se quedo como un trapo"
    *rules("es", "anaphylaxis", "emergency",
           r"(?:bebe|hij[oa]|nin[oa]|nene|nena|peque\w*|niet[oa]|marido|esposa|madre|padre|abuel[oa]) _3 "
           r"(?:esta|estaba|se puso|se quedo|quedo|parece) (?:muy |todo |toda |como )?(?:flojit[oa]|floj[oa]|"
           r"flacid[oa]|un trapo|sin fuerzas?)\b", unless=FIGURATIVE),
    *rules("es", "anaphylaxis", "ask", r"ronchas", r"(?:tengo|tiene) (?:una )?reaccion alergica",
           r"(?:lengua|garganta) _3 (?:hormigue\w*|entumid\w*|pica\w*|rar[ao]|extran[ao])",
           # the lips tingling or numb: "los labios dormidos"
           r"labios? _3 (?:hormigue\w*|entumid\w*|dormid[oa]s?|adormecid\w*)"),
    *rules(
        "es", "swallowed", "emergency",
        r"(?:se )?trag(?:o|ado|aron)", r"ingiri\w*", r"ingerid\w*",
        rf"(?:bebio|se bebio|comio|se comio|chupo|lamio|se tomo|tomo|(?:un )?(?:trago|sorbo|buche)s? de|"
        rf"(?:se )?(?:ha|han) (?:comido|bebido|tragado|"
        rf"chupado|lamido|tomado)) _3 {PRODUCT}",
        rf"{CHILD} _3 (?:bebio|se bebio|comio|se comio|chupo|lamio|se metio _4 en la boca)",
        # an amount ending the clause: "se metio el tubo en la boca y se comio un poco"
        r"se (?:lo |la )?(?:comio|bebio|tomo|trago) (?:un poco|algo|la mitad|medio|todo)(?= [,.;:!?]|$)",
        # colloquial: "se lo bebio", "se zampo medio bote", "se empino el frasco"
        rf"se (?:lo |la |los |las )?(?:bebio|tomo|comio|trago|zampo|empino|chupo) _3 {PRODUCT}",
        r"se (?:lo|la|los|las) (?:bebio|tomo|comio|trago|zampo)",
        unless=HARMLESS_TO_SWALLOW,
    ),
    *rules("es", "eye", "emergency", IN_EYE, needs=EYE_HURT, otherwise="none"),
    *rules(
        "es", "eye", "emergency",
        r"no (?:puedo|puede) abrir (?:el |los |mi |su )?ojos?", r"no (?:puedo|puede) abrir(?:lo|los)",
        r"vision _1 borrosa", r"veo (?:todo )?borroso",
        r"no (?:veo|ve) (?:bien|nada)", r"ojos? _3 (?:arde\w*|quema\w*|duele\w* mucho)",
        r"(?:arde|quema|duele)\w* _2 (?:el |los |mi |su )?ojos?",
    ),
    # short of a sign it asks, but not for what belongs in an eye (drops, a lens, a lash, a stye)
    *rules("es", "eye", "ask", IN_EYE,
           unless=words(r"gotas (?:para los ojos|oftalmicas)", "colirio", r"lentillas?", "lentes de contacto",
                        r"pestanas?", r"orzuelos?")),
    *rules(
        "es", "burn", "emergency",
        r"ampolla\w*", r"quemadura quimica", r"quemadura\w*", r"carne viva",
        r"piel _3 (?:se (?:cae|esta cayendo|desprende|levanta)|cayendo|desprendiendo|en carne viva|supura|"
        r"a (?:tiras|jirones|trozos))",
        r"(?:pelando|pela|pelo|levantando|levanta|cayendo|cae) _1 (?:a|en) (?:tiras|jirones|trozos|pedazos)",
        r"(?:piel|cara|cuello|frente|mejillas?) _2 quemad[ao]s? (?:por|con|del|de la) _2 "
        r"(?:peeling|acido\w*|mascarilla|"
        r"crema|producto|tinte|decolorante|quimic\w*)",
        r"(?:cae|cayendo|desprende\w*|levanta\w*|arranca\w*) _2 (?:la )?piel",
        r"(?:sigue|continua) (?:quemando|ardiendo|picando)",
        r"(?:arde|quema|ardor|quemazon|escozor) _3 (?:no para|sin parar|no se quita|no se va|no (?:se )?pasa)",
        r"(?:salen|salieron|aparecen|aparecieron) _2 ampollas", r"no (?:para|deja) de (?:arder|quemar)",
        unless=NOT_A_BURN,
    ),
    *rules("es", "burn", "emergency", r"piel _3 (?:blanca|gris|grisacea|blanquecina)",
           needs=r"peeling|acido\w*|tca|mascarilla|glicolico|salicilico|quimic\w*|exfoliante", otherwise="none"),
    *rules("es", "burn", "ask", r"(?:me |le )?(?:arde|quema) (?:mucho|muchisimo)", unless=NOT_A_BURN),
    # Cannot speak, with the tongue, lips or throat named: "no puede hablar, tiene la lengua enorme"
    *rules("es", "anaphylaxis", "emergency",
           r"no (?:puedo|puede|podemos|consigo|consigue|logro|logra) (?:casi |ni |bien )?hablar",
           r"(?:me|le) cuesta _1 hablar",
           needs=r"lengua|labios?|garganta|hinch\w*|enorme|gorda|respir\w*", otherwise="none"),
    # Breathing getting worse: "respiro cada vez peor", "cada vez me cuesta mas respirar"
    *rules("es", "anaphylaxis", "emergency", r"respir\w* _2 cada vez (?:peor|mas (?:dificil|mal|rapido|corto))",
           r"cada vez (?:me |le )?cuesta mas respirar", r"(?:me|le) cuesta cada vez mas respirar"),
    # An early sign of anaphylaxis: asks alone, an emergency with a second sign
    *rules("es", "anaphylaxis", "ask",
           r"(?:sensacion|sentimiento|presentimiento) de (?:muerte|fatalidad|catastrofe|peligro) inminente"),
    # Open or bleeding skin after a peel or an acid
    *rules("es", "burn", "emergency",
           r"(?:piel|cara|mejillas?|frente|cuello) _2 "
           r"(?:abiert[ao]s?|se (?:me |le )?(?:abrio|ha abierto|esta abriendo)|sangra\w*)",
           # sores, or the skin burned by it: "esta en llagas", "se me quemo la piel con el acido"
           r"llagas?", r"quem(?:o|aron|ado|ada) (?:la |mi |su |toda la )?(?:piel|cara)",
           needs=r"peeling|acido\w*|tca|mascarilla|glicolico|salicilico|quimic\w*|exfoliante", otherwise="none",
           unless=NOT_A_BURN),
    # Toothpaste or mouthwash swallowed together with another product, or a large amount of it
    *rules("es", "swallowed", "emergency",
           rf"(?:trag\w*|bebi\w*|comi\w*|ingiri\w*) _5 (?:{MOUTH_PRODUCT} _3 (?:y|e|o|con) _4 {PRODUCT}|"
           rf"{PRODUCT} _3 (?:y|e|o|con) _3 {MOUTH_PRODUCT})"),
    *rules("es", "swallowed", "emergency", rf"(?:trag\w*|bebi\w*|comi\w*|ingiri\w*) _5 {MOUTH_PRODUCT}",
           needs=r"medio (?:bote|tubo|frasco)|(?:todo|toda) (?:el|la) (?:bote|tubo|frasco|botella)|"
                 r"el (?:bote|tubo|frasco) entero|mucho|muchisimo|un (?:buen|gran) trago|un trago grande",
           otherwise="none"),
    # Vomiting together with hives or swelling: a reaction beyond the skin
    *rules("es", "anaphylaxis", "emergency", r"vomit\w*", r"devuelto",
           needs=r"ronchas|urticaria|habones|hinch\w*|sarpullido|erupcion", otherwise="none", unless=FIGURATIVE),
    # A swollen part named by its size: "la lengua se le puso enorme", "los labios el doble"
    *rules("es", "anaphylaxis", "emergency",
           r"(?:lengua|labios?|parpados?|garganta|cara|ojos?) _3 (?:enorme\w*|gigante\w*|el doble|doble|triple)",
           unless=words(*SIZE_WISH, JOKING, "voluminizador", "bolsas", "ojeras")),
    # Someone who does not respond (a collapse), not someone who does not answer a message
    *rules("es", "anaphylaxis", "emergency",
           rf"(?:{CHILD}|marido|esposa|mujer|madre|padre|mama|papa) _3 no (?:responde|reacciona|contesta)\b",
           unless=words(FIGURATIVE, r"mensajes?", "whatsapp", r"telefono", r"llamadas?", r"tratamientos?",
                        "al tratamiento", "a la crema")),
    # A burning that rinsing has not stopped: "me arde aunque ya me enjuague", "lo lave y sigue ardiendo"
    *rules("es", "burn", "emergency",
           r"(?:arde|quema|escuece|ardiendo|quemando|ardor|quemazon)\w* _6 (?:aunque|pese a que|a pesar de|incluso "
           r"despues de|despues de) (?:ya )?(?:me |le |lo |la |los |haber(?:me|le|lo|la)? )?(?:enjuag|lav|aclar)\w*",
           r"(?:enjuag|lav|aclar)\w* _6 (?:y )?(?:sigue|todavia|aun|continua) (?:me |le )?(?:arde|quema|ardiendo|"
           r"quemando|escuece|escociendo)",
           unless=NOT_A_BURN),
    # Skin gone white or grey with a chemical named: "se puso blanca con el acido"
    *rules("es", "burn", "emergency",
           r"se (?:me |le )?(?:puso|pone|ha puesto|quedo|ha quedado|volvio|esta poniendo) (?:toda |muy |como )?"
           r"(?:blanca|blanco|gris|grisacea|blanquecina)",
           needs=r"peeling|acido\w*|tca|mascarilla|glicolico|salicilico|quimic\w*|exfoliante|decolorante|depilatori\w*",
           otherwise="none", unless=NOT_A_BURN),
    # Burning for hours
    *rules("es", "burn", "emergency", r"(?:arde|quema|escuece|ardiendo|quemando)\w* _2 desde hace (?:\w+ )?horas",
           r"(?:llevo|lleva|llevamos) (?:\w+ )?horas (?:con )?(?:ardor|ardiendo|quemando|quemazon)",
           unless=NOT_A_BURN),
    # a tongue gone thick or heavy: "siento la lengua gruesa"
    *rules("es", "anaphylaxis", "emergency", r"lengua _3 (?:gruesa|pesada|espesa)", unless=FIGURATIVE),
    # someone not breathing, told short: "ayuda no respira", "mi hijo no esta respirando" (not the skin or the nose)
    *rules("es", "anaphylaxis", "emergency",
           r"no (?:respira|respiro|esta respirando|estoy respirando)\b(?! (?:por|el|la|los|las|ese|esa|eso|este|esta|"
           r"humo|vapor|bien por)\b)",
           unless=words(FIGURATIVE, r"piel", r"poros?", "cutis", "nariz", "pelo", "cabello", "cuero cabelludo")),
]
