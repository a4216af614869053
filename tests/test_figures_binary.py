"""Binary cross-entropy figure: trace data equals ce_core, in the unit asked for."""

import math

import numpy as np
import pytest

from ce_core.figures.binary import (
    CURVE_GRID,
    make_binary_loss_figure,
    y_top,
)
from ce_core.losses import absolute_error, binary_cross_entropy, binary_cross_entropy_gradient, squared_error

UNITS = [(2.0, "bits"), (math.e, "nats"), (10.0, "hartleys")]


def _ce(y, x, base):
    return np.asarray(binary_cross_entropy(np.full(np.shape(x), float(y)), x, reduction="none")) / math.log(base)


def _slope(trace) -> float:
    x, y = np.asarray(trace.x, float), np.asarray(trace.y, float)
    return (y[1] - y[0]) / (x[1] - x[0])


@pytest.mark.parametrize(("base", "unit"), UNITS)
@pytest.mark.parametrize("label", [0, 1])
def test_loss_figure_curves_equal_ce_core(label, base, unit):
    fig = make_binary_loss_figure(label, 0.3, base, unit)
    names = [t.name for t in fig.data]
    assert names == ["cross-entropy, y = 1", "cross-entropy, y = 0", f"squared error (y = {label}, no unit)",
                     f"absolute error (y = {label}, no unit)", "tangent", "at q", "readout"]
    for index, curve_label in ((0, 1), (1, 0)):
        np.testing.assert_array_equal(fig.data[index].x, CURVE_GRID)
        np.testing.assert_allclose(fig.data[index].y, _ce(curve_label, CURVE_GRID, base), rtol=1e-12)
    np.testing.assert_allclose(fig.data[2].y, squared_error(np.full_like(CURVE_GRID, label), CURVE_GRID))
    np.testing.assert_allclose(fig.data[3].y, absolute_error(np.full_like(CURVE_GRID, label), CURVE_GRID))
    assert unit in fig.layout.yaxis.title.text


@pytest.mark.parametrize(("base", "unit"), UNITS)
@pytest.mark.parametrize(("label", "x"), [(1, 0.7), (0, 0.9), (0, 0.51), (1, 0.05)])
def test_point_and_tangent_equal_ce_core(label, x, base, unit):
    fig = make_binary_loss_figure(label, x, base, unit)
    point, tangent = fig.data[5], fig.data[4]
    expected = [float(_ce(label, x, base)), squared_error(label, x), absolute_error(label, x)]
    np.testing.assert_allclose(point.y, expected, rtol=1e-12)
    np.testing.assert_allclose(point.customdata, expected, rtol=1e-12)
    assert list(point.x) == [x, x, x]
    assert _slope(tangent) == pytest.approx(binary_cross_entropy_gradient(label, x) / math.log(base), rel=1e-9)
    # the tangent passes through the point
    xs, ys = np.asarray(tangent.x), np.asarray(tangent.y)
    assert np.interp(x, xs, ys) == pytest.approx(expected[0], rel=1e-9)


@pytest.mark.parametrize(("label", "x"), [(1, 0.0), (0, 1.0)])
def test_infinite_loss_is_marked_not_drawn(label, x):
    fig = make_binary_loss_figure(label, x, 2.0, "bits")
    point, tangent = fig.data[5], fig.data[4]
    assert point.customdata[0] == math.inf
    assert point.y[0] < y_top(2.0)
    assert point.text[0] == "∞ bits"
    assert point.marker.symbol[0] == "triangle-up"
    assert len(tangent.x) == 0
    assert "cross-entropy ∞ bits" in fig.data[6].text[0]
    assert "nan" not in fig.data[6].text[0].lower()


def test_label_must_be_binary():
    with pytest.raises(ValueError, match=r"y must be 0 or 1 \(got 2\)"):
        make_binary_loss_figure(2, 0.5, 2.0, "bits")


@pytest.mark.parametrize(("base", "unit"), UNITS)
def test_errors_without_unit_have_their_own_axis(base, unit):
    """MSE and MAE are not in bits or nats: they sit on the right-hand axis, which says 'no unit'."""
    fig = make_binary_loss_figure(1, 0.3, base, unit)
    by_name = {t.name: t for t in fig.data}
    for name in ("squared error (y = 1, no unit)", "absolute error (y = 1, no unit)"):
        assert by_name[name].yaxis == "y2"
    for name in ("cross-entropy, y = 1", "cross-entropy, y = 0"):
        assert by_name[name].yaxis in (None, "y")
    assert unit in fig.layout.yaxis.title.text
    assert "no unit" not in fig.layout.yaxis.title.text
    assert "no unit" in fig.layout.yaxis2.title.text
    assert unit not in fig.layout.yaxis2.title.text
    assert fig.layout.yaxis2.matches == "y"  # same numeric scale: the shared point markers stay true
