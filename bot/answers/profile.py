"""What the assistant remembers about the person, acknowledged (decided in fallback-style, worded by render)."""

from __future__ import annotations

from dataclasses import asdict

from bot.answers.answer import Answer, PersonProfile
from bot.answers.fallback import profile_acknowledgement
from bot.answers.render import render


def compose_profile_acknowledgement(profile: PersonProfile, ingredient_in_focus: str | None) -> Answer:
    """Confirm what we'll keep in mind, and offer to check the ingredient in focus against it."""
    return render(profile_acknowledgement(asdict(profile), ingredient_in_focus, bool(profile.skin_conditions)))
