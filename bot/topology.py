"""Which servers make up the assistant and the command line of each: one definition for every way of
running it.

`make run` / `make shell` / `make run-prod` (bot/run.py) and the container images (deploy/compose.yml,
deploy/kubernetes/) start the same programs with the same arguments; only ports, the listening
interface and the interpreter's path differ. tests/deploy/ checks the deployment files against these
functions, so a changed command line here fails there until deploy/ follows.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.settings import (
    DEFAULT_ACTION_PORT,
    DEFAULT_ACTION_PROXY_PORT,
    DEFAULT_PUBLIC_PORT,
    DEFAULT_RASA_PORT,
    DEFAULT_WEB_PORT,
)

# Ports the servers use inside a container (each container has its own network namespace).
CONTAINER_PORTS = {"action": DEFAULT_ACTION_PORT, "rasa": DEFAULT_RASA_PORT, "web": DEFAULT_WEB_PORT,
                   "nginx": DEFAULT_PUBLIC_PORT, "action-proxy": DEFAULT_ACTION_PROXY_PORT}
# Paths inside the image (WORKDIR /app), as the Dockerfile lays them out.
CONTAINER_MODEL = "models/skincare.tar.gz"
CONTAINER_ENDPOINTS = "endpoints.production.yml"
CREDENTIALS = "credentials.yml"
# Seconds Sanic waits for in-flight requests after SIGTERM (GRACEFUL_SHUTDOWN_TIMEOUT); the launcher and
# the Kubernetes terminationGracePeriodSeconds allow a little more before they kill.
GRACEFUL_SHUTDOWN_SECONDS = 15


@dataclass(frozen=True)
class ServerCommand:
    """A server's program (a Python module) and its arguments, without the interpreter."""

    module: str
    args: tuple[str, ...]

    def argv(self, python: str = "python") -> list[str]:
        """The full command line with `python` as the interpreter."""
        return [python, "-m", self.module, *self.args]


def action_server(port: int) -> ServerCommand:
    """The action server: rasa-sdk's executor behind our checks (bot/action_server.py; it listens on
    $ACTION_SERVER_HOST and needs $ACTION_SERVER_TOKEN)."""
    return ServerCommand("bot.action_server", ("--port", str(port)))


def rasa_server(*, port: int, interface: str, model: str, endpoints: str, credentials: str = CREDENTIALS,
                shell: bool = False) -> ServerCommand:
    """Rasa's own command line with our speed fixes (bot/rasa_server.py), `run` or `shell`.

    `credentials` is credentials.yml itself: bot/rasa_server.py keeps only the channels whose variables
    are set (bot/channels/credentials.py) before Rasa reads it.
    """
    args = ["shell" if shell else "run", "--model", model, "--endpoints", endpoints, "--credentials", credentials,
            "--port", str(port), "--interface", interface]
    return ServerCommand("bot.rasa_server", tuple(args))


def web_server() -> ServerCommand:
    """The web server: demo page, widget files, staff area (it listens on $WEB_HOST:$WEB_PORT)."""
    return ServerCommand("bot.web", ())


def container_commands() -> dict[str, list[str]]:
    """What each container of deploy/ runs: the same commands as `make run-prod`, container ports."""
    return {
        "action": action_server(CONTAINER_PORTS["action"]).argv(),
        "rasa": rasa_server(port=CONTAINER_PORTS["rasa"], interface="0.0.0.0",  # noqa: S104 (inside a container)
                            model=CONTAINER_MODEL, endpoints=CONTAINER_ENDPOINTS).argv(),
        "web": web_server().argv(),
    }
