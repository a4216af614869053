"""The p/q editor in a real browser: drag (mouse, touch), keys, typed values, links, infinities.

While a bar is held, the readouts and the picture beside it must already show ce_core's values
for the state under the pointer (no script run is needed for that: the module looks them up in
the table Python sent). After release, one rerun brings every number of the page to that state.
Expected values are computed here with ce_core from the bar's position, never read from the page.
"""

from __future__ import annotations

import math
import re
from urllib.parse import parse_qs, urlparse

import numpy as np
import pytest

import ce_core
from ce_core.decomposition import cross_entropy_terms
from ce_core.editing import DRAG_STEPS, set_probability
from lab.workspace import DEFAULT_P, DEFAULT_Q
from tests.e2e.helpers import (
    REVEAL_QUERY,
    StreamMonitor,
    exception_texts,
    metrics,
    open_page,
    parse_number,
    settle,
    wait_run_finished,
    wait_until,
)

pytestmark = pytest.mark.e2e

P0 = np.array(DEFAULT_P)
Q0 = np.array(DEFAULT_Q)
K = P0.size

#: The live view of the editor (inside its shadow root; evaluated on the host element).
EDITOR_JS = """
() => {
  const hosts = [...document.querySelectorAll('*')].filter(e => e.shadowRoot && e.shadowRoot.querySelector('.pqe'));
  if (!hosts.length) return null;
  const r = hosts[0].shadowRoot;
  const text = sel => [...r.querySelectorAll(sel)].map(n => n.textContent);
  return {
    bars: [...r.querySelectorAll('.pqe-track')].map(t => ({dist: t.dataset.dist, now: t.getAttribute('aria-valuenow'),
                                                           role: t.getAttribute('role')})),
    readouts: Object.fromEntries([...r.querySelectorAll('[data-readout]')].map(n => [n.dataset.readout, n.textContent])),
    labels: text('.col-label:not(.col-label-p)'),
    heights: [...r.querySelectorAll('.area-q')].map(n => Number(n.getAttribute('height'))),
    inputs: [...r.querySelectorAll('.pqe-input input')].map(n => n.value),
    error: (r.querySelector('.pqe-error') || {}).textContent || '',
    renders: Number(hosts[0].getAttribute('data-renders') || 0),
  };
}
"""


def editor_state(page) -> dict:
    state = page.evaluate(EDITOR_JS)
    assert state is not None, "the p/q editor is not on the page"
    return state


def expected_readouts(p, q, unit="bits") -> dict[str, str]:
    base = ce_core.UNITS[unit]
    short = {"bits": "bits", "nats": "nats", "hartleys": "Hart"}[unit]

    def f(v):
        return f"{'∞' if math.isinf(v) else f'{v:.4f}'} {short}"

    return {
        "entropy_p": f(ce_core.entropy(p, base=base)),
        "cross_entropy": f(ce_core.cross_entropy(p, q, base=base)),
        "kl": f(ce_core.kl_divergence(p, q, base=base)),
        "entropy_q": f(ce_core.entropy(q, base=base)),
    }


def open_editor(page, app_url, stream, url_path="cross_entropy_kl", query=REVEAL_QUERY):
    open_page(page, app_url, url_path, stream, query=query)
    page.wait_for_selector(".pqe-track")
    return page.locator(".pqe-track")


def track_point(box, fraction):
    """The pointer position at ``fraction`` of a track's height, measured from its bottom."""
    return box["x"] + box["width"] / 2, box["y"] + box["height"] * (1 - fraction)


def page_numbers(page) -> dict[str, float]:
    return {label: parse_number(value) for label, value in metrics(page)}


def assert_page_settled_to(page, p, q):
    """Every metric of the cross-entropy page equals ce_core for (p, q), in bits."""
    numbers = page_numbers(page)
    assert numbers["H(p)"] == pytest.approx(ce_core.entropy(p, base=2), abs=6e-5)
    assert numbers["H(p, q)"] == pytest.approx(ce_core.cross_entropy(p, q, base=2), abs=6e-5)
    assert numbers["KL(p ‖ q)"] == pytest.approx(ce_core.kl_divergence(p, q, base=2), abs=6e-5)
    assert numbers["H(q)"] == pytest.approx(ce_core.entropy(q, base=2), abs=6e-5)


def type_q(page, stream, text: str) -> None:
    """Type ``text`` into the editor's q box and press Enter, then wait for the run it starts."""
    q_input = page.locator(".pqe-input input[data-dist=q]")
    runs_before = stream.finished_runs
    q_input.fill(text)
    q_input.press("Enter")
    wait_run_finished(page, stream, runs_before)
    settle(page, stream)


def link_dist(url: str, name: str):
    values = parse_qs(urlparse(url).query).get(name)
    return None if values is None else np.array([float(v) for v in values[0].split(",")])


@pytest.mark.parametrize("bar", [0, K])  # p's first class, q's first class
def test_mouse_drag_updates_readouts_and_picture_before_release(page, app_url, stream, bar):
    tracks = open_editor(page, app_url, stream)
    box = tracks.nth(0 if bar < K else 1).bounding_box()  # tracks are ordered p0, q0, p1, q1, ...
    runs_before = stream.finished_runs
    start = track_point(box, 0.5)
    page.mouse.move(*start)
    page.mouse.down()
    seen = []
    for fraction in (0.8, 0.35, 0.1, 0.95):
        page.mouse.move(*track_point(box, fraction), steps=4)
        g = round(fraction * DRAG_STEPS)
        p = set_probability(P0, 0, g / DRAG_STEPS) if bar < K else P0
        q = set_probability(Q0, 0, g / DRAG_STEPS) if bar >= K else Q0
        wait_until(
            page,
            lambda p=p, q=q: editor_state(page)["readouts"] == expected_readouts(p, q),
            timeout=5,
            message=f"live readouts at {fraction}",
        )
        state = editor_state(page)
        dragged = state["bars"][0 if bar < K else 1]
        assert float(dragged["now"]) == pytest.approx(g / DRAG_STEPS)
        # The picture: column labels are each class's term p_i · (-log2 q_i), two decimals.
        terms = cross_entropy_terms(p, q, base=2)
        assert state["labels"] == [f"{t:.2f}" for t in terms]
        seen.append(state["readouts"]["cross_entropy"])
    assert stream.finished_runs == runs_before, "a script run happened while the button was still down"
    assert len(set(seen)) == 4
    page.mouse.up()
    wait_run_finished(page, stream, runs_before)
    settle(page, stream)
    g = round(0.95 * DRAG_STEPS)
    p = set_probability(P0, 0, g / DRAG_STEPS) if bar < K else P0
    q = set_probability(Q0, 0, g / DRAG_STEPS) if bar >= K else Q0
    assert_page_settled_to(page, p, q)
    assert editor_state(page)["readouts"] == expected_readouts(p, q)
    np.testing.assert_array_equal(link_dist(page.url, "p" if bar < K else "q"), p if bar < K else q)
    assert not exception_texts(page)


def _touch(cdp, kind, x, y):
    points = [] if kind == "touchEnd" else [{"x": x, "y": y, "id": 1}]
    cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})


def test_touch_drag_follows_the_finger(browser, app_url):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True, base_url=app_url
    )
    page = context.new_page()
    stream = StreamMonitor().attach(page)
    try:
        tracks = open_editor(page, app_url, stream)
        q_track = tracks.nth(1)
        q_track.scroll_into_view_if_needed()
        box = q_track.bounding_box()
        cdp = context.new_cdp_session(page)
        runs_before = stream.finished_runs
        _touch(cdp, "touchStart", *track_point(box, 0.5))
        for fraction in (0.7, 0.9, 0.2):
            _touch(cdp, "touchMove", *track_point(box, fraction))
            q = set_probability(Q0, 0, round(fraction * DRAG_STEPS) / DRAG_STEPS)
            wait_until(
                page,
                lambda q=q: editor_state(page)["readouts"] == expected_readouts(P0, q),
                timeout=5,
                message=f"live readouts under the finger at {fraction}",
            )
        assert stream.finished_runs == runs_before
        _touch(cdp, "touchEnd", 0, 0)
        wait_run_finished(page, stream, runs_before)
        settle(page, stream)
        assert_page_settled_to(page, P0, set_probability(Q0, 0, 0.2))
    finally:
        context.close()


def test_keyboard_operates_each_bar_like_a_slider(page, app_url, stream):
    tracks = open_editor(page, app_url, stream)
    q_dog = tracks.nth(3)
    assert q_dog.get_attribute("role") == "slider"
    assert q_dog.get_attribute("aria-valuemin") == "0"
    assert q_dog.get_attribute("aria-valuemax") == "1"
    assert "dog" in q_dog.get_attribute("aria-valuetext")
    q_dog.focus()
    runs_before = stream.finished_runs
    expected = {"ArrowUp": 0.46, "PageUp": 0.56, "ArrowDown": 0.55, "PageDown": 0.45, "End": 1.0, "Home": 0.0}
    for key, value in expected.items():
        page.keyboard.press(key)
        assert float(q_dog.get_attribute("aria-valuenow")) == pytest.approx(value), key
        q = set_probability(Q0, 1, value)
        assert editor_state(page)["readouts"] == expected_readouts(P0, q), key
    wait_run_finished(page, stream, runs_before, timeout=20)
    settle(page, stream)
    assert_page_settled_to(page, P0, set_probability(Q0, 1, 0.0))


def test_typed_values_and_a_link_round_trip(page, app_url, stream, browser):
    open_editor(page, app_url, stream)
    type_q(page, stream, "0.228, 0.619, 0.153")
    q = np.array([0.228, 0.619, 0.153])
    assert_page_settled_to(page, P0, q)
    np.testing.assert_array_equal(link_dist(page.url, "q"), q)
    # A fresh browser opening the copied link sees the same state.
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    other = context.new_page()
    other_stream = StreamMonitor().attach(other)
    try:
        since = other_stream.finished_runs
        other.goto(page.url)
        wait_run_finished(other, other_stream, since, timeout=60)
        settle(other, other_stream)
        other.wait_for_selector(".pqe-track", timeout=30_000)  # the module loads after the run
        assert [b["now"] for b in editor_state(other)["bars"]] == [
            b["now"] for b in editor_state(page)["bars"]
        ]
        assert_page_settled_to(other, P0, q)
    finally:
        context.close()


def test_a_typo_is_explained_and_nothing_changes(page, app_url, stream):
    open_editor(page, app_url, stream)
    before = editor_state(page)["readouts"]
    type_q(page, stream, "0.2, 0.3, 0.4")
    state = editor_state(page)
    assert re.search(r"q must sum to 1 \(got 0\.9\)", state["error"]), state["error"]
    assert state["readouts"] == before
    assert_page_settled_to(page, P0, Q0)


def test_q_zero_where_p_is_positive_reaches_the_browser_as_infinity(page, app_url, stream):
    """JSON has no Infinity: the table travels as float64 bytes, and the page says what happened."""
    open_editor(page, app_url, stream, query=REVEAL_QUERY + "&q=0.5,0.5,0")
    state = editor_state(page)
    assert state["readouts"]["cross_entropy"] == "∞ bits"
    assert state["readouts"]["kl"] == "∞ bits"
    assert state["readouts"]["entropy_q"] == expected_readouts(P0, np.array([0.5, 0.5, 0]))["entropy_q"]
    assert page_numbers(page)["H(p, q)"] == math.inf
    assert not exception_texts(page)
    # Dragging q(bird) up from 0 makes the cost finite again, live.
    box = page.locator(".pqe-track").nth(5).bounding_box()
    page.mouse.move(*track_point(box, 0.05))
    page.mouse.down()
    page.mouse.move(*track_point(box, 0.3), steps=3)
    q = set_probability([0.5, 0.5, 0.0], 2, 0.3)
    wait_until(
        page,
        lambda: editor_state(page)["readouts"] == expected_readouts(P0, q),
        timeout=5,
        message="a finite cost once q(bird) > 0",
    )
    assert "∞" not in editor_state(page)["readouts"]["kl"]
    page.mouse.up()


def test_legacy_weight_links_open_the_same_view(page, app_url, stream):
    """A link made before the editor (weights 0-100 divided by their sum) keeps its meaning."""
    open_editor(page, app_url, stream, query=REVEAL_QUERY + "&k=4&p0=10&q3=70")
    p = ce_core.normalize([10.0, 30.0, 20.0, 10.0])
    q = ce_core.normalize([20.0, 50.0, 30.0, 70.0])
    assert editor_state(page)["readouts"] == expected_readouts(p, q)
    assert_page_settled_to(page, p, q)
