"""Figure builders of the training lesson, tested through their trace data."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from ce_core.information import convert_units
from ce_core.training import (
    confidently_wrong_model,
    continue_run,
    data_extent,
    decision_grid,
    init_model,
    make_blobs,
    start_run,
)
from lab.figures.theme import CLASS_COLOURS
from lab.figures.training import (
    CE_NAME,
    CLASS_SYMBOLS,
    MSE_NAME,
    make_decision_regions,
    make_loss_curves,
    region_colorscale,
)

NAMES4 = ["class 1", "class 2", "class 3", "class 4"]


def _trained(num_classes=3, steps=30):
    data = make_blobs(num_classes, 25, spread=1.0, seed=5)
    run = continue_run(start_run(init_model(num_classes), data), data, steps, 0.5)
    return data, run


@pytest.mark.parametrize("num_classes", [2, 3, 4])
def test_decision_regions_traces(num_classes):
    data, run = _trained(num_classes)
    xs, ys, classes, confidence = decision_grid(run.model, data_extent(data), 40)
    fig = make_decision_regions(
        xs, ys, classes, confidence, data.x, data.y, class_names=NAMES4[:num_classes], title="t"
    )
    assert len(fig.data) == 1 + num_classes
    assert [t.name for t in fig.data] == ["predicted class", *NAMES4[:num_classes]]
    heat = fig.data[0]
    assert heat.type == "heatmap"
    # rounding z gives the 1-based predicted class of ce_core's grid; customdata is its probability
    np.testing.assert_array_equal(np.rint(np.asarray(heat.z)).astype(int), classes + 1)
    np.testing.assert_allclose(np.asarray(heat.customdata), confidence, rtol=1e-6)
    np.testing.assert_allclose(heat.x, xs, rtol=1e-6)
    for c in range(num_classes):
        points = fig.data[1 + c]
        np.testing.assert_array_equal(points.x, data.x[data.y == c, 0])
        np.testing.assert_array_equal(points.y, data.x[data.y == c, 1])
        assert points.marker.color == CLASS_COLOURS[c]
        assert points.marker.symbol == CLASS_SYMBOLS[c]


def test_decision_regions_shade_grows_with_confidence():
    data = make_blobs(3, 20, spread=0.6, seed=1)
    model = confidently_wrong_model(data, 1.0)
    xs, ys, classes, confidence = decision_grid(model, data_extent(data), 30)
    z = np.asarray(
        make_decision_regions(xs, ys, classes, confidence, data.x, data.y, class_names=NAMES4[:3], title="t")
        .data[0]
        .z
    )
    shade = z - (classes + 1)
    assert (shade >= 0).all()
    assert (shade < 0.5).all()
    same = classes == classes.flat[0]
    order = np.argsort(confidence[same])
    assert (np.diff(shade[same][order]) >= -1e-6).all()


def test_region_colorscale_is_increasing_from_0_to_1():
    for k in (2, 3, 4):
        positions = [p for p, _ in region_colorscale(k)]
        assert positions[0] == 0
        assert positions[-1] == pytest.approx(1)
        assert all(b >= a for a, b in itertools.pairwise(positions))
        assert len(positions) == 2 * k


def test_decision_regions_check_shapes():
    data, run = _trained(3)
    xs, ys, classes, confidence = decision_grid(run.model, data_extent(data), 20)
    with pytest.raises(ValueError, match="classes and confidence"):
        make_decision_regions(
            xs, ys, classes[:-1], confidence, data.x, data.y, class_names=NAMES4[:3], title="t"
        )
    with pytest.raises(ValueError, match="points"):
        make_decision_regions(
            xs, ys, classes, confidence, data.x[:-1], data.y, class_names=NAMES4[:3], title="t"
        )


@pytest.mark.parametrize(("unit", "base"), [("bits", 2), ("nats", math.e), ("hartleys", 10)])
def test_loss_curve_is_the_run_in_the_unit(unit, base):
    _data, run = _trained(3, steps=25)
    shown = convert_units(np.asarray(run.losses), math.e, base)
    fig = make_loss_curves(shown, unit=unit)
    assert [t.name for t in fig.data] == [CE_NAME]
    np.testing.assert_allclose(fig.data[0].y, np.asarray(run.losses) / math.log(base))
    np.testing.assert_array_equal(fig.data[0].x, np.arange(26))
    assert unit in fig.layout.yaxis.title.text
    assert fig.layout.xaxis.range[1] == 50  # a short run still gets room to grow
    assert fig.layout.yaxis.range[0] == 0
    assert fig.layout.yaxis.range[1] >= max(shown)


def test_loss_curves_with_mse_use_a_second_axis():
    data = make_blobs(3, 25, spread=1.0, seed=5)
    model = confidently_wrong_model(data, 1.0)
    ce = continue_run(start_run(model, data), data, 80, 0.5)
    mse = continue_run(start_run(model, data, "mse"), data, 80, 0.5)
    fig = make_loss_curves(ce.losses, unit="nats", mse_losses=mse.losses, plateau_step=40)
    assert [t.name for t in fig.data] == [CE_NAME, MSE_NAME]
    np.testing.assert_allclose(fig.data[0].y, ce.losses)
    np.testing.assert_allclose(fig.data[1].y, mse.losses)
    assert fig.data[1].yaxis == "y2"
    assert fig.data[1].line.dash == "dash"
    assert fig.data[0].line.dash in (None, "solid")
    assert "MSE" in fig.layout.yaxis2.title.text
    assert "no unit" in fig.layout.yaxis2.title.text
    assert fig.layout.yaxis2.range[1] >= max(mse.losses)
    assert fig.layout.xaxis.range[1] == 80
    assert fig.layout.shapes[0].x0 == 40
    assert fig.layout.annotations[0].text == "plateau"


def test_loss_curves_check_lengths():
    with pytest.raises(ValueError, match="mse_losses"):
        make_loss_curves([1.0, 0.5], unit="bits", mse_losses=[1.0])
    with pytest.raises(ValueError, match="ce_losses"):
        make_loss_curves([], unit="bits")


def test_loss_curve_before_the_first_step_is_a_dot():
    fig = make_loss_curves([1.5], unit="bits", mse_losses=[0.7])
    assert [t.mode for t in fig.data] == ["markers", "markers"]
    fig = make_loss_curves([1.5, 1.0], unit="bits", mse_losses=[0.7, 0.6])
    assert [t.mode for t in fig.data] == ["lines", "lines"]


# --- the live chart of the η control ------------------------------------------------------------


def _layer(spec, name):
    (layer,) = [layer for layer in spec["layers"] if layer["name"] == name]
    return layer


@pytest.mark.parametrize("every_rate", [False, True])
def test_learning_rate_chart_draws_the_sweep_of_ce_core(every_rate):
    from ce_core.training import learning_rate_sweep, step_outcomes
    from lab.figures.live import decode_table
    from lab.figures.training import learning_rate_chart

    data, run = _trained(3, 5)
    rates = (0.1, 0.5, 2.0, 10.0)
    losses = learning_rate_sweep(run, data, rates, 20)
    verdicts = list(step_outcomes(losses, 1e-3, reference=run.losses[0]))
    shown = convert_units(losses, math.e, 2.0)
    spec, readouts = learning_rate_chart(
        shown, verdicts, rates, steps=run.steps, early=10, unit="bits", every_rate=every_rate, height_rem=15
    )
    if every_rate:
        assert spec["x_log"]
        np.testing.assert_allclose(decode_table(_layer(spec, "after 10 steps")["y"]), shown[:, 10])
        np.testing.assert_allclose(decode_table(_layer(spec, "after 20 steps")["y"]), shown[:, -1])
        np.testing.assert_allclose(decode_table(_layer(spec, "η")["x"]), rates)
    else:
        curve = _layer(spec, "cross-entropy over the next steps at η")
        np.testing.assert_allclose(decode_table(curve["y"]).reshape(shown.shape), shown)
        np.testing.assert_allclose(decode_table(_layer(spec, "after 20 steps")["y"]), shown[:, -1])
    texts = {r["name"]: r["text"] for r in readouts}
    assert texts["final"][1] == f"{shown[1, -1]:.4f} bits"
    assert texts["outcome"] == verdicts
    assert spec["caption"][0].startswith(
        f"From step {run.steps}, 20 more steps at η = 0.1 take the cross-entropy from "
        f"{shown[0, 0]:.4f} bits to"
    )


def test_model_regions_are_the_decision_regions_of_the_grid_named_by_class_index():
    from lab.figures.training import make_model_regions
    from lab.training_run import regions

    data, run = _trained(3)
    grid = regions(run.model, data, 30)
    fig = make_model_regions(grid, data, "t")
    expected = make_decision_regions(
        *decision_grid(run.model, data_extent(data, margin=1.0), 30),
        data.x,
        data.y,
        class_names=["class 0", "class 1", "class 2"],
        title="t",
    )
    assert fig.to_plotly_json() == expected.to_plotly_json()
