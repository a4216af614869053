"""Load benchmark: N students changing the p/q editor at once, on 1 replica or N behind nginx.

Usage, from the repository root:
    python -m bench.load                    # 1 replica started here, N = 10, 25, 50, 60 s each
    python -m bench.load --quick            # the same with 10 s per level
    python -m bench.load --replicas 2       # deploy/start.sh: 2 replicas behind nginx, then the same
    python -m bench.load --url http://127.0.0.1:8600 --run-dir /tmp/ce-lab-deploy   # a running deploy
    python -m bench.load --sessions 10 --duration 5 --interval 1   # a quick check

For each level, N students (bench/students.py) open the page and every ``--interval`` seconds make
the change a learner makes most (``--key``, default: a dragged bar of the p/q editor released), on
a fixed schedule; a tick that passes while a student's rerun is still running is skipped and
counted. Printed per level: reruns and the rate offered, rerun latency p50/p95/max, errors, first
load p50, server RSS (start, end, peak), server CPU per replica and per run, the load average.

The other server benchmarks: bench/memory.py, bench/cold_start.py, bench/hostile.py.
"""

from __future__ import annotations

import asyncio
import os
import resource
import sys

from bench.students import (
    MIB,
    Stats,
    Target,
    arguments,
    check,
    pct,
    run,
    sample_rss,
    student,
    warm_up,
)


async def run_level(target: Target, n: int, args) -> dict:
    loop = asyncio.get_running_loop()
    stats = Stats()
    rss0, cpu0 = sum(target.rss()), target.cpu()
    client0 = resource.getrusage(resource.RUSAGE_SELF)
    t0 = loop.time()
    t_end = t0 + args.duration
    peak = [rss0]
    sampler = asyncio.create_task(sample_rss(target, peak, 0.5, t_end + args.timeout))
    tasks = [student(i, target, args, stats, t_end, args.seed + n) for i in range(n)]
    try:
        await asyncio.wait_for(asyncio.gather(*tasks), args.duration + args.timeout + 30)
    except TimeoutError:
        stats.error("level did not finish in time (sessions cancelled)")
    sampler.cancel()
    elapsed = loop.time() - t0
    client1 = resource.getrusage(resource.RUSAGE_SELF)
    cpu1 = target.cpu()
    return {
        "n": n,
        "reruns": len(stats.latencies),
        "skipped": stats.skipped,
        "seconds": round(elapsed, 1),
        "rate": len(stats.latencies) / max(elapsed, 1e-9),
        "offered": n / args.interval,
        "p50_ms": pct(stats.latencies, 50) * 1000,
        "p95_ms": pct(stats.latencies, 95) * 1000,
        "max_ms": max(stats.latencies, default=float("nan")) * 1000,
        "first_p50_ms": pct(stats.first_loads, 50) * 1000,
        "errors": sum(stats.errors.values()),
        "error_kinds": dict(stats.errors.most_common(5)),
        "rss_start_mib": rss0 / MIB,
        "rss_end_mib": sum(target.rss()) / MIB,
        "rss_peak_mib": max(peak[0], sum(target.rss())) / MIB,
        "server_cpu_s": [round(b - a, 1) for a, b in zip(cpu0, cpu1, strict=True)],
        "server_cpu_ms_per_run": (sum(cpu1) - sum(cpu0))
        * 1000
        / max(1, len(stats.latencies) + len(stats.first_loads)),
        "client_cpu_s": round(client1.ru_utime + client1.ru_stime - client0.ru_utime - client0.ru_stime, 1),
        "loadavg_1m": round(os.getloadavg()[0], 1),
    }


async def run_levels(target: Target, args) -> list[dict]:
    await warm_up(target, args)
    rows = []
    for n in args.sessions:
        print(
            f"... N={n}: {args.duration:g} s, {args.key} every {args.interval:g} s",
            file=sys.stderr,
            flush=True,
        )
        rows.append(await run_level(target, n, args))
        await asyncio.sleep(args.pause)
    return rows


def print_levels(target: Target, rows: list[dict], args) -> bool:
    """The table of the levels; True if no level had an error."""
    what = "p/q editor release (bars in turn)" if args.key == "pq_editor" else f"slider {args.key}"
    print(
        f"\n### Load: {target.label}; page {args.page or 'home'!r}, {what} every "
        f"{args.interval:g} s for {args.duration:g} s\n"
    )
    print(
        "| N | reruns (ticks skipped) | reruns/s (offered) | p50 ms | p95 ms | max ms | errors | first load p50 ms "
        "| server RSS MiB start → end (peak) | server CPU s (per replica) | CPU ms/run | load avg |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---:|---:|")
    for r in rows:
        print(
            f"| {r['n']} | {r['reruns']} ({r['skipped']}) | {r['rate']:.1f} ({r['offered']:.1f}) | {r['p50_ms']:.0f} "
            f"| {r['p95_ms']:.0f} | {r['max_ms']:.0f} | {r['errors']} | {r['first_p50_ms']:.0f} "
            f"| {r['rss_start_mib']:.0f} → {r['rss_end_mib']:.0f} ({r['rss_peak_mib']:.0f}) "
            f"| {' + '.join(f'{c:.0f}' for c in r['server_cpu_s'])} | {r['server_cpu_ms_per_run']:.0f} "
            f"| {r['loadavg_1m']} |"
        )
    for r in rows:
        for what, count in r["error_kinds"].items():
            print(f"- N={r['n']}: {count} x {what}")
    print(
        f"\nClient CPU (this driver) per level: {', '.join(str(r['client_cpu_s']) for r in rows)} s. "
        f"Machine: {os.cpu_count()} cores, load average now {os.getloadavg()[0]:.1f}."
    )
    return all(r["errors"] == 0 for r in rows)


def parse_args(argv: list[str] | None = None):
    p = arguments(__doc__)
    p.add_argument(
        "--sessions",
        type=lambda s: [int(x) for x in s.split(",")],
        default=[10, 25, 50],
        help="comma-separated session counts (default 10,25,50)",
    )
    p.add_argument("--duration", type=float, help="seconds per level (default 60; 10 with --quick)")
    p.add_argument("--interval", type=float, default=2.0, help="seconds between changes (default 2)")
    p.add_argument("--quick", action="store_true", help="10 s per level")
    p.add_argument("--pause", type=float, default=3.0, help="seconds between levels")
    args = p.parse_args(argv)
    if args.duration is None:
        args.duration = 10.0 if args.quick else 60.0
    return check(p, args, ("duration", "interval", "sessions"))


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    return run(args, "levels", run_levels, print_levels)


if __name__ == "__main__":
    raise SystemExit(main())
