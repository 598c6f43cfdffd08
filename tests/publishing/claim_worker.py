"""A claiming process for the concurrency test: claim until the outbox is empty.

Run as ``python claim_worker.py OUTBOX_URL MARKETPLACE WORKER``; prints each claimed job's id
on a line of its own, marks it published, and exits 0 when no job is left to claim.
"""

from __future__ import annotations

import sys

from ruralseller.publishing import Outbox


def main(target: str, marketplace: str, worker: str) -> int:
    outbox = Outbox(target)
    owner = f"test-worker-{worker}"
    try:
        while True:
            jobs = outbox.claim(marketplace, 7, lease=120, owner=owner)
            if not jobs:
                return 0
            for job in jobs:
                sys.stdout.write(f"{job.id}\n")
                sys.stdout.flush()
                outbox.published(job, {"state": "active", "worker": worker})
    finally:
        outbox.close()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], sys.argv[3]))
