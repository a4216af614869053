"""Load benchmark for the Cross-Entropy Lab over Streamlit's own websocket protocol.

Each simulated student is one :class:`bench.ws_client.StreamlitSession` (a browser tab without
the browser): it opens the page, waits for the first run, then every ``--interval`` seconds makes
the change a learner makes most, and times each rerun, from sending the ``rerun_script`` to its
``script_finished``. Server memory is the summed VmRSS of the Streamlit process(es).

The change (``--key``, default ``pq_editor``): the release of a dragged bar of the p/q editor,
sent exactly as the editor's module sends it (the component's trigger ``edit`` = ``{"kind":
"drag", "bar": b, "g": g}``; the bars are taken in turn, p's then q's, each to a random grid
position). That is one whole-app rerun: app.py's sidebar, the page with every chart, the editor's
new drag table, and the URL written back (the client follows ``page_info_changed``). It replaces
the sidebar slider p0 of the older lab, which also reran the whole app. ``--key <slider key>``
moves a slider instead (a slider bound to the URL also updates the query string first, as the
browser does); a lesson slider inside ``st.fragment`` reruns only its panel, so its figures are
not comparable with the editor's.

    python bench/load.py                    # 1 replica started here, N = 10, 25, 50, 60 s each
    python bench/load.py --quick            # the same with 10 s per level
    python bench/load.py --replicas 2       # deploy/start.sh: 2 replicas behind nginx, then the same
    python bench/load.py --url http://127.0.0.1:8600 --run-dir /tmp/ce-lab-deploy   # a running deploy
    python bench/load.py --memory           # 10,000 reruns (10 sessions x 1,000, no pause), RSS every 1,000
    python bench/load.py --cold-start       # a fresh server, 30 students arriving within 2 s on lesson links
    python bench/load.py --hostile          # 200 hostile links + 80 slider changes, then RSS for 10 idle minutes

Everything stays on loopback, and every loop is bounded by a count and a time limit.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from streamlit.proto.BidiComponent_pb2 import BidiComponent  # noqa: E402
from streamlit.proto.Slider_pb2 import Slider  # noqa: E402
from streamlit.proto.WidgetStates_pb2 import WidgetState  # noqa: E402

from bench.ws_client import ProtocolError, StreamlitSession, check_loopback  # noqa: E402

MIB = 1024 * 1024
CLK_TCK = os.sysconf("SC_CLK_TCK")


# ---------------------------------------------------------------- server processes


def rss_bytes(pid: int) -> int:
    """Resident memory of ``pid`` from /proc/PID/status (VmRSS), 0 if it is gone."""
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of ``pid`` (from /proc/PID/stat), 0 if it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLK_TCK
    except (OSError, IndexError, ValueError):
        return 0.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def free_port_run(count: int, tries: int = 50) -> int:
    """A first port such that ``count`` consecutive loopback ports are free."""
    rng = random.Random()
    for _ in range(tries):
        base = rng.randrange(20000, 40000)
        try:
            socks = []
            for p in range(base, base + count):
                s = socket.socket()
                socks.append(s)
                s.bind(("127.0.0.1", p))
            return base
        except OSError:
            continue
        finally:
            for s in socks:
                s.close()
    raise RuntimeError(f"no run of {count} free loopback ports found")


def wait_healthy(url: str, seconds: float) -> None:
    import http.client

    host, port = check_loopback(url)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection(host, port, timeout=2)
            conn.request("GET", "/_stcore/health")
            if conn.getresponse().read().strip() == b"ok":
                return
        except OSError:
            pass
        finally:
            conn.close()
        time.sleep(0.5)
    raise RuntimeError(f"{url} did not answer /_stcore/health within {seconds:g} s")


@dataclass
class Target:
    """Where the sessions connect, and which processes are the server."""

    label: str
    url: str
    pids: list[int]
    direct_urls: list[str] = field(default_factory=list)  # each replica, for warming up
    probe_out: Path | None = None  # tests/session_probe.py's output, if the server runs through it
    _stop: list = field(default_factory=list, repr=False)

    def rss(self) -> list[int]:
        return [rss_bytes(p) for p in self.pids]

    def held(self) -> dict:
        """The probe's last record: sessions stored for reconnect, AppSessions alive (or {})."""
        if self.probe_out is None or not self.probe_out.exists():
            return {}
        lines = self.probe_out.read_text().splitlines()
        return json.loads(lines[-1]) if lines else {}

    def cpu(self) -> list[float]:
        return [cpu_seconds(p) for p in self.pids]

    def stop(self) -> None:
        while self._stop:
            with contextlib.suppress(Exception):
                self._stop.pop()()


def start_direct(probe: bool = False) -> Target:
    """One ``streamlit run app.py`` on a free loopback port (the way the notes start it).

    ``probe``: run it through tests/session_probe.py, which also writes the sessions the server
    holds (read by :meth:`Target.held`).
    """
    port = free_port()
    log_dir = Path(tempfile.mkdtemp(prefix="ce-lab-bench-"))
    log = open(log_dir / "streamlit.log", "ab")  # noqa: SIM115 - closed by the stop hook
    probe_out = log_dir / "probe.jsonl"
    head = [sys.executable, str(REPO / "tests" / "session_probe.py")] if probe else \
        [sys.executable, "-m", "streamlit", "run", "app.py"]
    env = {**os.environ, "PROBE_OUT": str(probe_out), "PROBE_EVERY": "5"} if probe else None
    proc = subprocess.Popen(
        [*head, "--server.headless", "true",
         "--server.address", "127.0.0.1", "--server.port", str(port),
         "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
        cwd=REPO, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True, env=env)
    url = f"http://127.0.0.1:{port}"
    target = Target(f"1 replica, direct (:{port})", url, [proc.pid], [url], probe_out=probe_out if probe else None)

    def stop() -> None:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
        log.close()
        shutil.rmtree(log_dir, ignore_errors=True)

    target._stop.append(stop)
    try:
        wait_healthy(url, 90)
    except Exception:
        target.stop()
        raise
    return target


def attach_run_dir(url: str, run_dir: Path, label: str) -> Target:
    """A deployment started by deploy/start.sh: replica pids and ports from its run directory."""
    pids, direct = [], []
    for pid_file in sorted(run_dir.glob("replica-*.pid")):
        pids.append(int(pid_file.read_text()))
        direct.append(f"http://127.0.0.1:{pid_file.with_suffix('.port').read_text().strip()}")
    if not pids:
        raise RuntimeError(f"no replica-*.pid in {run_dir}")
    return Target(label, url, pids, direct)


def start_deploy(replicas: int) -> Target:
    """deploy/start.sh with ``replicas`` replicas on free ports and a private run directory."""
    run_dir = Path(tempfile.mkdtemp(prefix="ce-lab-deploy-"))
    port, base = free_port(), free_port_run(replicas)
    cmd = [str(REPO / "deploy" / "start.sh"), "-n", str(replicas), "-p", str(port), "-b", str(base),
           "-d", str(run_dir)]

    def stop() -> None:
        subprocess.run([str(REPO / "deploy" / "stop.sh"), "-d", str(run_dir)], check=False,
                       stdout=subprocess.DEVNULL, timeout=60)
        shutil.rmtree(run_dir, ignore_errors=True)

    try:
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, timeout=180)
        target = attach_run_dir(f"http://127.0.0.1:{port}", run_dir,
                                f"{replicas} replica(s) behind nginx (:{port})")
    except Exception:
        stop()
        raise
    target._stop.append(stop)
    return target


# ---------------------------------------------------------------- sessions


@dataclass
class Stats:
    latencies: list[float] = field(default_factory=list)
    first_loads: list[float] = field(default_factory=list)
    errors: Counter = field(default_factory=Counter)
    sessions_ok: int = 0
    skipped: int = 0

    def error(self, what: str) -> None:
        self.errors[what[:120]] += 1


def slider_state(widget_id: str, value: float) -> WidgetState:
    state = WidgetState(id=widget_id)
    state.double_array_value.data.append(value)
    return state


def next_value(rng: random.Random, old: float) -> float:
    while True:
        value = round(rng.uniform(0.0, 100.0), 1)
        if value != old:
            return value


def editor_edit_states(component_id: str, edit: dict) -> list[WidgetState]:
    """What the browser sends when the p/q editor calls ``setTriggerValue("edit", edit)``.

    The trigger goes to the component's event aggregator widget as a list of payloads. The
    browser sends the component's own state with it (``{}``: the editor keeps no state value);
    without that state the server presents ``st.session_state[key]`` without the trigger and
    the editor's callback sees no edit.
    """
    from streamlit.components.v2.bidi_component.main import _make_trigger_id

    base = WidgetState(id=component_id)
    base.json_value = "{}"
    trigger = WidgetState(id=_make_trigger_id(component_id, "events"))
    trigger.json_trigger_value = json.dumps([{"event": "edit", "value": edit}])
    return [base, trigger]


@dataclass
class Handle:
    """An open session and the control it moves (a slider, or the p/q editor's bars)."""

    session: StreamlitSession
    widget_id: str
    url_key: str  # the slider's query parameter ("" if it is not bound to the URL)
    default: float
    bars: int = 0  # the p/q editor: 2 K bars (0 for a slider)
    moves: int = 0

    def next_states(self, value: float) -> list[WidgetState]:
        """The widget states that move the control to ``value`` (0 to 100)."""
        if not self.bars:
            return [slider_state(self.widget_id, value)]
        bar = self.moves % self.bars  # p's bars, then q's, in turn
        self.moves += 1
        return editor_edit_states(self.widget_id, {"kind": "drag", "bar": bar, "g": round(value)})


def url_number(value: float) -> str:
    """A number as Streamlit writes it into the URL (5.0 -> "5", 5.5 -> "5.5")."""
    return str(int(value)) if value == int(value) else str(value)


async def open_session(url: str, args, stats: Stats) -> Handle | None:
    """Connect, run the page once, find the slider; None (and an error counted) on failure."""
    session = StreamlitSession(url, page=args.page, timeout=args.timeout)
    try:
        await session.open()
        first = await session.rerun()
    except (OSError, ProtocolError, TimeoutError) as exc:
        stats.error(f"connect/first run: {type(exc).__name__}: {exc}")
        await session.close()
        return None
    except Exception as exc:  # websockets' own errors (handshake refused, closed)
        stats.error(f"connect/first run: {type(exc).__name__}: {exc}")
        await session.close()
        return None
    stats.first_loads.append(first.seconds)
    if not first.ok:
        stats.error(f"first run: status {first.status} {first.exceptions[:1]}")
    editor = session.find_widget(args.key, BidiComponent)
    if editor is not None:
        k = int(json.loads(editor.json)["k"])
        return Handle(session, editor.id, "", 0.0, bars=2 * k)
    slider = session.find_widget(args.key, Slider)
    if slider is None:
        stats.error(f"no p/q editor or slider with key {args.key!r} on page {args.page or 'home'!r}")
        await session.close()
        return None
    return Handle(session, slider.id, slider.query_param_key, slider.default[0] if slider.default else 0.0)


async def timed_rerun(handle: Handle, value: float, stats: Stats) -> bool:
    """One change of the control; its latency or its error goes into ``stats``. False: give up the session."""
    if handle.url_key:  # the browser writes a bound widget into the address bar, then reruns
        handle.session.set_url_param(handle.url_key, None if value == handle.default else url_number(value))
    try:
        result = await handle.session.rerun(handle.next_states(value))
    except (ProtocolError, TimeoutError) as exc:
        stats.error(f"rerun: {exc}")
        return False
    except Exception as exc:  # connection closed and the like
        stats.error(f"rerun: {type(exc).__name__}: {exc}")
        return False
    if result.ok:
        stats.latencies.append(result.seconds)
    else:
        stats.error(f"rerun: status {result.status} {result.exceptions[:1]}")
    return True


async def student(i: int, target: Target, args, stats: Stats, t_end: float, seed: int) -> None:
    """Open the page, then move the control every ``args.interval`` seconds until ``t_end``."""
    loop = asyncio.get_running_loop()
    rng = random.Random(seed * 1000 + i)
    await asyncio.sleep(rng.uniform(0, args.interval))  # students do not click in lockstep
    handle = await open_session(target.url, args, stats)
    if handle is None:
        return
    value = handle.default
    try:
        tick = loop.time() + args.interval
        while tick < t_end:
            await asyncio.sleep(max(0.0, tick - loop.time()))
            value = next_value(rng, value)
            if not await timed_rerun(handle, value, stats):
                return
            # Fixed schedule; ticks that pass while a rerun is still running are skipped
            # (counted: the student would have moved the control again by then).
            tick += args.interval
            behind = loop.time() - tick
            if behind > 0:
                skipped = int(behind // args.interval)
                stats.skipped += skipped
                tick += skipped * args.interval
        stats.sessions_ok += 1
    finally:
        await handle.session.close()


# ---------------------------------------------------------------- runs


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))]


async def sample_rss(target: Target, peak: list[int], every: float, t_end: float) -> None:
    loop = asyncio.get_running_loop()
    while loop.time() < t_end:
        peak[0] = max(peak[0], sum(target.rss()))
        await asyncio.sleep(every)


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
        "n": n, "reruns": len(stats.latencies), "skipped": stats.skipped, "seconds": round(elapsed, 1),
        "rate": len(stats.latencies) / max(elapsed, 1e-9), "offered": n / args.interval,
        "p50_ms": pct(stats.latencies, 50) * 1000, "p95_ms": pct(stats.latencies, 95) * 1000,
        "max_ms": max(stats.latencies, default=float("nan")) * 1000,
        "first_p50_ms": pct(stats.first_loads, 50) * 1000,
        "errors": sum(stats.errors.values()), "error_kinds": dict(stats.errors.most_common(5)),
        "rss_start_mib": rss0 / MIB, "rss_end_mib": sum(target.rss()) / MIB,
        "rss_peak_mib": max(peak[0], sum(target.rss())) / MIB,
        "server_cpu_s": [round(b - a, 1) for a, b in zip(cpu0, cpu1, strict=True)],
        "server_cpu_ms_per_run": (sum(cpu1) - sum(cpu0)) * 1000 / max(1, len(stats.latencies) + len(stats.first_loads)),
        "client_cpu_s": round(client1.ru_utime + client1.ru_stime - client0.ru_utime - client0.ru_stime, 1),
        "loadavg_1m": round(os.getloadavg()[0], 1),
    }


async def warm_up(target: Target, args) -> None:
    """One page load per replica (first runs import Plotly and friends)."""
    for url in target.direct_urls or [target.url]:
        async with StreamlitSession(url, page=args.page, timeout=max(args.timeout, 60)) as s:
            await s.rerun()


async def run_levels(target: Target, args) -> list[dict]:
    await warm_up(target, args)
    rows = []
    for n in args.sessions:
        print(f"... N={n}: {args.duration:g} s, {args.key} every {args.interval:g} s", file=sys.stderr, flush=True)
        rows.append(await run_level(target, n, args))
        await asyncio.sleep(args.pause)
    return rows


async def run_memory(target: Target, args) -> dict:
    """``args.reruns`` reruns with no pause by ``args.memory_sessions`` sessions; RSS every ``args.sample_every``."""
    loop = asyncio.get_running_loop()
    stats = Stats()
    await warm_up(target, args)
    opened = [await open_session(target.url, args, stats) for _ in range(args.memory_sessions)]
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
                print(f"... {done} reruns, RSS {sum(samples[-1][1]) / MIB:.1f} MiB", file=sys.stderr, flush=True)
            if not ok:
                return

    try:
        await asyncio.wait_for(
            asyncio.gather(*(worker(h, args.seed + k) for k, h in enumerate(opened))),
            args.max_seconds + args.timeout + 30)
    except TimeoutError:
        stats.error("memory run did not finish in time")
    finally:
        for h in opened:
            await h.session.close()
    if done % args.sample_every:
        samples.append((done, target.rss()))
    return {"reruns": done, "seconds": round(loop.time() - t0, 1), "samples": samples,
            "p50_ms": pct(stats.latencies, 50) * 1000, "p95_ms": pct(stats.latencies, 95) * 1000,
            "errors": sum(stats.errors.values()), "error_kinds": dict(stats.errors.most_common(5)),
            "sessions": len(opened)}


# ---------------------------------------------------------------- cold start


async def run_cold_start(target: Target, args) -> dict:
    """``args.cold_students`` first loads on a server that has served no one yet, all arriving
    within ``args.cold_window`` seconds, each on a lesson page (round robin over ``COLD_PAGES``).

    No warm-up: the first runs of the process are what is measured. A first load is timed from
    opening the websocket's page request to its ``script_finished`` (the lab's reroute through
    app.py included, as a browser sees it).
    """
    loop = asyncio.get_running_loop()
    stats = Stats()
    rng = random.Random(args.seed)
    arrivals = sorted(rng.uniform(0, args.cold_window) for _ in range(args.cold_students))
    rss0 = sum(target.rss())
    t0 = loop.time()
    peak = [rss0]
    sampler = asyncio.create_task(sample_rss(target, peak, 0.5, t0 + args.cold_window + args.timeout))

    async def arrive(i: int, at: float) -> None:
        await asyncio.sleep(max(0.0, t0 + at - loop.time()))
        page = COLD_PAGES[i % len(COLD_PAGES)]
        session = StreamlitSession(target.url, page=page, timeout=args.timeout)
        started = time.perf_counter()
        try:
            await session.open()
            result = await first_load(session)
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
    return {"students": args.cold_students, "window_s": args.cold_window, "pages": len(COLD_PAGES),
            "loaded": len(stats.first_loads), "errors": sum(stats.errors.values()),
            "error_kinds": dict(stats.errors.most_common(5)),
            "p50_ms": pct(stats.first_loads, 50) * 1000, "p95_ms": pct(stats.first_loads, 95) * 1000,
            "max_ms": max(stats.first_loads, default=float("nan")) * 1000,
            "rss_start_mib": rss0 / MIB, "rss_peak_mib": max(peak[0], sum(target.rss())) / MIB,
            "seconds": round(loop.time() - t0, 1), "loadavg_1m": round(os.getloadavg()[0], 1)}


#: Lesson pages the cold-start students open (different pages import different figure modules).
COLD_PAGES = ("entropy", "cross_entropy_kl", "surprisal", "binary_ce", "label_smoothing", "softmax_logits",
              "focal_loss", "", "clipping", "one_hot_loss")


async def first_load(session: StreamlitSession):
    """The page's first run as a browser gets it. A lesson link opened first on a fresh server
    runs the page alone, which reroutes once through app.py (lab.ui.ensure_app_run); ``rerun``
    skips the abandoned run's ``script_finished`` and waits for the run that draws the page."""
    return await session.rerun()


# ---------------------------------------------------------------- hostile links, then idle


def hostile_query(rng: random.Random, i: int) -> str:
    """A link a prankster or a broken tool might send: markup, huge and non-numbers, unknown keys."""
    from urllib.parse import urlencode

    payloads = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "\"><svg onload=alert(1)>",
                "javascript:alert(1)", "1e309", "-1e309", "nan", "9" * 180, "%00", "💥" * 20, "' OR 1=1 --"]
    params = {"n0": rng.choice(payloads), "n1": rng.choice(payloads), "p0": rng.choice(payloads),
              "q1": rng.choice(payloads), "hide": rng.choice(payloads),
              f"zz{i}": rng.choice(payloads), f"k{rng.randrange(10**6)}": rng.choice(payloads)}
    return urlencode(params)


async def run_hostile_idle(target: Target, args) -> dict:
    """``args.hostile_links`` sessions open a hostile link (one run each, then close), then one
    session makes ``args.hostile_slider`` slider changes; RSS every ``args.idle_every`` s during
    the load and for ``args.idle_seconds`` after it (Streamlit keeps a closed session about
    120 s, ``server.disconnectedSessionTTL``)."""
    loop = asyncio.get_running_loop()
    stats = Stats()
    rng = random.Random(args.seed)
    samples: list[tuple[float, str, int, dict]] = []
    t0 = loop.time()

    def sample(phase: str) -> None:
        samples.append((round(loop.time() - t0, 1), phase, sum(target.rss()), target.held()))

    sample("fresh server")
    await warm_up(target, args)
    sample("after one page load")
    for wave in range(1, args.waves + 1):
        await hostile_wave(target, args, stats, rng, sample, f"wave {wave}: " if args.waves > 1 else "")
    return {"links": args.hostile_links, "slider": args.hostile_slider, "waves": args.waves, "samples": samples,
            "errors": sum(stats.errors.values()), "error_kinds": dict(stats.errors.most_common(5)),
            "loadavg_1m": round(os.getloadavg()[0], 1)}


async def hostile_wave(target: Target, args, stats: Stats, rng: random.Random, sample, label: str) -> None:
    loop = asyncio.get_running_loop()
    pages = list(COLD_PAGES)
    sem = asyncio.Semaphore(args.hostile_concurrency)

    async def hostile(i: int) -> None:
        async with sem:
            session = StreamlitSession(target.url, page=pages[i % len(pages)], query_string=hostile_query(rng, i),
                                       timeout=args.timeout)
            try:
                await session.open()
                result = await first_load(session)
                if not result.ok:
                    stats.error(f"hostile link: status {result.status} {result.exceptions[:1]}")
            except Exception as exc:
                stats.error(f"hostile link: {type(exc).__name__}: {exc}")
            finally:
                await session.close()
            if (i + 1) % 50 == 0:
                sample(f"{label}{i + 1} hostile links")

    await asyncio.gather(*(hostile(i) for i in range(args.hostile_links)))
    handle = await open_session(target.url, args, stats)
    if handle is not None:
        value = handle.default
        for _ in range(args.hostile_slider):
            value = next_value(rng, value)
            if not await timed_rerun(handle, value, stats):
                break
        await handle.session.close()
    sample(f"{label}+ {args.hostile_slider} slider changes (load ends)")
    end = loop.time()
    while loop.time() - end < args.idle_seconds:
        await asyncio.sleep(args.idle_every)
        sample(f"{label}idle {loop.time() - end:.0f} s")


# ---------------------------------------------------------------- printing


def print_levels(target: Target, rows: list[dict], args) -> None:
    what = "p/q editor release (bars in turn)" if args.key == "pq_editor" else f"slider {args.key}"
    print(f"\n### Load: {target.label}; page {args.page or 'home'!r}, {what} every "
          f"{args.interval:g} s for {args.duration:g} s\n")
    print("| N | reruns (ticks skipped) | reruns/s (offered) | p50 ms | p95 ms | max ms | errors | first load p50 ms "
          "| server RSS MiB start → end (peak) | server CPU s (per replica) | CPU ms/run | load avg |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---:|---:|")
    for r in rows:
        print(f"| {r['n']} | {r['reruns']} ({r['skipped']}) | {r['rate']:.1f} ({r['offered']:.1f}) | {r['p50_ms']:.0f} "
              f"| {r['p95_ms']:.0f} | {r['max_ms']:.0f} | {r['errors']} | {r['first_p50_ms']:.0f} "
              f"| {r['rss_start_mib']:.0f} → {r['rss_end_mib']:.0f} ({r['rss_peak_mib']:.0f}) "
              f"| {' + '.join(f'{c:.0f}' for c in r['server_cpu_s'])} | {r['server_cpu_ms_per_run']:.0f} "
              f"| {r['loadavg_1m']} |")
    for r in rows:
        for what, count in r["error_kinds"].items():
            print(f"- N={r['n']}: {count} x {what}")
    print(f"\nClient CPU (this driver) per level: {', '.join(str(r['client_cpu_s']) for r in rows)} s. "
          f"Machine: {os.cpu_count()} cores, load average now {os.getloadavg()[0]:.1f}.")


def memory_growth(result: dict) -> tuple[float, float]:
    """Growth in MiB from the first sample and from the first sample after warm-up (1 interval)."""
    totals = [sum(rss) / MIB for _, rss in result["samples"]]
    if len(totals) < 2:
        return float("nan"), float("nan")
    after_warm = totals[1] if len(totals) > 2 else totals[0]
    return totals[-1] - totals[0], totals[-1] - after_warm


def print_memory(target: Target, result: dict, args) -> bool:
    print(f"\n### Memory: {target.label}; {result['reruns']} reruns by {result['sessions']} sessions "
          f"with no pause, in {result['seconds']:g} s\n")
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
    print(f"\nGrowth: {total:+.1f} MiB from the first sample, {after:+.1f} MiB after the first "
          f"{args.sample_every} reruns (flat if ≤ {args.flat_mib:g} MiB: {'yes' if flat else 'NO'}). "
          f"Rerun latency p50 {result['p50_ms']:.0f} ms, p95 {result['p95_ms']:.0f} ms; "
          f"errors {result['errors']}.")
    for what, count in result["error_kinds"].items():
        print(f"- {count} x {what}")
    if result["reruns"] < args.reruns:
        print(f"Stopped by the time limit (--max-seconds {args.max_seconds:g}) after {result['reruns']} reruns.")
    return flat and result["errors"] == 0


def print_cold_start(target: Target, r: dict) -> bool:
    print(f"\n### Cold start: {target.label}; {r['students']} students arriving within {r['window_s']:g} s "
          f"on a server that has served no one, {r['pages']} lesson links\n")
    print("| students | loaded | errors | first load p50 ms | p95 ms | max ms | server RSS MiB start → peak | load avg |")
    print("|---:|---:|---:|---:|---:|---:|---|---:|")
    print(f"| {r['students']} | {r['loaded']} | {r['errors']} | {r['p50_ms']:.0f} | {r['p95_ms']:.0f} "
          f"| {r['max_ms']:.0f} | {r['rss_start_mib']:.0f} → {r['rss_peak_mib']:.0f} | {r['loadavg_1m']} |")
    for what, count in r["error_kinds"].items():
        print(f"- {count} x {what}")
    return r["errors"] == 0


def print_hostile_idle(target: Target, r: dict) -> bool:
    waves = f"{r['waves']} waves of " if r["waves"] > 1 else ""
    print(f"\n### Memory after hostile links: {target.label}; {waves}{r['links']} hostile links and {r['slider']} "
          f"slider changes, then idle\n")
    probed = any(held for *_, held in r["samples"])
    print("| t s | phase | server RSS MiB |" + (" sessions open / kept for reconnect / alive in memory |" if probed else ""))
    print("|---:|---|---:|" + ("---|" if probed else ""))
    for t, phase, rss, held in r["samples"]:
        line = f"| {t:g} | {phase} | {rss / MIB:.1f} |"
        if probed:
            line += f" {held.get('active', '?')} / {held.get('stored', '?')} / {held.get('alive', '?')} |"
        print(line)
    for what, count in r["error_kinds"].items():
        print(f"- {count} x {what}")
    print(f"\nErrors {r['errors']}; load average at the end {r['loadavg_1m']}.")
    return r["errors"] == 0


# ---------------------------------------------------------------- main


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    where = p.add_mutually_exclusive_group()
    where.add_argument("--url", help="an existing server or nginx on loopback (default: start one here)")
    where.add_argument("--replicas", type=int, default=0,
                       help="start deploy/start.sh with this many replicas behind nginx and measure through it")
    p.add_argument("--run-dir", type=Path, help="with --url: deploy/start.sh's run directory (replica pids)")
    p.add_argument("--pid", type=int, action="append", default=[], help="with --url: a server pid (repeatable)")
    p.add_argument("--sessions", type=lambda s: [int(x) for x in s.split(",")], default=[10, 25, 50],
                   help="comma-separated session counts (default 10,25,50)")
    p.add_argument("--duration", type=float, help="seconds per level (default 60; 10 with --quick)")
    p.add_argument("--interval", type=float, default=2.0, help="seconds between changes (default 2)")
    p.add_argument("--quick", action="store_true", help="10 s per level (and 1,000 reruns with --memory)")
    p.add_argument("--pause", type=float, default=3.0, help="seconds between levels")
    p.add_argument("--page", default="", help="url path of the page (default: home)")
    p.add_argument("--key", default="pq_editor",
                   help="the p/q editor's key (default pq_editor: a dragged bar released) or a slider's key")
    p.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for one script_finished")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--memory", action="store_true", help="the memory run instead of the load levels")
    p.add_argument("--reruns", type=int, default=10_000)
    p.add_argument("--memory-sessions", type=int, default=10)
    p.add_argument("--sample-every", type=int, default=1_000)
    p.add_argument("--max-seconds", type=float, default=900.0, help="time limit of the memory run")
    p.add_argument("--flat-mib", type=float, default=20.0,
                   help="largest growth after warm-up still called flat (default 20 MiB)")
    p.add_argument("--cold-start", action="store_true",
                   help="the cold-start row: a fresh server, --cold-students first loads within --cold-window s")
    p.add_argument("--cold-students", type=int, default=30)
    p.add_argument("--cold-window", type=float, default=2.0)
    p.add_argument("--hostile", action="store_true",
                   help="memory after hostile links: --hostile-links links, --hostile-slider changes, then idle")
    p.add_argument("--hostile-links", type=int, default=200)
    p.add_argument("--hostile-slider", type=int, default=80)
    p.add_argument("--hostile-concurrency", type=int, default=4)
    p.add_argument("--idle-seconds", type=float, default=600.0)
    p.add_argument("--waves", type=int, default=1, help="with --hostile: repeat load and idle this many times")
    p.add_argument("--probe", action="store_true",
                   help="run the server through tests/session_probe.py and report the sessions it holds")
    p.add_argument("--idle-every", type=float, default=30.0)
    p.add_argument("--json", type=Path, help="also write the raw results here")
    args = p.parse_args(argv)
    if args.duration is None:
        args.duration = 10.0 if args.quick else 60.0
    if args.quick and args.reruns == 10_000:
        args.reruns, args.sample_every = 1_000, 100
    if args.url:
        check_loopback(args.url)
    for name in ("duration", "interval", "timeout", "max_seconds"):
        if getattr(args, name) <= 0:
            p.error(f"--{name.replace('_', '-')} must be positive")
    if min(args.sessions) < 1 or args.reruns < 1 or args.sample_every < 1:
        p.error("--sessions, --reruns and --sample-every must be positive")
    return args


def make_target(args) -> Target:
    if args.url:
        if args.run_dir:
            return attach_run_dir(args.url, args.run_dir, f"{args.url}")
        return Target(args.url, args.url, list(args.pid))
    if args.replicas:
        return start_deploy(args.replicas)
    return start_direct(probe=args.probe)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    target = make_target(args)
    try:
        print(f"Target: {target.label}, server pids {target.pids}", file=sys.stderr, flush=True)
        if args.cold_start:
            result = asyncio.run(run_cold_start(target, args))
            ok = print_cold_start(target, result)
            raw = {"target": target.label, "cold_start": result}
        elif args.hostile:
            result = asyncio.run(run_hostile_idle(target, args))
            ok = print_hostile_idle(target, result)
            raw = {"target": target.label, "hostile": result}
        elif args.memory:
            result = asyncio.run(run_memory(target, args))
            ok = print_memory(target, result, args)
            raw = {"target": target.label, "memory": result}
        else:
            rows = asyncio.run(run_levels(target, args))
            print_levels(target, rows, args)
            ok = all(r["errors"] == 0 for r in rows)
            raw = {"target": target.label, "levels": rows}
        if args.json:
            args.json.write_text(json.dumps(raw, indent=1, default=str))
        return 0 if ok else 1
    finally:
        target.stop()


if __name__ == "__main__":
    raise SystemExit(main())
