"""A control dragged by a real pointer: the method bench/drag.py and bench/live_drag.py share.

- grab: the mouse button goes down (Playwright's mouse, real CDP input) in the middle of the swept
  path. Time from that ``pointerdown`` to the first animation frame in which the component has
  rendered again (its render counter, an attribute of its host element, read once per frame).
- drag: the pointer sweeps the path to and fro for ``seconds``, one ``pointermove`` every 8 ms (a
  125 Hz mouse), dispatched inside the page on the grabbed element (same pointer id, client
  coordinates): Playwright's own mouse moves take a round trip each (20-50 ms on a loaded 2-core
  machine) and would measure the driver. Updates per second = frames with a new render / drag
  time; also the share of frames with an update and the script runs during the drag (should be
  0: the component looks values up, it computes nothing and asks nothing).
- release: from ``pointerup`` to the page settled: the last change after it (a Plotly chart
  redrawn, a mutation of the page, and for the lesson controls a message from the server), once
  nothing has changed for ``quiet_ms``.

Reference rows: the floor page (one slider, one number) and floor+chart (plus one Plotly chart),
key press to update, as bench/latency.py measures them. Targets (issues 10 and 11): first update
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
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import sync_playwright

from bench.harness import REVEAL_QUERY, launch_chromium, new_page, streamlit_server, wait_run_finished
from bench.latency import (
    CHART_FLOOR,
    CHART_FLOOR_SCRIPT,
    FLOOR,
    FLOOR_SCRIPT,
    RECORDER_JS,
    Result,
    measure_browser,
)

#: Added to the recorder of bench/latency.py: pointer times, and per frame whether the watched
#: component rendered. ``window.__dragWatch`` names the host's render-counter attribute and, if
#: several hosts have one, a selector inside the wanted host's shadow root.
DRAG_RECORDER_JS = """
(() => {
  const d = window.__drag = {down: null, up: null, frames: [], renders: []};
  document.addEventListener('pointerdown', e => { d.down = performance.now(); }, true);
  document.addEventListener('pointerup', e => { d.up = performance.now(); }, true);
  const {attr, inner} = window.__dragWatch;
  let last = null;
  const tick = () => {
    const host = [...document.querySelectorAll(`[${attr}]`)]
      .find(h => !inner || (h.shadowRoot && h.shadowRoot.querySelector(inner)));
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

# Pointer moves at 125 Hz on the grabbed element, from p0 towards p1 and back (0.05 to 0.95 of the
# way, once every 120 moves = 0.96 s), for `ms` milliseconds; resolves to the number of moves.
SWEEP_JS = """
([host_has, target, index, active, x0, y0, x1, y1, ms]) => new Promise(resolve => {
  const host = [...document.querySelectorAll('*')].find(e => e.shadowRoot && e.shadowRoot.querySelector(host_has));
  const el = (active && host.shadowRoot.activeElement) || host.shadowRoot.querySelectorAll(target)[index];
  const start = performance.now();
  let i = 0;
  const timer = setInterval(() => {
    const phase = (i % 120) / 120;
    const frac = 0.05 + 0.9 * (phase < 0.5 ? 2 * phase : 2 - 2 * phase);
    el.dispatchEvent(new PointerEvent('pointermove', {pointerId: 1, clientX: x0 + (x1 - x0) * frac,
                                                      clientY: y0 + (y1 - y0) * frac,
                                                      bubbles: true, composed: true, pointerType: 'mouse'}));
    i += 1;
    if (performance.now() - start >= ms) { clearInterval(timer); resolve(i); }
  }, 8);
})
"""

# Release to settled: the last change after pointerup among charts redrawn, page mutations and (with
# `messages`) messages from the server, the rerun's script_finished being the last one; once nothing
# has changed for `quiet` ms. An object, not a number: 0 ms (nothing left to change) is still "settled".
SETTLED_JS = """
([quiet, messages]) => {
  const r = window.__bench, up = window.__drag.up;
  if (up === null) return false;
  const after = xs => xs.filter(t => t > up);
  const last = Math.max(up, ...after(r.charts.map(c => c[0])), ...after(r.mutations),
                        ...(messages ? after(r.messages) : []));
  if (performance.now() - last < quiet) return false;
  return {ms: last - up};
}
"""

FIGURES = ("grab_ms", "updates_per_s", "frame_share", "frames_per_s", "release_ms")


@dataclass(frozen=True)
class Grip:
    """What the pointer holds: the element with ``target`` (the ``index``-th) in the shadow root
    that has ``host_has``; ``active``: the root's focused element if there is one (the grabbed bar)."""

    host_has: str
    target: str
    index: int = 0
    active: bool = False


@dataclass(frozen=True)
class Settling:
    """How release is timed: with the server's messages or not, and how long to wait for quiet."""

    messages: bool
    timeout_s: float
    quiet_ms: int = 120


def open_for_drag(browser, url: str, attr: str, inner: str | None = None, *scripts: str):
    """A cold context with the recorders (``attr``, ``inner``: see DRAG_RECORDER_JS) on ``url``,
    its first run finished. Returns (context, page, monitor)."""
    watch = f"window.__dragWatch = {json.dumps({'attr': attr, 'inner': inner})};"
    context, page, monitor = new_page(browser, RECORDER_JS, *scripts, watch, DRAG_RECORDER_JS)
    page.goto(url)
    wait_run_finished(page, monitor, 0, 90)
    return context, page, monitor


def drag(
    page,
    monitor,
    grip: Grip,
    start: tuple[float, float],
    end: tuple[float, float],
    seconds: float,
    settling: Settling,
) -> dict:
    """Grab half-way between ``start`` and ``end``, sweep for ``seconds``, release: the figures of one drag."""
    runs = monitor.finished_runs
    page.mouse.move((start[0] + end[0]) / 2, (start[1] + end[1]) / 2)
    page.mouse.down()
    moves = page.evaluate(
        SWEEP_JS, [grip.host_has, grip.target, grip.index, grip.active, *start, *end, seconds * 1000]
    )
    runs_during = monitor.finished_runs - runs
    rec = page.evaluate("window.__drag")
    page.mouse.up()
    wait_run_finished(page, monitor, monitor.finished_runs, 60)
    try:
        settled = page.wait_for_function(
            SETTLED_JS,
            arg=[settling.quiet_ms, settling.messages],
            polling=30,
            timeout=settling.timeout_s * 1000,
        ).json_value()["ms"]
    except Exception:  # a page that never goes quiet is reported, not a crash
        settled = None
    down = rec["down"]
    renders = [t for t in rec["renders"] if t >= down]
    frames = [t for t in rec["frames"] if t >= down]
    span = (frames[-1] - down) / 1000 if frames else float("nan")
    return {
        "grab_ms": (renders[0] - down) if renders else None,
        "updates_per_s": len(renders) / span if span else None,
        "frame_share": len(renders) / max(1, len(frames)),
        "frames_per_s": len(frames) / span if span else None,
        "moves": moves,
        "runs_during_drag": runs_during,
        "release_ms": settled,
    }


def summarise(runs: list[dict]) -> dict:
    """Medians of the figures over repeated drags; the most script runs seen during any of them."""
    row = {}
    for name in FIGURES:
        values = [r[name] for r in runs if r[name] is not None]
        row[name] = statistics.median(values) if values else None
    row["runs_during_drag"] = max(r["runs_during_drag"] for r in runs)
    row["moves"] = statistics.median(r["moves"] for r in runs)
    return row


def references(browser, presses: int, log_name: str) -> dict[str, float]:
    """Key press to update (median ms) of the floor and floor+chart pages, as bench/latency.py measures it."""
    refs = {}
    for target, script in ((FLOOR, FLOOR_SCRIPT), (CHART_FLOOR, CHART_FLOOR_SCRIPT)):
        with streamlit_server(script, log_name=f"{log_name}-{target.title}") as url:
            result = Result(target.title)
            measure_browser(
                browser, url, target, result, presses=presses, cold=0, quiet_ms=120, is_floor=True
            )
            refs[target.title] = result.med("update_ms")
    return refs


def arguments(doc: str, default_json: str) -> argparse.ArgumentParser:
    """The options every drag benchmark takes."""
    ap = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=float, default=2.0, help="length of one drag")
    ap.add_argument("--repeats", type=int, default=3, help="drags per page or control (medians)")
    ap.add_argument("--presses", type=int, default=20, help="key presses for the reference rows")
    ap.add_argument("--json", default=default_json)
    return ap


def run_drags(items: list, measure: Callable, label: Callable[[object], dict], args, log_name: str) -> dict:
    """Each item dragged ``args.repeats`` times by ``measure(browser, url, item, seconds)``, on one app
    server; the references first. Returns {"meta", "references", "rows"} (rows: label + medians)."""
    meta = {
        "when": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": platform.machine(),
        "cores": os.cpu_count(),
        "load_before": os.getloadavg()[0],
    }
    rows = []
    with sync_playwright() as pw:
        browser = launch_chromium(pw)
        refs = references(browser, args.presses, log_name)
        with streamlit_server("app.py", log_name=log_name) as url:
            for item in items:
                runs = [measure(browser, url, item, args.seconds) for _ in range(args.repeats)]
                print(
                    f"{item}: "
                    + ", ".join(
                        f"grab {r['grab_ms'] or float('nan'):.0f} ms, {r['updates_per_s'] or 0:.0f}/s, "
                        f"release {r['release_ms'] if r['release_ms'] is not None else 'never quiet'}"
                        for r in runs
                    ),
                    file=sys.stderr,
                    flush=True,
                )
                rows.append({**label(item), **summarise(runs)})
        browser.close()
    meta["load_after"] = os.getloadavg()[0]
    return {"meta": meta, "references": refs, "rows": rows}


def report(result: dict, title: str, columns: tuple[tuple[str, int], ...], args) -> None:
    """Print ``title``, the references and the table (``columns``: the label fields and their widths),
    then write ``args.json``."""
    meta, refs, rows = result["meta"], result["references"], result["rows"]
    chart_ref = refs["floor+chart"]
    print(
        f"{title}; {meta['when']}, "
        f"{meta['cores']} cores, load average {meta['load_before']:.1f} -> {meta['load_after']:.1f}"
    )
    print(
        f"reference key->update (median of {args.presses}): floor {refs['floor']:.0f} ms, "
        f"floor+chart {chart_ref:.0f} ms (release target <= {2 * chart_ref:.0f} ms)"
    )
    print(
        "".join(f"{name:<{width}}" for name, width in columns)
        + f"{'grab ms':>9}{'updates/s':>11}{'frames/s':>10}{'share':>7}{'runs':>6}{'release ms':>12}{'x f+c':>7}"
        + "  targets"
    )
    for r in rows:
        marks = [
            "g" + ("✓" if r["grab_ms"] is not None and r["grab_ms"] <= 100 else "✗"),
            "u" + ("✓" if r["updates_per_s"] and r["updates_per_s"] >= 50 else "✗"),
            "r" + ("✓" if r["release_ms"] is not None and r["release_ms"] <= 2 * chart_ref else "✗"),
        ]
        ratio = r["release_ms"] / chart_ref if r["release_ms"] is not None else float("nan")
        print(
            "".join(f"{r[name]:<{width}}" for name, width in columns)
            + f"{r['grab_ms'] or float('nan'):>9.0f}{r['updates_per_s'] or 0:>11.1f}"
            f"{r['frames_per_s'] or 0:>10.1f}{r['frame_share']:>7.2f}{r['runs_during_drag']:>6}"
            f"{r['release_ms'] or float('nan'):>12.0f}{ratio:>7.2f}  {' '.join(marks)}"
        )
    out = Path(args.json)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2))


def page_url(base_url: str, url_path: str, extra_query: str = "") -> str:
    """A lab page with every answer shown (predict-then-reveal off)."""
    return f"{base_url}/{url_path}?{REVEAL_QUERY}{extra_query}"
