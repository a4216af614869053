"""Cold start: a class opening its lesson links at once on a server that has served no one (issue 14).

Usage, from the repository root:
    python -m bench.cold_start                  # a fresh server, 30 students arriving within 2 s
    python -m bench.cold_start --replicas 2     # through deploy/start.sh (2 replicas, nginx)
    python -m bench.cold_start --students 5     # a quick check

``--students`` students (bench/students.py) arrive at random moments within ``--window`` seconds,
each opening a lesson link (round robin over ten pages that import different figure modules). No
warm-up: the first runs of the process are what is measured, from opening the websocket's page
request to its ``script_finished`` (the lab's reroute through app.py included, as a browser sees
it). Printed: students loaded, errors, first load p50/p95/max, server RSS start and peak.
(bench/cold_load.py is another thing: the browser's own time to show a page.)
"""

from __future__ import annotations

import asyncio
import os
import random
import time

from bench import students
from bench.ws_client import StreamlitSession


async def run_cold_start(target: students.Target, args) -> dict:
    """``args.students`` first loads on a server that has served no one yet, all arriving
    within ``args.window`` seconds, each on a lesson page (round robin over ``COLD_PAGES``).

    No warm-up: the first runs of the process are what is measured. A first load is timed from
    opening the websocket's page request to its ``script_finished`` (the lab's reroute through
    app.py included, as a browser sees it).
    """
    loop = asyncio.get_running_loop()
    stats = students.Stats()
    rng = random.Random(args.seed)
    arrivals = sorted(rng.uniform(0, args.window) for _ in range(args.students))
    rss0 = sum(target.rss())
    t0 = loop.time()
    peak = [rss0]
    sampler = asyncio.create_task(students.sample_rss(target, peak, 0.5, t0 + args.window + args.timeout))

    async def arrive(i: int, at: float) -> None:
        await asyncio.sleep(max(0.0, t0 + at - loop.time()))
        page = students.COLD_PAGES[i % len(students.COLD_PAGES)]
        session = StreamlitSession(target.url, page=page, timeout=args.timeout)
        started = time.perf_counter()
        try:
            await session.open()
            result = await students.first_load(session)
        except Exception as exc:  # refused, closed, timed out: an error for this student
            stats.error(f"/{page}: {type(exc).__name__}: {exc}")
            return
        finally:
            await session.close()
        stats.first_loads.append(time.perf_counter() - started)
        if not result.ok:
            stats.error(f"/{page}: status {result.status} {result.exceptions[:1]}")

    await asyncio.gather(*(arrive(i, at) for i, at in enumerate(arrivals)))
    sampler.cancel()
    return {
        "students": args.students,
        "window_s": args.window,
        "pages": len(students.COLD_PAGES),
        "loaded": len(stats.first_loads),
        "errors": sum(stats.errors.values()),
        "error_kinds": dict(stats.errors.most_common(5)),
        "p50_ms": students.pct(stats.first_loads, 50) * 1000,
        "p95_ms": students.pct(stats.first_loads, 95) * 1000,
        "max_ms": max(stats.first_loads, default=float("nan")) * 1000,
        "rss_start_mib": rss0 / students.MIB,
        "rss_peak_mib": max(peak[0], sum(target.rss())) / students.MIB,
        "seconds": round(loop.time() - t0, 1),
        "loadavg_1m": round(os.getloadavg()[0], 1),
    }


def print_cold_start(target: students.Target, r: dict, args) -> bool:
    print(
        f"\n### Cold start: {target.label}; {r['students']} students arriving within {r['window_s']:g} s "
        f"on a server that has served no one, {r['pages']} lesson links\n"
    )
    print(
        "| students | loaded | errors | first load p50 ms | p95 ms | max ms | server RSS MiB start → peak | load avg |"
    )
    print("|---:|---:|---:|---:|---:|---:|---|---:|")
    print(
        f"| {r['students']} | {r['loaded']} | {r['errors']} | {r['p50_ms']:.0f} | {r['p95_ms']:.0f} "
        f"| {r['max_ms']:.0f} | {r['rss_start_mib']:.0f} → {r['rss_peak_mib']:.0f} | {r['loadavg_1m']} |"
    )
    for what, count in r["error_kinds"].items():
        print(f"- {count} x {what}")
    return r["errors"] == 0


def parse_args(argv: list[str] | None = None):
    p = students.arguments(__doc__, control=False)
    p.add_argument("--students", type=int, default=30)
    p.add_argument("--window", type=float, default=2.0, help="seconds within which the students arrive")
    return students.check(p, p.parse_args(argv), ("students", "window"))


def main(argv: list[str] | None = None) -> int:
    return students.run(parse_args(argv), "cold_start", run_cold_start, print_cold_start)


if __name__ == "__main__":
    raise SystemExit(main())
