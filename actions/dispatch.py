"""Sending a composed answer through the dispatcher, and telling triage about it without ever
letting a triage problem stop the person from getting their answer."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from concurrent.futures import Future

from rasa_sdk.executor import CollectingDispatcher

from bot.answers.answer import Answer
from bot.answers.decision import ANSWER_DATA_KEY

logger = logging.getLogger(__name__)


def send_answer(dispatcher: CollectingDispatcher, answer: Answer) -> None:
    """Dispatch one composed answer (text with its disclaimer, plus buttons, plus the decision as data, plus its
    structured view, if any, as Rasa's ``custom`` payload)."""
    extra = {ANSWER_DATA_KEY: answer.data} if answer.data else {}
    dispatcher.utter_message(text=answer.full_text, buttons=[b.as_dict() for b in answer.buttons] or None,
                             json_message=answer.view, **extra)


async def tell_triage(call: Awaitable[object], what: str) -> None:
    """Await a triage recorder call; log and carry on if the triage store is unavailable."""
    try:
        await call
    except Exception:  # triage bookkeeping must never cost the person their answer
        logger.exception("triage: could not %s", what)


def tell_triage_soon(queue: Callable[..., Future[object]], *args: object, what: str) -> None:
    """Queue a triage write (``queue(*args)``) and return at once; a failure is logged, never shown."""

    def log_failure(done: Future[object]) -> None:
        error = done.exception()
        if error is not None:
            logger.error("triage: could not %s", what, exc_info=error)

    try:
        queue(*args).add_done_callback(log_failure)
    except Exception:  # refused before queueing (e.g. an unusable conversation id)
        logger.exception("triage: could not %s", what)
