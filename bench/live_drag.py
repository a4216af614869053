"""Dragging the live lesson controls (lab.components.live_chart): how live the chart is (issue 11).

Usage:
    python bench/live_drag.py [--controls bce_pred,sp_point] [--seconds 2] [--repeats 3] [--json PATH]

The sibling of bench/drag.py (same method, same reference rows), for the one-parameter lesson
controls instead of the p/q editor. Starts `streamlit run app.py` (and the floor apps of
bench/latency.py for the reference rows) and drives headless Chromium (/usr/bin/chromium):

- grab: the mouse button goes down on the control's rail at its current value; time from that
  ``pointerdown`` to the first animation frame in which the control's chart and readouts were
  redrawn (the module's render counter, ``data-live-renders`` on its host, read every frame).
- drag: the pointer sweeps the rail left and right for ``--seconds``, one ``pointermove`` every
  8 ms (a 125 Hz mouse) dispatched inside the page on the grabbed slider (Playwright's own mouse
  moves take a round trip each on a loaded 2-core machine and would measure the driver).
  Updates per second = frames in which the chart changed / drag time; runs during the drag
  should be 0 (the module only looks rows up).
- release: from ``pointerup`` to the page settled: the last change after it (a Plotly chart
  redrawn, a mutation of the page outside the component, whose picture already shows the value,
  or a message from the server, the last being the rerun's ``script_finished``), measured once
  nothing has changed for 120 ms.

Reference rows: floor (one slider, one number) and floor+chart (plus one Plotly chart), key press
to update, as bench/latency.py measures them. Targets (issue 11, as issue 10): first update
within 100 ms of the grab, then at least 50 updates per second; release to settled at most 2x
the floor+chart row. All times are performance.now() inside the page.
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
    wait_run_finished,
)

#: Converted controls: key -> page url path (and the tab the control sits in, if any).
CONTROLS = {"bce_pred": "binary_ce", "sp_point": "surprisal", "sp_zeros": "surprisal", "sp_ones": "surprisal",
            "sp_trip": "surprisal", "en_coin": "entropy",
            "fl_gamma": "focal_loss", "fl_alpha": "focal_loss", "ls_eps": "label_smoothing",
            "sm_t": "softmax_logits", "bw_length": "bits_on_the_wire",
            "cl_q": "clipping", "cl_eps": "clipping", "tr_lr": "training"}
TABS = {"sp_zeros": "A bag of zeros", "sp_ones": "One rare zero", "sp_trip": "Routine or a trip"}
#: Added to the page's query for a control that needs it (the α control is drawn when α is on).
QUERIES = {"fl_alpha": "&fl_alpha_on=true"}
#: Bar controls (lab.components.bar_control): key -> (page url path, the bar that is dragged). The same
#: method; the pointer sweeps one bar's track up and down instead of a rail left and right.
BAR_CONTROLS = {"sm_logits": ("softmax_logits", 1), "cw_weights": ("class_weights", 1)}

RECORDER_LIVE_JS = """
(() => {
  const d = window.__drag = {down: null, up: null, frames: [], renders: []};
  document.addEventListener('pointerdown', e => { d.down = performance.now(); }, true);
  document.addEventListener('pointerup', e => { d.up = performance.now(); }, true);
  let last = null;
  const [box, attr] = window.__barControl ? ['.bc', 'data-bar-renders'] : ['.lc', 'data-live-renders'];
  const tick = () => {
    const key = window.__liveKey;
    const host = key && [...document.querySelectorAll(`[${attr}]`)]
      .find(h => h.shadowRoot && h.shadowRoot.querySelector(`${box}[data-key="${key}"]`));
    const now = performance.now();
    if (host) {
      const n = Number(host.getAttribute(attr));
      d.frames.push(now);
      if (last !== null && n !== last) d.renders.push(now);
      last = n;
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})();
"""

# Release to settled: the last change after pointerup among charts redrawn, page mutations and messages
# from the server (the rerun's script_finished is the last one), once nothing has changed for `quiet` ms.
# (An object, not a number: a page where nothing but the live chart changes settles at the last message.)
SETTLED_LIVE_JS = """
(quiet) => {
  const r = window.__bench, up = window.__drag.up;
  if (up === null) return false;
  const after = xs => xs.filter(t => t > up);
  const last = Math.max(up, ...after(r.charts.map(c => c[0])), ...after(r.mutations), ...after(r.messages));
  if (performance.now() - last < quiet) return false;
  return {ms: last - up};
}
"""

RAIL_JS = """
(key) => {
  for (const host of document.querySelectorAll('*')) {
    const box = host.shadowRoot && host.shadowRoot.querySelector(`.lc[data-key="${key}"]`);
    if (!box) continue;
    const r = box.querySelector('.lc-rail').getBoundingClientRect();
    return {x: r.x, y: r.y + r.height / 2, width: r.width, g: Number(box.dataset.g),
            n: box.querySelector('.lc-slider').getAttribute('aria-valuemax') === null ? 0 : 1};
  }
  return null;
}
"""

SWEEP_JS = """
([key, x0, width, y, ms]) => new Promise(resolve => {
  const host = [...document.querySelectorAll('*')].find(e => e.shadowRoot && e.shadowRoot.querySelector(`.lc[data-key="${key}"]`));
  const slider = host.shadowRoot.querySelector(`.lc[data-key="${key}"] .lc-slider`);
  const start = performance.now();
  let i = 0;
  const timer = setInterval(() => {
    const phase = (i % 120) / 120;  // a sweep right and left every 120 moves (0.96 s)
    const frac = 0.05 + 0.9 * (phase < 0.5 ? 2 * phase : 2 - 2 * phase);
    slider.dispatchEvent(new PointerEvent('pointermove', {pointerId: 1, clientX: x0 + width * frac, clientY: y,
                                                          bubbles: true, composed: true, pointerType: 'mouse'}));
    i += 1;
    if (performance.now() - start >= ms) { clearInterval(timer); resolve(i); }
  }, 8);
})
"""


def _release(page, monitor: StreamMonitor, key: str, moves: int, runs_during: int, quiet_ms: int) -> dict:
    """Release the button after a drag; the figures of that drag and of the release."""
    rec = page.evaluate("window.__drag")
    page.mouse.up()
    wait_run_finished(page, monitor, monitor.finished_runs, 60)
    try:
        settled = page.wait_for_function(SETTLED_LIVE_JS, arg=quiet_ms, polling=30,
                                         timeout=20_000).json_value()["ms"]
    except Exception:  # a page that never goes quiet is reported, not a crash
        settled = None
    down = rec["down"]
    renders = [t for t in rec["renders"] if t >= down]
    frames = [t for t in rec["frames"] if t >= down]
    span = (frames[-1] - down) / 1000 if frames else float("nan")
    return {"control": key, "grab_ms": (renders[0] - down) if renders else None,
            "updates_per_s": len(renders) / span if span else None,
            "frame_share": len(renders) / max(1, len(frames)), "frames_per_s": len(frames) / span if span else None,
            "moves": moves, "runs_during_drag": runs_during, "release_ms": settled}


def measure_live_drag(browser, base_url: str, key: str, url_path: str, seconds: float, quiet_ms: int = 120) -> dict:
    context = browser.new_context(viewport=VIEWPORT)
    context.add_init_script(RECORDER_JS)
    context.add_init_script(f"window.__liveKey = {json.dumps(key)};")
    context.add_init_script(RECORDER_LIVE_JS)
    page = context.new_page()
    page.set_default_timeout(60_000)
    monitor = StreamMonitor().attach(page)
    try:
        page.goto(f"{base_url}/{url_path}?{REVEAL_QUERY}{QUERIES.get(key, '')}")
        wait_run_finished(page, monitor, 0, 90)
        if key in TABS:
            page.get_by_role("tab", name=TABS[key]).click()
        page.locator(f".st-key-live_{key} .lc-slider").wait_for()
        page.locator(f".st-key-live_{key} .lc-slider").scroll_into_view_if_needed()  # its charts may be taller
        page.wait_for_timeout(500)
        rail = page.evaluate(RAIL_JS, key)
        runs = monitor.finished_runs
        page.mouse.move(rail["x"] + rail["width"] * 0.5, rail["y"])
        page.mouse.down()
        moves = page.evaluate(SWEEP_JS, [key, rail["x"], rail["width"], rail["y"], seconds * 1000])
        return _release(page, monitor, key, moves, monitor.finished_runs - runs, quiet_ms)
    finally:
        context.close()


TRACK_JS = """
([key, bar]) => {
  for (const host of document.querySelectorAll('*')) {
    const box = host.shadowRoot && host.shadowRoot.querySelector(`.bc[data-key="${key}"]`);
    if (!box) continue;
    const r = box.querySelectorAll('.bc-track')[bar].getBoundingClientRect();
    return {x: r.x + r.width / 2, y: r.y, height: r.height};
  }
  return null;
}
"""

SWEEP_BAR_JS = """
([key, bar, x, y0, height, ms]) => new Promise(resolve => {
  const host = [...document.querySelectorAll('*')].find(e => e.shadowRoot && e.shadowRoot.querySelector(`.bc[data-key="${key}"]`));
  const track = host.shadowRoot.querySelectorAll(`.bc[data-key="${key}"] .bc-track`)[bar];
  const start = performance.now();
  let i = 0;
  const timer = setInterval(() => {
    const phase = (i % 120) / 120;  // a sweep up and down every 120 moves (0.96 s)
    const frac = 0.05 + 0.9 * (phase < 0.5 ? 2 * phase : 2 - 2 * phase);
    track.dispatchEvent(new PointerEvent('pointermove', {pointerId: 1, clientX: x, clientY: y0 + height * frac,
                                                         bubbles: true, composed: true, pointerType: 'mouse'}));
    i += 1;
    if (performance.now() - start >= ms) { clearInterval(timer); resolve(i); }
  }, 8);
})
"""


def measure_bar_drag(browser, base_url: str, key: str, url_path: str, bar: int, seconds: float,
                     quiet_ms: int = 120) -> dict:
    """As measure_live_drag, for one bar of a bar control (grab at the middle of its track)."""
    context = browser.new_context(viewport=VIEWPORT)
    context.add_init_script(RECORDER_JS)
    context.add_init_script(f"window.__liveKey = {json.dumps(key)}; window.__barControl = true;")
    context.add_init_script(RECORDER_LIVE_JS)
    page = context.new_page()
    page.set_default_timeout(60_000)
    monitor = StreamMonitor().attach(page)
    try:
        page.goto(f"{base_url}/{url_path}?{REVEAL_QUERY}")
        wait_run_finished(page, monitor, 0, 90)
        page.locator(f".st-key-live_{key} .bc-track").first.wait_for()
        page.locator(f".st-key-live_{key}").scroll_into_view_if_needed()
        page.wait_for_timeout(500)
        track = page.evaluate(TRACK_JS, [key, bar])
        runs = monitor.finished_runs
        page.mouse.move(track["x"], track["y"] + track["height"] * 0.5)
        page.mouse.down()
        moves = page.evaluate(SWEEP_BAR_JS, [key, bar, track["x"], track["y"], track["height"], seconds * 1000])
        return _release(page, monitor, key, moves, monitor.finished_runs - runs, quiet_ms)
    finally:
        context.close()


def page_of(key: str) -> str:
    return BAR_CONTROLS[key][0] if key in BAR_CONTROLS else CONTROLS[key]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--controls", default=",".join([*CONTROLS, *BAR_CONTROLS]))
    ap.add_argument("--seconds", type=float, default=2.0)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--presses", type=int, default=20, help="key presses for the reference rows")
    ap.add_argument("--json", default="artifacts/bench/live_drag.json")
    args = ap.parse_args()
    keys = [k.strip() for k in args.controls.split(",") if k.strip()]
    meta = {"when": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"), "machine": platform.machine(),
            "cores": os.cpu_count(), "load_before": os.getloadavg()[0]}
    rows, refs = [], {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for target, script in ((FLOOR, FLOOR_SCRIPT), (CHART_FLOOR, CHART_FLOOR_SCRIPT)):
            with streamlit_server(script, log_name=f"bench-live-{target.title}") as url:
                result = Result(target.title)
                measure_browser(browser, url, target, result, presses=args.presses, cold=0, quiet_ms=120,
                                is_floor=True)
                refs[target.title] = result.med("update_ms")
        with streamlit_server("app.py", log_name="bench-live-drag") as url:
            for key in keys:
                if key in BAR_CONTROLS:
                    runs = [measure_bar_drag(browser, url, key, *BAR_CONTROLS[key], args.seconds)
                            for _ in range(args.repeats)]
                else:
                    runs = [measure_live_drag(browser, url, key, CONTROLS[key], args.seconds)
                            for _ in range(args.repeats)]
                print(f"{key}: " + ", ".join(f"grab {r['grab_ms'] or float('nan'):.0f} ms, {r['updates_per_s'] or 0:.0f}/s, "
                                             f"release {r['release_ms'] if r['release_ms'] is not None else 'never quiet'}"
                                             for r in runs), file=sys.stderr, flush=True)
                row = {"control": key, "page": page_of(key)}
                for name in ("grab_ms", "updates_per_s", "frame_share", "frames_per_s", "release_ms"):
                    values = [r[name] for r in runs if r[name] is not None]
                    row[name] = statistics.median(values) if values else None
                row["runs_during_drag"] = max(r["runs_during_drag"] for r in runs)
                rows.append(row)
        browser.close()
    meta["load_after"] = os.getloadavg()[0]
    chart_ref = refs.get("floor+chart")
    print(f"Drag of the live lesson controls, {args.repeats} drags of {args.seconds:g} s each; {meta['when']}, "
          f"{meta['cores']} cores, load average {meta['load_before']:.1f} -> {meta['load_after']:.1f}")
    print(f"reference key->update (median of {args.presses}): floor {refs['floor']:.0f} ms, "
          f"floor+chart {chart_ref:.0f} ms (release target <= {2 * chart_ref:.0f} ms)")
    print(f"{'control':<14}{'page':<16}{'grab ms':>9}{'updates/s':>11}{'frames/s':>10}{'share':>7}{'runs':>6}"
          f"{'release ms':>12}{'x f+c':>7}  targets")
    for r in rows:
        marks = ["g" + ("✓" if r["grab_ms"] is not None and r["grab_ms"] <= 100 else "✗"),
                 "u" + ("✓" if r["updates_per_s"] and r["updates_per_s"] >= 50 else "✗"),
                 "r" + ("✓" if r["release_ms"] is not None and r["release_ms"] <= 2 * chart_ref else "✗")]
        ratio = r["release_ms"] / chart_ref if r["release_ms"] is not None else float("nan")
        print(f"{r['control']:<14}{r['page']:<16}{r['grab_ms'] or float('nan'):>9.0f}{r['updates_per_s'] or 0:>11.1f}"
              f"{r['frames_per_s'] or 0:>10.1f}{r['frame_share']:>7.2f}{r['runs_during_drag']:>6}"
              f"{r['release_ms'] or float('nan'):>12.0f}{ratio:>7.2f}  {' '.join(marks)}")
    out = Path(args.json)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"meta": meta, "references": refs, "rows": rows}, indent=2))


if __name__ == "__main__":
    main()
