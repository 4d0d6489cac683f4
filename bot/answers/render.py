"""Saying a decided answer: the one renderer that turns a :class:`Decision` into text and buttons.

The wording comes from ``bot.answers.templates`` (the disclaimers too); the decision
itself travels with the text as data (``Answer.data``), so channels and tests can read the topic,
verdict, disclaimer kind and professional without parsing sentences.
"""

from __future__ import annotations

from dataclasses import replace

from bot.answers.answer import Answer
from bot.answers.decision import Decision
from bot.answers.templates import (
    BUTTON_TITLES,
    LABEL_LIST_HEADINGS,
    LABEL_LIST_SOURCE,
    LABEL_VERDICTS,
    SMS_LABEL_STATUS,
    TEMPLATES,
    Name,
    disclaimer_for,
    label_list_note,
    label_list_source,
    label_only_in,
    label_restriction,
    sms_label_line,
    you_react_to,
)
from bot.answers.topics import TOPIC_TAGS, Button, Topic, ask_button, follow_up_title
from bot.safety.claims import treatment_claims

HANDOFF_PAYLOAD = "/request_human"


def sentence(text: str) -> str:
    """Text as a sentence: capitalised first letter, closing full stop."""
    text = " ".join(text.split())
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?:" else f"{text}."


def render_text(decision: Decision) -> str:
    """The decision's points as one paragraph."""
    name = Name(decision.ingredient or "")
    parts = (sentence(TEMPLATES[p.template](p.values, name)) for p in decision.points)
    # A checked label reads as a list: one line per group of entries.
    return ("\n" if decision.kind == "label_check" else " ").join(p for p in parts if p)


#: One SMS stays readable (and under Twilio's 1,600-character body limit) with at most this many lines.
SMS_LABEL_LINES = 25


def render_sms_label(decision: Decision) -> str:
    """A checked label for SMS: short numbered lines, one per entry, flagged entries first."""
    data = decision.regulation or {}
    rows = list(data.get("label") or [])
    allergens = {item["number"] for p in decision.points if p.template == "label_allergens"
                 for item in p.values["items"]}
    verdicts = {item["number"]: item["verdict"] for p in decision.points if p.template == "label_profiled"
                for item in p.values["items"]}
    order = list(SMS_LABEL_STATUS)

    def status(row: dict) -> str:
        if row.get("your_allergies") and label_group(row) == "for_you":  # as the list layout groups it
            return "for_you"
        if row["status"] in ("prohibited", "restricted"):
            return row["status"]
        return "allergen" if row["number"] in allergens else row["status"]

    def what(row: dict) -> str:
        found = status(row)
        if row.get("your_allergies"):  # "for you: take care (you told me you react to fragrance)"
            reason = you_react_to(row["your_allergies"])
            words = f"{SMS_LABEL_STATUS['for_you']} ({reason})" if found == "for_you" else (
                f"{SMS_LABEL_STATUS[found]}; {SMS_LABEL_STATUS['for_you']} ({reason})")
            return f"{words}; {SMS_LABEL_STATUS['allergen']}" if row.get("allergen") else words
        if found == "profiled":
            return LABEL_VERDICTS.get(verdicts.get(row["number"], "info"), "ask me for details")
        words = SMS_LABEL_STATUS.get(found, found)
        if found == "restricted" and row.get("prohibited_except") is not None:  # "banned in EU cosmetics except in ..."
            words = label_restriction(row, prohibited=SMS_LABEL_STATUS["prohibited"])
        elif row.get("only_in") and found in row.get("roles", ()):
            words += label_only_in(row)
        if found != "allergen" and row["number"] in allergens:  # e.g. restricted and a labelled allergen
            words = f"{words}; {SMS_LABEL_STATUS['allergen']}"
        return words

    ranked = sorted(rows, key=lambda row: (order.index(status(row)) if status(row) in order else len(order),
                                           row["number"]))
    lines = [TEMPLATES["sms_label_intro"]({"count": len(rows)}, Name(""))]
    lines += [sms_label_line(row["number"], str(row["name"]), what(row)) for row in ranked[:SMS_LABEL_LINES]]
    if len(ranked) > SMS_LABEL_LINES:
        lines.append(TEMPLATES["sms_label_more"]({"count": len(ranked) - SMS_LABEL_LINES}, Name("")))
    elif any(p.template == "label_source" for p in decision.points):
        lines.append(TEMPLATES["sms_label_source"]({"attribution": data.get("attribution", "")}, Name("")))
    return "\n".join(lines)


#: What a client that lays the label list out itself finds under ``type`` (bot/web/static/chat.js).
LABEL_LIST_TYPE = "label_check"


def label_group(row: dict) -> str:
    """Which heading of the widget's list an entry goes under (each entry once, its most pressing group)."""
    if row["status"] == "prohibited":
        return "prohibited"
    if row["status"] == "restricted" and (row.get("limits") or not row.get("allergen")):
        return "restricted"  # a restriction beyond naming an allergen on the label
    if row.get("concerns_you"):
        return "for_you"
    if row.get("allergen"):
        return "allergen"
    if row.get("roles"):
        return "role"
    return "fine" if row.get("verdict") else "unknown"


def label_list(decision: Decision) -> dict:
    """A checked label as data for a client to lay out as lists: a heading per group, flagged groups first,
    every entry once with its label number, its name as written on the label, a short note and its source
    lines; the title and footer are the text's own sentences."""
    data = decision.regulation or {}
    attribution = str(data.get("attribution", ""))
    groups: dict[str, list[dict]] = {key: [] for key in LABEL_LIST_HEADINGS}
    for row in data.get("label") or []:
        group = label_group(row)
        groups[group].append({
            "number": row["number"], "name": str(row["name"]), "note": label_list_note(group, row),
            "sources": [label_list_source(source, attribution) for source in row.get("sources", ())],
        })
    shown = [{"group": key, "heading": LABEL_LIST_HEADINGS[key], "items": items}
             for key, items in groups.items() if items]
    title = next((sentence(TEMPLATES[p.template](p.values, Name(""))) for p in decision.points
                  if p.template == "label_intro"), "")
    footer = [sentence(TEMPLATES[p.template](p.values, Name(""))) for p in decision.points
              if p.template in ("label_repeated", "label_source", "label_ask")]
    return {"type": LABEL_LIST_TYPE, "title": title, "groups": shown, "footer": footer,
            "source_label": LABEL_LIST_SOURCE}


def _buttons(decision: Decision) -> tuple[Button, ...]:
    person = Button(BUTTON_TITLES["talk_to_person"], HANDOFF_PAYLOAD)
    kind = decision.kind
    if kind == "which_ingredient":
        topic = decision.topic or Topic.SUMMARY
        return tuple(ask_button(name, topic, name) for name in decision.ingredient_choices[:10])
    if kind in ("unknown_ingredient", "cannot_help"):
        about = tuple(ask_button(BUTTON_TITLES["about"].format(name=k), Topic.SUMMARY, k)
                      for k in decision.ingredient_choices[: 3 if kind == "unknown_ingredient" else 2])
        return (*about, person) if decision.offer_person else about
    if kind == "profile":
        if decision.ingredient:
            return (ask_button(BUTTON_TITLES["does_it_suit_me"], Topic.SUITABILITY, decision.ingredient),)
        return (ask_button(BUTTON_TITLES["which_ingredients"], Topic.SUMMARY, None),)
    if kind == "empty_message":
        return (Button(BUTTON_TITLES["what_can_you_do"], "/help"),)
    if kind in ("store_unavailable", "no_ingredients"):
        return (person,)
    if kind == "reaction":
        return (Button(BUTTON_TITLES["leave_email"], HANDOFF_PAYLOAD),)
    follow_ups = tuple(ask_button(follow_up_title(t), t, decision.ingredient) for t in decision.follow_ups)
    return (*follow_ups[:2], person) if decision.offer_person else follow_ups


def render(decision: Decision, layout: str = "chat") -> Answer:
    """The reply as the person reads it: text, disclaimer for its risk, buttons, tags and the data.

    ``layout="sms"`` gives a checked label as short numbered lines; ``layout="list"`` adds it as lists to lay out
    (``Answer.view``, see :func:`label_list`) beside the plain text; other answers read the same anywhere."""
    label = decision.kind == "label_check"
    text = render_sms_label(decision) if layout == "sms" and label else render_text(decision)
    claims = treatment_claims(text) if decision.kind == "answer" else []
    if claims:  # a profile must never make us claim a cure: refuse to compose it, and fail loudly in tests
        raise ValueError(f"answer for {decision.ingredient!r} makes a treatment claim: {claims}")
    tags = decision.tags or ((TOPIC_TAGS[decision.topic],) if decision.topic else ())
    if decision.kind == "answer" and decision.offer_person and "knowledge_gap" not in tags:
        tags = (*tags, "knowledge_gap")
    answer = Answer(text=text, disclaimer=disclaimer_for(decision.risk), buttons=_buttons(decision),
                    tags=tuple(dict.fromkeys(tags)), risk=decision.risk, data=decision.as_data())
    if layout == "list" and label:  # shown in place of the text: it ends with the same disclaimer, if any
        view = label_list(decision)
        view["footer"] += [answer.full_text.removeprefix(answer.text).strip()] if answer.disclaimer else []
        answer = replace(answer, view=view)
    return answer
