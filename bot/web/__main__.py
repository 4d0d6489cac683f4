"""``python -m bot.web``: the website server in the foreground (demo page, widget files, staff area).

Settings from the environment: WEB_HOST (127.0.0.1), WEB_PORT (8080), RASA_PORT (5005) and
RASA_PUBLIC_URL (http://localhost:${RASA_PORT}), the address browsers use to reach Rasa.
"""

from __future__ import annotations

import sys

from bot.triage.dashboard import create_staff_blueprint
from bot.web.server import WebSettings, WebSettingsError, create_web_app, missing_static_files


def main() -> int:
    """Check the settings and the widget files, print the demo address, then serve until stopped."""
    try:
        settings = WebSettings.from_env()
    except WebSettingsError as error:
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
    app = create_web_app(settings, blueprints=[create_staff_blueprint()])
    print(f"Skincare shop demo with the chat widget: {settings.demo_url}", flush=True)
    print(f"Staff dashboard: {settings.demo_url}staff", flush=True)
    app.run(host=settings.host, port=settings.port, access_log=False, motd=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
