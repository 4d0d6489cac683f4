"""nginx in front of the replicas: its configuration, rendered from deploy/nginx/nginx.conf.template.

`make run-prod` renders it under var/nginx/ with loopback addresses and runs nginx as a child of the
launcher (pid, logs and temporary files under var/, so no root is needed). deploy/nginx/compose.conf is
the same template rendered for Compose's service names (`python -m bot.nginx` rewrites it;
tests/deploy/ checks it is up to date).
"""

from __future__ import annotations

import re
import shutil
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.topology import CONTAINER_PORTS

REPO_ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = REPO_ROOT / "deploy" / "nginx" / "nginx.conf.template"
COMPOSE_CONF = REPO_ROOT / "deploy" / "nginx" / "compose.conf"
_PLACEHOLDER = re.compile(r"\{\{ (\w+) \}\}")
# A replica that fails once is left alone this long before nginx tries it again.
FAIL_TIMEOUT = "10s"


@dataclass(frozen=True)
class NginxLayout:
    """Where nginx listens, the servers behind it, and where it keeps its own files."""

    listen: str
    action_listen: str
    rasa: Sequence[str]
    actions: Sequence[str]
    web: Sequence[str]
    pid_file: str
    error_log: str
    access_log: str
    temp_dir: str
    origin: str


def _servers(addresses: Sequence[str]) -> str:
    return "\n".join(f"        server {a} max_fails=1 fail_timeout={FAIL_TIMEOUT};" for a in addresses)


def render(layout: NginxLayout, template: Path = TEMPLATE) -> str:
    """The configuration text; every `{{ name }}` of the template must have a value."""
    values = {
        "listen": layout.listen, "action_listen": layout.action_listen,
        "rasa_servers": _servers(layout.rasa), "action_servers": _servers(layout.actions),
        "web_servers": _servers(layout.web), "pid_file": layout.pid_file, "error_log": layout.error_log,
        "access_log": layout.access_log, "temp_dir": layout.temp_dir, "origin": layout.origin,
    }
    text = template.read_text(encoding="utf-8")
    unknown = sorted(set(_PLACEHOLDER.findall(text)) - values.keys())
    if unknown:
        raise ValueError(f"{template}: unknown placeholders {', '.join(unknown)}")
    return _PLACEHOLDER.sub(lambda match: values[match.group(1)], text)


def local_layout(var_dir: Path, public_port: int, action_proxy_port: int, rasa_ports: Sequence[int],
                 action_ports: Sequence[int], web_port: int) -> NginxLayout:
    """`make run-prod`: everything on loopback, nginx's files under `var_dir`/nginx."""
    home = var_dir / "nginx"
    return NginxLayout(
        listen=f"127.0.0.1:{public_port}", action_listen=f"127.0.0.1:{action_proxy_port}",
        rasa=[f"127.0.0.1:{p}" for p in rasa_ports], actions=[f"127.0.0.1:{p}" for p in action_ports],
        web=[f"127.0.0.1:{web_port}"], pid_file=str(home / "nginx.pid"), error_log=str(home / "error.log"),
        access_log=str(home / "access.log"), temp_dir=str(home / "temp"),
        origin=f"make run-prod, http://localhost:{public_port}",
    )


def compose_layout() -> NginxLayout:
    """deploy/compose.yml: the replicas by service name, the official image's paths."""
    return NginxLayout(
        listen=str(CONTAINER_PORTS["nginx"]), action_listen=str(CONTAINER_PORTS["action-proxy"]),
        rasa=[f"rasa-{i}:{CONTAINER_PORTS['rasa']}" for i in (1, 2)],
        actions=[f"action-{i}:{CONTAINER_PORTS['action']}" for i in (1, 2)],
        web=[f"web:{CONTAINER_PORTS['web']}"], pid_file="/tmp/nginx.pid", error_log="stderr",  # noqa: S108
        access_log="/dev/stdout", temp_dir="/tmp/nginx", origin="deploy/compose.yml",  # noqa: S108
    )


def write_local_config(layout: NginxLayout, var_dir: Path) -> Path:
    """Render the configuration under `var_dir`/nginx and create the directories nginx writes to."""
    home = var_dir / "nginx"
    (home / "temp").mkdir(parents=True, exist_ok=True)
    path = home / "nginx.conf"
    path.write_text(render(layout), encoding="utf-8")
    return path


def nginx_binary() -> str:
    """Path of the nginx program (Debian's package installs /usr/sbin/nginx, often not on a user's PATH)."""
    found = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin")
    if found is None:
        raise FileNotFoundError("nginx is not installed: `make run-prod` installs Debian's nginx package, "
                                "or run `apt-get install nginx`")
    return found


def nginx_argv(config: Path) -> list[str]:
    """nginx in the foreground with this configuration (-e: the start-up error log before it is read)."""
    return [nginx_binary(), "-e", str(config.parent / "error.log"), "-p", str(config.parent), "-c", str(config),
            "-g", "daemon off;"]


if __name__ == "__main__":
    COMPOSE_CONF.write_text(render(compose_layout()), encoding="utf-8")
    print(f"wrote {COMPOSE_CONF}", file=sys.stderr)
