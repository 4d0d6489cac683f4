"""English wording for every point a decision can make: the one home of the assistant's reply text.

Each template takes the point's values and a :class:`Name` (the ingredient name with its grammar) and
returns sentence text; ``bot.answers.render`` joins them. A second language is a second module like
this one. Store facts arrive as values and are used as written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot.safety.policy import Risk


def join_words(items: Sequence[str], conjunction: str = "and") -> str:
    """'a', 'a and b', 'a, b and c'."""
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


def capitalised(text: str) -> str:
    """First letter upper-cased, the rest untouched."""
    return text[:1].upper() + text[1:]


@dataclass(frozen=True)
class Name:
    """An ingredient name and the words that agree with it ("milk exosomes are", "retinol is")."""

    text: str

    @property
    def plural(self) -> bool:
        """Whether the name reads as plural ("milk exosomes" yes, "hyaluronic acid" no)."""
        last = self.text.strip().split()[-1].lower() if self.text.strip() else ""
        return last.endswith("s") and not last.endswith(("ss", "us", "is", "ics"))

    @property
    def be(self) -> str:
        return "are" if self.plural else "is"

    @property
    def does(self) -> str:
        return "do" if self.plural else "does"

    @property
    def it(self) -> str:
        return "them" if self.plural else "it"

    @property
    def they(self) -> str:
        return "they" if self.plural else "it"

    @property
    def theyre(self) -> str:
        return "they're" if self.plural else "it's"

    def verb(self, base: str) -> str:
        """A present-tense verb agreeing with the name ("suit" / "suits")."""
        return base if self.plural else f"{base}s"


def skin_label(skin_type: str) -> str:
    """'oily' -> 'oily skin'."""
    return "acne-prone (breakout-prone) skin" if skin_type == "acne-prone" else f"{skin_type} skin"


def _people(diet: str) -> str:
    return _DIET_PEOPLE.get(diet, f"{diet}s")


_SKIN_VERDICTS = {
    "suitable": "Yes: {name} {be} a good fit for {label}.",
    "generally_tolerated": "Generally yes: {label} usually tolerates {name} well.",
    "caution": "Go carefully: {name} may not suit {label}.",
    "avoid": "Probably best avoided: {name} {be} not a good match for {label}.",
}
#: Who keeps a diet, where its name is not a word for the people ("vegans"): "halals" and "cruelty-frees" are not.
_DIET_PEOPLE = {"dairy-free": "people avoiding dairy", "halal": "people who eat halal",
                "kosher": "people who keep kosher", "cruelty-free": "people who buy cruelty-free"}
_DIET_VERDICTS = {
    "suitable": "Yes: {name} {be} suitable for {people}.",
    "generally_tolerated": "Usually yes: most {people} can use {name}.",
    "caution": "It depends: {people} may choose to avoid {name}.",
    "avoid": "No: {name} {be} not suitable for {people}.",
}
_ALLERGY_VERDICTS = {
    "suitable": "With a {allergen} allergy, {name} {be} not known to be a problem.",
    "generally_tolerated": "With a {allergen} allergy, {name} {be} usually tolerated, but check with your doctor.",
    "caution": "With a {allergen} allergy, take care with {name}, or skip {it} altogether.",
    "avoid": "With a {allergen} allergy, it's best to avoid {name}.",
}
_EVIDENCE = {
    "no_known_risk": "No known risk {during}, as far as current evidence goes.",
    "limited_evidence": "There isn't enough evidence yet about {name} {during}.",
    "known_risk": "Not recommended {during}: there is evidence of risk with {name}.",
}
_DURING = {"pregnancy": "during pregnancy", "breastfeeding": "while breastfeeding", "child": "for babies and children"}
LIKELIHOOD_WORDS = {"rare": "rare", "unlikely": "unlikely", "uncommon": "uncommon", "common": "fairly common"}
COMEDOGENIC_SCALE = {
    0: "won't clog pores", 1: "very low risk of clogging pores", 2: "low risk of clogging pores",
    3: "moderate risk of clogging pores", 4: "fairly high risk of clogging pores", 5: "high risk of clogging pores",
}
_SKIN_GROUPS = {
    "suitable": "{Name} {suit} {skin} skin.",
    "generally_tolerated": "{Skin} skin generally tolerates {it} well.",
    "caution": "Take care with {skin} skin.",
    "avoid": "It's best avoided on {skin} skin.",
}


#: The short disclaimer for each kind of health-adjacent answer, naming who to ask.
DISCLAIMERS: dict[Risk, str] = {
    Risk.LIFE_STAGE: (
        "General information, not medical advice: please check with your doctor, midwife or pharmacist "
        "before adding new products while pregnant or breastfeeding."
    ),
    Risk.ALLERGY: (
        "General information, not medical advice: if you have a diagnosed allergy, ask your doctor or "
        "allergist before trying it."
    ),
    Risk.SIDE_EFFECTS: (
        "General information, not medical advice: if a reaction is severe or doesn't settle, see a "
        "pharmacist or doctor."
    ),
    Risk.SKIN_CONDITION: (
        "I can only give general cosmetic information: for a skin condition, a dermatologist or doctor is "
        "the right person to ask."
    ),
    Risk.CHILDREN: (
        "General information, not medical advice: for a baby or child, ask a pharmacist or paediatrician "
        "before using any new skincare product."
    ),
    Risk.MEDICINES: (
        "General information, not medical advice: I hold no data on how it combines with medicines or "
        "strong actives, so check with a pharmacist or the doctor who prescribed them."
    ),
    Risk.REACTION: (
        "This is general information, not a diagnosis. If you're worried, or it spreads or gets worse, "
        "contact a doctor or pharmacist today."
    ),
}


def disclaimer_for(risk: Risk) -> str | None:
    """The short disclaimer that goes with an answer of this risk level (None for everyday answers)."""
    return DISCLAIMERS.get(risk)


def reaction_steps(ingredient_advice: str | None) -> str:
    """What to do after a (non-emergency) adverse reaction, with the profile's own advice when known."""
    steps = (
        "Stop using the product. Rinse the area gently with cool water and don't apply other new products "
        "until your skin has calmed down."
    )
    if ingredient_advice:
        steps += f" {ingredient_advice.rstrip('.')}."
    steps += (
        " See a pharmacist or doctor if it hasn't settled within a day or two, or sooner if it is painful "
        "or spreading. If you notice trouble breathing, swelling of your lips, tongue, face or throat, or "
        "you feel faint, get emergency help straight away."
    )
    return steps


def cosmetic_not_treatment(ingredient_name: str, verb: str, condition: str | None) -> str:
    """Why the assistant won't say an ingredient treats or cures a condition (verb: 'is' or 'are')."""
    what = condition or "a skin condition"
    plural = verb == "are"
    noun = "cosmetic ingredients, not medicines" if plural else "a cosmetic ingredient, not a medicine"
    subject = "they aren't" if plural else "it isn't"
    return (
        f"{ingredient_name} {verb} {noun}: {subject} meant to treat or cure {what}, "
        f"and I can't recommend {'them' if plural else 'it'} for that. A dermatologist or doctor can help with {what}."
    )


def _fmt(template: str, name: Name, **values: Any) -> str:
    return template.format(name=name.text, Name=capitalised(name.text), be=name.be, it=name.it, **values)


Template = Callable[[Mapping[str, Any], Name], str]

TEMPLATES: dict[str, Template] = {
    "fact": lambda v, n: v["text"],
    "what_i_know": lambda v, n: f"What I do know: {v['text'][:1].lower()}{v['text'][1:]}",
    "no_info": lambda v, n: f"I don't have verified information on {v['what']} for {n.text}, so I'd rather not guess.",
    # skin types
    "skin_type_verdict": lambda v, n: _fmt(_SKIN_VERDICTS[v["verdict"]], n, label=skin_label(v["skin_type"])),
    "skin_type_caveat": lambda v, n: (f"One caveat from my source: {v['effect']} can happen "
                                      f"({LIKELIHOOD_WORDS[v['likelihood']]}), most likely for "
                                      f"{v['at_risk'][:1].lower()}{v['at_risk'][1:]}"),
    "side_effect_at_risk": lambda v, n: f"{capitalised(v['effect'])} is most likely for: {v['at_risk']}",
    "no_info_skin_type": lambda v, n: (f"I don't have verified information on {n.text} for "
                                       f"{skin_label(v['skin_type'])}."),
    **{f"skin_types_{verdict}": (lambda t: lambda v, n: _fmt(
        t, n, suit=n.verb("suit"), skin=join_words(v["skin_types"]),
        Skin=capitalised(join_words(v["skin_types"]))))(text) for verdict, text in _SKIN_GROUPS.items()},
    "ask_skin_type": lambda v, n: "Tell me your skin type (for example \"I have oily skin\") and I'll answer for you.",
    # diets
    "diet_verdict": lambda v, n: _fmt(_DIET_VERDICTS[v["verdict"]], n, people=_people(v["diet"])),
    "no_alternative": lambda v, n: f"There's no plant-based or synthetic alternative to {n.it}.",
    # "whether it is halal", not a yes or a no: the same words answer "is it haram?" and "is it halal?"
    "no_info_diet": lambda v, n: f"I don't have verified information on whether {n.text} {n.be} {v['diet']}.",
    # life stages and children
    "evidence_headline": lambda v, n: _fmt(_EVIDENCE[v["evidence"]], n, during=_DURING.get(
        v["life_stage"], f"in {v['life_stage']}")),
    "no_info_life_stage": lambda v, n: (f"I don't have verified information on {n.text} "
                                        f"{_DURING.get(v['life_stage'], 'in ' + v['life_stage'])}."),
    "ask_professional": lambda v, n: "Please ask a healthcare professional before adding it to your routine.",
    "no_info_children": lambda v, n: (f"My source says nothing about using {n.text} on babies or children, "
                                      f"so I can't tell you whether {n.theyre} suitable for them."),
    "ask_paediatrician": lambda v, n: ("A baby's or child's skin is more delicate than an adult's: please ask a "
                                       "pharmacist or paediatrician before using it on them."),
    # allergies and intolerances
    "allergen_verdict": lambda v, n: _fmt(_ALLERGY_VERDICTS[v["verdict"]], n, allergen=v["allergen"]),
    "no_info_allergy": lambda v, n: f"I don't have verified information on {n.text} and {v['allergen']} allergies.",
    "intolerance_not_allergy": lambda v, n: (
        "Whether it's an allergy, an intolerance or a choice makes a difference here." if v["unspecified"] else
        f"A {v['intolerance']} intolerance isn't the same as an allergy, and the difference matters here."),
    "if_allergy": lambda v, n: ("If it's a diagnosed " + _fmt(_ALLERGY_VERDICTS[v["verdict"]], n,
                                                               allergen=v["allergen"])[7:]),
    "no_info_intolerance": lambda v, n: (f"For an intolerance, I don't have verified information on how {n.text} "
                                         "used on the skin might affect you."),
    # skin conditions, medicines
    "no_info_conditions": lambda v, n: (
        f"I don't have verified information on {n.text} for {'a child with ' if v['for_child'] else ''}"
        f"{join_words(list(v['conditions']))}, and I can't say whether {n.they} would suit skin with that condition."),
    "ask_dermatologist": lambda v, n: ("A dermatologist or doctor is the right person to ask"
                                       f"{', together with a paediatrician for a child' if v['for_child'] else ''}; "
                                       "if you try it, patch test first."),
    "no_interaction_data": lambda v, n: (f"I don't have any information on using {n.text} together with "
                                         f"{join_words(list(v['medicines'])) or 'medicines or other actives'}, "
                                         "so I can't say whether they combine safely."),
    "ask_pharmacist": lambda v, n: ("Please ask a pharmacist, or the doctor who prescribed it, before combining "
                                    "them."),
    # facts about the ingredient
    "product_types": lambda v, n: f"You'll typically find {n.text} in {join_words(v['product_types'])}.",
    "functions": lambda v, n: (f"In skincare, {n.text} {n.be} used as "
                               f"{join_words([f.lower() for f in v['functions']])}."),
    "function_explained": lambda v, n: (f"{capitalised(v['function'])}: {v['explanation'][:1].lower()}"
                                        f"{v['explanation'][1:]}"),
    "sun_verdict": lambda v, n: (f"Yes: {n.text} can make skin more sensitive to the sun." if v["increases"] else
                                 f"No: {n.text} {n.does}n't make skin more sensitive to the sun."),
    "side_effect": lambda v, n: (f"{capitalised(v['effect'])} ({LIKELIHOOD_WORDS[v['likelihood']]}): "
                                 f"{v['description']} Most likely: {v['at_risk']}"),
    "reaction_steps": lambda v, n: reaction_steps(v["advice"]),
    "sorry_reacting": lambda v, n: "I'm sorry your skin is reacting.",
    "flagged_for_support": lambda v, n: "I've flagged this conversation so our support team can follow up.",
    "comedogenic_rating": lambda v, n: f"Comedogenic rating: {v['rating']}/5, a {COMEDOGENIC_SCALE[v['rating']]}.",
    "comedogenic_short": lambda v, n: f"Comedogenic rating {v['rating']}/5.",
    "patch_test_yes": lambda v, n: f"Yes, it's a good idea to patch test {n.text} first.",
    "patch_test_method": lambda v, n: (
        "To patch test, apply a small amount to the inside of your forearm or behind your ear once a day for two "
        "or three days, and only use it more widely if there's no redness, itching or stinging."),
    "results_timing_unknown": lambda v, n: (f"My source doesn't say how long {n.text} take{'' if n.plural else 's'} "
                                            "to show results, so I can't give you a timeline."),
    "what_it_does": lambda v, n: (f"What it does say is what {n.they} {n.does}: "
                                  f"{join_words([f.lower() for f in v['functions']])}."),
    "usage_intro": lambda v, n: f"Here's what my source says about using {n.text}:",
    "usage_unknown": lambda v, n: ("It doesn't say how often or how much to apply, so follow the directions on "
                                   "your product."),
    "used_as": lambda v, n: f"Used in skincare as {join_words([f.lower() for f in v['functions']])}.",
    "suits_skin_types": lambda v, n: f"Suits most skin types: {join_words(v['skin_types'])}.",
    "cosmetic_not_treatment": lambda v, n: cosmetic_not_treatment(capitalised(n.text), n.be,
                                                                  join_words(v["conditions"]) or None),
    "cosmetic_functions": lambda v, n: (f"What {'they do' if n.plural else 'it does'} is cosmetic: "
                                        f"{join_words([f.lower() for f in v['functions']])}."),
}

_WHAT_I_CAN_DO = (
    "I can answer questions about the cosmetic ingredients I have verified profiles for: what they are, what "
    "they do, skin types, vegan, pregnancy and breastfeeding, allergies, side effects, sun sensitivity and "
    "pore-clogging."
)
_LIFE_STAGE_WORDS = {"pregnancy": "you're pregnant", "breastfeeding": "you're breastfeeding"}


def describe_profile(profile: Mapping[str, Any]) -> list[str]:
    """Each remembered fact as a short phrase ('oily skin', 'you're vegan', 'a milk protein allergy')."""
    facts = []
    if profile.get("skin_type"):
        facts.append(f"you have {skin_label(profile['skin_type'])}")
    if profile.get("diet"):
        facts.append(f"you're {profile['diet']}")
    if profile.get("life_stage"):
        facts.append(_LIFE_STAGE_WORDS.get(profile["life_stage"], profile["life_stage"]))
    facts += [f"you have a {allergen} allergy" for allergen in profile.get("allergies", ())]
    facts += [f"you react to {intolerance}" for intolerance in profile.get("intolerances", ())]
    facts += [f"you have {condition}" for condition in profile.get("skin_conditions", ())]
    facts += [f"you use {medicine}" for medicine in profile.get("medicines", ())]
    return facts


def _some_of(values: Mapping[str, Any]) -> str:
    """'a, b and c', or 'a, b, c and 1,234 more' when only some of the store's ingredients are named."""
    more = int(values.get("more") or 0)
    return join_words([*values["known"], *([f"{more:,} more"] if more > 0 else [])])


TEMPLATES.update({
    # not an answer from a profile
    "unknown_ingredient": lambda v, n: (f"I don't have verified information on {v['name']}, so I can't answer that "
                                        "for it."),
    "can_tell_about": lambda v, n: f"I can tell you about {_some_of(v)}.",
    "offer_support": lambda v, n: "If you like, I can pass your question to our support team.",
    "which_ingredient": lambda v, n: "Which ingredient do you mean?",
    "which_of_family": lambda v, n: (f"There are several kinds of {v['family']}, and I only have verified "
                                     f"information on {join_words(list(v['choices']))}. Which do you mean?"),
    "assumed_ingredient": lambda v, n: f"Assuming you mean {v['name']}, the ingredient I have verified information on:",
    "cannot_help": lambda v, n: "Sorry, I don't have verified information on that.",
    "out_of_scope": lambda v, n: "That's outside what I can help with: I only answer skincare ingredient questions.",
    "what_i_can_do": lambda v, n: _WHAT_I_CAN_DO,
    "known_ingredients": lambda v, n: f"Right now that's {_some_of(v)}.",
    "offer_person_now": lambda v, n: ("I haven't been able to help with your last questions, so let me offer you a "
                                      "person."),
    "offer_person_later": lambda v, n: "I can also pass your question to our support team.",
    "empty_message": lambda v, n: "It looks like your message was empty. What would you like to know about an "
                                  "ingredient?",
    "store_unavailable": lambda v, n: ("Sorry, I can't reach my ingredient information right now, so I can't answer "
                                       "safely. Please try again in a moment, or ask to talk to a person."),
    "no_ingredients": lambda v, n: "I don't have verified information on any ingredient yet, so I can't answer that.",
    # what we remember about the person
    "profile_not_caught": lambda v, n: (
        "Thanks! I didn't quite catch that. You can tell me your skin type (dry, normal, combination, oily, "
        "acne-prone, sensitive or mature), whether you're vegan or vegetarian, pregnant or breastfeeding, or any "
        "allergy, and I'll keep it in mind."),
    "profile_remembered": lambda v, n: f"Got it, I'll keep in mind: {join_words(describe_profile(v['profile']))}.",
    "offer_check": lambda v, n: f"Want me to check {v['ingredient']} against what you've told me?",
    "ask_me": lambda v, n: "Ask me about an ingredient and I'll answer for you.",
})

#: Button titles the renderer adds.
BUTTON_TITLES = {
    "talk_to_person": "Talk to a person",
    "about": "About {name}",
    "does_it_suit_me": "Does it suit me?",
    "which_ingredients": "Which ingredients do you know?",
    "what_can_you_do": "What can you do?",
    "leave_email": "Leave my email for support",
}

# --- What EU rules say (bot.answers.regulation): the annex layer, always labelled as such --------------------

_EU_ROLES = {"colourant": "a colourant", "preservative": "a preservative", "uv_filter": "a UV filter"}
#: What a question on each topic asks about, for "I have no verified information on X's ...".
_TOPIC_SUBJECTS = {
    "what_is": "origin", "contents": "contents", "how_made": "manufacturing", "products": "typical products",
    "benefits": "benefits", "suitability": "suitability for skin types", "diet": "suitability for diets such as "
    "vegan or vegetarian", "life_stage": "safety in pregnancy or while breastfeeding", "sun": "effect on sun "
    "sensitivity", "allergy": "allergy risks", "side_effects": "side effects", "reaction_advice": "reactions",
    "comedogenic": "effect on pores", "patch_test": "patch testing", "treatment": "effect on skin conditions",
    "medicines": "use with medicines", "results_timing": "time to results", "usage": "use",
    "skin_condition": "suitability for skin conditions", "children": "use on children",
}


def _cell(text: str) -> str:
    """A multi-line cell of the regulation as one line ("(a) Hair products; (b) Depilatories"), without the
    export's soft hyphens ("pro\u00adducts": typesetting, shown as stray hyphens by some phones)."""
    lines = (" ".join(line.split()).rstrip(";") for line in str(text).replace("\u00ad", "").splitlines())
    return "; ".join(line for line in lines if line).rstrip(".;")


def _day(value: Any) -> str:
    return f"{value.day} {value:%B %Y}" if value else "date not stated"


def _entry(v: Mapping[str, Any]) -> str:
    return f"Annex {v['annex']}, entry {v['reference']}: {_cell(v['chemical_name'])}"


TEMPLATES.update({
    "eu_rules_intro": lambda v, n: "EU rules say (Regulation (EC) No 1223/2009, the EU Cosmetics Regulation):",
    "eu_no_profile": lambda v, n: (f"I don't have a verified profile of {n.text}, but here is what EU rules say "
                                   "(Regulation (EC) No 1223/2009):"),
    "eu_prohibited": lambda v, n: f"{capitalised(n.text)} {n.be} prohibited in cosmetic products ({_entry(v)})",
    "eu_restricted": lambda v, n: (f"{capitalised(n.text)} {n.be} allowed in cosmetic products only within the "
                                   f"restrictions of Annex III ({_entry(v)})"),
    "eu_allowed_as": lambda v, n: (f"{capitalised(n.text)} {n.be} allowed as {_EU_ROLES[v['role']]}"
                                   f"{' (' + v['colour'].lower() + ')' if v.get('colour') else ''}, "
                                   f"within its conditions ({_entry(v)})"),
    "eu_product_types": lambda v, n: f"Where: {_cell(v['text'])}",
    "eu_max_concentration": lambda v, n: f"Maximum concentration in the ready-to-use product: {_cell(v['text'])}",
    "eu_other_conditions": lambda v, n: f"Conditions: {_cell(v['text'])}",
    "eu_warnings": lambda v, n: f"Conditions of use and warnings to be printed on the label: {_cell(v['text'])}",
    "eu_labelled_allergen": lambda v, n: (f"{capitalised(n.text)} {n.be} one of the fragrance allergens that must be "
                                          "named in the ingredient list when above 0.001 % in leave-on products "
                                          "or 0.01 % in rinse-off products"),
    "eu_source": lambda v, n: (f"Source: {v['attribution']}, Annex {v['annex']} entry {v['reference']} of "
                               f"Regulation (EC) No 1223/2009, entry updated {_day(v['updated'])}"),
    "eu_not_listed": lambda v, n: (f"I found no entry for {n.text} in Annexes II to VI of the EU Cosmetics "
                                   "Regulation (the lists of prohibited, restricted and permitted substances; "
                                   "source: CosIng, © European Union), so I can't tell you of any EU rule "
                                   f"that names {n.it}"),
    "no_verified_topic": lambda v, n: (f"I have no verified information on {n.text}'s "
                                       f"{_TOPIC_SUBJECTS.get(v['topic'], v['topic'].replace('_', ' '))}, "
                                       "so I'd rather not guess"),
    "eu_what_i_know": lambda v, n: "What I do know is what EU rules say:",
    "eu_labelled_allergens": lambda v, n: (
        f"EU rules list {v['count']} fragrance allergens that must be named in the ingredient list when above "
        f"0.001 % in leave-on products or 0.01 % in rinse-off products: {join_words(list(v['names']))}"),
    "eu_source_annex": lambda v, n: (f"Source: {v['attribution']}, Annex {v['annex']} of Regulation (EC) No "
                                     f"1223/2009, last updated {_day(v['updated'])}"),
    "eu_ask_one": lambda v, n: "Ask me about any of them for its entry and conditions.",
    "eu_rules_not_loaded": lambda v, n: ("I don't have the EU annex data available right now, so I can't list "
                                         "them reliably."),
})

# --- A pasted ingredient list (bot.answers.label_check): one line per group, flagged groups first ----------

LABEL_VERDICTS = {
    "yes": "suits you", "generally_yes": "generally suits you", "caution": "take care", "avoid": "best avoided",
    "no": "not for you", "unknown": "not enough verified information for you", "info": "ask me for details",
    "no_known_risk": "no known risk", "limited_evidence": "limited evidence", "known_risk": "known risk",
}
_LABEL_ROLES = {"preservative": "preservative", "uv_filter": "UV filter", "colourant": "colourant"}


#: The short SMS line per entry status (bot.answers.label_check's `label` rows), most important first.
SMS_LABEL_STATUS = {
    "prohibited": "banned in EU cosmetics", "restricted": "EU-restricted", "for_you": "for you: take care",
    "allergen": "allergen to be labelled", "profiled": "", "preservative": "allowed as a preservative",
    "uv_filter": "allowed as a UV filter",
    "colourant": "allowed as a colourant", "unknown": "no verified info",
}


def sms_label_line(number: int, name: str, what: str) -> str:
    """'4. Linalool: EU-restricted; allergen to be labelled' (one SMS line)."""
    from knowledge.annexes.names import spoken_name

    return f"{number}. {spoken_name(name)}: {what}"


def you_react_to(allergies: Sequence[str]) -> str:
    """'you told me you react to fragrance': the reason an entry is flagged for the person's allergy."""
    return f"you told me you react to {join_words(list(allergies))}"


def _numbered(item: Mapping[str, Any], detail: str = "") -> str:
    from knowledge.annexes.names import spoken_name

    return f"{item['number']}. {spoken_name(str(item['name']))}{f' ({detail})' if detail else ''}"


def _items(items: Sequence[Mapping[str, Any]], detail: Callable[[Mapping[str, Any]], str] = lambda i: "") -> str:
    return "; ".join(_numbered(item, detail(item)) for item in items)


TEMPLATES.update({
    "label_intro": lambda v, n: f"I checked the {v['count']} ingredients on this label:",
    "label_prohibited": lambda v, n: "Prohibited in EU cosmetics (Annex II): " + _items(
        v["items"], lambda i: "entry " + ", ".join(i["references"])),
    "label_restricted": lambda v, n: "Restricted in the EU (Annex III): " + _items(
        v["items"], label_restriction),
    "label_your_allergy": lambda v, n: (f"For you ({you_react_to(v['allergies'])}), take care with: " + _items(
        v["items"], lambda i: "a fragrance allergen named on labels" if i["allergen"] else "")),
    "label_allergens": lambda v, n: ("Fragrance allergens that must be named on labels above 0.001 % (leave-on) "
                                     "or 0.01 % (rinse-off): " + _items(v["items"])),
    "label_profiled": lambda v, n: "From my verified profiles, for you: " + _items(
        v["items"], lambda i: LABEL_VERDICTS.get(i["verdict"], i["verdict"])),
    "label_roles": lambda v, n: "Allowed in the EU, within their conditions, as: " + _items(
        v["items"], lambda i: join_words([_LABEL_ROLES[role] for role in i["roles"]]) + label_only_in(i)),
    "label_unknown": lambda v, n: "I have no verified information on: " + _items(v["items"]),
    "label_repeated": lambda v, n: f"Listed more than once (checked once): {join_words(list(v['names']))}",
    "label_source": lambda v, n: (f"EU rules from {v['attribution']} (Annexes II to VI of Regulation (EC) No "
                                  "1223/2009)"),
    "label_ask": lambda v, n: ("Ask me about any entry by its name or number, for example \"tell me more about "
                               f"number {v['number']}\""),
    "label_html": lambda v, n: "That looks like HTML or code rather than an ingredient list, so I didn't read it.",
    "label_too_many": lambda v, n: (f"That list has {v['count']} entries; I can check up to {v['limit']} at a time, "
                                    "so please send it in parts."),
    "label_not_a_list": lambda v, n: "That doesn't look like an ingredient list to me.",
    # SMS: one short numbered line per entry, flagged entries first (bot.answers.render.render_sms_label)
    "sms_label_intro": lambda v, n: f"Checked {v['count']} ingredients:",
    "sms_label_more": lambda v, n: f"...and {v['count']} more. Reply with a number for details.",
    "sms_label_source": lambda v, n: f"EU rules: {v['attribution']}. Reply with a number for details.",
    "label_how_to": lambda v, n: ("To check a label, paste its ingredient list, for example \"Ingredients: Aqua, "
                                  "Glycerin, Parfum (Fragrance), Linalool\", with the entries separated by commas, "
                                  "semicolons or new lines."),
})

# --- The widget's list of a checked label (bot.answers.render.label_list): one heading per group ------------

#: Each group's heading, in the order the widget shows them (flagged groups first).
LABEL_LIST_HEADINGS = {
    "prohibited": "Prohibited in EU cosmetics (Annex II)",
    "restricted": "Restricted in the EU (Annex III)",
    "for_you": "For you: take care with these",
    "allergen": "Fragrance allergens: must be named on labels above 0.001 % (leave-on) or 0.01 % (rinse-off)",
    "role": "Allowed in the EU within their conditions: preservatives, UV filters, colourants",
    "fine": "From my verified profiles, nothing flagged for you",
    "unknown": "I have no verified information on these",
}
#: The summary of each entry's source line(s), which the widget folds away.
LABEL_LIST_SOURCE = "Source"
_CONSIDERED = {
    "allergy": "{} allergy", "intolerance": "{} intolerance", "skin_type": "{} skin", "diet": "{}",
    "life_stage": "{}", "skin_condition": "{}", "medicine": "with {}",
}


def _considered(considered: Sequence[str]) -> str:
    """('allergy:milk protein', 'diet:vegan') -> 'milk protein allergy and vegan'."""
    words = []
    for item in considered:
        kind, _, value = item.partition(":")
        if value:
            words.append(_CONSIDERED.get(kind, "{}").format(value))
    return join_words(words)


def label_list_verdict(verdict: str, considered: Sequence[str]) -> str:
    """'take care (milk protein allergy)': the person's verdict on a profiled entry and what it weighed."""
    about = _considered(considered)
    return f"{LABEL_VERDICTS.get(verdict, verdict)}{f' ({about})' if about else ''}"


def label_list_note(group: str, row: Mapping[str, Any]) -> str:
    """The short note after an entry's name in its group: what its heading does not already say."""
    parts: list[str] = []
    if group == "prohibited":
        parts.append("entry " + ", ".join(ref for annex, ref in row.get("entries", ()) if annex == "II"))
    elif group == "restricted":
        parts.append(label_restriction(row))
    if row.get("your_allergies"):
        parts.append(you_react_to(row["your_allergies"]))
    if row.get("verdict"):
        verdict = label_list_verdict(str(row["verdict"]), row.get("considered", ()))
        parts.append(verdict if group in ("for_you", "fine") else f"for you: {verdict}")
    if row.get("allergen") and group != "allergen":
        parts.append("fragrance allergen to be named on labels")
    if row.get("roles"):
        parts.append((join_words([_LABEL_ROLES[r] for r in row["roles"]]) if group == "role" else
                      "also allowed as " + join_words([_LABEL_ROLES_A[r] for r in row["roles"]])) + label_only_in(row))
    return "; ".join(p for p in parts if p)


def label_restriction(item: Mapping[str, Any], prohibited: str = "prohibited") -> str:
    """What an entry's Annex III entries allow: "max 0.5 %", or, for a substance Annex II prohibits except as
    Annex III allows, "prohibited except in artificial nail systems, max 0.02 %" (``prohibited`` says the first
    word: SMS says "banned in EU cosmetics")."""
    references = ", ".join(item.get("references", ()))
    limits = "; ".join(f"max {_cell(limit)}" for limit in item.get("limits", ()))
    if item.get("prohibited_except") is None:
        return limits or f"entry {references}"
    where = "; ".join(_cell(text) for text in item["prohibited_except"])
    allowed = f"in {where}" if where else f"as Annex III entry {references} allows"
    return f"{prohibited} except {allowed}" + (f", {limits}" if limits else "")


def label_only_in(item: Mapping[str, Any]) -> str:
    """", only in rinse-off products, max 0.0015 %": the product types a permitted role is limited to."""
    limited = item.get("only_in") or []
    return "".join(f", only in {_cell(where)}" + (f" (max {_cell(limit)})" if limit else "")
                   for where, limit in limited)


_LABEL_ROLES_A = {"preservative": "a preservative", "uv_filter": "a UV filter", "colourant": "a colourant"}


def label_list_source(source: Mapping[str, Any], attribution: str) -> str:
    """One source line of an entry: its annex entry (with the update date) or the profile it comes from."""
    if "profile" in source:
        titles = join_words(list(source.get("titles") or ()))
        return f"My verified profile of {source['profile']}{f' ({titles})' if titles else ''}"
    updated = dt.date.fromisoformat(source["updated"]) if source.get("updated") else None
    return TEMPLATES["eu_source"]({"attribution": attribution, "annex": source["annex"],
                                   "reference": source["reference"], "updated": updated}, Name(""))

