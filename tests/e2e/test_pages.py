"""Every page in a real browser: it loads cleanly, and keyboard changes reach the charts.

Expectations come from ce_core, computed from the state the browser shows after the key
press (slider values read back from the DOM; p and q from the address bar, where the app writes
them exactly, checked against the p/q editor's bars), never hard-coded.
"""

from __future__ import annotations

import math
from urllib.parse import parse_qs, urlparse

import numpy as np
import pytest

import ce_core
from ce_core.editing import DRAG_STEPS, set_probability
from lab.workspace import DEFAULT_CLASSES, DEFAULT_P, DEFAULT_Q, default_distributions
from tests.e2e.helpers import (
    REVEAL_QUERY,
    StreamMonitor,
    chart_fingerprints,
    charts,
    dialog_texts,
    error_alert_texts,
    exception_texts,
    is_placeholder,
    main_sliders,
    metrics,
    open_page,
    page_by_file,
    page_heading,
    parse_number,
    press,
    registered_pages,
    save_screenshot,
    server_traceback,
    slider_info,
    step_key,
    streamlit_server,
    trace_by_name,
    wait_until,
)

pytestmark = pytest.mark.e2e

PAGES = registered_pages()
PAGE_IDS = [p.name for p in PAGES]
UNIT_BASE = {"bits": 2.0, "nats": math.e, "hartleys": 10.0}


def _assert_clean(page, where: str, *, alerts_allowed: bool = False) -> None:
    """No exception box; at the default state also no st.error alert (after a change a page may
    rightly show one, e.g. the cross-entropy page explains q = 0 with an error box)."""
    assert exception_texts(page) == [], (
        f"{where}: exception box on the page; server log:\n{server_traceback()}"
    )
    assert not [t for t in dialog_texts(page) if "not found" in t.lower()], (
        f"{where}: 'Page not found' dialog"
    )
    if not alerts_allowed:
        assert error_alert_texts(page) == [], f"{where}: st.error alert on the page"


def _pq_chart(page) -> dict | None:
    """The first chart holding the workspace bars "p (truth)" and "q (model)"."""
    for c in charts(page):
        names = {t["name"] for t in c["traces"]}
        if {"p (truth)", "q (model)"} <= names:
            return c
    return None


#: The p/q editor's bars (role=slider, inside the component's shadow root, which Playwright's CSS
#: selectors pierce), ordered p0, q0, p1, q1, ... A key press commits 350 ms after the last key.
TRACKS = ".pqe-track"


def _link(page) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.url).query)


def _k(page) -> int:
    """The class count, from the address bar (absent: the default)."""
    return int(_link(page).get("k", [str(DEFAULT_CLASSES)])[0])


def _workspace(page) -> tuple[np.ndarray, np.ndarray]:
    """The p and q the page uses: the address bar holds them exactly (absent: the defaults)."""
    query = _link(page)
    defaults = default_distributions(_k(page))
    p, q = (
        np.array([float(v) for v in query[name][0].split(",")]) if name in query else default
        for name, default in zip("pq", defaults, strict=True)
    )
    return p, q


def _editor_values(page) -> np.ndarray:
    """aria-valuenow of every bar of the editor (three decimals), in the editor's order."""
    return np.array(
        [
            float(v)
            for v in page.locator(TRACKS).evaluate_all("ts => ts.map(t => t.getAttribute('aria-valuenow'))")
        ]
    )


def _bars_match(page, which: str) -> bool:
    chart = _pq_chart(page)
    if chart is None:
        return False
    p, q = _workspace(page)
    shown = np.asarray(trace_by_name(chart, which)["y"], dtype=float)
    expected = p if which == "p (truth)" else q
    return shown.shape == expected.shape and np.allclose(shown, expected, rtol=0, atol=1e-12)


def _grid_after(value: float, key: str) -> int:
    """Where a key moves a bar at ``value`` on the editor's grid (what the issue asks of the keys)."""
    g = value * DRAG_STEPS
    steps = {"ArrowUp": 1, "ArrowDown": -1, "PageUp": 10, "PageDown": -10}
    if key in steps:
        n = steps[key]
        g = math.floor(g + 1e-9) + n if n > 0 else math.ceil(g - 1e-9) + n
    else:
        g = {"Home": 0, "End": DRAG_STEPS}[key]
    return min(DRAG_STEPS, max(0, g))


# ----------------------------------------------------------------------------- every page loads


@pytest.mark.parametrize("lab_page", PAGES, ids=PAGE_IDS)
def test_page_loads_without_errors(open_lab, lab_page):
    page = open_lab(lab_page.url_path)
    save_screenshot(page, f"{lab_page.name}-wide")
    _assert_clean(page, lab_page.name)
    assert page.locator("[data-testid=stMain] h1").count() >= 1, "no page title (h1) in the main area"
    heading = page_heading(lab_page)
    if heading:  # the address shows the page registered for it
        shown = page.locator("[data-testid=stMain] h1").first.inner_text().strip()
        assert shown.startswith(heading), (
            f"/{lab_page.url_path} shows {shown!r}, {lab_page.file} is {heading!r}"
        )
    for c in charts(page):
        assert c["traces"], f"chart {c['key']!r} drawn without data"


# ----------------------------------------------------------------------------- the workspace


@pytest.mark.parametrize(("dist", "trace_name"), [("p", "p (truth)"), ("q", "q (model)")])
def test_editor_keys_move_home_bars_and_numbers(open_lab, stream, dist, trace_name):
    """Keys on the editor's first bar of p (or q): the home chart and numbers follow, exactly."""
    page = open_lab("")
    handle = page.locator(TRACKS).nth(0 if dist == "p" else 1)
    state = {"p": np.array(DEFAULT_P), "q": np.array(DEFAULT_Q)}
    for pressed in ("ArrowUp", "ArrowDown", "PageUp", "End", "Home"):
        g = _grid_after(state[dist][0], pressed)
        # The dragged bar takes the value, the others share the rest in proportion.
        state[dist] = set_probability(state[dist], 0, g / DRAG_STEPS)
        runs = stream.finished_runs
        press(page, handle, pressed)
        wait_until(page, lambda r=runs: stream.finished_runs > r, 20, f"the rerun after {pressed} on {dist}0")
        wait_until(
            page,
            lambda: np.array_equal(_workspace(page)[0 if dist == "p" else 1], state[dist]),
            20,
            f"{dist} in the address bar after {pressed}",
        )
        wait_until(page, lambda: _bars_match(page, trace_name), 30, f"{trace_name} bars = the new {dist}")
        p, q = _workspace(page)
        assert float(handle.get_attribute("aria-valuenow")) == pytest.approx(g / DRAG_STEPS, abs=1e-9)
        np.testing.assert_allclose(_editor_values(page), np.ravel(np.column_stack([p, q])), atol=5.1e-4)
        chart = _pq_chart(page)
        np.testing.assert_allclose(trace_by_name(chart, "p (truth)")["y"], p, atol=1e-12)
        np.testing.assert_allclose(trace_by_name(chart, "q (model)")["y"], q, atol=1e-12)
        _check_cross_entropy_metrics(page, p, q)
        _assert_clean(page, f"home after {pressed} on {dist}0", alerts_allowed=True)
    save_screenshot(page, f"home-after-{dist}0-keys")


def _unit_base(page) -> float:
    selected = page.locator("[data-testid=stSidebar] .st-key-unit [aria-checked=true]").inner_text().strip()
    return UNIT_BASE[selected]


def _check_cross_entropy_metrics(page, p: np.ndarray, q: np.ndarray) -> int:
    """Every metric labelled H(p, q) shows ce_core.cross_entropy(p, q) (4 decimals); returns how many."""
    expected = ce_core.cross_entropy(p, q, base=_unit_base(page))
    checked = 0
    for label, value in metrics(page):
        if "H(p, q)" in label or label.lower().startswith("cross-entropy"):
            shown = parse_number(value)
            if math.isinf(expected):
                assert math.isinf(shown), f"{label}: shows {value!r}, ce_core gives ∞"
            else:
                assert shown == pytest.approx(expected, abs=5.1e-5), f"{label}: {value!r} vs {expected}"
            checked += 1
    return checked


def test_cross_entropy_page_number_follows_keys(open_lab):
    target = page_by_file("cross_entropy_kl")
    if target is None:
        pytest.skip("pages/cross_entropy_kl.py is not registered in app.py")
    page = open_lab(target.url_path, query=REVEAL_QUERY)
    if is_placeholder(page):
        pytest.skip("the cross-entropy page is still a placeholder")
    p, q = _workspace(page)
    assert _check_cross_entropy_metrics(page, p, q) >= 1, "no H(p, q) number on the cross-entropy page"
    for key, pressed in [("p0", "ArrowUp"), ("q1", "End"), ("q1", "PageDown")]:  # q(dog) to 1 and back
        dist, i = key[0], int(key[1:])
        handle = page.locator(TRACKS).nth(2 * i + (dist == "q"))  # p0, q0, p1, q1, ...
        before = [v for _, v in metrics(page)]
        press(page, handle, pressed)
        wait_until(
            page, lambda b=before: [v for _, v in metrics(page)] != b, 30, f"numbers to change after {key}"
        )
        wait_until(
            page, lambda: _metrics_agree(page, *_workspace(page)), 20, "H(p, q) = ce_core.cross_entropy"
        )
        p, q = _workspace(page)
        _check_cross_entropy_metrics(page, p, q)
        _assert_clean(page, f"cross-entropy after {key} {pressed}", alerts_allowed=True)
    save_screenshot(page, "cross-entropy-after-keys")


def _metrics_agree(page, p, q) -> bool:
    try:
        _check_cross_entropy_metrics(page, p, q)
    except AssertionError:
        return False
    return True


# ----------------------------------------------------------------------------- every page answers keys


@pytest.mark.parametrize("lab_page", PAGES, ids=PAGE_IDS)
def test_keyboard_change_updates_a_chart(open_lab, stream, lab_page):
    """Press a key on the first lesson slider (else the p/q editor's first bar, else the sidebar's
    unit switch): a chart changes.

    A page without charts (quiz, glossary) must still finish the rerun cleanly. Predict-then-reveal
    is off here (its answer panels hold charts)."""
    # The one-hot lesson opens on its worked example; its charts follow the sidebar once switched to it.
    own = "&oh_source=Your+p+and+q+%28sidebar%29" if lab_page.url_path == "one_hot_loss" else ""
    page = open_lab(lab_page.url_path, query=REVEAL_QUERY + own)
    if is_placeholder(page):
        pytest.skip(f"{lab_page.name} is still a placeholder")
    lesson = main_sliders(page)
    before = chart_fingerprints(page)
    runs = stream.finished_runs
    if lesson:
        handle = lesson[0]
        info = slider_info(handle)
        press(page, handle, step_key(info))
        wait_until(
            page, lambda: slider_info(handle)["value"] != info["value"], 20, f"slider {info['key']} to move"
        )
    elif page.locator(TRACKS).count():
        handle = page.locator(TRACKS).first
        now = handle.get_attribute("aria-valuenow")
        info = {"key": "p/q editor bar 1", "label": handle.get_attribute("aria-label")}
        press(page, handle, "ArrowUp" if float(now) < 1 else "ArrowDown")
        wait_until(page, lambda: handle.get_attribute("aria-valuenow") != now, 20, "the editor's bar to move")
    else:  # no lesson slider and no editor: the unit switch (a whole-app rerun)
        handle = page.locator("[data-testid=stSidebar] .st-key-unit button").filter(has_text="nats").first
        info = {"key": "unit", "label": "Unit"}
        press(page, handle, "Enter")
    wait_until(page, lambda: stream.finished_runs > runs, 30, "the rerun to finish")
    if before:
        wait_until(
            page,
            lambda: chart_fingerprints(page) != before,
            30,
            f"a chart to change after a key on slider {info['key']!r} ({info['label']})",
        )
    _assert_clean(page, f"{lab_page.name} after a key on {info['key']}", alerts_allowed=True)


# ----------------------------------------------------------------------------- lesson numbers = ce_core
#
# The lessons' one-parameter controls are live controls (lab.components.live_chart): the numbers
# they show during a drag and after release are checked against ce_core in test_live_controls.py.


# ----------------------------------------------------------------------------- deep links


def test_first_visitor_of_a_fresh_server_gets_the_linked_lesson(browser):
    """A shared lesson link opened by the first visitor after a (re)start shows that lesson.

    Streamlit serves the very first run of a process in its older page lookup, which only
    knows file names; the lab must still land on the linked page with no "Page not found".
    """
    target = page_by_file("cross_entropy_kl") or registered_pages()[1]
    with streamlit_server("app.py", log_name="server-e2e-fresh") as url:
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        try:
            page = context.new_page()
            monitor = StreamMonitor().attach(page)
            open_page(page, url, target.url_path, monitor)
            save_screenshot(page, f"first-visitor-{target.name}", full_page=False)
            assert [k for k, _, _ in monitor.received if k == "page_not_found"] == [], (
                f"/{target.url_path}: the server answered page_not_found"
            )
            assert dialog_texts(page) == [], f"/{target.url_path}: dialog over the page"
            assert page.url.rstrip("/").endswith(f"/{target.url_path}".rstrip("/")), f"moved to {page.url}"
            heading = page_heading(target)
            if heading:
                assert page.locator("[data-testid=stMain] h1").first.inner_text().strip().startswith(heading)
            assert exception_texts(page) == [], f"exception; server log:\n{server_traceback()}"
        finally:
            context.close()
