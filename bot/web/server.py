"""The website server: a demo skincare shop page with the chat widget, the widget's files, and a hook
for the staff dashboard.

The widget itself talks to Rasa's socket.io channel (bot/channels/socketio.py) directly from the
browser; this server only serves pages and files, so it never sees a conversation.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from string import Template
from urllib.parse import urlsplit

from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.settings import DEFAULT_HOST, DEFAULT_RASA_PORT, DEFAULT_WEB_PORT, SettingsError, settings_for

PACKAGE_DIR = Path(__file__).resolve().parent
STATIC_DIR = PACKAGE_DIR / "static"
TEMPLATE_DIR = PACKAGE_DIR / "templates"
# Files the widget cannot work without; socket.io.min.js is copied in by `python -m bot.web.assets`.
REQUIRED_STATIC_FILES = ("chat.js", "chat.css", "vendor/socket.io.min.js")

DEFAULT_WIDGET_TITLE = "Skincare ingredient assistant"


#: An environment variable for the web server has a value it cannot use (bot/settings.py checks them all).
WebSettingsError = SettingsError


@dataclass(frozen=True)
class WebSettings:
    """Where the web server listens and where the browser finds Rasa's socket.io channel."""

    host: str = DEFAULT_HOST
    port: int = DEFAULT_WEB_PORT
    rasa_public_url: str = f"http://localhost:{DEFAULT_RASA_PORT}"
    widget_title: str = DEFAULT_WIDGET_TITLE

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> WebSettings:
        """Read WEB_HOST, WEB_PORT, RASA_PORT and RASA_PUBLIC_URL (all optional; bot/settings.py checks them)."""
        env = settings_for(environ)
        return cls(
            host=env.web_host,
            port=env.web_port,
            rasa_public_url=env.rasa_public_url or f"http://localhost:{env.rasa_port}",
        )

    @property
    def demo_url(self) -> str:
        """The address to open in a browser for the demo page."""
        host = "localhost" if self.host in ("0.0.0.0", "::", "") else self.host  # noqa: S104
        if ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{self.port}/"


def missing_static_files(static_dir: Path = STATIC_DIR) -> list[str]:
    """Widget files that are not in place yet (empty when the widget can be served)."""
    return [name for name in REQUIRED_STATIC_FILES if not (static_dir / name).is_file()]


def _socket_origins(rasa_public_url: str) -> str:
    """The CSP connect-src entries for socket.io: HTTP long-polling plus the WebSocket upgrade."""
    parts = urlsplit(rasa_public_url)
    ws_scheme = "wss" if parts.scheme == "https" else "ws"
    return f"{parts.scheme}://{parts.netloc} {ws_scheme}://{parts.netloc}"


def demo_page_policy(settings: WebSettings) -> str:
    """Content-Security-Policy of the demo page: only our own files, sockets only to Rasa."""
    return "; ".join(
        (
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            f"connect-src 'self' {_socket_origins(settings.rasa_public_url)}",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'none'",
            "frame-ancestors 'none'",
        )
    )


def render_demo_page(settings: WebSettings) -> str:
    """The demo shop page, with the widget pointed at ``settings.rasa_public_url``."""
    template = Template((TEMPLATE_DIR / "demo.html").read_text(encoding="utf-8"))
    return template.substitute(
        server_url=html.escape(settings.rasa_public_url, quote=True),
        widget_title=html.escape(settings.widget_title, quote=True),
    )


def create_web_app(
    settings: WebSettings,
    blueprints: Sequence[Blueprint] = (),
    name: str = "skincare_web",
) -> Sanic:
    """Build the web server: demo page at ``/``, widget files under ``/widget/``, ``/health``.

    ``blueprints`` are mounted as they are (the staff dashboard passes its own here).
    """
    app = Sanic(name, configure_logging=False)
    app.config.FALLBACK_ERROR_FORMAT = "text"
    demo_html = render_demo_page(settings)
    policy = demo_page_policy(settings)

    # HEAD too: uptime monitors and load balancers often check a page that way.
    @app.route("/", methods=["GET", "HEAD"])
    async def demo_page(_: Request) -> HTTPResponse:
        # X-Frame-Options beside frame-ancestors, for browsers that only know the older header.
        return response.html(demo_html, headers={"Content-Security-Policy": policy, "X-Frame-Options": "DENY"})

    @app.route("/health", methods=["GET", "HEAD"])
    async def health(_: Request) -> HTTPResponse:
        return response.json({"status": "ok", "widget_files_missing": missing_static_files()})

    @app.get("/widget/<name:path>")
    async def widget_file(_: Request, name: str) -> HTTPResponse:
        # Resolved and checked by hand: Sanic 21.12's static handler answers 500 for a directory.
        path = (STATIC_DIR / name).resolve()
        if not path.is_relative_to(STATIC_DIR) or not path.is_file():
            return response.text("Not found", status=404)
        return await response.file(path, headers={"Cache-Control": "public, max-age=300"})

    @app.on_response
    async def security_headers(_: Request, resp: HTTPResponse) -> None:
        resp.headers.setdefault("X-Content-Type-Options", "nosniff")
        resp.headers.setdefault("Referrer-Policy", "same-origin")

    for blueprint in blueprints:
        app.blueprint(blueprint)
    return app

