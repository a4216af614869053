"""lab.figures.calibration: figures and live specs of a model's predictions, checked through their data."""

from __future__ import annotations

import base64
import math

import numpy as np
import pytest

from ce_core.calibration import (
    LogLossDecomposition,
    classwise_reliability,
    reliability_bins,
    temperature_sweep,
)
from lab.figures import calibration as figs
from tests.apptest_utils import decode


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(7)
    z = rng.normal(size=(500, 3)) * 3
    y = np.where(rng.random(500) < 0.7, z.argmax(axis=1), rng.integers(0, 3, 500))
    p = np.exp(z - z.max(1, keepdims=True))
    return z, y, p / p.sum(1, keepdims=True)


def _trace(fig, name):
    return next(t for t in fig.data if t.name == name)


def test_reliability_diagram_draws_the_bins(data):
    _, y, p = data
    bins = reliability_bins(p, y)
    fig = figs.make_reliability_diagram(bins)
    acc = _trace(fig, "accuracy")
    expected = [None if math.isnan(v) else v for v in bins.accuracy]
    assert list(acc.y) == expected
    assert list(acc.text) == [f"{c:,}" if c else "" for c in bins.counts]
    centres = np.asarray(decode(acc.x), float)
    np.testing.assert_allclose(centres[:-1], (np.arange(15) + 0.5) / 15)
    assert centres[-1] == 1.0  # the bin [1, 1]
    conf = _trace(fig, "mean confidence")
    assert list(conf.y) == [None if math.isnan(v) else v for v in bins.confidence]
    assert list(_trace(fig, "perfect calibration").y) == [0, 1]


def test_reliability_diagram_of_equal_mass_and_classwise_bins(data):
    _, y, p = data
    bins = reliability_bins(p, y, binning="quantile")
    acc = _trace(figs.make_reliability_diagram(bins), "accuracy")
    widths = np.asarray(decode(acc.width), float)
    np.testing.assert_allclose(widths[:-1], 0.96 * (bins.upper - bins.lower)[:-1])
    cw = classwise_reliability(p, y, 2)
    fig = figs.make_reliability_diagram(cw, title="class 2")
    assert list(_trace(fig, "accuracy").y) == [None if math.isnan(v) else v for v in cw.accuracy]


def test_loss_histogram_counts_every_finite_loss():
    losses = np.array([0.1, 0.2, 2.0, np.inf, 0.05])
    fig = figs.make_loss_histogram(losses, unit="bits")
    bars = _trace(fig, "samples")
    assert int(np.sum(decode(bars.y))) == 4
    assert "1 infinite" in fig.layout.title.text


def test_decomposition_bar_terms():
    d = LogLossDecomposition(0.69, 0.4, 0.03, -0.01)
    fig = figs.make_decomposition_bar(d, unit="nats")
    assert fig.layout.barmode == "relative"
    stacked = [t for t in fig.data if t.y == ("mean CE",)]
    assert [t.name for t in stacked] == ["uncertainty − resolution", "reliability", "within-bin"]
    assert sum(t.x[0] for t in stacked) == pytest.approx(d.total, rel=1e-15)
    assert _trace(fig, "resolution").x == (0.4,)


def test_temperature_split_bar_adds_up():
    fig = figs.make_temperature_split_bar(0.5, 0.4, 1.7)
    assert fig.data[0].x[0] + fig.data[1].x[0] == pytest.approx(0.5)
    assert fig.data[1].name == "removed by T"


def test_temperature_grid_holds_one_and_the_fitted_t():
    grid = figs.temperature_grid(1.3159)
    assert 1.0 in grid
    assert 1.3159 in grid
    assert np.all(np.diff(grid) > 0)
    wide = figs.temperature_grid(20.0)
    assert wide[-1] == pytest.approx(40.0)
    assert figs.temperature_grid(None)[0] == pytest.approx(0.25)


def test_live_specs_carry_the_sweep(data):
    z, y, _ = data
    grid = figs.temperature_grid(1.5)
    sweep = temperature_sweep(z, y, grid)
    spec = figs.reliability_live_spec(sweep)
    layers = {layer["name"]: layer for layer in spec["layers"]}
    acc = np.frombuffer(base64.b64decode(layers["accuracy"]["y"]), "<f8").reshape(grid.size, -1)
    np.testing.assert_array_equal(acc, sweep.accuracy)
    assert layers["accuracy"]["rows"] == grid.size
    curve = figs.temperature_curve_spec(grid, sweep.mean_cross_entropy, 1.5, y_label="mean CE", name="mean CE",
                                        key="k")
    kinds = {layer["name"]: layer["kind"] for layer in curve["layers"]}
    assert kinds == {"mean CE": "line", "fitted T": "vline", "this T": "point"}
    assert curve["x_log"] is True
    none = figs.temperature_curve_spec(grid, sweep.calibration_error, None, y_label="ECE", name="ECE", key="e")
    vline = next(layer for layer in none["layers"] if layer["name"] == "fitted T")
    assert np.isnan(np.frombuffer(base64.b64decode(vline["x"]), "<f8")).all()
