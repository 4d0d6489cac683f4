"""A label check as staff see it, end to end (real servers, REST channel, staff API and pages): each unknown
entry is a knowledge gap pointing at the conversation, known entries are not, and the conversation carries
the ``label_check`` topic, on its page and on its ticket (filterable in the queue)."""

from __future__ import annotations

import re
import uuid

import pytest
import requests

from tests.triage.test_conversation_stack import eventually, new_sender, staff_api, tickets_for

pytestmark = pytest.mark.servers


def test_a_label_check_is_a_topic_and_its_unknown_entries_are_knowledge_gaps(stack):
    sender = new_sender("label")
    marker = uuid.uuid4().hex[:6]
    unknown = [f"Zorbium {marker} Glycinate", f"Quixol {marker} Extract"]
    label = f"Ingredients: Glycerin, {unknown[0]}, Linalool, Milk Exosomes, Phenoxyethanol, {unknown[1]}"
    [reply] = [m for m in stack.send(sender, label) if "answer" in m]
    assert reply["answer"]["kind"] == "label_check"

    def gaps() -> list[dict]:
        found = [g for g in staff_api(stack, "/gaps")["gaps"] if sender in g["conversation_ids"]]
        return found if len(found) >= 3 else []  # Glycerin and the two made-up names

    found = {g["ingredient"]: g for g in eventually(gaps)}
    assert set(unknown) <= set(found) and "Glycerin" in found
    assert not {"Linalool", "Milk Exosomes", "Phenoxyethanol"} & set(found)  # known to one layer or the other
    assert [found[name]["question"] for name in unknown] == [f"label check: {name}" for name in unknown]
    assert all(found[name]["count"] == 1 for name in unknown)

    # Staff open the conversation from the gap: its topics say it was a label check.
    pages = requests.Session()
    pages.post(f"{stack.web_url}/staff/login", data={"token": stack.staff_token}, timeout=10)
    gap_page = pages.get(f"{stack.web_url}/staff/gaps", timeout=10).text
    assert f"label check: {unknown[0]}" in gap_page
    conversation = pages.get(f"{stack.web_url}/staff/conversation", params={"id": sender}, timeout=10).text
    topics = re.search(r'<p class="topics">(.*?)</p>', conversation, re.S).group(1)
    assert {"label_check", "knowledge_gap"} <= set(re.findall(r'<span class="tag">([^<]+)</span>', topics))

    # Once the person asks for someone, the ticket carries the topic and the queue filters on it.
    stack.send(sender, "I want to talk to a person")
    stack.reply_text(sender, "/affirm")
    stack.reply_text(sender, f"it's label.{marker}@example.com")
    [ticket] = eventually(lambda: tickets_for(stack, sender))
    assert "label_check" in ticket["tags"]
    tagged = staff_api(stack, "/tickets", tag="label_check")["tickets"]
    assert ticket["id"] in [t["id"] for t in tagged]
    assert all("label_check" in t["tags"] for t in tagged)
    queue = pages.get(f"{stack.web_url}/staff", params={"tag": "label_check"}, timeout=10).text
    assert '<option value="label_check" selected>label_check</option>' in queue
    assert f"label.{marker}@example.com" in queue
