"""Browser helpers of the e2e tests.

The server, the browser and the waits come from :mod:`bench.harness` (the benchmarks use the
same ones) and are re-exported here; what is left is what only the tests read off a page:
charts and traces, numbers, dialogs, screenshots, the workspace in the address bar.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import numpy as np

from bench import harness
from bench.harness import (  # noqa: F401  (re-exported for the tests)
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    REVEAL_QUERY,
    ROOT,
    VIEWPORT,
    LabPage,
    StreamMonitor,
    charts_drawn,
    free_port,
    main_sliders,
    open_page,
    page_by_file,
    page_heading,
    registered_pages,
    settle,
    slider,
    slider_info,
    streamlit_server,
    wait_charts_drawn,
    wait_healthy,
    wait_ready,
    wait_run_finished,
    wait_until,
)

# --------------------------------------------------------------------------- page state

CHARTS_JS = """
() => {
  const plain = v => (v === undefined || v === null) ? null
      : (ArrayBuffer.isView(v) || Array.isArray(v)) ? Array.from(v, e => (ArrayBuffer.isView(e) || Array.isArray(e)) ? Array.from(e) : e)
      : v;
  return Array.from(document.querySelectorAll('.js-plotly-plot')).map(gd => {
    const box = gd.closest('[class*="st-key-"]');
    const key = box ? (Array.from(box.classList).find(c => c.startsWith('st-key-')) || '').slice(7) : null;
    const layout = gd._fullLayout || {};
    return {
      key: key,
      inMain: !!gd.closest('[data-testid=stMain]'),
      sliders: (layout.sliders || []).length,
      traces: (gd._fullData || []).map(t => ({name: t.name === undefined ? null : t.name, type: t.type,
                                              x: plain(t.x), y: plain(t.y), z: plain(t.z)})),
    };
  });
}
"""


def charts(page) -> list[dict]:
    """Every Plotly chart on the page: key, inMain, sliders (count), traces (name, type, x, y, z)."""
    return page.evaluate(CHARTS_JS)


# --------------------------------------------------------------------------- the lab's components


def in_component_js(selector: str, body: str) -> str:
    """A page function ``(key) => ...`` for one control of a custom component.

    It finds the element ``selector`` whose ``data-key`` is ``key`` inside a component's shadow
    root and runs ``body`` (JavaScript that returns a value) with ``host`` (the shadow host),
    ``r`` (its shadow root) and ``box`` (that element); ``null`` where no component holds it.
    """
    body = body.strip("\n")
    return (
        "(key) => {\n"
        "  for (const host of document.querySelectorAll('*')) {\n"
        "    const r = host.shadowRoot;\n"
        f'    const box = r && r.querySelector(`{selector}[data-key="${{key}}"]`);\n'
        "    if (!box) continue;\n"
        f"{body}\n"
        "  }\n"
        "  return null;\n"
        "}\n"
    )


def component_state(page, js: str, key: str) -> dict:
    """``js`` (an :func:`in_component_js` function) evaluated for the control ``key``, which must exist."""
    state = page.evaluate(js, key)
    assert state is not None, f"no control {key!r} on the page"
    return state


def url_value(url: str, key: str) -> str | None:
    """The value of the query parameter ``key`` in ``url`` (None where the link has none)."""
    values = parse_qs(urlparse(url).query).get(key)
    return None if values is None else values[0]


def chart_fingerprints(page) -> list[str]:
    return [json.dumps(c["traces"], sort_keys=True, default=str) for c in charts(page)]


def chart_by_key(page, key: str) -> dict:
    for c in charts(page):
        if c["key"] == key:
            return c
    raise KeyError(f"no chart with key {key!r}: {[c['key'] for c in charts(page)]}")


def trace_by_name(chart: dict, name: str) -> dict:
    for t in chart["traces"]:
        if t["name"] == name:
            return t
    raise KeyError(f"no trace {name!r}: {[t['name'] for t in chart['traces']]}")


def exception_texts(page) -> list[str]:
    return page.locator("[data-testid=stException]").all_inner_texts()


def server_traceback(lines: int = 25) -> str:
    """The last traceback in the log of the server started last (the browser shows a redacted message)."""
    path = harness.LAST_SERVER_LOG
    if path is None or not path.exists():
        return ""
    text = path.read_text(errors="replace")
    start = text.rfind("Traceback (most recent call last)")
    return "\n".join(text[start:].splitlines()[:lines]) if start >= 0 else ""


def error_alert_texts(page) -> list[str]:
    return page.locator("[data-testid=stAlertContentError]").all_inner_texts()


def dialog_texts(page) -> list[str]:
    """Open st.dialog / Streamlit dialogs (e.g. "Page not found") over the page."""
    return page.locator("[data-testid=stDialog]").all_inner_texts()


def close_dialogs(page) -> None:
    if page.locator("[data-testid=stDialog]").count():
        page.keyboard.press("Escape")
        page.locator("[data-testid=stDialog]").first.wait_for(state="detached", timeout=10_000)


def is_placeholder(page) -> bool:
    return "This lesson is being written" in (page.locator("[data-testid=stMain]").inner_text() or "")


def save_screenshot(page, name: str, full_page: bool = True, max_height: int = 8000) -> Path:
    """PNG in artifacts/e2e/. Streamlit scrolls inside stMain, not the page, so a full-page shot
    grows the window to the main area's height first (as scripts/screenshot.py --full does)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{re.sub(r'[^A-Za-z0-9_.-]+', '_', name)}.png"
    size = page.viewport_size
    if full_page and size:
        tall = page.evaluate(
            "() => (document.querySelector('[data-testid=stMain]') || document.body).scrollHeight"
        )
        if tall > size["height"]:
            page.set_viewport_size({"width": size["width"], "height": min(int(tall), max_height)})
            page.wait_for_timeout(600)
    try:
        page.screenshot(path=str(path), full_page=full_page)
    finally:
        if size and page.viewport_size != size:
            page.set_viewport_size(size)
            page.wait_for_timeout(300)
    return path


# --------------------------------------------------------------------------- sliders


def press(page, locator, key: str) -> None:
    """Focus a slider and press one key (a committed change: one rerun)."""
    locator.focus()
    page.keyboard.press(key)


def step_key(info: dict) -> str:
    """ArrowRight unless the slider sits at its maximum."""
    return "ArrowLeft" if info["value"] >= info["max"] else "ArrowRight"


def slider_values(page, keys: list[str]) -> list[float]:
    return [slider_info(slider(page, key=k))["value"] for k in keys]


def workspace_pq(page) -> tuple[np.ndarray, np.ndarray]:
    """p and q of the workspace, read from the address bar (exact; defaults where absent)."""
    from urllib.parse import parse_qs, urlparse

    from lab.workspace import DEFAULT_CLASSES, default_distributions

    params = parse_qs(urlparse(page.url).query)
    k = int(params.get("k", [DEFAULT_CLASSES])[0])
    p, q = default_distributions(k)
    if "p" in params:
        p = np.array([float(v) for v in params["p"][0].split(",")])
    if "q" in params:
        q = np.array([float(v) for v in params["q"][0].split(",")])
    return p, q


def editor_bar(page, dist: str, index: int):
    """The p/q editor's bar of class ``index`` of ``dist`` (a role=slider element)."""
    return page.locator(f".pqe-track[data-dist={dist}]").nth(index)


def workspace_keys(page, prefix: str) -> list[str]:
    """Keys of the sidebar distribution sliders present (p0, p1, ... or q0, ...)."""
    keys = page.evaluate(f"""() => Array.from(document.querySelectorAll('[data-testid=stSidebar] [class*="st-key-{prefix}"]'))
        .flatMap(el => Array.from(el.classList)).filter(c => /^st-key-{prefix}\\d+$/.test(c)).map(c => c.slice(7))""")
    return sorted(set(keys), key=lambda k: int(k[len(prefix) :]))


# --------------------------------------------------------------------------- numbers on the page


def metrics(page) -> list[tuple[str, str]]:
    """(label, value) of every st.metric on the page."""
    return page.evaluate("""() => Array.from(document.querySelectorAll('[data-testid=stMetric]')).map(m => [
        (m.querySelector('[data-testid=stMetricLabel]') || {}).innerText || '',
        (m.querySelector('[data-testid=stMetricValue]') || {}).innerText || ''])""")


def parse_number(text: str) -> float:
    """'0.4797 bits' -> 0.4797, '∞ nats' -> inf."""
    text = text.strip().replace("−", "-")
    if text.startswith("∞"):
        return math.inf
    match = re.search(r"-?\d+(?:\.\d+)?(?:e-?\d+)?", text.replace(",", ""))
    if not match:
        raise ValueError(f"no number in {text!r}")
    return float(match.group())
