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
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script (scripts/ is not a package): the repository root for bench
    sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from bench.harness import launch_chromium, streamlit_server, wait_ready  # noqa: E402

SIZES = {"wide": (1280, 800), "phone": (390, 844), "projector": (1280, 720)}


@contextlib.contextmanager
def lab_server(port: int | None) -> Iterator[str]:
    """The base URL of a running server on ``port``, or of one started here."""
    if port:
        yield f"http://127.0.0.1:{port}"
        return
    with streamlit_server("app.py", log_name="screenshot") as url:
        yield url


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
    with lab_server(args.port) as base, sync_playwright() as pw:
        browser = launch_chromium(pw)
        for name, (w, h) in ((n, SIZES[n]) for n in args.sizes.split(",")):
            ctx = browser.new_context(viewport={"width": w, "height": h})
            page = ctx.new_page()
            for path in args.pages:
                url = f"{base}/{path}" + (f"?{args.query}" if args.query else "")
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
