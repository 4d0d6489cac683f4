"""``python -m bot.web``: the website server in the foreground (demo page, widget files, staff area).

Settings from the environment: WEB_HOST (127.0.0.1), WEB_PORT (8080), RASA_PORT (5005) and
RASA_PUBLIC_URL (http://localhost:${RASA_PORT}), the address browsers use to reach Rasa. The server
also runs triage's retention clean-up (RETENTION_DAYS, every RETENTION_PURGE_HOURS; 0 = never) and,
every minute, opens any urgent emergency ticket that was missed (bot/triage/emergency_tickets.py).
"""

from __future__ import annotations

import logging
import sys

from bot.triage import settings as triage_settings
from bot.triage.dashboard import create_staff_blueprint
from bot.triage.emergency_tickets import open_missed_emergency_tickets_on_schedule
from bot.triage.retention import purge_on_schedule
from bot.triage.takeover import takeover_enabled
from bot.web.server import WebSettings, WebSettingsError, create_web_app, missing_static_files


def main() -> int:
    """Check the settings and the widget files, print the demo address, then serve until stopped."""
    try:
        settings = WebSettings.from_env()
    except WebSettingsError as error:
        print(f"web server: {error}", file=sys.stderr)
        return 2
    try:
        purge_every_hours = triage_settings.purge_every_hours()
        triage_settings.retention_days()
        # A short STAFF_TOKEN (or bad session setting) stops the start-up, naming the variable.
        triage_settings.staff_token()
        triage_settings.staff_session_key()
        triage_settings.staff_session_idle_seconds()
        triage_settings.staff_session_max_seconds()
        takeover_enabled()  # STAFF_RELAY_TOKEN / STAFF_RELAY_URL, when set, must be usable
    except triage_settings.SettingError as error:
        print(f"web server: {error}", file=sys.stderr)
        return 2
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
