"""Quality bars, run by `make test` after pytest: the emergency detector on the held-out safety corpus, NLU
on the held-out test set and multi-turn test stories.

`python -m bot.quality` first measures the emergency detector (bot.safety.evaluation) on the safety
corpus (tests/safety/corpus/): it prints the dev and held-out figures (counts only for held-out) against
the bars (99% recall on held-out emergencies, at most 2% false alarms on held-out near-misses; until they are
met it fails only below the measured floors in bot/safety/evaluation.py). Then it
runs `rasa test nlu` on tests/nlu/test_nlu.yml (never used in training) and fails when the intent
macro-F1 or the entity F1 is below the bar, then checks the topic accuracy on the held-out half of the
phrasing set (tests/nlu/phrasings/heldout.yml, not Rasa data, via bot.phrasings: counts and a per-topic
confusion summary, never the texts), then `rasa test core` on tests/stories/ with
--fail-on-prediction-errors. Reports land in build/ (confusion matrices, per-intent errors).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

from bot.safety.evaluation import (
    CORPUS_DIR,
    FALSE_ALARM_BAR,
    FALSE_ALARM_CEILING,
    RECALL_BAR,
    RECALL_FLOOR,
    dev_parts,
    evaluate,
    format_report,
)

REPO_ROOT = Path(__file__).resolve().parents[1]
RASA = Path(sys.executable).parent / "rasa"
MODEL = REPO_ROOT / "models" / "skincare.tar.gz"
INTENT_F1_BAR = 0.95
ENTITY_F1_BAR = 0.95


def _rasa(*args: str) -> int:
    print(">>", "rasa", " ".join(args), flush=True)
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false"}
    return subprocess.run([str(RASA), *args], cwd=REPO_ROOT, env=env, check=False).returncode


def _macro_f1(report_path: Path) -> float:
    report = json.loads(report_path.read_text(encoding="utf-8"))
    return float(report["macro avg"]["f1-score"])


def _entity_f1(report_dir: Path) -> tuple[float, str]:
    """Micro-averaged F1 over entity types (excluding 'no entity'), from our extractor's report."""
    reports = sorted(report_dir.glob("*Extractor_report.json"))
    if not reports:
        raise FileNotFoundError(f"no entity report in {report_dir}")
    report = json.loads(reports[0].read_text(encoding="utf-8"))
    return float(report["micro avg"]["f1-score"]), reports[0].name


def check_nlu(out: Path) -> bool:
    """Held-out NLU test set: intent macro-F1 and entity F1 must reach the bars."""
    if _rasa("test", "nlu", "--model", str(MODEL), "--nlu", "tests/nlu/test_nlu.yml", "--out", str(out),
             "--no-plot") != 0:
        print("rasa test nlu failed to run", file=sys.stderr)
        return False
    intent_f1 = _macro_f1(out / "intent_report.json")
    entity_f1, entity_report = _entity_f1(out)
    print(f"NLU held-out: intent macro-F1 = {intent_f1:.3f} (bar {INTENT_F1_BAR}), "
          f"entity F1 = {entity_f1:.3f} (bar {ENTITY_F1_BAR}, {entity_report}); reports in {out}")
    ok = intent_f1 >= INTENT_F1_BAR and entity_f1 >= ENTITY_F1_BAR
    if not ok:
        errors = out / "intent_errors.json"
        if errors.exists():
            for error in json.loads(errors.read_text(encoding="utf-8"))[:30]:
                print(f"  {error['intent']:>22} -> {error['intent_prediction']['name']:<22} {error['text']!r}")
    return ok


def check_emergency_detector(corpus_dir: Path = CORPUS_DIR) -> bool:
    """Safety corpus: dev figures for information, held-out figures against the bars (counts only)."""
    for half in dev_parts(corpus_dir):  # dev.yml and the extra batches, printed separately
        print(format_report(evaluate(half, corpus_dir, keep_texts=False)))
    heldout = evaluate("heldout", corpus_dir)
    print(format_report(heldout))
    print(f"Emergency detector held-out: recall {heldout.recall:.1%}, false alarms {heldout.false_alarm_rate:.1%}: "
          f"target (recall >= {RECALL_BAR:.0%}, false alarms <= {FALSE_ALARM_BAR:.0%}) "
          f"{'met' if heldout.passes else 'NOT MET'}; enforced floor recall >= {RECALL_FLOOR:.1%}, "
          f"false alarms <= {FALSE_ALARM_CEILING:.1%}")
    return heldout.holds_floor


def check_phrasings() -> bool:
    """Held-out phrasing set: the topic the assistant would answer must match the label often enough."""
    from bot.phrasings import TOPIC_ACCURACY_BAR, TOPIC_ACCURACY_FLOOR, evaluate, summary

    outcomes = evaluate("heldout", MODEL)
    right = sum(o.expected == o.predicted for o in outcomes)
    accuracy = right / max(len(outcomes), 1)
    target = "met" if accuracy >= TOPIC_ACCURACY_BAR else "NOT MET"
    print(f"Phrasing set, held-out half: topic accuracy {accuracy:.3f} (target {TOPIC_ACCURACY_BAR}: {target}; "
          f"enforced floor {TOPIC_ACCURACY_FLOOR})", flush=True)
    print(summary(outcomes), flush=True)
    return accuracy >= min(TOPIC_ACCURACY_FLOOR, TOPIC_ACCURACY_BAR)


def check_stories(out: Path) -> bool:
    """Multi-turn test stories must be predicted without a single error."""
    code = _rasa("test", "core", "--model", str(MODEL), "--stories", "tests/stories", "--out", str(out),
                 "--fail-on-prediction-errors", "--no-plot")
    print(f"Test stories: {'all predicted correctly' if code == 0 else 'prediction errors'}; reports in {out}")
    return code == 0


def main(argv: list[str] | None = None) -> int:
    """Run every check; exit 1 if any misses its bar."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nlu-report", type=Path, default=REPO_ROOT / "build" / "nlu-report")
    parser.add_argument("--stories-report", type=Path, default=REPO_ROOT / "build" / "stories-report")
    args = parser.parse_args(argv)
    results = [check_emergency_detector()]
    if not MODEL.exists():
        print(f"No trained model at {MODEL}: run `make train`.", file=sys.stderr)
        return 1
    results += [check_nlu(args.nlu_report), check_phrasings(), check_stories(args.stories_report)]
    print("quality bars:", "passed" if all(results) else "MISSED")
    return 0 if all(results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
