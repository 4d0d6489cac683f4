"""Triage's command line: privacy requests and the retention clean-up.

python -m bot.triage forget <conversation_id>   delete everything held about one conversation
python -m bot.triage purge [--days N]           remove resolved tickets and conversations older
                                                than N days (default: env RETENTION_DAYS, else 90)

Both read the same settings as the servers (bot/triage/settings.py): SKINCARE_DB_URL for triage's
tables, TRACKER_DB_URL / TRACKER_DB_* / TRACKER_SQLITE_PATH (default var/conversations.sqlite) for
Rasa's conversation events, which hold everything the person said, their remembered profile included.
"""

from __future__ import annotations

import argparse
import sys

from sqlalchemy.exc import SQLAlchemyError

from bot.triage import settings
from bot.triage.privacy import forget_conversation, purge_expired


def _shown(url: str) -> str:
    """A database URL fit for the terminal: the password hidden."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def main(argv: list[str] | None = None) -> int:
    """Run one triage command; returns the process exit code."""
    parser = argparse.ArgumentParser(prog="python -m bot.triage", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    forget = commands.add_parser("forget", help="delete everything held about one conversation")
    forget.add_argument("conversation_id", help="Rasa's sender id for the conversation")
    purge = commands.add_parser("purge", help="remove resolved tickets and old conversations")
    purge.add_argument("--days", type=int, default=None, help="retention in days (default RETENTION_DAYS or 90)")
    args = parser.parse_args(argv)

    try:
        print(f"conversations (Rasa's tracker store): {_shown(settings.tracker_db_url())}", file=sys.stderr)
        if args.command == "forget":
            report = forget_conversation(args.conversation_id)
            print(f"conversation {args.conversation_id!r}: {report.summary()}")
        else:
            days = args.days if args.days is not None else settings.retention_days()
            if days < 1:
                parser.error("--days must be at least 1")
            report = purge_expired(days)
            print(f"older than {days} days: {report.summary()}")
    except settings.SettingError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except SQLAlchemyError as error:
        print(f"error: the database could not be updated ({type(error).__name__}: {error})", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
