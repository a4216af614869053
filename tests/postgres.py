"""A private PostgreSQL cluster for tests: Debian's server binaries, a temporary directory, a free port.

The server refuses to run as root, so as root the cluster belongs to the ``postgres`` user
(``runuser -u postgres --``); as any other user it runs as that user. Nothing touches the
machine's own clusters: the data directory, the Unix socket and the log live in one temporary
directory that is removed afterwards, and the server listens on 127.0.0.1 only.

    with private_cluster() as cluster:
        url = cluster.create_database("ce_lab_test")   # postgresql+psycopg://postgres@127.0.0.1:PORT/...

:func:`unavailable_reason` says why a cluster cannot start here (None when it can); test
modules skip on it outside CI and fail under CI=true. ``scripts/test.sh`` installs Debian's
``postgresql`` when it is missing.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


def server_bin() -> Path | None:
    """The newest ``/usr/lib/postgresql/<version>/bin`` holding initdb and pg_ctl, or None."""
    found = [Path(p).parent for p in glob.glob("/usr/lib/postgresql/*/bin/initdb")]
    found = [b for b in found if (b / "pg_ctl").exists()]

    def version(path: Path) -> tuple[int, ...]:
        try:
            return tuple(int(part) for part in path.parent.name.split("."))
        except ValueError:
            return (0,)

    return max(found, key=version) if found else None


def _as_postgres_user() -> bool:
    return os.geteuid() == 0


def unavailable_reason() -> str | None:
    """Why a private cluster cannot be started here, or None."""
    if server_bin() is None:
        return "PostgreSQL's server is not installed (/usr/lib/postgresql/*/bin/initdb): scripts/test.sh installs Debian's postgresql"
    if _as_postgres_user():
        if shutil.which("runuser") is None:
            return "running as root, and runuser (to start PostgreSQL as the postgres user) is missing"
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root, and there is no postgres user to own the cluster"
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "the psycopg driver is not installed (pip install -r requirements.txt)"
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Cluster:
    directory: Path
    port: int

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        """Create a database (autocommit) and return its SQLAlchemy URL."""
        import psycopg

        with psycopg.connect(
            host="127.0.0.1",
            port=self.port,
            user="postgres",
            dbname="postgres",
            autocommit=True,
            connect_timeout=10,
        ) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')  # a fixed name from the test code
        return self.url(name)

    def log_tail(self, lines: int = 20) -> str:
        log = self.directory / "log"
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:]) if log.exists() else ""


def _run(args: list[str], timeout: float) -> subprocess.CompletedProcess:
    if _as_postgres_user():
        args = ["runuser", "-u", "postgres", "--", *args]
    return subprocess.run(args, capture_output=True, text=True, timeout=timeout, check=False)


@contextlib.contextmanager
def private_cluster() -> Iterator[Cluster]:
    """Start a throw-away cluster; stop it and remove its directory on exit.

    Raises RuntimeError (with the server's own words) when the cluster does not start.
    """
    reason = unavailable_reason()
    if reason is not None:
        raise RuntimeError(reason)
    bin_dir = server_bin()
    directory = Path(tempfile.mkdtemp(prefix="ce-lab-pg-"))  # short: the socket path must stay < 108 bytes
    data = directory / "data"
    started = None
    try:
        if _as_postgres_user():
            shutil.chown(directory, "postgres", "postgres")
        done = _run(
            [
                str(bin_dir / "initdb"),
                "-D",
                str(data),
                "-A",
                "trust",
                "-U",
                "postgres",
                "--no-sync",
                "-E",
                "UTF8",
                "--locale=C",
            ],
            timeout=180,
        )
        if done.returncode != 0:
            raise RuntimeError(f"initdb failed: {done.stderr.strip()[-800:]}")
        for _ in range(3):  # a free port may be taken between the check and the start
            port = _free_port()
            options = f"-p {port} -k {directory} -c listen_addresses=127.0.0.1 -c fsync=off"
            done = _run(
                [
                    str(bin_dir / "pg_ctl"),
                    "-D",
                    str(data),
                    "-o",
                    options,
                    "-l",
                    str(directory / "log"),
                    "-w",
                    "-t",
                    "60",
                    "start",
                ],
                timeout=90,
            )
            if done.returncode == 0:
                started = Cluster(directory, port)
                break
        if started is None:
            tail = Cluster(directory, 0).log_tail()
            raise RuntimeError(f"pg_ctl start failed: {done.stderr.strip()[-400:]}\n{tail}")
        yield started
    finally:
        if started is not None:
            _run([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"], timeout=60)
        shutil.rmtree(directory, ignore_errors=True)
