"""Staff triage: what conversations were about, tickets for the support team, knowledge gaps.

``recorder`` is what actions call; ``casework`` what the staff dashboard (``dashboard``) reads and
changes; ``privacy`` forgets a conversation or purges old data (``python -m bot.triage``).
"""
