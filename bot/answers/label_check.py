"""Deciding the reply to a pasted ingredient list: one compact :class:`Decision`, flagged entries first.

Each entry is numbered in label order. Curated ingredients get the person's personalised verdict (the
same decider as a suitability question); the EU layer adds prohibited entries, restricted ones with their
maximum concentration, the fragrance allergens that must be labelled, and preservatives, UV filters and
colourants with their permitted status; every entry neither layer knows is listed honestly. A person who told
us of an allergy the vocabulary ties to labelled allergens (``label_allergies``: fragrance) has those entries,
and the fragrance entry itself, flagged for them, with their allergy as the reason.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from bot.answers.answer import PersonProfile, Question
from bot.answers.deciders import decide
from bot.answers.decision import Decision, Point, Professional, Verdict, point
from bot.answers.topics import Topic
from bot.nlu.ingredient_lists import MAX_ENTRIES, IngredientList
from bot.safety.policy import Risk
from knowledge.annexes.facts import ATTRIBUTION, AnnexEntry, AnnexRole
from knowledge.annexes.names import name_key
from knowledge.facts import IngredientFacts
from knowledge.vocabulary import Vocabulary, load_vocabulary

_ROLES = (AnnexRole.PRESERVATIVE, AnnexRole.UV_FILTER, AnnexRole.COLOURANT)
_SEVERAL_KINDS = re.compile(r"\(?[a-z]\)\s")  # "a) Rinse-off products ... b) Leave-on products"


#: Curated verdicts that concern the person: their entry is flagged (a plain "no information" too, when it is
#: about something they told us, such as an allergy).
CONCERNING = frozenset({Verdict.CAUTION, Verdict.AVOID, Verdict.NO, Verdict.KNOWN_RISK, Verdict.LIMITED_EVIDENCE})


def _concerns(decision: Decision) -> bool:
    return decision.verdict in CONCERNING or (decision.verdict is Verdict.UNKNOWN and bool(decision.considered))


def _sources(facts: IngredientFacts | None, entries: Sequence[AnnexEntry]) -> list[dict[str, object]]:
    """Where each part of an entry's row comes from: the annex entries (with their update date), the profile."""
    found: list[dict[str, object]] = [{"annex": e.annex.value, "reference": e.reference,
                                       "updated": e.updated.isoformat() if e.updated else None} for e in entries]
    if facts is not None:
        found.append({"profile": facts.name, "titles": list(dict.fromkeys(s.title for s in facts.sources))})
    return found


def label_allergies(profile: PersonProfile, vocabulary: Vocabulary) -> tuple[tuple[str, ...], frozenset[str]]:
    """The person's allergies that labelled allergens concern, and the label names (as keys) of the entry itself."""
    allergies = tuple(a for a in profile.allergies if a in vocabulary.label_allergies)
    names = frozenset(name_key(n) for a in allergies for n in vocabulary.label_allergies[a])
    return allergies, names


def decide_label_check(parsed: IngredientList, curated: Mapping[str, IngredientFacts | None],
                       listed: Mapping[str, Sequence[AnnexEntry]], profile: PersonProfile,
                       vocabulary: Vocabulary | None = None) -> Decision:
    """The reply to one pasted list (``parsed`` must have entries; bad input goes to :func:`label_problem`).

    Besides the points (one per group), ``regulation["label"]`` holds one row per entry in label order:
    its status, annex entries, EU flags (allergen, roles, limits), the person's verdict and the sources; an
    entry flagged for the person's allergy (see :func:`label_allergies`) has ``your_allergies`` and
    ``concerns_you``. ``vocabulary`` defaults to knowledge/vocabulary.yml."""
    yours, own_names = label_allergies(profile, vocabulary or load_vocabulary())
    prohibited, restricted, allergens, roles, profiled, unknown, mine = [], [], [], [], [], [], []
    rows = []
    for number, name in enumerate(parsed.entries, start=1):
        facts, entries = curated.get(name), list(listed.get(name, ()))
        annexes = {e.annex.role for e in entries}
        item = {"number": number, "name": name}
        status = "unknown"
        row: dict[str, object] = {}
        if facts is not None:
            personal = decide(facts, Question(Topic.SUITABILITY), profile)
            profiled.append({**item, "verdict": personal.verdict.value})
            status = "profiled"
            row.update(verdict=personal.verdict.value, considered=list(personal.considered),
                       concerns_you=_concerns(personal))
        limits: list[str] = []
        if annexes == {AnnexRole.PROHIBITED}:
            prohibited.append({**item, "references": [e.reference for e in entries]})
            status = "prohibited"
        elif AnnexRole.RESTRICTED in annexes or AnnexRole.PROHIBITED in annexes:
            limits = [e.max_concentration for e in entries if e.max_concentration and e.role is AnnexRole.RESTRICTED]
            exception: dict[str, object] = {
                "limits": limits, "references": [e.reference for e in entries if e.role is AnnexRole.RESTRICTED]}
            if AnnexRole.PROHIBITED in annexes:  # prohibited (Annex II) except where its Annex III entry allows it
                exception["prohibited_except"] = [e.product_types for e in entries
                                                  if e.role is AnnexRole.RESTRICTED and e.product_types]
            restricted.append({**item, **exception})
            row.update(exception)
            status = "restricted"
        allergen = any(e.labelled_allergen for e in entries)
        concerned = bool(yours) and (allergen or name_key(name) in own_names)
        if concerned:  # the person's own group, in place of the general allergen (or unknown) one
            mine.append({**item, "allergen": allergen})
            row.update(your_allergies=list(yours), concerns_you=True)
        elif allergen:
            allergens.append(item)
        item_roles = [role.value for role in _ROLES if role in annexes]
        # A permitted role limited to one kind of product (a preservative "Rinse-off" only, a UV filter in "Face
        # products"): the limit is the news. Cells listing (a), (b)... cover several kinds, each with its own
        # maximum: the entry's source line has them.
        only_in = [(e.product_types, e.max_concentration) for e in entries
                   if e.role in _ROLES and e.product_types and not _SEVERAL_KINDS.match(e.product_types.strip())
                   ] if item_roles else []
        if only_in:
            row["only_in"] = only_in
        if item_roles:
            roles.append({**item, "roles": item_roles, "only_in": only_in})
            status = item_roles[0] if status == "unknown" else status
        if facts is None and not entries and not concerned:
            unknown.append(item)
        rows.append({**item, "status": status, "entries": [[e.annex.value, e.reference] for e in entries],
                     "allergen": allergen, "roles": item_roles, "limits": limits, **row,
                     "sources": _sources(facts, entries)})
    points: list[Point] = [point("label_intro", count=len(parsed.entries))]
    for template, items in (("label_prohibited", prohibited), ("label_restricted", restricted),
                            ("label_your_allergy", mine), ("label_allergens", allergens),
                            ("label_profiled", profiled), ("label_roles", roles), ("label_unknown", unknown)):
        if items:
            points.append(point(template, items=items, **({"allergies": list(yours)} if items is mine else {})))
    if parsed.repeated:
        points.append(point("label_repeated", names=list(parsed.repeated)))
    if prohibited or restricted or allergens or roles or any(i["allergen"] for i in mine):
        points.append(point("label_source", attribution=ATTRIBUTION))
    example = next((group[0]["number"] for group in (prohibited, restricted, mine, allergens, profiled, roles)
                    if group), 1)
    points.append(point("label_ask", number=example))
    flagged = bool(prohibited or restricted or allergens or mine)
    return Decision(topic=None, ingredient=None, verdict=Verdict.CAUTION if flagged else Verdict.INFO,
                    points=tuple(points), tags=("label_check", *(("knowledge_gap",) if unknown else ())),
                    risk=Risk.ALLERGY if mine else Risk.NONE, professional=Professional.ALLERGIST if mine else None,
                    kind="label_check", regulation={"attribution": ATTRIBUTION, "label": rows,
                                                    "entries": [], "status": "label_check", "roles": []})


def label_problem(parsed: IngredientList) -> Decision:
    """A clear reply when a pasted list can't be checked (HTML, too long, not a list)."""
    values = {"limit": MAX_ENTRIES, "count": parsed.count}
    return Decision(topic=None, ingredient=None, verdict=Verdict.UNKNOWN,
                    points=(point(f"label_{parsed.problem}", **values), point("label_how_to")),
                    tags=("label_check",), kind="label_problem")

