"""Where ``generate_demo_data``'s time goes: each step's wall time and the CPU
time the database server spent on it (docs/performance.md, "What two cores
allow").

    make clean-db && make migrate
    CLAIMDESK_DEMO=1 .venv/bin/python scripts/generation_cpu.py --claims 1000000

Needs the embedded server (its postmaster's pid is read from the data
folder): the server's CPU is every child of the postmaster (the generating
backend, its parallel index workers, the background processes) read from
``/proc`` at each step, plus what its exited children (the workers) used.
Linux only.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "claimdesk.settings")
# As manage.py runs generate_demo_data: as the owner, with a command's
# statement timeout.
os.environ.setdefault("CLAIMDESK_DB_AS_OWNER", "1")
os.environ.setdefault("CLAIMDESK_STATEMENT_TIMEOUT", "15min")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

from claimdesk.database import default_pgdata  # noqa: E402
from claims.demo_data import generate  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> tuple[int, int, int] | None:
    """(parent pid, own CPU ticks, exited children's CPU ticks) of ``pid``."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return None
    return (
        int(fields[1]),
        int(fields[11]) + int(fields[12]),
        int(fields[13]) + int(fields[14]),
    )


def server_cpu(postmaster: int) -> float:
    """Seconds of CPU the server has used: its live children's and its own,
    with what its exited children used."""
    ticks = 0
    for name in os.listdir("/proc"):
        if name.isdigit():
            stat = _stat(int(name))
            if stat and stat[0] == postmaster:
                ticks += stat[1]
    own = _stat(postmaster)
    return (ticks + own[1] + own[2]) / TICKS


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    pgdata = default_pgdata(settings.BASE_DIR)
    pid_file = pgdata / "postmaster.pid"
    if not pid_file.exists():
        sys.exit(f"No embedded server runs in {pgdata}: run make migrate first.")
    postmaster = int(pid_file.read_text().split()[0])
    last = [server_cpu(postmaster), time.perf_counter()]
    totals = [0.0, 0.0]

    def progress(name: str, seconds: float) -> None:
        now = [server_cpu(postmaster), time.perf_counter()]
        cpu = now[0] - last[0]
        totals[0] += cpu
        totals[1] += now[1] - last[1]
        print(f"{name:14s} wall {seconds:5.1f} s   server CPU {cpu:5.1f} s")
        last[:] = now

    report = generate(args.claims, seed=args.seed, progress=progress)
    print(
        f"{args.claims:,} claims in {report.seconds:.1f} s; server CPU over the "
        f"steps {totals[0]:.1f} s in {totals[1]:.1f} s of wall time: on two "
        f"cores at least {totals[0] / 2:.1f} s"
    )


if __name__ == "__main__":
    main()
