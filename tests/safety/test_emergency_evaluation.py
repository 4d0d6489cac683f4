"""How the emergency detector is measured: recall and false alarms counted as the quality bar says, the
held-out half reported in counts only, and the speed-up that skips sentences never changing a verdict."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.quality import check_emergency_detector
from bot.safety import emergency
from bot.safety.evaluation import RECALL_BAR, RECALL_FLOOR, dev_parts, evaluate, format_report, load_half

CORPUS = {
    "emergencies": [
        {"text": "no i cant breathe", "kind": "anaphylaxis", "lang": "en"},  # caught
        {"text": "mon visage gonfle", "kind": "anaphylaxis", "lang": "fr"},  # caught
        {"text": "i got some serum in my eye", "kind": "eye", "lang": "en"},  # asked instead
        {"text": "my toddler swallowed some cream", "kind": "burn", "lang": "en"},  # wrong kind
        {"text": "is it vegan?", "kind": "anaphylaxis", "lang": "en"},  # missed
    ],
    "near_misses": [
        {"text": "does it reduce swelling under my eyes?", "lang": "en"},
        {"text": "my lips are swelling", "lang": "en"},  # false alarm (emergency)
        {"text": "i have hives all over my arms", "lang": "en"},  # false alarm (ask)
        {"text": "puede causar hinchazón?", "lang": "es"},
    ],
}


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    for half in ("dev", "heldout"):
        (tmp_path / f"{half}.yml").write_text(yaml.safe_dump(CORPUS), encoding="utf-8")
    return tmp_path


def test_recall_counts_only_emergency_verdicts_with_the_right_kind(corpus_dir: Path) -> None:
    report = evaluate("dev", corpus_dir)
    assert (report.caught["all"], report.asked["all"], report.wrong_kind["all"]) == (2, 1, 1)
    assert report.recall == pytest.approx(2 / 5)
    assert report.caught["lang:fr"] == 1 and report.emergencies["kind:anaphylaxis"] == 3
    assert (report.false_emergencies["all"], report.false_asks["all"]) == (1, 1)
    assert report.false_alarm_rate == pytest.approx(2 / 4)
    assert not report.passes
    assert len(report.errors) == 5, "dev errors are listed for tuning"


def test_the_heldout_report_shows_counts_and_never_a_text(corpus_dir: Path) -> None:
    report = evaluate("heldout", corpus_dir, keep_texts=True)
    assert report.errors == []
    printed = format_report(report)
    assert "recall 2/5" in printed and "false alarms 2/4" in printed
    for item in CORPUS["emergencies"] + CORPUS["near_misses"]:
        assert item["text"] not in printed


def test_quality_gate_fails_below_the_floors_and_prints_both_halves(
        corpus_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert check_emergency_detector(corpus_dir) is False  # 40% recall: below the target and the floor
    out = capsys.readouterr().out
    assert "dev corpus half" in out and "heldout corpus half" in out and "NOT MET" in out
    assert "no i cant breathe" not in out


def test_between_floor_and_target_the_gate_holds_but_says_the_target_is_not_met(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # 98 of 100 emergencies caught, no false alarm: above RECALL_FLOOR, below RECALL_BAR.
    caught = {"text": "no i cant breathe", "kind": "anaphylaxis", "lang": "en"}
    missed = {"text": "is it vegan?", "kind": "anaphylaxis", "lang": "en"}
    corpus = {"emergencies": [caught] * 98 + [missed] * 2, "near_misses": CORPUS["near_misses"][:1]}
    for half in ("dev", "heldout"):
        (tmp_path / f"{half}.yml").write_text(yaml.safe_dump(corpus), encoding="utf-8")
    report = evaluate("heldout", tmp_path)
    assert RECALL_FLOOR <= report.recall < RECALL_BAR and report.holds_floor and not report.passes
    assert check_emergency_detector(tmp_path) is True
    assert "NOT MET" in capsys.readouterr().out


def test_quality_gate_passes_when_the_bars_are_met(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    clean = {"emergencies": CORPUS["emergencies"][:2], "near_misses": CORPUS["near_misses"][:1]}
    for half in ("dev", "heldout"):
        (tmp_path / f"{half}.yml").write_text(yaml.safe_dump(clean), encoding="utf-8")
    assert check_emergency_detector(tmp_path) is True
    assert "NOT MET" not in capsys.readouterr().out


def test_dev_extra_counts_as_development_data_and_is_printed_apart(
        corpus_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    extra = {"emergencies": CORPUS["emergencies"][:1], "near_misses": []}
    (corpus_dir / "dev_extra.yml").write_text(yaml.safe_dump(extra), encoding="utf-8")
    report = evaluate("dev_extra", corpus_dir)
    assert report.emergencies["all"] == 1 and report.errors == [] and report.recall == 1.0
    check_emergency_detector(corpus_dir)
    out = capsys.readouterr().out
    assert "dev corpus half" in out and "dev_extra corpus half" in out and "heldout corpus half" in out


def test_the_real_corpus_has_both_development_parts() -> None:
    assert dev_parts() == ["dev", "dev_extra", "dev_extra2", "dev_extra3", "dev_extra4", "dev_extra5", "dev_extra6",
                           "dev_extra7", "dev_extra8", "dev_extra9",
                           "dev_extra10"]


def test_an_unknown_half_or_a_malformed_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown corpus half"):
        load_half("train", tmp_path)
    (tmp_path / "dev.yml").write_text("- just a list\n", encoding="utf-8")
    with pytest.raises(ValueError, match="dev.yml"):
        load_half("dev", tmp_path)


def test_skipping_sentences_without_trigger_words_never_changes_what_is_found() -> None:
    dev = load_half("dev")
    texts = [item["text"] for item in dev["emergencies"] + dev["near_misses"]]
    texts += ["mon petit a bu le dissolvant", "ma fille a bu du tonique", "got it in my left eye and it burns"]
    for text in texts:
        message = emergency.ParsedMessage(text, emergency._CORRECTOR)
        fast = sorted((hit.start, hit.evidence, hit.level) for hit in emergency._hits(message))
        full = sorted((hit.start, hit.evidence, hit.level) for hit in emergency._hits(message, prefilter=False))
        assert fast == full, text
