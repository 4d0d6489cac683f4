"""The website server: a demo skincare shop page with the chat widget, the widget's files, and a hook
for the staff dashboard.

The widget itself talks to Rasa's socket.io channel (bot/channels/socketio.py) directly from the
browser; this server only serves pages and files, so it never sees a conversation.
"""

from __future__ import annotations

import html
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from string import Template
from urllib.parse import urlsplit

from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

PACKAGE_DIR = Path(__file__).resolve().parent
STATIC_DIR = PACKAGE_DIR / "static"
TEMPLATE_DIR = PACKAGE_DIR / "templates"
# Files the widget cannot work without; socket.io.min.js is copied in by `python -m bot.web.assets`.
REQUIRED_STATIC_FILES = ("chat.js", "chat.css", "vendor/socket.io.min.js")

DEFAULT_HOST = "127.0.0.1"
DEFAULT_WEB_PORT = 8080
DEFAULT_RASA_PORT = 5005
DEFAULT_WIDGET_TITLE = "Skincare ingredient assistant"


class WebSettingsError(ValueError):
    """An environment variable for the web server has a value it cannot use."""


@dataclass(frozen=True)
class WebSettings:
    """Where the web server listens and where the browser finds Rasa's socket.io channel."""

    host: str = DEFAULT_HOST
    port: int = DEFAULT_WEB_PORT
    rasa_public_url: str = f"http://localhost:{DEFAULT_RASA_PORT}"
    widget_title: str = DEFAULT_WIDGET_TITLE

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> WebSettings:
        """Read WEB_HOST, WEB_PORT, RASA_PORT and RASA_PUBLIC_URL (all optional)."""
        env = os.environ if environ is None else environ
        port = _port_from(env, "WEB_PORT", DEFAULT_WEB_PORT)
        rasa_port = _port_from(env, "RASA_PORT", DEFAULT_RASA_PORT)
        public_url = env.get("RASA_PUBLIC_URL", "").strip() or f"http://localhost:{rasa_port}"
        return cls(
            host=env.get("WEB_HOST", "").strip() or DEFAULT_HOST,
            port=port,
            rasa_public_url=_checked_public_url(public_url),
        )

    @property
    def demo_url(self) -> str:
        """The address to open in a browser for the demo page."""
        host = "localhost" if self.host in ("0.0.0.0", "::", "") else self.host  # noqa: S104
        if ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{self.port}/"


def _port_from(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not 0 < int(raw) < 65536:
        raise WebSettingsError(f"{name}={raw!r} is not a port number: use a number from 1 to 65535")
    return int(raw)


def _checked_public_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise WebSettingsError(
            f"RASA_PUBLIC_URL={url!r} is not an http(s) address: set it to the URL browsers use to "
            "reach the Rasa server, e.g. http://localhost:5005 or https://chat.example.com"
        )
    return url.rstrip("/")


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

