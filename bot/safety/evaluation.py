"""Measure the emergency detector on the labelled safety corpus (tests/safety/corpus/).

Recall: an emergency counts as caught only when the verdict is EMERGENCY with the right kind; an ASK
(the triage question) and a wrong kind are counted apart. False alarms: a near-miss that gets EMERGENCY
or ASK. Figures per language and per kind.

    .venv/bin/python -m bot.safety.evaluation                   # dev half, dev_extra, dev_extra2, every error listed
    .venv/bin/python -m bot.safety.evaluation --half dev_extra  # only the second author's dev batch
    .venv/bin/python -m bot.safety.evaluation --half dev_extra2 # only the third author's dev batch
    .venv/bin/python -m bot.safety.evaluation --half dev_extra3 --subset a  # fourth author, tuning half
    .venv/bin/python -m bot.safety.evaluation --half dev_extra3 --subset b --quiet  # untouched half: counts
    .venv/bin/python -m bot.safety.evaluation --half dev_extra4 --subset a  # fifth author, tuning half
    .venv/bin/python -m bot.safety.evaluation --half dev_extra4 --subset b --quiet  # untouched half: counts
    .venv/bin/python -m bot.safety.evaluation --half dev_extra5 --subset a  # sixth author, tuning half
    .venv/bin/python -m bot.safety.evaluation --half dev_extra5 --subset b --quiet  # untouched half: counts
    .venv/bin/python -m bot.safety.evaluation --half dev_extra6 --subset a  # seventh author, tuning half
    .venv/bin/python -m bot.safety.evaluation --half dev_extra6 --subset b --quiet  # untouched half: counts
    .venv/bin/python -m bot.safety.evaluation --half dev_extra7 --subset a  # eighth author, tuning half
    .venv/bin/python -m bot.safety.evaluation --half dev_extra7 --subset b --quiet  # untouched half: counts
    .venv/bin/python -m bot.safety.evaluation --half dev_extra8 --subset a  # ninth author, tuning half
    .venv/bin/python -m bot.safety.evaluation --half dev_extra8 --subset b --quiet  # untouched half: counts
    .venv/bin/python -m bot.safety.evaluation --half dev_extra9 --subset a  # tenth author, tuning half
    .venv/bin/python -m bot.safety.evaluation --half dev_extra9 --subset b --quiet  # untouched half: counts
    .venv/bin/python -m bot.safety.evaluation --half dev_extra10 --subset a  # eleventh author, tuning half
    .venv/bin/python -m bot.safety.evaluation --half dev_extra10 --subset b --quiet  # untouched half: counts
    .venv/bin/python -m bot.safety.evaluation --half heldout    # held-out half: counts only

The development figures are dev.yml, dev_extra.yml, dev_extra2.yml, dev_extra3.yml, dev_extra4.yml,
dev_extra5.yml, dev_extra6.yml, dev_extra7.yml, dev_extra8.yml, dev_extra9.yml and dev_extra10.yml (a second
to eleventh author's batches, tuned on too), printed separately. dev_extra3.yml to dev_extra10.yml were
measured before any tuning on them and are each split in two fixed halves (--subset a: even positions, tuned
on; b: odd positions, measured only as counts while tuning) so that they keep telling how the detector
generalises. The held-out half is never used for tuning: its report prints counts, never a text.
"""

from __future__ import annotations

import argparse
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.safety.emergency import SafetyVerdict, assess_message

CORPUS_DIR = Path(__file__).resolve().parents[2] / "tests" / "safety" / "corpus"
HALVES = ("dev", "dev_extra", "dev_extra2", "dev_extra3", "dev_extra4", "dev_extra5", "dev_extra6", "dev_extra7",
          "dev_extra8", "dev_extra9", "dev_extra10", "heldout")
# development data: errors may be listed and tuned on
DEV_PARTS = ("dev", "dev_extra", "dev_extra2", "dev_extra3", "dev_extra4", "dev_extra5", "dev_extra6", "dev_extra7",
             "dev_extra8", "dev_extra9", "dev_extra10")
SUBSETS = ("a", "b")  # dev_extra3 to dev_extra10's tuning halves (even positions) and untouched halves (odd)
RECALL_BAR = 0.99
FALSE_ALARM_BAR = 0.02
# The bars above are the target (issue 9) and are NOT met yet: the held-out half measured 96.9% recall
# (375/387) and 4.1% false alarms (12/295) (2026-12-02, fifth session, after tuning on dev.yml,
# dev_extra.yml, dev_extra2.yml and the even halves of dev_extra3.yml and dev_extra4.yml only, with the
# second net; before it was 374/387 and 13/295, 95.1% after dev_extra2 and 94.8% before; 375/387 and 11/295
# (3.7%) after the eighth round, tuned on dev_extra7's even half, 2026-12-02; 376/387 and 10/295 (3.4%)
# after the tenth round, tuned on dev_extra9's even half, 2026-12-02, eighth session). Until they are met,
# `make test` prints "target NOT MET" and fails only below these floors, so the detector cannot get worse
# unnoticed. Raise the floors as it improves; never lower them to make a run pass.
RECALL_FLOOR = 376 / 387  # the measured figure itself (0.9715...; a rounded 0.972 would sit above it)
FALSE_ALARM_CEILING = 10 / 295  # the measured figure itself (0.0338...)


@dataclass
class CorpusReport:
    """Counts from one run of the detector over one half of the corpus."""

    half: str
    emergencies: Counter[str] = field(default_factory=Counter)  # "all", "kind:x", "lang:x" -> total
    caught: Counter[str] = field(default_factory=Counter)  # EMERGENCY with the right kind
    asked: Counter[str] = field(default_factory=Counter)  # ASK on an emergency
    wrong_kind: Counter[str] = field(default_factory=Counter)  # EMERGENCY with another kind
    language_right: int = 0
    near_misses: Counter[str] = field(default_factory=Counter)  # "all", "lang:x" -> total
    false_emergencies: Counter[str] = field(default_factory=Counter)
    false_asks: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)  # only filled when texts may be shown

    @property
    def recall(self) -> float:
        """Share of emergencies answered EMERGENCY with the right kind."""
        return self.caught["all"] / self.emergencies["all"] if self.emergencies["all"] else 0.0

    @property
    def false_alarm_rate(self) -> float:
        """Share of near-misses answered EMERGENCY or ASK."""
        alarms = self.false_emergencies["all"] + self.false_asks["all"]
        return alarms / self.near_misses["all"] if self.near_misses["all"] else 0.0

    @property
    def passes(self) -> bool:
        """Both quality bars met."""
        return self.recall >= RECALL_BAR and self.false_alarm_rate <= FALSE_ALARM_BAR

    @property
    def holds_floor(self) -> bool:
        """No worse than the measured floors (see RECALL_FLOOR)."""
        return self.recall >= RECALL_FLOOR and self.false_alarm_rate <= FALSE_ALARM_CEILING


def load_half(half: str, corpus_dir: Path = CORPUS_DIR) -> dict[str, list[dict[str, str]]]:
    """One part of the corpus (dev, dev_extra, dev_extra2 or heldout) as {"emergencies": [...],
    "near_misses": [...]}."""
    if half not in HALVES:
        raise ValueError(f"unknown corpus half {half!r}: expected one of {', '.join(HALVES)}")
    path = corpus_dir / f"{half}.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not {"emergencies", "near_misses"} <= set(data):
        raise ValueError(f"{path}: expected the keys 'emergencies' and 'near_misses' (see the corpus README)")
    return data


def split_items(items: list[dict[str, str]], subset: str | None) -> list[dict[str, str]]:
    """A fixed half of a part's list: "a" the even positions (0, 2, ...), "b" the odd ones, None all.

    Used on dev_extra3 to dev_extra10 to tune on "a" and measure generalisation on "b" (see README, Safety).
    """
    if subset is None:
        return items
    if subset not in SUBSETS:
        raise ValueError(f"unknown subset {subset!r}: expected one of {', '.join(SUBSETS)}")
    return items[SUBSETS.index(subset)::2]


def evaluate(half: str, corpus_dir: Path = CORPUS_DIR, keep_texts: bool | None = None,
             subset: str | None = None) -> CorpusReport:
    """Run the detector over a part (or its subset "a"/"b", see split_items). Texts of errors are kept
    only for development parts (DEV_PARTS)."""
    keep = half in DEV_PARTS if keep_texts is None else keep_texts and half in DEV_PARTS
    data = load_half(half, corpus_dir)
    data = {label: split_items(data[label], subset) for label in ("emergencies", "near_misses")}
    report = CorpusReport(half if subset is None else f"{half}[{subset}]")
    for item in data["emergencies"]:
        keys = ("all", f"kind:{item['kind']}", f"lang:{item['lang']}")
        assessment = assess_message(item["text"])
        report.emergencies.update(keys)
        report.language_right += assessment.language == item["lang"]
        got = f"{assessment.verdict.value}/{assessment.kind.value if assessment.kind else '-'}"
        if assessment.verdict is SafetyVerdict.EMERGENCY and assessment.kind and assessment.kind.value == item["kind"]:
            report.caught.update(keys)
            continue
        if assessment.verdict is SafetyVerdict.ASK:
            report.asked.update(keys)
        elif assessment.verdict is SafetyVerdict.EMERGENCY:
            report.wrong_kind.update(keys)
        if keep:
            report.errors.append(f"missed  {item['kind']:>11}/{item['lang']} got {got:<21} {item['text'][-160:]!r}")
    for item in data["near_misses"]:
        keys = ("all", f"lang:{item['lang']}")
        assessment = assess_message(item["text"])
        report.near_misses.update(keys)
        if assessment.verdict is SafetyVerdict.NONE:
            continue
        (report.false_emergencies if assessment.verdict is SafetyVerdict.EMERGENCY else report.false_asks).update(keys)
        if keep:
            report.errors.append(f"alarm   {item['lang']:>14} got {assessment.verdict.value}/"
                                 f"{assessment.kind.value if assessment.kind else '-'} "
                                 f"on {assessment.evidence!r}: {item['text'][:160]!r}")
    return report


def _share(part: int, whole: int) -> str:
    return f"{part}/{whole} ({part / whole:.1%})" if whole else "0/0"


def format_report(report: CorpusReport) -> str:
    """Counts and rates, overall, per kind and per language (never a corpus text unless kept for dev)."""
    e, n = report.emergencies, report.near_misses
    lines = [
        f"Emergency detector on the {report.half} corpus half:",
        f"  recall {_share(report.caught['all'], e['all'])} (bar {RECALL_BAR:.0%}); asked instead "
        f"{report.asked['all']}, wrong kind {report.wrong_kind['all']}, "
        f"missed {e['all'] - report.caught['all'] - report.asked['all'] - report.wrong_kind['all']}",
        f"  false alarms {_share(report.false_emergencies['all'] + report.false_asks['all'], n['all'])} "
        f"(bar {FALSE_ALARM_BAR:.0%}): {report.false_emergencies['all']} emergency, {report.false_asks['all']} ask",
        f"  language detected right on {_share(report.language_right, e['all'])} emergencies",
    ]
    kinds = sorted(key for key in e if key.startswith("kind:"))
    lines.append("  per kind:     " + ", ".join(f"{k[5:]} {_share(report.caught[k], e[k])}" for k in kinds))
    langs = sorted({key for key in [*e, *n] if key.startswith("lang:")})
    lines.append("  per language: " + ", ".join(
        f"{k[5:]} recall {_share(report.caught[k], e[k])} false alarms "
        f"{_share(report.false_emergencies[k] + report.false_asks[k], n[k])}" for k in langs))
    lines.extend(f"    {error}" for error in report.errors)
    return "\n".join(lines)


def dev_parts(corpus_dir: Path = CORPUS_DIR) -> list[str]:
    """The development parts present in a corpus directory (the extra batches are optional)."""
    return [half for half in DEV_PARTS if (corpus_dir / f"{half}.yml").exists()]

def main(argv: list[str] | None = None) -> int:
    """Print the report for one part (default: both development parts); exit 1 when one misses a bar."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--half", choices=HALVES, help="one part only (default: every development part)")
    parser.add_argument("--quiet", action="store_true", help="counts only, no error list (development parts)")
    parser.add_argument("--subset", choices=SUBSETS,
                        help="only the even (a) or odd (b) positions of each list, e.g. dev_extra3's halves")
    args = parser.parse_args(argv)
    reports = [evaluate(half, keep_texts=not args.quiet, subset=args.subset)
               for half in ([args.half] if args.half else dev_parts())]
    print("\n".join(format_report(report) for report in reports))
    return 0 if all(report.passes for report in reports) else 1



if __name__ == "__main__":
    raise SystemExit(main())
