"""How soon each ticket should be answered (its target), how long the person has waited, and whether the
target is breached: the queue's colours.

Targets come from TICKET_TARGET_URGENT / _HIGH / _NORMAL, each a number with a unit: ``m`` minutes,
``h`` hours, ``d`` days or ``bd`` business days (Monday to Friday); defaults 10m, 4h and 1bd.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.settings import TARGET_SPAN, current_settings
from bot.triage.models import Urgency
from bot.triage.settings import SettingError

_SPAN = TARGET_SPAN
_UNIT_SECONDS = {"m": 60, "h": 3600, "d": 86400}
#: Within this share of its target a ticket is "due soon" (amber) before it is breached (red).
DUE_SOON_SHARE = 0.25


@dataclass(frozen=True)
class Target:
    """A response target: a plain duration, or a number of business days."""

    amount: float
    unit: str  # m, h, d or bd
    text: str

    def due(self, since: dt.datetime) -> dt.datetime:
        """When a ticket opened at ``since`` should have been answered."""
        if self.unit != "bd":
            return since + dt.timedelta(seconds=self.amount * _UNIT_SECONDS[self.unit])
        due, whole = since, int(self.amount)
        while whole > 0:
            due += dt.timedelta(days=1)
            if due.weekday() < 5:
                whole -= 1
        due += dt.timedelta(days=self.amount - int(self.amount))
        while due.weekday() >= 5:  # a target that falls on a weekend moves to Monday
            due += dt.timedelta(days=1)
        return due


def parse_target(name: str, raw: str) -> Target:
    """A target such as ``10m``, ``4h``, ``2d`` or ``1bd``; ``SettingError`` naming the variable otherwise."""
    match = _SPAN.fullmatch(raw)
    if not match or float(match.group(1)) <= 0:
        raise SettingError(f"{name} must be a positive number with a unit m, h, d or bd (business days), "
                           f"such as 10m or 1bd; got {raw[:40]!r}")
    return Target(float(match.group(1)), match.group(2), raw.strip())


def targets() -> dict[Urgency, Target]:
    """The target for each urgency, from the environment (read each time: tests and operators change it)."""
    env = current_settings()  # checked there (a bad target stops the web server's start)
    configured = {Urgency.URGENT: env.ticket_target_urgent, Urgency.HIGH: env.ticket_target_high,
                  Urgency.NORMAL: env.ticket_target_normal}
    return {urgency: parse_target(f"TICKET_TARGET_{urgency.value.upper()}", raw) for urgency, raw in configured.items()}


@dataclass(frozen=True)
class Waiting:
    """How long a ticket's person has waited, against its target."""

    seconds: int
    target: str
    due: dt.datetime
    state: str  # "ok", "due-soon", "breached" or "done" (resolved tickets do not wait)

    @property
    def text(self) -> str:
        """The wait, short: "7 min", "3 h", "2 d"."""
        for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
            if self.seconds >= size:
                return f"{self.seconds // size} {unit}"
        return "<1 min"

    def as_dict(self) -> dict[str, object]:
        """JSON-ready form."""
        return {"waiting_seconds": self.seconds, "target": self.target, "due": self.due.isoformat(),
                "target_state": self.state}


def waiting(urgency: Urgency, created_at: dt.datetime, resolved: bool, now: dt.datetime,
            table: dict[Urgency, Target]) -> Waiting:
    """The wait of one ticket at ``now``."""
    target = table[urgency]
    due = target.due(created_at)
    seconds = max(0, int((now - created_at).total_seconds()))
    if resolved:
        state = "done"
    elif now > due:
        state = "breached"
    elif (due - now).total_seconds() <= DUE_SOON_SHARE * max(1.0, (due - created_at).total_seconds()):
        state = "due-soon"
    else:
        state = "ok"
    return Waiting(seconds, target.text, due, state)
