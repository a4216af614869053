"""AppTest of the softmax lesson: logits, true class, temperature, unit and k drive every number."""

import math

import numpy as np
import pytest

from ce_core.information import UNITS
from ce_core.overflow import overflow_shift, softmax_overflow
from ce_core.softmax import softmax
from ce_core.temperature import tempered_gradient, tempered_loss
from lab.lesson_keys import SM_LOGIT, SM_LOGIT_DEFAULTS, SM_TEMPERATURE, SM_TRUE
from tests.apptest_utils import (
    assert_link_reported,
    bar_data,
    bar_layer,
    bar_readouts,
    bar_sub,
    drag_bar,
    live_data,
    live_layer,
    live_readouts,
    run_page,
    set_live,
    set_workspace,
    workspace,
)

LOGITS = "sm_logits"


def _state(at):
    """(logits, true class index, temperature, unit, names) as the page holds them after the run."""
    names = list(workspace(at)[0])
    logits = [float(at.session_state[SM_LOGIT.format(i)]) for i in range(len(names))]
    data = bar_data(at, LOGITS)
    assert data["names"] == names
    assert data["keys"] == [SM_LOGIT.format(i) for i in range(len(names))]
    assert [data["values"][g] for g in data["current"]] == logits
    target = int(at.selectbox(key=SM_TRUE).value)
    return (
        logits,
        target,
        float(at.session_state[SM_TEMPERATURE]),
        at.segmented_control(key="unit").value,
        names,
    )


def _check_numbers(at) -> None:
    logits, target, t, unit, names = _state(at)
    base = UNITS[unit]
    loss = tempered_loss(logits, target, t, base)
    q = softmax(logits, t)
    grad = tempered_gradient(logits, target, t, base)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[f"Loss −log q({names[target]}) at T = {t:.1f}"] == f"{loss:.4f} {unit}"
    assert metrics[f"q({names[target]})"] == f"{q[target]:.4f}"
    assert metrics["Sum of the gradient"] == "0.0000"
    # the logit bars: the current row, and rows of dragged bars, follow ce_core's one-point functions
    rows = bar_layer(at, LOGITS, "softmax q = softmax(z / T)")
    sub = bar_sub(at, LOGITS)
    np.testing.assert_allclose(rows[-1], q, rtol=1e-12)
    np.testing.assert_allclose(sub[-1], grad, rtol=1e-12, atol=1e-15)
    np.testing.assert_array_equal(bar_layer(at, LOGITS, "one-hot target"), np.eye(len(logits))[target])
    assert bar_readouts(at, LOGITS) == {
        f"Loss −log q({names[target]})": f"{loss:.4f} {unit}",
        f"q({names[target]})": f"{q[target]:.4f}",
    }
    grid = bar_data(at, LOGITS)["values"]
    texts = bar_data(at, LOGITS)["readouts"][0]["text"]
    for b in range(len(logits)):
        for g in (0, 37, 100, 200):
            z = list(logits)
            z[b] = grid[g]
            r = b * len(grid) + g
            np.testing.assert_allclose(rows[r], softmax(z, t), rtol=1e-12)
            np.testing.assert_allclose(sub[r], tempered_gradient(z, target, t, base), rtol=1e-12, atol=1e-15)
            assert texts[r] == f"{tempered_loss(z, target, t, base):.4f} {unit}"
    gradient_caption = ", ".join(f"{n} {g:+.3f}" for n, g in zip(names, grad, strict=True))
    assert f"gradient per logit {gradient_caption} {unit}" in " ".join(c.value for c in at.caption)
    # the live temperature control: its position, readouts and bars at every T follow logits and true class
    data = live_data(at, SM_TEMPERATURE)
    g = data["index"]
    assert data["values"][g] == t
    assert live_readouts(at, SM_TEMPERATURE) == {
        f"Loss −log q({names[target]})": f"{loss:.4f} {unit}",
        f"q({names[target]})": f"{q[target]:.4f}",
    }
    rows = live_layer(at, SM_TEMPERATURE, "softmax q = softmax(z / T)")["y"].reshape(len(data["values"]), -1)
    for i in range(0, len(data["values"]), 7):
        np.testing.assert_allclose(rows[i], softmax(logits, data["values"][i]), rtol=1e-12)
    np.testing.assert_allclose(rows[g], q, rtol=1e-12)
    assert f"q({names[target]}) = {q[target]:.4f}" in data["chart"]["caption"][g]
    assert f"toward 1/K = 1/{len(logits)} per class" in data["chart"]["caption"][g]
    np.testing.assert_array_equal(
        live_layer(at, SM_TEMPERATURE, "one-hot target")["y"], np.eye(len(logits))[target]
    )


def test_defaults():
    at = run_page("softmax_logits")
    logits, target, t, unit, _ = _state(at)
    assert logits == list(SM_LOGIT_DEFAULTS[:3])
    assert (target, t, unit) == (0, 1.0, "bits")
    _check_numbers(at)


def test_moving_logits_temperature_and_true_class():
    at = run_page("softmax_logits")
    drag_bar(at, LOGITS, 1, 4.5)
    assert at.session_state[SM_LOGIT.format(1)] == 4.5
    _check_numbers(at)
    set_live(at, SM_TEMPERATURE, 0.4)
    _check_numbers(at)
    at.selectbox(key=SM_TRUE).set_value(2).run()
    assert not at.exception
    assert _state(at)[1] == 2
    _check_numbers(at)


@pytest.mark.parametrize("unit", ["nats", "hartleys"])
def test_workspace_unit(unit):
    at = run_page("softmax_logits")
    set_live(at, SM_TEMPERATURE, 2.0)
    at.segmented_control(key="unit").set_value(unit).run()
    assert not at.exception
    _check_numbers(at)
    assert unit in bar_data(at, LOGITS)["sub"]["label"]


def test_more_classes_add_logit_bars():
    at = run_page("softmax_logits")
    set_workspace(at, k=6)
    assert bar_data(at, LOGITS)["keys"] == [f"sm_z{i}" for i in range(6)]
    logits = _state(at)[0]
    assert logits == list(SM_LOGIT_DEFAULTS[:6])
    _check_numbers(at)


def test_fewer_classes_than_the_true_class():
    at = run_page("softmax_logits")
    set_workspace(at, k=5)
    at.selectbox(key=SM_TRUE).set_value(4).run()
    _check_numbers(at)
    set_workspace(at, k=2)
    assert _state(at)[1] == 0
    _check_numbers(at)


def test_gradient_in_nats_at_t1_is_softmax_minus_one_hot():
    at = run_page("softmax_logits")
    at.segmented_control(key="unit").set_value("nats").run()
    logits, target, *_ = _state(at)
    shown = bar_sub(at, LOGITS)[-1]
    np.testing.assert_allclose(shown, softmax(logits) - np.eye(len(logits))[target], atol=1e-15)


def _overflow_table(at):
    return at.dataframe[0].value


@pytest.mark.parametrize("shift", [0.0, 100.0, 1000.0, -1000.0, 720.0])
def test_overflow_table(shift):
    at = run_page("softmax_logits")
    at.slider(key="sm_shift").set_value(shift).run()
    assert not at.exception
    logits, _, t, _, names = _state(at)
    report = softmax_overflow(logits, shift, t)
    table = _overflow_table(at)
    assert list(table["class"]) == names
    assert list(table["stable: softmax"]) == [f"{v:.4f}" for v in report.stable]
    # the stable softmax is the one the lesson shows above, whatever the shift
    np.testing.assert_allclose(report.stable, softmax(logits, t), atol=1e-12)
    naive = list(table["textbook: softmax"])
    for text, value, status in zip(naive, report.naive, report.status, strict=True):
        if status == "overflow":
            assert text == "∞ / ∞ = NaN (undefined)"
        elif status == "underflow":
            assert text == "0 / 0 = NaN (undefined)"
        elif status == "finite_over_inf":
            assert text.startswith("finite / ∞ = 0")
        else:
            assert text == f"{value:.4f}"
    exps = list(table["textbook: exp"])
    for text, value, exponent in zip(exps, report.naive_exp, report.scaled, strict=True):
        if math.isinf(value):
            assert text == f"overflow: exp({exponent:.1f}) = ∞"
    # never a bare NaN
    assert not any(cell.strip().lower() == "nan" for cell in naive + exps)
    failed = any(s != "ok" for s in report.status)
    assert bool(at.error) == failed


def test_overflow_depends_on_temperature():
    """At T = 0.1 a shift of 100 already overflows: exp((z + 100) / 0.1) = exp(1020)."""
    at = run_page("softmax_logits")
    set_live(at, SM_TEMPERATURE, 0.1)
    at.slider(key="sm_shift").set_value(100.0).run()
    assert not at.exception
    assert at.error
    assert _overflow_table(at)["textbook: softmax"].iloc[0] == "∞ / ∞ = NaN (undefined)"


def test_url_restores_the_lesson():
    at = run_page(
        "softmax_logits", query_params={"sm_z0": "-1.5", "sm_t": "2.5", SM_TRUE: "dog", "unit": "nats"}
    )
    logits, target, t, unit, _ = _state(at)
    assert (logits[0], target, t, unit) == (-1.5, 1, 2.5, "nats")
    _check_numbers(at)


@pytest.mark.parametrize("temperature", [1.0, 5.0])
def test_overflow_hint_names_the_threshold(temperature):
    at = run_page("softmax_logits")
    set_live(at, SM_TEMPERATURE, temperature)
    assert not at.exception
    logits, _, t, _, _ = _state(at)
    needed = overflow_shift(logits, t)
    (message,) = [s.value for s in at.success]
    if needed < 1000:
        assert f"Raise c above {needed:.0f}" in message
        at.slider(key="sm_shift").set_value(float(10 * math.ceil((needed + 1) / 10))).run()
        assert at.error
    else:
        assert f"cannot reach the overflow (c > {needed:.0f})" in message


def test_presenter_mode_scales_the_charts_and_reaches_the_live_control():
    at = run_page("softmax_logits", query_params={"presenter": "true"})
    assert at.toggle(key="presenter").value is True
    assert live_data(at, SM_TEMPERATURE)["presenter"] is True
    assert bar_data(at, LOGITS)["presenter"] is True


@pytest.mark.parametrize("raw", ["10.5", "0.15", "abc"])
def test_a_bad_logit_in_a_link_warns_and_keeps_the_default(raw):
    at = run_page("softmax_logits", query_params={"sm_z1": raw, "sm_z0": "-3"})
    assert at.session_state["sm_z1"] == SM_LOGIT_DEFAULTS[1]
    assert at.session_state["sm_z0"] == -3.0
    assert_link_reported(at, "sm_z1", kept=("sm_z0",))
    _check_numbers(at)


def test_a_bad_temperature_in_a_link_warns_and_keeps_the_default():
    at = run_page("softmax_logits", query_params={SM_TEMPERATURE: "0"})
    assert at.session_state[SM_TEMPERATURE] == 1.0
    assert_link_reported(at, SM_TEMPERATURE)
