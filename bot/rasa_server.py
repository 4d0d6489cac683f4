"""`python -m bot.rasa_server run ...`: Rasa's own command line, with our changes applied first.

bot/rasa_speedups.py removes work Rasa repeats on every message (same behaviour); bot/resilience.py
answers honestly when the action server, the conversation store or the lock store is down;
bot/observability.py adds /health, /ready, /metrics and JSON logs.
"""

from __future__ import annotations

import sys

from bot import observability, rasa_speedups, resilience


def main() -> None:
    """Apply our changes, then run the `rasa` command line with this process's arguments."""
    rasa_speedups.install_all()
    resilience.install_all()
    observability.install_all()
    from rasa.__main__ import main as rasa_main

    sys.argv[0] = "rasa"
    rasa_main()


if __name__ == "__main__":
    main()
