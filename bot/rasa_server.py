"""`python -m bot.rasa_server run ...`: Rasa's own command line, with our changes applied first.

bot/rasa_speedups.py removes work Rasa repeats on every message and bot/bounded_history.py work that grows
with the conversation (same behaviour), bot/action_events.py sends the action server only the events it
has not seen; bot/typed_intents.py
stops typed "/intent{...}" messages from bypassing NLU; bot/resilience.py answers honestly when the action
server, the conversation store or the lock store is down; bot/observability.py adds /health, /ready,
/metrics and JSON logs; bot/startup_heap.py keeps the loaded model out of later garbage collections.
With `--enable-api`, the API token comes from the RASA_API_TOKEN environment variable and is handed to
Rasa inside this process, so it never appears on a command line (visible to anyone in `ps`).

The `--credentials` file is filtered first (bot/channels/credentials.py): messaging channels whose
variables are not all set are left out, since Rasa refuses to start on an unset `${VAR}`. The same
command therefore runs under the launcher and in a container (bot/topology.py).
"""

from __future__ import annotations

import atexit
import os
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path

from bot import action_events, bounded_history, observability, quick_skops, rasa_speedups, resilience, startup_heap
from bot.settings import load_at_start, settings_for
from bot.typed_intents import install_typed_intent_guard


def rasa_arguments(argv: list[str], environ: Mapping[str, str] | None = None) -> list[str]:
    """Rasa's command line: `argv` plus `--auth-token` from RASA_API_TOKEN when the API is enabled."""
    token = settings_for(environ).rasa_api_token
    if "--enable-api" in argv and token and "--auth-token" not in argv:
        return [*argv, "--auth-token", token]
    return list(argv)


def with_runtime_credentials(argv: list[str]) -> list[str]:
    """`argv` with its `--credentials FILE` replaced by a filtered copy (a temporary file, no secret in it)."""
    if "--credentials" not in argv:
        return argv
    from bot.channels.credentials import write_runtime_credentials

    index = argv.index("--credentials") + 1
    handle, path = tempfile.mkstemp(prefix="rasa-credentials-", suffix=".yml")
    os.close(handle)
    atexit.register(lambda: Path(path).unlink(missing_ok=True))
    # The messaging apps' variables are named by credentials.yml itself, not bot/settings.py.
    write_runtime_credentials(Path(path), Path(argv[index]), os.environ)
    return [*argv[:index], path, *argv[index + 1 :]]


def main() -> None:
    """Check the settings, apply the fixes, then run the `rasa` command line with this process's arguments."""
    load_at_start("rasa server")  # every variable checked at once; exits 2 naming each bad one
    quick_skops.install()  # before Rasa loads the intent classifier with skops
    rasa_speedups.install_all()
    bounded_history.install_all()
    action_events.install_event_tail()
    install_typed_intent_guard()
    resilience.install_all()
    observability.install_all()
    startup_heap.install_for_rasa()  # once the model is loaded
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", *rasa_arguments(with_runtime_credentials(sys.argv[1:]))]
    rasa_main()


if __name__ == "__main__":
    main()
