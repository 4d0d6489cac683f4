"""`make bench-prod`'s long-conversation step (bot/bench/long_postgres.py): Rasa's own tracker store on the
same settings, and the printed comparison. Fixed inputs, no timing asserts."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.bench.long_postgres import OURS, RASAS, rasas_store_endpoints, report

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_rasas_store_runs_on_productions_settings_with_only_the_type_changed(tmp_path: Path) -> None:
    production = yaml.safe_load((REPO_ROOT / "endpoints.production.yml").read_text())
    assert production["tracker_store"]["type"] == "bot.tracker_store.IncrementalSQLTrackerStore"
    rasas = yaml.safe_load(rasas_store_endpoints(REPO_ROOT / "endpoints.production.yml", tmp_path).read_text())
    assert rasas["tracker_store"].pop("type") == "SQL"
    production["tracker_store"].pop("type")
    assert rasas == production  # same database, lock store, action endpoint (placeholders kept)
    assert rasas["tracker_store"]["db"] == "${TRACKER_DB_NAME}"


def test_report_gives_each_stores_windows_and_growth() -> None:
    text = report({OURS: {"turns 1-50": 20.0, "turns 250-300": 23.0},
                   RASAS: {"turns 1-50": 21.0, "turns 250-300": 126.0}})
    ours_line, rasas_line = text.splitlines()[1:]
    assert OURS in ours_line and "turns 1-50 20 ms, turns 250-300 23 ms (late/early 1.15x)" in ours_line
    assert RASAS in rasas_line and "(late/early 6.00x)" in rasas_line
    assert "1.5x" in text.splitlines()[0]
