"""Answering a person by email from a ticket: the agent's words, signed with their display name, sent
through the configured SMTP server (ALERT_SMTP_HOST and its companions, alerts.py) from
STAFF_REPLY_FROM to the contact email the person gave with their consent, and kept in the ticket's
history with its author. Blocking: call it from a worker thread.
"""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

from bot.settings import current_settings
from bot.triage import alerts
from bot.triage.casework import Actor, load_ticket, record_event
from bot.triage.clean_text import clean_text
from bot.triage.db import triage_session
from bot.triage.models import MAX_NOTE_CHARS
from bot.triage.settings import SettingError

DEFAULT_SUBJECT = "Your question to our skincare assistant"


class ReplyError(Exception):
    """A reply that could not be sent; ``status`` is the HTTP status to answer with, the message says why."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def _reply_text(raw: object) -> str:
    text = clean_text(str(raw or "")).strip()
    if not text:
        raise ReplyError(400, "a reply needs some text")
    if len(text) > MAX_NOTE_CHARS:
        raise ReplyError(413, f"a reply can be at most {MAX_NOTE_CHARS} characters")
    return text


def reply_by_email(ticket_id: int, raw_text: object, actor: Actor) -> bool:
    """Email the person behind a ticket; ``False`` if there is no such ticket, ``ReplyError`` if it
    cannot be sent (no contact email, no mail server configured, the server refused)."""
    text = _reply_text(raw_text)
    with triage_session() as session:
        ticket = load_ticket(session, ticket_id)
        if ticket is None:
            return False
        address = ticket.contact_email
    if not address:
        raise ReplyError(400, "this person gave no email address, so there is nowhere to send a reply")
    try:
        config = alerts.alert_settings()
    except SettingError as error:
        raise ReplyError(503, f"email replies are off: {error}") from None
    sender = current_settings().staff_reply_from
    if not config.smtp_host or not sender:
        raise ReplyError(503, "email replies are off: set ALERT_SMTP_HOST (the mail server) and STAFF_REPLY_FROM "
                              "(the support address replies come from)")
    message = EmailMessage()
    message["Subject"] = DEFAULT_SUBJECT
    message["From"] = sender
    message["To"] = address
    message.set_content(f"{text}\n\n{actor.name}, support team\n")
    try:
        with smtplib.SMTP(config.smtp_host, config.smtp_port, timeout=alerts.SEND_TIMEOUT_SECONDS) as smtp:
            if config.smtp_starttls:
                smtp.starttls()
            if config.smtp_user:
                smtp.login(config.smtp_user, config.smtp_password or "")
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as error:
        raise ReplyError(502, f"the mail server did not take the reply ({type(error).__name__}); try again") from None
    with triage_session(write=True) as session:
        ticket = load_ticket(session, ticket_id)
        if ticket is not None:
            record_event(session, ticket, actor, "reply", f"emailed {address}: {text}")
    return True
