"""AppTest of the clipping lab: q and epsilon drive the table and both charts."""

import math

import numpy as np
import pytest

from ce_core.information import UNITS
from ce_core.losses import clipped_log_loss, clipped_log_loss_gradient
from ce_core.variants import CLIP_GRID
from lab.lesson_keys import CL_EPSILON, CL_EPSILON_DEFAULT, CL_PROB, CL_PROB_DEFAULT
from tests.apptest_utils import chart_specs, decode, run_page

LOSS, GRADIENT = 0, 1


def _settings(epsilon):
    return [("exact", {}), ("pytorch", {}), ("sklearn", {}), ("sklearn", {"dtype": np.float32}),
            ("epsilon", {"epsilon": epsilon})]


def _fmt(value: float, unit: str) -> str:
    return f"∞ {unit}" if math.isinf(value) else f"{value:.4f} {unit}"


def _state(at):
    return float(at.select_slider(key=CL_PROB).value), at.slider(key=CL_EPSILON).value, at.segmented_control(key="unit").value


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
    loss_spec, grad_spec = chart_specs(at)[LOSS], chart_specs(at)[GRADIENT]
    for i, (policy, kwargs) in enumerate(_settings(eps)):
        np.testing.assert_allclose(decode(loss_spec["data"][i]["y"]),
                                   clipped_log_loss(CLIP_GRID, policy, **kwargs) / ln_base, rtol=1e-12)
    mine = np.abs(clipped_log_loss_gradient(CLIP_GRID, "epsilon", epsilon=eps)) / ln_base
    drawn = np.array([np.nan if v is None else v for v in decode(grad_spec["data"][4]["y"]).tolist()], dtype=float)
    np.testing.assert_allclose(drawn, np.where(mine > 0, mine, np.nan), rtol=1e-12)
    if q > 0:
        markers = loss_spec["data"][5:]
        assert len(markers) == 5
        for marker, (policy, kwargs) in zip(markers, _settings(eps), strict=True):
            assert decode(marker["y"])[0] == pytest.approx(clipped_log_loss(q, policy, **kwargs) / ln_base)
    else:
        assert len(loss_spec["data"]) == 5


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
        at.select_slider(key=CL_PROB).set_value("0" if q == 0 else f"{q:g}").run()
        assert not at.exception
        assert _state(at)[0] == q
        _check(at)
    assert any("∞" in i.value for i in at.info)
    losses = list(at.dataframe[0].value["loss at q = 0"])
    assert losses[0] == "∞ bits"
    assert losses[1] == _fmt(100 / math.log(2), "bits")  # PyTorch's 100 nats


def test_choosing_epsilon():
    at = run_page("clipping", query_params={"unit": "nats"})
    at.slider(key=CL_EPSILON).set_value(-3.0).run()
    at.select_slider(key=CL_PROB).set_value("1e-05").run()
    assert not at.exception
    assert _state(at) == (1e-5, -3.0, "nats")
    _check(at)
    assert list(at.dataframe[0].value["loss at q = 1e-05"])[4] == _fmt(-math.log(1e-3), "nats")


def test_a_link_to_a_tiny_probability_opens_there_not_at_zero():
    """Streamlit matches floats to options within 5e-12; the labels as options keep 1e-20 apart from 0."""
    at = run_page("clipping", query_params={CL_PROB: "1e-20"})
    assert _state(at)[0] == 1e-20
    assert "loss at q = 1e-20" in at.dataframe[0].value.columns
