"""A real ``streamlit run`` server and the system Chromium, for the benchmarks and the browser tests.

The bench scripts, ``tests/e2e`` and ``scripts/screenshot.py`` all start the lab the same way and
wait for it the same way; this module is that way, once. Facts relied on (STREAMLIT_NOTES.md):

- a slider is a hidden ``<input type=range>`` inside ``.st-key-<key>``; focusing it and
  pressing ArrowRight/ArrowLeft/Home/End commits the value (one rerun per key press);
- ``document.querySelectorAll('.js-plotly-plot')[i]._fullData`` holds the decoded traces;
- a run is over when the server sends the ForwardMsg ``script_finished``; the DOM flag
  ``data-test-script-state`` may never show ``running`` for a fast rerun, so waits are on the
  websocket message and on the content expected to change.
"""

from __future__ import annotations

import ast
import contextlib
import importlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "artifacts" / "e2e"

CHROMIUM: str = os.environ.get("LAB_CHROMIUM", "/usr/bin/chromium")  # override to test the skip/fail path
CHROMIUM_ARGS: list[str] = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
VIEWPORT = {"width": 1280, "height": 800}
#: Query that turns "predict, then reveal" off (lab.predict), so answer panels and their charts show.
REVEAL_QUERY = "predict=false"
#: The log of the server that :func:`streamlit_server` started last (read by the tests on failure).
LAST_SERVER_LOG: Path | None = None

# The pages the brief lists, used only if app.py cannot be read.
FALLBACK_PAGES = (
    "",
    "surprisal",
    "entropy",
    "cross-entropy",
    "one-hot",
    "bits",
    "binary",
    "softmax",
    "label-smoothing",
    "focal",
    "class-weights",
    "clipping",
    "parity",
    "training",
)


# --------------------------------------------------------------------------- pages


@dataclass(frozen=True)
class LabPage:
    """One page registered in app.py."""

    url_path: str
    file: str
    title: str

    @property
    def name(self) -> str:
        return self.url_path or "home"


def _const(node: ast.AST | None) -> object:
    return node.value if isinstance(node, ast.Constant) else None


def _pages_from_app_source(source: str) -> list[LabPage]:
    """Literal ``st.Page("pages/x.py", title=..., url_path=...)`` calls in app.py."""
    pages = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "Page" and node.args):
            continue
        file = _const(node.args[0])
        if not isinstance(file, str):
            continue
        kw = {k.arg: _const(k.value) for k in node.keywords}
        url_path = kw.get("url_path")
        if url_path is None:
            url_path = "" if kw.get("default") else Path(file).stem
        pages.append(LabPage(str(url_path), file, str(kw.get("title") or Path(file).stem)))
    return pages


def _pages_from_modules(source: str) -> list[LabPage]:
    """app.py builds its st.Page list from a module (e.g. ``from lab.nav import SECTIONS``)."""
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("lab")):
            continue
        module = importlib.import_module(node.module)
        for alias in node.names:
            value = getattr(module, alias.name, None)
            groups = value.values() if isinstance(value, dict) else [value] if isinstance(value, list) else []
            pages = [
                LabPage(str(item.url_path or ""), item.file, item.title)
                for group in groups
                if isinstance(group, list | tuple)
                for item in group
                if hasattr(item, "file") and hasattr(item, "url_path")
            ]
            if pages:
                return pages
    return []


def registered_pages() -> list[LabPage]:
    """Every page app.py registers, in navigation order."""
    source = (ROOT / "app.py").read_text()
    pages = _pages_from_app_source(source) or _pages_from_modules(source)
    if not pages:
        pages = [LabPage(p, f"pages/{p or 'home'}.py", p or "Home") for p in FALLBACK_PAGES]
    return pages


def page_by_file(stem: str) -> LabPage | None:
    """The registered page whose script is pages/<stem>.py (url paths may change, files do not)."""
    for page in registered_pages():
        if Path(page.file).stem == stem:
            return page
    return None


def page_heading(lab_page: LabPage) -> str | None:
    """The title a page passes to ``page_header("...", ...)`` in its source, if literal."""
    path = ROOT / lab_page.file
    if not path.exists():
        return None
    for node in ast.walk(ast.parse(path.read_text())):
        if (
            isinstance(node, ast.Call)
            and node.args
            and isinstance(_const(node.args[0]), str)
            and (getattr(node.func, "id", None) or getattr(node.func, "attr", None)) == "page_header"
        ):
            return _const(node.args[0])
    return None


# --------------------------------------------------------------------------- server


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(where: int | str, proc: subprocess.Popen | None = None, timeout: float = 90) -> None:
    """Poll ``/_stcore/health`` of a loopback port or a base URL until it answers ``ok``.

    ``proc``: the server's process; its early exit is an error at once, not a timeout.
    """
    base = where.rstrip("/") if isinstance(where, str) else f"http://127.0.0.1:{where}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with code {proc.returncode} before becoming healthy")
        with contextlib.suppress(OSError):
            if urllib.request.urlopen(f"{base}/_stcore/health", timeout=2).read().strip() == b"ok":
                return
        time.sleep(0.3)
    raise TimeoutError(f"{base} did not answer /_stcore/health within {timeout:g} s")


def start_streamlit(
    script: str,
    port: int,
    log: IO,
    *,
    probe_out: Path | None = None,
    probe_every: float = 5.0,
    options: Sequence[str] = (),
    env: dict[str, str] | None = None,
) -> subprocess.Popen:
    """``streamlit run <script>`` headless on 127.0.0.1:``port``, its output to ``log``.

    ``probe_out``: run app.py through bench/session_probe.py, which writes the sessions the server
    holds to that file every ``probe_every`` seconds. ``options``: more ``--server.x value`` pairs.
    """
    if probe_out is not None:
        if script != "app.py":
            raise ValueError("the session probe runs app.py only")
        head = [sys.executable, "-m", "bench.session_probe"]
        env = {**os.environ, **(env or {}), "PROBE_OUT": str(probe_out), "PROBE_EVERY": str(probe_every)}
    else:
        head = [sys.executable, "-m", "streamlit", "run", script]
    return subprocess.Popen(
        [
            *head,
            "--server.headless",
            "true",
            "--server.address",
            "127.0.0.1",
            "--server.port",
            str(port),
            "--browser.gatherUsageStats",
            "false",
            "--server.fileWatcherType",
            "none",
            *options,
        ],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
        env=env,
    )


def stop_process(proc: subprocess.Popen) -> None:
    """Terminate, then kill if it has not exited within 10 s."""
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)


@contextlib.contextmanager
def streamlit_server(
    script: str = "app.py", port: int | None = None, log_name: str = "server"
) -> Iterator[str]:
    """Run ``streamlit run <script>`` headless on a free port; yield its base URL.

    The server's output goes to ``artifacts/e2e/<log_name>-<pid>.log`` (:data:`LAST_SERVER_LOG`).
    """
    global LAST_SERVER_LOG
    port = port or free_port()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log_path = ARTIFACTS / f"{log_name}-{os.getpid()}.log"  # several runs may share artifacts/
    LAST_SERVER_LOG = log_path
    with log_path.open("w") as log:
        proc = start_streamlit(script, port, log)
        try:
            try:
                wait_healthy(port, proc)
            except (RuntimeError, TimeoutError) as err:
                raise RuntimeError(f"{err}; server log: {log_path}\n{log_path.read_text()[-2000:]}") from err
            yield f"http://127.0.0.1:{port}"
        finally:
            stop_process(proc)


def launch_chromium(playwright):
    """The system Chromium, headless, through Playwright's sync API."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def new_page(browser, *init_scripts: str, viewport: dict | None = None, timeout_ms: float = 60_000):
    """A new browser context (cold: nothing cached) with ``init_scripts`` run before any page script;
    its page, with a websocket monitor attached. Returns (context, page, monitor)."""
    context = browser.new_context(viewport=viewport or VIEWPORT)
    for script in init_scripts:
        context.add_init_script(script)
    page = context.new_page()
    page.set_default_timeout(timeout_ms)
    return context, page, StreamMonitor().attach(page)


# --------------------------------------------------------------------------- websocket


@dataclass
class StreamMonitor:
    """Counts what goes over ``/_stcore/stream``: runs finished, reruns asked for, bytes received.

    Attach before ``page.goto``. Handlers never raise (an exception in a Playwright event
    handler would be lost and stall the waits).
    """

    received: list[tuple[str | None, int, int]] = field(default_factory=list)  # (type, status, size)
    sent: list[str | None] = field(default_factory=list)
    parse_errors: int = 0
    elements: dict[tuple[int, ...], str | None] = field(default_factory=dict)
    _run_paths: dict[tuple[int, ...], str | None] = field(default_factory=dict)
    _hash_types: dict[str, str | None] = field(default_factory=dict)

    def attach(self, page) -> StreamMonitor:
        page.on("websocket", self._on_websocket)
        return self

    def _on_websocket(self, ws) -> None:
        if "/_stcore/stream" in ws.url:
            ws.on("framereceived", self._on_received)
            ws.on("framesent", self._on_sent)

    def _on_received(self, payload) -> None:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        data = payload.encode() if isinstance(payload, str) else payload
        kind, status = None, -1
        try:
            msg = ForwardMsg()
            msg.ParseFromString(data)
            kind = msg.WhichOneof("type")
            if kind == "script_finished":
                status = msg.script_finished
            self._track_elements(msg, kind)
        except Exception:
            self.parse_errors += 1
        self.received.append((kind, status, len(data)))

    def _track_elements(self, msg, kind: str | None) -> None:
        """Which element type sits at each delta path after the last finished run."""
        if kind == "new_session":
            self._run_paths = {}
        elif kind in ("delta", "ref_hash"):
            if kind == "delta":
                delta_kind = msg.delta.WhichOneof("type")
                element = (
                    msg.delta.new_element.WhichOneof("type") if delta_kind == "new_element" else delta_kind
                )
                if msg.hash:
                    self._hash_types[msg.hash] = element
            else:
                element = self._hash_types.get(msg.ref_hash)
            self._run_paths[tuple(msg.metadata.delta_path)] = element
        elif kind == "script_finished":
            if msg.script_finished == 0:  # a full run: what it did not write is cleared
                self.elements = dict(self._run_paths)
            elif msg.script_finished == 3:  # a fragment run: only its own paths change
                self.elements.update(self._run_paths)

    @property
    def expected_charts(self) -> int:
        """Plotly charts the server has put on the page (as of the last finished run)."""
        return sum(1 for element in self.elements.values() if element == "plotly_chart")

    def _on_sent(self, payload) -> None:
        from streamlit.proto.BackMsg_pb2 import BackMsg

        data = payload.encode() if isinstance(payload, str) else payload
        kind = None
        try:
            msg = BackMsg()
            msg.ParseFromString(data)
            kind = msg.WhichOneof("type")
        except Exception:
            self.parse_errors += 1
        self.sent.append(kind)

    @property
    def finished_runs(self) -> int:
        """Runs (whole script or fragment) that finished successfully."""
        return sum(1 for kind, status, _ in self.received if kind == "script_finished" and status in (0, 3))

    @property
    def all_finished(self) -> int:
        """Every script_finished message, including runs abandoned for a newer rerun."""
        return sum(1 for kind, _, _ in self.received if kind == "script_finished")

    @property
    def rerun_requests(self) -> int:
        return sum(1 for kind in self.sent if kind == "rerun_script")

    def bytes_since(self, index: int) -> int:
        return sum(size for _, _, size in self.received[index:])


def wait_until(
    page, predicate: Callable[[], bool], timeout: float = 15.0, message: str = "condition"
) -> None:
    """Poll a Python-side predicate while letting Playwright deliver its events."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout} s waiting for {message}")
        page.wait_for_timeout(20)


def wait_run_finished(page, monitor: StreamMonitor, since: int, timeout: float = 20.0) -> None:
    """Wait until more than ``since`` runs have finished (``since`` = monitor.finished_runs before)."""
    wait_until(page, lambda: monitor.finished_runs > since, timeout, "the script run to finish")


# --------------------------------------------------------------------------- page state

CHARTS_READY_JS = """
(expected) => {
  const wanted = Math.max(expected, document.querySelectorAll('[data-testid=stPlotlyChart]').length);
  const drawn = Array.from(document.querySelectorAll('.js-plotly-plot'))
      .filter(gd => gd._fullData && gd.querySelector('.main-svg')).length;
  return drawn >= wanted;
}
"""

IDLE_JS = """() => {
    const app = document.querySelector('[data-testid=stApp]');
    return !!app && app.getAttribute('data-test-script-state') === 'notRunning'
        && !document.querySelector('[data-testid=stSkeleton]');
}"""


def open_page(
    page, base_url: str, url_path: str, monitor: StreamMonitor, query: str = "", timeout: float = 60.0
) -> None:
    """Go to a page and wait for its first run to finish and every chart the server sent to be drawn."""
    since = monitor.finished_runs
    page.goto(f"{base_url}/{url_path}" + (f"?{query}" if query else ""))
    wait_run_finished(page, monitor, since, timeout)
    settle(page, monitor, timeout=timeout)


def charts_drawn(page) -> int:
    return page.evaluate("""() => Array.from(document.querySelectorAll('.js-plotly-plot'))
        .filter(gd => gd._fullData && gd.querySelector('.main-svg')).length""")


def wait_charts_drawn(page, monitor: StreamMonitor, timeout: float = 60.0) -> None:
    """Every Plotly chart the server sent is drawn (Plotly loads lazily: the DOM alone can't tell)."""
    try:
        page.wait_for_function(
            CHARTS_READY_JS, arg=monitor.expected_charts, polling=100, timeout=timeout * 1000
        )
    except Exception as err:
        state = page.evaluate("""() => [document.querySelectorAll('[data-testid=stPlotlyChart]').length,
            (document.querySelector('[data-testid=stApp]') || {getAttribute: () => null}).getAttribute('data-test-script-state')]""")
        raise AssertionError(
            f"the server sent {monitor.expected_charts} Plotly charts, {state[0]} chart elements "
            f"exist, {charts_drawn(page)} drawn after {timeout} s (script state {state[1]})"
        ) from err


def settle(page, monitor: StreamMonitor, quiet_ms: int = 250, timeout: float = 60.0) -> None:
    """Wait until no websocket message has arrived for ``quiet_ms`` and every chart is drawn."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        count = len(monitor.received)
        page.wait_for_timeout(quiet_ms)
        if len(monitor.received) == count:
            break
    wait_charts_drawn(page, monitor, timeout)


def wait_ready(page, settle_s: float = 1.2, timeout_s: float = 60) -> None:
    """Wait until the app has been idle (script not running, no skeletons) for ``settle_s``.

    Needs no websocket monitor. A page may rerun once right after loading (see
    lab.ui.ensure_app_run), so one idle moment is not enough.
    """
    deadline = time.monotonic() + timeout_s
    idle_since = None
    while time.monotonic() < deadline:
        if page.evaluate(IDLE_JS):
            idle_since = idle_since or time.monotonic()
            if time.monotonic() - idle_since >= settle_s:
                break
        else:
            idle_since = None
        time.sleep(0.1)
    else:
        raise TimeoutError("the app did not settle")
    with contextlib.suppress(Exception):
        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=3000)
    page.wait_for_timeout(300)


# --------------------------------------------------------------------------- sliders


def slider(page, key: str | None = None, label: str | None = None, area: str = ""):
    """The hidden range input of a slider, by widget key or by label (area: 'main', 'sidebar' or '')."""
    scope = {"main": "[data-testid=stMain] ", "sidebar": "[data-testid=stSidebar] ", "": ""}[area]
    if key is not None:
        return page.locator(f"{scope}.st-key-{key} input[type=range]").first
    if label is not None:
        return (
            page.locator(f"{scope}[data-testid=stSlider]")
            .filter(has=page.locator("[data-testid=stWidgetLabel]", has_text=label))
            .locator("input[type=range]")
            .first
        )
    raise ValueError("give key or label")


def main_sliders(page) -> list:
    """The enabled sliders in the main area (lesson controls), in page order."""
    loc = page.locator("[data-testid=stMain] [data-testid=stSlider] input[type=range]:not([disabled])")
    return [loc.nth(i) for i in range(loc.count())]


def slider_info(locator) -> dict:
    """key, value, min, max, step of a slider's range input (value as the DOM holds it)."""
    return locator.evaluate("""el => {
        const box = el.closest('[class*="st-key-"]');
        const key = box ? (Array.from(box.classList).find(c => c.startsWith('st-key-')) || '').slice(7) : null;
        return {key, value: parseFloat(el.value), min: parseFloat(el.min), max: parseFloat(el.max),
                step: parseFloat(el.step), text: el.getAttribute('aria-valuetext'),
                label: el.getAttribute('aria-label')};
    }""")
