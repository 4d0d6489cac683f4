"""Alerts about a new urgent ticket outside the dashboard: a webhook (any URL taking a JSON POST, e.g. a
Slack incoming webhook) and an email through an SMTP server. Both optional, both from the environment:

ALERT_WEBHOOK_URL                     POST {"text": ...} here
ALERT_SMTP_HOST, ALERT_SMTP_PORT (25)  the mail server; ALERT_SMTP_TO (comma-separated) and
ALERT_SMTP_FROM say who to and from; ALERT_SMTP_USER / ALERT_SMTP_PASSWORD log in;
ALERT_SMTP_STARTTLS=true upgrades the connection first
STAFF_PUBLIC_URL                      the dashboard's address, for a link in the alert

An alert carries the ticket's number, urgency and the assistant's reason, never what the person wrote:
chat rooms and inboxes are not where customers' health details should travel. Each ticket is claimed
in the database before it is sent (``claim``), so several web processes alert once between them.
"""

from __future__ import annotations

import json
import logging
import smtplib
import urllib.request
from dataclasses import dataclass
from email.message import EmailMessage

import sqlalchemy as sa

from bot.settings import current_settings
from bot.triage.db import triage_session
from bot.triage.models import Ticket, utcnow

logger = logging.getLogger(__name__)
SEND_TIMEOUT_SECONDS = 10


@dataclass(frozen=True)
class AlertSettings:
    """Where alerts go (nothing configured: no alerts)."""

    webhook_url: str | None
    smtp_host: str | None
    smtp_port: int
    smtp_to: tuple[str, ...]
    smtp_from: str
    smtp_user: str | None
    smtp_password: str | None
    smtp_starttls: bool
    public_url: str

    @property
    def any(self) -> bool:
        """Whether any alert channel is configured."""
        return bool(self.webhook_url or (self.smtp_host and self.smtp_to))


def alert_settings() -> AlertSettings:
    """The alert channels from the environment; ``SettingError`` naming a variable that cannot be used."""
    env = current_settings()  # checked there, ALERT_SMTP_HOST without ALERT_SMTP_TO included
    return AlertSettings(
        webhook_url=env.alert_webhook_url, smtp_host=env.alert_smtp_host, smtp_port=env.alert_smtp_port,
        smtp_to=env.alert_smtp_to, smtp_from=env.alert_smtp_from, smtp_user=env.alert_smtp_user,
        smtp_password=env.alert_smtp_password, smtp_starttls=env.alert_smtp_starttls,
        public_url=(env.staff_public_url or "").rstrip("/"),
    )


def claim(ticket_id: int) -> bool:
    """Mark a ticket alerted; ``True`` only for the one caller that did it first."""
    with triage_session(write=True) as session:
        result = session.execute(sa.update(Ticket).where(Ticket.id == ticket_id, Ticket.alerted_at.is_(None))
                                 .values(alerted_at=utcnow()).execution_options(synchronize_session=False))
        return result.rowcount == 1


def alert_text(ticket_id: int, reason: str, config: AlertSettings) -> str:
    """The alert's words: number, urgency, the assistant's reason and a link; nothing the person wrote."""
    link = f" {config.public_url}/staff/tickets/{ticket_id}" if config.public_url else ""
    return f"Urgent ticket {ticket_id}: {reason}. Open it in the staff dashboard:{link or ' /staff'}"


def send(ticket_id: int, reason: str, config: AlertSettings) -> None:
    """Send the alert on every configured channel; a failing channel is logged, the others still go.
    Blocking: run it in a worker thread."""
    text = alert_text(ticket_id, reason, config)
    if config.webhook_url:
        try:
            body = json.dumps({"text": text, "ticket_id": ticket_id, "urgency": "urgent"}).encode()
            # The scheme is checked to be http(s) in alert_settings.
            request = urllib.request.Request(config.webhook_url, data=body, method="POST",  # noqa: S310
                                             headers={"Content-Type": "application/json"})
            with urllib.request.urlopen(request, timeout=SEND_TIMEOUT_SECONDS) as reply:  # noqa: S310
                reply.read()
        except OSError as error:
            logger.error("staff alert: the webhook failed for ticket %s: %s", ticket_id, error)
    if config.smtp_host and config.smtp_to:
        message = EmailMessage()
        message["Subject"] = f"Urgent ticket {ticket_id}"
        message["From"] = config.smtp_from
        message["To"] = ", ".join(config.smtp_to)
        message.set_content(text)
        try:
            with smtplib.SMTP(config.smtp_host, config.smtp_port, timeout=SEND_TIMEOUT_SECONDS) as smtp:
                if config.smtp_starttls:
                    smtp.starttls()
                if config.smtp_user:
                    smtp.login(config.smtp_user, config.smtp_password or "")
                smtp.send_message(message)
        except (OSError, smtplib.SMTPException) as error:
            logger.error("staff alert: the email failed for ticket %s: %s", ticket_id, error)
