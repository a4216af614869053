"""Interaction latency of every lab page, as ratios to a floor page (issue 5).

Usage, from the repository root:
    python -m bench.latency [--quick] [--pages home,entropy,...] [--presses N] [--cold N]
                            [--reruns N] [--json PATH]

Starts `streamlit run app.py` and `streamlit run bench/floor_app.py` (one slider, one number)
and drives headless Chromium (/usr/bin/chromium). For the floor page and every page in app.py:

- cold load: a new browser context opens the page; time from navigation start to the first
  chart drawn (``_fullData`` present and SVG in place). A page without a chart (the floor, a
  placeholder) counts the moment its content stops changing. ``--cold`` repeats, median.
- interaction: the first slider in the main area is focused and gets ``--presses`` key presses
  (ArrowRight/ArrowLeft alternating). A page with no lesson slider (home, cross-entropy and KL,
  one-hot loss, misconceptions, framework parity, glossary, quiz) uses the sidebar's unit switch
  instead: Enter on its "nats" and "bits" buttons in turn, a whole-app rerun that changes every
  number and chart, as the workspace slider p0 of the older sidebar did. (The p/q editor commits
  a key press only after 350 ms without another, so it is measured by bench/drag.py.) For each
  press: time from the keydown event to the last visible update of the page: the last chart
  whose ``_fullData`` was replaced, or the last text/DOM change outside the slider itself,
  after the rerun's ``script_finished`` arrived and the page went quiet. Median and p90.
  Also the browser round trip (keydown to ``script_finished`` handled), the real server's share
  (the rerun request leaving the page to ``script_finished`` handled; fragment runs included) and
  the bytes the server sent per press (websocket frame sizes before permessage-deflate).
- server rerun: AppTest runs the page, then times ``at.run()`` after changing the same control
  (``--reruns`` times, median). AppTest reruns the whole script even where the browser would
  rerun only an ``st.fragment``, so this is an upper bound for fragment pages.

All times in the browser are read from ``performance.now()`` inside the page (an init script
records keydown, chart replacement, DOM mutation and websocket message times), so Python's
polling does not add to them. Results go to stdout (a table) and to --json
(default artifacts/bench/latency.json). Targets (issue 5): interaction median <= 1.5x floor,
cold load <= 2x floor, server rerun median <= 30 ms.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
import platform
import statistics
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from playwright.sync_api import sync_playwright

from bench.apptest import run_page
from bench.harness import (
    CHROMIUM,
    REVEAL_QUERY,
    ROOT,
    LabPage,
    StreamMonitor,
    launch_chromium,
    main_sliders,
    new_page,
    registered_pages,
    slider,
    slider_info,
    streamlit_server,
    wait_charts_drawn,
    wait_run_finished,
)

FLOOR_SCRIPT = "bench/floor_app.py"
FLOOR = LabPage("", FLOOR_SCRIPT, "floor")
# A reference, not a target: the floor plus one minimal Plotly chart that follows the slider.
CHART_FLOOR_SCRIPT = "bench/floor_chart_app.py"
CHART_FLOOR = LabPage("", CHART_FLOOR_SCRIPT, "floor+chart")
TARGET_INTERACTION, TARGET_COLD, TARGET_RERUN_MS = 1.5, 2.0, 30.0

# Recorder injected before any page script: every time is performance.now() in the page.
RECORDER_JS = """
(() => {
  const rec = window.__bench = {keydowns: [], charts: [], mutations: [], messages: [], sends: [], firstChart: null};
  const NativeWS = window.WebSocket;
  window.WebSocket = class extends NativeWS {
    constructor(...args) {
      super(...args);
      this.__stream = String(args[0]).includes('/_stcore/stream');
      if (this.__stream) this.addEventListener('message', () => rec.messages.push(performance.now()));
    }
    send(data) {
      if (this.__stream) rec.sends.push(performance.now());
      return super.send(data);
    }
  };
  document.addEventListener('keydown', () => rec.keydowns.push(performance.now()), true);
  const seen = new WeakMap();
  const tick = () => {
    const now = performance.now();
    document.querySelectorAll('.js-plotly-plot').forEach((gd, i) => {
      const fd = gd._fullData;
      if (!fd || !gd.querySelector('.main-svg')) return;
      if (rec.firstChart === null) rec.firstChart = now;
      if (seen.get(gd) !== fd) { seen.set(gd, fd); rec.charts.push([now, i]); }
    });
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  const IGNORE = 'head, .js-plotly-plot, [data-testid=stSlider], [data-testid=stHeader], [data-testid=stStatusWidget], [data-testid=stToolbar], [data-testid=stDecoration]';
  const watch = () => new MutationObserver(list => {
    for (const m of list) {
      const el = m.target.nodeType === 1 ? m.target : m.target.parentElement;
      if (el && el.isConnected && !el.closest(IGNORE)) { rec.mutations.push(performance.now()); return; }
    }
  }).observe(document.documentElement, {childList: true, subtree: true, characterData: true});
  if (document.documentElement) watch(); else document.addEventListener('DOMContentLoaded', watch);
})();
"""

# After a key press: false until nothing has changed for `quiet` ms (and the finished message of
# the run, index `finished` in the stream, has been handled), then what happened since the keydown.
SETTLED_JS = """
([quiet, finished, sent]) => {
  const r = window.__bench;
  const keydown = r.keydowns[r.keydowns.length - 1];
  if (finished !== null && r.messages.length <= finished) return false;
  const charts = r.charts.filter(c => c[0] > keydown), mutations = r.mutations.filter(m => m > keydown);
  const last = Math.max(keydown, ...charts.map(c => c[0]), ...mutations);
  if (performance.now() - last < quiet) return false;
  return {keydown, charts, mutations, finishedAt: finished === null ? null : r.messages[finished],
          sentAt: sent === null ? null : (r.sends[sent] === undefined ? null : r.sends[sent])};
}
"""

QUIET_JS = """
([since, quiet]) => {
  const r = window.__bench;
  const last = Math.max(since, ...r.charts.slice(-50).map(c => c[0]), ...r.mutations.slice(-50));
  return performance.now() - last >= quiet;
}
"""


@dataclass
class Result:
    page: str
    charts: int = 0
    cold_ms: list[float] = field(default_factory=list)
    cold_basis: str = "chart"
    update_ms: list[float] = field(default_factory=list)
    roundtrip_ms: list[float] = field(default_factory=list)
    server_ms: list[float] = field(default_factory=list)
    bytes: list[int] = field(default_factory=list)
    charts_changed: list[int] = field(default_factory=list)
    no_visible_change: int = 0
    rerun_ms: list[float] = field(default_factory=list)
    slider: str = ""
    notes: list[str] = field(default_factory=list)

    def med(self, name: str) -> float | None:
        values = getattr(self, name)
        return statistics.median(values) if values else None

    def p90(self, name: str) -> float | None:
        values = sorted(getattr(self, name))
        if not values:
            return None
        return values[min(len(values) - 1, round(0.9 * (len(values) - 1)))]


def _finished_index(monitor: StreamMonitor, start: int) -> int | None:
    for i in range(start, len(monitor.received)):
        kind, status, _ = monitor.received[i]
        if kind == "script_finished" and status in (0, 3):
            return i
    return None


def _wait_quiet(page, monitor: StreamMonitor, since: float, quiet_ms: int, timeout: float = 60) -> None:
    page.wait_for_function(QUIET_JS, arg=[since, quiet_ms], polling=30, timeout=timeout * 1000)
    wait_charts_drawn(page, monitor, timeout)


def _load(page, monitor: StreamMonitor, url: str, quiet_ms: int) -> tuple[float, str]:
    """Open a page; return (cold load ms, what was timed)."""
    page.goto(url)
    wait_run_finished(page, monitor, 0, 90)
    _wait_quiet(page, monitor, 0.0, max(quiet_ms, 300))
    rec = page.evaluate("window.__bench")
    if monitor.expected_charts and rec["firstChart"] is not None:
        return rec["firstChart"], "chart"
    last = max([0.0, *rec["mutations"], *[c[0] for c in rec["charts"]]])
    return last, "content"


def _control(page, is_floor: bool):
    """(what is pressed, press(i)): the i-th key press of the interaction measurement."""
    lesson = [slider(page, key="floor_x")] if is_floor else main_sliders(page)
    if lesson:
        control = lesson[0]
        info = slider_info(control)
        first = "ArrowLeft" if info["value"] + (info["step"] or 0) > info["max"] else "ArrowRight"
        other = "ArrowRight" if first == "ArrowLeft" else "ArrowLeft"

        def press(i: int) -> None:  # alternate, so the value stays next to its default
            control.focus()
            page.keyboard.press(first if i % 2 == 0 else other)

        return f"{info['key']} (main)", press
    units = page.locator("[data-testid=stSidebar] .st-key-unit button")

    def press_unit(i: int) -> None:  # nats, bits, nats, ...: a whole-app rerun each time
        button = units.filter(has_text="nats" if i % 2 == 0 else "bits").first
        button.focus()
        page.keyboard.press("Enter")

    return "unit (sidebar)", press_unit


def measure_browser(
    browser,
    base_url: str,
    target: LabPage,
    result: Result,
    *,
    presses: int,
    cold: int,
    quiet_ms: int,
    is_floor: bool = False,
    query: str = "",
) -> None:
    url = f"{base_url}/{target.url_path}" + (f"?{query}" if query and not is_floor else "")
    for _ in range(max(cold - 1, 0)):  # extra cold loads; the interaction context adds one more
        context, page, monitor = new_page(browser, RECORDER_JS)
        try:
            ms, basis = _load(page, monitor, url, quiet_ms)
            result.cold_ms.append(ms)
            result.cold_basis = basis
        finally:
            context.close()

    context, page, monitor = new_page(browser, RECORDER_JS)
    try:
        ms, basis = _load(page, monitor, url, quiet_ms)
        if cold > 0:
            result.cold_ms.append(ms)
            result.cold_basis = basis
        result.charts = monitor.expected_charts
        result.slider, press = _control(page, is_floor)
        for i in range(presses):
            start_index, sent_index = len(monitor.received), len(monitor.sent)
            runs = monitor.finished_runs
            press(i)
            wait_run_finished(page, monitor, runs, 60)
            finished = _finished_index(monitor, start_index)
            reruns = [j for j in range(sent_index, len(monitor.sent)) if monitor.sent[j] == "rerun_script"]
            sent = reruns[-1] if reruns else None  # fast reruns: the run that finished is the last asked for
            rec = page.wait_for_function(
                SETTLED_JS, arg=[quiet_ms, finished, sent], polling=30, timeout=60_000
            ).json_value()
            keydown = rec["keydown"]
            if rec["finishedAt"] is not None:
                result.roundtrip_ms.append(rec["finishedAt"] - keydown)
                if rec["sentAt"] is not None:
                    result.server_ms.append(rec["finishedAt"] - rec["sentAt"])
            changes = [c[0] for c in rec["charts"]] + rec["mutations"]
            if changes:
                result.update_ms.append(max(changes) - keydown)
            else:
                result.no_visible_change += 1
                if rec["finishedAt"] is not None:
                    result.update_ms.append(rec["finishedAt"] - keydown)
            result.charts_changed.append(len({c[1] for c in rec["charts"]}))
            result.bytes.append(monitor.bytes_since(start_index))
        wait_charts_drawn(page, monitor, 60)
        if monitor.parse_errors:
            result.notes.append(f"{monitor.parse_errors} websocket frames not parsed")
        if page.locator("[data-testid=stException]").count():
            result.notes.append("exception on the page")
    finally:
        context.close()


def measure_apptest(
    target: LabPage, result: Result, reruns: int, is_floor: bool = False, query: str = ""
) -> None:
    """Median wall time of ``at.run()`` after a slider change (AppTest, whole script)."""
    from streamlit.testing.v1 import AppTest

    if is_floor:
        at = AppTest.from_file(str(ROOT / target.file), default_timeout=60).run()
    else:
        at = run_page(target.file, query)
    if at.exception:
        result.notes.append("AppTest: exception on the page")
        return

    def control():
        # A lesson slider; else the unit switch, as in the browser (the editor's popover slider
        # ws_k is in the main area too, but it is not a lesson control).
        lesson = [s for s in at.main.slider if not isinstance(s.value, tuple | list) and s.key != "ws_k"]
        return lesson[0] if lesson else at.button_group(key="unit")

    first = control()
    if first.key == "unit":
        v0, v1 = "bits", "nats"
    else:
        v0 = first.value
        step = first.step or 1
        v1 = v0 + step if v0 + step <= first.max else v0 - step
    for i in range(reruns + 1):
        control().set_value(v1 if i % 2 == 0 else v0)
        t0 = time.perf_counter()
        at.run()
        elapsed = (time.perf_counter() - t0) * 1000
        if at.exception:
            result.notes.append("AppTest: exception after a change")
            return
        if i > 0:  # the first rerun warms caches and imports
            result.rerun_ms.append(elapsed)


# ----------------------------------------------------------------------------- report


def _fmt(value: float | None, digits: int = 0) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def _ratio(value: float | None, floor: float | None) -> float | None:
    return None if value is None or not floor else value / floor


def table(results: list[Result], floor: Result, meta: dict, reference: Result | None = None) -> str:
    f_cold, f_update = floor.med("cold_ms"), floor.med("update_ms")
    head = (
        f"{'page':<16}{'charts':>6} {'cold ms':>8}{'×floor':>7} {'key→update ms':>14}{'p90':>6}{'×floor':>7}"
        f" {'rtt ms':>7} {'srv ms':>7} {'rerun ms':>9} {'KB/press':>9}  targets"
    )
    lines = [
        f"Latency bench {meta['date']} · {meta['machine']} · load {meta['load_start']} → {meta['load_end']}",
        f"presses={meta['presses']} cold={meta['cold']} reruns={meta['reruns']} · cold = first chart drawn "
        f"(* = content settled, no chart) · key→update = keydown to last chart/DOM update · rtt = keydown to "
        f"script_finished in the browser · srv = rerun request sent to script_finished handled by the page (the "
        f"real server's run incl. fragment runs, plus delivery and the page's handling of the run's messages) · "
        f"rerun = AppTest at.run() (whole script) · KB before websocket compression",
        head,
        "-" * len(head),
    ]
    for r in [floor, *([reference] if reference else []), *results]:
        cold_ratio = _ratio(r.med("cold_ms"), f_cold)
        update_ratio = _ratio(r.med("update_ms"), f_update)
        rerun = r.med("rerun_ms")
        verdict = []
        if r is not floor and r is not reference and update_ratio is not None:
            verdict.append("I" if update_ratio <= TARGET_INTERACTION else "i✗")
        if r is not floor and r is not reference and cold_ratio is not None:
            verdict.append("C" if cold_ratio <= TARGET_COLD else "c✗")
        if rerun is not None:
            verdict.append("R" if rerun <= TARGET_RERUN_MS else "r✗")
        kb = r.med("bytes")
        lines.append(
            f"{r.page:<16}{r.charts:>6} {_fmt(r.med('cold_ms')):>7}{'*' if r.cold_basis == 'content' else ' '}"
            f"{_fmt(cold_ratio, 2):>7} {_fmt(r.med('update_ms')):>14}{_fmt(r.p90('update_ms')):>6}"
            f"{_fmt(update_ratio, 2):>7} {_fmt(r.med('roundtrip_ms')):>7} {_fmt(r.med('server_ms')):>7} {_fmt(rerun, 1):>9}"
            f" {_fmt(None if kb is None else kb / 1024, 1):>9}  {' '.join(verdict)}"
            + (f"  [{'; '.join(r.notes)}]" if r.notes else "")
            + (f"  [{r.no_visible_change} presses without visible change]" if r.no_visible_change else "")
        )
    lines.append(
        "targets: I = interaction median ≤ 1.5× floor, C = cold load ≤ 2× floor, R = rerun median ≤ 30 ms "
        "(✗ = missed)"
    )
    if reference:
        lines.append(
            "floor+chart (a reference, no target): the floor page plus one minimal Plotly chart that "
            "follows the slider (bench/floor_chart_app.py)"
        )
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="10 presses, 1 cold load, 5 reruns per page")
    ap.add_argument("--pages", default="", help="comma-separated url paths (home for the default page)")
    ap.add_argument("--presses", type=int)
    ap.add_argument("--cold", type=int)
    ap.add_argument("--reruns", type=int)
    ap.add_argument("--quiet-ms", type=int, default=120, help="no chart/DOM change for this long = done")
    ap.add_argument("--no-apptest", action="store_true")
    ap.add_argument(
        "--budget-s",
        type=float,
        default=540,
        help="browser phase time budget: past half of it later pages get 1 cold load, past 85%% "
        "also only 10 presses (noted in the table); 0 = no budget",
    )
    ap.add_argument("--json", default="artifacts/bench/latency.json")
    ap.add_argument(
        "--query",
        default=REVEAL_QUERY,
        help="query string for the lab pages (default: predict-then-reveal off, every answer shown)",
    )
    args = ap.parse_args()
    presses = args.presses or (10 if args.quick else 30)
    cold = args.cold or (1 if args.quick else 2)
    reruns = args.reruns or (5 if args.quick else 10)

    pages = registered_pages()
    if args.pages:
        wanted = {("" if p == "home" else p) for p in args.pages.split(",")}
        pages = [p for p in pages if p.url_path in wanted]
    if not Path(CHROMIUM).exists():
        sys.exit(f"{CHROMIUM} not found: install Debian's chromium")

    meta = {
        "date": dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        "machine": f"{platform.node()} {platform.machine()} {os.cpu_count()} CPUs, {platform.python_version()}",
        "load_start": f"{os.getloadavg()[0]:.1f}",
        "presses": presses,
        "cold": cold,
        "reruns": reruns,
    }
    started = time.monotonic()
    floor = Result("floor")
    reference = Result("floor+chart")
    results = [Result(p.name) for p in pages]
    with (
        streamlit_server("app.py", log_name="bench-app") as app_url,
        streamlit_server(FLOOR_SCRIPT, log_name="bench-floor") as floor_url,
        streamlit_server(CHART_FLOOR_SCRIPT, log_name="bench-floor-chart") as chart_floor_url,
        sync_playwright() as pw,
    ):
        browser = launch_chromium(pw)
        try:
            halves = [presses // 2, presses - presses // 2] if not args.quick else [presses, 0]

            def measure_floor(url: str, target: LabPage, result: Result, presses: int) -> None:
                measure_browser(
                    browser,
                    url,
                    target,
                    result,
                    presses=presses,
                    cold=cold,
                    quiet_ms=args.quiet_ms,
                    is_floor=True,
                )

            # The floor is measured before and after the pages, so drift in machine load hits both.
            measure_floor(floor_url, FLOOR, floor, halves[0])
            print(f"floor: {_fmt(floor.med('update_ms'))} ms", file=sys.stderr)
            measure_floor(chart_floor_url, CHART_FLOOR, reference, halves[0])
            print(f"floor+chart: {_fmt(reference.med('update_ms'))} ms", file=sys.stderr)
            page_presses, page_cold = presses, cold
            for target, result in zip(pages, results, strict=True):
                elapsed = time.monotonic() - started
                if args.budget_s and elapsed > 0.5 * args.budget_s and page_cold > 1:
                    page_cold = 1
                    print("time budget: 1 cold load per page from here", file=sys.stderr)
                if args.budget_s and elapsed > 0.85 * args.budget_s and page_presses > 10:
                    page_presses = 10
                    print("time budget: 10 presses per page from here", file=sys.stderr)
                if (page_presses, page_cold) != (presses, cold):
                    result.notes.append(f"{page_presses} presses, {page_cold} cold (time budget)")
                try:
                    measure_browser(
                        browser,
                        app_url,
                        target,
                        result,
                        presses=page_presses,
                        cold=page_cold,
                        quiet_ms=args.quiet_ms,
                        query=args.query,
                    )
                except Exception as err:  # a broken page is reported, the bench goes on
                    result.notes.append(f"browser: {type(err).__name__}: {str(err).splitlines()[0][:120]}")
                print(
                    f"{target.name}: {_fmt(result.med('update_ms'))} ms ({time.monotonic() - started:.0f} s)",
                    file=sys.stderr,
                )
            if halves[1]:
                measure_floor(floor_url, FLOOR, floor, halves[1])
        finally:
            browser.close()
    if not args.no_apptest:
        logging.getLogger("streamlit").setLevel(logging.ERROR)  # AppTest warns about bare mode
        if True:
            measure_apptest(FLOOR, floor, reruns, is_floor=True)
            measure_apptest(CHART_FLOOR, reference, reruns, is_floor=True)
            for target, result in zip(pages, results, strict=True):
                try:
                    measure_apptest(target, result, reruns, query=args.query)
                except Exception as err:
                    result.notes.append(f"AppTest: {type(err).__name__}: {str(err).splitlines()[0][:120]}")
    meta["load_end"] = f"{os.getloadavg()[0]:.1f}"
    meta["seconds"] = round(time.monotonic() - started)
    print(table(results, floor, meta, reference))
    print(f"({meta['seconds']} s)")
    out = ROOT / args.json
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps(
            {
                "meta": meta,
                "floor": asdict(floor),
                "floor_chart": asdict(reference),
                "pages": [asdict(r) for r in results],
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
