"""Dragging the p/q editor: how live the picture is while the pointer moves (issue 10).

Usage, from the repository root:
    python -m bench.drag [--pages home,entropy,...] [--seconds 2] [--repeats 3] [--presses 20] [--json PATH]
    python -m bench.drag --pages entropy --repeats 1 --seconds 1 --presses 5    # a quick check

Starts `streamlit run app.py` (and the floor apps of bench/latency.py for the reference rows) and
drives headless Chromium (/usr/bin/chromium) with real mouse input (CDP), by the method of
bench/sweep.py. For every page that shows the editor:

- grab: a mouse button goes down on q's first bar (p's on the entropy page). Time to the first
  frame in which the editor's readouts and picture show the state under the pointer (the module's
  render counter, ``data-renders``).
- drag: the pointer sweeps up and down the bar for ``--seconds``. Visible updates per second =
  frames in which the readouts and picture changed, divided by the drag time; script runs during
  the drag should be 0 (the module looks values up, it computes nothing and asks nothing).
- release: from ``pointerup`` to the page settled: the rerun's ``script_finished`` handled and no
  chart or text changing for 120 ms (the last change counts).

Targets (issue 10): first live update within 100 ms of the grab, then at least 50 updates per
second; release to settled at most 2x the floor+chart row.
"""

from __future__ import annotations

from bench.harness import wait_charts_drawn
from bench.sweep import Grip, Settling, arguments, drag, open_for_drag, page_url, report, run_drags

EDITOR_PAGES = (
    "home",
    "surprisal",
    "entropy",
    "cross_entropy_kl",
    "one_hot_loss",
    "bits_on_the_wire",
    "label_smoothing",
    "focal_loss",
    "framework_parity",
    "misconceptions",
)
#: The bar the pointer holds is the focused one after the grab (the first track as a fallback).
EDITOR = Grip(".pqe", ".pqe-track", active=True)
#: Release is timed by the page alone (charts and text), for up to a minute.
SETTLING = Settling(messages=False, timeout_s=60)


def measure_drag(browser, base_url: str, path: str, seconds: float) -> dict:
    """One drag of the editor on the page ``path`` ("home" for the default page)."""
    url_path = "" if path == "home" else path
    context, page, monitor = open_for_drag(browser, page_url(base_url, url_path), "data-renders")
    try:
        page.wait_for_selector(".pqe-track")
        wait_charts_drawn(page, monitor)
        page.wait_for_timeout(500)
        tracks = page.locator(".pqe-track")
        track = (
            tracks.nth(1) if tracks.count() > 3 and url_path != "entropy" else tracks.nth(0)
        )  # q's first bar
        track.scroll_into_view_if_needed()
        box = track.bounding_box()
        x = box["x"] + box["width"] / 2
        return drag(page, monitor, EDITOR, (x, box["y"] + box["height"]), (x, box["y"]), seconds, SETTLING)
    finally:
        context.close()


def main() -> None:
    ap = arguments(__doc__, "artifacts/bench/drag.json")
    ap.add_argument("--pages", default=",".join(EDITOR_PAGES))
    args = ap.parse_args()
    pages = [p.strip() for p in args.pages.split(",") if p.strip()]
    result = run_drags(pages, measure_drag, lambda path: {"page": path}, args, "bench-drag")
    report(
        result,
        f"Drag of the p/q editor, {args.repeats} drags of {args.seconds:g} s per page",
        (("page", 18),),
        args,
    )


if __name__ == "__main__":
    main()
