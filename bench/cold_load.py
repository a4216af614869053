"""Browser time of a cold page load: how long Chromium's main thread works to show a lesson.

Usage, from the repository root:
    python -m bench.cold_load [--pages entropy,softmax_logits] [--loads 5] [--url http://127.0.0.1:PORT]
    python -m bench.cold_load --url http://127.0.0.1:A --url http://127.0.0.1:B   # compare two servers

Starts ``streamlit run app.py`` (unless --url), loads each page once to warm the server, then
``--loads`` times in a NEW browser context (a cold browser: nothing cached). For each load,
after the page has settled (its run finished, every chart drawn, no websocket message for
500 ms), Chrome's own counters (DevTools ``Performance.getMetrics``) give the main thread's
busy time since the page was opened: TaskDuration (all tasks), ScriptDuration (JavaScript)
and LayoutDuration + RecalcStyleDuration; and V8's sampling profiler gives the JavaScript self
time spent in Streamlit's syntax-highlighter chunk (code blocks). Also counted: the code blocks
(``pre``) in the DOM, visible or not. Prints the medians, one row per page, and the load average.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

from playwright.sync_api import sync_playwright

from bench.harness import (
    REVEAL_QUERY,
    launch_chromium,
    new_page,
    open_page,
    settle,
    streamlit_server,
    wait_run_finished,
)

METRICS = ("TaskDuration", "ScriptDuration", "LayoutDuration", "RecalcStyleDuration")
#: Streamlit's code-block chunk (Prism via react-syntax-highlighter), by its file name.
HIGHLIGHTER = "StreamlitSyntaxHighlighter"


def self_time_ms(profile: dict, url_part: str) -> float:
    """JavaScript self time (V8 sampling profiler) in functions of scripts whose URL holds ``url_part``."""
    inside = {n["id"] for n in profile["nodes"] if url_part in n["callFrame"]["url"]}
    return (
        sum(
            delta
            for node, delta in zip(profile["samples"], profile["timeDeltas"], strict=False)
            if node in inside
        )
        / 1000
    )


def one_load(browser, url: str) -> dict:
    context, page, monitor = new_page(browser)
    try:
        cdp = context.new_cdp_session(page)
        cdp.send("Performance.enable")
        cdp.send("Profiler.enable")
        cdp.send("Profiler.setSamplingInterval", {"interval": 500})  # microseconds
        cdp.send("Profiler.start")
        started = time.perf_counter()
        page.goto(url)
        wait_run_finished(page, monitor, 0, 60)
        settle(page, monitor, quiet_ms=500, timeout=60)
        wall = (time.perf_counter() - started) * 1000 - 500  # minus the quiet wait itself
        values = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
        row = {name: values.get(name, 0.0) * 1000 for name in METRICS}
        row["highlight_ms"] = self_time_ms(cdp.send("Profiler.stop")["profile"], HIGHLIGHTER)
        row["wall_ms"] = wall
        row["pre"] = page.locator("[data-testid=stMain] pre").count()
        row["exceptions"] = page.locator("[data-testid=stException]").count()
        return row
    finally:
        context.close()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", default="entropy,softmax_logits")
    ap.add_argument("--loads", type=int, default=5)
    ap.add_argument(
        "--url",
        action="append",
        default=[],
        help="a running server on loopback (default: start one); give two to compare them, "
        "their loads interleaved so that the machine's load falls on both alike",
    )
    args = ap.parse_args()
    pages = [p.strip() for p in args.pages.split(",")]

    def run(bases: list[str]) -> None:
        rows: dict[tuple[str, str], list[dict]] = {}
        with sync_playwright() as pw:
            browser = launch_chromium(pw)
            for name in pages:
                for base in bases:  # warm each server's caches for this page
                    warm, page, monitor = new_page(browser)
                    open_page(page, base, name, monitor, query=REVEAL_QUERY)
                    warm.close()
                for _ in range(args.loads):
                    for base in bases:
                        rows.setdefault((base, name), []).append(
                            one_load(browser, f"{base}/{name}?{REVEAL_QUERY}")
                        )
            browser.close()
        print(
            "\n| server | page | loads | main thread busy ms (TaskDuration) | JavaScript ms | layout + style ms "
            "| settled ms | code blocks in DOM | syntax highlighter JS ms | load avg |"
        )
        print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        for (base, name), loads in rows.items():
            med = {
                k: statistics.median(r[k] for r in loads)
                for k in (*METRICS, "wall_ms", "pre", "highlight_ms")
            }
            errors = sum(r["exceptions"] for r in loads)
            print(
                f"| {base} | {name or 'home'} | {len(loads)} | {med['TaskDuration']:.0f} | {med['ScriptDuration']:.0f} "
                f"| {med['LayoutDuration'] + med['RecalcStyleDuration']:.0f} | {med['wall_ms']:.0f} "
                f"| {med['pre']:.0f} | {med['highlight_ms']:.0f} | {os.getloadavg()[0]:.1f} |"
                + (f" {errors} exceptions!" if errors else "")
            )

    if args.url:
        run([u.rstrip("/") for u in args.url])
    else:
        with streamlit_server("app.py", log_name="bench-cold-load") as base:
            run([base])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
