"""Memory over many reruns: does the server's resident memory stay flat? (issue 14)

Usage, from the repository root:
    python -m bench.memory                      # 10,000 reruns (10 sessions x 1,000, no pause), RSS every 1,000
    python -m bench.memory --quick              # 1,000 reruns, RSS every 100
    python -m bench.memory --replicas 2 --max-seconds 1200   # through deploy/start.sh (2 replicas, nginx)
    python -m bench.memory --reruns 200 --sample-every 50    # a quick check

``--sessions`` students (bench/students.py) open the page, then make ``--reruns`` changes between
them with no pause (``--key``, default: a dragged bar of the p/q editor released); the server's
RSS (VmRSS summed over its processes) is read every ``--sample-every`` reruns. Printed: the RSS
table, the growth from the first sample and after the first interval (warm-up), called flat
within ``--flat-mib``, rerun latency p50/p95 and errors. Stops at ``--max-seconds``.
"""

from __future__ import annotations

import asyncio
import random
import sys

from bench.students import (
    MIB,
    Handle,
    Stats,
    Target,
    arguments,
    check,
    next_value,
    open_session,
    pct,
    run,
    timed_rerun,
    warm_up,
)


async def run_memory(target: Target, args) -> dict:
    """``args.reruns`` reruns with no pause by ``args.sessions`` sessions; RSS every ``args.sample_every``."""
    loop = asyncio.get_running_loop()
    stats = Stats()
    await warm_up(target, args)
    opened = [await open_session(target.url, args, stats) for _ in range(args.sessions)]
    opened = [o for o in opened if o is not None]
    samples = [(0, target.rss())]
    issued = done = 0
    t0 = loop.time()
    deadline = t0 + args.max_seconds

    async def worker(handle: Handle, seed: int) -> None:
        nonlocal issued, done
        rng = random.Random(seed)
        value = handle.default
        while issued < args.reruns and loop.time() < deadline:
            issued += 1
            value = next_value(rng, value)
            ok = await timed_rerun(handle, value, stats)
            done += 1
            if done % args.sample_every == 0:
                samples.append((done, target.rss()))
                print(
                    f"... {done} reruns, RSS {sum(samples[-1][1]) / MIB:.1f} MiB", file=sys.stderr, flush=True
                )
            if not ok:
                return

    try:
        await asyncio.wait_for(
            asyncio.gather(*(worker(h, args.seed + k) for k, h in enumerate(opened))),
            args.max_seconds + args.timeout + 30,
        )
    except TimeoutError:
        stats.error("memory run did not finish in time")
    finally:
        for h in opened:
            await h.session.close()
    if done % args.sample_every:
        samples.append((done, target.rss()))
    return {
        "reruns": done,
        "seconds": round(loop.time() - t0, 1),
        "samples": samples,
        "p50_ms": pct(stats.latencies, 50) * 1000,
        "p95_ms": pct(stats.latencies, 95) * 1000,
        "errors": sum(stats.errors.values()),
        "error_kinds": dict(stats.errors.most_common(5)),
        "sessions": len(opened),
    }


def memory_growth(result: dict) -> tuple[float, float]:
    """Growth in MiB from the first sample and from the first sample after warm-up (1 interval)."""
    totals = [sum(rss) / MIB for _, rss in result["samples"]]
    if len(totals) < 2:
        return float("nan"), float("nan")
    after_warm = totals[1] if len(totals) > 2 else totals[0]
    return totals[-1] - totals[0], totals[-1] - after_warm


def print_memory(target: Target, result: dict, args) -> bool:
    print(
        f"\n### Memory: {target.label}; {result['reruns']} reruns by {result['sessions']} sessions "
        f"with no pause, in {result['seconds']:g} s\n"
    )
    per = len(result["samples"][0][1]) > 1
    print("| reruns | server RSS MiB |" + (" per replica |" if per else ""))
    print("|---:|---:|" + ("---|" if per else ""))
    for count, rss in result["samples"]:
        line = f"| {count} | {sum(rss) / MIB:.1f} |"
        if per:
            line += " " + " / ".join(f"{r / MIB:.1f}" for r in rss) + " |"
        print(line)
    total, after = memory_growth(result)
    flat = after <= args.flat_mib
    print(
        f"\nGrowth: {total:+.1f} MiB from the first sample, {after:+.1f} MiB after the first "
        f"{args.sample_every} reruns (flat if ≤ {args.flat_mib:g} MiB: {'yes' if flat else 'NO'}). "
        f"Rerun latency p50 {result['p50_ms']:.0f} ms, p95 {result['p95_ms']:.0f} ms; "
        f"errors {result['errors']}."
    )
    for what, count in result["error_kinds"].items():
        print(f"- {count} x {what}")
    if result["reruns"] < args.reruns:
        print(
            f"Stopped by the time limit (--max-seconds {args.max_seconds:g}) after {result['reruns']} reruns."
        )
    return flat and result["errors"] == 0


def parse_args(argv: list[str] | None = None):
    p = arguments(__doc__)
    p.add_argument("--reruns", type=int, default=10_000)
    p.add_argument("--sessions", type=int, default=10, help="sessions sharing the reruns (default 10)")
    p.add_argument("--sample-every", type=int, default=1_000, help="reruns between two RSS readings")
    p.add_argument("--max-seconds", type=float, default=900.0, help="time limit of the run")
    p.add_argument(
        "--flat-mib",
        type=float,
        default=20.0,
        help="largest growth after warm-up still called flat (default 20 MiB)",
    )
    p.add_argument("--quick", action="store_true", help="1,000 reruns, RSS every 100")
    args = p.parse_args(argv)
    if args.quick and args.reruns == 10_000:
        args.reruns, args.sample_every = 1_000, 100
    return check(p, args, ("reruns", "sessions", "sample_every", "max_seconds"))


def main(argv: list[str] | None = None) -> int:
    return run(parse_args(argv), "memory", run_memory, print_memory)


if __name__ == "__main__":
    raise SystemExit(main())
