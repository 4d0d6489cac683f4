"""Staff accounts: creating agents, checking their passwords, listing and switching them off.

Passwords are kept only as scrypt hashes (``hashlib.scrypt``, RFC 7914) with a random salt per
account, in the self-describing form ``scrypt$n$r$p$salt$hash`` so the cost can be raised later
without locking anyone out. Blocking functions: call them from a worker thread in async code.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from bot.triage.clean_text import clean_text
from bot.triage.db import triage_session
from bot.triage.models import MAX_DISPLAY_NAME_CHARS, MAX_EMAIL_CHARS, Agent, AgentRole

#: scrypt cost: n=2**14, r=8, p=1 is the interactive-login setting of the scrypt paper (about 16 MiB).
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
MIN_PASSWORD_CHARS = 12
MAX_PASSWORD_CHARS = 1024  # hashing a megabyte-long "password" is a denial of service, not a login
_EMAIL = re.compile(r"[^@\s]{1,64}@[^@\s]{1,189}\.[^@\s]{1,60}")
# A hash to check against when the email is unknown, so a wrong email costs as long as a wrong password.
_DUMMY_HASH: str | None = None


class AccountError(ValueError):
    """An account cannot be created or changed as asked; the message says what to fix."""


@dataclass(frozen=True)
class AgentView:
    """A staff account as the dashboard shows it (never the hash)."""

    id: int
    email: str
    display_name: str
    role: AgentRole
    active: bool

    @property
    def is_admin(self) -> bool:
        """Whether this account may manage other accounts."""
        return self.role == AgentRole.ADMIN

    def as_dict(self) -> dict[str, object]:
        """JSON-ready form."""
        return {"id": self.id, "email": self.email, "display_name": self.display_name,
                "role": self.role.value, "active": self.active}


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def hash_password(password: str) -> str:
    """A salted scrypt hash of ``password`` in the form ``scrypt$n$r$p$salt$hash``."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(digest)}"


def password_matches(password: str, stored: str) -> bool:
    """Whether ``password`` is the one ``stored`` was made from (constant-time comparison)."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        given = hashlib.scrypt(password.encode(), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p),
                               dklen=len(expected))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(given, expected)


def normalise_email(raw: object) -> str:
    """A sign-in email, trimmed and lower-cased, or ``AccountError`` saying what it should look like."""
    email = str(raw or "").strip().lower()
    if len(email) > MAX_EMAIL_CHARS or not _EMAIL.fullmatch(email):
        raise AccountError("an agent's email must look like name@example.com")
    return email


def check_password_rules(password: object) -> str:
    """The password if it is long enough (and not absurdly long), else ``AccountError``."""
    if not isinstance(password, str) or len(password) < MIN_PASSWORD_CHARS:
        raise AccountError(f"a password needs at least {MIN_PASSWORD_CHARS} characters")
    if len(password) > MAX_PASSWORD_CHARS:
        raise AccountError(f"a password can be at most {MAX_PASSWORD_CHARS} characters")
    return password


def _display_name(raw: object) -> str:
    name = clean_text(str(raw or "")).strip()
    if not name or len(name) > MAX_DISPLAY_NAME_CHARS:
        raise AccountError(f"a display name needs 1 to {MAX_DISPLAY_NAME_CHARS} characters (people see it)")
    return name


def _role(raw: object) -> AgentRole:
    try:
        return AgentRole(str(raw or "agent"))
    except ValueError:
        raise AccountError("role must be 'agent' or 'admin'") from None


def view_of(agent: Agent) -> AgentView:
    """The dashboard's view of an account row."""
    return AgentView(agent.id, agent.email, agent.display_name, agent.role, bool(agent.active))


def create_agent(email: object, display_name: object, password: object, role: object = "agent") -> AgentView:
    """Create an account; ``AccountError`` for bad input or an email that already has one."""
    email, name, role = normalise_email(email), _display_name(display_name), _role(role)
    password_hash = hash_password(check_password_rules(password))
    try:
        with triage_session(write=True) as session:
            agent = Agent(email=email, display_name=name, password_hash=password_hash, role=role, active=True)
            session.add(agent)
            session.flush()
            return view_of(agent)
    except IntegrityError:
        raise AccountError(f"there is already an account for {email}") from None


def authenticate(email: object, password: object) -> AgentView | None:
    """The active account with this email and password, or ``None`` (same cost either way)."""
    global _DUMMY_HASH
    try:
        address = normalise_email(email)
    except AccountError:
        address = None
    if not isinstance(password, str) or len(password) > MAX_PASSWORD_CHARS:
        return None
    with triage_session() as session:
        agent = session.scalars(sa.select(Agent).where(Agent.email == address)).first() if address else None
        view = view_of(agent) if agent else None
        stored = agent.password_hash if agent else None
    if stored is None:
        _DUMMY_HASH = _DUMMY_HASH or hash_password(secrets.token_hex(8))
        password_matches(password, _DUMMY_HASH)
        return None
    return view if password_matches(password, stored) and view.active else None


def get_agent(agent_id: int) -> AgentView | None:
    """One account by id, or ``None``."""
    with triage_session() as session:
        agent = session.get(Agent, agent_id)
        return view_of(agent) if agent else None


def list_agents() -> list[AgentView]:
    """Every account, admins first, then by name."""
    with triage_session() as session:
        agents = session.scalars(sa.select(Agent).order_by(Agent.role, Agent.display_name, Agent.id))
        return [view_of(agent) for agent in agents]


def any_agents() -> bool:
    """Whether any account exists (until one does, STAFF_TOKEN signs in to create the first admin)."""
    with triage_session() as session:
        return session.scalar(sa.select(sa.func.count(Agent.id))) > 0


def set_active(agent_id: int, active: bool) -> AgentView | None:
    """Switch an account on or off (off: its sessions stop working at their next request)."""
    with triage_session(write=True) as session:
        agent = session.get(Agent, agent_id)
        if agent is None:
            return None
        if not active and agent.role == AgentRole.ADMIN:
            others = session.scalar(sa.select(sa.func.count(Agent.id)).where(
                Agent.role == AgentRole.ADMIN, Agent.active.is_(True), Agent.id != agent_id))
            if not others:
                raise AccountError("this is the last active admin; make another admin first")
        agent.active = active
        return view_of(agent)
