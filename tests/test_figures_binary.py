"""The shared grid and axis top of the binary cross-entropy picture (drawn live on the lesson page)."""

import math

import numpy as np
import pytest

from ce_core.binary_point import binary_loss_curves
from lab.figures.binary import CURVE_GRID, y_top

UNITS = [(2.0, "bits"), (math.e, "nats"), (10.0, "hartleys")]


def test_curve_grid_is_inside_the_open_interval_and_denser_near_the_ends():
    assert CURVE_GRID.shape == (201,)
    assert np.all(np.diff(CURVE_GRID) > 0)
    assert 0.0 < CURVE_GRID[0] < 0.002
    assert 0.998 < CURVE_GRID[-1] < 1.0
    np.testing.assert_allclose(CURVE_GRID, 1.0 - CURVE_GRID[::-1], atol=1e-15)  # symmetric about 1/2
    steps = np.diff(CURVE_GRID)
    assert steps[0] < steps[100] / 10
    assert steps[-1] < steps[100] / 10


@pytest.mark.parametrize(("base", "unit"), UNITS)
@pytest.mark.parametrize("label", [0, 1])
def test_axis_top_shows_the_loss_at_q_0_01_and_cuts_the_grid_ends(label, base, unit):
    """The curve is on screen up to q = 0.01 (or 0.99) against the label; nearer the ends it runs off the top."""
    wrong = 0.01 if label == 1 else 0.99
    at_wrong = float(binary_loss_curves(label, np.array([wrong]), base)["cross_entropy"][0])
    assert at_wrong < y_top(base) < 1.2 * at_wrong
    end = CURVE_GRID[:1] if label == 1 else CURVE_GRID[-1:]
    assert float(binary_loss_curves(label, end, base)["cross_entropy"][0]) > y_top(base)


def test_axis_top_is_one_length_in_every_unit():
    """The same height in nats whatever the unit: only the numbers on the axis change."""
    for base, _ in UNITS:
        assert y_top(base) * math.log(base) == pytest.approx(y_top(math.e), rel=1e-12)


@pytest.mark.parametrize(("label", "base", "unit"), [(0, 2.0, "bits"), (1, math.e, "nats")])
def test_prediction_chart_puts_the_point_on_the_loss_of_ce_core(label, base, unit):
    from ce_core.binary_point import binary_point
    from lab.figures.binary import prediction_chart
    from lab.figures.live import decode_table

    grid = np.array([0.0, 0.25, 0.5, 0.9, 1.0])
    spec, readouts = prediction_chart(label, grid, base=base, unit=unit)
    (point,) = [layer for layer in spec["layers"] if layer["name"] == "cross-entropy at q"]
    np.testing.assert_allclose(decode_table(point["y"]), [binary_point(label, q, base).loss for q in grid])
    curve = spec["layers"][0]
    assert curve["name"] == f"cross-entropy, y = {label}"
    np.testing.assert_allclose(
        decode_table(curve["y"]), binary_loss_curves(label, CURVE_GRID, base)["cross_entropy"]
    )
    texts = {r["name"]: r["text"] for r in readouts}
    assert texts["loss"][2] == f"{binary_point(label, 0.5, base).loss:.4f} {unit}"
    assert texts["loss"][0 if label == 1 else -1] == f"∞ {unit}"
    assert len(spec["caption"]) == grid.size
    assert unit in spec["y_label"]
