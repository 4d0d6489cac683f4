"""What the assistant says when a service it needs is down (bot/resilience.py decides when)."""

from __future__ import annotations

#: A custom action did not answer in time, or the action server is down.
ACTION_UNAVAILABLE = "Sorry, I can't answer that right now, please try again in a minute."

#: The conversation store or the conversation lock store cannot be reached: answering without them
#: would forget what the person said (or mix up their turns), so the assistant says so instead.
CONVERSATION_UNAVAILABLE = (
    "Sorry, I can't answer that right now: I can't reach the place where our conversation is kept, "
    "and I don't want to lose what you've told me. Please try again in a minute."
)
