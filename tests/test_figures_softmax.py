"""Softmax figures: bars equal ce_core's softmax and gradient; temperature batches equal softmax(z / T)."""

import math

import numpy as np
import pytest

from ce_core.figures.softmax import make_softmax_figure
from ce_core.live import parameter_grid
from ce_core.softmax import softmax
from ce_core.temperature import (
    losses_over_temperatures,
    softmax_over_temperatures,
    tempered_gradient,
    tempered_loss,
)

NAMES = ("cat", "dog", "bird", "fish")
LOGITS = (2.0, 1.0, 0.1, -0.5)


@pytest.mark.parametrize(("target", "temperature", "base", "unit"),
                         [(0, 1.0, 2.0, "bits"), (2, 0.5, math.e, "nats"), (3, 3.0, 10.0, "hartleys")])
def test_softmax_figure_traces(target, temperature, base, unit):
    q = softmax(LOGITS, temperature)
    g = tempered_gradient(LOGITS, target, temperature, base)
    fig = make_softmax_figure(NAMES, q, g, target, unit)
    assert [t.name for t in fig.data] == ["one-hot target (p)", "softmax (q)", "gradient ∂ℓ/∂z"]
    np.testing.assert_array_equal(fig.data[0].y, np.eye(4)[target])
    np.testing.assert_array_equal(fig.data[1].y, q)
    np.testing.assert_array_equal(fig.data[2].y, g)
    assert fig.data[2].yaxis == "y2"
    assert list(fig.data[1].x)[target] == f"{NAMES[target]} ✓"
    assert unit in fig.layout.yaxis2.title.text
    assert max(abs(v) for v in fig.layout.yaxis2.range) >= np.max(np.abs(g))


def test_softmax_figure_checks_shapes():
    with pytest.raises(ValueError, match=r"gradient must have one value per class, shape \(4,\)"):
        make_softmax_figure(NAMES, softmax(LOGITS), [0.1, -0.1], 0, "bits")
    with pytest.raises(ValueError, match=r"target must be a class index in 0\.\.3"):
        make_softmax_figure(NAMES, softmax(LOGITS), np.zeros(4), 4, "bits")


def test_temperature_batches_equal_softmax_at_every_position():
    """The tables behind the live temperature control (pages/softmax_logits.py)."""
    grid = parameter_grid(0.1, 5.0, 0.1)
    probs = softmax_over_temperatures(LOGITS, grid)
    losses = losses_over_temperatures(LOGITS, 1, grid, 2.0)
    assert probs.shape == (50, 4)
    for row, loss, t in zip(probs, losses, grid, strict=True):
        np.testing.assert_allclose(row, softmax(LOGITS, float(t)), rtol=1e-12)
        assert loss == pytest.approx(tempered_loss(LOGITS, 1, float(t), 2.0), rel=1e-12)
    assert probs[0].argmax() == int(np.argmax(LOGITS))
    assert probs[0].max() > 0.99
    assert probs[-1].max() - probs[-1].min() < probs[0].max() - probs[0].min()

