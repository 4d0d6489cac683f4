"""Deciding the answer to one ingredient question, for this person: a :class:`Decision`, no wording.

Shape of every answer: the verdict first, the reasons from the store, then advice; a disclaimer kind
and a professional where the topic touches health. The person's profile always applies: for any
question about using the ingredient, an allergy the store warns about leads, and every other thing
they told us (diet, life stage, intolerances, skin conditions, medicines) follows the asked-about part.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from bot.answers.answer import PersonProfile, Question
from bot.answers.considerations import (
    CHILD,
    allergy_leads,
    allergy_section,
    children_section,
    conditions_section,
    diet_section,
    fact,
    intolerance_section,
    life_stage_section,
    medicines_section,
    skin_type_section,
    skin_types_overview,
)
from bot.answers.decision import Decision, Point, Professional, Section, Verdict, combine, point
from bot.answers.topics import Topic, follow_up_topics
from bot.safety.policy import Risk
from knowledge.facts import IngredientFacts, UsageTopic

# --- Facts about the ingredient -------------------------------------------------------------------------


def _what_is(facts: IngredientFacts, question: Question) -> Section:
    return Section((*fact(facts.description.text), *fact(facts.origin.text),
                    *fact(facts.history.text if facts.history else None)))


def _contents(facts: IngredientFacts, question: Question) -> Section:
    return Section(tuple(fact(facts.contents.text)))


def _how_made(facts: IngredientFacts, question: Question) -> Section:
    return Section((*fact(facts.manufacturing.text), *fact(facts.form.text)))


def _no_info(what: str) -> Section:
    return Section((point("no_info", what=what),), Verdict.UNKNOWN, tags=("knowledge_gap",))


def _products(facts: IngredientFacts, question: Question) -> Section:
    if not facts.product_types:
        return _no_info("the products it appears in")
    return Section((point("product_types", product_types=list(facts.product_types)),
                    *fact(facts.market_status.text if facts.market_status else None)))


def _benefits(facts: IngredientFacts, question: Question) -> Section:
    if not facts.functions:
        return _no_info("its cosmetic functions")
    return Section((point("functions", functions=[f.name for f in facts.functions]),
                    *(point("function_explained", function=f.name, explanation=f.explanation)
                      for f in facts.functions)))


def _sun(facts: IngredientFacts, question: Question) -> Section:
    if facts.sun is None:
        return _no_info("sun sensitivity")
    raises = facts.sun.increases_photosensitivity
    return Section((point("sun_verdict", increases=raises), *fact(facts.sun.explanation),
                    *fact(facts.sun.daytime_advice)), Verdict.YES if raises else Verdict.NO)


def _side_effects(facts: IngredientFacts, question: Question) -> Section:
    if not facts.side_effects:
        return _no_info("side effects")
    on_reaction = facts.usage_advice(UsageTopic.ON_REACTION)
    return Section((*fact(facts.side_effects_overview.text if facts.side_effects_overview else None),
                    *(point("side_effect", effect=e.name, likelihood=e.likelihood.value, description=e.description,
                            at_risk=e.at_risk) for e in facts.side_effects),
                    *fact(on_reaction.advice if on_reaction else None)),
                   Verdict.INFO, Risk.SIDE_EFFECTS, Professional.PHARMACIST, ("side_effects",))


def _reaction_advice(facts: IngredientFacts, question: Question) -> Section:
    on_reaction = facts.usage_advice(UsageTopic.ON_REACTION)
    return Section((point("reaction_steps", advice=on_reaction.advice if on_reaction else None),),
                   Verdict.INFO, Risk.SIDE_EFFECTS, Professional.PHARMACIST, ("side_effects",))


def _comedogenic(facts: IngredientFacts, question: Question) -> Section:
    rating = facts.comedogenic
    if rating is None:
        return _no_info("a comedogenic rating")
    return Section((point("comedogenic_rating", rating=rating.rating), *fact(rating.rationale), *fact(rating.note)))


def _patch_test(facts: IngredientFacts, question: Question) -> Section:
    advice = facts.usage_advice(UsageTopic.PATCH_TEST)
    return Section((point("patch_test_yes"), *fact(advice.advice if advice else None), point("patch_test_method")),
                   Verdict.YES)


def _results_timing(facts: IngredientFacts, question: Question) -> Section:
    points: list[Point] = [point("results_timing_unknown")]
    if facts.functions:
        points.append(point("what_it_does", functions=[f.name for f in facts.functions]))
    return Section(tuple(points), Verdict.UNKNOWN, tags=("ingredient_info",))


def _usage(facts: IngredientFacts, question: Question) -> Section:
    advice = [u.advice for u in facts.usage if u.topic in (UsageTopic.PATCH_TEST, UsageTopic.DAYTIME_USE)]
    points: list[Point] = [point("usage_intro")] if advice else []
    points += [p for text in advice for p in fact(text)]
    if facts.product_types:
        points.append(point("product_types", product_types=list(facts.product_types)))
    points.append(point("usage_unknown"))
    return Section(tuple(points), Verdict.INFO, tags=("usage",))


def _summary(facts: IngredientFacts, question: Question) -> Section:
    suited = [s.skin_type for s in facts.skin_types if s.verdict.value in ("suitable", "generally_tolerated")]
    patch = facts.usage_advice(UsageTopic.PATCH_TEST)
    return Section((*fact(facts.description.text),
                    *([point("used_as", functions=[f.name for f in facts.functions])] if facts.functions else []),
                    *([point("suits_skin_types", skin_types=suited)] if suited else []),
                    *([point("comedogenic_short", rating=facts.comedogenic.rating)] if facts.comedogenic else []),
                    *fact(facts.tolerance.text if facts.tolerance else None),
                    *fact(facts.market_status.text if facts.market_status else None),
                    *fact(patch.advice if patch else None)))


def _treatment(facts: IngredientFacts, question: Question) -> Section:
    points = [point("cosmetic_not_treatment", conditions=list(question.skin_conditions))]
    if facts.functions:
        points.append(point("cosmetic_functions", functions=[f.name for f in facts.functions]))
    return Section(tuple(points), Verdict.NO, Risk.SKIN_CONDITION, Professional.DERMATOLOGIST, ("treatment_claim",))


def _regulation(facts: IngredientFacts, question: Question) -> Section:
    # What EU rules say is the annex layer's answer (bot.answers.regulation, chosen by the action); a profile
    # only adds its own market-status fact, if it has one.
    if facts.market_status is None:
        return _no_info("what EU rules say")
    return Section(tuple(fact(facts.market_status.text)))


_FACT_TOPICS: dict[Topic, Callable[[IngredientFacts, Question], Section]] = {
    Topic.WHAT_IS: _what_is, Topic.CONTENTS: _contents, Topic.HOW_MADE: _how_made, Topic.PRODUCTS: _products,
    Topic.BENEFITS: _benefits, Topic.SUN: _sun, Topic.SIDE_EFFECTS: _side_effects,
    Topic.REACTION_ADVICE: _reaction_advice, Topic.COMEDOGENIC: _comedogenic, Topic.PATCH_TEST: _patch_test,
    Topic.RESULTS_TIMING: _results_timing, Topic.USAGE: _usage, Topic.SUMMARY: _summary,
    Topic.TREATMENT: _treatment, Topic.REGULATION: _regulation,
}

# --- About the person -----------------------------------------------------------------------------------

#: Questions about using the ingredient: the whole profile applies to these.
PERSONAL_TOPICS = (Topic.SUITABILITY, Topic.SKIN_CONDITION, Topic.DIET, Topic.LIFE_STAGE, Topic.CHILDREN,
                   Topic.ALLERGY, Topic.MEDICINES, Topic.USAGE)
#: Questions about what can go wrong: an allergy the store warns about leads these too.
ALLERGY_LED_TOPICS = (*PERSONAL_TOPICS, Topic.SIDE_EFFECTS, Topic.REACTION_ADVICE, Topic.PATCH_TEST)


def person_for(question: Question, profile: PersonProfile) -> PersonProfile:
    """The person's profile with what this question names about them added (a child is not the asker)."""
    stages = [s for s in question.life_stages if s != CHILD]
    return PersonProfile(
        skin_type=question.skin_types[0] if question.skin_types else profile.skin_type,
        diet=question.diets[0] if question.diets else profile.diet,
        life_stage=stages[0] if stages else profile.life_stage,
        allergies=tuple(dict.fromkeys((*profile.allergies, *question.allergens))),
        skin_conditions=tuple(dict.fromkeys((*profile.skin_conditions, *question.skin_conditions))),
        intolerances=tuple(dict.fromkeys((*profile.intolerances, *question.intolerances))),
        medicines=tuple(dict.fromkeys((*profile.medicines, *question.medicines, *question.used_with))),
    )


def _facet_sections(facts: IngredientFacts, person: PersonProfile, question: Question,
                    skip: set[str]) -> list[Section]:
    """One section per thing known about the person, except the facets in `skip` and leading allergies."""
    sections: list[Section] = []
    for_child = CHILD in question.life_stages
    if "skin_type" not in skip and person.skin_type:
        sections.append(skin_type_section(facts, person.skin_type))
    if "diet" not in skip and person.diet:
        sections.append(diet_section(facts, person.diet))
    if "life_stage" not in skip:
        if for_child:
            sections.append(children_section(facts))
        elif person.life_stage:
            sections.append(life_stage_section(facts, person.life_stage))
    if "allergy" not in skip:
        sections += [allergy_section(facts, a) for a in person.allergies if a not in _leading(facts, person)]
        sections += [intolerance_section(facts, i) for i in person.intolerances]
    if "skin_condition" not in skip and person.skin_conditions:
        sections.append(conditions_section(facts, person.skin_conditions, for_child))
    if "medicine" not in skip and person.medicines:
        sections.append(medicines_section(facts, person.medicines))
    return sections


def _leading(facts: IngredientFacts, person: PersonProfile) -> tuple[str, ...]:
    return tuple(s.considered[0].split(":", 1)[1] for s in allergy_leads(facts, person.allergies))


def _main_personal(facts: IngredientFacts, question: Question, person: PersonProfile) -> tuple[Section, set[str]]:
    """The asked-about section of a personal question, and which facets it already covers."""
    topic = question.topic
    if topic is Topic.DIET:
        diets = question.diets or ((person.diet,) if person.diet else ()) or tuple(d.diet for d in facts.diets)
        return _merge([diet_section(facts, d) for d in diets]) if diets else _no_info("diets"), {"diet"}
    if topic is Topic.LIFE_STAGE:
        stages = [s for s in question.life_stages if s != CHILD] or ([person.life_stage] if person.life_stage else [])
        stages = stages or [s.life_stage for s in facts.life_stages]
        return _merge([life_stage_section(facts, s) for s in stages]), {"life_stage"}
    if topic is Topic.CHILDREN:
        return children_section(facts), {"life_stage"}
    if topic is Topic.ALLERGY:
        sections = [allergy_section(facts, a) for a in person.allergies]
        sections += [intolerance_section(facts, i) for i in person.intolerances]
        if not sections:
            sections = [allergy_section(facts, a.allergen) for a in facts.allergens] or [_no_info("allergens")]
        patch = facts.usage_advice(UsageTopic.PATCH_TEST)
        sections.append(Section(tuple(fact(patch.advice if patch else None))))
        return _merge(sections), {"allergy"}
    if topic is Topic.SKIN_CONDITION:
        return conditions_section(facts, person.skin_conditions, CHILD in question.life_stages), {"skin_condition"}
    if topic is Topic.MEDICINES:
        return medicines_section(facts, person.medicines), {"medicine"}
    if topic is Topic.USAGE:
        return _usage(facts, question), set()
    # Suitability: the skin type asked about, else theirs, else an overview when we know nothing about them.
    if person.skin_type:
        return skin_type_section(facts, person.skin_type), {"skin_type"}
    if person.is_empty and CHILD not in question.life_stages:
        return skin_types_overview(facts), {"skin_type"}
    return Section(()), {"skin_type"}


def _merge(sections: list[Section]) -> Section:
    """Several sections of one kind as one (verdict of the first)."""
    if len(sections) == 1:
        return sections[0]
    first = sections[0]
    return Section(tuple(p for s in sections for p in s.points), first.verdict,
                   max((s.risk for s in sections), key=lambda r: r is not Risk.NONE),
                   next((s.professional for s in sections if s.professional), None),
                   tuple(dict.fromkeys(t for s in sections for t in s.tags)),
                   tuple(dict.fromkeys(c for s in sections for c in s.considered)))


def decide(facts: IngredientFacts, question: Question, profile: PersonProfile) -> Decision:
    """The decided answer to one ingredient question, for this person."""
    topic = question.topic
    person = person_for(question, profile)
    follow_ups = follow_up_topics(topic)
    lead = allergy_leads(facts, person.allergies) if topic in ALLERGY_LED_TOPICS else []
    if topic is Topic.ALLERGY:
        lead = []  # the allergy is the answer itself
    if topic not in PERSONAL_TOPICS:
        main = _FACT_TOPICS[topic](facts, question)
        return combine(topic, facts.name, main, lead, [], follow_ups, offer_person=main.verdict is Verdict.UNKNOWN
                       and topic is not Topic.RESULTS_TIMING)
    main, covered = _main_personal(facts, question, person)
    if topic not in (Topic.SUITABILITY, Topic.SKIN_CONDITION):
        covered = covered | {"skin_type"}
    extra = _facet_sections(facts, person, question, covered | ({"allergy"} if lead else set()))
    if lead:  # the leading allergies are said once; other allergies and intolerances still follow
        extra += [allergy_section(facts, a) for a in person.allergies if a not in _leading(facts, person)]
        extra += [intolerance_section(facts, i) for i in person.intolerances]
    if not main.points and extra:
        main, extra = extra[0], extra[1:]
    patch = facts.usage_advice(UsageTopic.PATCH_TEST)
    if topic is Topic.SUITABILITY and patch and main.points:
        extra.append(Section(tuple(fact(patch.advice))))
    decision = combine(topic, facts.name, main, lead, extra, follow_ups)
    return replace(decision, offer_person=decision.verdict is Verdict.UNKNOWN and topic is not Topic.CHILDREN)


def decide_reaction(ingredient: str | None, on_reaction_advice: str | None) -> Decision:
    """A reaction the person has now (not an emergency): what to do, with the profile's own "on reaction"
    advice when the ingredient is known, and that support staff will follow up."""
    return Decision(topic=Topic.REACTION_ADVICE, ingredient=ingredient, verdict=Verdict.INFO,
                    points=(point("sorry_reacting"), point("reaction_steps", advice=on_reaction_advice),
                            point("flagged_for_support")),
                    risk=Risk.REACTION, professional=Professional.PHARMACIST, tags=("reaction",), kind="reaction")
