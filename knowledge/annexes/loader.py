"""Load the EU annex data into the knowledge store: check the wheel, validate every row, write once.

Nothing is written unless the wheel's SHA-256 matches ``package.txt`` and every row of every annex is
valid (:class:`AnnexDataError` lists them all, with file and line). The write is one transaction that
replaces the whole layer; loading the same wheel again changes nothing (the stored SHA-256 and table
fingerprint match), so `make kb` can run it every time.

Command line: ``python -m knowledge.annexes.loader [--db URL] [--wheel PATH]``.
"""

from __future__ import annotations

import argparse
import enum
import hashlib
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import delete, func, inspect, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.orm import Session

from knowledge.annexes import models
from knowledge.annexes.facts import ATTRIBUTION, AnnexDataset, AnnexEntry
from knowledge.annexes.names import name_key
from knowledge.annexes.reader import AnnexDataError, default_wheel, entry_names, read_wheel
from knowledge.database import DB_URL_ENV, display_url, get_engine, session_scope, sqlite_path

LOAD_LOCK_KEY = 0x616E6E78  # PostgreSQL advisory lock id for annex loads ("annx")
#: Longest name kept as a lookup key (a few Annex II "names" are paragraph-long descriptions of mixtures).
MAX_KEY_LENGTH = 500


class AnnexLoadStatus(str, enum.Enum):
    """What a load did."""

    LOADED = "loaded"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class AnnexLoadReport:
    """What a load did, and how much it holds."""

    status: AnnexLoadStatus
    entries: int
    names: int

    def summary(self) -> str:
        """One line for the command line."""
        return f"EU annexes: {self.status.value} ({self.entries} entries, {self.names} names; {ATTRIBUTION})"


def load_annexes(wheel: Path | None = None, engine: Engine | str | None = None, *,
                 expected_sha256: str | None = None) -> AnnexLoadReport:
    """Validate the annex data in ``wheel`` (default: the pinned download), then write it in one transaction.

    Raises :class:`AnnexDataError` (nothing written) on a hash mismatch or any bad row.
    """
    dataset, entries = read_wheel(wheel or default_wheel(), expected_sha256)
    engine = engine if isinstance(engine, Engine) else get_engine(engine)
    path = sqlite_path(engine.url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    fingerprint = models.schema_fingerprint()
    with session_scope(engine, write=True) as session:
        if engine.dialect.name == "postgresql":
            session.execute(select(func.pg_advisory_xact_lock(LOAD_LOCK_KEY)))
        stored = _ensure_tables(session, fingerprint)
        content_hash = _content_hash(entries)
        if stored is not None and stored.sha256 == dataset.sha256 and stored.content_hash == content_hash:
            counts = _counts(session)
            return AnnexLoadReport(AnnexLoadStatus.UNCHANGED, *counts)
        names = _replace(session, dataset, entries, fingerprint, content_hash)
    return AnnexLoadReport(AnnexLoadStatus.LOADED, len(entries), names)


def _ensure_tables(session: Session, fingerprint: str) -> models.AnnexDatasetRow | None:
    """Create the annex tables (rebuilt when their definitions changed); the stored dataset row, if any."""
    connection = session.connection()
    existing = set(inspect(connection).get_table_names())
    ours = {table.name for table in models.metadata.sorted_tables}
    if existing & ours:
        stored_fingerprint = None
        if models.AnnexDatasetRow.__tablename__ in existing:
            # Only this column is read before the fingerprint is known to match (others may have changed).
            stored_fingerprint = session.execute(select(models.AnnexDatasetRow.schema_fingerprint)).scalar()
        if stored_fingerprint == fingerprint:
            return session.execute(select(models.AnnexDatasetRow)).scalars().first()
        models.metadata.drop_all(connection)
    models.metadata.create_all(connection)
    return None


def _content_hash(entries: Sequence[AnnexEntry]) -> str:
    """A hash of everything read (entries and their names): the same wheel read differently is a change."""
    digest = hashlib.sha256()
    for entry in entries:
        digest.update(repr((entry, entry_names(entry))).encode("utf-8"))
    return digest.hexdigest()


def _replace(session: Session, dataset: AnnexDataset, entries: Sequence[AnnexEntry], fingerprint: str,
             content_hash: str) -> int:
    """Delete the previous layer and insert this one (bulk inserts: thousands of rows)."""
    for table in reversed(models.metadata.sorted_tables):
        session.execute(delete(table))
    session.add(models.AnnexDatasetRow(package=dataset.package, sha256=dataset.sha256, content_hash=content_hash,
                                       schema_fingerprint=fingerprint))
    session.add_all(models.AnnexFile(annex=annex, last_update=day) for annex, day in dataset.last_updates.items())
    entry_rows = [{
        "id": number, "annex": entry.annex, "reference": entry.reference, "chemical_name": entry.chemical_name,
        "product_types": entry.product_types, "max_concentration": entry.max_concentration,
        "other_conditions": entry.other_conditions, "warnings": entry.warnings, "colour": entry.colour,
        "regulation": entry.regulation, "updated": entry.updated, "labelled_allergen": entry.labelled_allergen,
        "source_file": entry.source_file, "source_line": entry.source_line,
    } for number, entry in enumerate(entries, start=1)]
    name_rows = []
    for number, entry in enumerate(entries, start=1):
        for position, (name, kind) in enumerate(entry_names(entry)):
            key = name_key(name)
            if key and len(key) <= MAX_KEY_LENGTH:
                name_rows.append({"entry_id": number, "kind": models.NameKind(kind), "position": position,
                                  "name": name, "key": key})
    session.flush()
    session.execute(models.AnnexEntryRow.__table__.insert(), entry_rows)
    session.execute(models.AnnexName.__table__.insert(), name_rows)
    return len(name_rows)


def _counts(session: Session) -> tuple[int, int]:
    entries = session.execute(select(func.count()).select_from(models.AnnexEntryRow)).scalar_one()
    names = session.execute(select(func.count()).select_from(models.AnnexName)).scalar_one()
    return entries, names


def main(argv: Sequence[str] | None = None) -> int:
    """Command line entry point; returns the exit status (1 on any error, with a message, no traceback)."""
    parser = argparse.ArgumentParser(prog="python -m knowledge.annexes.loader",
                                     description="Check and load the EU cosmetics annexes into the knowledge store.")
    parser.add_argument("--db", help="database URL (default: $SKINCARE_DB_URL or var/skincare.sqlite)")
    parser.add_argument("--wheel", type=Path, help="the pinned wheel (default: build/annexes/, as `make kb` fetches)")
    args = parser.parse_args(argv)
    try:
        engine = get_engine(args.db)
    except (ArgumentError, ValueError) as error:
        print(f"Not a database URL: {args.db!r} ({error}).", file=sys.stderr)
        return 1
    try:
        report = load_annexes(args.wheel, engine)
    except AnnexDataError as error:
        print(error, file=sys.stderr)
        return 1
    except SQLAlchemyError as error:
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
        print(f"Could not write to the knowledge store at {display_url(engine.url)}: {reason}\n"
              f"Check the --db URL (or {DB_URL_ENV}) and that the database is running.", file=sys.stderr)
        return 1
    print(report.summary())
    return 0


if __name__ == "__main__":
    sys.exit(main())
