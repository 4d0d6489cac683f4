"""Triage's command line: privacy requests, the retention clean-up, staff accounts.

python -m bot.triage forget <conversation_id>   delete everything held about one conversation
python -m bot.triage purge [--days N]           remove resolved tickets and conversations older
                                                than N days (default: env RETENTION_DAYS, else 90)
python -m bot.triage agents add --email E --name N [--role admin] [--password-stdin]
python -m bot.triage agents list                list staff accounts
python -m bot.triage export-corrections [-o F]  urgency corrections in the safety corpus's format
python -m bot.triage migrate                    bring triage's tables to the newest schema revision
                                                (the launcher does it before starting the servers)

Both read the same settings as the servers (bot/triage/settings.py): SKINCARE_DB_URL for triage's
tables, TRACKER_DB_URL / TRACKER_DB_* / TRACKER_SQLITE_PATH (default var/conversations.sqlite) for
Rasa's conversation events, which hold everything the person said, their remembered profile included.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from sqlalchemy.exc import SQLAlchemyError

from bot.triage import agents, settings
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
    accounts = commands.add_parser("agents", help="staff accounts").add_subparsers(dest="agents_command",
                                                                                 required=True)
    add = accounts.add_parser("add", help="create a staff account")
    add.add_argument("--email", required=True, help="the email the agent signs in with")
    add.add_argument("--name", required=True, help="display name (customers see it on replies)")
    add.add_argument("--role", choices=[role.value for role in agents.AgentRole], default="agent")
    add.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    accounts.add_parser("list", help="list staff accounts")
    corrections = commands.add_parser("export-corrections", help="false alarms and missed emergencies staff "
                                      "corrected, as safety-corpus YAML for review")
    corrections.add_argument("-o", "--output", help="write to this file instead of standard output")
    commands.add_parser("migrate", help="apply triage's schema migrations (bot/triage/migrations)")
    args = parser.parse_args(argv)
    if args.command == "migrate":
        return _migrate()
    if args.command == "agents":
        return _agents(args)
    if args.command == "export-corrections":
        return _export_corrections(args.output)

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


def _migrate() -> int:
    from bot.triage.db import triage_engine
    from bot.triage.migrations import UnrecognisedSchema, upgrade

    url = settings.triage_db_url()
    try:
        revision = upgrade(triage_engine())
    except (SQLAlchemyError, UnrecognisedSchema) as error:
        print(f"error: triage's tables in {_shown(url)} could not be migrated ({type(error).__name__}: {error})",
              file=sys.stderr)
        return 1
    print(f"triage schema in {_shown(url)}: revision {revision} (newest)")
    return 0


def _export_corrections(output: str | None) -> int:
    from bot.triage.corrections import corpus_yaml, corrections_for_corpus

    try:
        text = corpus_yaml(corrections_for_corpus())
    except SQLAlchemyError as error:
        print(f"error: the triage database could not be read ({type(error).__name__}: {error})", file=sys.stderr)
        return 1
    if output:
        with open(output, "w", encoding="utf-8") as handle:
            handle.write(text)
    else:
        sys.stdout.write(text)
    return 0


def _agents(args: argparse.Namespace) -> int:
    try:
        if args.agents_command == "list":
            for agent in agents.list_agents():
                state = "" if agent.active else " (switched off)"
                print(f"{agent.id}\t{agent.role.value}\t{agent.email}\t{agent.display_name}{state}")
            return 0
        if args.password_stdin:
            password = sys.stdin.readline().rstrip("\n")
        else:
            password = getpass.getpass("Password: ")
            if getpass.getpass("Same password again: ") != password:
                print("error: the two passwords differ", file=sys.stderr)
                return 2
        agent = agents.create_agent(args.email, args.name, password, args.role)
    except agents.AccountError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except SQLAlchemyError as error:
        print(f"error: the database could not be updated ({type(error).__name__}: {error})", file=sys.stderr)
        return 1
    print(f"created {agent.role.value} {agent.email} ({agent.display_name}), account {agent.id}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
