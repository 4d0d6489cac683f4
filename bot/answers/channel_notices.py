"""What a channel says itself, without asking the assistant: the message could not be taken in.

The channels (bot/channels) answer these before a message reaches Rasa, so they carry no buttons
(a button payload is honoured only when the assistant itself offered it in the conversation).
"""

from __future__ import annotations


def too_many_messages() -> str:
    """A person (or a script) over the message rate limit."""
    return "You're sending messages faster than I can answer them. Please wait a few seconds, then try again."


def empty_message() -> str:
    """Nothing left to read: empty, whitespace only, or only invisible control characters."""
    return "It looks like your message was empty. What would you like to know about an ingredient?"


def too_long(limit: int) -> str:
    """Longer than the channel accepts."""
    return f"That message is too long for me (over {limit} characters). Could you ask it in fewer words?"


def unreadable_message() -> str:
    """Not a text message in a form the channel understands (malformed event or metadata)."""
    return "Sorry, I couldn't read that message. Could you type your question again?"


def session_expired() -> str:
    """A message sent on a connection that has no conversation of its own (yet)."""
    return "Your chat session has ended. Please reload the page to start a new conversation."


def something_went_wrong() -> str:
    """Handling the message failed on our side."""
    return "Sorry, something went wrong on my side and I couldn't answer that. Please try again in a moment."


# --- a person on the staff in the conversation (bot/channels/staff_relay.py) ---------------------------


def agent_joined(agent: str) -> str:
    """An agent has taken the conversation over from the assistant."""
    return f"{agent} from our support team has joined the chat. You're talking to a person now."


def from_agent(agent: str, text: str) -> str:
    """An agent's message on a channel that shows only text (SMS, WhatsApp, Telegram, Slack, Messenger)."""
    return f"{agent} (support team): {text}"


def handed_back() -> str:
    """The agent has handed the conversation back to the assistant."""
    return ("You're back with the assistant. Ask me about any ingredient; if you need a person again, "
            "just say \"talk to a person\".")
