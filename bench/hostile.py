"""Memory after hostile links, then over idle minutes: is what the links cost given back? (issue 14)

Usage, from the repository root:
    python -m bench.hostile                     # 200 hostile links + 80 slider changes, then RSS for 10 idle minutes
    python -m bench.hostile --probe --waves 2   # also the sessions the server holds; load and idle twice
    python -m bench.hostile --links 20 --slider-changes 10 --idle-seconds 20 --idle-every 5   # a quick check

``--links`` sessions (``--concurrency`` at a time) each open a hostile link (markup, huge numbers
and non-numbers, unknown keys: what a prankster or a broken tool might send) on a lesson page, run
once and close; then one student (bench/students.py) makes ``--slider-changes`` changes. The
server's RSS is read every 50 links, after the load, and every ``--idle-every`` seconds for
``--idle-seconds`` after it (Streamlit keeps a closed session about 120 s,
``server.disconnectedSessionTTL``). With ``--probe`` the server runs through
bench/session_probe.py and the table also shows the sessions it holds.
"""

from __future__ import annotations

import asyncio
import os
import random

from bench import students
from bench.ws_client import StreamlitSession


def hostile_query(rng: random.Random, i: int) -> str:
    """A link a prankster or a broken tool might send: markup, huge and non-numbers, unknown keys."""
    from urllib.parse import urlencode

    payloads = [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        '"><svg onload=alert(1)>',
        "javascript:alert(1)",
        "1e309",
        "-1e309",
        "nan",
        "9" * 180,
        "%00",
        "💥" * 20,
        "' OR 1=1 --",
    ]
    params = {
        "n0": rng.choice(payloads),
        "n1": rng.choice(payloads),
        "p0": rng.choice(payloads),
        "q1": rng.choice(payloads),
        "hide": rng.choice(payloads),
        f"zz{i}": rng.choice(payloads),
        f"k{rng.randrange(10**6)}": rng.choice(payloads),
    }
    return urlencode(params)


async def run_hostile_idle(target: students.Target, args) -> dict:
    """``args.links`` sessions open a hostile link (one run each, then close), then one
    session makes ``args.slider_changes`` slider changes; RSS every ``args.idle_every`` s during
    the load and for ``args.idle_seconds`` after it (Streamlit keeps a closed session about
    120 s, ``server.disconnectedSessionTTL``)."""
    loop = asyncio.get_running_loop()
    stats = students.Stats()
    rng = random.Random(args.seed)
    samples: list[tuple[float, str, int, dict]] = []
    t0 = loop.time()

    def sample(phase: str) -> None:
        samples.append((round(loop.time() - t0, 1), phase, sum(target.rss()), target.held()))

    sample("fresh server")
    await students.warm_up(target, args)
    sample("after one page load")
    for wave in range(1, args.waves + 1):
        await hostile_wave(target, args, stats, rng, sample, f"wave {wave}: " if args.waves > 1 else "")
    return {
        "links": args.links,
        "slider": args.slider_changes,
        "waves": args.waves,
        "samples": samples,
        "errors": sum(stats.errors.values()),
        "error_kinds": dict(stats.errors.most_common(5)),
        "loadavg_1m": round(os.getloadavg()[0], 1),
    }


async def hostile_wave(
    target: students.Target, args, stats: students.Stats, rng: random.Random, sample, label: str
) -> None:
    loop = asyncio.get_running_loop()
    pages = list(students.COLD_PAGES)
    sem = asyncio.Semaphore(args.concurrency)

    async def hostile(i: int) -> None:
        async with sem:
            session = StreamlitSession(
                target.url,
                page=pages[i % len(pages)],
                query_string=hostile_query(rng, i),
                timeout=args.timeout,
            )
            try:
                await session.open()
                result = await students.first_load(session)
                if not result.ok:
                    stats.error(f"hostile link: status {result.status} {result.exceptions[:1]}")
            except Exception as exc:
                stats.error(f"hostile link: {type(exc).__name__}: {exc}")
            finally:
                await session.close()
            if (i + 1) % 50 == 0:
                sample(f"{label}{i + 1} hostile links")

    await asyncio.gather(*(hostile(i) for i in range(args.links)))
    handle = await students.open_session(target.url, args, stats)
    if handle is not None:
        value = handle.default
        for _ in range(args.slider_changes):
            value = students.next_value(rng, value)
            if not await students.timed_rerun(handle, value, stats):
                break
        await handle.session.close()
    sample(f"{label}+ {args.slider_changes} slider changes (load ends)")
    end = loop.time()
    while loop.time() - end < args.idle_seconds:
        await asyncio.sleep(args.idle_every)
        sample(f"{label}idle {loop.time() - end:.0f} s")


def print_hostile_idle(target: students.Target, r: dict, args) -> bool:
    waves = f"{r['waves']} waves of " if r["waves"] > 1 else ""
    print(
        f"\n### Memory after hostile links: {target.label}; {waves}{r['links']} hostile links and {r['slider']} "
        f"slider changes, then idle\n"
    )
    probed = any(held for *_, held in r["samples"])
    print(
        "| t s | phase | server RSS MiB |"
        + (" sessions open / kept for reconnect / alive in memory |" if probed else "")
    )
    print("|---:|---|---:|" + ("---|" if probed else ""))
    for t, phase, rss, held in r["samples"]:
        line = f"| {t:g} | {phase} | {rss / students.MIB:.1f} |"
        if probed:
            line += f" {held.get('active', '?')} / {held.get('stored', '?')} / {held.get('alive', '?')} |"
        print(line)
    for what, count in r["error_kinds"].items():
        print(f"- {count} x {what}")
    print(f"\nErrors {r['errors']}; load average at the end {r['loadavg_1m']}.")
    return r["errors"] == 0


def parse_args(argv: list[str] | None = None):
    p = students.arguments(__doc__, probe=True)
    p.add_argument("--links", type=int, default=200, help="hostile links opened")
    p.add_argument("--slider-changes", type=int, default=80, help="changes by one student after the links")
    p.add_argument("--concurrency", type=int, default=4, help="hostile links open at a time")
    p.add_argument("--idle-seconds", type=float, default=600.0)
    p.add_argument("--idle-every", type=float, default=30.0)
    p.add_argument("--waves", type=int, default=1, help="repeat load and idle this many times")
    return students.check(p, p.parse_args(argv), ("links", "concurrency", "idle_every", "waves"))


def main(argv: list[str] | None = None) -> int:
    return students.run(parse_args(argv), "hostile", run_hostile_idle, print_hostile_idle)


if __name__ == "__main__":
    raise SystemExit(main())
