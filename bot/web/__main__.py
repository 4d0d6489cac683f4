"""``python -m bot.web``: the website server in the foreground (demo page, widget files, staff area).

Settings from the environment (bot/settings.py, all checked before anything starts): WEB_HOST, WEB_PORT,
RASA_PORT and RASA_PUBLIC_URL (default http://localhost:${RASA_PORT}), the address browsers use to reach
Rasa. The server
also runs triage's retention clean-up (RETENTION_DAYS, every RETENTION_PURGE_HOURS; 0 = never) and,
every minute, opens any urgent emergency ticket that was missed (bot/triage/emergency_tickets.py).
"""

from __future__ import annotations

import logging
import sys

from bot.settings import load_at_start
from bot.triage import settings as triage_settings
from bot.triage.dashboard import create_staff_blueprint
from bot.triage.emergency_tickets import open_missed_emergency_tickets_on_schedule
from bot.triage.retention import purge_on_schedule
from bot.web.server import WebSettings, create_web_app, missing_static_files


def main() -> int:
    """Check the settings and the widget files, print the demo address, then serve until stopped."""
    load_at_start("web server")  # every variable checked at once; exits 2 naming each bad one
    settings = WebSettings.from_env()
    purge_every_hours = triage_settings.purge_every_hours()
    missing = missing_static_files()
    if missing:
        print(
            f"web server: widget files missing in bot/web/static/ ({', '.join(missing)}): "
            "run `make widget` (python -m bot.web.assets) first",
            file=sys.stderr,
        )
        return 2
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    app = create_web_app(settings, blueprints=[create_staff_blueprint()])
    if purge_every_hours is not None:
        app.add_task(purge_on_schedule(purge_every_hours))
    app.add_task(open_missed_emergency_tickets_on_schedule())
    print(f"Skincare shop demo with the chat widget: {settings.demo_url}", flush=True)
    print(f"Staff dashboard: {settings.demo_url}staff", flush=True)
    app.run(host=settings.host, port=settings.port, access_log=False, motd=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
