"""bot.phrasings' command line: the split of a set into halves, and which halves may have their misses printed.

dev4, dev5 and dev6 are split like the safety corpus: their even positions (dev4a, dev5a, dev6a) may be tuned on, their
odd positions (dev4b, dev5b, dev6b) are a cross-check read only as counts, so no command may print a text from those.
The model is not loaded here: `evaluate` is replaced by one that returns fixed outcomes.
"""

from __future__ import annotations

import pytest

from bot import phrasings
from bot.phrasings import Outcome, may_list_misses, read_items, split_items


def test_subsets_are_the_even_and_odd_positions_and_together_the_whole_set() -> None:
    items = [{"text": str(n)} for n in range(7)]
    assert [i["text"] for i in split_items(items, "a")] == ["0", "2", "4", "6"]
    assert [i["text"] for i in split_items(items, "b")] == ["1", "3", "5"]
    assert split_items(items, None) == items
    with pytest.raises(ValueError, match="unknown subset"):
        split_items(items, "c")


@pytest.mark.parametrize(("name", "least"), [("dev4", 75), ("dev5", 70), ("dev6", 70)])
def test_split_sets_halves_partition_the_set(name: str, least: int) -> None:
    whole = [item["text"] for item in read_items(name)]
    a, b = ([item["text"] for item in read_items(name, s)] for s in ("a", "b"))
    assert sorted(a + b) == sorted(whole)
    assert not set(a) & set(b)
    assert min(len(a), len(b)) >= least


@pytest.mark.parametrize(
    ("half", "subset", "listed"),
    [
        ("dev3", None, True),
        ("dev2", "b", True),
        ("dev4", "a", True),
        ("dev4", "b", False),
        ("dev4", None, False),
        ("dev5", "a", True),
        ("dev5", "b", False),
        ("dev5", None, False),
        ("dev6", "a", True),
        ("dev6", "b", False),
        ("dev6", None, False),
        ("heldout", None, False),
        ("heldout", "a", False),
    ],
)
def test_misses_are_listed_only_for_sets_that_may_be_read(half: str, subset: str | None, listed: bool) -> None:
    assert may_list_misses(half, subset) is listed


def run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    seen: dict[str, object] = {}

    def fake_evaluate(half: str, subset: str | None = None) -> list[Outcome]:
        seen.update(half=half, subset=subset)
        return [Outcome("a missed phrasing", "usage", "sun"), Outcome("a right one", "sun", "sun")]

    monkeypatch.setattr(phrasings, "evaluate", fake_evaluate)
    phrasings.main(argv)
    assert seen == {"half": argv[0], "subset": argv[2] if "--subset" in argv else None}
    return capsys.readouterr().out


def test_dev4b_prints_counts_but_never_a_text(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    out = run(monkeypatch, capsys, ["dev4", "--subset", "b"])
    assert "1/2 correct" in out
    assert "a missed phrasing" not in out


def test_dev5b_prints_counts_but_never_a_text(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    out = run(monkeypatch, capsys, ["dev5", "--subset", "b"])
    assert "1/2 correct" in out
    assert "a missed phrasing" not in out
    assert "a missed phrasing" not in run(monkeypatch, capsys, ["dev5"])


def test_dev6b_prints_counts_but_never_a_text(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    out = run(monkeypatch, capsys, ["dev6", "--subset", "b"])
    assert "1/2 correct" in out
    assert "a missed phrasing" not in out
    assert "a missed phrasing" not in run(monkeypatch, capsys, ["dev6"])


def test_dev4_whole_prints_no_text_either(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    assert "a missed phrasing" not in run(monkeypatch, capsys, ["dev4"])


def test_dev4a_lists_its_misses(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    out = run(monkeypatch, capsys, ["dev4", "--subset", "a"])
    assert "'a missed phrasing'" in out
    assert "a right one" not in out
