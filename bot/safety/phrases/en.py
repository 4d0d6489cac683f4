"""English emergency phrasings (normalised text: see bot.safety.phrase_rules for the pattern language).

The signs follow public first-aid guidance on anaphylaxis (NHS "Anaphylaxis", Resuscitation Council UK):
breathing difficulty, wheeze, throat or chest tightness, hoarse voice, trouble swallowing, swelling of the
lips, tongue, face, eyes or throat, hives with dizziness, fainting, collapse, an adrenaline pen used.
"""

from __future__ import annotations

from bot.safety.phrase_rules import SIZE_WISH, PhraseRule, rules, words

BODY = words(r"lips?", r"tongues?", r"throats?", r"faces?", r"mouths?", r"eyes?",
             r"eyelids?", r"cheeks?", "neck", r"airways?",
             "jaw", "gums?", "whole face", "head", r"uvulas?")
SWELL = words(r"swell\w*", "swollen", r"swole\w*", r"puff\w* up", r"puffing(?! on)", r"blow\w* up", r"blew up",
              r"blown up", r"balloon\w*",
              r"getting (?:bigger|huge|fat)",
              # worse than before, as a reply in a chat: "face even bigger", "lips bigger now"
              r"(?:even|still|much|way) bigger", r"bigger (?:now|and bigger|by the minute|every minute)",
              r"(?:still|keeps?|keep on|kept) growing", r"growing (?:bigger|by the minute|every minute)",
              # "my lips have doubled" (in size, said or not)
              r"(?:have|has|had|just) doubled\b",
              # a comparison: "lips like a duck", "eyes like golf balls", "face like a pumpkin"
              r"(?:like|as big as|the size of) (?:a |an |two |big |little )?(?:ducks?|sausages?|golf ?balls?|"
              r"ping ?pong balls?|pumpkins?|puffer ?fish|blowfish|inner tubes?|balloons?)",
              "huge", "thick", "fat",
              r"(?:doubled|tripled|double|triple|twice) in size",
              r"inflat\w*", r"enlarg\w*", "twice the size", "double the size",
              r"(?:too|so|really|very) (?:big|large|massive|fat)", "massive", "enormous", "gigantic")
DIFFICULTY = words("cant", "cannot", "cnt", "unable to",
                   # first-language grammar: "she no can swallow", "he not can breathe", "i no could breath"
                   r"(?:no|not) (?:can|could)(?: to)?", "can not", "not able to", r"struggl\w*(?: to)?",
                   r"hard(?:er)?(?: time)?(?: to)?", r"difficult\w*(?: to)?", r"more difficult(?: to)?", "trouble",
                   r"problems?", r"issues?",
                   r"labou?red", r"fight\w* for",
                   r"gasp\w* for", "short of", "shortness of", "out of", r"hurts? to", r"painful to", "barely",
                   "hardly", "can only just", "scarcely", "cant really", "struggle to", r"(?:an? )?effort to")
CHILD = words(r"baby", r"babies", r"toddlers?", r"sons?", r"daughters?", r"kids?", r"child", "children", "boy", "girl",
              r"grand(?:son|daughter|child)", r"niece", r"nephew", "he", "she", "hes", "shes", "little one",
              r"husband", r"wife",
              r"dog", r"puppy", r"cat", r"twins?", "infant", r"\d+ ?(?:yo|y o|yr old|year old|years old|month old)",
              r"\d+yo", r"\w+ (?:year|month) old", r"(?:mum|mom|dad|grandma|grandpa|father|mother)")
PRODUCT = words(r"creams?", r"serums?", r"lotions?", r"toners?", r"products?", r"moisturi[sz]ers?", r"sunscreens?",
                "spf", r"oils?", r"gels?", r"balms?", r"masks?", r"peels?", r"acids?", "retinol", r"cleansers?",
                "soap", r"bottles?", r"tubes?", r"jars?", r"tubs?", r"pots?", "stuff", r"samples?", r"ointments?",
                "foundation", "lipstick", "perfume", "nail polish", "remover", r"drops?", r"essences?", r"scrubs?",
                "micellar", r"(?:face|facial|rose|cleansing|thermal|toning) (?:water|mist|spray)", r"saniti[sz]er",
                "shampoo", "body wash", r"capsules?", r"tablets?",
                "solution", r"ampoules?",
                "some of it", "a bit of it", "half of it", "all of it", "most of it", "a mouthful", "a sip", "a gulp",
                # a shop's tester, a wash or an exfoliant: "drank from a tester of hand wash"
                r"testers?", "hand wash", r"exfoliants?", "bubble bath")
# "huge blister on my cheek", "massive spot on my chin": the size word describes a lesion, not swelling.
NOT_A_LESION = (r"(?! (?:\w+ )?(?:blisters?|pimples?|spots?|zits?|bumps?|cysts?|boils?|cold sores?|bruises?|welts?|"
                r"scabs?|whiteheads?|blackheads?|breakouts?|patch(?:es)?|sores?|rash))")
# "in my eye", not "in eye serum" (a product for the eye area).
IN_EYE = (r"(?:in|into|inside|in to) _2 (?:eyes?|eyeballs?)(?! (?:serums?|creams?|gels?|drops|patch\w*|masks?|area|"
          r"contour|make ?up|liner|shadow|bags|balm|products?))")
# The eye itself, not a product named for it: "eye cream burns?" asks about the cream, "my eyes burn" tells a sign.
EYE_ITSELF = (r"eye(?:s|balls?)?(?! (?:creams?|serums?|gels?|patch\w*|masks?|balms?|contour|drops|make ?up|liners?|"
              r"shadows?|pencils?|products?|oils?|sticks?|primers?|concealers?|area)\b)")
EYE_HURT = words(r"pain\w*", r"sand\w*", r"grit\w*", r"scratch\w*", "fire", r"(?:light|brightness) hurts",
                 r"(?:cant|cannot) (?:look at|stand|bear|open it to) (?:the )?(?:light|brightness)",
                 r"sensitive to (?:the )?light",
                 "hazy", r"fogg\w*", "fog", r"cloud\w*", r"hurts?", r"hurting", r"burn\w*", "agony", r"blur\w*",
                 "fuzzy", r"sting\w* like (?:hell|mad|fire|anything)",
                 "cant see", "cannot see",
                 r"vision", "cant open", "cannot open", "wont open", "on fire", r"scream\w*", "barely see",
                 r"sting\w* (?:so |really |very )?bad\w*", "unbearable", "cant keep it open", r"sting\w* like crazy",
                 r"peel\w*", r"acids?", r"(?<!lens )(?<!contact )(?<!saline )solution",
                 r"chemicals?", "bleach", "glycolic", "salicylic", "tca", "lye",
                 # harsh in an eye even without a sign told: hair developer, peroxide, sanitiser, acetone, ammonia
                 r"(?:hair |cream |colou?r |the |some |peroxide )developer", r"(?:hydrogen )?peroxide",
                 r"(?:hand )?saniti[sz]ers?",
                 "rubbing alcohol", "surgical spirit", "acetone", "ammonia",
                 r"depilat\w*", "hair removal", "hair remover", "relaxer", "perm solution",
                 r"dyes?", "remover", "cloudy", "milky", "white", "stuck", "glued", "shut", "sealed", "killing",
                 r"crying", r"cries", r"screams?", r"howl\w*", r"wont (?:let|open)", r"cant (?:keep|open)")
ITCH_OR_SYSTEMIC = words("hives", r"itch\w*", r"welts?", r"blotch\w*", "covered in",
                          r"rash\w*", "welts", "red", "redness", r"swell\w*", "swollen", "bumps",
                         r"blotch\w*", r"breath\w*", "heart racing", "heart pounding", r"vomit\w*", r"nause\w*",
                         r"throw\w* up", r"throwing up", "sick", r"urticari\w*", "flushed", "flushing", r"tingl\w*",
                         r"faint\w*", "weak", r"wheez\w*")
FIGURATIVE = words("price", "cost", "expensive", "bill", r"laugh\w*", "lol", "haha", "hahaha", "lmao", "rofl",
                   "made me want to", "when i saw", "joke", "heat", "gym", "workout", "running", r"hazards?",
                   r"excite\w*", "anticipation", "hot", r"humid\w*", "stuffy",
                   r"(?:so|how|too) (?:funny|cute|pretty|gorgeous|beautiful|adorable)", "hilarious", "crowded",
                   "took my breath away",
                   # a thing, not a person, is "suffocating"; a piece of furniture is "fainting"
                   # ... also with what it is the smell of between: "the smell of the new body wash is suffocating"
                   r"(?:smell|scent|fragrance|perfume|odou?r|texture|formula|cream|it|this|packaging|heat|air|feel|"
                   r"layer)(?: (?:of|from|in)(?: \w+){1,4}?)?"
                   r" (?:is|was|feels|felt|so|its|smells|seems)(?: so| really| too| a bit| kind of| kinda)?"
                   r" suffocat\w*",
                   r"suffocat\w* on (?:my |the |your )?(?:skin|face)",
                   r"faint\w* (?:couch|sofa|chaise|chair|room|goat|spell packaging|aesthetic)",
                   # overwhelmed by choice: "dizzy with all the options", "my head is spinning from all the choice"
                   r"(?:with|by|from|at) all (?:the|these|those|this|your) (?:choices?|options|range|selection|info\w*|"
                   r"reviews|prices|brands)", r"so many (?:choices|options|brands)",
                   # praise that nearly knocked one out: "the massage was so good i nearly passed out"
                   r"(?:so|too) (?:good|relaxing|amazing|nice|lovely|great|dreamy|heavenly|soothing) (?:that )?"
                   r"(?:i|she|he|we|they) (?:nearly|almost|practically)")
# Products for the skin only (not the capsules, drops or tablets that are meant to be swallowed)
SKIN_PRODUCT = words(r"creams?", r"serums?", r"lotions?", r"toners?", r"moisturi[sz]ers?", r"sunscreens?", r"oils?",
                     r"gels?", r"balms?", r"masks?", r"peels?", r"acids?", "retinol", r"cleansers?", "soap",
                     "foundation", "perfume", "nail polish", "remover", r"essences?", r"scrubs?", "micellar",
                     r"ampoules?", r"deodorants?", r"saniti[sz]er", "shampoo", "body wash")
# Colloquial verbs of drinking or eating a lot at once: "downed the bottle", "chugged the toner".
GULP_VERB = (r"(?:downed|chugg\w*|guzzl\w*|swigg?\w*|slurp\w*|necked|necking|gobbl\w*|scoffed|wolfed|"
             r"knocked back|knocking back|polished off|finished off|drained|glugg?\w*)")
# Words between a verb of eating and the product: "ate a chunk of my lip scrub", "drank half the toner".
AMOUNT = (r"(?: (?:some|a|an|the|my|his|her|their|your|our|bit|of|half|whole|little|lot|most|all|tube|bottle|jar|"
          r"pot|tub|mouthful|sips?|gulps?|lick|spoonful|few|drops?|blob|dollop|pump|squirt|chunk|bunch|big|small|"
          r"tiny|entire|rest|load|loads|up|down|out|on|at|from|spilled|spilt|leftover|opened|open))*(?: [a-z]+){0,2}")
# Swallowed on purpose or meant for the mouth: not a poisoning. First a supplement the writer takes as meant ("i
# swallowed my vitamin d", "a collagen drink").
HARMLESS_TO_SWALLOW = (r"\bi (?:had to |just |have to |always |usually )?(?:swallow\w*|took|take|drank|drink|had) "
                       r"(?:\w+ ){0,2}(?:vitamins?|supplements?|collagen|gummies|softgels?|probiotics?|meds|"
                       r"medication)\b"
                       r"(?! (?:\w+ )?(?:serums?|creams?|oils?|lotions?|toners?|masks?|drops|ampoules?|essences?|gels?|"
                       r"capsules?|pads?)\b)",
                       r"(?:collagen|protein|greens|beauty|supplement) (?:drinks?|shakes?|powders?|shots?)",
                       r"(?:swallow\w*|ate|eat\w*|drank|drink\w*|gulp\w*|chew\w*|had|took) (?:\w+ ){0,3}"
                       r"(?:toothpaste|mouthwash|chewing gum|gum|lozenges?)(?! (?:style|like|type|looking))",
                       # swallowed with a drink; not a product mistaken for one ("confused it with my water bottle")
                       r"(?<!confused it )(?<!confused them )(?<!mixed it up )(?<!mixed them up )"
                       r"with (?:my |a |some |the )?(?:coffee|water|tea|juice|milk|breakfast|lunch|dinner|meal|food)",
                       # a lick of a lip product is how it is worn ("licked the lip balm"), not eating it
                       r"lick\w* (?:(?:the|a|some|her|his|my|their|your|off|of|at|on) ){0,3}"
                       r"(?:lip ?balms?|lip ?gloss\w*|chap ?sticks?|lip oils?|lip butters?)",
                       # a trace of what one wears on one's own lips: "i swallowed a bit of my lip balm", "ate some
                       # sunscreen while putting it on my lips" (not a child who ate a lipstick)
                       r"\bi (?:\w+ )?(?:swallow\w*|ate|licked|tasted) (?:a (?:tiny |little )?bit|a little|a trace|"
                       r"some) (?:of )?(?:my |the |this )?(?:\w+ )?(?:lip ?balms?|lip ?gloss\w*|lipsticks?|"
                       r"chap ?sticks?|lip oils?|lip butters?|lip (?:spf|sunscreen))",
                       r"\bi (?:\w+ )?(?:swallow\w*|ate|licked|tasted) (?:a (?:tiny |little )?bit|a little|some) "
                       r"(?:\w+ ){0,3}(?:when|while) (?:applying|putting) (?:it |them )?on (?:my )?lips",
                       # a lick off someone's skin is a trace: "the dog licked some sunscreen off my leg"
                       r"lick\w* (?:\w+ ){0,4}off (?:my|his|her|their|your|our|the) (?:\w+ )?(?:skin|face|legs?|arms?|"
                       r"hands?|fingers?|cheeks?|feet|foot|back|neck|shoulders?|knees?)"
                       # ... unless the licking went on to eating: "licked it off his hands and ate some"
                       r"(?!(?: \w+){0,3} (?:and|then|and then) (?:\w+ )?(?:ate|eaten|swallow\w*|drank|chewed))",
                       # water is not a product: "swallowed some bath water" (micellar or rose water are)
                       r"(?:swallow\w*|drank|drink\w*|gulp\w*) (?:(?:some|a|bit|of|little|the|his|her|my|their|"
                       r"mouthful|sip|lot|from|out) ){0,3}"
                       r"(?:(?:bath|pool|sea|tap|bottled|drinking|plain|shower) )?water\b")
# Low blood pressure as a person's normal, not a reading now (bot.safety.context_cues uses the same words)
BLOOD_PRESSURE_HABIT = (r"always", r"usually", r"normally", r"naturally", r"generally", r"often", r"tend to",
                        r"chronic\w*", r"(?:have|has|with) (?:naturally |always |quite |pretty )?low blood pressure")
# Products meant for the mouth, harmless in the amounts that get swallowed while brushing or rinsing ...
MOUTH_PRODUCT = r"(?:toothpaste|tooth paste|mouthwash|mouth wash|mouth rinse)"
# ... but not a large amount: "a big gulp of mouthwash", "half the tube of toothpaste" ("half an hour" is time)
LARGE_AMOUNT = (r"(?:(?:big|large|huge|massive|whole|full|entire) (?:gulp|mouthful|swig|sip|glass|cup|bottle|tube|"
                r"amount)s?|a lot|lots of|loads|half (?:the|a|of|his|her|my|their)|whole|entire|most of|all of|"
                r"the (?:whole |entire )?(?:bottle|tube))")
SWALLOW_VERB = (rf"(?:swallow\w*|swalloed|swallowd|ingested|drank|drunk|drinking|drinked|ate|eaten|eating|gulp\w*|"
                rf"{GULP_VERB})")
# Money, laughter and praise: "my bank account is on fire", "that price took my breath away".
JOKING = words("price", "bank", "account", "wallet", "money", "bill",
               # a sale as the joke ("this sale took my breath away"), not where the product was bought ("on sale")
               r"(?<!on )(?<!in the )(?<!in a )(?<!from the )sale", "deal", "lol", "haha", "lmao",
               "rofl", "playlist", "team", "song", "vibes?", "outfit", "hair day", "haul",
               "shopping", "cart", "basket",
               # laughter and delight: "i cant breathe this is so funny", "i cant breathe with how cute this is"
               r"(?:so|how|too) (?:funny|cute|pretty|gorgeous|beautiful|adorable)", "hilarious",
               # laughing too hard to breathe: "i laughed so hard i cant breathe"
               r"laugh\w* (?:so|too) (?:hard|much)", r"(?:from|with) laughing",
               # praise: "it burns in a nice way", "tingles in a good way"
               r"in (?:a|the) (?:good|nice|pleasant|satisfying|fun|refreshing|lovely|best) way")
# Code-switching inside a sentence: the part named in one language, the sign in another ("mi garganta is closing",
# "my lips estan hinchadas"). Only mixed pairs: a sentence in one language is its own rules' business.
OTHER_BODY = words(r"labios?", "lengua", "cara", "boca", "garganta", r"levres?", "langue", "visage", "gorge", "bouche",
                   r"lippen?", "zunge", "gesicht", "mund", "hals", "kehle", "rachen", "labbra", "labbro", "lingua",
                   "faccia", "viso", "bocca", "gola", "rosto")
OTHER_THROAT = words("garganta", "gorge", "hals", "kehle", "rachen", "gola", "pecho", "poitrine", "brust", "petto",
                     "peito")
OTHER_SWELL = words(r"hinch\w*", r"inchad\w*", r"inchand\w*", "inchou", r"gonfl\w*", r"enfl\w*", r"gonfi\w*",
                    r"geschwollen\w*", r"schwill\w*", r"angeschwollen\w*", r"anschw[ei]ll\w*")
OTHER_CLOSING = words(r"cierra\w*", "cerrando", r"cerrad[oa]", r"(?:se )?ferme\w*", r"fechand\w*", r"fechad[oa]",
                      r"chiud\w*", r"schliesst", r"zugeschnurt", r"apretad[oa]", r"serree?")
# Money as the one reacting, or the price as the cause: a figure of speech ("my wallet is having a reaction")
MONEY_REACTION = words(r"(?:wallet|purse|bank|bank account|bank balance|account|budget|savings|credit card|card)s? _3 "
                       r"(?:is |was |just )?(?:having|had|has|got|getting|went|going)",
                       r"(?:reaction|allergic|hives) (?:\w+ )?(?:to|from|at) (?:the |your |these |those |this |that )?"
                       r"(?:prices?|pricing|bill|total|cost|delivery fees?|shipping costs?)")
# A shine praised as blinding: "this highlighter is so blinding i cant see lol" (not "a blinding pain")
BLINDING_SHINE = words(r"(?:highlighter|highlight|glow|shine|shimmer|glitter|sparkle|sheen|gloss|illuminator|"
                       r"chrome|holo)\w* _3 blinding",
                       r"blinded by (?:the |my |this |that |her |his |your |all the )?(?:\w+ )?"
                       r"(?:glow|shine|highlighter|shimmer|glitter|sparkle|sheen)")
NOT_A_BURN = words(JOKING,
                   # burning fat or calories: "they say this cream burns fat", "a fat burning gel"
                   r"burn\w* (?:(?:the|belly|body|my|more) )?(?:fat|calories)", r"fat ?burn\w*",
                   # the sun, but not a comparison with it: "like a bad sunburn but from the retinol"
                   r"(?<!like a )(?<!like a bad )(?<!like )sun(?! ?burn)", r"(?<!like a )(?<!like a bad )(?<!like )"
                   r"(?:sunburn\w*|sun burn\w*)", "razor", r"shav\w*", r"wax(?!y)\w*", "friction", "shoes", "oven",
                   r"cold sores?", "fever blister", "herpes", "hiking", "blood blister",
                   "iron", "curling", "hot water", "kettle", "stove", "tea", "coffee", "pan",
                   # the wind: "my face burns in the cold wind"
                   r"(?:cold|icy|freezing) wind", r"wind ?burn\w*",
                   # the weather: "my face is melting in this heat"
                   r"(?:in|from|with) (?:this|the) (?:heat|humidity)", r"heat ?waves?")

# Parts of the body a peel, mask or hair product touches (lips and nose left out: "raw" there is chapping).
SKIN_PART = words("chin", r"cheeks?", "forehead", "neck", "scalp", r"hands?", r"legs?", r"arms?", "upper lip", "jaw",
                  "jawline", r"fingers?", r"underarms?", r"armpits?", "bikini line", r"temples?", "hairline",
                  r"patch(?:es)?", r"spots?", r"areas?")
CHEMICAL = words(r"peel\w*", r"acids?", "aha", "bha", "tca", "glycolic", "salicylic", "lactic", r"masks?", "chemical",
                 "bleach", r"dyes?", "remover", r"depilator\w*", "hair removal", "retinol", r"creams?", r"products?",
                 "relaxer", "perm")

RULES: list[PhraseRule] = [
    *rules(
        "en", "anaphylaxis", "emergency",
        rf"{DIFFICULTY} _3 (?:breath\w*|air)",
        r"breath\w* _3 (?:hard\w*|difficult\w*|labou?red|shallow|tight\w*|raspy|noisy|wheezy|restricted|problems?|"
        r"trouble|issues?|struggl\w*|whistl\w*|ragged|gurgl\w*|(?:an? )?effort)",
        # "sounds like hes breathing through water"
        r"breath\w* _2 (?:through|thru|under) water",
        # "my breathing is getting worse", "breathing worsening": breathing, not breath (bad breath)
        r"breathing _3 (?:worse|worsening|deteriorat\w*)",
        # a swelling getting worse or spreading, as a reply after first aid: "the swelling hasnt gone down, its worse"
        r"swelling _4 (?:worse|spreading|getting bigger|(?:hasnt|has not|isnt|is not|wont|will not) (?:gone|going|go) "
        r"down)",
        r"(?:tiny|short|shallow|small|little) (?:breaths?|gasps?(?! of))",
        r"(?:high pitched|squeaky|squeaking|whistling|wheezy|rattling|rattly|crackling|gurgling|noisy|strange|weird|"
        r"funny|scary) (?:noise|sound|whistle|rattle|squeak|wheeze)s? (?:when |while |as |with each |every )?(?:\w+ )?"
        r"(?:\w+ )?breath\w*",
        # noisy breathing named as such: "raspy rattly breathing", "her breaths are noisy"
        r"(?:noisy|rattly|rattling|squeaky|whistly|whistling|gurgly|gurgling|crackly|crackling) breath(?:ing|s)?\b",
        # the sound named when breathing: "a rattle when he breathes", "whistles every time she breathes in"
        r"(?:rattl\w*|whistl\w*|squeak\w*|crackl\w*|gurgl\w*) (?:when|while|as|with each|every time) (?:\w+ )?"
        r"breath(?:e|es|ed|ing|s)?\b",
        r"breath\w* _3 (?:noise|sound)s? (?:like|funny|weird|strange)", r"wh?eez\w*", r"gasping", r"stridor",
        r"(?:dont|doesnt|didnt|not|cant|cannot|never) _3 (?:breath\w*|get air) (?:properly|normally|right|well|good|"
        # "cant breathe in", not "dont breathe in the fumes" (a warning about a spray or a powder)
        r"in(?! (?:the|this|that|it|them|fumes|smoke|spray|powder|dust|any|those|these|too)\b)|deep\w*|enough)",
        # a person not breathing, in first-language grammar too: "hes not breathing", "baby no breathe"
        r"(?:hes|shes|he|she|baby|he is|she is|baby is|my (?:son|daughter|baby|husband|wife|child|kid)(?: is)?) "
        r"(?:no|not) (?:breathe|breath|breathing)\b(?! (?:in|through|on|near|into|out)\b)",
        r"(?:wont|will not|doesnt|does not|cant) let (?:me|him|her|them) (?:breath\w*|get air)",
        # first-language grammar: "my breathing is not good", "breath is short", "throat feel small"
        # (breathing, not the breath: "my breath is not good in the morning" is a question of mouthwash)
        r"breathing (?:is |are |feels? |getting |so |very )*(?:not|isnt) (?:good|right|normal|ok|okay)\b",
        r"breath(?:ing)? (?:is |are |feels? |getting |so |very )*short(?:er)?\b", r"throats? _3 (?:small|narrow)\b",
        r"breath\w* _3 (?:through|thru) (?:a|the) (?:\w+ )?(?:straw|pillow|tube)", r"whistl\w* (?:noise|sound)",
        # the chest or the lungs making the sound: "my chest is whistling", "her lungs are rattling"
        r"(?:chests?|lungs?|airways?|windpipes?) _3 (?:whistl\w*|rattl\w*|crackl\w*|squeak\w*|gurgl\w*|wheez\w*)",
        r"breathing _3 (?:really |so |very )?(?:fast|rapid\w*|quick|off|wrong|funny|strange|weird)",
        r"(?:throats?|airways?|windpipes?) _7 (?:straw|pinhole|pin hole)",
        r"(?:band|belt|vice|weight|elephant) (?:around|round|across|on|sitting on) (?:my |his |her |the )?chest",
        r"chest _4 (?:band|belt|vice) (?:around|round|across)",
        r"(?:someone|somebody|something|an elephant|a weight) (?:is )?(?:sitting|standing|pressing) on (?:my|his|her|"
        r"their) chest", r"chests? _3 heavy",
        r"cant (?:get|catch) _2 (?:air|breath)", r"(?:no|not enough|not getting enough) air",
        r"(?:chests?|throats?|airways?|windpipes?) _5 "
        r"(?:tight\w*|clos\w*|constrict\w*|narrow\w*|blocked|squeez\w*|shut\w*|"
        r"smaller|tiny|thick\w*|crush\w*|strangl\w*|block\w*)",
        r"(?:squeez\w*|clos\w*|tighten\w*|constrict\w*|strangl\w*) _2 (?:throat|chest|airways?|windpipe)",
        r"tight\w* (?:in|of|across|around) (?:my |the |his |her )?(?:chest|throat)",
        rf"{BODY} _4 {SWELL}", rf"{SWELL}{NOT_A_LESION} _3 {BODY}",
        r"hoarse\w*", r"voice _3 (?:chang\w*|gone|going|raspy|strange|weird|hoarse|croaky|squeaky|muffled)",
        r"lost (?:my|his|her) voice",
        rf"{DIFFICULTY} _2 swallow\w*", r"(?:cant|cannot) (?:talk|speak)",
        r"(?:tongue|lips?) _3 (?:numb|tingl\w* and swell\w*)",
        r"anaphyla\w*", r"anafyla\w*", r"anaphala\w*", r"allergic shock",
        r"(?:squeez\w*|clos\w*|swell\w*|swollen|swole|puff\w*|tighten\w*) (?:right |all the way |completely )?shut",
        r"(?:going|gone|went|go) into (?:anaphylactic |allergic )?shock",
        r"(?:severe|serious|major|massive|extreme|huge|full blown|life threatening|really bad|terrible|awful|violent|"
        r"scary bad|horrible) (?:allergic )?"
        r"(?:allergic reaction|reaction|allergy attack)",
        # "my skin can't breathe under foundation": skin and pores breathing is a figure of speech
        unless=words(JOKING, r"(?:skin|pores) (?:cant|cannot|doesnt|dont|to|needs? to) breath\w*",
                     # a blocked nose: "i cant breathe through my nose with this cold"
                     r"(?:breath\w*|air) (?:in |out )?(?:through|thru|out of) (?:my|his|her|their|the|one) "
                     r"(?:nose|nostrils?)(?! (?:or|and|nor)\b)",
                     # devotion, not a symptom: "i can't breathe without this perfume"
                     r"(?:cant|cannot|couldnt) (?:breath\w*|live|survive) without (?:it|this|that|these|my|the|your)",
                     r"let (?:my |the |your )?(?:skin|pores) breath\w*"),
    ),
    # code-switching: the part in one language, the sign in another (see OTHER_BODY)
    *rules("en", "anaphylaxis", "emergency",
           rf"{OTHER_BODY} _4 {SWELL}", rf"{OTHER_THROAT} _4 (?:tight\w*|clos\w*|constrict\w*|shut\w*)",
           rf"{BODY} _4 {OTHER_SWELL}", rf"(?:throats?|chests?|airways?) _4 {OTHER_CLOSING}",
           unless=words(JOKING, r"want\w*", "wish", r"fillers?", r"photos?", r"pics?", r"selfies?", *SIZE_WISH)),
    # A part grown by a number of times, or bigger than normal; not a wish for fuller lips
    *rules("en", "anaphylaxis", "emergency",
           rf"{BODY} _4 (?:\d+|two|three|four|five|2x|3x) times (?:bigger|the size|as big|its size|"
           r"(?:the |its )?normal size)",
           rf"{BODY} _4 (?:way |much )?bigger than (?:normal|usual|before)",
           unless=words(JOKING, r"want\w*", "wish", "would love", "id love", "id like", r"dreams?", r"goals?",
                        r"fillers?", r"photos?", r"pics?", r"selfies?")),
    # angioedema in the six languages ("angio-oedema", "angioedème", "Angioödem", "Quincke-Ödem"): a medical word,
    # never a joke
    *rules("en", "anaphylaxis", "emergency", r"angio ?o?e?dem\w*", r"quincke\w*"),
    # Adrenaline given, help called: an emergency even if the person now feels better (symptoms can return).
    *rules(
        "en", "anaphylaxis", "emergency",
        r"(?:used|use|using|had to use|have to use|gave|give|giving|injected|inject|jabbed|stabbed|administered|"
        r"took|needed|need|grabbed|grab|given|jab|stab) _3 (?:epipens?|epi|adrenaline|epinephrine|autoinjectors?|"
        r"adrenaline pen|adrenaline shot|epinephrine shot)",
        r"(?:epipens?|adrenaline|epinephrine|autoinjectors?) _3 "
        r"(?:used|given|injected|done|in (?:my|his|her) (?:leg|thigh))",
        r"(?:call\w*|calling|called|ring|rang) (?:an? |the )?(?:ambulance|911|999|112|paramedics)",
        r"(?:going|went|gone|rushed|rushing|taking|took|take|headed|heading|way) _2 (?:to|into) (?:the )?"
        r"(?:er|a e|a and e|hospital|emergency room|emergency department|urgent care)", r"emergency room",
        lasting=True,
        # what would mean calling one, asked in general: "which signs mean call an ambulance" (not "when to call",
        # "whether to call": weighed now)
        unless=r"(?:means?|meaning|warrants?|requires?|counts? as) (?:you |i |we |to |"
               r"that you |that i )?(?:should |need to |have to |must )?(?:call\w*|ring|dial|phone|go\w*|rush\w*|"
               r"take|head\w*)\b",
    ),
    *rules(
        "en", "anaphylaxis", "emergency",
        r"faint(?:ed|ing)", r"chok\w*", r"suffocat\w*", r"breathless\w*",
        r"(?:pale|limp|blue|grey|gray) and (?:floppy|limp|clammy|sweaty|blue)",
        r"floppy", r"(?:lips|face|he|she|hes|shes|turned|turning|going|went) _2 blue",
        r"(?:feel|feels|feeling|felt|going to|gonna|about to|might|will) (?:really |so )?faint",
        r"pass(?:ed|es|ing)? out", r"collaps\w*", r"unconscious", r"unresponsive", r"black(?:ed|ing)? out",
        r"(?:wont|cant|not) wak\w* (?:up|him|her)", r"fell (?:down|over) _2 (?:floor|ground)",
        unless=FIGURATIVE,
    ),
    # a person gone limp ("baby is limp", "he went all limp"), not limp hair or walking with a limp
    *rules(
        "en", "anaphylaxis", "emergency",
        r"(?:he|she|hes|shes|baby|son|daughter|child|kid|toddler|boy|girl|husband|wife|partner|mum|mom|dad|grandma|"
        r"grandpa|nan|granny|grand(?:son|daughter|child)|niece|nephew|little one|infant|patient|customer) _3 "
        # the thing gone limp is the person, not the hair just before the verb ("she says her hair is limp")
        r"(?<!hair )(?<!curls )(?<!fringe )(?<!bangs )(?<!lashes )(?<!waves )"
        r"(?:is|was|went|gone|going|goes|got|seems|looks|feels|felt|turned|has gone) "
        r"(?:all |completely |totally |really |very |so |a bit )?limp\b",
        unless=FIGURATIVE,
    ),
    *rules(
        "en", "anaphylaxis", "emergency",
        r"dizz\w*", r"lightheaded\w*", r"(?:room|head|everything|world) _2 spin\w*", r"vertigo",
        r"(?:cant|cannot|unable to|not able to) (?:stand|stay) (?:up|upright)",
        r"(?:feel|feeling|felt) (?:very |so )?woozy",
        # drowsiness with hives or swelling: "really drowsy and covered in hives"
        r"drowsy", r"(?:really|very|so|super|extremely|unusually|strangely) sleepy",
        r"(?:cant|cannot) (?:stay|keep) awake",
        needs=ITCH_OR_SYSTEMIC, unless=FIGURATIVE,
    ),
    # "she fall down", "he just fell over": a collapse when another sign is named ("red spots all body and she
    # fall down"); alone, or a fall off a bike or down the stairs, it is not this layer's business.
    *rules(
        "en", "anaphylaxis", "emergency",
        # "my wife went pale and fell over": a few words may come between
        r"(?:he|she|they|baby|son|daughter|husband|wife|partner|mum|mom|dad|mother|father|grandma|grandpa) _4 "
        r"(?:fall|falls|falled|fell|fallen|felled) (?:down|over)\b",
        needs=ITCH_OR_SYSTEMIC, otherwise="none",
        unless=words(FIGURATIVE, r"stairs?", r"steps", r"bikes?", r"bicycle", r"scooter", r"trampoline", r"ladder",
                     r"trip\w*", r"slipp?\w*", r"knees?", r"elbows?", r"graz\w*", r"scrap\w*", r"bruis\w*",
                     r"(?:off|from|out of) (?:the |a |his |her |their )?(?:bed|chair|sofa|couch|swing|slide|tree)"),
    ),
    # Blood pressure falling is a sign of anaphylaxis, not another cause: with hives or itch it is an emergency
    *rules(
        "en", "anaphylaxis", "emergency",
        r"blood pressure _4 (?:very |really |so |super |dangerous\w* |extremely )?(?:low|dropp\w*|drops|crash\w*|"
        r"plummet\w*|tank\w*|falling)",
        needs=ITCH_OR_SYSTEMIC, unless=words(*BLOOD_PRESSURE_HABIT),
    ),
    *rules(
        "en", "anaphylaxis", "ask",
        r"hives", r"(?:having|had|got|get|getting|think (?:its|im having|it is)) (?:an? )?(?:allergic )?reaction",
        r"(?:bad|big|strong|scary) (?:allergic )?reaction",
        r"(?:tongue|throat) _3 (?:tingl\w*|numb|itch\w*|scratch\w*|weird|funny|strange|prickl\w*)",
        r"(?:face|lips?) _3 puffy",
        # a recognised early sign of anaphylaxis; with a second sign it combines into an emergency
        r"(?:sense|feeling) of (?:impending |approaching )?doom",
        # money has the reaction, or the prices cause it: "my wallet is having an allergic reaction to your prices"
        unless=MONEY_REACTION,
    ),
    # a racing heart from coffee, nerves or a workout is not a sign of a reaction
    *rules("en", "anaphylaxis", "ask", r"heart _2 (?:racing|pounding)",
           unless=words(r"coffee", r"espressos?", r"caffeine", r"energy drinks?", r"pre ?workout", r"cardio",
                        r"nervous", r"excited", r"interview", r"exam", r"crush", r"date", r"horror",
                        r"scary (?:movie|film)")),
    *rules(
        "en", "swallowed", "emergency",
        r"swallowed", r"swalloed", r"swallowd", r"ingested", r"gulped", r"swallow (?:some|a|the|it|half|an?)",
        r"mouthful of", r"gulped (?:some|it|a bit|half|the lot)",
        rf"(?:swig|sip|gulp|bite|lick|taste|spoonful|mouthful|chunk|squirt|swallow)s? of{AMOUNT} {PRODUCT}",
        r"(?:drank|drunk|drinked|ate|eaten|eated|licked|chewed|sucked) (?:out |up |down )?(?:some|a bit|half|most|all|"
        r"a lot|loads|a load|a little) (?:of )?(?:it|the|my|her|his|that|this)",
        r"(?:drank|drunk|drinked|ate|eaten|eated|chewed|sucked) (?:some|a bit|half|a lot|loads|a little)"
        r"(?= [,.;:!?]|$)",
        r"(?:how much|how many) (?:\w+ )?(?:drank|drunk|ate|eaten|swallowed|had)",
        r"(?:drank|drunk|drink|drinking|drinked|ate|eaten|eated|eating|eat|licked|licking|chewed|chewing|sucked|sip\w*|"
        rf"sucking|bit into|bitten into|{GULP_VERB}){AMOUNT} {PRODUCT}",
        rf"{CHILD} _3 (?:ate|eaten|eated|drank|drunk|drinked|chewed|sucked|got into|{GULP_VERB}|"
        # "puts everything in his mouth" describes an age, not an event
        r"put(?! (?:everything|anything|things|stuff|all sorts)\b) _3 in (?:his|her|their) mouth)",
        rf"{PRODUCT} _3 (?:in|into|around|all over|round) (?:his|her|their) mouth",
        # "my 2 year old got the cap off the retinol and had some": "had some" ending the clause
        rf"{CHILD} _8 (?:had|has had) (?:some|a bit|a little|a taste|a sip|a lick|a bite|a mouthful)(?= [,.;:!?]|$)",
        unless=words("pride", "my words", "the cost", "the price", *HARMLESS_TO_SWALLOW),
    ),
    # A product meant for the mouth swallowed in a large amount, or together with another product: the reason
    # the rule above lets it pass (a little toothpaste swallowed while brushing) no longer holds.
    *rules("en", "swallowed", "emergency", rf"{SWALLOW_VERB} _5 {MOUTH_PRODUCT}", needs=LARGE_AMOUNT,
           otherwise="none"),
    *rules("en", "swallowed", "emergency",
           rf"{SWALLOW_VERB} _5 (?:{MOUTH_PRODUCT} _3 (?:and|plus|or|with) _4 {PRODUCT}|"
           rf"{PRODUCT} _3 (?:and|plus|or|with) _3 {MOUTH_PRODUCT})"),
    *rules("en", "swallowed", "emergency", r"(?:drink|drank|eat|ate|swallow|swallowed|lick\w*) (?:it|them|the lot)\b",
           r"(?:breath|mouth) _2 smell\w* (?:of|like)", needs=CHILD, otherwise="none"),
    *rules("en", "burn", "emergency",
           r"(?:been|for) (?:like |about |around |almost |nearly |over |maybe |at least )?"
           r"(?:\d+|an?|one|two|three|several|few|many) (?:hours?|hrs?)",
           needs=r"burn\w*|sting\w*", otherwise="none"),
    # rinsing that does not help a burning: "burning like fire and rinsing isnt helping"
    *rules("en", "burn", "emergency",
           r"(?:rins\w*|wash\w*|flush\w*|cold water) _3 (?:isnt|is not|doesnt|does not|didnt|did not|not|wont|hasnt|"
           r"havent|has not) (?:help\w*|work\w*|do\w* anything|chang\w* anything)",
           # "rinsing does nothing", "washing it off made no difference"
           r"(?:rins\w*|wash\w*|flush\w*|cold water) _3 (?:does|do|did|is doing|doing|makes|made|making) "
           r"(?:nothing|no difference|zero difference|zilch)\b",
           needs=r"burn\w*|sting\w*", otherwise="none", unless=NOT_A_BURN),
    # "burning even though ive rinsed it for 20 minutes"
    *rules("en", "burn", "emergency",
           r"(?:burn\w*|sting\w*) _6 (?:even though|even after|although|despite|though) (?:i |ive |i have |we |weve |"
           r"she |shes |he |hes |i already |ive already )?(?:\w+ )?(?:rins\w*|wash\w*|flush\w*)",
           unless=NOT_A_BURN),
    # a named part gone white and still burning, when a product is named: "my chin is white and burning"
    *rules("en", "burn", "emergency",
           rf"{SKIN_PART} (?:is|are|looks?|looking|went|gone|has gone) (?:all |totally |completely |really |very )?"
           r"(?:white|grey|gray) and (?:burn\w*|sting\w*|numb\w*|hurt\w*|sore|raw)",
           needs=CHEMICAL, otherwise="none", unless=NOT_A_BURN),
    # short of its sign, the ask rule below decides
    *rules("en", "eye", "emergency", IN_EYE, needs=EYE_HURT, otherwise="none"),
    # a scrub bead or applicator scratching the eye, light that hurts after a product got in
    *rules("en", "eye", "emergency", r"scratch\w* (?:my|his|her|their|the) (?:eyes?|eyeballs?|cornea)",
           r"(?:cant|cannot) (?:look at|stand|bear) (?:the )?(?:light|brightness)", r"(?:light|brightness) hurts",
           needs=r"hurt\w*|pain\w*|water\w*|blur\w*|sting\w*|burn\w*|red|eye(?:s|balls?)?", otherwise="none"),
    *rules(
        "en", "eye", "emergency",
        r"(?:cant|cannot|unable to|wont|not able to|barely|(?:no|not) can) _2 open (?:my|his|her|their|the|one|both) ?"
        r"(?:left |right )?eyes?",
        r"eyes? _2 (?:wont|cant|will not) open", r"(?:vision|sight|eyesight) _3 (?:blur\w*|cloud\w*|fogg\w*|gone|dark|"
        r"hazy|weird|strange|funny)",
        r"blur\w* (?:vision|sight)",
        r"everything _2 (?:hazy|blurr\w*|fogg\w*|cloudy|dark|double|smear\w*|smudg\w*|fuzzy)",
        r"(?:cant|cannot|can barely|can hardly|barely|hardly) see",
        rf"{EYE_ITSELF} _3 (?:burn\w*|pain\w*|hurts? (?:so|really|like)|agony|on fire|cloud\w*|milky|white|"
        r"grey|gray)",
        r"eyes? _3 sting\w* (?:so |really |very )?(?:bad\w*|much)",
        r"(?:burn\w*|pain\w*) (?:in|of) (?:my|his|her) eyes?",
        r"(?:white|cloudy|milky|grey|gray) _3 (?:on|in|over) (?:my|his|her|the) eyes?",
        # ... and a picture, not a sight: "everything is smudged in this photo"
        unless=words(BLINDING_SHINE,
                     r"in (?:the|this|that|my|your|her|his) (?:photos?|pics?|pictures?|videos?|selfies?|screenshots?)"),
    ),
    *rules("en", "eye", "emergency", r"(?:cant|cannot|unable to|wont|barely) _2 open (?:it|them)",
           r"(?:cant|cannot|unable to|barely) (?:keep|hold|get) (?:it|them|(?:my|his|her|their|one) eyes?) open",
           needs=r"eyes?|eyeballs?"),
    *rules("en", "eye", "emergency", rf"{EYE_ITSELF} _4 (?:hurt\w*|pain\w*|burn\w*|sting\w*|agony|killing|blurr\w*|"
                                     r"sand\w*|grit\w*|fire|smear\w*|"
                                     r"on fire|sensitive to (?:the )?light|light sensitive)",
           needs=r"splash\w*|got in|went in|gone in|dripped|drip\w* (?:in|into)|ran into|in (?:it|them)|"
                 r"into (?:it|them)", otherwise="none"),
    *rules(
        "en", "burn", "emergency",
        r"blister\w*", r"chemical burns?", r"burn(?:ed|t) (?:my|his|her|the) (?:skin|face)",
        r"(?:skin|face) _3 (?:weeping|weepy|oozing|seeping|bleeding|melting|melted|charred|sloughing|leaking|burnt|"
        r"cracked|crusted|crusty)",
        r"(?:skin|face) _4 (?:come|came|coming|falling|fell|sliding) (?:right |straight |all |clean )?(?:off|away)",
        r"(?:covered in|full of|lots of|all over|have|has|got) _2 (?:burns|blisters|sores|wounds)",
        r"weeping", r"oozing",
        r"(?:water|fluid|liquid|pus|yellow stuff) _2 (?:coming out|leaking|oozing|seeping)",
        r"(?:gave|given|left) (?:me|him|her|them|us) _2 (?:chemical )?(?:burns|blisters|sores|wounds)",
        r"(?:burn\w*|sting\w*) _4 (?:wont|will not|doesnt|does not|not|isnt) (?:stop|go away|calm|ease|settle)",
        # told in the perfect or the past: "the burning hasnt stopped", "stinging didnt go away"
        r"(?:burn\w*|sting\w*) _4 (?:hasnt|has not|havent|have not|hadnt|didnt|did not) (?:stopped|stop|gone away|"
        r"go away|eased|ease|calmed|calm|settled|settle|let up|died down)",
        r"(?:burn\w*|sting\w*) _4 keeps (?:burning|stinging|hurting|watering)",
        r"(?:wont|doesnt|will not|does not) stop (?:burning|stinging)",
        r"(?:burn\w*|sting\w*) _4 (?:cant stand|unbearable|excruciating|agony|cant take)",
        r"(?:still|keeps|keep|constantly) burning",
        # still burning after first aid: "it still burns after an hour of rinsing"
        r"still (?:burns|stings|burning|stinging) (?:even )?after (?:an hour|hours|\d+ (?:hours|hrs|minutes|mins)|"
        r"(?:rinsing|washing|flushing))",
        # fluid coming through: "red welts where the peel was and its seeping" (not a serum "seeping into" the skin)
        r"seeping(?! (?:in|into|through|deep))",
        r"burning (?:for )?(?:hours|an hour|\d+ (?:hours|hrs|minutes|mins))",
        r"burning _3 (?:unbearable|agony|excruciating|intense|worse|after rinsing|even after)",
        r"on fire", r"open (?:\w+ )?(?:sores?|wounds?)", r"(?:second|third|2nd|3rd) degree",
        r"(?:skin|face|it) _3 (?:turn\w*|went|gone|going|go) (?:\w+ and )?(?:white|grey|gray|black|brown|dark)",
        r"burn(?:ed|t|s)? through", r"bubbl\w* up", r"(?:ate|eaten|eating|eats|burn\w*) (?:through|into) _2 skin",
        r"(?:skin|face) _3 bubbl\w*", r"bubbl\w* _2 (?:skin|face)",
        unless=NOT_A_BURN,
    ),
    # "leaking" on its own is skin weeping ("its leaking and raw after the peel"), not a container that leaks: a
    # damaged delivery ("my serum bottle is leaking", "a product arrived broken or leaking") is a shop question.
    *rules("en", "burn", "emergency", r"leaking",
           unless=r"bottles?|tubes?|pumps?|jars?|products?|packages?|parcels?|box(?:es)?|lids?|caps?|droppers?|"
                  r"containers?|sachets?|bags?|orders?|deliver\w*|pots?|tubs?|arrived|broken|defective|damaged|"
                  r"packaging|seal|cracked (?:bottle|jar|tube)"),
    # a burn told as such with a chemical named: "looks like a burn on my cheek from the mask", "i got burned by the
    # peel", "the burn from the hair removal cream is getting worse" (not the oven, the sun or a curling iron)
    *rules("en", "burn", "emergency",
           r"(?:got|been|was|were) burn(?:ed|t)\b",
           r"looks? like (?:i (?:got|have) |ive got |(?:i|it|she|he) (?:was|got) )?(?:a |an )?(?:chemical |bad |real )?"
           r"burn(?:ed|t|s)?\b",
           r"burns? (?:on|across|all over) (?:my|his|her|their|the) (?:\w+ )?(?:face|cheeks?|chin|forehead|neck|skin|"
           r"lips?|nose|scalp|hands?|legs?|arms?|underarms?|bikini line)",
           r"burns? _6 (?:getting worse|worse|spreading|wet|weepy|weeping|oozing|blister\w*)",
           needs=r"peel\w*|acids?|aha|bha|tca|glycolic|salicylic|lactic|masks?|chemical|bleach|dyes?|remover|"
                 r"depilat\w*|hair removal|retinol|relaxer|perm|serum|toner",
           otherwise="none", unless=NOT_A_BURN),
    # raw skin, unless the message says plainly that nothing is open ("raw from over-exfoliating, not broken")
    *rules("en", "burn", "emergency",
           r"(?:skin|face) _3 raw", r"raw (?:and|skin|patches|red|wounds?|flesh)",
           r"(?:its|is|looks|feels|totally|completely) raw", r"(?:peel\w*|sting\w*|burn\w*|bleed\w*|weep\w*) and raw",
           unless=words(NOT_A_BURN,
                        r"(?:not|isnt|is not|nothing|never) (?:\w+ )?(?:broken|open|bleeding|weeping|blistered)",
                        r"no (?:open (?:\w+ )?|broken )?(?:wounds?|sores?|blisters?|bleeding|cracks?)\b")),
    # peeling in sheets, but not the feet after a foot peel (made to peel that way)
    *rules("en", "burn", "emergency",
           r"peel\w* _3 in (?:big |huge |large |whole )?(?:sheets|chunks|layers|strips|pieces)",
           unless=words(NOT_A_BURN, r"feet", r"foot", r"heels?", r"soles?", r"toes")),
    *rules("en", "burn", "emergency",
           r"(?:ate|eaten|eating|burnt|burned|stripped|destroyed|fried|melted) (?:off )?(?:my|his|her|their|the) "
           r"(?:skin|face)",
           r"(?:watery|water|fluid filled|water filled|fluid|pus filled|clear) "
           r"(?:bumps|bubbles|pockets|sacs|spots|lumps)",
           r"(?:red|bright red|pink|sore|wet|shiny) and raw",
           r"(?:skin|face|patches|chunks|layers) _3 slough\w* off",
           needs=CHEMICAL, otherwise="none", unless=NOT_A_BURN),
    # The same signs on a named part of the body ("my chin has turned grey"), when a product is named.
    *rules("en", "burn", "emergency",
           rf"{SKIN_PART} _3 (?:turn\w*|went|gone|going|go) (?:white|grey|gray|black|dark|brown)",
           rf"{SKIN_PART} _4 (?:come|came|coming|falling|fell|peel\w*) (?:right |straight |all |clean )?(?:off|away)"
           r"(?! masks?\b)",
           rf"{SKIN_PART} _3 (?:weeping|oozing|seeping|bubbl\w*|melting|melted|charred|sloughing)",
           r"(?:white|grey|gray|pale) (?:patch\w*|spots?|areas?|marks?|bits)",
           needs=CHEMICAL, otherwise="none", unless=NOT_A_BURN),
    *rules("en", "burn", "emergency", r"(?:skin|face) _4 (?:white|grey|gray|pale)",
           needs=r"peel\w*|acids?|aha|bha|tca|glycolic|salicylic|lactic|masks?|chemical|burning|numb\w*|"
                 r"wrinkl\w* and (?:white|grey|gray)", otherwise="none", unless=NOT_A_BURN),
    *rules("en", "burn", "emergency",
           r"(?:skin|face) _4 peel\w* (?:right |straight |all |clean )?(?:off|away)(?! masks?\b)",
           unless=words("a bit", "a little", "little bit", "slightly", "light", "lightly", "mild", "mildly", "normal",
                        "tiny", "flakes", "flaky", "nose")),
    *rules(
        "en", "burn", "ask",
        r"(?:burn\w*|sting\w*) _3 (?:so |really |very )?(?:bad\w*|much|a lot|intense\w*)",
        r"(?:it|face|skin|this) _2 (?:burns|is burning|burning)", r"burn\w* _2 (?:from|after) (?:the |a |my )?"
        r"(?:peel|acid|mask)",
        unless=NOT_A_BURN,
    ),
    # Only asks, and not for what belongs in or near an eye (drops, a lens, a lash, a stye) or a habit told with
    # "when i run"
    *rules("en", "eye", "ask", IN_EYE,
           unless=words(r"eye ?drops", r"(?:my|wear|wearing|with|put in|take out) contacts", r"contact lens\w*",
                        r"lens(?:es)? solution",
                        r"(?:eye)?lash(?:es)?", r"styes?", r"chalazion",
                        r"when (?:i|he|she|we|they) (?:run|swim|sweat|shower|bathe|wash|exercise|work out|cry|"
                        r"cut onions)",
                        "no big deal", "not a big deal", "just annoying",
                        # a general complaint: "soap in the eye is the worst"
                        r"(?:is|are) the worst", "worst feeling")),
    # Vomiting together with hives or swelling: a reaction beyond the skin. Vomiting alone is not this layer's.
    *rules("en", "anaphylaxis", "emergency", r"vomit\w*", r"threw up", r"throw\w* up", r"(?:being|been|was|is) sick",
           r"puk\w*", r"puking",
           needs=r"hives|welts?|urticari\w*|blotch\w*|rash\w*|swell\w*|swollen|puff\w*", otherwise="none",
           unless=FIGURATIVE),
    # "its my throat, it feels tight": the part named, then the sign after a comma
    *rules("en", "anaphylaxis", "emergency",
           r"(?:throats?|chests?|windpipe|airways?) , "
           r"(?:(?:and|it|its|is|feels|feel|getting|gets|so|really|very|all) ){0,3}"
           r"(?:tight\w*|clos\w*|constrict\w*|swell\w*|swollen)"),
    # Eyes red and streaming after an acid, a peel or a chemical got near them
    *rules("en", "eye", "emergency",
           r"eye(?:s|balls?)? _3 (?:bright red|blood ?shot|red raw|streaming|pouring|gushing)",
           r"eye(?:s|balls?)? _3 (?:red|watering) and (?:streaming|watering|swollen|stinging|burning)",
           needs=r"acids?|peel\w*|glycolic|salicylic|tca|bleach|lye|remover|chemicals?|dyes?|relaxer|solution|"
                 r"got in|went in|splash\w*|dripped|squirt\w*",
           otherwise="none"),
    # Someone who does not respond (a collapse), not someone who does not answer a message or a treatment
    *rules("en", "anaphylaxis", "emergency",
           r"(?:he|she|hes|shes|baby|son|daughter|husband|wife|partner|mum|mom|dad|boy|girl|they) _5 "
           r"(?:wont|isnt|not|doesnt|didnt|stopped|cant) (?:really )?respond\w*",
           unless=words(FIGURATIVE, r"texts?", r"messages?", r"emails?", r"dms?", r"calls?", "phone", r"treatments?",
                        r"antibiotics?", "meds", "medication", "retinol", r"creams?", r"serums?", r"products?")),
    # The eye scratched by a scrub or an applicator, rubbed with a product on the fingers, or still hurting after
    # rinsing: said with the product or the rinsing named
    *rules("en", "eye", "emergency",
           r"(?:eye|eyes|eyeball|eyeballs|cornea) _4 scratch\w*",
           r"(?:rubb\w*|touch\w*|wip\w*) (?:my|his|her|their|the) eyes? _4 (?:acids?|peel\w*|chemicals?|bleach|remover|"
           r"solution|glycolic|salicylic|retinol|serum|cream|product|toner) (?:on|still on|in)",
           rf"{EYE_ITSELF} _5 still (?:hurt\w*|burn\w*|sting\w*|pain\w*|blurr\w*|sore|red)",
           needs=r"scrub\w*|beads?|exfoliat\w*|applicator|grains?|rins\w*|flush\w*|got in|went in|splash\w*|dripped|"
                 r"acids?|peel\w*|glycolic|salicylic|soap|shampoo|remover|chemicals?|bleach",
           otherwise="none"),
    # A chemical that burned someone, took the skin off, or left scabs: only with a peel, an acid or a hair
    # remover named (a scab from a picked spot is not this)
    *rules("en", "burn", "emergency",
           r"burn(?:ed|t) (?:me|him|her|them|us)\b",
           # "burned skin after glycolic", "skin is open after the peel" (the skin split, not a jar or the pores)
           r"burn(?:ed|t) (?:skin|face)\b",
           rf"(?:skin|face|{SKIN_PART}) (?:is |are |now |all |just |totally |completely |literally )*(?:open|opened up|"
           r"split open|"
           r"broken open|cracked open)\b(?! (?:to|for|on|at|till|until|today|the|a|and clos\w*|pores)\b)",
           r"(?:took|ripped|pulled|tore|torn|stripped|taken) (?:\w+ ){0,3}(?:skin|layers? of (?:my |his |her )?skin) "
           r"(?:right |clean |straight )?off",
           r"(?:ripped|pulled|tore|torn|took) off _3 skin",
           r"scabs? _3 (?:forming|all over|everywhere)", r"(?:covered in|full of) scabs",
           # crusts where the chemical was: "yellow crusts where the acid was"
           r"(?:yellow |honey )?crusts\b", r"(?:gone|going|went|turned|turning) (?:all )?crust(?:y|ed)",
           needs=r"peel\w*|acids?|aha|bha|tca|glycolic|salicylic|lactic|chemicals?|bleach|depilat\w*|hair removal|"
                 r"relaxer|perm|dyes?|masks?",
           otherwise="none",
           unless=words(NOT_A_BURN, "dead skin", r"blackheads?", r"whiteheads?", "peach fuzz", r"hairs?", r"pimples?",
                        r"spots?", r"zits?", r"pick\w*",
                        # made to come off that way: "my peel off mask pulled off a layer of skin, normal?"
                        r"peel ?off (?:\w+ )?(?:masks?|gels?)", r"pore strips?")),
    # a skin product taken by mouth: "took the vitamin serum orally", "drank the toner thinking it was juice"
    *rules("en", "swallowed", "emergency",
           rf"(?:took|taken|take|takes|taking|drank|drunk|had|swallowed|ingested|consumed|used) _4 {SKIN_PRODUCT} _3 "
           r"(?:orally|by mouth)",
           rf"{SKIN_PRODUCT} _6 (?:thought|thinking|thinks|mistook|mistaking|mistaken) (?:\w+ ){{0,3}}"
           r"(?:drinks?|drinking|juice|syrup|medicine|supplement|sweets?|candy|food|to (?:drink|take|swallow))",
           # whatever it was, drunk for a drink: "drank the developer thinking it was her water"
           r"(?:drank|drunk|swallowed|gulped|downed|chugged) _4 (?:thinking|thought|believing) (?:it|that|they) "
           r"(?:was|were) (?:\w+ )?(?:water|juice|a drink|drink|medicine|syrup|lemonade|milk|squash|tea)\b",
           unless=words("pride", *HARMLESS_TO_SWALLOW)),
    # "put the toner bottle to his lips and took a gulp": the container named before the gulp
    *rules("en", "swallowed", "emergency",
           r"(?:bottles?|tubes?|jars?|tubs?|pots?|droppers?|pumps?) _6 (?:took|taken|had|take|taking) "
           r"(?:a |one |two |some )?(?:big |huge |little |small |quick )?(?:gulp|sip|swig|mouthful|slurp)s?(?! of)\b",
           unless=words("pride", "my words", *HARMLESS_TO_SWALLOW, "coffee", "tea", "water", "juice", "wine", "drink",
                        "milk", "smoothie")),
    # eyes swollen so much that the person cannot see (no product in the eye): a swelling of the face, not an eye
    # injury ("eyes puffed so much i can barely see")
    *rules("en", "anaphylaxis", "emergency",
           r"(?:(?:eyes?|eyelids?|lids|face) _3 )?(?:swell\w*|swollen|puff\w*) _4 (?:cant|cannot|can barely|"
           r"can hardly|barely|hardly) (?:see|open (?:my|his|her|their) eyes?)\b", unless=FIGURATIVE),
    # first-language grammar for a part grown big: "tongue feel big", "my lips becomed big", "face getting so big"
    *rules("en", "anaphylaxis", "emergency",
           r"tongues? _2 (?:feel\w*|is|are|gets?|getting|got|became|becom\w*|went|gone) (?:so |very |too |really )?"
           r"(?:big|bigger|large|fat|thick|huge)\b",
           r"(?:lips?|face|eyelids?|cheeks?) _2 (?:getting|got|gets|became|becom\w*|went|gone|grow\w*|grew) "
           r"(?:so |very |too |really |more )?(?:big|bigger|large|larger|fat|fatter)\b",
           unless=words(FIGURATIVE, r"plump\w*", r"fillers?", r"lipstick\w*", r"liner\w*", r"gloss\w*", r"photos?",
                        r"selfies?", "mirror", r"make ?up", r"pics?", "camera", r"over ?lin\w*", r"wish\w*", r"want\w*",
                        "mascara", r"contour\w*")),
    # one severe sign in unusual words: drooling with a swallow that will not come, a tongue gone heavy, a voice that
    # "sounds croaky" (said of a person)
    *rules("en", "anaphylaxis", "emergency",
           r"(?:drool\w*|dribbl\w*) _4 (?:wont|cant|cannot|will not|unable to|doesnt|not able to) (?:\w+ )?swallow\w*",
           r"(?:wont|cant|cannot|unable to|not able to|struggling to) swallow (?:his |her |my |their )?(?:own )?"
           r"(?:spit|saliva)",
           r"tongue _3 (?:heavy|too big for)",
           r"(?:he|she|i|hes|shes|baby|son|daughter|husband|wife|mum|mom|dad|voice) _2 (?:sounds?|sounding) "
           r"(?:all |really |very |so )?(?:croaky|raspy|husky|muffled)",
           unless=words(FIGURATIVE, r"concerts?", r"sing\w*", r"shout\w*", r"colds?", r"flu", r"teeth\w*",
                        r"pills?", r"tablets?", r"capsules?")),
]
