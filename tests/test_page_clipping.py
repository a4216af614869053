"""AppTest of the clipping lab: q and epsilon drive the table and both charts.

q is a live control (lab.components.live_chart): driven through session state; its loss chart and
readouts are read from the data it was mounted with (every q of the grid).
"""

import math

import numpy as np
import pytest

from ce_core.information import UNITS
from ce_core.losses import clipped_log_loss, clipped_log_loss_gradient
from ce_core.variants import CLIP_GRID, PROBABILITY_STEPS, clip_policies
from lab.lesson_keys import CL_EPSILON, CL_EPSILON_DEFAULT, CL_PROB, CL_PROB_DEFAULT
from tests.apptest_utils import chart_specs, decode, live_data, live_layer, live_readouts, run_page, set_live

GRADIENT = 0
LABELS = ("exact −log q", "PyTorch BCELoss", "scikit-learn, float64", "scikit-learn, float32")


def _settings(epsilon):
    return [("exact", {}), ("pytorch", {}), ("sklearn", {}), ("sklearn", {"dtype": np.float32}),
            ("epsilon", {"epsilon": epsilon})]


def _fmt(value: float, unit: str) -> str:
    return f"∞ {unit}" if math.isinf(value) else f"{value:.4f} {unit}"


def _state(at):
    return at.session_state[CL_PROB], at.slider(key=CL_EPSILON).value, at.segmented_control(key="unit").value


def _check(at) -> None:
    q, log_eps, unit = _state(at)
    eps = 10.0 ** log_eps
    ln_base = math.log(UNITS[unit])
    table = at.dataframe[0].value
    label = "0" if q == 0 else f"{q:g}"
    losses = list(table[f"loss at q = {label}"])
    caps = list(table["largest value it can report"])
    for i, (policy, kwargs) in enumerate(_settings(eps)):
        assert losses[i] == _fmt(clipped_log_loss(q, policy, **kwargs) / ln_base, unit)
        assert caps[i] == _fmt(clipped_log_loss(0.0, policy, **kwargs) / ln_base, unit)
    gradient = list(table[next(c for c in table.columns if c.startswith("gradient"))])
    g_exact = clipped_log_loss_gradient(q, "exact") / ln_base
    assert gradient[0] == ("−∞" if math.isinf(g_exact) else f"{g_exact:.4g}")
    g_mine = clipped_log_loss_gradient(q, "epsilon", epsilon=eps) / ln_base
    assert gradient[4] == ("0 (silenced)" if g_mine == 0 else f"{g_mine:.4g}")
    grad_spec = chart_specs(at)[GRADIENT]
    data = live_data(at, CL_PROB)
    g = data["index"]
    assert data["values"] == list(PROBABILITY_STEPS)
    assert data["values"][g] == q
    labels = [*LABELS, clip_policies(eps)[4].label]
    shown = live_readouts(at, CL_PROB)
    for i, (policy, kwargs) in enumerate(_settings(eps)):
        curve = live_layer(at, CL_PROB, labels[i])
        np.testing.assert_allclose(curve["y"], clipped_log_loss(CLIP_GRID, policy, **kwargs) / ln_base, rtol=1e-12)
        want = clipped_log_loss(q, policy, **kwargs) / ln_base
        assert shown[labels[i]] == _fmt(want, unit)
        marker = live_layer(at, CL_PROB, f"at q: {labels[i]}")
        assert marker["y"][g] == (pytest.approx(want) if math.isfinite(want) else want)
        assert (marker["x"][g] == q) if q > 0 else math.isnan(marker["x"][g])  # q = 0 is not on a log axis
    mine = np.abs(clipped_log_loss_gradient(CLIP_GRID, "epsilon", epsilon=eps)) / ln_base
    drawn = np.array([np.nan if v is None else v for v in decode(grad_spec["data"][4]["y"]).tolist()], dtype=float)
    np.testing.assert_allclose(drawn, np.where(mine > 0, mine, np.nan), rtol=1e-12)


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
    assert losses[1] == _fmt(100 / math.log(2), "bits")  # PyTorch's 100 nats


def test_choosing_epsilon():
    at = run_page("clipping", query_params={"unit": "nats"})
    at.slider(key=CL_EPSILON).set_value(-3.0).run()
    set_live(at, CL_PROB, 1e-5)
    assert _state(at) == (1e-5, -3.0, "nats")
    _check(at)
    assert list(at.dataframe[0].value["loss at q = 1e-05"])[4] == _fmt(-math.log(1e-3), "nats")


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
    assert f"`{CL_PROB}`" in " ".join(w.value for w in at.warning)


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
