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
    curve = figs.temperature_curve_spec(
        grid, sweep.mean_cross_entropy, 1.5, y_label="mean CE", name="mean CE", key="k"
    )
    kinds = {layer["name"]: layer["kind"] for layer in curve["layers"]}
    assert kinds == {"mean CE": "line", "fitted T": "vline", "this T": "point"}
    assert curve["x_log"] is True
    none = figs.temperature_curve_spec(
        grid, sweep.calibration_error, None, y_label="ECE", name="ECE", key="e"
    )
    vline = next(layer for layer in none["layers"] if layer["name"] == "fitted T")
    assert np.isnan(np.frombuffer(base64.b64decode(vline["x"]), "<f8")).all()


def _contrast(a: str, b: str) -> float:
    def luminance(colour: str) -> float:
        c = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = (v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4 for v in c)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_text_inside_the_green_bars_passes_wcag_aa():
    figures = [
        figs.make_temperature_split_bar(0.5, 0.4, 1.7),
        figs.make_decomposition_bar(LogLossDecomposition(0.69, 0.4, 0.03, -0.01)),
    ]
    inside = [t for fig in figures for t in fig.data if t.text and t.textposition == "inside"]
    assert len(inside) == 3
    for trace in inside:
        assert _contrast(trace.textfont.color, trace.marker.color) >= 4.5, trace.name


def test_temperature_live_charts_and_readouts(data):
    z, y, _ = data
    grid = figs.temperature_grid(1.5)
    sweep = temperature_sweep(z, y, grid)
    captions = [f"T = {t}" for t in grid]
    charts = figs.temperature_live_charts(
        grid, sweep, sweep.mean_cross_entropy, 1.5, captions=captions, unit="nats"
    )
    assert set(charts) == {"chart", "more_charts", "value_text"}
    assert charts["chart"]["key"] == "ym_reliability_live"
    assert [c["key"] for c in charts["more_charts"]] == ["ym_ce_curve", "ym_ece_curve"]
    assert charts["value_text"] == [f"{t:.3g}" for t in grid]
    texts = [f"{v:.4f} nats" for v in sweep.mean_cross_entropy]
    readouts = figs.temperature_readouts(texts, sweep.calibration_error, [0.9] * grid.size, 0.8, unit="nats")
    assert [r["name"] for r in readouts] == ["ce", "ece", "conf", "acc"]
    assert readouts[0]["label"] == "Mean CE (nats)"
    assert readouts[0]["text"] == texts
    assert readouts[3]["text"] == ["0.800"] * grid.size
