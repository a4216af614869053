"""AppTest of the focal-loss lesson: gamma, alpha, true class and workspace drive numbers and charts.

γ and α are live controls (lab.components.live_chart): driven through session state; their charts
and readouts are read from the data they were mounted with (every γ, every α of the grid).
"""

import math

import numpy as np
import pytest

from ce_core.information import UNITS
from ce_core.live import FOCAL_BINARY_GRID
from ce_core.losses import focal_modulation, sigmoid_focal_loss, softmax_focal_loss
from ce_core.variants import FOCAL_GRID, focal_loss
from lab.lesson_keys import (
    FL_ALPHA,
    FL_ALPHA_DEFAULT,
    FL_ALPHA_ON,
    FL_ALPHA_ON_DEFAULT,
    FL_GAMMA,
    FL_GAMMA_DEFAULT,
    FL_TRUE,
)
from tests import apptest_utils as ui


def _state(at):
    _, _, q = ui.workspace(at)
    alpha = at.session_state[FL_ALPHA] if at.toggle(key=FL_ALPHA_ON).value else None
    if alpha is None:  # the α control is only drawn when α is on
        with pytest.raises(KeyError):
            ui.live_data(at, FL_ALPHA)
    return (
        q,
        at.selectbox(key=FL_TRUE).value,
        at.session_state[FL_GAMMA],
        alpha,
        at.segmented_control(key="unit").value,
    )


def _check(at) -> None:
    q, y, g, alpha, unit = _state(at)
    base = UNITS[unit]
    q_t = float(q[y])
    on_page = ui.metrics(at) | ui.live_readouts(at, FL_GAMMA)
    alpha_text = f"α = {alpha:g}" if alpha is not None else "no α"
    fl = focal_loss(q_t, g, alpha, base=base)
    assert on_page["q_t = q(true class)"] == f"{q_t:.4f}"
    assert on_page["Cross-entropy −log q_t"] == ui.shown(
        -math.log(q_t) / math.log(base) if q_t > 0 else math.inf, unit
    )
    assert on_page["Factor (1 − q_t)^γ"] == f"{focal_modulation(q_t, g):.4g}"
    assert on_page[f"Focal loss ({alpha_text})"] == ui.shown(fl, unit)
    assert on_page[f"Focal loss at γ = {g:g}"] == ui.shown(fl, unit)
    if q_t > 0:  # the multi-class library form on logits log q gives the same number
        z = np.log(np.where(q > 0, q, 1e-300))
        assert fl == pytest.approx(
            softmax_focal_loss(z, np.array(y), gamma=g, alpha=alpha) / math.log(base), rel=1e-9
        )
    data = ui.live_data(at, FL_GAMMA)
    i = data["index"]
    n = len(data["values"])
    # the factor chart under the γ control: the current γ's curve (a row per γ) and the fixed γ curves
    yours = ui.live_layer(at, FL_GAMMA, "your γ", chart="fl_factor")
    xs = yours["x"]
    np.testing.assert_allclose(xs, np.linspace(0.0, 1.0, 101), atol=1e-12)  # q_t = 0, 0.01, ..., 1
    np.testing.assert_allclose(
        yours["y"].reshape(n, -1)[i], focal_modulation(xs, g), rtol=ui.F32_RTOL, atol=1e-30
    )
    fixed = ui.live_layer(at, FL_GAMMA, "γ = 2", chart="fl_factor")
    np.testing.assert_allclose(fixed["y"], focal_modulation(fixed["x"], 2.0), rtol=1e-12)
    easy = ui.live_layer(at, FL_GAMMA, "an easy example (q_t = 0.9)", chart="fl_factor")
    assert easy["y"][i] == pytest.approx(focal_modulation(0.9, g), rel=1e-12)
    factor_caption = ui.live_chart(at, FL_GAMMA, "fl_factor")["caption"][i]
    assert f"At γ = {g:g} an easy example (q_t = 0.9) keeps {focal_modulation(0.9, g):.3g}" in factor_caption
    assert data["values"][i] == g
    kept = f"{focal_modulation(q_t, g):.0%} of its loss at γ = 0"  # the share the example keeps
    assert (kept in data["chart"]["caption"][i]) == (0 < q_t < 1)
    curve = ui.live_layer(at, FL_GAMMA, f"focal loss ({alpha_text})")
    rows = curve["y"].reshape(len(data["values"]), -1)
    np.testing.assert_allclose(
        rows[i], focal_loss(FOCAL_GRID, g, alpha, base=base), rtol=ui.F32_RTOL, atol=1e-30
    )
    point = ui.live_layer(at, FL_GAMMA, "your example")
    assert point["x"][i] == q_t
    assert point["y"][i] == (pytest.approx(fl) if math.isfinite(fl) else fl)
    # the loss-against-γ chart: the example's loss at every γ, the current one marked
    against = ui.live_chart(at, FL_GAMMA, "fl_gamma_curve")
    marked = ui.live_layer(at, FL_GAMMA, "at your γ", chart="fl_gamma_curve")
    assert marked["x"][i] == g
    assert marked["y"][i] == (pytest.approx(fl) if math.isfinite(fl) else fl)
    assert f"{ui.shown(fl, unit)} at γ = {g:g} (marked)" in against["caption"][i]
    assert f"Your example's focal loss ({alpha_text}) against γ" in against["caption"][i]
    if alpha is not None:
        _check_alpha(at, q_t, g, alpha, unit)


def _check_alpha(at, q_t: float, g: float, alpha: float, unit: str) -> None:
    """The α control at its current position: the binary form at the page's γ, and the example."""
    base = UNITS[unit]
    data = ui.live_data(at, FL_ALPHA)
    i = data["index"]
    assert data["values"][i] == alpha
    on_page = ui.live_readouts(at, FL_ALPHA)
    assert on_page["α_t of a positive (y = 1)"] == f"{alpha:.2f}"
    assert on_page["α_t of a negative (y = 0)"] == f"{1 - alpha:.2f}"
    assert on_page[f"Your example's focal loss (γ = {g:g})"] == ui.shown(
        focal_loss(q_t, g, alpha, base=base), unit
    )
    n = len(data["values"])
    pos = ui.live_layer(at, FL_ALPHA, "a positive (y = 1), weight α")
    neg = ui.live_layer(at, FL_ALPHA, "a negative (y = 0), weight 1 − α")
    np.testing.assert_array_equal(pos["x"], FOCAL_BINARY_GRID)
    np.testing.assert_allclose(
        pos["y"].reshape(n, -1)[i],
        focal_loss(FOCAL_BINARY_GRID, g, alpha, base=base),
        rtol=ui.F32_RTOL,
        atol=1e-30,
    )
    np.testing.assert_allclose(
        neg["y"].reshape(n, -1)[i],
        focal_loss(1 - FOCAL_BINARY_GRID, g, 1 - alpha, base=base),
        rtol=ui.F32_RTOL,
        atol=1e-30,
    )
    point = ui.live_layer(at, FL_ALPHA, "your example")
    assert point["x"][i] == q_t
    want = focal_loss(q_t, g, alpha, base=base)
    assert point["y"][i] == (pytest.approx(want) if math.isfinite(want) else want)
    assert f"with α = {alpha:.2f}" in data["chart"]["caption"][i]
    assert f"at γ = {g:g}" in data["chart"]["caption"][i]


def test_defaults():
    at = ui.run_page("focal_loss", query_params={"predict": "false"})
    _q, y, g, alpha, unit = _state(at)
    assert (y, g, unit) == (0, FL_GAMMA_DEFAULT, "bits")
    assert (alpha is not None) == FL_ALPHA_ON_DEFAULT
    _check(at)


def test_moving_gamma():
    at = ui.run_page("focal_loss", query_params={"predict": "false"})
    ui.set_live(at, FL_GAMMA, 3.7)
    assert _state(at)[2] == 3.7
    _check(at)


def test_gamma_zero_without_alpha_is_cross_entropy():
    at = ui.run_page("focal_loss", query_params={"predict": "false"})
    at.toggle(key=FL_ALPHA_ON).set_value(False).run()
    ui.set_live(at, FL_GAMMA, 0.0)
    _check(at)
    on_page = ui.metrics(at)
    assert on_page["Focal loss at γ = 0"] == on_page["Cross-entropy −log q_t"]


def test_alpha_and_true_class():
    at = ui.run_page("focal_loss", query_params={"predict": "false"})
    at.toggle(key=FL_ALPHA_ON).set_value(True).run()
    assert _state(at)[3] == FL_ALPHA_DEFAULT
    _check(at)
    ui.set_live(at, FL_ALPHA, 0.6)
    assert float(at.query_params[FL_ALPHA]) == 0.6
    at.selectbox(key=FL_TRUE).select_index(1).run()
    assert not at.exception
    assert _state(at)[3] == 0.6
    assert _state(at)[1] == 1
    _check(at)


def test_true_class_with_probability_zero():
    at = ui.with_q_zero("focal_loss", 0)
    _check(at)
    assert any("∞" in i.value for i in at.info)


def test_every_gamma_of_the_control_equals_ce_core():
    at = ui.run_page(
        "focal_loss", query_params={"predict": "false", "unit": "nats", FL_ALPHA_ON: "true", FL_ALPHA: "0.5"}
    )
    q, y, _g, alpha, unit = _state(at)
    assert (alpha, unit) == (0.5, "nats")
    data = ui.live_data(at, FL_GAMMA)
    assert data["values"] == pytest.approx([i / 10 for i in range(51)], abs=1e-12)
    rows = ui.live_layer(at, FL_GAMMA, "focal loss (α = 0.5)")["y"].reshape(51, -1)
    point = ui.live_layer(at, FL_GAMMA, "your example")["y"]
    factor = next(r["text"] for r in data["readouts"] if r["name"] == "factor")
    against = ui.live_layer(at, FL_GAMMA, "at your γ", chart="fl_gamma_curve")
    curves = ui.live_layer(at, FL_GAMMA, "your γ", chart="fl_factor")["y"].reshape(51, -1)
    for i, gamma in enumerate(data["values"]):
        np.testing.assert_allclose(rows[i], focal_loss(FOCAL_GRID, gamma, 0.5), rtol=ui.F32_RTOL, atol=1e-30)
        assert point[i] == pytest.approx(focal_loss(float(q[y]), gamma, 0.5))
        assert factor[i] == f"{focal_modulation(float(q[y]), gamma):.4g}"
        assert (against["x"][i], against["y"][i]) == (
            gamma,
            pytest.approx(focal_loss(float(q[y]), gamma, 0.5)),
        )
        np.testing.assert_allclose(
            curves[i], focal_modulation(np.linspace(0.0, 1.0, 101), gamma), rtol=ui.F32_RTOL, atol=1e-15
        )


def test_a_bad_gamma_in_a_link_warns_and_keeps_the_default():
    ui.assert_bad_link_keeps_default("focal_loss", FL_GAMMA, "2.05", FL_GAMMA_DEFAULT)


def test_predict_first_asks_what_a_larger_gamma_does():
    at = ui.run_page("focal_loss")
    assert not any(m.label.startswith("Focal loss") for m in at.metric)
    assert ui.live_data(at, FL_GAMMA)["chart"] is None  # the control only: the curves would answer
    assert ui.live_data(at, FL_GAMMA)["more_charts"] == []
    radio = next(r for r in at.radio if r.key.startswith("predict_fl_raise_gamma"))
    radio.set_value(0).run()  # "goes down"
    at.button(key="predict_fl_raise_gamma_lock").click().run()
    assert any(m.label.startswith("Focal loss") for m in at.metric)
    assert at.session_state["_prediction_log"][-1]["right"] is True  # 0 < q_t < 1 in the default workspace


def test_the_gamma_answer_stays_revealed_for_five_steps_and_follows_gamma():
    at = ui.run_page("focal_loss")
    next(r for r in at.radio if r.key.startswith("predict_fl_raise_gamma")).set_value(
        1
    ).run()  # "goes up": wrong
    at.button(key="predict_fl_raise_gamma_lock").click().run()
    g0 = at.session_state[FL_GAMMA]
    for step in range(1, 6):
        g = round(g0 + 0.1 * step, 1)
        ui.set_live(at, FL_GAMMA, g)
        assert not [r for r in at.radio if r.key.startswith("predict_fl_raise_gamma")], "asked again"
        _check(at)
        verdict = at.warning[0].value
        assert f"γ = {g0:g}" in verdict
        assert "(not right)" in verdict
        assert f"γ = {g:g}" in verdict


def test_moving_alpha_settles_the_gamma_panel_and_moving_gamma_the_alpha_chart():
    at = ui.run_page("focal_loss", query_params={"predict": "false", FL_ALPHA_ON: "true"})
    for alpha, gamma in ((0.0, 2.0), (0.93, 2.0), (0.93, 0.4), (1.0, 5.0)):
        ui.set_live(at, FL_ALPHA, alpha)
        ui.set_live(at, FL_GAMMA, gamma)
        assert _state(at)[2:4] == (gamma, alpha)
        _check(at)


def test_every_alpha_of_the_control_equals_ce_core():
    """Each α row: torchvision's sigmoid_focal_loss of a positive and of a negative at every q."""
    at = ui.run_page(
        "focal_loss", query_params={"predict": "false", "unit": "nats", FL_ALPHA_ON: "true", FL_GAMMA: "1.5"}
    )
    q, y, g, _alpha, _unit = _state(at)
    assert g == 1.5
    data = ui.live_data(at, FL_ALPHA)
    assert data["values"] == pytest.approx([i / 100 for i in range(101)], abs=1e-12)
    n = len(data["values"])
    pos = ui.live_layer(at, FL_ALPHA, "a positive (y = 1), weight α")["y"].reshape(n, -1)
    neg = ui.live_layer(at, FL_ALPHA, "a negative (y = 0), weight 1 − α")["y"].reshape(n, -1)
    point = ui.live_layer(at, FL_ALPHA, "your example")["y"]
    texts = {r["name"]: r["text"] for r in data["readouts"]}
    z = np.log(FOCAL_BINARY_GRID) - np.log1p(-FOCAL_BINARY_GRID)  # logits with sigmoid(z) = q
    for i, alpha in enumerate(data["values"]):
        np.testing.assert_allclose(
            pos[i], sigmoid_focal_loss(z, np.ones_like(z), alpha=alpha, gamma=g), rtol=ui.F32_RTOL + 1e-9
        )
        np.testing.assert_allclose(
            neg[i],
            sigmoid_focal_loss(z, np.zeros_like(z), alpha=alpha, gamma=g),
            rtol=ui.F32_RTOL + 1e-9,
            atol=1e-15,
        )
        assert point[i] == pytest.approx(focal_loss(float(q[y]), g, alpha))
        assert texts["alpha_neg"][i] == f"{1 - alpha:.2f}"
    unweighted = ui.live_layer(at, FL_ALPHA, "without α (α_t = 1)")["y"]
    np.testing.assert_allclose(
        unweighted, sigmoid_focal_loss(z, np.ones_like(z), alpha=-1, gamma=g), rtol=1e-9
    )


def test_an_old_alpha_link_opens_the_alpha_control():
    at = ui.run_page("focal_loss", query_params={"predict": "false", FL_ALPHA_ON: "true", FL_ALPHA: "0.6"})
    assert _state(at)[3] == 0.6
    assert not at.warning
    _check(at)


def test_a_link_alpha_is_kept_while_alpha_is_off():
    at = ui.run_page("focal_loss", query_params={"predict": "false", FL_ALPHA: "0.4"})
    assert _state(at)[3] is None
    assert not at.warning
    at.toggle(key=FL_ALPHA_ON).set_value(True).run()
    assert _state(at)[3] == 0.4
    _check(at)


@pytest.mark.parametrize("bad", ["0.605", "1.5", "x"])
def test_a_bad_alpha_in_a_link_warns_and_keeps_the_default(bad):
    at = ui.assert_bad_link_keeps_default(
        "focal_loss", FL_ALPHA, bad, FL_ALPHA_DEFAULT, **{FL_ALPHA_ON: "true"}
    )
    _check(at)


def test_the_csv_export_holds_every_chart_of_the_gamma_control_at_its_value():
    import csv
    import io

    from lab.ui import charts_csv

    at = ui.set_live(ui.run_page("focal_loss", query_params={"predict": "false"}), FL_GAMMA, 3.0)
    q_t = float(ui.workspace(at)[2][at.selectbox(key=FL_TRUE).value])
    rows = list(csv.DictReader(io.StringIO(charts_csv(at.session_state["_charts"]))))
    assert {FL_GAMMA, "fl_gamma_curve", "fl_factor"} <= {r["chart"] for r in rows}
    marked = [r for r in rows if r["chart"] == "fl_gamma_curve" and r["trace"] == "at your γ"]
    assert [float(r["x"]) for r in marked] == [3.0]
    assert float(marked[0]["y"]) == pytest.approx(focal_loss(q_t, 3.0, None, base=2.0), rel=1e-12)
    yours = [r for r in rows if r["chart"] == "fl_factor" and r["trace"] == "your γ"]
    assert len(yours) == 101
    for r in yours[::10]:  # sent as float32: the export gives its short decimals
        assert float(r["y"]) == pytest.approx(focal_modulation(float(r["x"]), 3.0), rel=1.2e-7, abs=1e-30)
