"""AppTest of the label-smoothing lesson: controls and workspace drive the numbers and charts."""

import math

import numpy as np
import pytest

from ce_core.information import UNITS, kl_divergence
from ce_core.losses import smooth_targets, smoothed_loss_floor
from ce_core.variants import CURVE_GRID, SMOOTHING_FRAMES, best_prob_true, smoothed_loss, smoothed_loss_curve
from lab.lesson_keys import LS_EPSILON, LS_EPSILON_DEFAULT, LS_TRUE
from tests.apptest_utils import chart_specs, decode, drag, run_page, trace, workspace, ws_state

BARS, CURVES, SCRUB = 0, 1, 2


def _fmt(value: float, unit: str) -> str:
    return f"∞ {unit}" if math.isinf(value) else f"{value:.4f} {unit}"


def _state(at):
    """(q, true class, epsilon, unit) as the page holds them after the run."""
    _, _, q = workspace(at)
    return q, at.selectbox(key=LS_TRUE).value, at.slider(key=LS_EPSILON).value, at.segmented_control(key="unit").value


def _metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _check(at) -> None:
    q, y, e, unit = _state(at)
    base = UNITS[unit]
    shown = _metrics(at)
    loss = smoothed_loss(q, y, e, base=base)
    assert shown[f"Loss with ε = {e:g}"] == _fmt(loss, unit)
    assert shown["Without smoothing (ε = 0)"] == _fmt(smoothed_loss(q, y, 0.0, base=base), unit)
    assert shown["Floor H(t′)"] == _fmt(smoothed_loss_floor(y, q.size, e, base=base), unit)
    assert shown["Above the floor: KL(t′ ‖ q)"] == _fmt(kl_divergence(smooth_targets(y, q.size, e), q, base=base), unit)
    np.testing.assert_allclose(decode(trace(at, BARS, "smoothed target t′")["y"]), smooth_targets(y, q.size, e))
    np.testing.assert_allclose(decode(trace(at, BARS, "q (model)")["y"]), q)
    yours = trace(at, CURVES, f"ε = {e:g} (yours)")
    np.testing.assert_allclose(decode(yours["y"]), smoothed_loss_curve(CURVE_GRID, q.size, e, base=base), rtol=1e-12)
    floor = decode(trace(at, CURVES, f"floor, ε = {e:g} (yours)")["y"])
    np.testing.assert_allclose(floor, smoothed_loss_floor(0, q.size, e, base=base))
    names = [t["name"] for t in chart_specs(at)[CURVES]["data"]]
    if math.isfinite(loss):
        point = trace(at, CURVES, "your q")
        assert decode(point["x"])[0] == pytest.approx(q[y])
        assert decode(point["y"])[0] == pytest.approx(loss)
    else:
        assert "your q" not in names
    assert unit in chart_specs(at)[CURVES]["layout"]["yaxis"]["title"]["text"]


def test_defaults():
    at = run_page("label_smoothing", query_params={"predict": "false"})
    _q, y, e, unit = _state(at)
    assert (y, e, unit) == (0, LS_EPSILON_DEFAULT, "bits")
    _check(at)


def test_moving_epsilon_moves_every_number_and_curve():
    at = run_page("label_smoothing", query_params={"predict": "false"})
    before = _metrics(at)["Floor H(t′)"]
    at.slider(key=LS_EPSILON).set_value(0.35).run()
    assert not at.exception
    assert at.slider(key=LS_EPSILON).value == 0.35
    _check(at)
    assert _metrics(at)["Floor H(t′)"] != before


def test_choosing_the_true_class():
    at = run_page("label_smoothing", query_params={"predict": "false"})
    at.selectbox(key=LS_TRUE).select_index(2).run()
    assert not at.exception
    assert _state(at)[1] == 2
    _check(at)


def test_a_ruled_out_class_makes_the_smoothed_loss_infinite():
    at = run_page("label_smoothing", query_params={"predict": "false"})
    drag(at, "q", 2, 0.0)
    assert workspace(at)[2][2] == 0.0
    _check(at)
    assert _metrics(at)["Loss with ε = 0.1"] == "∞ bits"
    assert any("bird" in i.value and "∞" in i.value for i in at.info)
    at.slider(key=LS_EPSILON).set_value(0.0).run()  # without smoothing the ruled-out class costs nothing
    _check(at)
    assert _metrics(at)["Loss with ε = 0"] != "∞ bits"


def test_unit_from_the_url():
    at = run_page("label_smoothing", query_params={"predict": "false", "unit": "nats", LS_EPSILON: "0.2"})
    assert _state(at)[2:] == (0.2, "nats")
    _check(at)


def test_scrub_figure_frames_equal_ce_core():
    at = run_page("label_smoothing", query_params={"predict": "false", "k": "4"})
    spec = chart_specs(at)[SCRUB]
    frames = spec["frames"]
    assert len(frames) == len(SMOOTHING_FRAMES)
    _q, _y, e, unit = _state(at)
    base = UNITS[unit]
    assert spec["layout"]["sliders"][0]["active"] == int(np.argmin(np.abs(SMOOTHING_FRAMES - e)))
    for frame in frames[::10]:
        eps = float(frame["name"])
        np.testing.assert_allclose(decode(frame["data"][0]["y"]), smoothed_loss_curve(CURVE_GRID, 4, eps, base=base))
        assert decode(frame["data"][2]["x"])[0] == pytest.approx(best_prob_true(4, eps))
        assert decode(frame["data"][1]["y"])[0] == pytest.approx(smoothed_loss_floor(0, 4, eps, base=base))


def test_predict_first_asks_where_the_loss_is_lowest_before_showing_the_numbers():
    at = run_page("label_smoothing")
    assert not at.metric
    radio = next(r for r in at.radio if r.key.startswith("predict_ls_best_q"))
    e = at.slider(key=LS_EPSILON).value
    k = ws_state(at)["k"]
    best = best_prob_true(k, e)
    right = next(i for i, text in enumerate(radio.options) if f"{best:.3f}" in text)
    radio.set_value(right).run()
    at.button(key="predict_ls_best_q_lock").click().run()
    floor = smoothed_loss_floor(0, k, e, base=2)
    assert {m.label: m.value for m in at.metric}["Floor H(t′)"] == f"{floor:.4f} bits"
    assert "right" in at.success[0].value


def test_the_answer_stays_revealed_while_epsilon_moves_and_follows_it():
    at = run_page("label_smoothing")
    radio = next(r for r in at.radio if r.key.startswith("predict_ls_best_q"))
    radio.set_value(0).run()  # q(true) = 1: wrong for ε > 0
    at.button(key="predict_ls_best_q_lock").click().run()
    e0 = at.slider(key=LS_EPSILON).value
    k = ws_state(at)["k"]
    for step in range(1, 6):
        e = round(e0 + 0.01 * step, 2)
        at.slider(key=LS_EPSILON).set_value(e).run()
        assert not [r for r in at.radio if r.key.startswith("predict_ls_best_q")], "asked again after a move"
        floor = smoothed_loss_floor(0, k, e, base=2)
        assert {m.label: m.value for m in at.metric}["Floor H(t′)"] == f"{floor:.4f} bits"
        text = at.warning[0].value
        assert f"for ε = {e0:g} and C = {k}" in text
        assert "(not right)" in text
        assert f"{best_prob_true(k, e):.3f}" in text  # the live answer
    at.button(key="predict_ls_best_q_again").click().run()
    assert [r for r in at.radio if r.key.startswith("predict_ls_best_q")]
    assert not at.metric
