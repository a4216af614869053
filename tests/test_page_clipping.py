"""AppTest of the clipping lab: q and epsilon drive the table and both charts.

q and ε are live controls (lab.components.live_chart): driven through session state; their charts
and readouts are read from the data they were mounted with (every q, every ε of the grid). ε's
value, in the session and in a link, is log10 ε.
"""

import math

import numpy as np
import pytest

from ce_core.information import UNITS
from ce_core.losses import clipped_log_loss, clipped_log_loss_gradient
from ce_core.variants import CLIP_GRID, PROBABILITY_STEPS, clip_policies
from lab.lesson_keys import CL_EPSILON, CL_EPSILON_DEFAULT, CL_PROB, CL_PROB_DEFAULT
from tests.apptest_utils import (
    SHORT_UNITS,
    assert_link_reported,
    live_chart,
    live_data,
    live_layer,
    live_readouts,
    run_page,
    set_live,
    shown,
)

LABELS = ("exact −log q", "PyTorch BCELoss", "scikit-learn, float64", "scikit-learn, float32")


def _settings(epsilon):
    return [
        ("exact", {}),
        ("pytorch", {}),
        ("sklearn", {}),
        ("sklearn", {"dtype": np.float32}),
        ("epsilon", {"epsilon": epsilon}),
    ]


def _state(at):
    return at.session_state[CL_PROB], at.session_state[CL_EPSILON], at.segmented_control(key="unit").value


def _eps_label(log_eps: float) -> str:
    return f"1e{int(log_eps)}" if float(log_eps).is_integer() else f"10^{log_eps:g}"


def _gradient_text(g: float) -> str:
    if math.isinf(g):
        return "−∞" if g < 0 else "∞"
    return "0 (silenced)" if g == 0 else f"{g:.4g}"


def _check(at) -> None:
    q, log_eps, unit = _state(at)
    eps = 10.0**log_eps
    ln_base = math.log(UNITS[unit])
    table = at.dataframe[0].value
    label = "0" if q == 0 else f"{q:g}"
    losses = list(table[f"loss at q = {label}"])
    caps = list(table["largest value it can report"])
    for i, (policy, kwargs) in enumerate(_settings(eps)):
        assert losses[i] == shown(clipped_log_loss(q, policy, **kwargs) / ln_base, unit)
        assert caps[i] == shown(clipped_log_loss(0.0, policy, **kwargs) / ln_base, unit)
    gradient = list(table[next(c for c in table.columns if c.startswith("gradient"))])
    g_exact = clipped_log_loss_gradient(q, "exact") / ln_base
    assert gradient[0] == ("−∞" if math.isinf(g_exact) else f"{g_exact:.4g}")
    g_mine = clipped_log_loss_gradient(q, "epsilon", epsilon=eps) / ln_base
    assert gradient[4] == ("0 (silenced)" if g_mine == 0 else f"{g_mine:.4g}")
    data = live_data(at, CL_PROB)
    g = data["index"]
    assert data["values"] == list(PROBABILITY_STEPS)
    assert data["values"][g] == q
    labels = [*LABELS, clip_policies(eps)[4].label]
    on_page = live_readouts(at, CL_PROB)
    for i, (policy, kwargs) in enumerate(_settings(eps)):
        curve = live_layer(at, CL_PROB, labels[i])
        np.testing.assert_allclose(
            curve["y"], clipped_log_loss(CLIP_GRID, policy, **kwargs) / ln_base, rtol=1e-12
        )
        want = clipped_log_loss(q, policy, **kwargs) / ln_base
        assert on_page[labels[i]] == shown(want, unit)
        marker = live_layer(at, CL_PROB, f"at q: {labels[i]}")
        assert marker["y"][g] == (pytest.approx(want) if math.isfinite(want) else want)
        assert (marker["x"][g] == q) if q > 0 else math.isnan(marker["x"][g])  # q = 0 is not on a log axis
    # the gradient chart under the q control: |∂loss/∂q| per policy (log-log; a silenced gradient leaves a gap)
    grad_spec = live_chart(at, CL_PROB, "cl_grad")
    assert grad_spec["x_log"]
    assert grad_spec["y_log"]
    for i, (policy, kwargs) in enumerate(_settings(eps)):
        size = np.abs(clipped_log_loss_gradient(CLIP_GRID, policy, **kwargs)) / ln_base
        drawn = live_layer(at, CL_PROB, labels[i], chart="cl_grad")["y"]
        np.testing.assert_allclose(drawn, np.where(size > 0, size, np.nan), rtol=1e-12)
        at_q = abs(clipped_log_loss_gradient(q, policy, **kwargs)) / ln_base
        marker = live_layer(at, CL_PROB, f"gradient at q: {labels[i]}", chart="cl_grad")
        if q > 0 and at_q > 0:
            assert (marker["x"][g], marker["y"][g]) == (q, pytest.approx(at_q, rel=1e-12))
        else:  # q = 0 is not on a log axis, a gradient of 0 not on a log y axis
            assert math.isnan(marker["x"][g]) or math.isnan(marker["y"][g])
    caption = grad_spec["caption"][g]
    assert "log-log" in caption
    assert f"At q = {label}: exact {_gradient_text(g_exact)}, your ε {_gradient_text(g_mine)}." in caption
    _check_epsilon(at, q, log_eps, unit)


def _check_epsilon(at, q: float, log_eps: float, unit: str) -> None:
    """The ε control at its current position: the clip along q, its cap and the values at q."""
    eps = 10.0**log_eps
    ln_base = math.log(UNITS[unit])
    data = live_data(at, CL_EPSILON)
    i = data["index"]
    assert data["values"][i] == log_eps
    assert data["value_text"][i] == _eps_label(log_eps)
    label = "0" if q == 0 else f"{q:g}"
    on_page = live_readouts(at, CL_EPSILON)
    assert on_page["Cap −log ε"] == shown(clipped_log_loss(0.0, "epsilon", epsilon=eps) / ln_base, unit)
    assert on_page[f"Loss at q = {label}"] == shown(
        clipped_log_loss(q, "epsilon", epsilon=eps) / ln_base, unit
    )
    assert on_page[f"Gradient ∂loss/∂q at q = {label} ({SHORT_UNITS[unit]}/unit)"] == _gradient_text(
        clipped_log_loss_gradient(q, "epsilon", epsilon=eps) / ln_base
    )
    n = len(data["values"])
    curve = live_layer(at, CL_EPSILON, "−log clip(q, ε, 1 − ε)")
    np.testing.assert_allclose(
        curve["y"].reshape(n, -1)[i],
        clipped_log_loss(curve["x"], "epsilon", epsilon=eps) / ln_base,
        rtol=1e-12,
    )
    assert eps in curve["x"]  # the corner of the curve is drawn exactly
    exact = live_layer(at, CL_EPSILON, "exact −log q")
    np.testing.assert_allclose(exact["y"], clipped_log_loss(exact["x"], "exact") / ln_base, rtol=1e-12)
    assert live_layer(at, CL_EPSILON, "its cap −log ε")["y"][i] == pytest.approx(
        -math.log(eps) / ln_base, rel=1e-12
    )
    point = live_layer(at, CL_EPSILON, "at your q")
    assert (point["x"][i] == q) if q > 0 else math.isnan(point["x"][i])
    assert point["y"][i] == pytest.approx(clipped_log_loss(q, "epsilon", epsilon=eps) / ln_base, rel=1e-12)
    assert f"ε = {_eps_label(log_eps)}," in data["chart"]["caption"][i]


def test_defaults():
    at = run_page("clipping")
    assert _state(at) == (CL_PROB_DEFAULT, CL_EPSILON_DEFAULT, "bits")
    _check(at)


def test_the_lab_opens_where_the_five_policies_report_different_losses():
    at = run_page("clipping")
    table = at.dataframe[0].value
    column = next(c for c in table.columns if c.startswith("loss at q"))
    losses = list(table[column])
    assert len(losses) == 5
    assert len(set(losses)) == 5, losses


def test_dragging_q_toward_zero():
    at = run_page("clipping")
    for q in (1e-10, 1e-20, 1e-50, 0.0):
        set_live(at, CL_PROB, q)
        assert _state(at)[0] == q
        _check(at)
    assert any("∞" in i.value for i in at.info)
    losses = list(at.dataframe[0].value["loss at q = 0"])
    assert losses[0] == "∞ bits"
    assert losses[1] == shown(100 / math.log(2), "bits")  # PyTorch's 100 nats


def test_choosing_epsilon():
    at = run_page("clipping", query_params={"unit": "nats"})
    set_live(at, CL_EPSILON, -3.0)
    assert float(at.query_params[CL_EPSILON]) == -3.0
    set_live(at, CL_PROB, 1e-5)
    assert _state(at) == (1e-5, -3.0, "nats")
    _check(at)
    assert list(at.dataframe[0].value["loss at q = 1e-05"])[4] == shown(-math.log(1e-3), "nats")


def test_a_link_to_a_tiny_probability_opens_there_not_at_zero():
    """A link's q is matched to the grid relatively: 1e-20 stays apart from 0 (and from 1e-50)."""
    at = run_page("clipping", query_params={CL_PROB: "1e-20"})
    assert _state(at)[0] == 1e-20
    assert not at.warning
    assert "loss at q = 1e-20" in at.dataframe[0].value.columns
    _check(at)


@pytest.mark.parametrize("bad", ["3e-50", "-1", "x"])
def test_a_bad_q_in_a_link_warns_and_keeps_the_default(bad):
    at = run_page("clipping", query_params={CL_PROB: bad})
    assert at.session_state[CL_PROB] == CL_PROB_DEFAULT
    assert_link_reported(at, CL_PROB)


def test_a_tiny_q_in_a_link_is_read():
    at = run_page("clipping", query_params={CL_PROB: "1e-50"})
    assert at.session_state[CL_PROB] == 1e-50
    assert not at.warning
    _check(at)


@pytest.mark.parametrize("q", [1e-20, 1e-50, 0.0, 0.01])
def test_the_address_bar_holds_a_tiny_q_apart_from_the_default(q):
    """A share link must reopen the same q: 1e-20 or 0 is not the default 1e-45."""
    assert q != CL_PROB_DEFAULT
    at = set_live(run_page("clipping"), CL_PROB, q)
    assert float(at.query_params[CL_PROB]) == q
    reopened = run_page("clipping", query_params={CL_PROB: at.query_params[CL_PROB]})
    assert reopened.session_state[CL_PROB] == q
    assert not reopened.warning


@pytest.mark.parametrize(
    ("q", "log_eps"),
    [(1e-45, -30.0), (1e-20, -7.5), (1e-7, -7.0), (2e-8, -7.5), (0.0, -1.0), (0.99, -1.0), (1.0, -12.5)],
)
def test_moving_epsilon_settles_the_table_and_both_charts(q, log_eps):
    at = set_live(run_page("clipping"), CL_PROB, q)
    set_live(at, CL_EPSILON, log_eps)
    assert _state(at)[:2] == (q, log_eps)
    _check(at)


def test_every_epsilon_of_the_control_equals_ce_core():
    at = set_live(run_page("clipping", query_params={"unit": "nats"}), CL_PROB, 2e-8)
    assert _state(at)[0] == 2e-8
    data = live_data(at, CL_EPSILON)
    assert data["values"] == pytest.approx([-30 + 0.5 * i for i in range(59)], abs=1e-12)
    n = len(data["values"])
    curve = live_layer(at, CL_EPSILON, "−log clip(q, ε, 1 − ε)")
    rows = curve["y"].reshape(n, -1)
    texts = {r["name"]: r["text"] for r in data["readouts"]}
    for i, log_eps in enumerate(data["values"]):
        eps = 10.0**log_eps
        np.testing.assert_allclose(rows[i], clipped_log_loss(curve["x"], "epsilon", epsilon=eps), rtol=1e-12)
        assert texts["cap"][i] == shown(clipped_log_loss(0.0, "epsilon", epsilon=eps), "nats")
        assert texts["loss"][i] == shown(clipped_log_loss(2e-8, "epsilon", epsilon=eps), "nats")
        assert texts["gradient"][i] == _gradient_text(clipped_log_loss_gradient(2e-8, "epsilon", epsilon=eps))
    assert texts["gradient"][data["values"].index(-7.5)] == "0 (silenced)"  # 10^-7.5 = 3.16e-8 > q = 2e-8
    assert texts["gradient"][data["values"].index(-8.0)] == f"{-1 / 2e-8:.4g}"


@pytest.mark.parametrize("raw", ["-7.5", "-12", "-30.0"])
def test_an_old_epsilon_link_is_read_as_log10_epsilon(raw):
    at = run_page("clipping", query_params={CL_EPSILON: raw})
    assert _state(at)[1] == float(raw)
    assert not at.warning
    _check(at)


@pytest.mark.parametrize("bad", ["-7.25", "-31", "0", "x"])
def test_a_bad_epsilon_in_a_link_warns_and_keeps_the_default(bad):
    at = run_page("clipping", query_params={CL_EPSILON: bad})
    assert at.session_state[CL_EPSILON] == CL_EPSILON_DEFAULT
    assert_link_reported(at, CL_EPSILON)
    _check(at)
