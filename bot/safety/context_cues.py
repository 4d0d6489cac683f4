"""Words around a symptom that change what it means: negation, hypotheticals, cosmetic uses, history.

"no swelling, just redness" (negated), "will it make my lips swell?" (hypothetical), "does it reduce
swelling under my eyes?" (cosmetic), "I had anaphylaxis to milk as a kid" (history), "the swelling went
down" (resolved) are not emergencies. Every cue has a scope: negation ends at the clause (a comma,
"but", "just", a new subject after "and"), a hypothetical or history cue at the sentence or at a change
of subject ("btw", "anyway", "but"). All patterns run on normalised text (bot.safety.text_normal).
"""

from __future__ import annotations

import re

from bot.safety.phrase_rules import NEGATORS, words

# Subjects and possessives: a word that starts a new proposition ("no i cant breathe": "no" answers
# something else, "i cant breathe" is the news). Object pronouns ("didnt get it in my eye") are not here.
SUBJECTS: frozenset[str] = frozenset(
    """
    i im ive id my mine he hes his she shes her they theyre their we were our you your its
    son daughter baby kid child husband wife
    yo mi mis su sus el ella nosotros
    je j mon ma mes il elle nous on son sa ses
    ich mein meine meinen meinem er sie wir es
    io mio mia miei mie lui lei noi
    eu meu minha meus minhas ele ela
    """.split()
)

# A bare "no" is an answer or an exclamation unless a symptom follows it straight away.
BARE_NO: frozenset[str] = frozenset({"no", "non", "nao", "nein", "nope", "nah"})
# Patterns that are negative by themselves ("cant breathe", "no puedo respirar"): a "no" before them
# is emphasis, never a double negation ("no no i cant breathe", "no cant breathe").
NEGATIVE_OPENERS = re.compile(r"(?:cant|cannot|cnt|unable|not|no|nao|non|ne|n|kann|kein|keine|nicht|wont|barely)\b")
NEGATION_WINDOW = 4
# A bare "no" straight before an article is an answer, not a negation: "no the swelling is worse" ("no swelling" is).
# Not the Romance articles that are also object pronouns ("no la tengo hinchada" is negated).
ANSWER_THEN: frozenset[str] = frozenset({"the", "this", "that", "these", "those", "der", "die", "das"})
# "but" in Portuguese and Spanish ("mas"), not a clause breaker (it is also "more"): it ends a negation's scope when
# it does not follow the negation itself ("nao vomitou mas bebeu"; "no mas" is "no more")
BUT_WORDS: frozenset[str] = frozenset({"mas"})
# "i dont have any swelling or trouble breathing": a negation reaches every symptom of an "or" list, so the
# window grows by the words of the list (up to LIST_NEGATION_WINDOW).
DISJUNCTIONS: frozenset[str] = frozenset({"or", "nor", "ni", "ou", "oder"})
LIST_NEGATION_WINDOW = 9
# A negation before one of these is about something else: "i dont know how much he drank".
QUESTION_WORDS: frozenset[str] = frozenset(
    "how what why when where which whether who cuanto cuanta como porque combien pourquoi comment wie warum was "
    "wieviel quanto quanta perche come quando quanto".split()
)

# Where a negation's scope ends inside a sentence.
CLAUSE_BREAKERS: frozenset[str] = frozenset(
    """
    but however though although just only except yet still btw also anyway actually now then plus so
    pero sino aunque solo ahora mais sauf seulement juste maintenant aber sondern nur jetzt doch
    ma adesso ora porem agora
    """.split()
)
# "and"/"y"/"et"/"und"/"e" end a clause when a new subject follows ("no rash and my lips are swelling").
CONJUNCTIONS: frozenset[str] = frozenset({"and", "y", "e", "et", "und", "or", "o", "ou", "oder"})
# Where a hypothetical or history cue's scope ends: a change of subject.
TOPIC_BREAKERS: frozenset[str] = frozenset(
    "but however btw anyway also though although actually now pero ahora mais maintenant aber jetzt ma adesso "
    "porem agora".split()
)
# French words before which "ma" is the possessive ("si ma fille", "et ma peau"), not Italian "but".
BEFORE_FRENCH_MA: frozenset[str] = frozenset("si et que qu a de pour avec sur dans par chez car ou mais".split())


# "i dont have an epipen", "she doesnt carry one": owning none is no history of a reaction.
_NOT_OWNED = r"(?<!dont )(?<!do not )(?<!doesnt )(?<!does not )(?<!didnt )(?<!never )(?<!no )"
# Someone else named by their relation: "my friend had anaphylaxis from a hair dye" is their history.
_SOMEONE = (r"(?:someone|somebody|people|(?:a |one )?(?:customer|reviewer|woman|man|girl|guy|lady)|friend|sister|"
            r"brother|mum|mom|mother|dad|father|cousin|aunt|uncle|colleague|coworker|partner|"
            r"boyfriend|girlfriend|grandma|grandmother|grandpa|grandfather|flatmate|roommate|neighbou?r)s?")


def _cue(*alternatives: str) -> re.Pattern[str]:
    return re.compile(r"\b" + words(*alternatives) + r"\b")


# A question about what might happen, said before the symptom in the same sentence.
HYPOTHETICAL = _cue(
    r"(?<!sure )(?<!know )(?<!tell )if", "what if", "in case", "incase", r"cause\w*", r"trigger\w*", "risk",
    "chance", "possible", "possibly",
    "likely", r"side effects?", "prevent", "is it safe", r"safe (?:for|to|if)", "ok for", "okay for", "suitable",
    "supposed to", "will i", "would i", "could i", "should i worry", "how do i know", "how would i know",
    r"signs? of", r"symptoms? of", "tell me about", "in general", "hypothetically", "what counts", "what does",
    r"what do(?! (?:i|we) do\b)", "what happens",
    "worst case", "scenario", r"imagin\w*", "hypochondriac", "paranoid", "afraid of",
    "worried about", "scared of", "fear of", r"heard", "read that", "said", "told me", "apparently",
    "people say",
    # a question about other people's experience: "did anyone else get a reaction to the old formula?"
    r"(?:did|has|have|does|do) (?:anyone|anybody|others|other people)(?: else\b| (?:ever )?(?:get|got|gotten|had|have|"
    r"experience\w*|notice\w*|react\w*)\b)",
    "que pasa si", "y si", "puede causar", "puede provocar", "puede dar", "es seguro", "es normal que",
    "peut provoquer", "peut causer", "peut donner", "et si", "est ce que", "que se passe",
    "wenn", "falls", "verursachen", "was passiert",
    "cosa succede se", "e se", "puo causare", "puo provocare", "puo dare", "e sicuro", "cosa succede",
    "o que acontece se",
    r"se passe (?:t il )?si", r"si (?:on|je|tu|il|elle) (?:avale|met|mets)",
    # French "si" + the one who might do it: "si mon enfant avale de la creme", "si le bebe en boit"
    # (determiners only French has: Spanish and Italian "si" is also "yes")
    r"(?<!savoir )(?<!sais pas )(?<!sait pas )(?<!demande )(?<!sur )(?<!sure )(?<!sais )"
    r"si (?:mon|ma|mes|ton|ta|tes|son|sa|ses|notre|votre|nos|vos|leur|leurs|une) \w+",
    "pode causar", "pode provocar", "pode dar", "e seguro",
    "o que acontece",
    # "can I use it on my eyes?": a question about use, not an event
    "can i use", "can you use", "safe to use", "pode usar", "posso usar", "puedo usar", "se puede usar",
    r"puis je (?:l )?utiliser", r"peut on (?:l )?utiliser", "posso usare", r"si puo usare", r"kann (?:ich|man)",
    r"darf (?:ich|man)",
    # "what should I do if...", "que faire si...", "cosa faccio se...": a plan asked for, in any language
    r"(?:que|quoi) (?:\w+ ){0,2}(?:faire|fais|hago|hacer|debo) (?:\w+ )?si",
    r"(?:cosa|che|o que) (?:\w+ ){0,2}(?:faccio|fare|devo|faco|fazer|dois|devo) (?:\w+ )?se",
    r"was (?:\w+ ){0,2}(?:mache|tun|soll) (?:\w+ ){0,2}(?:wenn|falls)",
    # "se" + a verb of getting in or taking: Portuguese future subjunctive ("se entrar no olho") and Italian
    # "se mi va negli occhi"; the verbs are named because "se" is also a reflexive pronoun
    r"se (?:eu |ele |ela |voce |a crianca |o bebe |(?:meu|minha) \w+ )?(?:entrar|cair|pingar|escorrer|espirrar|"
    r"respingar|engolir|engolirem|tiver|passar|colocar|botar|acontecer|beber|comer)",
    r"se (?:mi |ti |gli |ci |per sbaglio |mio \w+ |mia \w+ |il \w+ |la \w+ )?(?:entra|cade|finisce|va|arriva|"
    r"ingoia|beve|mangia|lo ingoia|ne beve|ne mangia)\b",
    # Spanish "si" + a verb of getting in or taking: "si a mi hijo le entra crema en los ojos"
    r"si (?:a )?(?:mi |tu |su |el |la |un |una )?(?:\w+ )?(?:le |me |se |te |lo |la )?(?:entra|cae|traga|bebe|come|"
    r"toma|salpica|mete|tragara|bebiera|entrara)\b",
    # a habit, not an event: "he hates when it goes in his eyes", "when it gets in my eyes it stings"
    r"(?:hates?|hated|dislikes?|doesnt like|dont like|cries|complains) (?:it )?when",
    r"when (?:it|they|that|this|soap|shampoo|something|anything|product) (?:goes|gets|runs|drips|touches|comes)",
    # a supposition or a wish, in any language: "say i ever got it in my eye", "i dont want it to run into my eyes"
    r"(?:say|suppose|supposing|assuming|lets say|let us say|imagine) (?:i|he|she|we|they|you|my|someone|somebody|"
    r"a child|a kid|it)", r"(?:if|when) (?:\w+ )?ever", r"ever (?:got|get|gets|happens?|swallows?|drinks?)",
    r"(?:dont|do not|doesnt|does not|wouldnt) want (?:it|them|this|that|him|her|the \w+) to", r"would hate (?:it|for)",
    "for future reference", "for the future",
    # someone else asking whether it does it, at a counter or a salon: "la cliente demande si le peeling brule" (not
    # "je me demande si mon fils en a bu", a doubt about what happened, like "not sure if")
    r"(?<!me )(?<!se )(?<!m )(?:demande|demandent|demandait) si",
    # a way to keep it from happening asked for: "how do i avoid getting the toner in my eyes"
    r"how (?:do|can|could|should|would|to) (?:i |we |you |one )?(?:best )?(?:avoid|stop (?:it|this|that|\w+) from)",
    r"(?:ways?|tips?|tricks?|best way) (?:to|for) (?:avoid|avoiding|prevent\w*)", r"como (?:evito|evitar|evitamos)",
    r"comment (?:eviter|j evite|on evite)", r"wie (?:vermeide|verhindere|vermeidet|verhindert) (?:ich|man)",
    r"come (?:evito|evitare|faccio a evitare)", r"(?:to be|be) prepared", "just in case",
    r"supong\w* que", "digamos que", r"imaginons", "admettons", "angenommen", r"mettiamo (?:che|caso)",
    r"supon(?:ha|do) que",
)
# A report in the media about someone else, said before the sign (checked on the text before it and the sign itself):
# "saw on the news a girl got chemical burns from a peel trend", "read a story about a toddler who drank ..."; not
# "i was watching a video and my son drank the toner".
MEDIA_REPORT = _cue(
    r"(?:on|in) the news", r"(?:saw|seen|watched|read) (?:a |an |this |that |some )?(?:\w+ )?(?:videos?|posts?|"
    r"articles?|stor(?:y|ies)|tiktoks?|reels?|threads?|reports?|headlines?) (?:about|of|where|that|saying|showing|on|"
    r"how|from) (?:a |an |some |this |the |one )?(?:\w+ )?(?:girl|woman|women|man|men|guy|kid|child|baby|person|"
    r"people|someone|lady|influencer|toddler|teen\w*|customer|user|reviewer)s?",
    r"(?:en las|en los|por las) noticias", r"(?:aux|dans les|a la) (?:infos|informations|actus|nouvelles)",
    r"in den nachrichten", r"(?:al|nel) (?:tg|telegiornale)", r"nelle notizie", r"(?:no|nos) (?:jornal|noticiario)",
    r"nas noticias",
)
# A yes/no question about the product at the start of the sentence: "will it make my lips swell?",
# "can hyaluronic acid make my face look puffy?".
QUESTION_START = re.compile(
    r"^ ?(?:(?:hi|hey|hello|ok|okay|so|and|also|quick question|question|just wondering|wondering|curious) )*"
    r"(?:can|could|will|would|does|do|did|might|may|should|is|are|has|have|puede|peut|kann|ist|puo|pode|est)"
    r"(?! (?:you|someone|anyone|somebody) (?:please|help|pls|plz|tell me what))"
    r"(?: (?:it|this|that|these|those|they|you|the|a|an|any|using|applying|[a-z]+ acid|[a-z]+ oil|retinol|es|das|il|"
    r"ce|cela|esto|eso|isso|questo)\b"
    r"|(?: [a-z]+){1,3} (?:make|makes|cause|causes|give|gives|trigger|triggers|lead|leave|leaves)\b)"
)
# Words anywhere in the sentence that show the symptom is a topic, not an event.
ABOUT_ANYWHERE = _cue(
    r"(?:does|do|did) (?:\w+ ){1,4}mean", "what is meant", "meaning of", "definition", "look out for",
    "watch out for", r"labels?", "warning",
    "on purpose", "worst case", "scenario",
    # "my eyes burn just looking at it": a figure of speech
    r"just (?:from )?(?:looking at|reading|thinking about|seeing|watching|hearing about) (?:it|this|that|the|these|"
    r"those|your|them)", "hypochondriac", "in theory", "just curious", "asking for a friend",
    # "only asking, it never happened" in six languages
    r"(?:just|only) (?:asking|wondering|checking)", r"(?:never|hasnt|has not|havent|have not) (?:ever )?happened",
    "nothing happened", r"solo (?:pregunto|por saber|es por saber|curiosidad)", r"nunca (?:ha )?pas(?:o|ado)",
    r"(?:juste|c est juste|simplement) pour savoir", "pour info",
    r"(?:nur|bloss) (?:zur info|so|theoretisch|aus neugier)",
    r"(?:e |solo |giusto )?per sapere", r"(?:mai|non e mai) success\w*", r"so (?:pra|para|por) (?:saber|curiosidade)",
    r"nunca aconteceu",
    "significa", "signifie", "bedeutet", "significa", "quer dizer",
    # a training device or a course, not a pen used on someone
    r"(?:epipen|epi|adrenaline|autoinjector|injector) (?:trainer|training|demo|practice)", r"trainer pen",
    r"(?:first aid|cpr|resus\w*|anaphyla\w*|allergy) (?:course|class|training|lesson|awareness|module|poster|talk)",
    # a way to avoid it asked: "my friend got a chemical burn from a salon peel, how do i avoid that"
    r"how (?:do i|can i|to|would i|do you|should i|do we|can we) (?:avoid|prevent) (?:that|this|the same)"
    r"(?! (?:getting|from getting|spreading|going|becoming))",
    r"(?:doesnt|does not|wont|will not|dont|do not) happen to (?:me|us|her|him|my)",
    # a purpose, not an event: "how do i store the acids so the kids cant swallow them"
    r"so (?:that )?(?:the |my |our |your )?(?:kids?|children|toddlers?|bab(?:y|ies)|little ones?|pets?|dogs?|cats?) "
    r"(?:cant|cannot|can not|wont|will not|dont|do not|never) (?:\w+ )?(?:swallow|drink|eat|reach|get (?:to|at|into)|"
    r"open|grab)\w*",
    r"para que (?:los |las |mis |el |la |mi )?(?:ninos?|ninas?|peques?|hijos?|bebes?|perros?|gatos?) no (?:se )?"
    r"(?:lo |la |los |las )?(?:traguen|beban|coman|alcancen|cojan|abran)",
    r"pour (?:que|qu) (?:les |mes |mon |ma |le |la )?(?:enfants?|petits?|bebes?|chiens?|chats?) (?:ne|n) "
    r"(?:l |les |la |le )?(?:avalent|avale|boivent|boive|mangent|mange|attrapent|ouvrent)",
    r"damit (?:die |meine |mein |unsere )?(?:kinder|kind|kleinen|baby|hund|katze) (?:\w+ ){0,3}nicht (?:\w+ )?"
    r"(?:schlucken|trinken|essen|erreichen|drankommen|rankommen|offnen|oeffnen)",
    r"(?:perche|cosi che|in modo che) (?:i |il |la |le |mio |mia |miei )?(?:bambini|bimbi|figli|piccoli|cane|gatto|"
    r"bambino|bambina) non (?:la |lo |li |le |ne )?(?:ingoino|bevano|mangino|prendano|raggiungano|aprano)",
    r"(?:para|pra) (?:que )?(?:as |os |meus |minhas |o |a |meu |minha )?(?:criancas?|filhos?|filhas?|bebes?|"
    r"cachorros?|gatos?) nao (?:\w+ )?(?:engul\w*|beb\w*|com\w*|peg\w*|alcanc\w*|abr\w*)",
)
# A cosmetic verb inside a swelling phrase: "eye serum actually reduce swelling", "lips less puffy".
COSMETIC_VERB = _cue(r"reduc\w*", r"de ?puff\w*", "get rid of", r"minimi[sz]\w*", r"calm\w*", r"sooth\w*",
                     r"treat\w*", r"prevent\w*", "less", "bring down", "take down", r"reduz\w*", r"redui\w*",
                     r"reduzier\w*", r"disminu\w*", r"diminu\w*", r"attenu\w*", r"sgonf\w*", r"desinch\w*",
                     r"deshinch\w*", r"degonfl\w*")
COSMETIC_BEFORE = _cue(
    r"reduc\w*", "depuff", r"de puff\w*", r"help\w* (?:with|reduce|calm|soothe)", "good for", "for", "against",
    "get rid of", r"minimi[sz]\w*", "fade", r"calm\w*", r"sooth\w*", r"treat\w*", r"prevent\w*", "less", "anti",
    "bring down", "take down",
    r"ajuda\w* (?:com|a|no|na|contra)", r"ayuda\w* (?:con|a|contra)",
    r"aide\w* (?:a|contre)", r"aiuta\w* (?:a|con|contro)", r"hilft (?:gegen|bei)",
    r"fight\w*", "morning", "tackle", r"target\w*", "combat", "improve",
    r"reduz\w*", r"redui\w*", r"rid[ou]\w*", r"reduzier\w*", r"verringer\w*", "contra", "contre", "gegen", "pour",
    # Italian "sta per svenire" is "about to faint", not "for"
    "para", r"(?<!sta )(?<!sto )(?<!stava )(?<!stavo )(?<!stanno )per",
    r"disminu\w*", r"diminu\w*", r"attenu\w*", "mildern",
)
COSMETIC_ANYWHERE = _cue(
    # a plumping or volumising product, also in a compound ("lippenplumper", "gloss volumizador")
    r"\w*plump\w*", r"volumi[sz]\w*",
    r"under (?:my |the |his |her )?eyes?", r"undereye\w*", r"under eye\w*", "eye bags", r"bags",
    r"puffy eyes", r"puffiness", "dark circles", "lip filler", r"fillers?", "bee sting", r"volumi[sz]ing",
    "more volume", "fuller", "preenchimento", "relleno", "riempimento", "aufgespritzt",
    "ojeras", "cernes", "augenringe", "occhiaie", "olheiras", "bolsas", "poches", r"tranensack\w*", "borse",
    r"repulp\w*", r"rimpolp\w*", r"voluminiz\w*", r"aufpolster\w*", r"volumin\w*", "sotto gli occhi",
    "sous les yeux", r"(?:debajo de|bajo) los ojos", "unter den augen", r"(?:embaixo|abaixo|debaixo) dos olhos",
    r"de ?puff\w*",
    r"in (?:(?:that|this|the|my|a|those|these|some) )?(?:photos?|pictures?|pics?|selfies?|videos?|mirror)",
    "hangover", "lack of sleep", r"(?:so|very|really|im|dead|super) tired", "no sleep", "exhausted",
    r"(?:swollen|puffy) looking", "al mattino", "di mattina", "am morgen", r"por la manana", r"pela manha",
    "every morning", r"in the mornings?", r"mornings",
    "when i wake up", "acordo", "me levanto", "je me reveille", "mi sveglio",
    r"ich wache", "morgens", r"por las? mananas?", "le matin", "la mattina", "de manha",
)
# A comparison is no cosmetic context: "lips swollen like ive had filler gone wrong" is swelling
SIMILE = re.compile(r"\b(?:(?:look\w* |feel\w* )?like (?:\w+ ){0,4}?|as if (?:\w+ ){0,4}?)(?:lip )?(?:fillers?|botox|"
                    r"injections?|injected|plumper)(?: (?:gone|went|done) wrong)?\b"
                    r"|\b(?:fillers?|botox) (?:gone|went) wrong\b")
# A swelling explained in the next clause by a drawn line or a picture: "my lips look swollen but its just the
# overlined lip liner" (not "its just the gloss": a product named there may be the cause)
JUST_COSMETIC = re.compile(r"\b(?:its|it is|thats|that is|theyre|they are) just (?:the |my |her |bad |a )?"
                           r"(?:over ?lin\w*|over ?drawn|lip ?liner|liner|lighting|filter|camera|angle|photo|"
                           r"pic(?:ture)?)\b")
# A symptom that is about size or puffiness: only these are taken back by a cosmetic cue ("lip plumper")
# anywhere around; trouble breathing or swallowing never is.
SWELLING_WORD = re.compile(r"swell|swoll|puff|plump|balloon|bigger|huge|fat|thick|inflat|enlarg|size|massive|enorm|"
                           r"gigant|big|large|gonfl|enfl|hinch|inflam|inchad|inchac|inchou|inchar|schwell|schwill|"
                           r"dick|triple|double|gonf|schwoll|puffy|grow|growing|getting big|"
                           # a comparison with a thing ("lips like a duck") is about size too
                           r"duck|sausage|golf|pumpkin|puffer|blowfish|inner tube")
HISTORY = _cue(
    r"as an? (?:kid|child|baby|teen|teenager|toddler)", r"when (?:i|he|she|we|they) (?:was|were)",
    r"\w+ (?:years?|months?|weeks?) ago", "years ago", "in the past", "history of", r"used to", "once had",
    r"once(?! (?:i|you|it|he|she|we|they|applied|on|the|my)\b)", "previously",
    r"una vez(?! que)", r"une fois(?! que)", "einmal", r"una volta(?! che)", r"uma vez(?! que)",
    r"(?<!since )last (?:year|month|week|weekend|summer|winter|spring|autumn|fall|time|holiday|holidays|vacation)",
    r"(?:the other|a few) weeks?",
    r"\w+ (?:years?|months?|weeks?) back", "a while back",
    "childhood", rf"{_NOT_OWNED}carr(?:y|ies|ied|ying)", r"prescribed",
    # a long-standing condition: "i have chronic hives"
    r"chronic (?:hives|urticaria|rash\w*|eczema|itch\w*)",
    r"allergic to(?! (?:something|this|that|it|the|whatever|one of|an? (?:ingredient|product)))",
    r"anaphylactic to(?! (?:something|this|that|it|the|whatever|one of|an? (?:ingredient|product)))", r"allergy to",
    r"allergies", "diagnosed", "my allergist", "always have",
    rf"{_NOT_OWNED}(?:have|has) (?:an |my |his |her )?epi ?pens?", rf"{_NOT_OWNED}keep an epipen",
    "sometimes", "usually", "often", "whenever", "every time", "tend to", r"always get(?:s|ting)?",
    # a child's habit: "a toddler who always rubs it into his eyes"
    r"always (?:rubs?|rubbing|puts?|putting|wipes?|wiping|smears?|smearing|sticks?|sticking|pokes?|poking)",
    # a habit of the day: "my vision is blurry every morning before my glasses"
    "every morning", "most mornings", "in the mornings",
    r"(?:ive|i have|has|have|whos|who has|hes|shes|weve) (?!never )(?:\w+ )?had",
    r"before(?! (?:i|he|she|we|they|you|it|my|his|her|the|using|applying)\b)",
    r"in the \d0s", r"in \d{4}",
    # a month named as a date ("in march", "en marzo"); "may" is left out (a verb)
    r"(?:in|en|im|a|em|ad|nel mese di) (?:january|february|march|april|june|july|august|september|october|november|"
    r"december|enero|febrero|marzo|abril|junio|julio|agosto|septiembre|octubre|noviembre|diciembre|janvier|fevrier|"
    r"mars|avril|juin|juillet|aout|septembre|octobre|novembre|decembre|januar|februar|marz|maerz|juni|juli|"
    r"oktober|dezember|gennaio|febbraio|aprile|giugno|luglio|settembre|ottobre|dicembre|janeiro|fevereiro|marco|"
    r"junho|julho|setembro|outubro|novembro|dezembro)",
    rf"(?:i|he|she|we|they|you|{_SOMEONE}) had (?:an? )?(?:anaphyla\w*|severe|bad|serious|allergic|"
    r"hives|rash|reaction|swelling)", r"when (?:i|he|she|we|they) (?:eat|eats|use|uses|wear|touch|drink|get|have|has)",
    r"wasps?", r"bees?", r"peanuts?", r"nuts", r"shellfish", r"strawberr\w*", r"pineapple", r"penicillin",
    r"(?:cuando|quando) era", r"(?:tive|tuve|tuvo|teve)(?! que)",
    # food allergens in the other languages (a food allergy is background, not the product)
    r"amendoim", r"cacahuetes?", r"arachides?", r"erdnuss\w*", r"arachidi", r"noccioline", r"nozes",
    r"nueces", r"noix(?! de (?:coco|cajou|muscade|macadamia))", r"nusse\w*", r"noci", r"mariscos?", "frutos do mar",
    "fruits de mer", r"meeresfruchte\w*",
    "frutti di mare", r"crustaces?", r"hace (?:\w+ )?anos", "de nino", "de nina", "de pequeno", "de pequena",
    r"alergic[oa] a",
    r"j ai eu une?", r"tuve una?", r"hatte (?:einen|eine|ein)", r"ho avuto un[oa]?",
    r"ha avuto un[oa]?", r"da piccol[oa]", r"da bambin[oa]", r"tive uma?", "quand j etais",
    r"(?:l annee|la semaine|le mois) derniere?", r"(?:el ano|la semana|el mes) pasad[oa]",
    r"letzte[ns]? (?:jahr|woche|monat)", r"(?:l anno|la settimana|il mese) scors[oa]",
    r"(?:o ano|a semana|o mes) passad[oa]",
    # "enfant" as a time of life ("allergique enfant", "enfant, j avais ..."), not a child named as the one who
    # swallowed it ("enfant a mange creme", "mon enfant ...")
    "il y a", r"(?<!mon )(?<!ton )(?<!son )(?<!l )(?<!un )(?<!cet )(?<!votre )(?<!notre )(?<!leur )enfant"
    r"(?= [,.;:!?]|$)", "etant enfant", "allergique a", "als kind", r"als (?:baby|kleinkind|saugling)", "de bebe",
    r"quand (?:il|elle|j) etai(?:t|s) (?:bebe|petit\w*)", r"da neonat[oa]",
    r"quando (?:era|eu era) (?:bebe|pequen[oa])",
    "long ago", "a long time ago", r"vor \w+ jahren", "vor jahren",
    "allergisch gegen", "porte", r"trage", "da bambino", "da bambina", r"anni fa", r"allergic[oa] a", "porto",
    "quando eu era", r"anos atras", "ha anos", "quando crianca", "carrego", "levo comigo", "ando com",
    r"alergia (?:a|al|ao|aos|as)", r"allergia (?:a|al|alle|ai)", r"allergie (?:a|au|aux|gegen)", "llevo siempre",
    "porto sempre", "tengo siempre",
)
# A cause that is not a product: "swollen after dental work", "chest tight from anxiety".
OTHER_CAUSE = _cue(
    r"(?:from|after|because of|due to|with) (?:the |my |a |an |all the |some |this )?(?:dental|dentist|tooth|teeth|"
    r"wisdom|surgery|shouting|concert|singing|anxiety|panic|stress|flu|covid|crying|workout|gym|running|exercise|"
    # a cold, not cold water: "washing with cold water is not helping" is first aid that fails
    r"cold(?! (?:water|compress\w*|cloth|flannel|towel|tap|shower|milk|pack))|"
    r"bee|wasp|sting|bite|bites|mosquito|filler|fillers|botox|injections?|hay fever|pollen|smoke|smoking)",
    r"(?:from|after) (?:all the |so much )?laugh\w*",
    # glasses or lenses explain blurred sight: "blurry vision is from my old glasses"
    r"(?:from|because of|due to|with|cause|coz) (?:my |the |his |her |these |those )?(?:old |new |wrong |cheap |"
    r"reading |dirty )?(?:glasses|specs|spectacles|prescription|contacts|contact lenses)\b",
    r"(?:need|needs|get|getting) (?:new|my) (?:glasses|specs|prescription)",
    # the body's own causes and things that are not products: "dizzy and tired from my period", "hives from a virus
    # the doctor said", "throat weird from talking all day", "a reaction from the detergent", "a fresh tattoo"
    r"(?:from|because of|due to|after) (?:my |the |a |an |her |his |their |all the |some )?(?:period|pms|cramps|virus|"
    r"viral|infection|talking|speaking|shouting|singing|detergent|laundry|washing powder|fabric softener|wool|"
    r"sour (?:candy|candies|sweets)|candy|sweets|salty (?:\w+ )?(?:food|dinner|lunch|meal|snacks?|crisps|chips)|"
    r"(?:fresh |new )?tattoo\w*)\b",
    # stress, cold or heat as the trigger: "i get hives when im stressed"
    r"when (?:im|i am|i get|i feel|hes|shes|he is|she is|he gets|she gets|its|it is) (?:\w+ )?(?:stressed|anxious|"
    r"nervous|cold|hot|overheated|sweaty|upset|freezing)",
    # a knock or a bite: "my lip is swollen because i bit it"
    r"(?:because|cause|cos|coz|since|after|from|when) (?:i|he|she|we|they) (?:bit|hit|bumped|knocked|banged) "
    r"(?:it|my|his|her|their|into)\b",
    r"(?:bit|bitten|bumped|knocked|banged) (?:my|his|her|their) (?:lip|tongue|cheek)",
    # crying swells the eyes, in the other languages: "ojos hinchados de llorar", "yeux gonfles d avoir pleure" (not
    # a child who "no para de llorar", who will not stop crying)
    r"(?<!para )(?<!parar )(?<!deja )(?:de|por|despues de) (?:tanto )?llorar",
    r"(?:d avoir|a force de|apres avoir) (?:trop |tant |beaucoup )?pleure\w*", r"(?:vom|nach dem|wegen dem) weinen",
    r"(?:dal|per il|dopo il|a forza di) (?:pianto|piangere)",
    r"(?<!para )(?<!parar )(?:de|por|depois de) (?:tanto )?chorar",
    # crying swells the eyes: "i cried so much my eyes are swollen"
    r"\bi (?:cried|have been crying|ve been crying|was crying|been crying) (?:so much|a lot|all night|all day|"
    r"for hours|last night|my eyes out)",
    r"(?:from|after|because of) (?:my |the |a |this )?(?:run|jog|walk|stairs|hike|ride|swim|training|sports?|cardio|"
    r"yoga|class|match|game)\b",
    r"(?:stand|standing|get|getting) up (?:too )?(?:fast|quickly)",
    # a person's blood pressure explains dizziness, but a reading falling now is itself a sign of anaphylaxis
    r"blood pressure(?!(?: (?!always|usually|normally|naturally|often|generally)\w+){0,4} "
    r"(?:very |really |so |super |dangerous\w* |extremely )?"
    r"(?:low|dropp\w*|drops|crash\w*|plummet\w*|tank\w*|falling)\b)",
    "blood sugar", "migraine",
    "on my period", "hungover", r"in (?:the )?(?:hot|cold|humid) weather", "in the heat",
    # food that is hot or salty: "my lips swell a tiny bit with spicy food"
    r"(?:from|after|because of|due to|with|when i eat) (?:\w+ )?(?:spicy|hot|salty|chilli|chili) (?:food|foods|meals?|"
    r"dish\w*|curry|curries|sauce|ramen|crisps|chips)",
    r"(?:from|after|because of) (?:the )?(?:chlorine|pool|swimming|wind|screens?|onions?|"
    r"dust|sweat|sea water|salt water)",
    # swallowing pills is hard for many people: a question about the form of a supplement, not a symptom
    r"(?:trouble|hard|difficult\w*|problems?|struggl\w*|cant|cannot|hate) (?:\w+ )?swallow\w* (?:\w+ )?(?:pills?|"
    r"tablets?|capsules?|vitamins?|supplements?|meds|medication)",
    r"(?:tragar|avaler|schlucken|deglutire|engolir) (?:\w+ )?(?:pastillas|comprimidos|capsulas|pildoras|comprimes|"
    r"cachets|gelules|tabletten|pillen|kapseln|pillole|compresse|capsule)",
    r"(?:tabletten|pillen|kapseln) (?:zu )?schlucken",
    # ... or named first: "the capsules are huge, hard to swallow", "las pastillas son dificiles de tragar"
    r"(?:pills?|tablets?|capsules?|vitamins?|supplements?|gummies|meds|softgels?)(?: (?:are|is|r|so|too|very|really|"
    r"quite|kinda|a bit|huge|big|massive|large|giant|and|,))+ (?:hard|difficult|tough|impossible|a pain|too big) "
    r"(?:for (?:me|him|her|kids|children) )?to swallow",
    r"(?:pastillas|comprimidos|capsulas|pildoras|comprimes|cachets|gelules|tabletten|kapseln|pillen|pillole|compresse|"
    r"capsule)(?: (?:son|sont|sind|sono|sao|muy|tres|trop|zu|sehr|troppo|molto|muito|grandes|gros|grosses|gross|"
    r"grandi|enormes|enormi|riesig|y|et|und|e|,))+ (?:dificiles de tragar|difficiles a avaler|schwer zu schlucken|"
    r"difficili da (?:deglutire|ingoiare|mandare giu)|dificeis de engolir)",
    # an empty stomach, tiredness, pets: "lightheaded because i skipped breakfast", "wheezy with cats"
    r"skipp\w* (?:breakfast|lunch|dinner|a meal|meals)",
    r"(?:didnt|hadnt|havent|not) eat(?:en)? (?:anything|all day|yet)",
    r"(?:with|around|from|near|because of) (?:the |my |our |their |his |her )?(?:cats?|dogs?|pets?|horses?|hay)\b",
)
# Causes that explain a sign which would only ask (hives, a tingle, dizziness alone, a burning): weaker evidence
# than OTHER_CAUSE, so they never take back a sign that is an emergency by itself ("minha garganta ta fechando ...
# e tenho manchas do calor" still alarms).
OTHER_CAUSE_OF_MILD_SIGN = _cue(
    # the weather, stress, pollen, an illness, spicy or sour food, in the other languages
    r"(?:por|del|de la|a causa del?|debido al?|cuando hace) (?:el |la )?(?:frio|calor|viento|estres|nervios|polen|"
    r"picante|chile|guindilla|caramelos? acidos?|gripe|resfriado|virus|regla)\b",
    r"(?:a cause du|a cause de la|a cause des|du au|due au|par le|apres les?|avec le) (?:froid|chaud|chaleur|vent|"
    r"stress|pollen|piment|bonbons? acides?|grippe|rhume|virus|regles)\b",
    r"(?:vom |von der |wegen (?:dem |der |des )?|durch (?:den |die |das )?)(?:stress|kalte|kaelte|hitze|wind|pollen|"
    r"chili|scharfen essen|sauren bonbons|grippe|erkaltung|virus|periode)\b",
    r"(?:per il|per la|dal|dalla|a causa del|a causa della) (?:freddo|caldo|vento|stress|polline|peperoncino|"
    r"piccante|caramelle acide|influenza|raffreddore|virus|ciclo)\b",
    r"(?:por causa d[oa]|pel[oa]|do|da) (?:frio|calor|vento|estresse|stress|polen|pimenta|balas? azedas?|gripe|"
    r"resfriado|virus|menstruacao)\b",
    # mint and spice tingle: "my tongue tingles from the mint lip balm, is that the menthol"
    r"(?:from|after|because of|due to|is (?:that|it|this)) (?:the |all the |my )?(?:mint|minty|menthol|peppermint|"
    r"cinnamon|spicy|capsaicin|chilli|chili)",
    # a burning that is not the product on healthy skin: a tattoo, chapped skin, the wind, peeing
    r"tattoo\w*", r"tatuaje\w*", r"tatouage\w*", r"tatowierung\w*", r"tatuagg\w*", r"tatuage\w*",
    r"chapped", r"agrietad\w*", r"gerce\w*", r"rissig\w*", r"aufgesprungen\w*", r"screpolat\w*", r"rachad\w*",
    r"ressecad\w*", "viento", "vent", "vento",
    r"when (?:i )?pee\w*", r"urinat\w*",
    # a night's drinking, salt or too little sleep puffs a face up: "drank too much wine last night, face puffy"
    r"(?:too much|lots of|a lot of|loads of) (?:wine|alcohol|beer|booze|drinks|cocktails|salt|salty food)\b",
    r"(?:no|little|bad|not enough|lack of) sleep\b", r"(?:after|from) (?:a |the )?(?:night out|party|big night)\b",
)

# Words that bring a history back to now ("... as a kid, and now my throat is closing").
PRESENT = _cue(
    "now", "right now", "currently", "today", "tonight", "this morning", "this evening", "just now", "again",
    r"after (?:using|applying|putting|i used|i put|i applied)", r"since (?:i|using|applying|putting)", "still",
    r"(?:is|are|am|im) (?:swelling|closing|getting|starting|having|going|burning|tightening|spreading|"
    r"puffing|blistering|peeling)", "getting worse", "worse",
    "just had", "ahora", "ahorita", "maintenant", "jetzt", "gerade", "adesso", "ora", "agora", "hoy",
    "aujourd hui", "heute", "oggi", "hoje",
)
# An event that did not happen: "he almost drank the toner", "i nearly got the peel in my eye". Only for
# events (swallowing, a product getting into the eye): "i almost fainted" is itself a sign.
ALMOST = _cue("almost", "nearly", "just about", r"(?:was|were) (?:about|going) to", "casi", "por poco",
              # attempts, again and again, that are not the event: "my toddler keeps trying to eat my lipstick"
              r"(?:keeps?|kept|keep on|always|constantly|forever|still) (?:trying|tries|tried|wanting|wants|"
              r"attempting|reaching) (?:to|for)", r"(?:sigue|siempre) (?:intentando|intenta|queriendo|quiere)",
              r"(?:intenta|quiere) (?:siempre|todo el rato|todo el tiempo)",
              r"(?:essaie|essaye|veut) (?:toujours|sans arret|tout le temps) (?:de|d)",
              r"(?:versucht|will) (?:\w+ )?(?:immer|standig|dauernd|staendig)",
              r"(?:cerca|prova|vuole) (?:sempre|continuamente) (?:di )?", r"(?:tenta|quer) sempre",
              r"(?:vive|fica|sempre) tentando",
              r"(?:a |ai |as )?failli", "faillit", "beinahe",
              r"(?:hat|hatte|hatten|haette|hab|habe|ist|war|ware|waere) (?:\w+ )?fast", "quasi", "per poco", "quase",
              "por pouco")
# A pet as the one who ate or licked: "my dog licked some of my moisturiser", "mi perro se comio un poco de
# crema". The nearest one named before the verb decides ("my dog is fine but my kid licked the serum" is the kid).
ANIMALS: frozenset[str] = frozenset(
    """
    dog dogs puppy puppies pup cat cats kitten kittens hamster rabbit bunny parrot pet pets
    perro perrito perra gato gata gatito mascota chien chiot chat chaton hund hunde welpe katze kater
    cane cagnolino cucciolo gatto gattino cachorro cachorrinho gatinho
    """.split()
)
PEOPLE: frozenset[str] = frozenset(
    """
    i im ive id he hes she shes we they you son daughter baby kid kids child toddler husband wife boy girl
    nephew niece twins infant mum mom dad grandma grandpa
    yo hijo hija nino nina bebe el ella je j il elle fils fille enfant petit petite bebe ich er sie sohn tochter
    kind kleine kleiner io lui lei figlio figlia bambino bambina bimbo bimba eu ele ela filho filha crianca nene
    """.split()
)


# ... and the message treats it as a pet's matter: a vet, a question of toxicity for animals, or the pet said to be
# fine. A bare "dog ate my moisturizer" still alarms (the first-aid reply tells to call for help either way).
PET_MATTER = _cue(
    r"vets?", r"veterinar\w*", r"tierarzt\w*", r"veto", r"toxi\w*", r"tossic\w*", r"giftig\w*", "poisonous",
    r"(?:safe|bad|harmful|dangerous) (?:for|to) (?:dogs?|cats?|pets?|animals?)",
    r"(?:is|seems?|looks?|hes|shes|its) (?:totally |completely |perfectly |absolutely )?(?:fine|ok|okay|normal)",
    r"(?:esta|esta muy|va|sta|geht (?:es )?(?:ihm|ihr)) (?:bien|bene|bem|gut)", r"(?:ele|ela) esta bem",
    r"no (?:\w+ )?(?:eaten|swallowed)", "nothing eaten",
    # a question whether it harms the animal: "is it bad for him?", "le hace dano?", "faz mal pra ele?"
    r"(?:is it|is that|will it|would it|could it|can it) (?:be )?(?:bad|harmful|dangerous|poisonous|hurt|harm) "
    r"(?:for |to )?(?:him|her|them|it)\b",
    r"(?:le|les) (?:hace|hara|puede hacer|va a hacer) (?:dano|mal)", r"es (?:malo|peligroso) para (?:el|ella)\b",
    r"(?:lui|leur) (?:fait|fera|fais|peut faire|ferait) (?:du )?mal", r"(?:dangereux|grave) pour (?:lui|elle)\b",
    r"(?:schadet|schaden|schadlich|gefahrlich) (?:\w+ )?(?:ihm|ihr)\b",
    r"(?:gli|le) (?:fa|fara|puo fare) male", r"(?:pericoloso|dannoso) per (?:lui|lei)\b",
    r"(?:faz|fara|vai fazer|pode fazer) mal (?:pra|para|pro|a|ao) (?:ele|ela|eles)\b",
    r"(?:perigoso|ruim) (?:pra|para) (?:ele|ela)\b",
    # what the pet ate is a thing of the house or food, not a product: "my dog swallowed a tennis ball lol"
    r"(?:ate|eaten|eats|swallowed|chewed|chewing|comio|trago|mordio|mange|avale|machouille|gefressen|verschluckt|"
    r"mangiato|ingoiato|comeu|engoliu|mastigou) (?:(?:a|an|my|his|her|the|some|one of my|another|whole|un|una|"
    r"el|la|mi|une|le|ma|mon|einen|eine|ein|meinen|meine|il|lo|uno|o|um|uma|meu|minha|old|new|big|little|mums?|"
    r"moms?|dads?) ){0,3}"
    r"(?:socks?|shoes?|toys?|slippers?|balls?|tennis balls?|bones?|sticks?|grass|rocks?|stones?|tissues?|homework|"
    r"cables?|remote|underwear|hair ties?|chocolate|grapes|raisins|treats?|dinner|lunch|breakfast|sandwich\w*|cake|"
    r"calcetin\w*|zapatos?|juguetes?|pelotas?|chaussettes?|chaussures?|jouets?|balles?|socken|schuh\w*|spielzeug|"
    r"ball|calzin\w*|scarpe?|giocattol\w*|palline?|meias?|sapatos?|brinquedos?|bolinhas?|zapatillas?|pantuflas?|"
    r"pantoufles?|hausschuh\w*|ciabatt\w*|pantofol\w*|chinelos?|pantufas?)\b",
)


def animal_subject(before: list[str], match_text: str) -> bool:
    """True when the nearest one named before a verb of eating (or inside the match, "el gato lamio") is a pet.

    The match's own words count only when it starts with its subject: in "lamio el protector" the "el" after the
    verb is an article, not "he"."""
    inside = match_text.split()[:-1][:4]
    if not inside or (inside[0] not in ANIMALS and inside[0] not in PEOPLE):
        inside = []
    for word in reversed(before[-8:] + inside):
        if word in ANIMALS:
            return True
        if word in PEOPLE:
            return False
    return False


# The skin (or hair) as the one drinking or eating a product, a figure of speech for a product sinking in: "skin is
# drinking the serum", "my hair ate the mask", "mi piel se bebio el serum", "ma peau boit la creme" (checked on the
# words just before the verb and the match itself)
SKIN_DRINKS = re.compile(
    r"\b(?:skin|face|hair|pores|scalp|cuticles|piel|cara|pelo|cabello|peau|visage|cheveux|haut|gesicht|haare|pelle|"
    r"viso|capelli|pele|rosto|cabelo)(?: (?:is|are|was|were|just|literally|really|totally|basically|so|always|"
    r"se|me|lo|la|le|l|a|ha|hat|e|ta|esta|sta|has|had))* (?:drink\w*|drank|drunk|ate|eat|eats|eating|bebe\w*|bebio|"
    r"bebeu|boit|bu|trinkt|getrunken|beve|bevuto|come|comio|comeu|mange)\b")


# A verb of taking or getting in said as a wish, a joke or a plan, not as what happened: "i could drink this toner
# it smells so good", "let me just drink the toner while im at it", "ill just rub acid in my eyes"
NOT_DONE = re.compile(r"\b(?:could|would|ill|let me|lemme|gonna|wanna|wants? to|going to)"
                      r"(?: (?:just|literally|honestly|totally|happily|go|so|probably))* "
                      r"(?:drink|eat|swallow|lick|chug|down|gulp|rub|put|pour|splash|spray|squirt|get|stick)\b")
# Eating or drinking plainly denied, said after the access ("got into my makeup bag but didnt eat anything"), with no
# new person named ("... but my son didnt eat any" is about the son): the swallowing in that sentence is taken back.
# Anywhere in a message, it also keeps the second net quiet.
NOTHING_SWALLOWED_AFTER = re.compile(
    r"\b(?:but|and|,) (?:he |she |they |it |i |we )?(?:didnt|did not|hasnt|has not|havent|have not|never) (?:actually |"
    r"really |even )?(?:eat|ate|drink|drank|swallow|taste|ingest|lick)\w* (?:anything|any|a thing|a drop)\b"
    r"(?! (?:else|more|other))"
    r"|\b(?:pero|y) no (?:se )?(?:comio|bebio|trago|tomo|probo) nada"
    r"|\b(?:mais|et) (?:il |elle )?n a rien (?:mange|bu|avale)"
    r"|\b(?:aber|und) (?:er |sie )?hat nichts (?:gegessen|getrunken|geschluckt)"
    r"|\b(?:ma|e) non (?:ha )?(?:mangiato|bevuto|ingoiato) (?:niente|nulla)"
    r"|\b(?:mas|e) (?:ele |ela )?nao (?:comeu|bebeu|engoliu) nada"
    # told short: "chewed the tube cap, no cream came out", "spat it out, no swallow"
    r"|(?:^|\b(?:but|and) |, )(?:(?:no|nothing) swallow\w*|no (?:cream|product|lotion|gel|serum|toner|liquid|paste|"
    r"oil) (?:came|come|got) out\b)"
    r"(?! (?:but|until|then|and then))")
NOTHING_SWALLOWED = _cue(r"(?:didnt|did not|hasnt|has not|never) (?:actually |really |even )?(?:eat|drink|swallow|"
                         r"ingest)\w* (?:anything|any|a thing|a drop)(?! (?:else|more|other))",
                         "no (?:se )?(?:comio|bebio|trago) nada",
                         r"n a rien (?:mange|bu|avale)", r"hat nichts (?:gegessen|getrunken|geschluckt)",
                         r"non (?:ha )?(?:mangiato|bevuto|ingoiato) (?:niente|nulla)",
                         r"nao (?:comeu|bebeu|engoliu) nada",
                         # told short: "put it in his mouth but spat it out, no swallow"
                         r"(?:but|, |and )(?:no|nothing) swallow\w*", r"(?:spat|spit) (?:it |them |all |it all )?out")
# "tried to eat it but i stopped him before he got any": an attempt, stopped in time
TRIED = _cue(r"(?:tried|trying|try|wanted|went) to")
STOPPED_IN_TIME = _cue(r"before (?:he|she|they|it|the \w+) (?:got|could|had|managed|swallowed|drank|ate|reached)",
                       r"(?:stopped|grabbed|caught|snatched|took) (?:\w+ ){0,3}(?:in time|just in time|before)",
                       # "she tried to eat it but i stopped her", "... i took it off him"
                       r"(?:i|we) (?:stopped|caught) (?:him|her|them)\b",
                       r"(?:i|we) (?:took|pulled|grabbed|snatched) (?:it|them|the \w+) (?:off|away from|out of) "
                       r"(?:him|her|them|his|her)\b",
                       # the object taken away, told short: "tried to eat the lipstick but i took it", "... i got it
                       # first"; not "i took him to a&e"
                       r"(?:but|and) (?:i|we|mum|mom|dad) (?:took|grabbed|snatched|got) (?:it|them)(?: (?:away|back|"
                       r"off|first|in time|from (?:him|her|them)))?(?= [,.;:!?]|$)")
# A verb in the present tense in the symptom's own clause ("her lips are huge", "he cant breathe").
PRESENT_TENSE = _cue("is", "are", "am", "im", "its", r"feels?", r"looks?", r"keeps?", "cant", "cannot", "wont",
                     "esta", "estan", "estoy", "tiene", "tengo", "est", "sont", "ist", "sind", "hat", "habe",
                     "sta", "sto", "sono", "ha", "estou", "tem", "ta")
RESOLVED_AFTER = re.compile(r"^(?: \w+){0,5}? " + words(
    "went down", "gone down", "going down", "has gone", "is gone", "are gone", "subsided", "fine now",
    "better now", "settled", r"cleared(?: up)?", "passed", "ok now", "okay now", "fine", "disappeared",
    "se fue", "desaparecio", "a disparu", "ist weg", "e sparito", "e passato", "sumiu", "passou",
) + r"\b")
# A rinse told, then fine (for RESOLVED_LATER): "rinsed, fine", "ausgespuelt, alles wieder gut", "lavei, tudo bem"
_RINSED = (r"(?:rinsed|washed|flushed|rince|rincee|rinces|enjuague|enjuagado|lave|ausgespult|ausgespuelt|"
           r"ausgewaschen|sciacquato|sciacquata|lavato|lavata|lavei|lavou|enxaguei)(?: (?:it|them|out|off|it out|"
           r"with water|con agua|a l eau|mit wasser|con acqua|com agua))?")
_FINE = (r"(?:fine|ok|okay|good|all good|todo bien|ca va|tout va bien|alles (?:wieder )?gut|tutto (?:ok|bene|a posto)|"
         r"tudo bem|(?:ta|esta) tudo bem|passt|alles ok)")
RESOLVED_LATER = _cue("was fine", "were fine", "fine after", "fine now", "ok now", "okay now", "all good",
                      # a clause of its own that says it is gone: "steroid cream, all gone" (not "voice all gone")
                      r"(?<=, )(?:and |now |its |theyre |they are |it is )?all gone(?= [,.;:!?]| now\b| since\b|$)",
                      # "stung for like 2 seconds and now its fine"
                      # "antihistamine sorted it", "the cream sorted them out"
                      r"(?:sorted|fixed|cleared|settled|calmed) (?:it|them|that)(?: out| up| down| right up)?",
                      r"(?:and |but )?now (?:its|it is|im|i am|all|everything is|(?:my |his |her )?eyes? (?:is|are)) "
                      r"(?:totally |completely |perfectly |all )?(?:fine|ok|okay|good|normal)\b",
                      # a moment's sting told as over: "stung for a few seconds then fine"
                      r"(?:seconds?|a second|a moment|a minute) (?:and )?then (?:it was |its |all )?"
                      r"(?:fine|ok|okay|good)",
                      "went away", "gone now", r"gone (?:today|this morning|by (?:the )?morning)",
                      # "hes been totally fine since", "fine ever since"
                      r"(?:been|was|is|has been|have been) (?:totally |completely |perfectly |absolutely )?"
                      r"(?:fine|ok|okay|normal|well) (?:since|ever since|all day|since then)",
                      r"(?:all |it |its |has |have )cleared(?: up)?", "cleared up",
                      "settled down", "no harm done", r"heal(?:ing|ed)",
                      "getting better", "improving", r"playing (?:happily|normally|again)", "back to normal",
                      r"(?:but|and) (?:its|it is|everything is|all is|(?:my |his |her )?eyes? (?:is|are)) "
                      r"(?:totally |completely |perfectly )?(?:fine|ok|okay|good|normal)",
                      # the same in the other languages: "ist aber schon wieder gut", "ya paso", "c est passe"
                      r"(?:ist|war|wurde) (?:aber )?(?:schon |wieder |jetzt |inzwischen )*(?:gut|ok|okay|weg|vorbei|"
                      r"besser)", r"ya (?:paso|se paso|esta bien|estoy bien|esta mejor)",
                      r"(?:c est|ca va|ca s est) (?:deja |bien )?(?:mieux|passe|calme)",
                      r"(?:e|sto) gia (?:passato|bene|meglio)",
                      # rinsed and told fine, and fine now told in the other languages: "rinsed, fine",
                      # "ausgespuelt, alles wieder gut", "sciacquato, tutto ok ora", "lavei, tudo bem agora"
                      rf"{_RINSED}(?: ,| and| then| y| et| und| e)? (?:now |ya |jetzt |ora |agora )?"
                      rf"(?:its |all |im |hes |shes |everything )?{_FINE}(?! (?:for|at first|until|till|but))\b",
                      r"(?:alles )?(?:wieder|jetzt) (?:alles )?(?:gut|ok|okay|in ordnung)\b",
                      r"(?:tutto (?:ok|bene|a posto)|va bene) (?:ora|adesso)\b",
                      r"(?:ora|adesso) (?:e )?(?:tutto (?:ok|bene|a posto)|va bene|sto bene)\b",
                      r"(?:ahora|ya) (?:todo (?:bien|ok)|esta bien|estoy bien)\b", r"todo bien ahora\b",
                      r"(?:tout va bien|ca va|tout est ok) maintenant\b", r"maintenant (?:tout va bien|ca va)\b",
                      r"(?:agora|ja) (?:ta |esta )?tudo (?:bem|ok)\b", r"tudo (?:bem|ok) agora\b",
                      r"(?:ja passou|ja (?:to|estou|esta|ta) (?:bem|melhor)|ja melhorou)",
                      # "it's over", "long ago": "c est fini", "ist lange her", "e finita", "ja acabou"
                      r"(?:its|it is) (?:all )?over\b(?! (?:my|his|her|the|their|your))", "all over now",
                      r"c est (?:fini|termine|passe)", r"(?:ist )?(?:schon )?lange her", r"(?:ist|war) vorbei",
                      r"(?:e|era) (?:tutto )?finita\b(?! (?:nel|nell|negli|in|sul|sulla|dentro))", r"(?:ja )?acabou",
                      r"ya (?:se )?(?:acabo|termino)",
                      # the sign told as gone: "rinsed, doesnt hurt anymore", "ya no arde" (seeing fine alone
                      # says nothing of the burning)
                      r"(?:doesnt|does not|dont|do not|isnt|is not|not) (?:hurt\w*|sting\w*|burn\w*|sore)"
                      r"(?: at all)? any ?more", r"no longer (?:hurts?|hurting|stings?|stinging|burns?|burning|sore)",
                      r"stopped (?:hurting|stinging|burning)",
                      r"ya no (?:me |le )?(?:duele|arde|pica|quema)",
                      r"(?:ne|n) (?:me |lui )?(?:fait|brule|pique) plus",
                      r"(?:tut|brennt|juckt) (?:\w+ )?nicht mehr", r"non (?:mi |gli |le )?(?:fa|brucia|pizzica) piu",
                      r"(?:ja )?nao (?:doi|arde|queima|pica) mais",
                      # the next day told as fine: "soap in my eye yesterday, rinsed, fine today", "oggi tutto ok",
                      # "plus rien aujourd hui", "hoje ta tudo bem"
                      r"(?:fine|ok|okay|all good|good|normal|nothing(?: left)?) (?:today|this morning)\b",
                      r"(?:today|this morning) (?:(?:its|it is|im|i am|all|everything is|hes|shes|he is|she is|"
                      r"theyre|they are|(?:my |his |her )?eyes? (?:is|are)) )?(?:totally |completely |all )?"
                      r"(?:fine|ok|okay|good|normal|nothing)\b",
                      r"hoy (?:ya )?(?:todo (?:bien|ok|normal)|esta bien|estoy bien|nada|normal)",
                      r"(?:plus rien|rien|tout va bien|ca va|tout ok|tout est ok) aujourd hui",
                      r"aujourd hui (?:plus rien|rien|ca va|tout va bien|tout ok|tout est ok)",
                      r"heute (?:ist )?(?:alles|wieder) (?:gut|ok|okay|normal)", r"heute nichts mehr",
                      r"oggi (?:e )?(?:tutto (?:ok|bene|a posto|normale)|niente|nulla|sto bene|va bene)",
                      r"hoje (?:ja )?(?:(?:esta|ta|to|estou) )?(?:tudo (?:bem|ok|normal)|bem|normal|nada)")
# A professional's word, after the event, that it was fine: "we called 111, they said fine", "poison control said
# she would be ok" (not "said it was fine to rinse"). It answers only for an event (something swallowed or in the
# eye): a sign of the body told in the same sentence ("she cant breathe, the pharmacist said she is fine") stands.
PROFESSIONAL_SAID_FINE = _cue(
    r"(?:they|he|she|doctor|gp|nurse|pharmacist|poison \w+|111|nhs|hospital|vet) (?:said|told us|told me|says) "
    r"(?:(?:that )?(?:she|he|they|it|we|i|hed|shed|theyd|its|shes|hes|all) (?:was |were |is |are |would be |"
    r"will be |should be |be |d be )?)?(?:totally |completely |perfectly |absolutely )?(?:fine|ok|okay|all right|"
    r"alright|nothing to worry)(?! (?:to|if|unless|as long)\b)")
# ... unless something changed since: "111 said she would be ok but now shes drowsy"
SINCE_CHANGED = _cue("but", "now", "still", "yet", "however", "except", "since then", "then")
# "is fainting a side effect of retinol?": the sign is the subject of a question about the product, asked straight
# after the question word (words_before in its clause) and followed by "a side effect" (clause_after).
SIGN_AS_TOPIC_BEFORE = frozenset({"is", "are", "can", "could", "does", "do", "es", "est", "ist", "e", "sono", "sao",
                                  "pode", "kann", "puo", "puede", "peut"})
SIGN_AS_TOPIC_AFTER = re.compile(
    r"^ (?:(?:really|actually|usually|normally|ever|a|an|un|une|una|uma|um|eine|ein|ein|il|lo|o|el|le|der|die) ){0,3}"
    r"(?:(?:common|known|possible|real|normal|typical|rare|usual|frequent|comun|normal|connu|courant|bekannte|"
    r"normale|comune|conhecido|comum) )?"
    r"(?:side effects?|symptoms?|thing|efecto secundario|effet secondaire|effet indesirable|nebenwirkung\w*|"
    r"effetto collaterale|efeito colateral)\b")
# A product's name: the alarm word straight after "called" or "named" ("a plaster called blister fix", "una crema
# llamada ...", "ein serum namens ..."); "the doctor called it a chemical burn" has a word between and still counts.
NAME_BEFORE = frozenset({"called", "named", "llamado", "llamada", "llamados", "llamadas", "appele", "appelee",
                         "appeles", "appelees", "nomme", "nommee", "namens", "genannt", "chiamato", "chiamata",
                         "chiamati", "chiamate", "chamado", "chamada", "chamados", "chamadas"})
# "what is anaphylaxis?": a definition asked, right before the word.
DEFINITION_BEFORE = re.compile(r"\b(?:what|whats|what s)(?: is| are| does| do)?(?: an?| the)? ?$"
                               # a comparison asked: "whats the difference between a chemical burn and ..."
                               r"|\b(?:differences?|diferencias?|unterschied\w*|differenz\w*|diferencas?) "
                               r"(?:between|entre|zwischen|tra|fra)(?: [a-z]+){0,6} ?$")
# "I'm totally fine right now": everything said before it was background, not an emergency.
REASSURED = _cue(
    r"(?:im|i am) (?:totally|completely|perfectly|absolutely) (?:fine|ok|okay|good)",
    r"(?:im|i am) (?:fine|ok|okay|good) right now", "no symptoms", "no problems right now",
    "nothing is happening", "nothing happening", "just planning", "to be clear i", "not having any",
    r"(?:ahora|ya) estoy bien", r"(?:ca va|je vais bien) maintenant", r"maintenant (?:ca va|je vais bien)",
    r"(?:jetzt|inzwischen) geht es mir (?:wieder )?gut", r"(?:adesso|ora) sto bene", r"agora (?:estou|to|ta) bem",
    r"(?:im|i am|i feel) (?:fine|ok|okay|good|better) now",
)
# The other signs said to be absent: "a few hives on my neck, no swelling, no breathing problems", "small rash, no
# other symptoms". One sign that only asks, with the rest denied, needs no triage question (two signs still combine).
OTHERS_DENIED = _cue(r"no other (?:symptoms?|signs?|problems?|issues?|reactions?)", "nothing else",
                     r"otherwise (?:fine|ok|okay|good|well)",
                     r"(?:no|not any|without) (?:\w+ )?(?:trouble|problems?|issues?|difficulty) (?:with )?breathing",
                     r"(?:no|without) (?:breathing|swallowing) (?:problems?|issues?|trouble|difficult\w*)",
                     r"(?:i can|can) breathe (?:fine|ok|okay|normally|perfectly)")
# Laughter, in the six languages' chat spellings: a joke's marker, but also nervous laughter in a real emergency.
LAUGHTER = _cue("lol", "lool", "lmao", "lmfao", "rofl", r"laugh\w*", r"(?:ha){2,}h?", r"(?:ah){2,}h?", r"(?:ja){2,}",
                r"(?:je){2,}", r"(?:ji){2,}", "mdr", "ptdr", r"kk+", r"(?:rs){2,}", "xd")
# A plea for help: with it, laughter no longer takes a sign back ("my lips are swelling lol help").
PLEA = _cue(r"help+", "urgent", "asap", "sos", "please hurry", "ayuda", "socorro", "au secours", "aidez moi", "hilfe",
            "aiuto", "ajuda",
            # the joke called off ("lol ok not funny anymore"; not "im not kidding", said in jokes too)
            r"(?:not|isnt|is not|its not) (?:funny|a joke|joking|kidding|laughing)(?: anymore| any more)",
            r"no longer (?:funny|a joke|joking|laughing)", r"ya no (?:es |me )?(?:broma|gracioso|hace gracia|rio)",
            r"(?:ce n est |c est )?plus drole", r"(?:ist )?(?:nicht|kein) mehr (?:lustig|witzig|spass|witz)",
            r"non (?:e |fa )?piu (?:divertente|uno scherzo|ridere)",
            r"(?:nao e|ja nao e) mais (?:piada|brincadeira|engracado)", r"nao (?:tem|esta) mais graca")
MILD = _cue(
    "a bit", "a little", "little bit", "slight", "slightly", "mild", "mildly", "tiny", "minor", "barely", "normal",
    "un poco", "un peu", "ein bisschen", "leicht", "un po", "um pouco",
)


def negation_cue(before: list[str], match_text: str) -> bool:
    """True when the words before a symptom (same clause, nearest last) negate it.

    A negation counts only close to the symptom, with no new subject in between ("i dont know why my lips
    are swelling" is not negated), and a bare "no" never negates a pattern that is itself negative.
    """
    window = before[-NEGATION_WINDOW:]
    if any(word in DISJUNCTIONS for word in window):
        window = before[-LIST_NEGATION_WINDOW:]
    for distance, word in enumerate(reversed(window)):
        if word in SUBJECTS or word in QUESTION_WORDS:
            return False
        position = len(window) - 1 - distance
        if word in BUT_WORDS and position > 0 and window[position - 1] not in NEGATORS | BARE_NO:
            return False  # "nao vomitou mas bebeu metade": the "but" starts another clause ("no mas" is "no more")
        if word in NEGATORS or word in BARE_NO:
            if word in BARE_NO and NEGATIVE_OPENERS.match(match_text):
                return False
            if word in BARE_NO and distance > 2:
                return False
            if word in BARE_NO and position + 1 < len(window) and window[position + 1] in ANSWER_THEN:
                return False  # "no the swelling hasnt gone down": an answer, then the news
            if word in BARE_NO and position > 0 and window[position - 1] in BARE_NO:
                return False  # "no no no se me hincha la cara": an exclamation
            return True
    return False
