"""``manage.py load_test``: the app under concurrent clients.

Serves the app with gunicorn on 127.0.0.1 (a free port, the database this
process uses), runs locust headless from a second process
(``scripts/locustfile.py``: anonymous readers and signed-in editors), and
reads locust's statistics: requests per second, p50/p95/p99 and errors per
kind of request. Everything runs on loopback and is stopped afterwards;
the editor's session made for the run is deleted.
"""

from __future__ import annotations

import csv
import os
import platform
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client

from claims.bench import SEARCH_TERMS
from claims.models import Claim

LOCUSTFILE = Path(settings.BASE_DIR) / "scripts" / "locustfile.py"
START, END = "<!-- load:start -->", "<!-- load:end -->"


class LoadTestError(Exception):
    """The load test could not run; the message says why and what to do."""


@dataclass
class Line:
    name: str
    requests: int
    failures: int
    per_second: float
    p50: float
    p95: float
    p99: float


@dataclass
class Result:
    lines: list[Line]
    claims: int
    users: int
    seconds: int
    workers: int
    wait: tuple[float, float] = (1.0, 3.0)
    server_errors: str = ""

    @property
    def total(self) -> Line:
        return next(line for line in self.lines if line.name == "Aggregated")

    def table(self, command: str) -> str:
        cpu = platform.processor() or platform.machine()
        out = [
            f"Measured by `{command}` on {time.strftime('%Y-%m-%d')}: "
            f"{self.claims:,} claims; gunicorn with {self.workers} sync workers on "
            f"127.0.0.1; locust headless in a second process, {self.users} "
            f"clients for {self.seconds} s, each waiting {self.wait[0]:g}–"
            f"{self.wait[1]:g} s between requests; {os.cpu_count()} cores "
            f"({cpu}) shared by the server, "
            "the database and locust. Times in ms, as locust measured them "
            "(the whole round trip).",
            "",
            "| request | requests | req/s | p50 | p95 | p99 | errors |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        for line in self.lines:
            name = "**all**" if line.name == "Aggregated" else f"`{line.name}`"
            out.append(
                f"| {name} | {line.requests:,} | {line.per_second:,.1f} | "
                f"{line.p50:,.0f} | {line.p95:,.0f} | {line.p99:,.0f} | "
                f"{line.failures:,} |"
            )
        return "\n".join(out)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _database_url() -> str:
    """The database this process is connected to, as a URL for the server."""
    connection.ensure_connection()
    info = connection.connection.info
    password = f":{quote(info.password, safe='')}" if info.password else ""
    return (
        f"postgresql://{quote(info.user, safe='')}{password}@"
        f"{quote(info.host, safe='')}:{info.port}/{quote(info.dbname, safe='')}"
    )


def _wait_until_up(url: str, server: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise LoadTestError("gunicorn stopped while starting (its log follows).")
        try:
            # url is http://127.0.0.1:<port>, made above.
            with urllib.request.urlopen(url + "/claims/", timeout=5) as response:  # noqa: S310
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    raise LoadTestError(f"gunicorn did not answer on {url} within {timeout:.0f} s.")


def _read_stats(path: Path) -> list[Line]:
    with path.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [
        Line(
            name=row["Name"],
            requests=int(row["Request Count"]),
            failures=int(row["Failure Count"]),
            per_second=float(row["Requests/s"]),
            p50=float(row["50%"]),
            p95=float(row["95%"]),
            p99=float(row["99%"]),
        )
        for row in rows
    ]


def run(
    *,
    users: int,
    seconds: int,
    workers: int,
    editor: str,
    progress,
    wait: tuple[float, float] = (1.0, 3.0),
) -> Result:
    claims = Claim.objects.count()
    published = list(
        Claim.objects.approved().order_by("-id").values_list("id", flat=True)[:500]
    )
    if not published:
        raise LoadTestError(
            "The database holds no published claims to read: run `manage.py "
            "generate_demo_data --claims 1000000` (or make seed) first."
        )
    try:
        user = get_user_model().objects.get(username=editor)
    except get_user_model().DoesNotExist:
        raise LoadTestError(
            f"No user {editor!r} to sign the editors in as: give --editor a staff "
            "editor's username (generate_demo_data makes bench-editor-1)."
        ) from None
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "CLAIMDESK_LOAD_SESSION": session,
        "CLAIMDESK_LOAD_CLAIMS": ",".join(map(str, published)),
        "CLAIMDESK_LOAD_TERMS": ",".join(SEARCH_TERMS),
        "CLAIMDESK_LOAD_WAIT": f"{wait[0]},{wait[1]}",
    }
    with tempfile.TemporaryDirectory(prefix="claimdesk-load-") as tmp:
        log = Path(tmp, "gunicorn.log")
        with log.open("w") as log_file:
            server = subprocess.Popen(  # noqa: S603 (our own interpreter)
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "claimdesk.wsgi",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    str(workers),
                    "--log-level",
                    "warning",
                    "--chdir",
                    str(settings.BASE_DIR),
                ],  # fmt: skip
                env=env,
                stdout=log_file,
                stderr=subprocess.STDOUT,
            )
            try:
                progress(f"gunicorn ({workers} workers) on {url}")
                try:
                    _wait_until_up(url, server)
                except LoadTestError as error:
                    raise LoadTestError(f"{error}\n{log.read_text()[-2000:]}") from None
                progress(f"locust: {users} clients for {seconds} s")
                finished = subprocess.run(  # noqa: S603
                    [
                        sys.executable,
                        "-m",
                        "locust",
                        "-f",
                        str(LOCUSTFILE),
                        "--headless",
                        "--users",
                        str(users),
                        "--spawn-rate",
                        str(max(1, users // 5)),
                        "--run-time",
                        f"{seconds}s",
                        "--host",
                        url,
                        "--csv",
                        str(Path(tmp, "load")),
                        "--only-summary",
                        "--stop-timeout",
                        "5",
                        "--exit-code-on-error",
                        "0",
                    ],  # fmt: skip
                    env=env,
                    capture_output=True,
                    text=True,
                    timeout=seconds + 120,
                    check=False,
                )
            finally:
                server.terminate()
                try:
                    server.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    server.kill()
                Session.objects.filter(session_key=session).delete()
        stats = Path(tmp, "load_stats.csv")
        if finished.returncode != 0 or not stats.exists():
            raise LoadTestError(
                "locust did not finish (its output follows):\n"
                + (finished.stderr or finished.stdout)[-2000:]
            )
        lines = _read_stats(stats)
        server_log = log.read_text()
    return Result(
        lines=lines,
        claims=claims,
        users=users,
        seconds=seconds,
        workers=workers,
        wait=wait,
        server_errors=server_log[-2000:] if "Traceback" in server_log else "",
    )
