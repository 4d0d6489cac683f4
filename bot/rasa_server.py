"""`python -m bot.rasa_server run ...`: Rasa's own command line, with our speed fixes applied first.

The fixes (bot/rasa_speedups.py) keep Rasa's behaviour and remove work it repeats on every message.
"""

from __future__ import annotations

import sys

from bot.rasa_speedups import install_all


def main() -> None:
    """Apply the fixes, then run the `rasa` command line with this process's arguments."""
    install_all()
    from rasa.__main__ import main as rasa_main

    sys.argv[0] = "rasa"
    rasa_main()


if __name__ == "__main__":
    main()
