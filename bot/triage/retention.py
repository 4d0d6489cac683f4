"""The retention clean-up on a timer: the web server runs `purge_expired` at start and then every
RETENTION_PURGE_HOURS (24 by default), so `make run` keeps no conversation past RETENTION_DAYS
without anyone having to set up cron. A failed run is logged and tried again at the next interval.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from bot.triage import settings
from bot.triage.privacy import DeletionReport, purge_expired

logger = logging.getLogger(__name__)


async def purge_on_schedule(
    every_hours: float,
    purge: Callable[[int], DeletionReport] = purge_expired,
    days: Callable[[], int] = settings.retention_days,
) -> None:
    """Run the clean-up now and then every ``every_hours``, forever (cancel the task to stop it)."""
    while True:
        try:
            retention = days()
            report = await asyncio.to_thread(purge, retention)
            logger.info("retention clean-up (older than %d days): %s", retention, report.summary())
        except Exception:  # the database may be down for a while: log it, try again next time
            logger.exception("retention clean-up failed; next try in %g hours", every_hours)
        await asyncio.sleep(every_hours * 3600)
