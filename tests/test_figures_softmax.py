"""Live-chart specs of the softmax lesson, checked through their data (values equal ce_core's)."""

import math

import numpy as np
import pytest

from ce_core.bar_tables import logit_table
from ce_core.live import parameter_grid
from ce_core.softmax import softmax
from ce_core.temperature import tempered_loss
from lab.figures import softmax as fs
from lab.figures.live import decode_table

NAMES = ("cat", "dog", "bird")
LOGITS = (2.0, 1.0, -0.5)
BASES = [(2.0, "bits"), (math.e, "nats"), (10.0, "hartleys")]


def _layer(spec, name):
    (layer,) = [layer for layer in spec["layers"] if layer["name"] == name]
    return layer


@pytest.mark.parametrize(("base", "unit"), BASES)
def test_temperature_chart_draws_softmax_at_every_temperature(base, unit):
    grid = parameter_grid(0.5, 2.0, 0.5)
    spec, readouts = fs.temperature_chart(NAMES, LOGITS, 1, grid, base=base, unit=unit)
    q = decode_table(_layer(spec, fs.Q_BARS)["y"]).reshape(grid.size, len(NAMES))
    for row, t in zip(q, grid, strict=True):
        np.testing.assert_allclose(row, softmax(LOGITS, t))
    np.testing.assert_array_equal(decode_table(_layer(spec, fs.TARGET_BARS)["y"]), [0.0, 1.0, 0.0])
    texts = {r["name"]: r["text"] for r in readouts}
    assert texts["loss"] == [f"{tempered_loss(LOGITS, 1, t, base):.4f} {unit}" for t in grid]
    assert spec["x_ticks"][1] == [1.0, "dog ✓"]
    assert len(spec["caption"]) == grid.size


@pytest.mark.parametrize(("base", "unit"), BASES)
def test_logit_chart_draws_the_table_of_the_dragged_logits(base, unit):
    grid = parameter_grid(-2.0, 2.0, 1.0)
    table = logit_table(LOGITS, 0, 1.5, grid, base)
    spec, caption, readouts = fs.logit_chart(NAMES, 0, 1.5, table, unit=unit)
    np.testing.assert_allclose(decode_table(_layer(spec, fs.Q_BARS)["y"]), np.asarray(table.q).ravel())
    texts = {r["name"]: r["text"] for r in readouts}
    assert texts["loss"] == [f"{v:.4f} {unit}" for v in table.loss]
    assert texts["q_true"] == [f"{v:.4f}" for v in table.q[:, 0]]
    assert "{values}" in caption
    assert "T = 1.5" in caption
    assert f"({unit})" in caption
