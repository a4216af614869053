"""Simulated students for the load benchmarks: the server they load, and what each of them does.

A student is one :class:`bench.ws_client.StreamlitSession` (a browser tab without the browser): it
opens a page, waits for the first run, then makes the change a learner makes most, each rerun
timed from sending the ``rerun_script`` to its ``script_finished``.

The change (``--key``, default ``pq_editor``): the release of a dragged bar of the p/q editor,
sent exactly as the editor's module sends it (the component's trigger ``edit`` = ``{"kind":
"drag", "bar": b, "g": g}``; the bars are taken in turn, p's then q's, each to a random grid
position). That is one whole-app rerun: app.py's sidebar, the page with every chart, the editor's
new drag table, and the URL written back (the client follows ``page_info_changed``). ``--key
<slider key>`` moves a slider instead (a slider bound to the URL also updates the query string
first, as the browser does); a lesson slider inside ``st.fragment`` reruns only its panel, so its
figures are not comparable with the editor's.

The server: one ``streamlit run app.py`` started here (:func:`start_direct`), deploy/start.sh with
N replicas behind nginx (:func:`start_deploy`), or a running one (``--url``); its memory is the
summed VmRSS of the Streamlit process(es). Used by bench/load.py, bench/memory.py,
bench/cold_start.py and bench/hostile.py (:func:`arguments` and :func:`run` are their common
options and main). Everything stays on loopback, and every loop is bounded by a count and a time limit.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from pathlib import Path

from streamlit.proto.BidiComponent_pb2 import BidiComponent
from streamlit.proto.Slider_pb2 import Slider
from streamlit.proto.WidgetStates_pb2 import WidgetState

from bench.harness import ROOT, free_port, start_streamlit, stop_process, wait_healthy
from bench.ws_client import ProtocolError, StreamlitSession, check_loopback

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


@dataclass
class Target:
    """Where the sessions connect, and which processes are the server."""

    label: str
    url: str
    pids: list[int]
    direct_urls: list[str] = field(default_factory=list)  # each replica, for warming up
    probe_out: Path | None = None  # bench/session_probe.py's output, if the server runs through it
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

    ``probe``: run it through bench/session_probe.py, which also writes the sessions the server
    holds (read by :meth:`Target.held`).
    """
    port = free_port()
    log_dir = Path(tempfile.mkdtemp(prefix="ce-lab-bench-"))
    log = open(log_dir / "streamlit.log", "ab")  # noqa: SIM115 - closed by the stop hook
    probe_out = log_dir / "probe.jsonl" if probe else None
    proc = start_streamlit("app.py", port, log, probe_out=probe_out, probe_every=5)
    url = f"http://127.0.0.1:{port}"
    target = Target(f"1 replica, direct (:{port})", url, [proc.pid], [url], probe_out=probe_out)

    def stop() -> None:
        stop_process(proc)
        log.close()
        shutil.rmtree(log_dir, ignore_errors=True)

    target._stop.append(stop)
    try:
        wait_healthy(url, proc, 90)
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
    cmd = [
        str(ROOT / "deploy" / "start.sh"),
        "-n",
        str(replicas),
        "-p",
        str(port),
        "-b",
        str(base),
        "-d",
        str(run_dir),
    ]

    def stop() -> None:
        subprocess.run(
            [str(ROOT / "deploy" / "stop.sh"), "-d", str(run_dir)],
            check=False,
            stdout=subprocess.DEVNULL,
            timeout=60,
        )
        shutil.rmtree(run_dir, ignore_errors=True)

    try:
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, timeout=180)
        target = attach_run_dir(
            f"http://127.0.0.1:{port}", run_dir, f"{replicas} replica(s) behind nginx (:{port})"
        )
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


async def warm_up(target: Target, args) -> None:
    """One page load per replica (first runs import Plotly and friends)."""
    for url in target.direct_urls or [target.url]:
        async with StreamlitSession(url, page=args.page, timeout=max(args.timeout, 60)) as s:
            await s.rerun()


#: Lesson pages the cold-start students open (different pages import different figure modules).
COLD_PAGES = (
    "entropy",
    "cross_entropy_kl",
    "surprisal",
    "binary_ce",
    "label_smoothing",
    "softmax_logits",
    "focal_loss",
    "",
    "clipping",
    "one_hot_loss",
)


async def first_load(session: StreamlitSession):
    """The page's first run as a browser gets it. A lesson link opened first on a fresh server
    runs the page alone, which reroutes once through app.py (lab.ui.ensure_app_run); ``rerun``
    skips the abandoned run's ``script_finished`` and waits for the run that draws the page."""
    return await session.rerun()


# ---------------------------------------------------------------- options and main


def arguments(doc: str, *, control: bool = True, probe: bool = False) -> argparse.ArgumentParser:
    """The options every load benchmark takes: where the server is, and (``control``) which page and
    control the students use; (``probe``) whether the server runs through bench/session_probe.py."""
    p = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    where = p.add_mutually_exclusive_group()
    where.add_argument("--url", help="an existing server or nginx on loopback (default: start one here)")
    where.add_argument(
        "--replicas",
        type=int,
        default=0,
        help="start deploy/start.sh with this many replicas behind nginx and measure through it",
    )
    p.add_argument("--run-dir", type=Path, help="with --url: deploy/start.sh's run directory (replica pids)")
    p.add_argument(
        "--pid", type=int, action="append", default=[], help="with --url: a server pid (repeatable)"
    )
    if probe:
        p.add_argument(
            "--probe",
            action="store_true",
            help="run the server through bench/session_probe.py and report the sessions it holds",
        )
    if control:
        p.add_argument("--page", default="", help="url path of the page (default: home)")
        p.add_argument(
            "--key",
            default="pq_editor",
            help="the p/q editor's key (default pq_editor: a dragged bar released) or a slider's key",
        )
    p.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for one script_finished")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--json", type=Path, help="also write the raw results here")
    return p


def check(
    p: argparse.ArgumentParser, args: argparse.Namespace, positive: tuple[str, ...] = ()
) -> argparse.Namespace:
    """Refuse a non-loopback --url, and a value of ``positive`` (option names) that is not above 0."""
    if args.url:
        check_loopback(args.url)
    for name in ("timeout", *positive):
        value = getattr(args, name)
        if min(value) < 1 if isinstance(value, list) else value <= 0:
            p.error(f"--{name.replace('_', '-')} must be positive")
    return args


def make_target(args) -> Target:
    if args.url:
        if args.run_dir:
            return attach_run_dir(args.url, args.run_dir, f"{args.url}")
        return Target(args.url, args.url, list(args.pid))
    if args.replicas:
        return start_deploy(args.replicas)
    return start_direct(probe=getattr(args, "probe", False))


def run(
    args,
    name: str,
    measure: Callable[[Target, argparse.Namespace], Coroutine],
    show: Callable[[Target, object, argparse.Namespace], bool],
) -> int:
    """Start (or attach to) the server, ``measure`` it, ``show`` the result, write ``--json``, stop it.

    Exit status 0 when ``show`` says the run was clean (no errors, and its own target met)."""
    target = make_target(args)
    try:
        print(f"Target: {target.label}, server pids {target.pids}", file=sys.stderr, flush=True)
        result = asyncio.run(measure(target, args))
        ok = show(target, result, args)
        if args.json:
            args.json.write_text(json.dumps({"target": target.label, name: result}, indent=1, default=str))
        return 0 if ok else 1
    finally:
        target.stop()
