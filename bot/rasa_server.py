"""`python -m bot.rasa_server run ...`: Rasa's own command line, with our speed fixes applied first.

The fixes (bot/rasa_speedups.py) keep Rasa's behaviour and remove work it repeats on every message.
The `--credentials` file is filtered first (bot/channels/credentials.py): messaging channels whose
variables are not all set are left out, since Rasa refuses to start on an unset `${VAR}`. The same
command therefore runs under the launcher and in a container (bot/topology.py).
"""

from __future__ import annotations

import atexit
import os
import sys
import tempfile
from pathlib import Path

from bot.rasa_speedups import install_all


def with_runtime_credentials(argv: list[str]) -> list[str]:
    """`argv` with its `--credentials FILE` replaced by a filtered copy (a temporary file, no secret in it)."""
    if "--credentials" not in argv:
        return argv
    from bot.channels.credentials import write_runtime_credentials

    index = argv.index("--credentials") + 1
    handle, path = tempfile.mkstemp(prefix="rasa-credentials-", suffix=".yml")
    os.close(handle)
    atexit.register(lambda: Path(path).unlink(missing_ok=True))
    write_runtime_credentials(Path(path), Path(argv[index]), os.environ)
    return [*argv[:index], path, *argv[index + 1 :]]


def main() -> None:
    """Apply the fixes, then run the `rasa` command line with this process's arguments."""
    install_all()
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", *with_runtime_credentials(sys.argv[1:])]
    rasa_main()


if __name__ == "__main__":
    main()
