"""`python -m knowledge`: fill the knowledge store with both layers, as one job (the deployments' load job).

The same two steps `make kb` runs: the curated profiles (knowledge.loader), then the EU annexes
(knowledge.annexes.loader, from the hash-pinned wheel the image fetched at build time). Each is
idempotent; the second runs only when the first succeeded, and the exit status is the first failure's.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from knowledge import loader
from knowledge.annexes import loader as annex_loader


def main(argv: Sequence[str] | None = None) -> int:
    """Load the profiles, then the annexes, into the store at $SKINCARE_DB_URL (or `--db URL`)."""
    args = list(sys.argv[1:] if argv is None else argv)
    if any(arg in ("-h", "--help") for arg in args):
        print(__doc__.strip())
        print("\nOptions: --db URL (default: $SKINCARE_DB_URL or var/skincare.sqlite)")
        return 0
    database = args[args.index("--db"):args.index("--db") + 2] if "--db" in args else []
    if len(database) == 1 or len(args) != len(database):
        print("usage: python -m knowledge [--db URL]", file=sys.stderr)
        return 2
    return loader.main(database) or annex_loader.main(database)


if __name__ == "__main__":
    raise SystemExit(main())
