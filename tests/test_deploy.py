"""The deploy/ configuration and the load driver's protocol client, against real processes.

Light on purpose (one `streamlit run` on loopback, shared by the module; nginx must be installed under CI=true):
the nginx config renders and `nginx -t` accepts it; nginx in front of the replica passes the
websocket and sets the affinity cookie; the client gets a `script_finished` for a page load and
for one slider change, and the change shows on the page.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest
from streamlit.proto.BidiComponent_pb2 import BidiComponent

from bench import harness, load, students
from bench.ws_client import check_loopback
from deploy.render import render
from lab.workspace import DEFAULT_NAMES

REPO = Path(__file__).resolve().parents[1]
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)


@pytest.fixture
def nginx_present() -> None:
    """Skip without nginx, except under CI=true, where a missing nginx fails: CI must test the deployment."""
    if NGINX is not None:
        return
    reason = "nginx is not installed: scripts/test.sh installs Debian's nginx (so does deploy/start.sh)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true: the deployment tests must run, but {reason}", pytrace=False)
    pytest.skip(reason)


def run_async(coroutine):
    """asyncio.run in a thread of its own.

    In a full test run the browser tests (Playwright's sync API) leave an event loop running
    in the main thread, where asyncio.run refuses to start another one.
    """
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


@pytest.fixture(scope="module")
def server():
    """One `streamlit run app.py` on a free loopback port, as the load benchmarks start it."""
    target = students.start_direct()
    yield target
    target.stop()


@pytest.fixture
def run_dir():
    """A world-traversable temp dir: nginx workers run as `nobody` when the tests run as root."""
    path = Path(tempfile.mkdtemp(prefix="ce-lab-nginx-test-"))
    path.chmod(0o755)
    (path / "tmp").mkdir()  # nginx makes its temp dirs, not their parent (start.sh makes it too)
    yield path
    shutil.rmtree(path, ignore_errors=True)


# ---------------------------------------------------------------- the config as text


def test_render_has_upgrade_affinity_and_health(tmp_path):
    conf = render("127.0.0.1:8600", tmp_path, [8611, 8612])
    assert "proxy_http_version 1.1;" in conf
    assert "proxy_set_header Upgrade $http_upgrade;" in conf
    assert "proxy_set_header Connection $connection_upgrade;" in conf
    assert re.search(r"location /_stcore/stream \{[^}]*proxy_read_timeout 1h;", conf)
    assert "hash $lab_affinity consistent;" in conf
    assert "ip_hash" not in conf.replace("# ip_hash", "")
    for port in (8611, 8612):
        assert f"server 127.0.0.1:{port} max_fails=2 fail_timeout=10s;" in conf
    assert re.search(r"location = /healthz \{[^}]*proxy_pass http://lab_replicas/_stcore/health;", conf)
    assert "listen 127.0.0.1:8600;" in conf
    assert "${" not in conf  # every placeholder filled
    assert str(tmp_path) + "/nginx.pid" in conf


@pytest.mark.parametrize(
    ("listen", "ports", "match"),
    [
        ("0.0.0.0:8600", [8611], "listen must be a loopback"),
        ("127.0.0.1:8600", [], "replica_ports"),
        ("127.0.0.1:8600", [70000], "replica port"),
    ],
)
def test_render_refuses_bad_input(tmp_path, listen, ports, match):
    with pytest.raises(ValueError, match=match):
        render(listen, tmp_path, ports)


def test_render_public_listen_needs_the_flag(tmp_path):
    assert "listen 0.0.0.0:80;" in render("0.0.0.0:80", tmp_path, [8611], public=True)


def test_scripts_parse():
    for script in ("start.sh", "stop.sh", "health.sh"):
        subprocess.run(["bash", "-n", str(REPO / "deploy" / script)], check=True)


def test_client_refuses_non_loopback():
    with pytest.raises(ValueError, match="loopback"):
        check_loopback("http://example.org:8501")
    assert check_loopback("http://127.0.0.1:8501") == ("127.0.0.1", 8501)


@pytest.mark.usefixtures("nginx_present")
def test_nginx_accepts_rendered_config(run_dir):
    conf = run_dir / "nginx.conf"
    conf.write_text(render("127.0.0.1:8600", run_dir, [8611, 8612]))
    proc = subprocess.run(
        [NGINX, "-t", "-c", str(conf), "-p", str(run_dir), "-e", str(run_dir / "err.log")],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert proc.returncode == 0, proc.stderr
    assert "test is successful" in proc.stderr


# ---------------------------------------------------------------- against a real server


async def _load_and_move_slider(url: str) -> tuple:
    """Page load, then p(cat) -> 0.10 with the p/q editor, as the load driver does it (one edit, one rerun)."""
    args = load.parse_args(["--timeout", "20"])
    stats = students.Stats()
    handle = await students.open_session(url, args, stats)
    assert handle is not None, stats.errors
    try:
        editor = handle.session.find_widget("pq_editor", BidiComponent)
        moved = await students.timed_rerun(handle, 10.0, stats)  # the first move: bar 0 (p of cat) to g = 10
        return stats, editor, moved, handle
    finally:
        await handle.session.close()


def test_client_page_load_and_one_editor_change(server):
    import json
    from urllib.parse import parse_qs

    import ce_core

    stats, editor, moved, handle = run_async(_load_and_move_slider(server.url))
    assert moved
    assert not stats.errors, stats.errors  # both runs ended in script_finished, no exception
    assert len(stats.first_loads) == 1
    assert len(stats.latencies) == 1
    assert json.loads(editor.json)["names"] == list(DEFAULT_NAMES[:3])
    assert handle.bars == 6
    assert "_streamlit_xsrf" in handle.session.cookies  # its token went out in the subprotocol header
    # The edit reached the callback: cat went to 0.1, dog and bird share 0.9 in their ratio 0.3 : 0.1,
    # and the app wrote the new p into the address bar (page_info_changed).
    query = parse_qs(handle.session.query_string)
    p = [float(v) for v in query["p"][0].split(",")]
    assert p == pytest.approx([0.1, 0.675, 0.225])
    h_p = ce_core.entropy([0.1, 0.675, 0.225], base=2)
    assert any(f"H(p) = {h_p:.4f} bits" in t for t in handle.session.texts), handle.session.texts


def test_memory_sampling_reads_the_server(server):
    assert server.rss()[0] > 20 * 1024 * 1024
    assert server.cpu()[0] > 0


@pytest.mark.usefixtures("nginx_present")
def test_nginx_in_front_of_a_replica(server, run_dir):
    """Websocket upgrade through nginx, and the affinity cookie set once and then kept."""
    port = harness.free_port()
    replica_port = check_loopback(server.url)[1]
    conf = run_dir / "nginx.conf"
    conf.write_text(render(f"127.0.0.1:{port}", run_dir, [replica_port]))
    subprocess.run(
        [NGINX, "-c", str(conf), "-p", str(run_dir), "-e", str(run_dir / "err.log")], check=True, timeout=30
    )
    pid_file = run_dir / "nginx.pid"
    try:
        url = f"http://127.0.0.1:{port}"
        harness.wait_healthy(url, timeout=10)
        with urllib.request.urlopen(f"{url}/healthz", timeout=5) as resp:
            assert resp.read() == b"ok"
            set_cookies = resp.headers.get_all("Set-Cookie")
        affinity = [c for c in set_cookies if c.startswith("lab_affinity=")]
        assert len(affinity) == 1, set_cookies
        assert re.match(r"lab_affinity=[0-9a-f]{32};", affinity[0]), set_cookies
        key = affinity[0].split(";")[0]
        request = urllib.request.Request(f"{url}/_stcore/health", headers={"Cookie": key})
        with urllib.request.urlopen(request, timeout=5) as resp:
            assert not any(c.startswith("lab_affinity=") for c in resp.headers.get_all("Set-Cookie") or [])

        stats, _slider, moved, handle = run_async(_load_and_move_slider(url))
        assert moved
        assert not stats.errors, stats.errors
        assert len(stats.latencies) == 1
        assert "lab_affinity" in handle.session.cookies
    finally:
        if pid_file.exists() and pid_file.read_text().strip():
            subprocess.run(["kill", "-TERM", pid_file.read_text().strip()], check=False)
            deadline = time.monotonic() + 10
            while pid_file.exists() and time.monotonic() < deadline:
                time.sleep(0.1)


def test_tiny_load_level(server):
    """Two sessions for a few seconds: latencies recorded, no errors, memory read."""
    args = load.parse_args(["--sessions", "2", "--duration", "3", "--interval", "1", "--timeout", "20"])
    row = run_async(load.run_level(server, 2, args))
    assert row["errors"] == 0, row["error_kinds"]
    assert row["reruns"] >= 2
    assert 0 < row["p50_ms"] <= row["p95_ms"] <= row["max_ms"]
    assert row["rss_end_mib"] > 20


if __name__ == "__main__":
    sys.exit(pytest.main([__file__, "-q"]))
