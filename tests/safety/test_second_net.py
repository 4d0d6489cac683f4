"""The second net under the emergency rules (bot.safety.second_net): it may raise a verdict, never lower one;
it is built reproducibly, never from the held-out half nor from dev_extra3's untouched half."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.safety import emergency, second_net
from bot.safety.emergency import EmergencyKind, SafetyVerdict, assess_message
from bot.safety.evaluation import evaluate, load_half, split_items
from bot.safety.second_net import SecondNet


class FixedNet(SecondNet):
    """A stand-in that gives one answer to every message (the trained weights are tested apart)."""

    def __init__(self, kind: str | None) -> None:
        super().__init__(["anaphylaxis", "burn", "eye", "none", "swallowed"], [0.0] * 5, {})
        self.kind = kind

    def raises(self, text: str) -> str | None:
        return self.kind


def use_net(monkeypatch: pytest.MonkeyPatch, net: SecondNet | None) -> None:
    monkeypatch.setattr(emergency, "_second_net", lambda: net)


def test_a_sure_net_raises_a_message_the_rules_let_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "my nose bled a bit after the serum"  # no rule matches it
    use_net(monkeypatch, None)
    assert assess_message(text).verdict is SafetyVerdict.NONE
    use_net(monkeypatch, FixedNet("burn"))
    raised = assess_message(text)
    assert (raised.verdict, raised.kind) == (SafetyVerdict.EMERGENCY, EmergencyKind.BURN)
    assert raised.evidence == emergency.NET_EVIDENCE


def test_a_net_that_is_not_sure_changes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    use_net(monkeypatch, FixedNet(None))
    assert assess_message("my nose bled a bit after the serum").verdict is SafetyVerdict.NONE
    assert assess_message("i cant breathe").kind is EmergencyKind.ANAPHYLAXIS
    assert assess_message("hives everywhere").verdict is SafetyVerdict.ASK


def test_the_net_never_changes_a_rule_emergency(monkeypatch: pytest.MonkeyPatch) -> None:
    use_net(monkeypatch, FixedNet("swallowed"))
    assessment = assess_message("i cant breathe and my lips are swelling")
    assert (assessment.verdict, assessment.kind) == (SafetyVerdict.EMERGENCY, EmergencyKind.ANAPHYLAXIS)


def test_the_net_never_changes_a_triage_question(monkeypatch: pytest.MonkeyPatch) -> None:
    use_net(monkeypatch, FixedNet("eye"))
    assessment = assess_message("hives everywhere")
    assert (assessment.verdict, assessment.kind) == (SafetyVerdict.ASK, EmergencyKind.ANAPHYLAXIS)


@pytest.mark.parametrize("text", [
    "i dont have swollen lips, only dry ones",  # negated
    "what should i do if my toddler drinks the toner",  # hypothetical
    "got a drop in my eye, rinsed it and its fine now",  # over
    "i had anaphylaxis to peanuts as a kid",  # history
])
def test_the_net_never_overrules_what_the_context_took_back(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    use_net(monkeypatch, FixedNet("anaphylaxis"))
    assert assess_message(text).verdict is SafetyVerdict.NONE


def test_the_net_reads_folded_words_and_skips_overlong_messages() -> None:
    weights = {gram: [1.0, 5.0, 0.0] for gram in second_net.char_ngrams("throat")}
    net = SecondNet(["anaphylaxis", "none"], [0.0, 0.0], weights)
    assert net.raises("oh no my THROAT") == "anaphylaxis"
    assert net.raises("oh no my xyz qq") is None  # no known n-gram
    assert net.raises("throat") is None  # too few words to judge
    assert net.raises("throat " * (second_net.MAX_CHARS // 7 + 1)) is None
    weak = {gram: [1.0, 0.1, 0.0] for gram in second_net.char_ngrams("throat")}
    low = SecondNet(["anaphylaxis", "none"], [0.0, 3.0], weak)
    verdict = low.assess("oh no my throat")
    assert verdict is not None and verdict.emergency_probability < second_net.EMERGENCY_THRESHOLD
    assert low.raises("oh no my throat") is None


def test_training_never_reads_the_held_out_half() -> None:
    with pytest.raises(ValueError, match="heldout"):
        second_net.training_examples((("heldout", None),))


def test_training_leaves_out_dev_extra3s_untouched_half() -> None:
    texts, _ = second_net.training_examples()
    data = load_half("dev_extra3")
    untouched = {item["text"] for label in ("emergencies", "near_misses") for item in split_items(data[label], "b")}
    tuned = {item["text"] for label in ("emergencies", "near_misses") for item in split_items(data[label], "a")}
    assert untouched and not untouched & set(texts)
    assert tuned <= set(texts)


def test_the_build_is_reproducible_and_rebuilt_only_when_the_corpus_changes(tmp_path: Path) -> None:
    texts, labels = second_net.training_examples((("dev", "a"),), with_ordinary=False)
    first, second = tmp_path / "one.json", tmp_path / "two.json"
    digest = second_net.corpus_digest(texts, labels)
    second_net.save(second_net.train(texts, labels), digest, first)
    second_net.save(second_net.train(texts, labels), digest, second)
    assert first.read_bytes() == second.read_bytes()
    assert second_net.saved_digest(first) == digest
    assert second_net.corpus_digest(texts[1:], labels[1:]) != digest
    net = second_net.load(first)
    assert net is not None and net.classes == ["anaphylaxis", "burn", "eye", "none", "swallowed"]


def test_a_missing_net_means_rules_only_and_a_damaged_one_names_its_file(tmp_path: Path) -> None:
    assert second_net.load(tmp_path / "absent.json") is None
    damaged = tmp_path / "damaged.json"
    damaged.write_text('{"format": 99}', encoding="utf-8")
    with pytest.raises(ValueError, match="damaged.json"):
        second_net.load(damaged)


def test_dev_extra3_halves_are_the_even_and_odd_positions() -> None:
    items = [{"text": str(number)} for number in range(5)]
    assert [item["text"] for item in split_items(items, "a")] == ["0", "2", "4"]
    assert [item["text"] for item in split_items(items, "b")] == ["1", "3"]
    assert split_items(items, None) == items
    with pytest.raises(ValueError, match="subset"):
        split_items(items, "c")
    whole = evaluate("dev_extra3")
    halves = [evaluate("dev_extra3", subset=subset) for subset in ("a", "b")]
    assert sum(half.emergencies["all"] for half in halves) == whole.emergencies["all"]
    assert sum(half.near_misses["all"] for half in halves) == whole.near_misses["all"]
    assert halves[1].half == "dev_extra3[b]"
