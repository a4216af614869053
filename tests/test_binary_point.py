"""ce_core.binary_point: one binary prediction's loss, slopes, MSE and MAE, in any unit."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ce_core.binary_point import (
    binary_logit_gradient,
    binary_loss_curves,
    binary_point,
    confident_mistakes,
    squared_error_logit_gradient,
    tangent_segment,
)
from ce_core.information import UNITS
from ce_core.losses import absolute_error, binary_cross_entropy, binary_cross_entropy_gradient, squared_error
from ce_core.softmax import sigmoid

inner = st.floats(0.01, 0.99)
labels = st.sampled_from([0, 1])
bases = st.sampled_from(sorted(UNITS.values()))


@given(labels, inner, bases)
def test_binary_point_matches_losses_in_the_unit(y, x, base):
    pt = binary_point(y, x, base)
    assert pt.loss == pytest.approx(binary_cross_entropy(y, x) / math.log(base), rel=1e-12)
    assert pt.slope == pytest.approx(binary_cross_entropy_gradient(y, x) / math.log(base), rel=1e-12)
    assert pt.squared == squared_error(y, x)
    assert pt.absolute == absolute_error(y, x)


def test_binary_point_base():
    """A fair guess costs exactly 1 bit, ln 2 nats; MSE and MAE do not depend on the unit."""
    bits, nats = binary_point(1, 0.5, 2), binary_point(1, 0.5, math.e)
    assert bits.loss == pytest.approx(1.0)
    assert nats.loss == pytest.approx(math.log(2))
    assert (bits.squared, bits.absolute) == (nats.squared, nats.absolute) == (0.25, 0.5)


@given(labels, st.floats(-6, 6))
def test_logit_gradient_is_the_derivative_through_the_sigmoid(y, z):
    """d/dz BCE(y, sigmoid(z)) = sigmoid(z) - y, checked by a central difference."""
    h = 1e-5
    numeric = (binary_cross_entropy(y, sigmoid(z + h)) - binary_cross_entropy(y, sigmoid(z - h))) / (2 * h)
    assert binary_logit_gradient(y, sigmoid(z)) == pytest.approx(numeric, abs=1e-6)


@given(labels, st.floats(-6, 6))
def test_squared_error_logit_gradient_is_the_derivative(y, z):
    h = 1e-5
    numeric = (squared_error(y, sigmoid(z + h)) - squared_error(y, sigmoid(z - h))) / (2 * h)
    assert squared_error_logit_gradient(y, sigmoid(z)) == pytest.approx(numeric, abs=1e-7)


@given(labels, st.floats(0.05, 0.95), bases)
def test_slope_is_the_derivative_along_x(y, x, base):
    h = 1e-6
    numeric = (binary_point(y, x + h, base).loss - binary_point(y, x - h, base).loss) / (2 * h)
    assert binary_point(y, x, base).slope == pytest.approx(numeric, rel=1e-5)


@pytest.mark.parametrize(("y", "x", "slope_sign"), [(1, 0.0, -1), (0, 1.0, 1)])
def test_confident_certainty_against_the_label_is_infinite(y, x, slope_sign):
    pt = binary_point(y, x, 2)
    assert pt.loss == math.inf
    assert pt.slope == slope_sign * math.inf
    assert math.isfinite(pt.logit_gradient)
    assert pt.logit_gradient == pytest.approx((x - y) / math.log(2))


def test_binary_loss_curves_match_ce_core():
    xs = np.linspace(0.01, 0.99, 50)
    curves = binary_loss_curves(0, xs, base=10)
    np.testing.assert_allclose(
        curves["cross_entropy"], binary_cross_entropy(np.zeros_like(xs), xs, reduction="none") / math.log(10)
    )
    np.testing.assert_array_equal(curves["squared"], squared_error(np.zeros_like(xs), xs))
    np.testing.assert_array_equal(curves["absolute"], absolute_error(np.zeros_like(xs), xs))


@given(st.floats(0.05, 0.95), st.floats(0, 5), st.floats(-50, 50))
def test_tangent_segment_touches_the_point_with_the_slope(x0, value, slope):
    xs, ys = tangent_segment(x0, value, slope, 0.1, y_lower=0.0, y_upper=8.0)
    assert xs[0] <= x0 <= xs[1]
    assert xs[0] >= 0.0
    assert xs[1] <= 1.0
    assert np.all(ys >= -1e-9)
    assert np.all(ys <= 8.0 + 1e-9)
    np.testing.assert_allclose(ys, value + slope * (xs - x0))


def test_tangent_segment_rejects_an_infinite_slope():
    with pytest.raises(ValueError, match="slope must be finite"):
        tangent_segment(0.0, 1.0, -math.inf)


def test_spam_example_from_the_seed():
    """90% sure of spam for a legitimate email versus 51%: -ln 0.1 / -ln 0.49, in any unit."""
    table = confident_mistakes([0.51, 0.9], y=0, reference=0.51, base=2)
    assert table["cross_entropy"][1] == pytest.approx(-math.log2(0.1))
    assert table["cross_entropy_ratio"][1] == pytest.approx(math.log(0.1) / math.log(0.49))
    assert table["cross_entropy_ratio"][0] == pytest.approx(1.0)
    assert table["squared_ratio"][1] == pytest.approx(0.81 / 0.51**2)
    assert table["absolute_ratio"][1] == pytest.approx(0.9 / 0.51)


def test_squared_error_gradient_vanishes_where_cross_entropy_pushes():
    table = confident_mistakes([0.999], y=0)
    assert table["squared_logit_gradient"][0] < 0.002 < 0.99 < table["cross_entropy_logit_gradient"][0]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: binary_point(0.5, 0.3), r"y must be a hard label, 0 or 1 \(got 0.5\)"),
        (lambda: binary_point(1, 1.2), r"y_hat must lie in \[0, 1\] \(got 1.2\)"),
        (lambda: binary_point(1, 0.3, base=1), "base must be a positive number other than 1"),
        (lambda: confident_mistakes([0.9], y=0, reference=0.0), "reference must differ from the label"),
        (lambda: tangent_segment(0.5, 9.0, 1.0, y_upper=8.0), "value must lie within"),
    ],
)
def test_errors_name_the_argument_and_value(call, message):
    with pytest.raises(ValueError, match=message):
        call()
