"""Deciding what EU rules say about a substance: a :class:`Decision` from its annex entries, no wording.

This is the second layer ("EU rules say..."): it never changes a curated verdict and is never mixed into
one. Every entry it cites carries its own source point (annex, entry reference, update date and the
attribution "CosIng, © European Union"). Topics the annexes don't cover (vegan, pregnancy, pores...) get
an honest "no verified information" first, then what the annexes do say.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from bot.answers.decision import Decision, Point, Verdict, point
from bot.answers.topics import Topic
from knowledge.annexes.facts import ATTRIBUTION, Annex, AnnexEntry, AnnexRole
from knowledge.annexes.names import spoken_name

#: Topics answered with everything the annexes say (the others get "no verified information" first).
EU_TOPICS = (Topic.REGULATION, Topic.SUMMARY, Topic.WHAT_IS)


def eu_status(entries: Sequence[AnnexEntry]) -> str:
    """prohibited (Annex II only), restricted (an Annex III entry), or allowed (a positive list IV-VI)."""
    annexes = {entry.annex for entry in entries}
    if annexes == {Annex.II}:
        return "prohibited"
    if Annex.III in annexes or Annex.II in annexes:
        return "restricted"
    return "allowed"


_VERDICTS = {"prohibited": Verdict.NO, "restricted": Verdict.CAUTION, "allowed": Verdict.YES}


def _status_point(entry: AnnexEntry) -> Point:
    values = {"annex": entry.annex.value, "reference": entry.reference, "chemical_name": entry.chemical_name}
    if entry.role is AnnexRole.PROHIBITED:
        return point("eu_prohibited", **values)
    if entry.role is AnnexRole.RESTRICTED:
        return point("eu_restricted", **values)
    return point("eu_allowed_as", role=entry.role.value, colour=entry.colour, **values)


def _conditions(entry: AnnexEntry) -> list[Point]:
    points = []
    if entry.product_types:
        points.append(point("eu_product_types", text=entry.product_types))
    if entry.max_concentration:
        points.append(point("eu_max_concentration", text=entry.max_concentration))
    if entry.other_conditions and not entry.labelled_allergen:
        points.append(point("eu_other_conditions", text=entry.other_conditions))
    if entry.warnings:
        points.append(point("eu_warnings", text=entry.warnings))
    if entry.labelled_allergen:
        points.append(point("eu_labelled_allergen"))
    return points


def source_point(entry: AnnexEntry) -> Point:
    """The source line of one entry: annex, entry reference, update date, attribution."""
    return point("eu_source", annex=entry.annex.value, reference=entry.reference, updated=entry.updated,
                 attribution=ATTRIBUTION)


def _entries_data(entries: Sequence[AnnexEntry]) -> dict[str, object]:
    return {
        "status": eu_status(entries),
        "roles": list(dict.fromkeys(e.role.value for e in entries)),
        "entries": [{"annex": e.annex.value, "reference": e.reference, "role": e.role.value,
                     "max_concentration": e.max_concentration, "labelled_allergen": e.labelled_allergen,
                     "updated": e.updated.isoformat()} for e in entries],
        "attribution": ATTRIBUTION,
    }


def decide_regulation(name: str, entries: Sequence[AnnexEntry], topic: Topic, *, profiled: bool = False) -> Decision:
    """What EU rules say about ``name`` (its annex entries, at least one), for a question on ``topic``.

    For a topic the annexes don't cover, the answer says so first and then gives the short version
    (status and role per entry, label duty, sources); ``profiled`` says a curated profile exists.
    """
    full = topic in EU_TOPICS
    points: list[Point] = []
    if not full:
        points.append(point("no_verified_topic", topic=topic.value))
        points.append(point("eu_what_i_know"))
    elif topic is not Topic.REGULATION and not profiled:
        points.append(point("eu_no_profile"))
    else:
        points.append(point("eu_rules_intro"))
    for entry in entries:
        points.append(_status_point(entry))
        if full:
            points += _conditions(entry)
        elif entry.labelled_allergen:
            points.append(point("eu_labelled_allergen"))
        points.append(source_point(entry))
    status = eu_status(entries)
    return Decision(topic=topic, ingredient=name, verdict=_VERDICTS[status] if full else Verdict.UNKNOWN,
                    points=tuple(points), follow_ups=() if full else (Topic.REGULATION,),
                    offer_person=not full, tags=("regulation",) if full else ("regulation", "knowledge_gap"),
                    kind="regulation", regulation=_entries_data(entries))


def decide_not_listed(name: str, topic: Topic) -> Decision:
    """A regulation question about a substance no annex lists: say exactly that, and no more."""
    return Decision(topic=topic, ingredient=name, verdict=Verdict.UNKNOWN, points=(point("eu_not_listed"),),
                    offer_person=True, tags=("regulation", "knowledge_gap"), kind="regulation",
                    regulation={"status": "not_listed", "roles": [], "entries": [], "attribution": ATTRIBUTION})


def decide_labelled_allergens(entries: Sequence[AnnexEntry], last_update: date | None) -> Decision:
    """The fragrance allergens that must be named on the label above 0.001 % / 0.01 %, as one list."""
    if not entries:  # a store built without the annex layer: say so, never "0 allergens"
        return Decision(topic=Topic.REGULATION, ingredient=None, verdict=Verdict.UNKNOWN,
                        points=(point("eu_rules_not_loaded"),), offer_person=True, tags=("regulation",),
                        kind="labelled_allergens")
    names = sorted({spoken_name(entry.display_name) for entry in entries}, key=str.casefold)
    points = (point("eu_labelled_allergens", names=names, count=len(names)),
              point("eu_source_annex", annex=Annex.III.value, updated=last_update, attribution=ATTRIBUTION),
              point("eu_ask_one"))
    return Decision(topic=Topic.REGULATION, ingredient=None, verdict=Verdict.INFO, points=points,
                    tags=("regulation",), kind="labelled_allergens",
                    regulation={"status": "labelled_allergens", "roles": [],
                                "entries": [{"annex": e.annex.value, "reference": e.reference,
                                             "name": e.display_name} for e in entries],
                                "attribution": ATTRIBUTION})
