"""Render deploy/nginx.conf.template for a run directory, a listen port and replica ports.

python deploy/render.py --listen 127.0.0.1:8600 --run-dir /tmp/ce-lab-deploy 8611 8612 > nginx.conf
"""

from __future__ import annotations

import argparse
import ipaddress
import re
import sys
from pathlib import Path

TEMPLATE = Path(__file__).with_name("nginx.conf.template")
MAX_FAILS = 2
FAIL_TIMEOUT_S = 10
PLACEHOLDER = re.compile(r"\$\{(listen|run_dir|upstream_servers)\}")


def _port(value: int | str, name: str) -> int:
    port = int(value)
    if not 1 <= port <= 65535:
        raise ValueError(f"{name} must be a port 1-65535 (got {value!r})")
    return port


def _checked_listen(listen: str, public: bool) -> str:
    host, _, port = listen.rpartition(":")
    try:
        loopback = ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        loopback = False
    if not (loopback or public):
        raise ValueError(f"listen must be a loopback address host:port unless public=True (got {listen!r})")
    _port(port, "listen port")
    return listen


def render(
    listen: str,
    run_dir: str | Path,
    replica_ports: list[int],
    *,
    host: str = "127.0.0.1",
    public: bool = False,
) -> str:
    """The nginx.conf text. ValueError for a bad port, no replica, or a non-loopback ``listen``
    (allowed with ``public=True``, for a real server: put TLS in front, see deploy/README.md)."""
    if not replica_ports:
        raise ValueError("replica_ports must name at least one port (got [])")
    run_dir = Path(run_dir)
    if not run_dir.is_absolute() or any(c in str(run_dir) for c in " ;{}'\"$\n"):
        raise ValueError(f"run_dir must be an absolute path without spaces or ;{{}}$ (got {str(run_dir)!r})")
    servers = "\n".join(
        f"        server {host}:{_port(p, 'replica port')} max_fails={MAX_FAILS} fail_timeout={FAIL_TIMEOUT_S}s;"
        for p in replica_ports
    )
    values = {"listen": _checked_listen(listen, public), "run_dir": str(run_dir), "upstream_servers": servers}
    # Only ${name} placeholders are ours; nginx's own $variables are left alone.
    return PLACEHOLDER.sub(lambda m: values[m.group(1)], TEMPLATE.read_text())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--listen", default="127.0.0.1:8600")
    parser.add_argument("--run-dir", required=True)
    parser.add_argument("--public", action="store_true", help="allow a non-loopback --listen address")
    parser.add_argument("ports", nargs="+", type=int, help="replica ports on 127.0.0.1")
    args = parser.parse_args(argv)
    sys.stdout.write(render(args.listen, args.run_dir, args.ports, public=args.public))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
