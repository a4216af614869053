"""Softmax figures: bars equal ce_core's softmax and gradient; temperature frames equal softmax(z / T)."""

import math

import numpy as np
import pytest

from ce_core.figures.softmax import SCRUB_TEMPERATURES, make_softmax_figure, make_temperature_scrub_figure
from ce_core.softmax import softmax
from ce_core.temperature import tempered_gradient, tempered_loss

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


@pytest.fixture(scope="module")
def scrub():
    return make_temperature_scrub_figure(NAMES, LOGITS, 1, 2.0, "bits", start=1.0)


def test_scrub_frames_equal_softmax(scrub):
    assert len(scrub.frames) == len(SCRUB_TEMPERATURES) == 50
    for frame, t in zip(scrub.frames, SCRUB_TEMPERATURES, strict=True):
        assert frame.name == f"{t:.1f}"
        assert list(frame.traces) == [1]
        np.testing.assert_allclose(frame.data[0].y, softmax(LOGITS, t), rtol=1e-12)


def test_scrub_labels_give_the_loss(scrub):
    (slider,) = scrub.layout.sliders
    for step, t in zip(slider.steps, SCRUB_TEMPERATURES, strict=True):
        assert list(step.args[0]) == [f"{t:.1f}"]
        assert step.args[1]["frame"]["redraw"] is True  # bars need a redraw
        assert step.label == f"{t:.1f} · loss {tempered_loss(LOGITS, 1, float(t), 2.0):.3f} bits"


def test_scrub_opens_on_the_start_temperature(scrub):
    (slider,) = scrub.layout.sliders
    assert scrub.frames[slider.active].name == "1.0"
    np.testing.assert_allclose(scrub.data[1].y, softmax(LOGITS, 1.0))
    np.testing.assert_array_equal(scrub.data[0].y, [0, 1, 0, 0])


def test_scrub_low_temperature_concentrates_on_the_largest_logit(scrub):
    coldest = np.asarray(scrub.frames[0].data[0].y)
    hottest = np.asarray(scrub.frames[-1].data[0].y)
    assert coldest.argmax() == int(np.argmax(LOGITS))
    assert coldest.max() > 0.99
    assert hottest.max() - hottest.min() < coldest.max() - coldest.min()
