"""What is still waiting in the outbox, and when each listing will be tried again."""

from __future__ import annotations

import datetime as dt
import time

from rich.console import Console
from rich.markup import escape

from ruralseller.publishing import Job, JobState, Outbox

__all__ = ["WAITING", "print_waiting", "retry_text"]

#: The states of a listing that is not settled yet: a later ``sync`` will send it.
WAITING = (JobState.QUEUED, JobState.FAILED_RETRYABLE, JobState.IN_FLIGHT)


def _when(at: float, now: float) -> str:
    moment = dt.datetime.fromtimestamp(at, tz=dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    seconds = round(at - now)
    if seconds <= 0:
        return f"now (due since {moment})"
    minutes, rest = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    span = (
        f"{hours} h {minutes} min"
        if hours
        else f"{minutes} min {rest} s"
        if minutes
        else f"{rest} s"
    )
    return f"{moment} (in {span})"


def retry_text(job: Job, now: float | None = None) -> str:
    """When ``job`` will be tried again, for people (empty when it is settled)."""
    now = time.time() if now is None else now
    if job.state is JobState.QUEUED:
        return "next sync"
    if job.state is JobState.FAILED_RETRYABLE:
        return _when(job.next_attempt_at, now)
    if job.state is JobState.IN_FLIGHT:
        return f"being sent; if that run stopped, from {_when(job.next_attempt_at, now)}"
    return ""


def print_waiting(console: Console, outbox: Outbox, marketplace: str) -> int:
    """List the listings still waiting for ``marketplace`` with their next try; how many."""
    now = time.time()
    jobs = outbox.jobs(*WAITING, marketplace=marketplace)
    if jobs:
        console.print(
            f"[yellow]{len(jobs)} listing(s) still wait in the outbox[/] "
            "(run `ruralseller sync` again after the time shown):"
        )
        for job in jobs:
            console.print(
                f"  {escape(job.sku)}: {job.state.value}, next try {retry_text(job, now)}"
            )
    return len(jobs)
