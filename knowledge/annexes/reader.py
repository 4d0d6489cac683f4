"""Read the annex CSVs out of the pinned wheel: hash checked first, every bad row reported at once.

The export's layout (one file per annex): line 1 "File creation date: dd/mm/yyyy"; line 2 the annex
("ANNEX III") and its "Last update: dd/mm/yyyy"; then a title, a group header, the column header, and
one row per entry (cells may span lines). Columns are found by their header names, so a reordered
export still reads; a missing column, a row of the wrong width, an entry without a reference or a
chemical name, or an update date that is not dd/mm/yyyy is an :class:`AnnexIssue` with file and line.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from knowledge.annexes.facts import Annex, AnnexDataset, AnnexEntry
from knowledge.annexes.names import chemical_names, present, split_glossary, split_identified, split_numbers

REPO_ROOT = Path(__file__).resolve().parents[2]
PACKAGE_FILE = Path(__file__).with_name("package.txt")
DOWNLOAD_DIR = REPO_ROOT / "build" / "annexes"
MEMBER = "on_the_list/data/annex_{annex}.csv"
HEADER_LINE = 5  # the column header's line in every file

#: Header name -> field, per column the reader uses (Annex IV says "Chemical name" and names colour indexes).
COLUMNS = {
    "reference number": "reference",
    "chemical name / inn": "chemical_name",
    "chemical name": "chemical_name",
    "name of common ingredients glossary": "inci_names",
    "colour index number / name of common ingredients glossary": "inci_names",
    "cas number": "cas_numbers",
    "ec number": "ec_numbers",
    "color": "colour",
    "product type, body parts": "product_types",
    "maximum concentration in ready for use preparation": "max_concentration",
    "other": "other_conditions",
    "wording of conditions of use and warnings": "warnings",
    "regulation": "regulation",
    "identified ingredients or substances e.g.": "identified_ingredients",
    "update date": "updated",
}
_REQUIRED = {"reference", "chemical_name", "cas_numbers", "ec_numbers", "regulation", "identified_ingredients",
             "updated"}
_REQUIRED_WITH_CONDITIONS = {"inci_names", "product_types", "max_concentration", "other_conditions", "warnings"}
_DELETED = re.compile(r"^\s*moved or deleted\s*$", re.IGNORECASE)
# "The presence of the substance must/shall be indicated in the list of ingredients ... when its
# concentration exceeds 0.001 % in leave-on products / 0.01 % in rinse-off products."
_LEAVE_ON = re.compile(r"0[.,]001\s*%\s*in\s+leave-on", re.IGNORECASE)
_RINSE_OFF = re.compile(r"0[.,]01\s*%\s*in\s+rinse-off", re.IGNORECASE)
_DATE = "%d/%m/%Y"


@dataclass(frozen=True)
class AnnexIssue:
    """One problem with the data: where (file and line) and what."""

    where: str
    line: int
    problem: str

    def __str__(self) -> str:
        return f"{self.where} line {self.line}: {self.problem}" if self.line else f"{self.where}: {self.problem}"


class AnnexDataError(ValueError):
    """The annex data cannot be loaded; lists every problem found, the store keeps its content."""

    def __init__(self, issues: Iterable[AnnexIssue]) -> None:
        self.issues = tuple(issues)
        lines = "\n".join(f"  - {issue}" for issue in self.issues)
        super().__init__(f"The EU annex data was not loaded ({len(self.issues)} problem(s)):\n{lines}")


@dataclass(frozen=True)
class PinnedPackage:
    """The wheel package.txt pins: requirement, file name and expected SHA-256."""

    requirement: str
    sha256: str

    @property
    def wheel_name(self) -> str:
        name, version = self.requirement.split("==")
        return f"{name.replace('-', '_')}-{version}-py3-none-any.whl"


def pinned_package(path: Path = PACKAGE_FILE) -> PinnedPackage:
    """The one requirement line of package.txt (the same file `make kb` downloads with)."""
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        match = re.fullmatch(r"(\S+==\S+)\s+--hash=sha256:([0-9a-f]{64})", line)
        if match:
            return PinnedPackage(match.group(1), match.group(2))
    raise AnnexDataError([AnnexIssue(str(path), 0, "no 'name==version --hash=sha256:<64 hex>' line")])


def default_wheel(package: PinnedPackage | None = None) -> Path:
    """Where `make kb` downloads the pinned wheel."""
    return DOWNLOAD_DIR / (package or pinned_package()).wheel_name


def read_wheel(wheel: Path, expected_sha256: str | None = None) -> tuple[AnnexDataset, list[AnnexEntry]]:
    """Check the wheel's SHA-256, then read and validate all five annexes (all problems reported together)."""
    package = pinned_package()
    expected = expected_sha256 or package.sha256
    if not wheel.is_file():
        raise AnnexDataError([AnnexIssue(str(wheel), 0, "the annex data wheel is missing: run `make kb` to "
                                                        "download it")])
    found = hashlib.sha256(wheel.read_bytes()).hexdigest()
    if found != expected:
        raise AnnexDataError([AnnexIssue(str(wheel), 0, f"SHA-256 is {found}, expected {expected} "
                                                        f"({package.requirement}); refusing to read it. Delete "
                                                        "build/annexes and run `make kb` to download it again")])
    issues: list[AnnexIssue] = []
    entries: list[AnnexEntry] = []
    last_updates: dict[Annex, date] = {}
    try:
        with zipfile.ZipFile(wheel) as archive:
            for annex in Annex:
                member = MEMBER.format(annex=annex.value)
                where = f"{wheel.name}:{member}"
                try:
                    text = archive.read(member).decode("utf-8-sig")
                except KeyError:
                    issues.append(AnnexIssue(where, 0, "file missing from the wheel"))
                    continue
                except UnicodeDecodeError as error:
                    issues.append(AnnexIssue(where, 0, f"not UTF-8 text ({error.reason})"))
                    continue
                last_update, annex_entries, annex_issues = read_annex_csv(annex, text, where)
                issues += annex_issues
                entries += annex_entries
                if last_update is not None:
                    last_updates[annex] = last_update
    except zipfile.BadZipFile:
        issues.append(AnnexIssue(str(wheel), 0, "not a wheel (zip) file"))
    if issues:
        raise AnnexDataError(issues)
    return AnnexDataset(package.requirement, found, last_updates), entries


def read_annex_csv(annex: Annex, text: str, where: str) -> tuple[date | None, list[AnnexEntry], list[AnnexIssue]]:
    """One annex file: its "Last update" date, its entries, and every problem found (with line numbers)."""
    rows = _rows_with_lines(text)
    issues: list[AnnexIssue] = []
    last_update = _read_preamble(annex, rows, where, issues)
    header = next((cells for line, cells in rows if line == HEADER_LINE), None)
    if header is None:
        return last_update, [], [*issues, AnnexIssue(where, HEADER_LINE, "column header row missing")]
    fields = {COLUMNS[name]: i for i, name in enumerate(_header_name(h) for h in header) if name in COLUMNS}
    needed = _REQUIRED | (_REQUIRED_WITH_CONDITIONS if annex is not Annex.II else set())
    missing = sorted(needed - set(fields))
    if missing:
        return last_update, [], [*issues, AnnexIssue(where, HEADER_LINE, f"column(s) missing: {', '.join(missing)}")]
    entries: list[AnnexEntry] = []
    for line, cells in rows:
        if line <= HEADER_LINE or not any(c.strip() for c in cells):
            continue
        entry = _read_entry(annex, line, cells, len(header), fields, where, issues)
        if entry is not None:
            entries.append(entry)
    return last_update, entries, issues


def _rows_with_lines(text: str) -> list[tuple[int, list[str]]]:
    """Each CSV record with the line it starts on (cells may span several lines)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[tuple[int, list[str]]] = []
    start = 1
    for cells in reader:
        rows.append((start, cells))
        start = reader.line_num + 1
    return rows


def _header_name(cell: str) -> str:
    return " ".join(cell.split()).lower()


def _read_preamble(annex: Annex, rows: list[tuple[int, list[str]]], where: str,
                   issues: list[AnnexIssue]) -> date | None:
    second = next((cells for line, cells in rows if line == 2), [])
    if not second or second[0].strip().upper() != f"ANNEX {annex.value}":
        issues.append(AnnexIssue(where, 2, f"expected 'ANNEX {annex.value}' in the first cell"))
        return None
    match = re.search(r"Last update:\s*(\S+)", " ".join(second[1:]))
    updated = _date(match.group(1)) if match else None
    if updated is None:
        issues.append(AnnexIssue(where, 2, "expected 'Last update: dd/mm/yyyy'"))
    return updated


def _date(text: str) -> date | None:
    try:
        return datetime.strptime(text.strip(), _DATE).date()
    except ValueError:
        return None


def _read_entry(annex: Annex, line: int, cells: list[str], width: int, fields: dict[str, int], where: str,
                issues: list[AnnexIssue]) -> AnnexEntry | None:
    if len(cells) != width:
        issues.append(AnnexIssue(where, line, f"{len(cells)} cells, expected {width} (a quote or comma out of place?)"))
        return None

    def cell(name: str) -> str:
        return cells[fields[name]] if name in fields else ""

    reference = cell("reference").strip()
    chemical = " ".join(cell("chemical_name").split())
    problems = []
    if not reference:
        problems.append("empty Reference Number")
    if not chemical:
        problems.append("empty chemical name")
    updated = _date(cell("updated"))
    if updated is None:
        problems.append(f"Update Date {cell('updated').strip()!r} is not a date (dd/mm/yyyy)")
    if problems:
        issues.extend(AnnexIssue(where, line, p) for p in problems)
        return None
    if _DELETED.match(chemical):
        return None  # an entry moved to another number or deleted: nothing to say about a substance
    conditions = " ".join(filter(None, (cell("other_conditions"), cell("warnings"), cell("max_concentration"))))
    inci = split_glossary(cell("inci_names"))
    product_types, max_concentration = _text(cell("product_types")), _text(cell("max_concentration"))
    other_conditions, warnings = _text(cell("other_conditions")), _text(cell("warnings"))
    if annex is Annex.IV:
        # In the Annex IV export the condition cells sit one column right of their headers on most rows
        # ("Rinse-off products" under the maximum concentration, purity criteria under the warnings), but
        # not on all: they are kept together, verbatim and in order, as the entry's conditions.
        parts = [p for p in (product_types, max_concentration, other_conditions, warnings) if p]
        product_types = max_concentration = warnings = None
        other_conditions = "\n".join(parts) or None
    return AnnexEntry(
        annex=annex, reference=reference, chemical_name=chemical,
        inci_names=tuple(inci), cas_numbers=tuple(split_numbers(cell("cas_numbers"))),
        ec_numbers=tuple(split_numbers(cell("ec_numbers"))),
        identified_ingredients=tuple(split_identified(cell("identified_ingredients"))),
        product_types=product_types, max_concentration=max_concentration, other_conditions=other_conditions,
        warnings=warnings,
        colour=_text(cell("colour")), regulation=_text(cell("regulation")), updated=updated,
        labelled_allergen=bool(_LEAVE_ON.search(conditions) and _RINSE_OFF.search(conditions)),
        source_file=where, source_line=line,
    )


def _text(cell: str) -> str | None:
    """A text cell as written, with runs of blank lines and trailing spaces tidied; None when empty."""
    lines = [" ".join(part.split()) for part in cell.strip().splitlines()]
    text = "\n".join(line for line in lines if line)
    return present(text)


def entry_names(entry: AnnexEntry) -> list[tuple[str, str]]:
    """Every name an entry can be looked up by, with its kind (inci, chemical, identified, cas, ec)."""
    names = [(n, "inci") for n in entry.inci_names]
    names += [(n, "chemical") for n in chemical_names(entry.chemical_name)]
    names += [(n, "identified") for n in entry.identified_ingredients]
    names += [(n, "cas") for n in entry.cas_numbers] + [(n, "ec") for n in entry.ec_numbers]
    return names
