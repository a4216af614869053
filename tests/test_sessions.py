"""lab.sessions: a closed tab's session is released once its time is up, not kept until the next visitor.

A real ``streamlit run app.py`` (through bench/session_probe.py, which only reads what the
server holds) with ``server.disconnectedSessionTTL`` = 2 s and a sweep every second. Streamlit
alone keeps the expired sessions, and everything they hold, until another session disconnects.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from bench.harness import free_port, start_streamlit, stop_process, wait_healthy
from bench.ws_client import StreamlitSession
from tests.test_deploy import run_async  # asyncio.run in its own thread (see there)

PAGES = ("", "entropy", "surprisal", "binary_ce", "cross_entropy_kl", "label_smoothing")
TTL_S = 2


def _records(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


async def _visit(url: str) -> list[bool]:
    """Each page opened by its own session (a tab), run once, closed."""
    results = []
    for page in PAGES:
        async with StreamlitSession(url, page=page, timeout=60) as session:
            results.append((await session.rerun()).ok)
    return results


@pytest.fixture
def probed_server(tmp_path):
    out = tmp_path / "probe.jsonl"
    port = free_port()
    log = (tmp_path / "server.log").open("w")
    proc = start_streamlit(
        "app.py",
        port,
        log,
        probe_out=out,
        probe_every=0.25,
        env={"LAB_SESSION_SWEEP_S": "1"},
        options=["--server.disconnectedSessionTTL", str(TTL_S)],
    )
    try:
        wait_healthy(port, proc)
        yield f"http://127.0.0.1:{port}", out, tmp_path / "server.log"
    finally:
        stop_process(proc)
        log.close()


def test_closed_sessions_are_released_after_their_ttl(probed_server):
    url, out, log = probed_server
    assert run_async(_visit(url)) == [True] * len(PAGES)
    closed_at = time.monotonic()
    # Kept at first (a reconnecting tab finds its state) ...
    deadline = closed_at + 10
    while not any(r.get("stored", 0) >= len(PAGES) - 1 for r in _records(out)):
        assert time.monotonic() < deadline, f"the closed sessions were never stored: {_records(out)[-3:]}"
        time.sleep(0.2)
    # ... then released, with what they held, a few seconds after the TTL, with no new visitor.
    deadline = time.monotonic() + TTL_S + 15
    while True:
        last = _records(out)[-1]
        # alive <= 1: Streamlit's event-loop coroutine keeps the last session it served in a loop
        # variable until it serves another (one session, never more).
        if last.get("stored") == 0 and last.get("alive", 9) <= 1 and last.get("media") == 0:
            break
        assert time.monotonic() < deadline, (
            f"still held {time.monotonic() - closed_at:.0f} s after closing: {last}"
        )
        time.sleep(0.25)
    assert "Traceback" not in log.read_text()
