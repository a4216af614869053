"""Dragging the p/q editor: how live the picture is while the pointer moves (issue 10).

Usage:
    python bench/drag.py [--pages home,entropy,...] [--seconds 2] [--repeats 3] [--json PATH]

Starts `streamlit run app.py` (and the floor apps of bench/latency.py for the reference rows) and
drives headless Chromium (/usr/bin/chromium) with real mouse input (CDP). For every page that shows
the editor:

- grab: a mouse button goes down on q's first bar (p's on the entropy page). Time from that
  ``pointerdown`` to the first frame in which the editor's readouts and picture show the state
  under the pointer (the module's render counter, read once per animation frame).
- drag: the pointer sweeps up and down the bar for ``--seconds``, one move every 8 ms (a 125 Hz
  mouse). The moves are ``pointermove`` events dispatched inside the page on the grabbed bar (same
  pointer id, client coordinates), because Playwright's mouse moves go through a round trip each
  (20-50 ms on a loaded 2-core machine) and would measure the driver. Visible updates per second = frames in which the readouts and picture changed, divided
  by the drag time; also the share of frames with an update, and how many script runs happened
  during the drag (should be 0: the module looks values up, it computes nothing and asks nothing).
- release: from ``pointerup`` to the page settled: the rerun's ``script_finished`` handled and no
  chart or text changing for 120 ms (the last change counts).

Reference rows: the floor page (one slider, one number) and floor+chart (plus one Plotly chart),
key press to update, as bench/latency.py measures them. Targets (issue 10): first live update
within 100 ms of the grab, then at least 50 updates per second; release to settled at most 2x the
floor+chart row. All times are performance.now() inside the page.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from bench.latency import (  # noqa: E402
    CHART_FLOOR,
    CHART_FLOOR_SCRIPT,
    FLOOR,
    FLOOR_SCRIPT,
    RECORDER_JS,
    Result,
    measure_browser,
)
from tests.e2e.helpers import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    REVEAL_QUERY,
    VIEWPORT,
    StreamMonitor,
    streamlit_server,
    wait_charts_drawn,
    wait_run_finished,
)

EDITOR_PAGES = ("home", "surprisal", "entropy", "cross_entropy_kl", "one_hot_loss", "bits_on_the_wire",
                "label_smoothing", "focal_loss", "framework_parity", "misconceptions")

# Added to the recorder of bench/latency.py: pointer times and the editor's render counter per frame.
DRAG_RECORDER_JS = """
(() => {
  const d = window.__drag = {down: null, up: null, frames: [], renders: []};
  document.addEventListener('pointerdown', e => { d.down = performance.now(); }, true);
  document.addEventListener('pointerup', e => { d.up = performance.now(); }, true);
  let last = null;
  const tick = () => {
    const host = [...document.querySelectorAll('[data-renders]')][0];
    const now = performance.now();
    if (host) {
      const n = Number(host.getAttribute('data-renders'));
      d.frames.push(now);
      if (last !== null && n !== last) d.renders.push(now);
      last = n;
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})();
"""

# Pointer moves at 125 Hz on the grabbed bar, for `ms` milliseconds; resolves to the number of moves.
SWEEP_JS = """
([x, top, height, ms]) => new Promise(resolve => {
  const host = [...document.querySelectorAll('*')].find(e => e.shadowRoot && e.shadowRoot.querySelector('.pqe'));
  const track = host.shadowRoot.activeElement || host.shadowRoot.querySelector('.pqe-track');
  const start = performance.now();
  let i = 0;
  const timer = setInterval(() => {
    const phase = (i % 120) / 120;  // a sweep up and down every 120 moves (0.96 s)
    const frac = 0.05 + 0.9 * (phase < 0.5 ? 2 * phase : 2 - 2 * phase);
    track.dispatchEvent(new PointerEvent('pointermove', {pointerId: 1, clientX: x, clientY: top + height * (1 - frac),
                                                         bubbles: true, composed: true, pointerType: 'mouse'}));
    i += 1;
    if (performance.now() - start >= ms) { clearInterval(timer); resolve(i); }
  }, 8);
})
"""

SETTLED_AFTER_UP_JS = """
(quiet) => {
  const r = window.__bench, up = window.__drag.up;
  if (up === null) return false;
  const last = Math.max(up, ...r.charts.filter(c => c[0] > up).map(c => c[0]), ...r.mutations.filter(m => m > up));
  if (performance.now() - last < quiet) return false;
  return {ms: last - up};  // an object: 0 ms (nothing left to change) is still "settled"
}
"""


def measure_drag(browser, base_url: str, url_path: str, seconds: float, quiet_ms: int = 120) -> dict:
    context = browser.new_context(viewport=VIEWPORT)
    context.add_init_script(RECORDER_JS)
    context.add_init_script(DRAG_RECORDER_JS)
    page = context.new_page()
    page.set_default_timeout(60_000)
    monitor = StreamMonitor().attach(page)
    try:
        page.goto(f"{base_url}/{url_path}?{REVEAL_QUERY}")
        wait_run_finished(page, monitor, 0, 90)
        page.wait_for_selector(".pqe-track")
        wait_charts_drawn(page, monitor)
        page.wait_for_timeout(500)
        tracks = page.locator(".pqe-track")
        track = tracks.nth(1) if tracks.count() > 3 and url_path != "entropy" else tracks.nth(0)
        track.scroll_into_view_if_needed()
        box = track.bounding_box()
        x = box["x"] + box["width"] / 2
        top, height = box["y"], box["height"]
        runs = monitor.finished_runs
        page.mouse.move(x, top + height * 0.5)
        page.mouse.down()
        i = page.evaluate(SWEEP_JS, [x, top, height, seconds * 1000])
        runs_during = monitor.finished_runs - runs
        rec = page.evaluate("window.__drag")
        page.mouse.up()
        wait_run_finished(page, monitor, monitor.finished_runs, 60)
        settled = page.wait_for_function(SETTLED_AFTER_UP_JS, arg=quiet_ms, polling=30,
                                         timeout=60_000).json_value()["ms"]
        down = rec["down"]
        renders = [t for t in rec["renders"] if t >= down]
        frames = [t for t in rec["frames"] if t >= down]
        span = (frames[-1] - down) / 1000 if frames else float("nan")
        return {
            "page": url_path or "home",
            "grab_ms": (renders[0] - down) if renders else None,
            "updates_per_s": len(renders) / span if span else None,
            "frame_share": len(renders) / max(1, len(frames)),
            "frames_per_s": len(frames) / span if span else None,
            "moves": i,
            "runs_during_drag": runs_during,
            "release_ms": settled,
        }
    finally:
        context.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pages", default=",".join(EDITOR_PAGES))
    ap.add_argument("--seconds", type=float, default=2.0)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--presses", type=int, default=20, help="key presses for the reference rows")
    ap.add_argument("--json", default="artifacts/bench/drag.json")
    args = ap.parse_args()
    pages = [p.strip() for p in args.pages.split(",") if p.strip()]
    meta = {"when": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"), "machine": platform.machine(),
            "cores": os.cpu_count(), "load_before": os.getloadavg()[0]}
    rows = []
    refs = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for target, script in ((FLOOR, FLOOR_SCRIPT), (CHART_FLOOR, CHART_FLOOR_SCRIPT)):
            with streamlit_server(script, log_name=f"bench-drag-{target.title}") as url:
                result = Result(target.title)
                measure_browser(browser, url, target, result, presses=args.presses, cold=0, quiet_ms=120,
                                is_floor=True)
                refs[target.title] = result.med("update_ms")
        with streamlit_server("app.py", log_name="bench-drag") as url:
            for path in pages:
                runs = [measure_drag(browser, url, "" if path == "home" else path, args.seconds)
                        for _ in range(args.repeats)]
                row = {"page": path}
                for name in ("grab_ms", "updates_per_s", "frame_share", "frames_per_s", "release_ms"):
                    values = [r[name] for r in runs if r[name] is not None]
                    row[name] = statistics.median(values) if values else None
                row["runs_during_drag"] = max(r["runs_during_drag"] for r in runs)
                row["moves"] = statistics.median(r["moves"] for r in runs)
                rows.append(row)
        browser.close()
    meta["load_after"] = os.getloadavg()[0]
    chart_ref = refs.get("floor+chart")
    print(f"Drag of the p/q editor, {args.repeats} drags of {args.seconds:g} s per page; {meta['when']}, "
          f"{meta['cores']} cores, load average {meta['load_before']:.1f} -> {meta['load_after']:.1f}")
    print(f"reference key->update (median of {args.presses}): floor {refs['floor']:.0f} ms, "
          f"floor+chart {chart_ref:.0f} ms (release target <= {2 * chart_ref:.0f} ms)")
    print(f"{'page':<18}{'grab ms':>9}{'updates/s':>11}{'frames/s':>10}{'share':>7}{'runs':>6}"
          f"{'release ms':>12}{'x f+c':>7}  targets")
    for r in rows:
        marks = ["g" + ("✓" if r["grab_ms"] is not None and r["grab_ms"] <= 100 else "✗"),
                 "u" + ("✓" if r["updates_per_s"] and r["updates_per_s"] >= 50 else "✗"),
                 "r" + ("✓" if r["release_ms"] is not None and r["release_ms"] <= 2 * chart_ref else "✗")]
        ratio = r["release_ms"] / chart_ref if r["release_ms"] is not None else float("nan")
        print(f"{r['page']:<18}{r['grab_ms'] or float('nan'):>9.0f}{r['updates_per_s'] or 0:>11.1f}"
              f"{r['frames_per_s'] or 0:>10.1f}{r['frame_share']:>7.2f}{r['runs_during_drag']:>6}"
              f"{r['release_ms'] or float('nan'):>12.0f}{ratio:>7.2f}  {' '.join(marks)}")
    out = Path(args.json)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"meta": meta, "references": refs, "rows": rows}, indent=2))


if __name__ == "__main__":
    main()
