"""Bar controls of lab.components.bar_control in a real browser: drag a bar, keys, release, links.

The learner grabs the bar of one value (a logit z_i, a class weight w_c) with the mouse button
down; at every position during the drag the chart beside the bars, the numbers under them and
the readouts already show ce_core's values for that state (the module looks them up in the table
the page sent; no script run happens). After release one run of the lesson's fragment brings the
rest of the page (metrics, captions, tables) and the address bar to those values. Expected values
are computed here from ce_core's one-point functions, never read from the page.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pytest

from ce_core.overflow import softmax_overflow
from ce_core.softmax import softmax
from ce_core.temperature import tempered_gradient, tempered_loss
from ce_core.variants import BATCH_LOGITS, BATCH_TARGETS, balanced_weights, weighted_batch
from lab.lesson_keys import CW_WEIGHT, CW_WEIGHT_DEFAULTS, SM_LOGIT, SM_LOGIT_DEFAULTS
from lab.workspace import DEFAULT_CLASSES, DEFAULT_NAMES
from tests.e2e.helpers import (
    REVEAL_QUERY,
    component_state,
    exception_texts,
    in_component_js,
    metrics,
    open_page,
    settle,
    url_value,
    wait_run_finished,
    wait_until,
)
from tests.e2e.test_live_controls import live_state

pytestmark = pytest.mark.e2e

#: The state of one bar control (inside its component's shadow root).
BAR_JS = in_component_js(
    ".bc",
    """
    const tracks = [...box.querySelectorAll('.bc-track')];
    return {
      row: Number(box.dataset.row), bar: Number(box.dataset.bar), g: Number(box.dataset.g),
      now: tracks.map(t => Number(t.getAttribute('aria-valuenow'))),
      valuetext: tracks.map(t => t.getAttribute('aria-valuetext')),
      shown: tracks.map(t => t.querySelector('.bc-value').textContent),
      role: tracks.map(t => t.getAttribute('role')),
      focused: tracks.indexOf(r.activeElement),
      boxes: tracks.map(t => { const b = t.getBoundingClientRect(); return {x: b.x, y: b.y, width: b.width, height: b.height}; }),
      readouts: Object.fromEntries([...box.querySelectorAll('[data-readout]')].map(n => [n.dataset.readout, n.textContent])),
      sub: [...box.querySelectorAll('.bc-sub')].map(n => n.textContent),
      bars: Object.fromEntries([...box.querySelectorAll('.bc-chart-bars')].map(g => [g.dataset.layer,
             [...g.querySelectorAll('rect')].map(x => Number(x.getAttribute('data-v')))])),
      hlines: Object.fromEntries([...box.querySelectorAll('.bc-hline')].map(g => [g.dataset.layer,
               g.style.display === 'none' ? null : Number(g.getAttribute('data-y'))])),
      caption: (box.querySelector('.bc-caption') || {}).textContent || '',
      renders: Number(host.getAttribute('data-bar-renders') || 0),
    };""",
)


def bar_state(page, key: str) -> dict:
    return component_state(page, BAR_JS, key)


def _f(value: float, unit: str = "bits") -> str:
    if isinstance(value, float) and math.isnan(value):
        return "undefined"
    return f"∞ {unit}" if math.isinf(value) else f"{value:.4f} {unit}"


@dataclass(frozen=True)
class BarControl:
    key: str  # the component's key (container live_<key>)
    page: str
    value_keys: tuple[str, ...]
    grid: tuple[float, ...]
    defaults: tuple[float, ...]
    shows: Callable[[dict, tuple[float, ...]], None]  # checks the live view at these values
    settled: Callable[[object, tuple[float, ...]], None]  # checks the rest of the page after release


def _grid(lo: float, hi: float, step: float) -> tuple[float, ...]:
    n = round((hi - lo) / step)
    return tuple(round(lo + step * i, 10) for i in range(n + 1))


# ---------------------------------------------------------------------------- softmax logits

K = DEFAULT_CLASSES
NAMES = DEFAULT_NAMES[:K]
TARGET = 0
LN2 = math.log(2)


def _sm_shows(state: dict, z: tuple[float, ...], t: float = 1.0) -> None:
    q = softmax(list(z), t)
    loss = tempered_loss(list(z), TARGET, t, 2)
    gradient = tempered_gradient(list(z), TARGET, t, 2)
    np.testing.assert_allclose(state["bars"]["softmax q = softmax(z / T)"], q, rtol=1e-12)
    assert state["bars"]["one-hot target"] == [1.0 if i == TARGET else 0.0 for i in range(K)]
    assert state["readouts"] == {"loss": _f(loss), "q_true": f"{q[TARGET]:.4f}"}
    assert state["sub"] == [f"{g:+.3f}" for g in gradient]
    assert f"q({DEFAULT_NAMES[TARGET]}) = {q[TARGET]:.4f}, loss {_f(loss)}" in state["caption"]
    assert "Softmax of the logits " + ", ".join(f"{v:.1f}" for v in z) in state["caption"]


def _sm_settled(page, z: tuple[float, ...], t: float = 1.0) -> None:
    loss = tempered_loss(list(z), TARGET, t, 2)
    q = softmax(list(z), t)
    gradient = tempered_gradient(list(z), TARGET, t, 2)
    name = DEFAULT_NAMES[TARGET]
    label = f"Loss −log q({name}) at T = {t:.1f}"
    wait_until(
        page, lambda: dict(metrics(page)).get(label) == _f(loss), timeout=15, message="the loss metric"
    )
    assert dict(metrics(page))[f"q({name})"] == f"{q[TARGET]:.4f}"
    caption = (
        f"At T = {t:.1f} with logits "
        + ", ".join(f"{n} {v:.1f}" for n, v in zip(NAMES, z, strict=True))
        + ": gradient per logit "
        + ", ".join(f"{n} {g:+.3f}" for n, g in zip(NAMES, gradient, strict=True))
    )
    assert page.get_by_text(caption).count() == 1, caption
    # the overflow lesson's stable softmax (c = 0) and the temperature control use the new logits
    stable = softmax_overflow(list(z), 0.0, t).stable
    text = " ".join(page.locator("[data-testid=stCaptionContainer]").all_inner_texts())
    assert "stable softmax " + ", ".join(f"{n} {v:.4f}" for n, v in zip(NAMES, stable, strict=True)) in text
    temperature = live_state(page, "sm_t")
    assert temperature["readouts"] == {"loss": _f(loss), "q_true": f"{q[TARGET]:.4f}"}


SOFTMAX = BarControl(
    "sm_logits",
    "softmax_logits",
    tuple(SM_LOGIT.format(i) for i in range(K)),
    _grid(-10.0, 10.0, 0.1),
    tuple(SM_LOGIT_DEFAULTS[:K]),
    _sm_shows,
    _sm_settled,
)


# ---------------------------------------------------------------------------- class weights

CLASSES = 3


def _cw_numbers(w: tuple[float, ...]):
    return weighted_batch(BATCH_LOGITS, BATCH_TARGETS, list(w), base=2)


def _cw_shows(state: dict, w: tuple[float, ...]) -> None:
    b = _cw_numbers(w)
    np.testing.assert_allclose(state["bars"]["before: −log q[y]"], b.per_sample, rtol=1e-12)
    np.testing.assert_allclose(state["bars"]["after: w[y] · (−log q[y])"], b.weighted, rtol=1e-12)
    assert state["readouts"] == {
        "index": _f(b.index_mean),
        "probability": _f(b.probability_mean),
        "sklearn": _f(b.sklearn_mean),
        "denominator": f"{b.index_denominator:.4g}",
    }
    index_line = state["hlines"]["mean, index targets (÷ Σ w[y])"]
    assert (
        (index_line is None)
        if math.isnan(b.index_mean)
        else index_line == pytest.approx(b.index_mean, rel=1e-12)
    )
    assert state["hlines"]["mean, probability targets (÷ N)"] == pytest.approx(b.probability_mean, rel=1e-12)
    assert "w[y] = " + ", ".join(f"{v:.3g}" for v in w) in state["caption"]


def _cw_settled(page, w: tuple[float, ...]) -> None:
    b = _cw_numbers(w)
    wait_until(
        page,
        lambda: dict(metrics(page)).get("PyTorch, class-index targets") == _f(b.index_mean),
        timeout=15,
        message="the index-target metric",
    )
    shown = dict(metrics(page))
    assert shown["PyTorch, one-hot probability targets"] == _f(b.probability_mean)
    assert shown["scikit-learn log_loss"] == _f(b.sklearn_mean)
    text = " ".join(page.locator("[data-testid=stCaptionContainer]").all_inner_texts())
    assert f"÷ Σ w[y] = {b.index_denominator:.4g}" in text
    assert "after (filled) the weight w[y] = " + ", ".join(f"{v:g}" for v in w) in text
    markdown = " ".join(page.locator("[data-testid=stMarkdownContainer]").all_inner_texts())
    assert f"Sum of the weighted losses: {_f(b.weighted_sum)}" in markdown


#: 0, 0.05, ..., 10 and the balanced weights (the preset is a position of the bars too)
WEIGHT_GRID = tuple(
    sorted({*_grid(0.0, 10.0, 0.05), *(float(v) for v in balanced_weights(BATCH_TARGETS, CLASSES))})
)
WEIGHTS = BarControl(
    "cw_weights",
    "class_weights",
    tuple(CW_WEIGHT.format(c) for c in range(CLASSES)),
    WEIGHT_GRID,
    tuple(CW_WEIGHT_DEFAULTS),
    _cw_shows,
    _cw_settled,
)

CONTROLS = {c.key: c for c in (SOFTMAX, WEIGHTS)}


# ---------------------------------------------------------------------------- helpers


def open_control(page, app_url, stream, control: BarControl, query: str = REVEAL_QUERY) -> dict:
    open_page(page, app_url, control.page, stream, query=query)
    page.locator(f".st-key-live_{control.key} .bc-track").first.wait_for()
    page.locator(f".st-key-live_{control.key}").scroll_into_view_if_needed()
    settle(page, stream)
    return bar_state(page, control.key)


def y_of(state: dict, control: BarControl, bar: int, g: int) -> float:
    """The pointer y over grid position g of a bar's track (geometry of the track)."""
    box = state["boxes"][bar]
    return box["y"] + box["height"] * (1 - g / (len(control.grid) - 1))


def values_at(control: BarControl, bar: int, g: int) -> tuple[float, ...]:
    out = list(control.defaults)
    out[bar] = control.grid[g]
    return tuple(out)


def assert_bars(state: dict, control: BarControl, values: tuple[float, ...]) -> None:
    assert state["now"] == pytest.approx(list(values), abs=1e-12)
    assert state["shown"] == [f"{v:.1f}" if control is SOFTMAX else f"{v:.3g}" for v in values]


def assert_urls(page, control: BarControl, values: tuple[float, ...]) -> None:
    def ok() -> bool:
        for key, v, d in zip(control.value_keys, values, control.defaults, strict=True):
            raw = url_value(page.url, key)
            if (raw is not None) if v == d else (raw is None or float(raw) != v):
                return False
        return True

    wait_until(page, ok, timeout=10, message=f"{control.value_keys} in the address bar")


# ---------------------------------------------------------------------------- tests


@pytest.mark.parametrize("key", list(CONTROLS))
def test_dragging_a_bar_moves_the_chart_and_readouts_before_release(page, app_url, stream, key):
    control = CONTROLS[key]
    state = open_control(page, app_url, stream, control)
    assert state["row"] == len(control.value_keys) * len(control.grid)  # the current state
    assert_bars(state, control, control.defaults)
    control.shows(state, control.defaults)
    bar = 1
    start = control.grid.index(control.defaults[bar])
    box = state["boxes"][bar]
    x = box["x"] + box["width"] / 2
    runs_before = stream.finished_runs
    page.mouse.move(x, y_of(state, control, bar, start))
    page.mouse.down()
    n = len(control.grid)
    targets = [round((n - 1) * f) for f in (0.8, 0.3, 0.03, 0.6)]
    for g in targets:
        page.mouse.move(x, y_of(state, control, bar, g), steps=4)
        wait_until(page, lambda g=g: bar_state(page, key)["g"] == g, timeout=5, message=f"live position {g}")
        now = bar_state(page, key)
        assert now["bar"] == bar
        values = values_at(control, bar, g)
        assert_bars(now, control, values)
        control.shows(now, values)
    assert stream.finished_runs == runs_before, "a script run happened while the button was still down"
    page.mouse.up()
    wait_run_finished(page, stream, runs_before)
    settle(page, stream)
    values = values_at(control, bar, targets[-1])
    after = bar_state(page, key)
    assert after["row"] == len(control.value_keys) * n  # the page sent the new state as the current row
    assert_bars(after, control, values)
    control.shows(after, values)
    control.settled(page, values)
    assert_urls(page, control, values)
    assert not exception_texts(page)


@pytest.mark.parametrize("key", list(CONTROLS))
def test_keyboard_changes_a_bar(page, app_url, stream, key):
    control = CONTROLS[key]
    state = open_control(page, app_url, stream, control)
    assert state["role"] == ["slider"] * len(control.value_keys)
    bar = 2
    g = control.grid.index(control.defaults[bar])
    last = len(control.grid) - 1
    page.locator(f".st-key-live_{key} .bc-track").nth(bar).focus()
    runs_before = stream.finished_runs
    for press, step in (
        ("ArrowUp", 1),
        ("PageUp", 10),
        ("ArrowDown", -1),
        ("ArrowRight", 1),
        ("PageDown", -10),
        ("End", None),
        ("Home", None),
        ("PageUp", 10),
        ("ArrowUp", 1),
    ):
        page.keyboard.press(press)
        g = last if press == "End" else 0 if press == "Home" else min(last, max(0, g + step))
        now = bar_state(page, key)
        values = values_at(control, bar, g)
        assert_bars(now, control, values)
        control.shows(now, values)
    assert bar_state(page, key)["focused"] == bar
    wait_run_finished(page, stream, runs_before, timeout=20)
    settle(page, stream)
    after = bar_state(page, key)
    assert_bars(after, control, values)
    control.shows(after, values)
    control.settled(page, values)
    assert_urls(page, control, values)
    assert after["focused"] == bar, "the rerun kept the focus on the bar"


def test_temperature_uses_the_logits_set_by_the_bars(page, app_url, stream):
    state = open_control(page, app_url, stream, SOFTMAX)
    box = state["boxes"][2]
    g = 170
    since = stream.finished_runs
    page.mouse.click(box["x"] + box["width"] / 2, y_of(state, SOFTMAX, 2, g))
    wait_run_finished(page, stream, since)
    settle(page, stream)
    z = values_at(SOFTMAX, 2, g)
    page.locator(".st-key-live_sm_t .lc-slider").focus()
    since = stream.finished_runs
    page.keyboard.press("ArrowLeft")  # T = 0.9
    q = softmax(list(z), 0.9)
    assert live_state(page, "sm_t")["readouts"] == {
        "loss": _f(tempered_loss(list(z), TARGET, 0.9, 2)),
        "q_true": f"{q[TARGET]:.4f}",
    }
    wait_run_finished(page, stream, since, timeout=20)
    settle(page, stream)
    _sm_settled(page, z, 0.9)
    _sm_shows(bar_state(page, "sm_logits"), z, 0.9)  # the bars' chart is now at T = 0.9


def test_old_links_open_the_same_values_and_bad_values_are_reported(page, app_url, stream):
    query = REVEAL_QUERY + "&sm_z0=-1.5&sm_z2=7&sm_z1=0.15"
    state = open_control(page, app_url, stream, SOFTMAX, query=query)
    z = (-1.5, SM_LOGIT_DEFAULTS[1], 7.0)
    assert_bars(state, SOFTMAX, z)
    _sm_shows(state, z)
    _sm_settled(page, z)
    notice = " ".join(page.locator("[data-testid=stAlertContentWarning]").all_inner_texts())
    assert "sm_z1" in notice
    assert "not a valid value" in notice
    wait_until(
        page, lambda: url_value(page.url, "sm_z1") is None, timeout=10, message="bad value dropped from URL"
    )
    assert url_value(page.url, "sm_z0") == "-1.5"


def test_a_weight_preset_moves_the_bars(page, app_url, stream):
    open_control(page, app_url, stream, WEIGHTS)
    since = stream.finished_runs
    page.get_by_role("button", name="Balanced: N / (C · count)").click()
    wait_run_finished(page, stream, since)
    settle(page, stream)
    w = tuple(float(v) for v in balanced_weights(BATCH_TARGETS, CLASSES))
    state = bar_state(page, "cw_weights")
    assert state["now"] == pytest.approx(list(w), rel=1e-12)
    _cw_shows(state, w)
    _cw_settled(page, w)


def test_a_touch_moves_a_bar(browser, app_url):
    """A finger on a touch screen (pointer events of type touch): a tap sets the bar under it."""
    from tests.e2e.helpers import StreamMonitor

    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    page = context.new_page()
    stream = StreamMonitor().attach(page)
    try:
        state = open_control(page, app_url, stream, WEIGHTS)
        g = 80  # a position near w = 4
        box = state["boxes"][0]
        since = stream.finished_runs
        page.touchscreen.tap(box["x"] + box["width"] / 2, y_of(state, WEIGHTS, 0, g))
        wait_run_finished(page, stream, since)
        settle(page, stream)
        values = values_at(WEIGHTS, 0, g)
        after = bar_state(page, "cw_weights")
        assert_bars(after, WEIGHTS, values)
        _cw_shows(after, values)
        _cw_settled(page, values)
        assert_urls(page, WEIGHTS, values)
    finally:
        context.close()


SPAN_JS = in_component_js(
    ".bc",
    """
    const bars = box.querySelector('.bc-bars').getBoundingClientRect();
    const chart = box.querySelector('.lc-svg').getBoundingClientRect();
    return {top: bars.top, bottom: chart.bottom, width: Math.max(bars.right, chart.right)};""",
)


@pytest.mark.parametrize("key", list(CONTROLS))
def test_on_a_phone_bars_and_chart_fit_one_screen(page, app_url, stream, key):
    page.set_viewport_size({"width": 390, "height": 844})
    open_control(page, app_url, stream, CONTROLS[key])
    span = page.evaluate(SPAN_JS, key)
    assert span["width"] <= 390
    assert span["bottom"] - span["top"] <= 844 - 40, (
        f"bars to chart bottom: {span['bottom'] - span['top']:.0f} px"
    )
