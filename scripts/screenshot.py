"""Screenshot lab pages in headless Chromium, wide (1280x800) and phone-sized (390x844).

Usage:
    python scripts/screenshot.py [url_path ...] [--out DIR] [--query "a=1&b=2"] [--port N]

Starts `streamlit run app.py` on a free port (or uses --port of a running server),
opens each page (default: home), waits for the script run to finish and the charts
to draw, and writes DIR/<page>-wide.png and DIR/<page>-phone.png.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--no-first-run"]
SIZES = {"wide": (1280, 800), "phone": (390, 844), "projector": (1280, 720)}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            if urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2).read() == b"ok":
                return
        time.sleep(0.3)
    raise TimeoutError(f"streamlit did not become healthy on port {port}")


@contextlib.contextmanager
def streamlit_server(port: int | None = None):
    if port:
        yield port
        return
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
         "--server.port", str(port), "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ},
    )
    try:
        wait_healthy(port)
        yield port
    finally:
        proc.terminate()
        proc.wait(10)


IDLE_JS = """() => {
    const app = document.querySelector('[data-testid=stApp]');
    return !!app && app.getAttribute('data-test-script-state') === 'notRunning'
        && !document.querySelector('[data-testid=stSkeleton]');
}"""


def wait_ready(page, settle_s: float = 1.2, timeout_s: float = 60) -> None:
    """Wait until the app has been idle (script not running, no skeletons) for ``settle_s``.

    A page may rerun once right after loading (see lab.ui.ensure_app_run), so one idle
    moment is not enough.
    """
    deadline = time.monotonic() + timeout_s
    idle_since = None
    while time.monotonic() < deadline:
        if page.evaluate(IDLE_JS):
            idle_since = idle_since or time.monotonic()
            if time.monotonic() - idle_since >= settle_s:
                break
        else:
            idle_since = None
        time.sleep(0.1)
    else:
        raise TimeoutError("the app did not settle")
    with contextlib.suppress(Exception):
        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=3000)
    page.wait_for_timeout(300)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("pages", nargs="*", default=[""])
    ap.add_argument("--out", default="artifacts/screenshots")
    ap.add_argument("--query", default="")
    ap.add_argument("--port", type=int)
    ap.add_argument("--full", action="store_true", help="capture the full page height")
    ap.add_argument("--sizes", default="wide,phone", help=f"comma list of {', '.join(SIZES)}")
    args = ap.parse_args()
    out = ROOT / args.out
    out.mkdir(parents=True, exist_ok=True)
    with streamlit_server(args.port) as port, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for name, (w, h) in ((n, SIZES[n]) for n in args.sizes.split(",")):
            ctx = browser.new_context(viewport={"width": w, "height": h})
            page = ctx.new_page()
            for path in args.pages:
                url = f"http://127.0.0.1:{port}/{path}" + (f"?{args.query}" if args.query else "")
                page.goto(url)
                wait_ready(page)
                if args.full:  # Streamlit scrolls inside stMain, not the page: grow the window instead
                    tall = page.evaluate("() => document.querySelector('[data-testid=stMain]').scrollHeight")
                    page.set_viewport_size({"width": w, "height": max(h, int(tall))})
                    page.wait_for_timeout(800)
                file = out / f"{path or 'home'}-{name}.png"
                page.screenshot(path=str(file), full_page=args.full)
                page.set_viewport_size({"width": w, "height": h})
                print(file)
            ctx.close()
        browser.close()


if __name__ == "__main__":
    main()
