"""The staff accounts page (/staff/agents): admins create agents and switch accounts off.

Until the first account exists, a session started with STAFF_TOKEN may use this page, and only to make
that first admin; from then on everyone signs in with their own email and password.
"""

from __future__ import annotations

import asyncio

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.triage import agents
from bot.triage.staff_access import BadInput, page, page_guard, require_admin


def add_agent_routes(bp: Blueprint) -> None:
    """Mount the accounts page and its forms on the staff blueprint."""

    @bp.get("/agents")
    @page_guard
    async def agents_page(request: Request) -> HTTPResponse:
        require_admin(request)
        staff = await asyncio.to_thread(agents.list_agents)
        return page(request, "agents.html", agents=staff, roles=[role.value for role in agents.AgentRole],
                    min_password=agents.MIN_PASSWORD_CHARS)

    @bp.post("/agents")
    @page_guard
    async def create_agent_form(request: Request) -> HTTPResponse:
        require_admin(request)
        form = request.form
        first = request.ctx.agent is None
        try:
            await asyncio.to_thread(agents.create_agent, form.get("email"), form.get("display_name"),
                                    form.get("password"), "admin" if first else form.get("role"))
        except agents.AccountError as error:
            raise BadInput(400, str(error)) from None
        if first:  # the token session has done its one job: sign in with the new account now
            return page(request, "message.html", title="First admin created",
                        message="Sign out, then sign in with the email and password you just chose.")
        return response.redirect("/staff/agents", status=303)

    @bp.post("/agents/<agent_id>/active")
    @page_guard
    async def agent_active_form(request: Request, agent_id: str) -> HTTPResponse:
        require_admin(request)
        if not agent_id.isdigit() or len(agent_id) > 12:
            raise BadInput(400, "an account number is a positive whole number")
        try:
            changed = await asyncio.to_thread(agents.set_active, int(agent_id), request.form.get("active") == "1")
        except agents.AccountError as error:
            raise BadInput(400, str(error)) from None
        if changed is None:
            raise BadInput(404, f"there is no account {agent_id}")
        return response.redirect("/staff/agents", status=303)
