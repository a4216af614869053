"""ce_core.temperature and ce_core.overflow: the maths behind the softmax lesson."""

import math
import sys

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from ce_core.information import UNITS
from ce_core.live import parameter_grid
from ce_core.losses import cross_entropy_gradient, softmax_cross_entropy
from ce_core.overflow import EXP_OVERFLOW, overflow_shift, softmax_overflow
from ce_core.softmax import naive_softmax, softmax
from ce_core.temperature import (
    losses_over_temperatures,
    scale_logits,
    softmax_over_temperatures,
    temperature_grid,
    tempered_gradient,
    tempered_loss,
)

logit_vectors = st.lists(st.floats(-10, 10), min_size=2, max_size=10)
temperatures = st.floats(0.1, 5.0)
bases = st.sampled_from(sorted(UNITS.values()))


@given(logit_vectors, temperatures, bases, st.data())
def test_tempered_loss_is_the_surprisal_of_the_true_class(z, t, base, data):
    y = data.draw(st.integers(0, len(z) - 1))
    expected = -math.log(softmax(z, t)[y]) / math.log(base)
    assert tempered_loss(z, y, t, base) == pytest.approx(expected, rel=1e-9, abs=1e-12)


def test_tempered_loss_at_t1_is_pytorch_cross_entropy():
    z = [2.0, 1.0, 0.1]
    assert tempered_loss(z, 0) == pytest.approx(softmax_cross_entropy([z], [0]))
    assert tempered_loss(z, 0) == pytest.approx(0.4170300163, abs=1e-10)  # REFERENCE.md, sample 1


@given(logit_vectors, temperatures, bases, st.data())
def test_gradient_sums_to_zero(z, t, base, data):
    y = data.draw(st.integers(0, len(z) - 1))
    assert float(np.sum(tempered_gradient(z, y, t, base))) == pytest.approx(0.0, abs=1e-12)


@given(st.lists(st.floats(-4, 4), min_size=2, max_size=6), st.floats(0.3, 5.0), bases, st.data())
def test_gradient_is_the_derivative_of_the_loss(z, t, base, data):
    y = data.draw(st.integers(0, len(z) - 1))
    h = 1e-6
    grad = tempered_gradient(z, y, t, base)
    for i in range(len(z)):
        up, down = list(z), list(z)
        up[i] += h
        down[i] -= h
        numeric = (tempered_loss(up, y, t, base) - tempered_loss(down, y, t, base)) / (2 * h)
        assert grad[i] == pytest.approx(numeric, abs=1e-6)


def test_gradient_in_nats_at_t1_is_softmax_minus_one_hot():
    z = [2.0, 1.0, 0.1]
    np.testing.assert_allclose(tempered_gradient(z, 1), cross_entropy_gradient(z, 1))
    np.testing.assert_allclose(tempered_gradient(z, 1), softmax(z) - np.eye(3)[1])


def test_softmax_over_temperatures_rows():
    z = [2.0, -1.0, 0.5, 3.0]
    temps = temperature_grid(0.1, 5.0, 0.1)
    rows = softmax_over_temperatures(z, temps)
    assert rows.shape == (50, 4)
    for t, row in zip(temps, rows, strict=True):
        np.testing.assert_allclose(row, softmax(z, t))


def test_temperature_batches_equal_softmax_at_every_position():
    """The tables behind the live temperature control (pages/softmax_logits.py), on its grid."""
    logits = (2.0, 1.0, 0.1, -0.5)
    grid = parameter_grid(0.1, 5.0, 0.1)
    probs = softmax_over_temperatures(logits, grid)
    losses = losses_over_temperatures(logits, 1, grid, 2.0)
    assert probs.shape == (50, 4)
    for row, loss, t in zip(probs, losses, grid, strict=True):
        np.testing.assert_allclose(row, softmax(logits, float(t)), rtol=1e-12)
        assert loss == pytest.approx(tempered_loss(logits, 1, float(t), 2.0), rel=1e-12)
    assert probs[0].argmax() == int(np.argmax(logits))
    assert probs[0].max() > 0.99
    assert probs[-1].max() - probs[-1].min() < probs[0].max() - probs[0].min()


@given(logit_vectors, bases, st.data())
def test_losses_over_temperatures_match_tempered_loss(z, base, data):
    y = data.draw(st.integers(0, len(z) - 1))
    temps = [0.1, 0.7, 1.0, 3.3, 5.0]
    np.testing.assert_allclose(
        losses_over_temperatures(z, y, temps, base),
        [tempered_loss(z, y, t, base) for t in temps],
        rtol=1e-12,
        atol=1e-12,
    )


def test_temperature_grid_hits_the_slider_steps():
    grid = temperature_grid(0.1, 5.0, 0.1)
    assert len(grid) == 50
    assert grid[0] == 0.1
    assert grid[-1] == 5.0
    assert 1.0 in grid.tolist()


def test_temperature_limits():
    """Very low T puts everything on the largest logit, very high T gives the uniform distribution."""
    z = [2.0, 1.0, 0.1]
    cold, hot = softmax_over_temperatures(z, [0.01, 1e6])
    np.testing.assert_allclose(cold, [1.0, 0.0, 0.0], atol=1e-12)
    np.testing.assert_allclose(hot, [1 / 3] * 3, atol=1e-6)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: scale_logits([1.0, 2.0], 0.0), r"temperature must be finite and positive \(got 0.0\)"),
        (lambda: scale_logits([1e308, 0.0], 1e-10), "temperature is too small"),
        (lambda: tempered_loss([1.0, 2.0], 2), r"target must be one class index in 0..1 \(got 2\)"),
        (lambda: tempered_gradient([[1.0, 2.0]], 0), "logits must be one sample"),
        (lambda: temperature_grid(2.0, 1.0), "high must be at least low"),
        (
            lambda: softmax_over_temperatures([1.0, 2.0], [1.0, 0.0]),
            r"temperatures must be finite and positive \(got 0.0\)",
        ),
        (lambda: losses_over_temperatures([1.0, 2.0], 5, [1.0]), "target must be one class index"),
        (lambda: softmax_overflow([1.0, 2.0], shift=math.inf), "shift must be finite"),
    ],
)
def test_errors_name_the_argument(call, message):
    with pytest.raises(ValueError, match=message):
        call()


# --------------------------------------------------------------------------- overflow


def test_exp_overflow_threshold():
    assert pytest.approx(math.log(sys.float_info.max)) == EXP_OVERFLOW


@given(logit_vectors, st.floats(-1000, 1000), temperatures)
def test_stable_softmax_ignores_the_shift(z, shift, t):
    report = softmax_overflow(z, shift, t)
    np.testing.assert_allclose(report.stable, softmax(z, t), atol=1e-9)
    assert report.change_from_shift < 1e-9
    assert np.all(report.shifted <= 0)
    assert report.stable_exp.max() == 1.0


def test_large_shift_breaks_the_textbook_formula():
    report = softmax_overflow([2.0, 1.0, 0.1], shift=1000.0)
    assert report.status == ("overflow",) * 3
    assert np.isnan(report.naive).all()
    assert np.isinf(report.naive_exp).all()
    np.testing.assert_allclose(report.stable, softmax([2.0, 1.0, 0.1]))


def test_large_negative_shift_underflows():
    report = softmax_overflow([2.0, 1.0, 0.1], shift=-1000.0)
    assert report.status == ("underflow",) * 3
    assert report.naive_sum == 0.0
    assert np.isnan(report.naive).all()


def test_one_overflowing_logit_zeroes_the_others():
    report = softmax_overflow([0.0, 800.0])
    assert report.status == ("finite_over_inf", "overflow")
    assert report.naive[0] == 0.0
    assert np.isnan(report.naive[1])
    np.testing.assert_allclose(report.stable, [0.0, 1.0])


@pytest.mark.parametrize(("top", "status"), [(709.0, "ok"), (710.0, "overflow")])
def test_status_at_the_threshold(top, status):
    report = softmax_overflow([top, top - 1.0])
    assert report.status[0] == status


def test_small_logits_agree_with_naive_softmax():
    report = softmax_overflow([2.0, 1.0, 0.1], shift=100.0, temperature=0.5)
    assert report.status == ("ok",) * 3
    np.testing.assert_allclose(report.naive, naive_softmax([102.0, 101.0, 100.1], 0.5))
    np.testing.assert_allclose(report.naive, report.stable)


@given(logit_vectors, temperatures)
@example(z=[0.0, 0.0], t=2.0)  # found by Hypothesis: equal logits overflow the sum before any exp
def test_overflow_shift_is_the_threshold(z, t):
    c = overflow_shift(z, t)
    assert softmax_overflow(z, c - 1.0, t).status == ("ok",) * len(z)
    assert "ok" not in softmax_overflow(z, c + 1.0, t).status
