"""AppTest of the label-smoothing lesson: controls and workspace drive the numbers and charts.

ε is a live control (lab.components.live_chart): driven through session state; its chart and readouts
are read from the data it was mounted with (every ε of the grid).
"""

import math

import numpy as np
import pytest

from ce_core.information import UNITS, kl_divergence
from ce_core.losses import smooth_targets, smoothed_loss_floor
from ce_core.variants import CURVE_GRID, best_prob_true, smoothed_loss, smoothed_loss_curve
from lab.lesson_keys import LS_EPSILON, LS_EPSILON_DEFAULT, LS_TRUE
from tests import apptest_utils as ui


def _state(at):
    """(q, true class, epsilon, unit) as the page holds them after the run."""
    _, _, q = ui.workspace(at)
    return (
        q,
        at.selectbox(key=LS_TRUE).value,
        at.session_state[LS_EPSILON],
        at.segmented_control(key="unit").value,
    )


def _metrics(at) -> dict[str, str]:
    """Metrics after release and the live control's readouts at its position."""
    return ui.metrics(at) | ui.live_readouts(at, LS_EPSILON)


def _check(at) -> None:
    q, y, e, unit = _state(at)
    base = UNITS[unit]
    on_page = _metrics(at)
    loss = smoothed_loss(q, y, e, base=base)
    assert on_page[f"Loss with ε = {e:g}"] == ui.shown(loss, unit)
    assert on_page["Without smoothing (ε = 0)"] == ui.shown(smoothed_loss(q, y, 0.0, base=base), unit)
    assert on_page["Floor H(t′)"] == ui.shown(smoothed_loss_floor(y, q.size, e, base=base), unit)
    assert on_page["Above the floor: KL(t′ ‖ q)"] == ui.shown(
        kl_divergence(smooth_targets(y, q.size, e), q, base=base), unit
    )
    data = ui.live_data(at, LS_EPSILON)
    i = data["index"]
    n = len(data["values"])
    # the target bars under the ε control: t′ a row per ε, the one-hot target and q fixed
    smoothed = ui.live_layer(at, LS_EPSILON, "smoothed target t′", chart="ls_bars")
    np.testing.assert_allclose(smoothed["y"].reshape(n, -1)[i], smooth_targets(y, q.size, e), rtol=1e-12)
    np.testing.assert_allclose(ui.live_layer(at, LS_EPSILON, "q (model)", chart="ls_bars")["y"], q)
    np.testing.assert_array_equal(
        ui.live_layer(at, LS_EPSILON, "one-hot target", chart="ls_bars")["y"], smooth_targets(y, q.size, 0.0)
    )
    bars_caption = ui.live_chart(at, LS_EPSILON, "ls_bars")["caption"][i]
    assert f"ε = {e:g}: the smoothed target gives it {smooth_targets(y, q.size, e)[y]:.3f}" in bars_caption
    assert data["values"][i] == e
    assert on_page["Loss with ε"] == ui.shown(loss, unit)
    rows = ui.live_layer(at, LS_EPSILON, "loss, the rest spread evenly")["y"].reshape(len(data["values"]), -1)
    np.testing.assert_allclose(
        rows[i], smoothed_loss_curve(CURVE_GRID, q.size, e, base=base), rtol=ui.F32_RTOL, atol=1e-30
    )
    floor = ui.live_layer(at, LS_EPSILON, "floor H(t′)")["y"][i]
    assert floor == pytest.approx(smoothed_loss_floor(0, q.size, e, base=base))
    lowest = ui.live_layer(at, LS_EPSILON, "lowest loss")
    assert lowest["x"][i] == pytest.approx(best_prob_true(q.size, e))
    point = ui.live_layer(at, LS_EPSILON, "your q")
    assert point["x"][i] == pytest.approx(q[y])
    assert point["y"][i] == (pytest.approx(loss) if math.isfinite(loss) else loss)
    assert unit in data["chart"]["y_label"]
    # with smoothing the loss has its minimum inside (0, 1) and climbs again toward q(true) = 1
    assert ("rises again as q(true) → 1" in data["chart"]["caption"][i]) == (e > 0)


def test_defaults():
    at = ui.run_page("label_smoothing", query_params={"predict": "false"})
    _q, y, e, unit = _state(at)
    assert (y, e, unit) == (0, LS_EPSILON_DEFAULT, "bits")
    _check(at)


def test_moving_epsilon_moves_every_number_and_curve():
    at = ui.run_page("label_smoothing", query_params={"predict": "false"})
    before = _metrics(at)["Floor H(t′)"]
    ui.set_live(at, LS_EPSILON, 0.35)
    assert at.session_state[LS_EPSILON] == 0.35
    _check(at)
    assert _metrics(at)["Floor H(t′)"] != before


def test_choosing_the_true_class():
    at = ui.run_page("label_smoothing", query_params={"predict": "false"})
    at.selectbox(key=LS_TRUE).select_index(2).run()
    assert not at.exception
    assert _state(at)[1] == 2
    _check(at)


def test_a_ruled_out_class_makes_the_smoothed_loss_infinite():
    at = ui.with_q_zero("label_smoothing", 2)
    _check(at)
    assert _metrics(at)["Loss with ε = 0.1"] == "∞ bits"
    assert any("bird" in i.value and "∞" in i.value for i in at.info)
    ui.set_live(at, LS_EPSILON, 0.0)  # without smoothing the ruled-out class costs nothing
    _check(at)
    assert _metrics(at)["Loss with ε = 0"] != "∞ bits"


def test_unit_from_the_url():
    at = ui.run_page("label_smoothing", query_params={"predict": "false", "unit": "nats", LS_EPSILON: "0.2"})
    assert _state(at)[2:] == (0.2, "nats")
    _check(at)


def test_every_epsilon_of_the_control_equals_ce_core():
    at = ui.run_page("label_smoothing", query_params={"predict": "false", "unit": "nats"})
    q, y, _e, _unit = _state(at)
    data = ui.live_data(at, LS_EPSILON)
    assert data["values"] == pytest.approx([i / 100 for i in range(101)], abs=1e-12)
    texts = {r["name"]: r["text"] for r in data["readouts"]}
    bars = ui.live_layer(at, LS_EPSILON, "smoothed target t′", chart="ls_bars")["y"].reshape(101, -1)
    for i, eps in enumerate(data["values"]):
        t = smooth_targets(y, q.size, eps)
        np.testing.assert_allclose(bars[i], t, rtol=1e-12)
        assert texts["loss"][i] == ui.shown(smoothed_loss(q, y, eps, base=math.e), "nats")
        assert texts["floor"][i] == ui.shown(smoothed_loss_floor(y, q.size, eps, base=math.e), "nats")
        assert texts["kl"][i] == ui.shown(kl_divergence(t, q, base=math.e), "nats")


def test_a_bad_epsilon_in_a_link_warns_and_keeps_the_default():
    ui.assert_bad_link_keeps_default("label_smoothing", LS_EPSILON, "-0.1", LS_EPSILON_DEFAULT)


def test_predict_first_asks_where_the_loss_is_lowest_before_showing_the_numbers():
    at = ui.run_page("label_smoothing")
    assert not at.metric
    assert ui.live_data(at, LS_EPSILON)["chart"] is None  # the control only: the curve would answer
    radio = next(r for r in at.radio if r.key.startswith("predict_ls_best_q"))
    e = at.session_state[LS_EPSILON]
    k = ui.ws_state(at)["k"]
    best = best_prob_true(k, e)
    right = next(i for i, text in enumerate(radio.options) if f"{best:.3f}" in text)
    radio.set_value(right).run()
    at.button(key="predict_ls_best_q_lock").click().run()
    floor = smoothed_loss_floor(0, k, e, base=2)
    assert ui.live_readouts(at, LS_EPSILON)["Floor H(t′)"] == f"{floor:.4f} bits"
    assert "right" in at.success[0].value


def test_the_answer_stays_revealed_while_epsilon_moves_and_follows_it():
    at = ui.run_page("label_smoothing")
    radio = next(r for r in at.radio if r.key.startswith("predict_ls_best_q"))
    radio.set_value(0).run()  # q(true) = 1: wrong for ε > 0
    at.button(key="predict_ls_best_q_lock").click().run()
    e0 = at.session_state[LS_EPSILON]
    k = ui.ws_state(at)["k"]
    for step in range(1, 6):
        e = round(e0 + 0.01 * step, 2)
        ui.set_live(at, LS_EPSILON, e)
        assert not [r for r in at.radio if r.key.startswith("predict_ls_best_q")], "asked again after a move"
        floor = smoothed_loss_floor(0, k, e, base=2)
        assert ui.live_readouts(at, LS_EPSILON)["Floor H(t′)"] == f"{floor:.4f} bits"
        text = at.warning[0].value
        assert f"for ε = {e0:g} and C = {k}" in text
        assert "(not right)" in text
        assert f"{best_prob_true(k, e):.3f}" in text  # the live answer
    at.button(key="predict_ls_best_q_again").click().run()
    assert [r for r in at.radio if r.key.startswith("predict_ls_best_q")]
    assert not at.metric
    assert ui.live_data(at, LS_EPSILON)["chart"] is None


@pytest.mark.parametrize(("k", "unit"), [(3, "bits"), (5, "nats"), (10, "hartleys")])
def test_the_live_chart_range_shows_the_rise_towards_q_one(k, unit):
    """With smoothing the loss climbs again as q(true) -> 1: that climb takes a visible part of the axis."""
    at = ui.run_page("label_smoothing", query_params={"predict": "false", "unit": unit})
    ui.set_workspace(at, k=k)
    data = ui.live_data(at, LS_EPSILON)
    i = data["index"]
    e = data["values"][i]
    assert e == LS_EPSILON_DEFAULT > 0
    low, top = data["chart"]["y_range"]
    base = UNITS[unit]
    end = float(smoothed_loss_curve(CURVE_GRID[-1:], k, e, base=base)[0])  # the curve's right end
    rise = end - smoothed_loss_floor(0, k, e, base=base)
    assert rise > 0
    assert rise / (top - low) > 0.08, (rise, top)
    assert smoothed_loss_floor(0, k, 1.0, base=base) < top  # every floor, up to log C at ε = 1, fits
    assert math.isclose(smoothed_loss_floor(0, k, 1.0, base=base), math.log(k, base))


def test_presenter_mode_keeps_both_formulas_and_every_number():
    """Presenter mode moves the formulas beside the class control (one row): the same formulas, same numbers."""
    plain = [e.value for e in ui.run_page("label_smoothing", query_params={"predict": "false"}).latex]
    at = ui.run_page(
        "label_smoothing", query_params={"predict": "false", "presenter": "true", LS_EPSILON: "0.3"}
    )
    assert len(plain) == 2
    assert [e.value for e in at.latex] == plain
    assert ui.live_data(at, LS_EPSILON)["presenter"] is True
    at.selectbox(key=LS_TRUE).select_index(1).run()
    assert not at.exception
    _check(at)
