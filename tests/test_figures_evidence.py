"""The misconception pictures: bars equal the numbers given, infinities and NaN are shown, not hidden."""

import math

import pytest

import ce_core
from lab.content.misconceptions import all_misconceptions
from lab.figures.evidence import make_evidence_bars


def test_bars_hold_the_values_and_their_texts():
    fig = make_evidence_bars(["a", "b"], [0.5, -1.25], texts=["x", "y"], axis_title="bits")
    bar = fig.data[0]
    assert list(bar.x) == [0.5, -1.25]
    assert list(bar.y) == ["a", "b"]
    assert list(bar.text) == ["x", "y"]
    low, high = fig.layout.xaxis.range
    assert low < -1.25 and high > 0.5  # noqa: PT018 - one range, both ends


def test_infinity_reaches_the_axis_end_and_nan_gets_no_bar():
    fig = make_evidence_bars(["finite", "infinite", "broken"], [1.0, math.inf, math.nan])
    bar = fig.data[0]
    assert bar.x[0] == 1.0
    assert bar.x[1] == fig.layout.xaxis.range[1]
    assert bar.x[2] is None
    assert list(bar.text) == ["1.0000", "∞", "undefined"]


def test_lengths_must_agree():
    with pytest.raises(ValueError, match="same, non-zero length"):
        make_evidence_bars(["a"], [1.0, 2.0])


@pytest.mark.parametrize(("base", "unit"), [(2.0, "bits"), (math.e, "nats")])
def test_every_misconception_picture_draws_ce_core_numbers(base, unit):
    p, q = ce_core.normalize([5, 3, 2]), ce_core.normalize([2, 5, 3])
    for _item, ev in all_misconceptions(p, q, base=base, unit=unit):
        fig = make_evidence_bars(ev.bar_labels, ev.bar_values, texts=ev.bar_texts, axis_title=ev.axis_title)
        drawn = list(fig.data[0].x)
        for value, shown in zip(ev.bar_values, drawn, strict=True):
            if math.isfinite(value):
                assert shown == pytest.approx(value)
    kl = next(ev for item, ev in all_misconceptions(p, q, base=base, unit=unit) if "distance" in item.belief)
    assert kl.bar_values[1] == pytest.approx(ce_core.kl_divergence(q, p, base=base))
    assert kl.bar_values[2] > kl.bar_values[3]  # the direct route is longer: no triangle inequality
